"""`Worker`: runs job handlers for any `Queue`, with leases, retries and a graceful stop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import functools
import inspect
import logging
import signal
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs

from ..errors import (
    BadRequestError,
    LeaseLost,
    QueueError,
    UnprocessableEntityError,
    Unrecoverable,
)
from ..observability import _instruments, _spans
from ..observability._context import enter, leave
from ._context import Handler, JobContext
from ._protocol import DEFAULT_QUEUE_TIMEOUT, FetchNextQueue, JobData, Lease, Queue
from ._results import recordable_result

__all__ = ["DEFAULT_UNRECOVERABLE", "JobOutcome", "Worker", "WorkerStats"]

logger = logging.getLogger("medusa_payload.queue")

DEFAULT_UNRECOVERABLE: tuple[type[BaseException], ...] = (
    Unrecoverable,
    BadRequestError,
    UnprocessableEntityError,
)
"""Exceptions that fail a job at once: retrying cannot fix bad input (4xx validation)."""


@attrs.frozen
class JobOutcome:
    """How one attempt of a job ended (what `Worker`'s ``on_job_done`` receives).

    Attributes:
        job_id / name / data / attempt / request_id: the job.
        status: ``completed``, ``retrying``, ``failed`` or ``lost`` (the lease was lost, or the
            backend could not record the end: the job will run again).
        started_at / finished_at: Unix times.
        result: what the handler returned (completed jobs).
        error: the error message (other statuses).
    """

    job_id: str
    name: str
    data: JobData
    attempt: int
    request_id: str
    status: str
    started_at: float
    finished_at: float
    result: Any = None
    error: str | None = None

    @property
    def duration_ms(self) -> float:
        """How long the attempt took."""
        return (self.finished_at - self.started_at) * 1000


@attrs.define
class WorkerStats:
    """What a worker did since it started.

    ``lost``: tries whose end could not be recorded (lease lost, backend failure): those jobs
    run again. ``abandoned``: jobs still running when the worker had to return (``stop_timeout``
    or the ``run_until_idle`` timeout): left active, another worker takes them once their
    lease runs out.
    """

    processed: int = 0
    completed: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0
    timed_out: int = 0
    abandoned: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts as a dict."""
        return attrs.asdict(self)


class Worker:
    """Runs handlers for the jobs of a `Queue` (in-memory or Redis alike).

    ```python
    worker = Worker(queue, {"sync.product_to_payload": handle_product}, concurrency=8)
    await worker.run()            # until stop() or SIGTERM; in-flight jobs finish first
    ```

    With a `FetchNextQueue` (both built-in queues), a slot that completes a job takes the next
    one in the same step (one Redis round trip per job, not two) and goes on with it.

    Every wait has a bound:

    - **start**: `run` and `run_until_idle` first ask the queue for its counts; no answer within
      ``start_timeout`` seconds (Redis down) raises `QueueError` ("queue unavailable").
    - **stop**: after `stop` (or SIGTERM), jobs in flight get ``stop_timeout`` seconds to finish
      and be recorded; then `run` returns anyway. A job still running then is *abandoned*: it
      stays active in the queue, its lease runs out, and the stalled-job check gives it to
      another worker (counted in ``stats.abandoned``, logged with its id). So `run` returns
      within about ``stop_timeout`` seconds of `stop`, even while Redis is down.
    - **run_until_idle(timeout=...)** returns or raises within ``timeout`` seconds, hung
      handlers included (they are abandoned the same way).
    - **a handler**: ``handler_timeout`` fails the try (it is retried). A sync handler's thread
      cannot be interrupted: it runs on, detached, while the worker goes on and can stop.

    Args:
        queue: any `Queue`.
        handlers: job name -> handler (sync handlers run in threads, so a blocking handler
            never stalls the loop). A job whose name has no handler fails at once.
        concurrency: jobs handled at the same time.
        lock_duration: seconds a lease lasts (default: the queue's policy); leases are renewed
            at half of it for as long as the handler runs.
        stalled_interval: how often the worker asks the queue to put back jobs whose lease
            ran out (their worker died); another worker then takes them.
        poll_interval: seconds one ``reserve`` waits for a job before looking again.
        handler_timeout: seconds a handler may run; then the try fails and is retried.
        unrecoverable: exception classes that fail a job at once, without retries.
        executor: the thread pool of sync handlers (default: one of ``concurrency`` threads).
        on_job_done: called with a `JobOutcome` after every attempt (sync or async; its errors
            are logged, never raised), e.g. to write audit records.
        start_timeout: seconds the queue has to answer when the worker starts (default 5;
            ``None``: no check).
        stop_timeout: seconds jobs in flight get to finish after `stop` (default 10).
    """

    def __init__(
        self,
        queue: Queue,
        handlers: Mapping[str, Handler],
        *,
        concurrency: int = 4,
        lock_duration: float | None = None,
        stalled_interval: float = 30.0,
        poll_interval: float = 1.0,
        handler_timeout: float | None = None,
        unrecoverable: tuple[type[BaseException], ...] = DEFAULT_UNRECOVERABLE,
        executor: concurrent.futures.Executor | None = None,
        on_job_done: Callable[[JobOutcome], Any] | None = None,
        start_timeout: float | None = DEFAULT_QUEUE_TIMEOUT,
        stop_timeout: float = 10.0,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        if stop_timeout < 0:
            raise ValueError("stop_timeout must be >= 0")
        self.queue = queue
        # Checked once: a runtime Protocol check costs ~8 us, a sixth of an in-memory job.
        self._fetch_next: FetchNextQueue | None = (
            queue if isinstance(queue, FetchNextQueue) else None
        )
        self.handlers = dict(handlers)
        self.concurrency = concurrency
        self.lock_duration = lock_duration
        self.stalled_interval = stalled_interval
        self.poll_interval = poll_interval
        self.handler_timeout = handler_timeout
        self.unrecoverable = unrecoverable
        self.on_job_done = on_job_done
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.stats = WorkerStats()
        self.id = uuid.uuid4().hex[:12]
        self._is_async = {n: _is_async(h) for n, h in self.handlers.items()}
        self._executor = executor
        self._own_executor = executor is None
        self._tokens = 0
        # Keyed by lease token (one per try): BullMQ keeps a job's id across its retries.
        self._leases: dict[str, Lease] = {}
        self._lost: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._slot_free = asyncio.Event()
        self._reserve_failures = 0
        self._stopping = asyncio.Event()
        self._taker: asyncio.Task[None] | None = None
        self._queue_name = _instruments.queue_label(queue)

    # ---- public -------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop taking jobs; `run` returns once the jobs in flight are done, or after
        ``stop_timeout`` seconds (unfinished jobs are left for another worker)."""
        self._stopping.set()
        self._slot_free.set()
        if self._taker is not None and not self._taker.done():
            self._taker.cancel()  # it may be waiting in reserve() on a backend that is down

    async def run(self, *, handle_signals: bool = True) -> WorkerStats:
        """Handle jobs until `stop` (or SIGTERM/SIGINT when ``handle_signals``).

        Raises:
            QueueError: the queue did not answer within ``start_timeout`` at the start.
        """
        loop = asyncio.get_running_loop()
        installed = []
        if handle_signals and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(sig, self._on_signal, sig)
                    installed.append(sig)
        try:
            return await self._run(until_idle=False, timeout=None)
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)

    async def run_until_idle(self, *, timeout: float | None = None) -> WorkerStats:
        """Handle jobs until nothing is waiting, delayed or active (tests, demos, batch runs).

        Raises:
            TimeoutError: still busy after ``timeout`` seconds (raised within that bound; jobs
                still running are abandoned: left active for another worker).
            QueueError: the queue did not answer within ``start_timeout`` at the start.
        """
        return await self._run(until_idle=True, timeout=timeout)

    # ---- the loop -----------------------------------------------------------------------
    async def _run(self, *, until_idle: bool, timeout: float | None) -> WorkerStats:
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        self._stopping = asyncio.Event()
        self._slot_free = asyncio.Event()
        await self._check_queue(timeout)
        if self._own_executor:
            self._executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=self.concurrency, thread_name_prefix=f"worker-{self.id}"
            )
        background = [
            asyncio.create_task(self._renew_forever()),
            asyncio.create_task(self._reap_forever()),
        ]
        self._taker = asyncio.create_task(self._take_jobs(until_idle))
        grace = self.stop_timeout
        try:
            done, _ = await asyncio.wait({self._taker}, timeout=_left(deadline, loop))
            if not done:
                grace = 0.0
                raise TimeoutError(f"worker still busy after {timeout} s")
            self._taker.result()
            if deadline is not None:
                grace = min(grace, _left(deadline, loop) or 0.0)
        except BaseException:
            grace = 0.0
            raise
        finally:
            self._stopping.set()
            taker, self._taker = self._taker, None
            taker.cancel()
            await self._settle(grace)
            for task in background:
                task.cancel()
            await asyncio.gather(taker, *background, return_exceptions=True)
            if self._own_executor and self._executor is not None:
                # Never wait on the loop thread: a timed-out sync handler may still be running.
                self._executor.shutdown(wait=False, cancel_futures=True)
        return self.stats

    async def _check_queue(self, timeout: float | None) -> None:
        bound = self.start_timeout
        if bound is None:
            return
        if timeout is not None:
            bound = min(bound, timeout)
        try:
            await asyncio.wait_for(self.queue.stats(), bound)
        except Exception as exc:
            timed_out = isinstance(exc, asyncio.TimeoutError)  # not TimeoutError before 3.11
            reason = f"no answer within {bound} s" if timed_out else exc
            raise QueueError(f"queue unavailable: {reason}") from exc

    async def _settle(self, grace: float) -> None:
        """Give the jobs in flight ``grace`` seconds, then abandon those still running."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        if not pending:
            return
        ids = sorted(lease.job_id for lease in self._leases.values())
        self.stats.abandoned += len(pending)
        logger.warning(
            "worker %s: %d job(s) still running after %.1f s, left for another worker once "
            "their lease runs out: %s",
            self.id,
            len(pending),
            grace,
            ", ".join(ids),
        )
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _take_jobs(self, until_idle: bool) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await self._take(until_idle)

    async def _take(self, until_idle: bool) -> None:
        while not self._stopping.is_set():
            if len(self._tasks) >= self.concurrency:
                await self._wait_for_a_slot()
                continue
            try:
                lease = await self.queue.reserve(
                    self._next_token(),
                    timeout=0.0 if until_idle else self.poll_interval,
                    lock_duration=self.lock_duration,
                )
            except Exception as exc:  # the backend is down: wait and try again, never die
                self._reserve_failures += 1
                delay = min(5.0, 0.1 * 2 ** min(self._reserve_failures, 6))
                logger.warning(
                    "worker %s: reserve failed (%s); retrying in %.1f s", self.id, exc, delay
                )
                await asyncio.sleep(delay)
                continue
            self._reserve_failures = 0
            if lease is not None:
                task = asyncio.create_task(self._process(lease))
                self._tasks.add(task)
                task.add_done_callback(self._task_done)
                continue
            if not until_idle:
                continue
            if self._tasks:
                await self._wait_for_a_slot()
                continue
            stats = await self.queue.stats()
            if stats.waiting == 0 and stats.delayed == 0 and stats.active == 0:
                return
            await asyncio.sleep(min(self.poll_interval, 0.05))

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slot_free.set()

    async def _wait_for_a_slot(self) -> None:
        # One event set by every finishing task: cheaper than asyncio.wait(FIRST_COMPLETED)
        # over all tasks on each refill (measured in benchmarks/queue_inmemory.py).
        self._slot_free.clear()
        if self._tasks:
            await self._slot_free.wait()

    def _next_token(self) -> str:
        self._tokens += 1
        return f"{self.id}:{self._tokens}"

    def _on_signal(self, sig: signal.Signals) -> None:
        logger.info(
            "worker %s: %s received, finishing %d job(s)", self.id, sig.name, len(self._tasks)
        )
        self.stop()

    # ---- one job ------------------------------------------------------------------------
    async def _process(self, first: Lease) -> None:
        # A queue that completes and hands out the next job in one step keeps this slot busy
        # with the next job: one round trip per job instead of two (complete, then reserve).
        lease: Lease | None = first
        while lease is not None:
            lease = await self._process_one(lease)

    async def _process_one(self, lease: Lease) -> Lease | None:
        """Handle one try; returns the next lease when the queue handed one out with the end."""
        self._leases[lease.token] = lease
        self.stats.processed += 1
        loop = asyncio.get_running_loop()
        context = JobContext(lease, self.queue, loop)
        # Every request, log record and audit record of this try carries the job's request id.
        token = enter(context)  # the context itself: its fields are read only when logged
        try:
            spans = _spans.ACTIVE
            if type(spans) is _spans.Spans:  # tracing off: not even a null context
                return await self._run_handler(lease, context, loop)
            traceparent = context.traceparent
            with spans.job_span(lease.name, lease.job_id, lease.attempt, traceparent):
                return await self._run_handler(lease, context, loop)
        finally:
            leave(token)

    async def _run_handler(
        self, lease: Lease, context: JobContext, loop: asyncio.AbstractEventLoop
    ) -> Lease | None:
        nxt: Lease | None = None
        handler = self.handlers.get(lease.name)
        try:
            if handler is None:
                raise Unrecoverable(f"no handler for job {lease.name!r}")
            if self._is_async[lease.name]:
                call: Awaitable[Any] = handler(context)
            else:
                # run_in_executor drops contextvars: carry the bound request context along
                run = functools.partial(contextvars.copy_context().run, handler, context)
                call = loop.run_in_executor(self._executor, run)
            if self.handler_timeout is None:
                value = await call
            else:
                value = await asyncio.wait_for(call, self.handler_timeout)
            result, unrecordable = recordable_result(value)
            if unrecordable is not None:
                logger.warning(
                    "job %s (%s) completed, but its result cannot be recorded (%s); a note "
                    "is recorded instead (request_id=%s)",
                    lease.job_id,
                    lease.name,
                    unrecordable,
                    context.request_id,
                )
        except asyncio.TimeoutError:
            self.stats.timed_out += 1
            await self._finish_failed(
                lease, context, f"handler timed out after {self.handler_timeout} s", True
            )
        except self.unrecoverable as exc:
            await self._finish_failed(lease, context, _describe(exc), False)
        except Exception as exc:
            await self._finish_failed(lease, context, _describe(exc), True)
        else:
            nxt = await self._finish(lease, context, result)
        finally:
            self._leases.pop(lease.token, None)
            self._lost.discard(lease.token)
        return nxt

    async def _finish(self, lease: Lease, context: JobContext, result: Any) -> Lease | None:
        await context._flush()
        fetch_next = self._fetch_next
        nxt: Lease | None = None

        async def complete(current: Lease) -> None:
            nonlocal nxt
            if fetch_next is not None and not self._stopping.is_set():
                nxt = await fetch_next.complete_and_reserve(
                    current, result, lock_duration=self.lock_duration
                )
            else:
                await self.queue.complete(current, result)

        if not await self._record(lease, context, "finished", "completion", complete):
            return None
        self.stats.completed += 1
        await self._notify(context, "completed", result=result)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "job %s (%s) completed (request_id=%s)",
                lease.job_id,
                lease.name,
                context.request_id,
            )
        return nxt

    async def _finish_failed(
        self, lease: Lease, context: JobContext, error: str, retryable: bool
    ) -> None:
        await context._flush()
        will_retry = retryable and lease.attempt < lease.max_attempts
        if not await self._record(
            lease,
            context,
            "failed",
            "failure",
            lambda c: self.queue.fail(c, error, retryable=retryable),
        ):
            return
        if will_retry:
            self.stats.retried += 1
        else:
            self.stats.failed += 1
        await self._notify(context, "retrying" if will_retry else "failed", error=error)
        logger.log(
            logging.WARNING if will_retry else logging.ERROR,
            "job %s (%s) attempt %d/%d failed%s: %s (request_id=%s)",
            lease.job_id,
            lease.name,
            lease.attempt,
            lease.max_attempts,
            ", will retry" if will_retry else "" if retryable else ", unrecoverable",
            error,
            context.request_id,
        )

    async def _record(
        self,
        lease: Lease,
        context: JobContext,
        ended: str,
        what: str,
        record: Callable[[Lease], Awaitable[None]],
    ) -> bool:
        """Tell the queue how a try ended (``record`` with the newest lease). ``False`` when it
        could not: the lease was lost, or the backend failed, and the job will run again once
        its lease expires; the attempt is counted and reported as ``lost``."""
        # The try is over: stop renewing it (a renewal racing the record would fail falsely).
        current = self._leases.pop(lease.token, lease)
        try:
            await record(current)
        except LeaseLost as exc:
            self.stats.lost += 1
            await self._notify(context, "lost", error=f"lease lost: {exc.reason}")
            logger.warning(
                "job %s (%s) %s after its lease was lost; %s rejected: %s (request_id=%s)",
                lease.job_id,
                lease.name,
                ended,
                what,
                exc.reason,
                context.request_id,
            )
            return False
        except Exception as exc:
            self.stats.lost += 1
            logger.error(
                "job %s (%s) %s but the %s could not be recorded (%s); it will run again once "
                "its lease expires (request_id=%s)",
                lease.job_id,
                lease.name,
                ended,
                what,
                exc,
                context.request_id,
            )
            await self._notify(context, "lost", error=str(exc))
            return False
        return True

    async def _notify(
        self, context: JobContext, status: str, *, result: Any = None, error: str | None = None
    ) -> None:
        lease = context.lease
        _instruments.ACTIVE.job_done(
            self._queue_name, lease.name, status, time.time() - context.started_at
        )
        if self.on_job_done is None:
            return
        outcome = JobOutcome(
            job_id=lease.job_id,
            name=lease.name,
            data=lease.data,
            attempt=lease.attempt,
            request_id=context.request_id,
            status=status,
            started_at=context.started_at,
            finished_at=time.time(),
            result=result,
            error=error,
        )
        try:
            done = self.on_job_done(outcome)
            if inspect.isawaitable(done):
                await done
        except Exception as exc:  # an audit hook never fails a job
            logger.warning("on_job_done failed for job %s: %s", lease.job_id, exc)

    # ---- background duties --------------------------------------------------------------
    async def _renew_forever(self) -> None:
        while True:
            durations = [lease.lock_duration for lease in self._leases.values()]
            base = self.lock_duration or min(durations, default=None) or 30.0
            await asyncio.sleep(base / 2)
            for token, lease in list(self._leases.items()):
                # Compared by identity: a lease handed out with a completion keeps the token
                # of the try that just ended, so the token alone does not name one try.
                if token in self._lost or self._leases.get(token) is not lease:
                    continue  # lost earlier, or the try ended while we renewed others
                try:
                    renewed = await self.queue.extend(lease)
                except LeaseLost:
                    if self._leases.get(token) is lease:
                        self._lost.add(token)
                        logger.warning(
                            "lease on job %s (%s) lost while it ran", lease.job_id, lease.name
                        )
                    continue
                except Exception as exc:
                    logger.warning("could not renew lease on job %s: %s", lease.job_id, exc)
                    continue
                if self._leases.get(token) is lease:
                    self._leases[token] = renewed

    async def _reap_forever(self) -> None:
        while True:
            await asyncio.sleep(self.stalled_interval)
            try:
                moved = await self.queue.reap_stalled(interval=self.stalled_interval)
            except Exception as exc:
                logger.warning("stalled-job check failed: %s", exc)
                continue
            if moved:
                logger.info("worker %s: %d stalled job(s) put back to waiting", self.id, moved)


def _is_async(handler: Handler) -> bool:
    if inspect.iscoroutinefunction(handler):
        return True
    call = getattr(handler, "__call__", None)  # noqa: B004 - callable objects
    return inspect.iscoroutinefunction(call)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _left(deadline: float | None, loop: asyncio.AbstractEventLoop) -> float | None:
    """Seconds until ``deadline`` (never negative); ``None`` without one."""
    return None if deadline is None else max(0.0, deadline - loop.time())
