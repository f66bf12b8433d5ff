"""Leases are tracked per try, not per job id: BullMQ keeps a job's id across its retries, so a
renewal or clean-up of a finished try must never touch the next try of the same job."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from medusa_payload.queue import JobContext, JobOutcome, Worker
from tests.conftest import redis_url
from tests.queue.conftest import Backend, redis_available

pytestmark = pytest.mark.redis


@pytest.fixture
async def redis_backend() -> AsyncIterator[Backend]:
    if not redis_available():
        pytest.skip(f"no Redis at {redis_url()}")
    made = Backend("redis")
    yield made
    await made.cleanup()


async def test_jobs_that_fail_once_run_twice_with_short_locks(
    redis_backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    """Every job fails its first try and is retried at once by the same worker while other
    tries are being renewed: each runs exactly twice, no lease is reported lost."""
    queue = redis_backend.make(lock_duration=1.0, initial_delay=0, max_retries=3)
    jobs = 6
    for n in range(jobs):
        await queue.enqueue("flaky", {"n": n})
    runs: Counter[int] = Counter()

    async def flaky(ctx: JobContext) -> int:
        runs[int(ctx.data["n"])] += 1
        await asyncio.sleep(2.0)  # two locks long: only renewal keeps the lease
        if ctx.attempt == 1:
            raise RuntimeError("first try fails")
        return ctx.attempt

    completed: list[str] = []
    all_done = asyncio.Event()

    async def audit(outcome: JobOutcome) -> None:
        await asyncio.sleep(0.3)  # a slow hook: the next try of this job starts meanwhile
        if outcome.status == "completed":
            completed.append(outcome.job_id)
            if len(completed) == jobs:
                all_done.set()

    caplog.set_level(logging.WARNING, logger="medusa_payload.queue")
    worker = Worker(
        queue,
        {"flaky": flaky},
        concurrency=8,
        lock_duration=1.0,
        stalled_interval=0.2,
        poll_interval=0.1,
        on_job_done=audit,
    )
    run = asyncio.create_task(worker.run(handle_signals=False))
    await asyncio.wait_for(all_done.wait(), 30)
    await asyncio.sleep(0.5)  # time for a wrongly unrenewed try to be reaped and run again
    worker.stop()
    stats = await run
    assert runs == dict.fromkeys(range(jobs), 2)
    assert (stats.completed, stats.retried, stats.lost, stats.failed) == (jobs, jobs, 0, 0)
    assert "lost" not in caplog.text
    assert worker._lost == set()
    assert worker._leases == {}
