"""A queue that completes a job and hands out the next in one step (`FetchNextQueue`): the
`Worker` keeps the slot busy with the handed-out job instead of asking `reserve` again (one
Redis round trip per job instead of two), and a handed-out lease sharing the token of the
try that just ended is never confused with it."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from medusa_payload.errors import LeaseLost
from medusa_payload.queue import FetchNextQueue, JobContext, Lease, Queue, Worker
from tests.queue.conftest import Backend


class Counting:
    """The real queue, counting the calls the worker makes."""

    def __init__(self, inner: Queue) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return await method(*args, **kwargs)

        return counted


async def test_both_built_in_queues_fetch_the_next_job_on_completion(backend: Backend) -> None:
    assert isinstance(backend.make(), FetchNextQueue)


async def test_the_worker_takes_the_next_job_with_the_completion(backend: Backend) -> None:
    """20 jobs at concurrency 1: one `reserve` starts the chain, every completion hands out
    the next job, and the last finds none; without fetch-next it is one `reserve` per job."""
    inner = backend.make(real_time=True)
    ids = [(await inner.enqueue("job", {"n": n})).id for n in range(20)]
    queue = Counting(inner)
    seen: list[tuple[int, int]] = []

    async def handle(ctx: JobContext) -> int:
        seen.append((int(ctx.data["n"]), ctx.attempt))
        return int(ctx.data["n"])

    stats = await Worker(queue, {"job": handle}, concurrency=1).run_until_idle(  # type: ignore[arg-type]
        timeout=20
    )
    assert (stats.processed, stats.completed, stats.lost) == (20, 20, 0)
    assert sorted(seen) == [(n, 1) for n in range(20)]
    assert queue.calls["complete_and_reserve"] == 20
    assert queue.calls["reserve"] <= 3  # the first, and the checks that nothing is left
    for n, job_id in enumerate(ids):
        info = await inner.get_job(job_id)
        assert info is not None and (info.state, info.result) == ("completed", n)


async def test_a_stopping_worker_takes_no_next_job(backend: Backend) -> None:
    """After `stop`, a completion hands out nothing: the jobs left stay waiting for others."""
    queue = backend.make(real_time=True)
    for n in range(5):
        await queue.enqueue("job", {"n": n})
    worker: Worker

    async def handle(ctx: JobContext) -> None:
        worker.stop()

    worker = Worker(queue, {"job": handle}, concurrency=1, poll_interval=0.1)
    stats = await asyncio.wait_for(worker.run(handle_signals=False), 10)
    assert (stats.processed, stats.completed) == (1, 1)
    left = await queue.stats()
    assert (left.waiting, left.active, left.completed) == (4, 0, 1)


class LateRenewal:
    """The real queue, but the renewal of the first job answers only after that job completed
    and the next one (same token) started, and then says the lease is gone, as Redis does
    for a lock that no longer exists."""

    def __init__(self, inner: Queue) -> None:
        self.inner = inner
        self.first: str | None = None
        self.next_started = asyncio.Event()
        self.late_answers = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def extend(self, lease: Lease) -> Lease:
        if lease.job_id != self.first:
            return await self.inner.extend(lease)
        await self.next_started.wait()
        self.late_answers += 1
        raise LeaseLost(lease.job_id, "the lock no longer exists")


async def test_a_late_renewal_of_the_ended_try_does_not_lose_the_next(backend: Backend) -> None:
    inner = backend.make(real_time=True, lock_duration=0.2)
    queue = LateRenewal(inner)
    first = await inner.enqueue("job", {"n": 0})
    second = await inner.enqueue("job", {"n": 1})
    queue.first = first.id
    tokens: list[str] = []

    async def handle(ctx: JobContext) -> None:
        tokens.append(ctx.lease.token)
        if ctx.job_id == first.id:
            await asyncio.sleep(0.15)  # the renewal at 0.1 s starts and hangs
        else:
            queue.next_started.set()
            await asyncio.sleep(0.3)  # the late answer comes while this try runs

    worker = Worker(queue, {"job": handle}, concurrency=1, lock_duration=0.2)  # type: ignore[arg-type]
    stats = await worker.run_until_idle(timeout=20)
    assert tokens[0] == tokens[1]  # BullMQ locks the next job with the ended try's token
    assert queue.late_answers == 1
    assert (stats.completed, stats.lost) == (2, 0)
    info = await inner.get_job(second.id)
    assert info is not None and (info.state, info.attempts) == ("completed", 1)
