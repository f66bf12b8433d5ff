"""`job_handlers`: a `medusa_payload.queue.Worker` handler for every sync job."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import _jobs
from ..medusa import AsyncMedusaClient, MedusaClient
from ..payload import AsyncPayloadClient, PayloadClient
from ._api import _Either, _engine
from ._async.engine import AsyncSyncEngine, RecordSource
from ._config import DEFAULT_CONFIG, SyncConfig
from ._job_table import JOB_ARGUMENTS
from ._sync.engine import SyncEngine

if TYPE_CHECKING:
    from ..queue import JobContext

__all__ = ["job_handlers"]

logger = logging.getLogger("medusa_payload.sync")

Handler = Callable[["JobContext"], object]


def _inventory_low(ctx: JobContext) -> dict[str, object]:
    logger.warning("inventory low: %s (request_id=%s)", dict(ctx.data), ctx.request_id)
    return {"notified": True, **dict(ctx.data)}


def job_handlers(
    medusa: MedusaClient | AsyncMedusaClient,
    payload: PayloadClient | AsyncPayloadClient,
    *,
    config: SyncConfig = DEFAULT_CONFIG,
    vendor_source: RecordSource | None = None,
    tenant_source: RecordSource | None = None,
    inventory_low: Handler | None = None,
) -> dict[str, Handler]:
    """A handler for every job of `medusa_payload._jobs`, for `medusa_payload.queue.Worker`.

    With async clients the handlers are coroutines run on the worker's loop; with blocking
    clients they are plain functions the worker runs in threads. Each runs
    `SyncEngine.run_job`, reports progress 10 -> 30 -> 50 -> 90 -> 100 and returns the
    `SyncResult` as a dict. ``inventory_low`` handles ``notify.inventory_low`` (default: log a
    warning).
    """
    kw: _Either = {"medusa": medusa, "payload": payload, "config": config}
    engine = _engine(kw, "job_handlers", vendor_source=vendor_source, tenant_source=tenant_source)
    handlers = {name: _handler(engine, name) for name in JOB_ARGUMENTS}
    return {**handlers, _jobs.INVENTORY_LOW: inventory_low or _inventory_low}


def _handler(engine: SyncEngine | AsyncSyncEngine, name: str) -> Handler:
    if isinstance(engine, AsyncSyncEngine):

        async def run_async(ctx: JobContext) -> dict[str, object]:
            result = await engine.run_job(name, ctx.data, on_progress=ctx.progress)
            return result.to_dict()

        return run_async

    def run(ctx: JobContext) -> dict[str, object]:
        return engine.run_job(name, ctx.data, on_progress=ctx.progress).to_dict()

    return run
