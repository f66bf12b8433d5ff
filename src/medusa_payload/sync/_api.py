"""The public functions: each runs one applier with the sync or the async clients.

With `MedusaClient`/`PayloadClient` they return the result; with `AsyncMedusaClient`/
`AsyncPayloadClient` they return an awaitable. The work itself is `SyncEngine` /
`AsyncSyncEngine` (one async source, the sync twin generated): nothing here is duplicated.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, overload

from .. import _jobs
from .._guards import check_sync_call
from ..errors import ConfigurationError, Unrecoverable
from ..medusa import AsyncMedusaClient, MedusaClient
from ..payload import AsyncPayloadClient, PayloadClient
from ._async.engine import AsyncSyncEngine
from ._async.reconcile import reconcile as _async_reconcile
from ._config import DEFAULT_CONFIG, SyncConfig
from ._model import SyncResult
from ._report import ReconcileReport
from ._sync.engine import SyncEngine
from ._sync.reconcile import reconcile as _sync_reconcile

__all__ = [
    "job_handlers",
    "make_engine",
    "reconcile",
    "sync_content_to_medusa",
    "sync_order_audit",
    "sync_page_to_medusa",
    "sync_product_deleted",
    "sync_product_to_payload",
    "sync_store_to_medusa",
    "sync_tenant_to_payload",
    "sync_vendor_to_payload",
]

logger = logging.getLogger("medusa_payload.sync")

Progress = Callable[[int], object] | None
Engine = SyncEngine | AsyncSyncEngine


def make_engine(
    medusa: MedusaClient | AsyncMedusaClient,
    payload: PayloadClient | AsyncPayloadClient,
    *,
    config: SyncConfig = DEFAULT_CONFIG,
    vendor_source: Callable[[str], Any] | None = None,
    tenant_source: Callable[[str], Any] | None = None,
) -> Engine:
    """`SyncEngine` for sync clients, `AsyncSyncEngine` for async ones.

    Raises:
        ConfigurationError: one sync and one async client.
    """
    kwargs: dict[str, Any] = {
        "config": config,
        "vendor_source": vendor_source,
        "tenant_source": tenant_source,
    }
    if isinstance(medusa, AsyncMedusaClient) and isinstance(payload, AsyncPayloadClient):
        return AsyncSyncEngine(medusa, payload, **kwargs)
    if isinstance(medusa, MedusaClient) and isinstance(payload, PayloadClient):
        return SyncEngine(medusa, payload, **kwargs)
    raise ConfigurationError("pass two sync clients or two async clients, not a mix")


# ---------------------------------------------------------------- one function per pair
@overload
def sync_product_to_payload(
    product_id: str,
    *,
    medusa: MedusaClient,
    payload: PayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> SyncResult: ...
@overload
def sync_product_to_payload(
    product_id: str,
    *,
    medusa: AsyncMedusaClient,
    payload: AsyncPayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> Awaitable[SyncResult]: ...
def sync_product_to_payload(
    product_id: str,
    *,
    medusa: Any,
    payload: Any,
    config: SyncConfig = DEFAULT_CONFIG,
    on_progress: Progress = None,
) -> Any:
    """Medusa product -> its ``product-content`` doc (Medusa-owned fields; new docs drafts)."""
    check_sync_call("sync_product_to_payload", medusa, payload, product_id=(product_id, str))
    return make_engine(medusa, payload, config=config).product_to_payload(
        product_id, on_progress=on_progress
    )


@overload
def sync_product_deleted(
    product_id: str,
    *,
    medusa: MedusaClient,
    payload: PayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> SyncResult: ...
@overload
def sync_product_deleted(
    product_id: str,
    *,
    medusa: AsyncMedusaClient,
    payload: AsyncPayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> Awaitable[SyncResult]: ...
def sync_product_deleted(
    product_id: str,
    *,
    medusa: Any,
    payload: Any,
    config: SyncConfig = DEFAULT_CONFIG,
    on_progress: Progress = None,
) -> Any:
    """Deleted Medusa product -> its content archived (never deleted)."""
    check_sync_call("sync_product_deleted", medusa, payload, product_id=(product_id, str))
    return make_engine(medusa, payload, config=config).product_deleted(
        product_id, on_progress=on_progress
    )


@overload
def sync_content_to_medusa(
    content_id: int | str,
    *,
    medusa: MedusaClient,
    payload: PayloadClient,
    medusa_product_id: str | None = ...,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> SyncResult: ...
@overload
def sync_content_to_medusa(
    content_id: int | str,
    *,
    medusa: AsyncMedusaClient,
    payload: AsyncPayloadClient,
    medusa_product_id: str | None = ...,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> Awaitable[SyncResult]: ...
def sync_content_to_medusa(
    content_id: int | str,
    *,
    medusa: Any,
    payload: Any,
    medusa_product_id: str | None = None,
    config: SyncConfig = DEFAULT_CONFIG,
    on_progress: Progress = None,
) -> Any:
    """Published content -> product metadata; unpublished or deleted -> our keys removed."""
    check_sync_call("sync_content_to_medusa", medusa, payload, content_id=(content_id, (int, str)))
    return make_engine(medusa, payload, config=config).content_to_medusa(
        content_id, medusa_product_id=medusa_product_id, on_progress=on_progress
    )


@overload
def sync_store_to_medusa(
    store_id: int | str,
    *,
    medusa: MedusaClient,
    payload: PayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> SyncResult: ...
@overload
def sync_store_to_medusa(
    store_id: int | str,
    *,
    medusa: AsyncMedusaClient,
    payload: AsyncPayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> Awaitable[SyncResult]: ...
def sync_store_to_medusa(
    store_id: int | str,
    *,
    medusa: Any,
    payload: Any,
    config: SyncConfig = DEFAULT_CONFIG,
    on_progress: Progress = None,
) -> Any:
    """Payload store branding -> metadata of its owner (sales channel or store record)."""
    check_sync_call("sync_store_to_medusa", medusa, payload, store_id=(store_id, (int, str)))
    return make_engine(medusa, payload, config=config).store_to_medusa(
        store_id, on_progress=on_progress
    )


@overload
def sync_page_to_medusa(
    page_id: int | str,
    *,
    medusa: MedusaClient,
    payload: PayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> SyncResult: ...
@overload
def sync_page_to_medusa(
    page_id: int | str,
    *,
    medusa: AsyncMedusaClient,
    payload: AsyncPayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> Awaitable[SyncResult]: ...
def sync_page_to_medusa(
    page_id: int | str,
    *,
    medusa: Any,
    payload: Any,
    config: SyncConfig = DEFAULT_CONFIG,
    on_progress: Progress = None,
) -> Any:
    """Published page -> an index entry in its owner's metadata; unpublished -> removed."""
    check_sync_call("sync_page_to_medusa", medusa, payload, page_id=(page_id, (int, str)))
    return make_engine(medusa, payload, config=config).page_to_medusa(
        page_id, on_progress=on_progress
    )


@overload
def sync_vendor_to_payload(
    vendor_id: str,
    *,
    medusa: MedusaClient,
    payload: PayloadClient,
    record: Mapping[str, Any] | None = ...,
    vendor_source: Callable[[str], Any] | None = ...,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> SyncResult: ...
@overload
def sync_vendor_to_payload(
    vendor_id: str,
    *,
    medusa: AsyncMedusaClient,
    payload: AsyncPayloadClient,
    record: Mapping[str, Any] | None = ...,
    vendor_source: Callable[[str], Any] | None = ...,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> Awaitable[SyncResult]: ...
def sync_vendor_to_payload(
    vendor_id: str,
    *,
    medusa: Any,
    payload: Any,
    record: Mapping[str, Any] | None = None,
    vendor_source: Callable[[str], Any] | None = None,
    config: SyncConfig = DEFAULT_CONFIG,
    on_progress: Progress = None,
) -> Any:
    """Vendor (from ``record``, ``vendor_source`` or ``/admin/vendors/{id}``) -> ``vendors``."""
    check_sync_call("sync_vendor_to_payload", medusa, payload, vendor_id=(vendor_id, str))
    engine = make_engine(medusa, payload, config=config, vendor_source=vendor_source)
    return engine.vendor_to_payload(vendor_id, record=record, on_progress=on_progress)


@overload
def sync_tenant_to_payload(
    tenant_id: str,
    *,
    medusa: MedusaClient,
    payload: PayloadClient,
    record: Mapping[str, Any] | None = ...,
    tenant_source: Callable[[str], Any] | None = ...,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> SyncResult: ...
@overload
def sync_tenant_to_payload(
    tenant_id: str,
    *,
    medusa: AsyncMedusaClient,
    payload: AsyncPayloadClient,
    record: Mapping[str, Any] | None = ...,
    tenant_source: Callable[[str], Any] | None = ...,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> Awaitable[SyncResult]: ...
def sync_tenant_to_payload(
    tenant_id: str,
    *,
    medusa: Any,
    payload: Any,
    record: Mapping[str, Any] | None = None,
    tenant_source: Callable[[str], Any] | None = None,
    config: SyncConfig = DEFAULT_CONFIG,
    on_progress: Progress = None,
) -> Any:
    """Tenant (from ``record``, ``tenant_source`` or ``/admin/tenants/{id}``) -> ``tenants``."""
    check_sync_call("sync_tenant_to_payload", medusa, payload, tenant_id=(tenant_id, str))
    engine = make_engine(medusa, payload, config=config, tenant_source=tenant_source)
    return engine.tenant_to_payload(tenant_id, record=record, on_progress=on_progress)


@overload
def sync_order_audit(
    order_id: str,
    event: str,
    *,
    medusa: MedusaClient,
    payload: PayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> SyncResult: ...
@overload
def sync_order_audit(
    order_id: str,
    event: str,
    *,
    medusa: AsyncMedusaClient,
    payload: AsyncPayloadClient,
    config: SyncConfig = ...,
    on_progress: Progress = ...,
) -> Awaitable[SyncResult]: ...
def sync_order_audit(
    order_id: str,
    event: str,
    *,
    medusa: Any,
    payload: Any,
    config: SyncConfig = DEFAULT_CONFIG,
    on_progress: Progress = None,
) -> Any:
    """Order placed/completed -> one append-only ``order-audit`` record per (order, event)."""
    check_sync_call(
        "sync_order_audit", medusa, payload, order_id=(order_id, str), event=(event, str)
    )
    return make_engine(medusa, payload, config=config).order_audit(
        order_id, event, on_progress=on_progress
    )


@overload
def reconcile(
    medusa: MedusaClient,
    payload: PayloadClient,
    *,
    dry_run: bool = ...,
    scope: tuple[str, ...] = ...,
    page_size: int = ...,
    on_progress: Progress = ...,
    config: SyncConfig = ...,
) -> ReconcileReport: ...
@overload
def reconcile(
    medusa: AsyncMedusaClient,
    payload: AsyncPayloadClient,
    *,
    dry_run: bool = ...,
    scope: tuple[str, ...] = ...,
    page_size: int = ...,
    on_progress: Progress = ...,
    config: SyncConfig = ...,
) -> Awaitable[ReconcileReport]: ...
def reconcile(
    medusa: Any,
    payload: Any,
    *,
    dry_run: bool = False,
    scope: tuple[str, ...] = ("products", "stores", "pages"),
    page_size: int = 100,
    on_progress: Progress = None,
    config: SyncConfig = DEFAULT_CONFIG,
) -> Any:
    """Walk both sides, classify every pair, repair what differs (unless ``dry_run``).

    See `medusa_payload.sync._async.reconcile.reconcile` for the details; returns a
    `ReconcileReport` (an awaitable of one with async clients).
    """
    check_sync_call("reconcile", medusa, payload)
    run = _async_reconcile if isinstance(medusa, AsyncMedusaClient) else _sync_reconcile
    make_engine(medusa, payload)  # refuses a mix of sync and async clients
    return run(
        medusa,
        payload,
        dry_run=dry_run,
        scope=scope,
        page_size=page_size,
        on_progress=on_progress,
        config=config,
    )


# ---------------------------------------------------------------- worker handlers
def _require(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value in (None, ""):
        raise Unrecoverable(f"job data has no {key!r}: {dict(data)}")
    return str(value)


Call = Callable[[Any, Mapping[str, Any], Progress], Any]

_CALLS: dict[str, Call] = {
    _jobs.PRODUCT_TO_PAYLOAD: lambda e, d, p: e.product_to_payload(
        _require(d, "product_id"), on_progress=p
    ),
    _jobs.PRODUCT_DELETED: lambda e, d, p: e.product_deleted(
        _require(d, "product_id"), on_progress=p
    ),
    _jobs.CONTENT_TO_MEDUSA: lambda e, d, p: e.content_to_medusa(
        _require(d, "content_id"), medusa_product_id=d.get("product_id"), on_progress=p
    ),
    _jobs.PAGE_TO_MEDUSA: lambda e, d, p: e.page_to_medusa(_require(d, "page_id"), on_progress=p),
    _jobs.STORE_TO_MEDUSA: lambda e, d, p: e.store_to_medusa(
        _require(d, "store_id"), on_progress=p
    ),
    _jobs.VENDOR_TO_PAYLOAD: lambda e, d, p: e.vendor_to_payload(
        _require(d, "vendor_id"), record=d.get("vendor"), on_progress=p
    ),
    _jobs.TENANT_TO_PAYLOAD: lambda e, d, p: e.tenant_to_payload(
        _require(d, "tenant_id"), record=d.get("tenant"), on_progress=p
    ),
    _jobs.ORDER_AUDIT: lambda e, d, p: e.order_audit(
        _require(d, "order_id"), _require(d, "event"), on_progress=p
    ),
}


def _inventory_low(ctx: Any) -> dict[str, Any]:
    logger.warning("inventory low: %s (request_id=%s)", dict(ctx.data), ctx.request_id)
    return {"notified": True, **dict(ctx.data)}


def job_handlers(
    medusa: MedusaClient | AsyncMedusaClient,
    payload: PayloadClient | AsyncPayloadClient,
    *,
    config: SyncConfig = DEFAULT_CONFIG,
    vendor_source: Callable[[str], Any] | None = None,
    tenant_source: Callable[[str], Any] | None = None,
    inventory_low: Callable[[Any], Any] | None = None,
) -> dict[str, Callable[[Any], Any]]:
    """A handler for every job of `medusa_payload._jobs`, for `medusa_payload.queue.Worker`.

    With async clients the handlers are coroutines run on the worker's loop; with sync clients
    they are plain functions the worker runs in threads. Each reports progress
    10 -> 30 -> 50 -> 90 -> 100 and returns the `SyncResult` as a dict. ``inventory_low``
    handles ``notify.inventory_low`` (default: log a warning).
    """
    engine = make_engine(
        medusa, payload, config=config, vendor_source=vendor_source, tenant_source=tenant_source
    )
    handlers: dict[str, Callable[[Any], Any]] = {}
    for name, call in _CALLS.items():
        handlers[name] = _bind(engine, call)
    handlers[_jobs.INVENTORY_LOW] = inventory_low or _inventory_low
    return handlers


def _bind(engine: Engine, call: Call) -> Callable[[Any], Any]:
    if isinstance(engine, AsyncSyncEngine):

        async def run_async(ctx: Any) -> dict[str, Any]:
            result: SyncResult = await call(engine, ctx.data, ctx.progress)
            return result.to_dict()

        return run_async

    def run(ctx: Any) -> dict[str, Any]:
        result: SyncResult = call(engine, ctx.data, ctx.progress)
        return result.to_dict()

    return run
