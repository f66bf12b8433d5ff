"""Shorthands over the engines: `make_engine`, one ``sync_*`` function per job, `reconcile`.

The API is the engine class: `SyncEngine` (blocking clients) or `AsyncSyncEngine` (async
clients). Each function here builds the matching engine for one call, so with
`MedusaClient`/`PayloadClient` it returns the result and with the async clients an awaitable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import cast, overload

from typing_extensions import Required, TypedDict, Unpack

from .._guards import Expected, check_sync_call
from ..errors import ConfigurationError
from ..medusa import AsyncMedusaClient, MedusaClient
from ..payload import AsyncPayloadClient, PayloadClient
from ._async.engine import AsyncSyncEngine, Record, RecordSource
from ._config import DEFAULT_CONFIG, SyncConfig
from ._model import SyncResult
from ._report import ReconcileReport
from ._sync.engine import RecordSource as BlockingSource
from ._sync.engine import SyncEngine

__all__ = [
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

Progress = Callable[[int], object] | None
Result = SyncResult | Awaitable[SyncResult]


class _Options(TypedDict, total=False):
    config: SyncConfig
    on_progress: Progress


class _ReconcileRun(TypedDict, total=False):
    dry_run: bool
    scope: Sequence[str]
    page_size: int
    on_progress: Progress


class _ReconcileOptions(_ReconcileRun, total=False):
    config: SyncConfig


class _Blocking(_Options):
    medusa: Required[MedusaClient]
    payload: Required[PayloadClient]


class _Async(_Options):
    medusa: Required[AsyncMedusaClient]
    payload: Required[AsyncPayloadClient]


class _Either(_Options):
    medusa: Required[MedusaClient | AsyncMedusaClient]
    payload: Required[PayloadClient | AsyncPayloadClient]


def make_engine(
    medusa: MedusaClient | AsyncMedusaClient,
    payload: PayloadClient | AsyncPayloadClient,
    *,
    config: SyncConfig = DEFAULT_CONFIG,
    vendor_source: RecordSource | None = None,
    tenant_source: RecordSource | None = None,
) -> SyncEngine | AsyncSyncEngine:
    """`SyncEngine` for blocking clients, `AsyncSyncEngine` for async ones (to get the
    precise type, build the class you need directly).

    Raises:
        ConfigurationError: one blocking and one async client.
    """
    sources = {"vendor_source": vendor_source, "tenant_source": tenant_source}
    if isinstance(medusa, AsyncMedusaClient) and isinstance(payload, AsyncPayloadClient):
        return AsyncSyncEngine(medusa, payload, config=config, **sources)
    if isinstance(medusa, MedusaClient) and isinstance(payload, PayloadClient):
        # the overloads give blocking clients only blocking sources
        blocking = cast("dict[str, BlockingSource | None]", sources)
        return SyncEngine(medusa, payload, config=config, **blocking)
    raise ConfigurationError("pass two blocking clients or two async clients, not a mix")


def _engine(
    kw: _Either,
    call: str,
    ids: Mapping[str, tuple[object, Expected]] | None = None,
    **sources: RecordSource | None,
) -> SyncEngine | AsyncSyncEngine:
    # **kw would take any name: refuse what a plain signature would (typos, missing clients)
    if unknown := set(kw) - set(_Either.__annotations__):
        raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    if missing := {"medusa", "payload"} - set(kw):
        raise TypeError(f"missing keyword argument(s): {', '.join(sorted(missing))}")
    check_sync_call(call, kw["medusa"], kw["payload"], **(ids or {}))
    config = kw.get("config", DEFAULT_CONFIG)
    return make_engine(kw["medusa"], kw["payload"], config=config, **sources)


# ------------------------------------------- one shorthand per engine method (old spellings)
@overload
def sync_product_to_payload(product_id: str, **kw: Unpack[_Blocking]) -> SyncResult: ...
@overload
def sync_product_to_payload(product_id: str, **kw: Unpack[_Async]) -> Awaitable[SyncResult]: ...
def sync_product_to_payload(product_id: str, **kw: Unpack[_Either]) -> Result:
    """`SyncEngine.product_to_payload` for one call (``medusa=``, ``payload=``, ``config=``,
    ``on_progress=``)."""
    return _engine(
        kw, "sync_product_to_payload", {"product_id": (product_id, str)}
    ).product_to_payload(product_id, on_progress=kw.get("on_progress"))


@overload
def sync_product_deleted(product_id: str, **kw: Unpack[_Blocking]) -> SyncResult: ...
@overload
def sync_product_deleted(product_id: str, **kw: Unpack[_Async]) -> Awaitable[SyncResult]: ...
def sync_product_deleted(product_id: str, **kw: Unpack[_Either]) -> Result:
    """`SyncEngine.product_deleted` for one call."""
    return _engine(kw, "sync_product_deleted", {"product_id": (product_id, str)}).product_deleted(
        product_id, on_progress=kw.get("on_progress")
    )


@overload
def sync_content_to_medusa(
    content_id: int | str, *, medusa_product_id: str | None = ..., **kw: Unpack[_Blocking]
) -> SyncResult: ...
@overload
def sync_content_to_medusa(
    content_id: int | str, *, medusa_product_id: str | None = ..., **kw: Unpack[_Async]
) -> Awaitable[SyncResult]: ...
def sync_content_to_medusa(
    content_id: int | str, *, medusa_product_id: str | None = None, **kw: Unpack[_Either]
) -> Result:
    """`SyncEngine.content_to_medusa` for one call."""
    return _engine(
        kw, "sync_content_to_medusa", {"content_id": (content_id, (int, str))}
    ).content_to_medusa(
        content_id, medusa_product_id=medusa_product_id, on_progress=kw.get("on_progress")
    )


@overload
def sync_store_to_medusa(store_id: int | str, **kw: Unpack[_Blocking]) -> SyncResult: ...
@overload
def sync_store_to_medusa(store_id: int | str, **kw: Unpack[_Async]) -> Awaitable[SyncResult]: ...
def sync_store_to_medusa(store_id: int | str, **kw: Unpack[_Either]) -> Result:
    """`SyncEngine.store_to_medusa` for one call."""
    return _engine(
        kw, "sync_store_to_medusa", {"store_id": (store_id, (int, str))}
    ).store_to_medusa(store_id, on_progress=kw.get("on_progress"))


@overload
def sync_page_to_medusa(page_id: int | str, **kw: Unpack[_Blocking]) -> SyncResult: ...
@overload
def sync_page_to_medusa(page_id: int | str, **kw: Unpack[_Async]) -> Awaitable[SyncResult]: ...
def sync_page_to_medusa(page_id: int | str, **kw: Unpack[_Either]) -> Result:
    """`SyncEngine.page_to_medusa` for one call."""
    return _engine(kw, "sync_page_to_medusa", {"page_id": (page_id, (int, str))}).page_to_medusa(
        page_id, on_progress=kw.get("on_progress")
    )


@overload
def sync_vendor_to_payload(
    vendor_id: str,
    *,
    record: Record | None = ...,
    vendor_source: BlockingSource | None = ...,
    **kw: Unpack[_Blocking],
) -> SyncResult: ...
@overload
def sync_vendor_to_payload(
    vendor_id: str,
    *,
    record: Record | None = ...,
    vendor_source: RecordSource | None = ...,
    **kw: Unpack[_Async],
) -> Awaitable[SyncResult]: ...
def sync_vendor_to_payload(
    vendor_id: str,
    *,
    record: Record | None = None,
    vendor_source: RecordSource | None = None,
    **kw: Unpack[_Either],
) -> Result:
    """`SyncEngine.vendor_to_payload` for one call (``vendor_source`` as the engine's)."""
    ids = {"vendor_id": (vendor_id, str)}
    engine = _engine(kw, "sync_vendor_to_payload", ids, vendor_source=vendor_source)
    return engine.vendor_to_payload(vendor_id, record=record, on_progress=kw.get("on_progress"))


@overload
def sync_tenant_to_payload(
    tenant_id: str,
    *,
    record: Record | None = ...,
    tenant_source: BlockingSource | None = ...,
    **kw: Unpack[_Blocking],
) -> SyncResult: ...
@overload
def sync_tenant_to_payload(
    tenant_id: str,
    *,
    record: Record | None = ...,
    tenant_source: RecordSource | None = ...,
    **kw: Unpack[_Async],
) -> Awaitable[SyncResult]: ...
def sync_tenant_to_payload(
    tenant_id: str,
    *,
    record: Record | None = None,
    tenant_source: RecordSource | None = None,
    **kw: Unpack[_Either],
) -> Result:
    """`SyncEngine.tenant_to_payload` for one call (``tenant_source`` as the engine's)."""
    ids = {"tenant_id": (tenant_id, str)}
    engine = _engine(kw, "sync_tenant_to_payload", ids, tenant_source=tenant_source)
    return engine.tenant_to_payload(tenant_id, record=record, on_progress=kw.get("on_progress"))


@overload
def sync_order_audit(order_id: str, event: str, **kw: Unpack[_Blocking]) -> SyncResult: ...
@overload
def sync_order_audit(order_id: str, event: str, **kw: Unpack[_Async]) -> Awaitable[SyncResult]: ...
def sync_order_audit(order_id: str, event: str, **kw: Unpack[_Either]) -> Result:
    """`SyncEngine.order_audit` for one call."""
    ids = {"order_id": (order_id, str), "event": (event, str)}
    return _engine(kw, "sync_order_audit", ids).order_audit(
        order_id, event, on_progress=kw.get("on_progress")
    )


@overload
def reconcile(
    medusa: MedusaClient, payload: PayloadClient, **kw: Unpack[_ReconcileOptions]
) -> ReconcileReport: ...
@overload
def reconcile(
    medusa: AsyncMedusaClient, payload: AsyncPayloadClient, **kw: Unpack[_ReconcileOptions]
) -> Awaitable[ReconcileReport]: ...
def reconcile(
    medusa: MedusaClient | AsyncMedusaClient,
    payload: PayloadClient | AsyncPayloadClient,
    **kw: Unpack[_ReconcileOptions],
) -> ReconcileReport | Awaitable[ReconcileReport]:
    """`SyncEngine.reconcile` for one call: walk both sides, classify every pair, repair what
    differs (unless ``dry_run=True``). Takes ``dry_run``, ``scope``, ``page_size``,
    ``on_progress`` (as the method) and ``config``; returns a `ReconcileReport` (an awaitable
    of one with async clients).
    """
    config = kw.pop("config", DEFAULT_CONFIG)
    engine = _engine({"medusa": medusa, "payload": payload, "config": config}, "reconcile")
    return engine.reconcile(**cast("_ReconcileRun", kw))  # config popped above
