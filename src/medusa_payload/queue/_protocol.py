"""The `Queue` protocol and the small value objects every backend shares.

A queue moves jobs through these states::

    enqueue ──▶ waiting ──reserve──▶ active ──complete──▶ completed (last N kept)
       │          ▲                    │
       └─delay─▶ delayed ◀──fail(retryable, attempts left)──┤
                                       └──fail(final)──────▶ failed (last N kept)

A lease is the right to work on one active job until ``lease.expires_at``; ``extend`` renews it,
and `Queue.reap_stalled` moves jobs whose lease ran out back to waiting (another worker then
takes them). Every backend implements this protocol; the same conformance suite runs on each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import attrs

__all__ = [
    "DEFAULT_QUEUE_TIMEOUT",
    "Enqueued",
    "FetchNextQueue",
    "JobInfo",
    "Lease",
    "Queue",
    "QueueStats",
    "RetryPolicy",
]

JobData = Mapping[str, Any]

DEFAULT_QUEUE_TIMEOUT = 5.0
"""Seconds a queue has to answer before it counts as unavailable: the webhook receiver then
answers 503, ``medusa-payload queue stats`` and a starting `Worker` give up with a clear
message. (BullMQ's own Redis client would otherwise retry a lost connection for minutes.)"""


@attrs.frozen
class Enqueued:
    """The answer of `Queue.enqueue`.

    Attributes:
        id: the job id (for a duplicate: the id of the job that was already there).
        duplicate: ``True`` when ``dedup_key`` matched a job inside the dedup window, in which
            case nothing new was enqueued.
    """

    id: str
    duplicate: bool = False


@attrs.frozen
class Lease:
    """An active job reserved by one worker.

    Attributes:
        job_id: the job id.
        name: the job name (which handler runs it).
        data: the job payload (JSON-serialisable mapping).
        token: the worker token that holds the lease; a call with another token is rejected.
        attempt: 1 for the first try, 2 for the first retry, ...
        max_attempts: tries allowed in all (``RetryPolicy.max_retries + 1``).
        lock_duration: seconds the lease lasts after each reserve/extend.
        expires_at: when the lease runs out (the queue clock's epoch seconds).
    """

    job_id: str
    name: str
    data: JobData
    token: str
    attempt: int
    max_attempts: int
    lock_duration: float
    expires_at: float


@attrs.frozen
class JobInfo:
    """What a queue still knows about one job (within retention).

    Attributes:
        id: the job id.
        name: the job name.
        data: the job payload.
        state: ``waiting``, ``delayed``, ``active``, ``completed`` or ``failed``.
        attempts: tries started so far.
        progress: last reported progress (0-100).
        result: what the handler returned (completed jobs).
        error: the last error message (failed or retried jobs).
    """

    id: str
    name: str
    data: JobData
    state: str
    attempts: int = 0
    progress: int = 0
    result: Any = None
    error: str | None = None


@attrs.frozen
class QueueStats:
    """Job counts per state, as served by ``GET /queue/stats``."""

    waiting: int = 0
    active: int = 0
    completed: int = 0
    failed: int = 0
    delayed: int = 0

    @property
    def total(self) -> int:
        """All jobs the queue still holds, in every state."""
        return self.waiting + self.active + self.completed + self.failed + self.delayed

    def as_dict(self) -> dict[str, int]:
        """The counts with ``total``, as a JSON-ready dict."""
        return {
            "waiting": self.waiting,
            "active": self.active,
            "completed": self.completed,
            "failed": self.failed,
            "delayed": self.delayed,
            "total": self.total,
        }


@attrs.frozen
class RetryPolicy:
    """Retries, retention and dedup of a queue. The defaults are those of the system we replace.

    Attributes:
        max_retries: retries after the first try (BullMQ's ``attempts`` is this + 1).
        initial_delay: seconds before the first retry; each next one doubles (2 s, 4 s, 8 s).
        keep_completed: how many completed jobs are kept for inspection.
        keep_failed: how many failed jobs are kept.
        dedup_window: seconds a ``dedup_key`` keeps answering ``duplicate=True`` after the job
            was enqueued, even after the job itself completed or was trimmed.
        lock_duration: seconds a lease lasts before it must be extended.
        max_stalled: how often a job may lose its lease (its worker died) and be put back;
            one more stall fails it ("stalled too often"), so a job that kills its worker
            cannot loop forever. BullMQ's ``maxStalledCount`` (its default is 1).
    """

    max_retries: int = attrs.field(default=3, validator=attrs.validators.ge(0))
    initial_delay: float = attrs.field(default=2.0, validator=attrs.validators.ge(0))
    keep_completed: int = attrs.field(default=100, validator=attrs.validators.ge(0))
    keep_failed: int = attrs.field(default=200, validator=attrs.validators.ge(0))
    dedup_window: float = attrs.field(default=300.0, validator=attrs.validators.ge(0))
    lock_duration: float = attrs.field(default=30.0, validator=attrs.validators.gt(0))
    max_stalled: int = attrs.field(default=2, validator=attrs.validators.ge(0))

    @property
    def max_attempts(self) -> int:
        """Tries in all, the first included."""
        return self.max_retries + 1

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before try number ``attempt`` (2 = first retry)."""
        if attempt <= 1:
            return 0.0
        return float(self.initial_delay * 2 ** (attempt - 2))


@runtime_checkable
class Queue(Protocol):
    """What the `Worker` and the `WebhookReceiver` need from a job queue (all async)."""

    async def enqueue(
        self, name: str, data: JobData, *, dedup_key: str | None = None, delay: float = 0
    ) -> Enqueued:
        """Add a job; with ``dedup_key``, a second job inside the dedup window is not added."""
        ...

    async def reserve(
        self, token: str, *, timeout: float = 0.0, lock_duration: float | None = None
    ) -> Lease | None:
        """Take the next waiting job for ``token``; ``None`` when none came within ``timeout``
        seconds (0: do not wait). ``lock_duration`` overrides the policy's for this lease."""
        ...

    async def extend(self, lease: Lease) -> Lease:
        """Renew the lease; raises `LeaseLost` when the job is no longer ours."""
        ...

    async def complete(self, lease: Lease, result: Any = None) -> None:
        """Mark the job done; raises `LeaseLost` when the lease ran out and another took it."""
        ...

    async def fail(self, lease: Lease, error: str, *, retryable: bool = True) -> None:
        """Record a failed try: retried after the policy's delay, or failed for good."""
        ...

    async def progress(self, lease: Lease, percent: int) -> None:
        """Record progress (0-100) of an active job."""
        ...

    async def stats(self) -> QueueStats:
        """Counts per state."""
        ...

    async def get_job(self, job_id: str) -> JobInfo | None:
        """What the queue knows about a job, or ``None`` once retention dropped it."""
        ...

    async def reap_stalled(self, *, interval: float = 5.0) -> int:
        """Move jobs whose lease ran out back to waiting; returns how many.

        ``interval`` is the shortest time between two checks: a backend shared by several
        workers (Redis) skips a check that another worker ran less than ``interval`` seconds
        ago; a single-process backend (memory) checks on every call.
        """
        ...

    async def close(self) -> None:
        """Release connections; the queue is unusable afterwards."""
        ...


@runtime_checkable
class FetchNextQueue(Queue, Protocol):
    """A `Queue` that can complete a job and hand out the next in one step (both built-in
    queues); the `Worker` then needs one round trip per job instead of two."""

    async def complete_and_reserve(
        self, lease: Lease, result: Any = None, *, lock_duration: float | None = None
    ) -> Lease | None:
        """`complete` the job, then take the next waiting one under the same ``lease.token``
        (``None`` when none waits). Raises like `complete`; then nothing was taken."""
        ...
