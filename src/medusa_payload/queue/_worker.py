"""`Worker`: runs job handlers for any `Queue`, with leases, retries and a graceful stop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import inspect
import logging
import signal
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs

from ..errors import BadRequestError, LeaseLost, UnprocessableEntityError, Unrecoverable
from ._protocol import JobData, Lease, Queue

__all__ = ["DEFAULT_UNRECOVERABLE", "Handler", "JobContext", "JobOutcome", "Worker", "WorkerStats"]

logger = logging.getLogger("medusa_payload.queue")

DEFAULT_UNRECOVERABLE: tuple[type[BaseException], ...] = (
    Unrecoverable,
    BadRequestError,
    UnprocessableEntityError,
)
"""Exceptions that fail a job at once: retrying cannot fix bad input (4xx validation)."""


class JobContext:
    """What a handler gets: the job, and a way to report progress.

    Attributes:
        lease: the `Lease` the worker holds.
        job_id, name, data, attempt, max_attempts: from the lease.
        request_id: ``data["request_id"]`` when the producer set one (the webhook receiver
            does), else ``job_<id>``; put it in your logs.
    """

    __slots__ = ("_loop", "_pending", "_worker", "lease", "request_id", "started_at")

    def __init__(self, lease: Lease, worker: Worker, loop: asyncio.AbstractEventLoop) -> None:
        self.lease = lease
        self._worker = worker
        self._loop = loop
        self._pending: list[asyncio.Future[None] | concurrent.futures.Future[None]] = []
        self.started_at = time.time()
        request_id = lease.data.get("request_id") if isinstance(lease.data, Mapping) else None
        self.request_id = str(request_id or f"job_{lease.job_id}")

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
        coro = self._worker._report_progress(self.lease, percent)
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
        await self._worker._report_progress(self.lease, percent)

    def __repr__(self) -> str:
        return f"JobContext(job_id={self.job_id!r}, name={self.name!r}, attempt={self.attempt})"


Handler = Callable[[JobContext], Any]
"""A job handler: ``def handler(ctx)`` (run in a thread) or ``async def handler(ctx)``."""


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
    """What a worker did since it started."""

    processed: int = 0
    completed: int = 0
    retried: int = 0
    failed: int = 0
    lost: int = 0
    timed_out: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts as a dict."""
        return attrs.asdict(self)


class Worker:
    """Runs handlers for the jobs of a `Queue` (in-memory or Redis alike).

    ```python
    worker = Worker(queue, {"sync.product_to_payload": handle_product}, concurrency=8)
    await worker.run()            # until stop() or SIGTERM; in-flight jobs finish first
    ```

    Args:
        queue: any `Queue`.
        handlers: job name -> handler (sync handlers run in threads, so a blocking handler
            never stalls the loop). A job whose name has no handler fails at once.
        concurrency: jobs handled at the same time.
        lock_duration: seconds a lease lasts (default: the queue's policy); leases are renewed
            at half of it for as long as the handler runs.
        stalled_interval: how often the worker asks the queue to put back jobs whose lease
            ran out (their worker died); another worker then takes them.
        poll_interval: seconds one ``reserve`` waits for a job before looking again (and how
            quickly `stop` is noticed when idle).
        handler_timeout: seconds a handler may run; then the try fails and is retried.
        unrecoverable: exception classes that fail a job at once, without retries.
        executor: the thread pool of sync handlers (default: one of ``concurrency`` threads).
        on_job_done: called with a `JobOutcome` after every attempt (sync or async; its errors
            are logged, never raised), e.g. to write audit records.
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
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        self.queue = queue
        self.handlers = dict(handlers)
        self.concurrency = concurrency
        self.lock_duration = lock_duration
        self.stalled_interval = stalled_interval
        self.poll_interval = poll_interval
        self.handler_timeout = handler_timeout
        self.unrecoverable = unrecoverable
        self.on_job_done = on_job_done
        self.stats = WorkerStats()
        self.id = uuid.uuid4().hex[:12]
        self._is_async = {n: _is_async(h) for n, h in self.handlers.items()}
        self._executor = executor
        self._own_executor = executor is None
        self._tokens = 0
        self._leases: dict[str, Lease] = {}
        self._lost: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._slot_free = asyncio.Event()
        self._reserve_failures = 0
        self._stopping = asyncio.Event()
        self._reap_takes_interval = "interval" in inspect.signature(queue.reap_stalled).parameters

    # ---- public -------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop taking jobs; `run` returns once the jobs in flight are done (nothing lost)."""
        self._stopping.set()

    async def run(self, *, handle_signals: bool = True) -> WorkerStats:
        """Handle jobs until `stop` (or SIGTERM/SIGINT when ``handle_signals``)."""
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
            TimeoutError: still busy after ``timeout`` seconds.
        """
        return await self._run(until_idle=True, timeout=timeout)

    # ---- the loop -----------------------------------------------------------------------
    async def _run(self, *, until_idle: bool, timeout: float | None) -> WorkerStats:
        self._stopping = asyncio.Event()
        self._slot_free = asyncio.Event()
        if self._own_executor:
            self._executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=self.concurrency, thread_name_prefix=f"worker-{self.id}"
            )
        background = [
            asyncio.create_task(self._renew_forever()),
            asyncio.create_task(self._reap_forever()),
        ]
        try:
            await asyncio.wait_for(self._take_jobs(until_idle), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"worker still busy after {timeout} s") from None
        finally:
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            if self._own_executor and self._executor is not None:
                self._executor.shutdown(wait=True)
        return self.stats

    async def _take_jobs(self, until_idle: bool) -> None:
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
    async def _process(self, lease: Lease) -> None:
        self._leases[lease.job_id] = lease
        self.stats.processed += 1
        loop = asyncio.get_running_loop()
        context = JobContext(lease, self, loop)
        handler = self.handlers.get(lease.name)
        try:
            if handler is None:
                raise Unrecoverable(f"no handler for job {lease.name!r}")
            if self._is_async[lease.name]:
                call: Awaitable[Any] = handler(context)
            else:
                call = loop.run_in_executor(self._executor, handler, context)
            if self.handler_timeout is None:
                result = await call
            else:
                result = await asyncio.wait_for(call, self.handler_timeout)
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
            await self._finish(lease, context, _jsonable(result))
        finally:
            self._leases.pop(lease.job_id, None)
            self._lost.discard(lease.job_id)

    async def _finish(self, lease: Lease, context: JobContext, result: Any) -> None:
        await context._flush()
        if not await self._record(
            lease, context, "finished", "completion", lambda c: self.queue.complete(c, result)
        ):
            return
        self.stats.completed += 1
        await self._notify(context, "completed", result=result)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "job %s (%s) completed (request_id=%s)",
                lease.job_id,
                lease.name,
                context.request_id,
            )

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
        try:
            await record(self._leases.get(lease.job_id, lease))
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
        if self.on_job_done is None:
            return
        lease = context.lease
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

    async def _report_progress(self, lease: Lease, percent: int) -> None:
        try:
            await self.queue.progress(self._leases.get(lease.job_id, lease), percent)
        except LeaseLost:
            pass
        except Exception as exc:  # progress is informative: never fail a job for it
            logger.debug("progress of job %s not recorded: %s", lease.job_id, exc)

    # ---- background duties --------------------------------------------------------------
    async def _renew_forever(self) -> None:
        while True:
            durations = [lease.lock_duration for lease in self._leases.values()]
            base = self.lock_duration or min(durations, default=None) or 30.0
            await asyncio.sleep(base / 2)
            for job_id, lease in list(self._leases.items()):
                if job_id in self._lost:
                    continue
                try:
                    renewed = await self.queue.extend(lease)
                except LeaseLost:
                    self._lost.add(job_id)
                    logger.warning("lease on job %s (%s) lost while it ran", job_id, lease.name)
                    continue
                except Exception as exc:
                    logger.warning("could not renew lease on job %s: %s", job_id, exc)
                    continue
                if job_id in self._leases:
                    self._leases[job_id] = renewed

    async def _reap_forever(self) -> None:
        while True:
            await asyncio.sleep(self.stalled_interval)
            try:
                if self._reap_takes_interval:
                    moved = await self.queue.reap_stalled(interval=self.stalled_interval)  # type: ignore[call-arg]
                else:
                    moved = await self.queue.reap_stalled()
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


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if attrs.has(type(value)):
        return attrs.asdict(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return str(value)
