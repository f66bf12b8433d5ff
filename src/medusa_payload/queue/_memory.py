"""`InMemoryQueue`: the embedded default backend. Thread- and task-safe; injectable clock."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import LeaseLost
from ._protocol import Enqueued, JobData, JobInfo, Lease, QueueStats, RetryPolicy

__all__ = ["InMemoryQueue"]


@attrs.define
class _Job:
    id: str
    name: str
    data: JobData
    state: str = "waiting"
    attempts: int = 0
    stalls: int = 0
    token: str | None = None
    lock_expires: float = 0.0
    progress: int = 0
    result: Any = None
    error: str | None = None

    def info(self) -> JobInfo:
        return JobInfo(
            id=self.id,
            name=self.name,
            data=self.data,
            state=self.state,
            attempts=self.attempts,
            progress=self.progress,
            result=self.result,
            error=self.error,
        )


class InMemoryQueue:
    """A `Queue` in process memory: the default when no Redis is configured.

    Same semantics as `RedisQueue` (the same conformance suite runs on both): FIFO, delayed
    jobs, retries with the policy's exponential delays, retention of the last N completed and
    failed jobs, dedup keys answering ``duplicate=True`` for ``dedup_window`` seconds, leases
    that expire and are reaped. Jobs live as long as the process: use `RedisQueue` when they
    must survive a restart. Memory stays bounded: finished jobs beyond retention are dropped,
    and dedup keys are forgotten once their window has passed (checked on every enqueue).

    Args:
        policy: retries, retention, dedup window, lock duration.
        clock: seconds since the epoch (inject a fake one so backoff tests take no real time).
    """

    def __init__(
        self, *, policy: RetryPolicy | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._clock = clock
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._jobs: dict[str, _Job] = {}
        self._waiting: deque[str] = deque()
        self._delayed: list[tuple[float, int, str]] = []
        self._active: dict[str, _Job] = {}
        self._completed: deque[str] = deque()
        self._failed: deque[str] = deque()
        self._dedup: dict[str, tuple[str, float]] = {}
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []
        self._closed = False

    # ---- producing ----------------------------------------------------------------------
    async def enqueue(
        self, name: str, data: JobData, *, dedup_key: str | None = None, delay: float = 0
    ) -> Enqueued:
        """Add a job (see `Queue.enqueue`)."""
        return self.enqueue_nowait(name, data, dedup_key=dedup_key, delay=delay)

    def enqueue_nowait(
        self, name: str, data: JobData, *, dedup_key: str | None = None, delay: float = 0
    ) -> Enqueued:
        """`enqueue` without an event loop (the in-memory queue never waits)."""
        now = self._clock()
        with self._lock:
            self._check_open()
            self._forget_expired_dedup(now)
            if dedup_key is not None:
                seen = self._dedup.get(dedup_key)
                if seen is not None and seen[1] > now:
                    return Enqueued(id=seen[0], duplicate=True)
            job = _Job(id=str(next(self._ids)), name=name, data=dict(data))
            self._jobs[job.id] = job
            if dedup_key is not None:
                self._dedup.pop(dedup_key, None)  # re-inserted last: the dict stays in expiry order
                self._dedup[dedup_key] = (job.id, now + self.policy.dedup_window)
            if delay > 0:
                job.state = "delayed"
                heapq.heappush(self._delayed, (now + delay, int(job.id), job.id))
            else:
                self._waiting.append(job.id)
            waiters, self._waiters = self._waiters, []
        _wake(waiters)
        return Enqueued(id=job.id, duplicate=False)

    # ---- consuming ----------------------------------------------------------------------
    async def reserve(
        self, token: str, *, timeout: float = 0.0, lock_duration: float | None = None
    ) -> Lease | None:
        """Take the next job for ``token``, waiting up to ``timeout`` seconds for one."""
        lease = self._try_reserve(token, lock_duration)
        if lease is not None or timeout <= 0:
            return lease
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        while lease is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            future: asyncio.Future[None] = loop.create_future()
            with self._lock:
                # Registered under the lock that enqueue takes, so no wake-up is missed.
                if not self._waiting:
                    self._waiters.append((loop, future))
                else:
                    future.set_result(None)
                due = self._delayed[0][0] - self._clock() if self._delayed else remaining
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(future, timeout=max(0.0, min(remaining, due)))
            lease = self._try_reserve(token, lock_duration)
        return lease

    def _try_reserve(self, token: str, lock_duration: float | None) -> Lease | None:
        now = self._clock()
        duration = lock_duration or self.policy.lock_duration
        with self._lock:
            self._check_open()
            self._promote_due(now)
            if not self._waiting:
                return None
            job = self._jobs[self._waiting.popleft()]
            job.state, job.token, job.lock_expires = "active", token, now + duration
            job.attempts += 1
            self._active[job.id] = job
            return self._lease(job, duration)

    def _lease(self, job: _Job, duration: float) -> Lease:
        return Lease(
            job_id=job.id,
            name=job.name,
            data=job.data,
            token=job.token or "",
            attempt=job.attempts,
            max_attempts=self.policy.max_attempts,
            lock_duration=duration,
            expires_at=job.lock_expires,
        )

    def _held(self, lease: Lease) -> _Job:
        job = self._active.get(lease.job_id)
        if job is None or job.token != lease.token:
            raise LeaseLost(lease.job_id, "the job is no longer active under this token")
        return job

    async def extend(self, lease: Lease) -> Lease:
        """Renew the lease for another ``lease.lock_duration`` seconds."""
        with self._lock:
            job = self._held(lease)
            job.lock_expires = self._clock() + lease.lock_duration
            return self._lease(job, lease.lock_duration)

    async def complete(self, lease: Lease, result: Any = None) -> None:
        """Mark the job completed (kept among the last ``keep_completed``)."""
        with self._lock:
            job = self._held(lease)
            del self._active[job.id]
            job.state, job.token, job.result = "completed", None, result
            self._retain(self._completed, job.id, self.policy.keep_completed)

    async def complete_and_reserve(
        self, lease: Lease, result: Any = None, *, lock_duration: float | None = None
    ) -> Lease | None:
        """`complete`, then take the next waiting job under the same token (``None``: none)."""
        await self.complete(lease, result)
        return self._try_reserve(lease.token, lock_duration)

    async def fail(self, lease: Lease, error: str, *, retryable: bool = True) -> None:
        """Record a failed try: delayed for a retry, or failed for good."""
        now = self._clock()
        with self._lock:
            job = self._held(lease)
            del self._active[job.id]
            job.token, job.error = None, error
            if retryable and job.attempts < self.policy.max_attempts:
                job.state = "delayed"
                due = now + self.policy.delay_before(job.attempts + 1)
                heapq.heappush(self._delayed, (due, int(job.id), job.id))
            else:
                job.state = "failed"
                self._retain(self._failed, job.id, self.policy.keep_failed)

    async def progress(self, lease: Lease, percent: int) -> None:
        """Record progress (0-100)."""
        with self._lock:
            self._held(lease).progress = max(0, min(100, int(percent)))

    async def reap_stalled(self, *, interval: float = 5.0) -> int:
        """Put jobs whose lease ran out back to waiting (or fail them after ``max_stalled``).

        One process holds the queue, so every call checks; ``interval`` (see
        `Queue.reap_stalled`) has nothing to coordinate here.
        """
        now = self._clock()
        moved = 0
        with self._lock:
            for job in [j for j in self._active.values() if j.lock_expires <= now]:
                del self._active[job.id]
                job.token = None
                job.stalls += 1
                if job.stalls > self.policy.max_stalled:
                    job.state, job.error = "failed", "job stalled more than allowable limit"
                    self._retain(self._failed, job.id, self.policy.keep_failed)
                else:
                    job.state = "waiting"
                    self._waiting.appendleft(job.id)
                    moved += 1
            waiters, self._waiters = (self._waiters, []) if moved else ([], self._waiters)
        _wake(waiters)
        return moved

    # ---- inspection ---------------------------------------------------------------------
    async def stats(self) -> QueueStats:
        """Counts per state."""
        return self.stats_nowait()

    def stats_nowait(self) -> QueueStats:
        """`stats` without an event loop."""
        with self._lock:
            self._promote_due(self._clock())
            return QueueStats(
                waiting=len(self._waiting),
                active=len(self._active),
                completed=len(self._completed),
                failed=len(self._failed),
                delayed=len(self._delayed),
            )

    async def get_job(self, job_id: str) -> JobInfo | None:
        """What the queue still knows about a job."""
        with self._lock:
            job = self._jobs.get(job_id)
            return job.info() if job is not None else None

    async def close(self) -> None:
        """Refuse further use (jobs in memory are dropped with the object)."""
        with self._lock:
            self._closed = True
            waiters, self._waiters = self._waiters, []
        _wake(waiters)

    # ---- internals (hold self._lock) ----------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("the queue is closed")

    def _forget_expired_dedup(self, now: float) -> None:
        # Keys are inserted with one window, so the oldest expire first: drop from the front.
        while self._dedup:
            key, (_, expires) = next(iter(self._dedup.items()))
            if expires > now:
                return
            del self._dedup[key]

    def _promote_due(self, now: float) -> None:
        while self._delayed and self._delayed[0][0] <= now:
            _, _, job_id = heapq.heappop(self._delayed)
            job = self._jobs.get(job_id)
            if job is not None and job.state == "delayed":
                job.state = "waiting"
                self._waiting.append(job_id)

    def _retain(self, finished: deque[str], job_id: str, keep: int) -> None:
        finished.append(job_id)
        while len(finished) > keep:
            self._jobs.pop(finished.popleft(), None)

    def __repr__(self) -> str:
        return f"InMemoryQueue(jobs={len(self._jobs)}, policy={self.policy!r})"


def _wake(waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]) -> None:
    for loop, future in waiters:
        if not loop.is_closed():
            loop.call_soon_threadsafe(_resolve, future)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
