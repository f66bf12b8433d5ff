"""`Worker` on both backends: handlers, retries, timeouts, leases, graceful stop."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest

from medusa_payload.errors import BadRequestError
from medusa_payload.queue import JobContext, Unrecoverable, Worker, WorkerStats
from tests.queue.conftest import Backend


async def test_sync_and_async_handlers_with_progress(backend: Backend) -> None:
    queue = backend.make()
    seen: list[tuple[str, object, str]] = []

    async def async_handler(ctx: JobContext) -> dict[str, object]:
        for percent in (10, 30, 50, 90, 100):
            await ctx.aprogress(percent)
        seen.append(("async", ctx.data["n"], threading.current_thread().name))
        return {"n": ctx.data["n"]}

    def sync_handler(ctx: JobContext) -> str:
        ctx.progress(50)
        seen.append(("sync", ctx.data["n"], threading.current_thread().name))
        return "ok"

    a = await queue.enqueue("a", {"n": 1, "request_id": "req_abc"})
    b = await queue.enqueue("s", {"n": 2})
    stats = await Worker(
        queue, {"a": async_handler, "s": sync_handler}, concurrency=2
    ).run_until_idle(timeout=20)
    assert (stats.completed, stats.failed, stats.retried) == (2, 0, 0)
    kinds = {kind: thread for kind, _, thread in seen}
    assert kinds["async"] == threading.current_thread().name  # on the loop
    assert kinds["sync"] != threading.current_thread().name  # in a worker thread
    info_a, info_b = await queue.get_job(a.id), await queue.get_job(b.id)
    assert info_a is not None and (info_a.result, info_a.progress) == ({"n": 1}, 100)
    assert info_b is not None and info_b.result == "ok"


async def test_errors_are_retried_unrecoverable_ones_are_not(backend: Backend) -> None:
    queue = backend.make(initial_delay=0.05, max_retries=2)
    calls: dict[str, int] = {"flaky": 0, "bad": 0, "invalid": 0}

    async def flaky(ctx: JobContext) -> str:
        calls["flaky"] += 1
        if ctx.attempt < 3:
            raise RuntimeError(f"temporary {ctx.attempt}")
        return "third time lucky"

    async def bad(ctx: JobContext) -> None:
        calls["bad"] += 1
        raise Unrecoverable("missing product id")

    def invalid(ctx: JobContext) -> None:
        calls["invalid"] += 1
        import httpx

        request = httpx.Request("POST", "http://x")
        raise BadRequestError(
            "invalid", service="payload", response=httpx.Response(400, request=request), body={}
        )

    ids = {name: (await queue.enqueue(name, {})).id for name in calls}
    missing = await queue.enqueue("no.such.job", {})
    worker = Worker(queue, {"flaky": flaky, "bad": bad, "invalid": invalid})
    stats = await _run_with_clock(backend, worker)
    assert calls == {"flaky": 3, "bad": 1, "invalid": 1}
    assert (stats.completed, stats.retried, stats.failed) == (1, 2, 3)
    for name, state in (("flaky", "completed"), ("bad", "failed"), ("invalid", "failed")):
        info = await queue.get_job(ids[name])
        assert info is not None and info.state == state
    lost = await queue.get_job(missing.id)
    assert lost is not None
    assert lost.state == "failed"
    assert lost.error == "Unrecoverable: no handler for job 'no.such.job'"


async def test_handler_timeout_retries(backend: Backend) -> None:
    queue = backend.make(initial_delay=0.01, max_retries=1)
    job = await queue.enqueue("hang", {})

    async def hang(ctx: JobContext) -> None:
        if ctx.attempt == 1:
            await asyncio.sleep(10)

    worker = Worker(queue, {"hang": hang}, handler_timeout=0.2)
    stats = await _run_with_clock(backend, worker)
    assert (stats.timed_out, stats.completed) == (1, 1)
    info = await queue.get_job(job.id)
    assert info is not None and info.attempts == 2


async def test_blocking_handler_longer_than_the_lock_runs_once(backend: Backend) -> None:
    """The lease is renewed while a blocking handler runs in its thread."""
    queue = backend.make(lock_duration=0.6, real_time=True)
    runs: list[float] = []
    job = await queue.enqueue("block", {})

    def block(ctx: JobContext) -> str:
        runs.append(time.monotonic())
        time.sleep(1.5)  # 2.5 locks long
        return "done"

    worker = Worker(queue, {"block": block}, stalled_interval=0.1, lock_duration=0.6)
    stats = await worker.run_until_idle(timeout=20)
    assert len(runs) == 1
    assert (stats.completed, stats.lost) == (1, 0)
    info = await queue.get_job(job.id)
    assert info is not None and info.state == "completed"


async def test_late_completion_is_rejected_cleanly(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    """When the lease is gone (the job was handed to another worker), finishing reports
    nothing and logs why; the job is completed once, by the other worker."""
    queue = backend.make(lock_duration=0.3)
    job = await queue.enqueue("slow", {})
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow(ctx: JobContext) -> str:
        started.set()
        await release.wait()
        return "late"

    async def quick(ctx: JobContext) -> str:
        return "rescued"

    first = Worker(queue, {"slow": slow}, lock_duration=0.3)
    first._renew_forever = _never  # type: ignore[method-assign] # a worker that froze
    caplog.set_level(logging.WARNING, logger="medusa_payload.queue")
    run = asyncio.create_task(first.run_until_idle(timeout=20))
    await started.wait()
    await backend.advance(0.4)
    assert await backend.reap(queue) == 1
    second = Worker(queue, {"slow": quick})
    await second.run_until_idle(timeout=20)
    release.set()
    stats = await run
    assert stats.lost == 1
    assert stats.completed == 0
    assert "completion rejected" in caplog.text
    info = await queue.get_job(job.id)
    assert info is not None and info.result == "rescued"


async def test_stop_finishes_jobs_in_flight(backend: Backend) -> None:
    queue = backend.make()
    for i in range(6):
        await queue.enqueue("job", {"i": i})
    started = asyncio.Event()
    done: list[int] = []

    async def job(ctx: JobContext) -> None:
        started.set()
        await asyncio.sleep(0.3)
        done.append(int(ctx.data["i"]))

    worker = Worker(queue, {"job": job}, concurrency=2, poll_interval=0.1)
    run = asyncio.create_task(worker.run(handle_signals=False))
    await started.wait()
    worker.stop()
    stats = await run
    assert stats.completed == len(done) == 2
    queue_stats = await queue.stats()
    assert (queue_stats.active, queue_stats.waiting, queue_stats.completed) == (0, 4, 2)


async def _never() -> None:
    await asyncio.Event().wait()


async def _run_with_clock(backend: Backend, worker: Worker) -> WorkerStats:
    """Run until idle; in memory, move the fake clock along so backoff delays pass."""
    if backend.kind != "memory":
        return await worker.run_until_idle(timeout=20)

    async def tick() -> None:
        while True:
            await asyncio.sleep(0.01)
            await backend.advance(0.05)

    ticker = asyncio.create_task(tick())
    try:
        return await worker.run_until_idle(timeout=20)
    finally:
        ticker.cancel()


async def test_on_job_done_sees_every_attempt(backend: Backend) -> None:
    queue = backend.make(initial_delay=0, max_retries=1)
    outcomes: list[object] = []

    async def record(outcome: object) -> None:
        outcomes.append(outcome)

    async def ok(ctx: JobContext) -> str:
        await asyncio.sleep(0.02)
        return "fine"

    async def broken(ctx: JobContext) -> None:
        raise RuntimeError("boom")

    await queue.enqueue("ok", {"request_id": "req_1"})
    await queue.enqueue("broken", {})
    worker = Worker(queue, {"ok": ok, "broken": broken}, on_job_done=record)
    before = time.time()
    await _run_with_clock(backend, worker)
    after = time.time()
    summary = sorted((o.name, o.status, o.attempt) for o in outcomes)  # type: ignore[attr-defined]
    assert summary == [("broken", "failed", 2), ("broken", "retrying", 1), ("ok", "completed", 1)]
    done = next(o for o in outcomes if o.name == "ok")  # type: ignore[attr-defined]
    assert (done.result, done.request_id, done.error) == ("fine", "req_1", None)  # type: ignore[attr-defined]
    started, finished = done.started_at, done.finished_at  # type: ignore[attr-defined]
    assert before <= started <= finished <= after
    assert done.duration_ms == (finished - started) * 1000  # type: ignore[attr-defined]
    assert done.duration_ms >= 19  # type: ignore[attr-defined]  # slept 20 ms (1 ms slack)
