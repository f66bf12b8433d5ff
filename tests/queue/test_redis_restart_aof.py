"""Redis restarted mid-run with persistence (AOF, ``appendfsync always``) under a real worker
process (``-m slow``): the waiting and the delayed jobs survive the restart, the worker resumes
by itself within `RESUME_BOUND` seconds of Redis answering again, and no job is lost.

The bound: a call the worker makes while Redis is down fails after the redis client's own
retries (BullMQ's connection: exponential backoff 1, 2, 4 ... s, capped at 20 s), and the worker
asks again after its own backoff (0.2 s doubling, capped at 5 s). So once Redis answers again,
the next try comes within about 20 s whatever the outage lasted; docs/queue.md states it. A
delayed job due by then is taken within `DELAYED_BOUND`: that next try may be a wait on the
queue's marker key planned before the restart, of at most 10 s, after which the worker moves the
due delayed jobs to ``wait`` (it took minutes before the worker's blocking connection could read
for longer than its longest wait: tests/queue/test_redis_blocking_wait.py)."""

from __future__ import annotations

import asyncio
import subprocess
import time
import uuid

import pytest
import redis

from medusa_payload.queue import RedisQueue
from tests.queue.own_redis import OwnRedis
from tests.queue.test_reliability import start_worker, stop, wait_for

pytestmark = pytest.mark.slow

RESUME_BOUND = 25.0
"""Seconds from Redis answering again to the worker finishing a job again (20 s backoff cap,
plus slack for a loaded machine)."""

DELAYED_BOUND = 30.0
"""Seconds from Redis answering again, or from their due time if later, to every delayed job
being done (20 s backoff cap, one marker wait of at most 10 s; docs/queue.md)."""

DELAY = 12.0
"""Seconds the delayed jobs wait: they fall due after the restart."""


def _count(client: redis.Redis, key: str) -> int:
    try:
        return int(client.scard(key))
    except redis.ConnectionError:
        return -1


async def _enqueue(url: str, prefix: str, waiting: int, delayed: int, delay: float) -> list[str]:
    """Enqueue the jobs; returns the ids of the delayed ones."""
    queue = RedisQueue(url, name="reliability", prefix=prefix)
    try:
        for n in range(waiting):
            await queue.enqueue("record", {"n": n, "sleep": 0.02})
        return [
            (await queue.enqueue("record", {"n": n}, delay=delay)).id
            for n in range(waiting, waiting + delayed)
        ]
    finally:
        await queue.close()


async def _stats(url: str, prefix: str) -> tuple[int, int, int, int, int]:
    queue = RedisQueue(url, name="reliability", prefix=prefix)
    try:
        s = await queue.stats()
        return s.waiting, s.active, s.delayed, s.completed, s.failed
    finally:
        await queue.close()


def test_restart_with_aof_keeps_waiting_and_delayed_jobs_and_the_worker_resumes() -> None:
    server = OwnRedis(appendonly=True)
    server.start()
    prefix = f"mpa-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(server.url, socket_connect_timeout=0.5)
    waiting, delayed = 200, 50
    procs: list[subprocess.Popen[bytes]] = []
    try:
        delayed_ids = asyncio.run(_enqueue(server.url, prefix, waiting, delayed, delay=DELAY))
        due_at = time.monotonic() + DELAY  # every delayed job is due by then
        procs = [start_worker(server.url, prefix, "--concurrency", "4")]
        done = f"{prefix}:done"
        wait_for(lambda: _count(client, done) >= 40, 60)

        server.stop()  # SIGKILL, as a crash; every acknowledged write is already on disk
        down_at = time.monotonic()
        time.sleep(2)
        assert procs[0].poll() is None, "the worker died with Redis"
        server.start()  # same port, same directory: Redis replays its AOF
        up_at = time.monotonic()
        before = _count(client, done)
        left_waiting, active, still_delayed, completed, failed = asyncio.run(
            _stats(server.url, prefix)
        )
        # Every delayed job is still delayed. The count may be higher: a job whose try failed
        # with the crash (the handler's own Redis calls) waits out its retry backoff there.
        scores = client.zmscore(f"{prefix}:reliability:delayed", delayed_ids)
        assert None not in scores, "the delayed jobs did not survive the restart"
        retrying = still_delayed - delayed
        # Every waiting job is still there: each one is done, waiting, active or retrying.
        assert before + left_waiting + active + retrying >= waiting
        assert left_waiting > 0 and completed > 0 and failed == 0

        resumed_in = wait_for(lambda: _count(client, done) > before, RESUME_BOUND, step=0.1)
        bound = max(due_at, up_at) + DELAYED_BOUND + 2.0 - time.monotonic()
        try:
            wait_for(lambda: _count(client, done) == waiting + delayed, bound, step=0.2)
        except AssertionError:
            missing = set(range(waiting + delayed)) - {int(n) for n in client.smembers(done)}
            stats = asyncio.run(_stats(server.url, prefix))
            keys = sorted(k.decode() for k in client.scan_iter(match=f"{prefix}:*", count=1000))
            raise AssertionError(
                f"not done {max(due_at, up_at) + DELAYED_BOUND - up_at:.0f} s after Redis "
                f"answered again (delayed jobs were due {due_at - up_at:+.0f} s from then): "
                f"{sorted(missing)}; waiting, active, delayed, completed, failed: {stats}; "
                f"keys: {[k for k in keys if len(k) < len(prefix) + 30]}"
            ) from None
        all_done_in = time.monotonic() - max(due_at, up_at)
        assert procs[0].poll() is None
        assert {int(n) for n in client.smembers(done)} == set(range(waiting + delayed))
        *_, failed = asyncio.run(_stats(server.url, prefix))
        assert failed == 0
        print(
            f"\nRedis down {up_at - down_at:.1f} s; worker resumed {resumed_in:.1f} s after "
            f"Redis answered again (bound {RESUME_BOUND} s); {waiting + delayed} jobs done "
            f"{all_done_in:.1f} s after the delayed ones were due or Redis answered, whichever "
            f"was later (bound {DELAYED_BOUND} s)"
        )
    finally:
        stop(procs)
        client.close()
        server.close()
