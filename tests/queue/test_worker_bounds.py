"""Every wait of the worker has a bound: a hung handler defeats neither `stop` nor
`run_until_idle(timeout=...)`, and a Redis that is down delays neither the start nor the stop.
Each hung job ends failed or left active for another worker, never silently lost."""

from __future__ import annotations

import asyncio
import threading

import pytest

from medusa_payload.errors import QueueError
from medusa_payload.queue import JobContext, Worker
from tests.queue.conftest import Backend, ended_within
from tests.queue.own_redis import OwnRedis, own_redis

__all__ = ["own_redis"]  # the fixture


async def test_stop_returns_while_a_sync_handler_hangs_past_its_timeout(
    backend: Backend,
) -> None:
    """The timed-out handler's thread still runs: stop must not wait for it on the loop."""
    queue = backend.make(real_time=True, max_retries=0)
    job = await queue.enqueue("hang", {})
    release = threading.Event()

    def hang(ctx: JobContext) -> None:
        release.wait(30)

    failed = asyncio.Event()
    worker = Worker(
        queue,
        {"hang": hang},
        handler_timeout=0.2,
        poll_interval=0.1,
        on_job_done=lambda outcome: failed.set(),
    )
    run = asyncio.create_task(worker.run(handle_signals=False))
    await asyncio.wait_for(failed.wait(), 10)
    worker.stop()
    rescue = threading.Timer(15, release.set)  # un-freezes a loop stuck joining the thread
    rescue.start()
    try:
        stats = await run
        returned_while_hung = not release.is_set()
    finally:
        release.set()
        rescue.cancel()
    assert returned_while_hung
    assert (stats.timed_out, stats.failed, stats.abandoned) == (1, 1, 0)
    info = await queue.get_job(job.id)
    assert info is not None and info.state == "failed"
    assert info.error == "handler timed out after 0.2 s"


async def test_an_async_hang_honours_the_run_until_idle_timeout(backend: Backend) -> None:
    queue = backend.make(lock_duration=0.3)
    job = await queue.enqueue("hang", {})

    async def hang(ctx: JobContext) -> None:
        await asyncio.Event().wait()

    worker = Worker(queue, {"hang": hang}, lock_duration=0.3)
    run = asyncio.create_task(worker.run_until_idle(timeout=0.5))
    with pytest.raises(TimeoutError, match=r"still busy after 0\.5 s"):
        await ended_within(run, 10, "run_until_idle(timeout=0.5)")
    assert worker.stats.abandoned == 1
    await _left_for_another_worker(backend, queue, job.id)


async def test_stop_returns_after_stop_timeout_with_a_hung_async_handler(
    backend: Backend,
) -> None:
    queue = backend.make(lock_duration=0.3)
    job = await queue.enqueue("hang", {})
    started = asyncio.Event()

    async def hang(ctx: JobContext) -> None:
        started.set()
        await asyncio.Event().wait()

    worker = Worker(queue, {"hang": hang}, lock_duration=0.3, stop_timeout=0.3)
    run = asyncio.create_task(worker.run(handle_signals=False))
    await asyncio.wait_for(started.wait(), 10)
    worker.stop()
    stats = await ended_within(run, 10, "run() after stop()")
    assert (stats.abandoned, stats.completed) == (1, 0)
    await _left_for_another_worker(backend, queue, job.id)


async def _left_for_another_worker(backend: Backend, queue: object, job_id: str) -> None:
    """The abandoned job is still active; once its lease ran out another worker does it."""
    info = await queue.get_job(job_id)  # type: ignore[attr-defined]
    assert info is not None and info.state == "active"
    await backend.advance(0.4)
    assert await backend.reap(queue) == 1  # type: ignore[arg-type]

    async def quick(ctx: JobContext) -> str:
        return "rescued"

    await Worker(queue, {"hang": quick}).run_until_idle(timeout=20)  # type: ignore[arg-type]
    info = await queue.get_job(job_id)  # type: ignore[attr-defined]
    assert info is not None and (info.state, info.result) == ("completed", "rescued")


@pytest.mark.redis
async def test_stop_returns_within_its_bound_while_redis_is_down(own_redis: OwnRedis) -> None:
    """Redis dies while a job runs: its completion cannot be recorded, reserve() cannot
    reach Redis; `run` still returns within ``stop_timeout`` of `stop`, and so does close()."""
    from medusa_payload.queue import RedisQueue

    queue = RedisQueue(own_redis.url, name="bounds", prefix="mpb")
    release = asyncio.Event()
    started = asyncio.Event()

    async def job(ctx: JobContext) -> str:
        started.set()
        await release.wait()
        return "done"

    await queue.enqueue("job", {})
    worker = Worker(queue, {"job": job}, poll_interval=0.2, stop_timeout=1.0)
    run = asyncio.create_task(worker.run(handle_signals=False))
    try:
        await asyncio.wait_for(started.wait(), 10)
        own_redis.stop()
        release.set()  # its completion now waits on a Redis that is gone
        await asyncio.sleep(0.3)
        worker.stop()
        stats = await ended_within(run, 10, "run() after stop() with Redis down")
        assert stats.abandoned == 1
        await asyncio.wait_for(queue.close(), 10)
    finally:
        run.cancel()


@pytest.mark.redis
async def test_start_gives_up_with_a_clear_error_while_redis_is_down(
    own_redis: OwnRedis,
) -> None:
    from medusa_payload.queue import RedisQueue

    own_redis.stop()
    queue = RedisQueue(own_redis.url, name="bounds", prefix="mpb")

    async def job(ctx: JobContext) -> None:
        return None

    for run in (
        Worker(queue, {"job": job}, start_timeout=0.5).run(handle_signals=False),
        Worker(queue, {"job": job}, start_timeout=0.5).run_until_idle(timeout=30),
    ):
        started = asyncio.create_task(run)
        with pytest.raises(QueueError, match=r"queue unavailable: no answer within 0\.5 s"):
            await ended_within(started, 10, "the worker's start on a Redis that is down")
    await asyncio.wait_for(queue.close(), 10)
