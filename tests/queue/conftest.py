"""Backends under test: every conformance test runs on `InMemoryQueue` and on `RedisQueue`
(a real Redis at REDIS_URL, a fresh key prefix per test, deleted afterwards)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import pytest

from medusa_payload.queue import InMemoryQueue, Queue, RetryPolicy
from tests.conftest import redis_url


def redis_available() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(redis_url(), socket_connect_timeout=1)
        client.ping()
        client.close()
        return True
    except Exception:
        return False


class FakeClock:
    """Time that moves only when told (in-memory backend)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class Backend:
    """One backend plus how to let time pass and reap stalled jobs on it."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.clock = FakeClock()
        self.prefix = f"mpq-{uuid.uuid4().hex[:10]}"
        self.queues: list[Any] = []

    def make(self, *, real_time: bool = False, **policy: Any) -> Queue:
        """A queue of this backend; ``real_time`` gives the in-memory one the real clock."""
        rp = RetryPolicy(**policy)
        queue: Any
        if self.kind == "memory":
            queue = InMemoryQueue(policy=rp, clock=time.time if real_time else self.clock)
        else:
            from medusa_payload.queue import RedisQueue

            queue = RedisQueue(redis_url(), name="conformance", prefix=self.prefix, policy=rp)
        self.queues.append(queue)
        return queue

    async def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass: instantly in memory, really on Redis."""
        if self.kind == "memory":
            self.clock.now += seconds
        else:
            await asyncio.sleep(seconds)

    async def reap(self, queue: Queue) -> int:
        """Run the stalled-job check until it has seen expired leases (BullMQ needs two
        passes: the first marks active jobs, the next moves those still without a lock)."""
        if self.kind == "memory":
            return await queue.reap_stalled()
        moved = 0
        for _ in range(2):
            moved += await queue.reap_stalled(interval=0.05)
            await asyncio.sleep(0.06)
        return moved

    async def cleanup(self) -> None:
        for queue in self.queues:
            await queue.close()
        if self.kind == "redis":
            import redis.asyncio as aioredis

            client = aioredis.Redis.from_url(redis_url())
            keys = [k async for k in client.scan_iter(match=f"{self.prefix}:*", count=1000)]
            if keys:
                await client.delete(*keys)
            await client.aclose()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    """Each conformance test runs on both backends."""
    if request.param == "redis" and not redis_available():
        pytest.skip(f"no Redis at {redis_url()}")
    made = Backend(request.param)
    yield made
    await made.cleanup()


MakeQueue = Callable[..., Queue]


T = TypeVar("T")


async def ended_within(task: asyncio.Task[T], seconds: float, what: str) -> T:
    """The result of ``task``; an assertion error (the task cancelled) when it is still
    running after ``seconds``: how a test shows that a wait has its bound."""
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
    assert done, f"{what} still running after {seconds} s"
    return task.result()
