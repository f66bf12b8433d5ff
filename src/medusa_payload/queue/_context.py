"""`JobContext`: what a handler gets (the job, progress reporting), and the `Handler` type."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import time
from collections.abc import Callable
from typing import Any

from ..errors import LeaseLost
from ..observability._context import RequestContext, job_context
from ._protocol import JobData, Lease, Queue

__all__ = ["Handler", "JobContext"]

logger = logging.getLogger("medusa_payload.queue")


class JobContext:
    """What a handler gets: the job, and a way to report progress.

    Attributes:
        lease: the `Lease` the worker holds.
        job_id, name, data, attempt, max_attempts: from the lease.
        request_id: ``data["request_id"]`` when the producer set one (the webhook receiver
            does), else ``job_<id>``; every request the clients send while the job runs
            carries it as ``x-request-id``.
        traceparent: ``data["traceparent"]`` when the producer set a valid one, else ``None``.
        request_context: both, with the job id, name and attempt (what the worker binds).
    """

    __slots__ = ("_loop", "_pending", "_queue", "_request", "lease", "started_at")

    def __init__(self, lease: Lease, queue: Queue, loop: asyncio.AbstractEventLoop) -> None:
        """The context of ``lease``; progress goes to ``queue`` on ``loop`` (the worker's)."""
        self.lease = lease
        self._queue = queue
        self._loop = loop
        self._pending: list[asyncio.Future[None] | concurrent.futures.Future[None]] = []
        self.started_at = time.time()
        self._request: RequestContext | None = None  # read from the data when first asked

    @property
    def request_context(self) -> RequestContext:
        """The request id and ``traceparent`` of the job data, with the job id, name, attempt."""
        if self._request is None:
            lease = self.lease
            self._request = job_context(lease.job_id, lease.name, lease.attempt, lease.data)
        return self._request

    @property
    def job(self) -> str:
        """The job name (as `name`; the field `JobLogFilter` reads)."""
        return self.lease.name

    @property
    def request_id(self) -> str:
        """The request id of the delivery that made this job (else ``job_<id>``)."""
        return self.request_context.request_id

    @property
    def traceparent(self) -> str | None:
        """The W3C ``traceparent`` the job continues, if its producer set one."""
        return self.request_context.traceparent

    @property
    def job_id(self) -> str:
        """The job id."""
        return self.lease.job_id

    @property
    def name(self) -> str:
        """The job name."""
        return self.lease.name

    @property
    def data(self) -> JobData:
        """The job payload."""
        return self.lease.data

    @property
    def attempt(self) -> int:
        """1 for the first try."""
        return self.lease.attempt

    @property
    def max_attempts(self) -> int:
        """Tries allowed in all."""
        return self.lease.max_attempts

    def progress(self, percent: int) -> None:
        """Report progress (0-100) without waiting; callable from a sync handler's thread."""
        coro = self._report(percent)
        if _on_loop(self._loop):
            self._pending.append(self._loop.create_task(coro))
        else:
            self._pending.append(asyncio.run_coroutine_threadsafe(coro, self._loop))

    async def _flush(self) -> None:
        """Wait for the progress reports still in flight (before the job is finished)."""
        pending, self._pending = self._pending, []
        await asyncio.gather(
            *(f if isinstance(f, asyncio.Future) else asyncio.wrap_future(f) for f in pending),
            return_exceptions=True,
        )

    async def aprogress(self, percent: int) -> None:
        """Report progress and wait until the queue recorded it (async handlers)."""
        await self._report(percent)

    async def _report(self, percent: int) -> None:
        try:
            await self._queue.progress(self.lease, percent)
        except LeaseLost:
            pass
        except Exception as exc:  # progress is informative: never fail a job for it
            logger.debug("progress of job %s not recorded: %s", self.lease.job_id, exc)

    def __repr__(self) -> str:
        return f"JobContext(job_id={self.job_id!r}, name={self.name!r}, attempt={self.attempt})"


Handler = Callable[[JobContext], Any]
"""A job handler: ``def handler(ctx)`` (run in a thread) or ``async def handler(ctx)``."""


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
