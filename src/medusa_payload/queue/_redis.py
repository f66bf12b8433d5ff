"""`RedisQueue`: the `Queue` protocol on Redis, through BullMQ's own Python package.

Every job is an ordinary BullMQ job: a Node BullMQ producer with the same queue name and
prefix feeds our worker, and BullMQ dashboards see our jobs. This module is the only one that
imports ``bullmq`` (the ``redis`` extra); it uses BullMQ's manual-processing calls:

| protocol | BullMQ |
|---|---|
| ``enqueue`` | ``Queue.add``: ``attempts``, ``backoff``, ``removeOn*``, ``deduplication`` + TTL |
| ``reserve`` | ``Worker.getNextJob`` / ``moveToActive`` |
| ``complete`` / ``fail`` | ``Job.moveToCompleted`` / ``moveToFailed`` (BullMQ applies backoff) |
| ``complete_and_reserve`` | ``Job.moveToCompleted`` with ``fetchNext`` (one round trip per job) |
| ``extend`` | ``extendLock`` |
| ``progress`` | ``updateProgress`` |
| ``reap_stalled`` | ``moveStalledJobsToWait`` (what ``runStalledJobsCheck`` calls) |
| ``stats`` | ``getCounts`` |

Its Redis connections belong to the event loop that first used them: use one `RedisQueue` per
loop (the `SyncQueue` facade creates its own on its loop).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from typing import Any, cast

from ..errors import ConfigurationError, LeaseLost, QueueError
from ._protocol import Enqueued, JobData, JobInfo, Lease, QueueStats, RetryPolicy

__all__ = ["RedisQueue"]

logger = logging.getLogger("medusa_payload.queue")

_STATES = {
    "waiting": "waiting",
    "wait": "waiting",
    "prioritized": "waiting",
    "waiting-children": "waiting",
    "paused": "waiting",
    "delayed": "delayed",
    "active": "active",
    "completed": "completed",
    "failed": "failed",
}


_MAX_BLOCK = 10.0
"""The longest blocking wait of BullMQ's worker (``BZPOPMIN`` on the queue's marker key, its
``maximumBlockTimeout``), in seconds; `RedisQueue.reserve` never asks for a longer one."""

_BLOCKING_READ_TIMEOUT = _MAX_BLOCK + 5.0
"""The read timeout of the worker's blocking connection: longer than its longest wait, so a
wait that ends with nothing is never taken for a dead connection, and still a bound."""


def _import_bullmq() -> Any:
    try:
        import bullmq
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ConfigurationError(
            "RedisQueue needs the redis extra: pip install 'medusa-payload[redis]'"
        ) from None
    return bullmq


def _has_hash_tag(prefix: str) -> bool:
    """Redis Cluster hashes only the text between the first ``{`` and the ``}`` after it,
    when that text is not empty."""
    start = prefix.find("{")
    end = prefix.find("}", start + 1) if start >= 0 else -1
    return end > start + 1


def _is_cluster_client(url: Any) -> bool:
    try:
        from redis.asyncio.cluster import RedisCluster
    except ImportError:  # pragma: no cover - redis comes with bullmq
        return False
    return isinstance(url, RedisCluster)


def _fit_blocking_reads(worker: Any) -> None:
    """Let the reads of a BullMQ worker's blocking connection last longer than its waits.

    redis-py 8 gives every read a 5 s timeout by default, and BullMQ's Python worker does not
    set one, while it blocks on the marker key for up to 10 s (until the next delayed job is
    due). A wait of 5 s or more that ended with nothing raised redis-py's ``TimeoutError``, and
    the client's retry policy (BullMQ's: 20 tries, backoff 2, 4 ... 20 s) sent the same wait
    again, which timed out again: nothing else wakes that wait, since due delayed jobs are
    moved to ``wait`` only by the next ``moveToActive``. The worker then took no job for
    minutes, due delayed jobs included (seen after a Redis restart: docs/queue.md).
    """
    blocking = getattr(worker.backend, "blocking_connection", None)
    client = getattr(blocking, "conn", None)
    kwargs = _pool_settings(client)
    if kwargs is None:  # pragma: no cover - bullmq always builds a pooled client from a URL
        logger.warning("cannot set the read timeout of BullMQ's blocking connection")
        return
    if _too_short(_read_timeout(client, kwargs)):
        kwargs["socket_timeout"] = _BLOCKING_READ_TIMEOUT
        connection = getattr(client, "connection", None)  # made at its first command
        if connection is not None:
            connection.socket_timeout = _BLOCKING_READ_TIMEOUT


def _warn_if_reads_too_short(client: Any) -> None:
    """Warn when a client given as ``url`` would time out reads before the worker's wait ends
    (its settings stay the user's: see `_fit_blocking_reads` for what happens then)."""
    kwargs = _pool_settings(client)
    if kwargs is None:  # pragma: no cover - a cluster client, handled by the caller
        return
    timeout = _read_timeout(client, kwargs)
    if timeout is not None and timeout <= _MAX_BLOCK:
        logger.warning(
            "the Redis client given to RedisQueue times out reads after %g s, before the "
            "worker's blocking wait for the next job may end (up to %g s): an idle worker may "
            "then take due delayed jobs minutes late; give it socket_timeout=None or over %g",
            timeout,
            _MAX_BLOCK,
            _MAX_BLOCK,
        )


def _pool_settings(client: Any) -> dict[str, Any] | None:
    kwargs = getattr(getattr(client, "connection_pool", None), "connection_kwargs", None)
    return kwargs if isinstance(kwargs, dict) else None


def _read_timeout(client: Any, kwargs: dict[str, Any]) -> float | None:
    """The read timeout of a client's connections: as set, or else the connection class'
    default (5 s in redis-py 8, none before), read off a connection that is never opened."""
    if "socket_timeout" in kwargs:
        return cast("float | None", kwargs["socket_timeout"])
    connection = client.connection_pool.make_connection()
    return cast("float | None", connection.socket_timeout)


def _too_short(timeout: float | None) -> bool:
    return timeout is not None and timeout < _BLOCKING_READ_TIMEOUT


def _lost(job_id: str, exc: Exception) -> LeaseLost | None:
    text = str(exc)
    markers = ("Missing lock", "Lock mismatch", "not in the active", "Missing key")
    if any(marker in text for marker in markers):
        return LeaseLost(job_id, text)
    return None


class RedisQueue:
    """A `Queue` on Redis (BullMQ). Survives restarts; many workers can share it.

    The worker's blocking wait for the next job lasts at most 10 s; the connections built from
    a URL read for up to 15 s. A ``redis.asyncio.Redis`` client given as ``url`` keeps its own
    settings: give it no ``socket_timeout``, or one over 10 s (redis-py 8 defaults to 5 s),
    or an idle worker may not notice a due delayed job for minutes.

    Args:
        url: the Redis URL (``REDIS_URL``), or a ``redis.asyncio.Redis`` client.
        name: the BullMQ queue name (a Node producer must use the same).
        prefix: BullMQ's key prefix (default ``bull``). For Redis Cluster use a hash tag, e.g.
            ``"{medusa-payload}"``, so all keys of the queue live in one slot.
        cluster: ``url`` names a node of a Redis Cluster: the queue then talks to the cluster
            (``redis.asyncio.RedisCluster``: it learns which node owns the queue's slot and
            follows ``MOVED``), and ``prefix`` must hold a hash tag (`ConfigurationError`
            otherwise). A ``RedisCluster`` client given as ``url`` implies it.
        policy: retries (BullMQ ``attempts`` = ``max_retries + 1``, exponential backoff from
            ``initial_delay``), retention (``removeOnComplete/Fail`` counts), the dedup window
            (``deduplication.ttl``), lock duration and ``max_stalled``.
        check_eviction: warn once when Redis' ``maxmemory-policy`` is not ``noeviction``
            (an evicting Redis can silently drop jobs).
    """

    def __init__(
        self,
        url: Any = "redis://127.0.0.1:6379/0",
        *,
        name: str = "medusa-payload",
        prefix: str = "bull",
        policy: RetryPolicy | None = None,
        check_eviction: bool = True,
        cluster: bool = False,
    ) -> None:
        self._bullmq = _import_bullmq()
        self.name = name
        self.prefix = prefix
        self.policy = policy or RetryPolicy()
        self.cluster = cluster or _is_cluster_client(url)
        if self.cluster and not _has_hash_tag(prefix):
            raise ConfigurationError(
                f"RedisQueue on Redis Cluster needs a hash tag in its prefix, e.g. "
                f"'{{{prefix}}}', so that all keys of the queue live in one slot "
                f"(got prefix {prefix!r})"
            )
        self._url = url
        self._queue = self._bullmq.Queue(name, {"connection": self._connection(), "prefix": prefix})
        self._worker: Any = None
        self._jobs: dict[tuple[str, str], Any] = {}
        self._check_eviction = check_eviction

    # ---- producing ----------------------------------------------------------------------
    async def enqueue(
        self, name: str, data: JobData, *, dedup_key: str | None = None, delay: float = 0
    ) -> Enqueued:
        """Add a BullMQ job; within the dedup window a known ``dedup_key`` adds nothing."""
        await self._eviction_check()
        job_id = uuid.uuid4().hex
        opts: dict[str, Any] = {
            "jobId": job_id,
            "attempts": self.policy.max_attempts,
            "backoff": {"type": "exponential", "delay": int(self.policy.initial_delay * 1000)},
            "removeOnComplete": {"count": self.policy.keep_completed},
            "removeOnFail": {"count": self.policy.keep_failed},
        }
        if delay > 0:
            opts["delay"] = int(delay * 1000)
        if dedup_key is not None:
            opts["deduplication"] = {"id": dedup_key, "ttl": int(self.policy.dedup_window * 1000)}
        job = await self._queue.add(name, dict(data), opts)
        return Enqueued(id=str(job.id), duplicate=str(job.id) != job_id)

    # ---- consuming ----------------------------------------------------------------------
    def _ensure_worker(self) -> Any:
        if self._worker is None:
            opts = {
                "connection": self._connection(),
                "prefix": self.prefix,
                "autorun": False,
                "lockDuration": int(self.policy.lock_duration * 1000),
                "maxStalledCount": self.policy.max_stalled,
                "drainDelay": 1,
            }
            self._worker = self._bullmq.Worker(self.name, None, opts)
            # A cluster client of our own is built with a long enough read timeout
            # (`_connection`); a client given as ``url`` keeps its own settings.
            if not self.cluster:
                if isinstance(self._url, str):
                    _fit_blocking_reads(self._worker)
                else:
                    _warn_if_reads_too_short(self._url)
        return self._worker

    async def reserve(
        self, token: str, *, timeout: float = 0.0, lock_duration: float | None = None
    ) -> Lease | None:
        """Take the next job (BullMQ ``getNextJob``), waiting up to ``timeout`` seconds."""
        worker = self._ensure_worker()
        duration = lock_duration or self.policy.lock_duration
        worker.opts["lockDuration"] = int(duration * 1000)
        while True:
            if timeout > 0:
                # Never a wait longer than the blocking connection's reads may last.
                worker.opts["drainDelay"] = min(timeout, _MAX_BLOCK)
                job = await worker.getNextJob(token)
            else:
                job = await worker.moveToActive(token)
            if not job:
                return None
            if not job.deferredFailure:
                break
            # Stalled more than max_stalled: BullMQ marked it; fail it now, as its Worker does.
            await job.moveToFailed(
                self._bullmq.UnrecoverableError(job.deferredFailure), token, fetchNext=False
            )
        return self._lease(job, token, duration)

    def _lease(self, job: Any, token: str, duration: float) -> Lease:
        self._jobs[(str(job.id), token)] = job
        return Lease(
            job_id=str(job.id),
            name=job.name,
            data=job.data if isinstance(job.data, Mapping) else {"value": job.data},
            token=token,
            attempt=int(job.attemptsMade) + 1,
            max_attempts=int(job.opts.get("attempts") or 1),
            lock_duration=duration,
            expires_at=time.time() + duration,
        )

    async def _job(self, lease: Lease) -> Any:
        job = self._jobs.get((lease.job_id, lease.token))
        if job is None:
            job = await self._bullmq.Job.fromId(self._queue, lease.job_id)
            if job is None:
                raise LeaseLost(lease.job_id, "the job no longer exists")
            job.token = lease.token
            self._jobs[(lease.job_id, lease.token)] = job
        return job

    async def extend(self, lease: Lease) -> Lease:
        """Renew the lock (BullMQ ``extendLock``); `LeaseLost` when it is not ours any more."""
        worker = self._ensure_worker()
        renewed = await worker.backend.extendLock(
            lease.job_id, lease.token, int(lease.lock_duration * 1000)
        )
        if not renewed:
            self._jobs.pop((lease.job_id, lease.token), None)
            raise LeaseLost(lease.job_id, "the lock expired or belongs to another worker")
        return Lease(
            job_id=lease.job_id,
            name=lease.name,
            data=lease.data,
            token=lease.token,
            attempt=lease.attempt,
            max_attempts=lease.max_attempts,
            lock_duration=lease.lock_duration,
            expires_at=time.time() + lease.lock_duration,
        )

    async def complete(self, lease: Lease, result: Any = None) -> None:
        """Move the job to completed (BullMQ keeps the last ``keep_completed``)."""
        job = await self._job(lease)
        try:
            await job.moveToCompleted(result, lease.token, fetchNext=False)
        except Exception as exc:
            raise _lost(lease.job_id, exc) or QueueError(str(exc)) from exc
        finally:
            self._jobs.pop((lease.job_id, lease.token), None)

    async def complete_and_reserve(
        self, lease: Lease, result: Any = None, *, lock_duration: float | None = None
    ) -> Lease | None:
        """Complete the job and take the next waiting one in the same round trip (BullMQ's
        ``moveToCompleted`` with ``fetchNext``). The next lease keeps ``lease.token``: BullMQ
        locks the next job with the token of the one it completes. ``None``: nothing waits."""
        job = await self._job(lease)
        worker = self._ensure_worker()
        duration = lock_duration or self.policy.lock_duration
        # A job re-read with Job.fromId carries the Queue's options, without a lock duration.
        fetch = job.queue is worker
        worker.opts["lockDuration"] = int(duration * 1000)
        try:
            raw = await job.moveToCompleted(result, lease.token, fetchNext=fetch)
        except Exception as exc:
            raise _lost(lease.job_id, exc) or QueueError(str(exc)) from exc
        finally:
            self._jobs.pop((lease.job_id, lease.token), None)
        if not fetch or not raw or not raw[0]:
            return None
        data, job_id, limit_until, delay_until = raw
        nxt = await worker.nextJobFromJobData(
            data, job_id, int(limit_until or 0), int(delay_until or 0), lease.token
        )
        if nxt is None:
            return None
        if nxt.deferredFailure:
            await nxt.moveToFailed(
                self._bullmq.UnrecoverableError(nxt.deferredFailure), lease.token, fetchNext=False
            )
            return None
        return self._lease(nxt, lease.token, duration)

    async def fail(self, lease: Lease, error: str, *, retryable: bool = True) -> None:
        """Record a failed try; BullMQ retries it after its backoff, or fails it for good."""
        job = await self._job(lease)
        reason: Exception = (
            Exception(error) if retryable else self._bullmq.UnrecoverableError(error)
        )
        try:
            await job.moveToFailed(reason, lease.token, fetchNext=False)
        except Exception as exc:
            raise _lost(lease.job_id, exc) or QueueError(str(exc)) from exc
        finally:
            self._jobs.pop((lease.job_id, lease.token), None)

    async def progress(self, lease: Lease, percent: int) -> None:
        """Record progress (BullMQ ``updateProgress``; dashboards show it)."""
        await self._queue.backend.updateProgress(lease.job_id, max(0, min(100, int(percent))))

    async def reap_stalled(self, *, interval: float = 5.0) -> int:
        """Put active jobs whose lock expired back to waiting (BullMQ's stalled-job check).

        BullMQ runs the check at most once per ``interval`` seconds across all workers.
        """
        worker = self._ensure_worker()
        stalled = await worker.backend.moveStalledJobsToWait(
            self.policy.max_stalled, int(interval * 1000)
        )
        return len(stalled or [])

    # ---- inspection ---------------------------------------------------------------------
    async def stats(self) -> QueueStats:
        """Counts per state (BullMQ ``getCounts``)."""
        names = ["wait", "paused", "prioritized", "active", "completed", "failed", "delayed"]
        counts = dict(zip(names, await self._queue.backend.getCounts(names), strict=True))
        return QueueStats(
            waiting=int(counts["wait"] or 0)
            + int(counts["paused"] or 0)
            + int(counts["prioritized"] or 0),
            active=int(counts["active"] or 0),
            completed=int(counts["completed"] or 0),
            failed=int(counts["failed"] or 0),
            delayed=int(counts["delayed"] or 0),
        )

    async def get_job(self, job_id: str) -> JobInfo | None:
        """What Redis still holds of a job (``None`` once removed by retention)."""
        job = await self._bullmq.Job.fromId(self._queue, job_id)
        if job is None:
            return None
        state = await self._queue.getJobState(job_id)
        return JobInfo(
            id=str(job.id),
            name=job.name,
            data=job.data if isinstance(job.data, Mapping) else {"value": job.data},
            state=_STATES.get(str(state), str(state)),
            attempts=int(job.attemptsMade or 0),
            progress=int(job.progress or 0) if isinstance(job.progress, int | float) else 0,
            result=job.returnvalue,
            error=job.failedReason or None,
        )

    async def close(self) -> None:
        """Close the Redis connections."""
        if self._worker is not None:
            await self._worker.close()
            self._worker = None
        await self._queue.close()

    # ---- helpers ------------------------------------------------------------------------
    def _connection(self) -> Any:
        """What BullMQ connects with: the URL or client as given, or for a cluster URL a
        ``RedisCluster`` client of its own (BullMQ closes it with the Queue or Worker), whose
        reads may last longer than the worker's blocking wait."""
        if not self.cluster or not isinstance(self._url, str):
            return self._url
        from redis.asyncio.cluster import RedisCluster

        return RedisCluster.from_url(
            self._url, decode_responses=True, socket_timeout=_BLOCKING_READ_TIMEOUT
        )

    async def _eviction_check(self) -> None:
        if not self._check_eviction:
            return
        self._check_eviction = False
        try:
            config = await self._queue.client.config_get("maxmemory-policy")
        except Exception as exc:  # a managed Redis may forbid CONFIG
            logger.debug("could not read maxmemory-policy: %s", exc)
            return
        policy = config.get("maxmemory-policy") if isinstance(config, Mapping) else None
        if policy and policy != "noeviction":
            logger.warning(
                "Redis maxmemory-policy is %r: Redis may evict queue keys and lose jobs; "
                "set it to 'noeviction' for a job queue",
                policy,
            )

    async def obliterate(self) -> None:
        """Delete every key of this queue (tests and tear-down; never in production)."""
        await self._queue.obliterate(force=True)

    def __repr__(self) -> str:
        return f"RedisQueue(name={self.name!r}, prefix={self.prefix!r}, policy={self.policy!r})"
