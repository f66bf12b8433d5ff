"""`AsyncWatcher`: catch what Medusa changes without announcing it, by polling.

Medusa emits no event when an inventory level changes (medusa #11691), none for a variants
batch (#14055), and ``product.updated`` sometimes not at all (#9783). The watcher polls by
``updated_at`` watermark and enqueues the jobs the webhooks would have started. The sync
`Watcher` is generated from this file by ``scripts/gen_sync.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..._core._concurrency import async_sleep
from ...medusa import AsyncMedusaClient
from .._watch_plan import (
    WatchJob,
    WatchReport,
    before,
    low_stock_job,
    product_job,
    stamp,
    variant_job,
)
from .._watch_queue import AsyncEnqueuer
from .._watch_state import MemoryWatchState, StreamMark, WatchState, WatchStateStore

__all__ = ["AsyncWatcher"]

#: Records per request while walking changes.
DEFAULT_PAGE_SIZE = 200


class AsyncWatcher:
    """Poll Medusa for changes since the last poll and enqueue the matching sync jobs.

    Streams: products and variants (read by ``updated_at[$gt]`` of the watermark, oldest
    first, a page at a time) and inventory levels (every item's levels are read each poll,
    since Medusa cannot filter levels by time: one request per ``page_size`` items). Each
    change is enqueued with a dedup key made of the record and its ``updated_at``, and the
    state (`WatchStateStore`) records it, so a change is enqueued once even across restarts.
    The state is saved after the jobs are enqueued: a crash in between re-enqueues the same
    keys, which the queue drops as duplicates inside its dedup window.

    Args:
        medusa: an admin-capable `AsyncMedusaClient`.
        queue: any `Queue`.
        state: where the watermarks live (default: in memory; `FileWatchState` survives
            restarts).
        inventory_threshold: enqueue ``notify.inventory_low`` for a level whose
            ``available_quantity`` changed to below this (``None``: levels are not read).
        page_size: records per request.
    """

    def __init__(
        self,
        medusa: AsyncMedusaClient,
        queue: AsyncEnqueuer,
        *,
        state: WatchStateStore | None = None,
        inventory_threshold: float | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.medusa = medusa
        self.queue = queue
        self.store = state if state is not None else MemoryWatchState()
        self.inventory_threshold = inventory_threshold
        self.page_size = page_size

    async def poll(self) -> WatchReport:
        """One pass over every stream; returns what it saw and enqueued."""
        state = self.store.load()
        report = WatchReport(baseline=not state.streams)
        state = await self._products(state, report)
        state = await self._variants(state, report)
        if self.inventory_threshold is not None:
            state = await self._levels(state, report)
        self.store.save(state)
        return report

    async def run(
        self,
        *,
        every: float,
        once: bool = False,
        on_poll: Callable[[WatchReport], object] | None = None,
        polls: int | None = None,
    ) -> None:
        """Poll every ``every`` seconds until cancelled (``once``: a single poll).

        A change is enqueued within one interval plus one poll's duration. ``polls`` stops
        after that many polls (for tests and batch runs).

        Raises:
            ValueError: ``every`` is not positive.
        """
        if every <= 0:
            raise ValueError("every must be a positive number of seconds")
        done = 0
        while True:
            report = await self.poll()
            done += 1
            if on_poll is not None:
                on_poll(report)
            if once or (polls is not None and done >= polls):
                return
            await async_sleep(every)

    # ---- streams ----------------------------------------------------------------------
    async def _products(self, state: WatchState, report: WatchReport) -> WatchState:
        mark = state.get("products")
        while True:
            page = await self.medusa.admin.products.list(
                updated_after=before(mark.mark) if mark.mark else None,
                fields="id,updated_at",
                order="updated_at",
                limit=self.page_size,
            )
            fresh = [(p.id, stamp(p.updated_at)) for p in page.items]
            mark, progressed = await self._handle(
                mark, fresh, report, lambda rid, at: product_job(rid, at)
            )
            report.products += progressed
            if len(page.items) < self.page_size or not progressed:
                return state.with_mark("products", mark)

    async def _variants(self, state: WatchState, report: WatchReport) -> WatchState:
        mark = state.get("variants")
        products: dict[str, str] = {}
        while True:
            page = await self.medusa.admin.products.list_variants(
                updated_after=before(mark.mark) if mark.mark else None,
                fields="id,product_id,updated_at",
                order="updated_at",
                limit=self.page_size,
            )
            products.update({v.id: v.product_id or "" for v in page.items})
            fresh = [(v.id, stamp(v.updated_at)) for v in page.items]
            mark, progressed = await self._handle(
                mark, fresh, report, lambda rid, at: variant_job(rid, products[rid], at)
            )
            report.variants += progressed
            if len(page.items) < self.page_size or not progressed:
                return state.with_mark("variants", mark)

    async def _levels(self, state: WatchState, report: WatchReport) -> WatchState:
        mark = state.get("levels")
        threshold = self.inventory_threshold
        changed: list[tuple[str, str]] = []
        low: dict[str, tuple[str, str]] = {}
        page = await self.medusa.admin.inventory_items.list(
            fields="id,*location_levels", limit=self.page_size
        )
        async for item in page:
            for level in item.location_levels or []:
                at = stamp(level.updated_at)
                if at is None or not mark.is_new(level.id, at):
                    continue
                changed.append((level.id, at))
                available = level.available_quantity
                if threshold is not None and available is not None and available < threshold:
                    low[level.id] = (item.id, level.location_id or "")
        changed.sort(key=lambda c: c[1])

        def job(level_id: str, at: str) -> WatchJob | None:
            hit = low.get(level_id)
            return None if hit is None else low_stock_job(level_id, hit[0], hit[1], at)

        mark, seen = await self._handle(mark, changed, report, job)
        report.levels += seen
        return state.with_mark("levels", mark)

    async def _handle(
        self,
        mark: StreamMark,
        changes: list[tuple[str, str | None]] | list[tuple[str, str]],
        report: WatchReport,
        job_of: Callable[[str, str], WatchJob | None],
    ) -> tuple[StreamMark, int]:
        """Enqueue the job of each new change (none on a baseline poll); the advanced mark
        and how many changes were new."""
        new = 0
        for record_id, at in changes:
            if at is None or not mark.is_new(record_id, at):
                continue
            new += 1
            job = None if report.baseline else job_of(record_id, at)
            if job is not None:
                result = await self.queue.enqueue(job.name, job.data, dedup_key=job.dedup_key)
                report.jobs.append(job)
                if result.duplicate:
                    report.duplicates += 1
                else:
                    report.enqueued += 1
            mark = mark.advance(record_id, at)
        return mark, new
