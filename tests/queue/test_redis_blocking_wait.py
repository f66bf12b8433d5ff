"""The Redis worker's blocking wait (``BZPOPMIN`` on the queue's marker key) against the read
timeout of its connection.

BullMQ's worker waits up to 10 s for the next job (until the next delayed job is due), but
redis-py 8 reads with a 5 s timeout by default, and BullMQ's client retries a timed-out read
with the same wait (20 tries, backoff 2, 4 ... 20 s). Before the fix, any wait of 5 s or more
that ended with nothing timed out again and again, and the worker asked for no job for minutes:
a delayed job due more than ~5 s ahead of an idle worker, or the delayed jobs of a worker whose
Redis restarted (docs/queue.md, "Redis restarts"). The fast tests check the settings; the slow
ones the behaviour; the first three failed before the fix (the job was not taken in time).
"""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid

import pytest

from medusa_payload.queue import JobContext, RedisQueue, Worker
from medusa_payload.queue._redis import _MAX_BLOCK
from tests.conftest import redis_url
from tests.queue.conftest import redis_available
from tests.queue.own_redis import OwnRedis

pytest.importorskip("bullmq")

DELAYED_BOUND = 30.0
"""Seconds from Redis answering again to a due delayed job being taken (docs/queue.md): the
client's next try within 20 s (its backoff cap), then one wait of at most 10 s."""


def test_the_blocking_connection_reads_longer_than_the_longest_wait() -> None:
    queue = RedisQueue("redis://127.0.0.1:1/0", name="blocking", prefix="mp-unused")
    worker = queue._ensure_worker()  # builds the clients; connects to nothing
    pool = worker.backend.blocking_connection.conn.connection_pool
    read_timeout = pool.make_connection().socket_timeout
    assert read_timeout is not None and read_timeout > _MAX_BLOCK


async def _take_one_delayed(url: str, prefix: str, delay: float, *, kill: OwnRedis | None) -> str:
    """Enqueue one job ``delay`` s ahead, run a worker; with ``kill``, crash and restart that
    Redis while the worker waits. Returns how late the job was taken, and asserts the bound."""
    producer = RedisQueue(url, name="blocking", prefix=prefix)
    queue = RedisQueue(url, name="blocking", prefix=prefix)
    taken = asyncio.Event()

    async def handle(ctx: JobContext) -> None:
        taken.set()

    worker = Worker(queue, {"job": handle}, poll_interval=0.2, stalled_interval=1.0)
    try:
        await producer.enqueue("job", {}, delay=delay)
        due = time.monotonic() + delay
        await producer.close()
        run = asyncio.create_task(worker.run(handle_signals=False))
        up = time.monotonic()
        if kill is not None:
            await asyncio.sleep(2.0)  # the worker now waits on the marker key
            kill.stop()
            await asyncio.sleep(2.0)
            await asyncio.to_thread(kill.start)
            up = time.monotonic()
        bound = max(due, up + (DELAYED_BOUND if kill else 0.0)) + 2.0 - time.monotonic()
        try:
            await asyncio.wait_for(taken.wait(), bound)
        except asyncio.TimeoutError:
            pytest.fail(f"the delayed job was not taken {bound:.1f} s on (due in {delay} s)")
        late = time.monotonic() - due
        worker.stop()
        await asyncio.wait_for(run, 15)
        return f"taken {late:+.2f} s after it was due"
    finally:
        worker.stop()
        await queue.close()


@pytest.mark.slow
@pytest.mark.redis
async def test_a_delayed_job_due_past_the_read_timeout_is_taken_when_due() -> None:
    """Due 8 s ahead of an idle worker: the wait (8 s) is longer than redis-py's default read
    timeout (5 s). Before the fix the job was taken about a minute late."""
    if not redis_available():
        pytest.skip(f"no Redis at {redis_url()}")
    prefix = f"mpb-{uuid.uuid4().hex[:8]}"
    try:
        print(await _take_one_delayed(redis_url(), prefix, 8.0, kill=None))
    finally:
        cleanup = RedisQueue(redis_url(), name="blocking", prefix=prefix)
        await cleanup.obliterate()
        await cleanup.close()


@pytest.mark.slow
async def test_a_restart_while_the_worker_waits_for_a_delayed_job() -> None:
    """Redis (AOF) killed while the worker waits for a job due in 12 s, and started 2 s later:
    the job is taken within `DELAYED_BOUND` of Redis answering (or when due, if later)."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed")
    server = OwnRedis(appendonly=True)
    server.start()
    try:
        print(await _take_one_delayed(server.url, "mpb", 12.0, kill=server))
    finally:
        server.close()


def test_a_client_given_as_url_keeps_its_settings_with_a_warning_when_too_short(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import redis.asyncio as aioredis

    short = aioredis.Redis(host="127.0.0.1", port=1, socket_timeout=5)
    long = aioredis.Redis(host="127.0.0.1", port=1, socket_timeout=None)
    with caplog.at_level("WARNING", logger="medusa_payload.queue"):
        RedisQueue(long, name="blocking", prefix="mp-unused")._ensure_worker()
        assert not caplog.records
        RedisQueue(short, name="blocking", prefix="mp-unused")._ensure_worker()
    assert "times out reads after 5 s" in caplog.text
    assert short.connection_pool.connection_kwargs["socket_timeout"] == 5  # not changed
