"""Redis queue: noop jobs at concurrency 16, ours against bullmq's own Worker, same Redis.

    python -m benchmarks.queue_redis [--jobs 3000] [--rounds 3]

Both process the same number of noop jobs added the same way (``RedisQueue.enqueue``) on the
same Redis (``REDIS_URL``), each on a fresh prefix; only the processing is timed. The baseline
is ``bullmq.Worker`` (its own loop: ``getNextJob``, then ``moveToCompleted`` without
``fetchNext``: two round trips per job; lock renewal). Ours takes the next job with the completion
(``complete_and_reserve``: one round trip per job). Target (issue 17): ours / bullmq >= 1.0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid

import bullmq
import redis.asyncio as aioredis

from benchmarks._util import report
from medusa_payload.queue import JobContext, RedisQueue, Worker

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CONCURRENCY = 16


async def _fill(prefix: str, jobs: int) -> RedisQueue:
    queue = RedisQueue(URL, name="bench", prefix=prefix)
    for n in range(jobs):
        await queue.enqueue("noop", {"n": n})
    return queue


async def _cleanup(prefix: str) -> None:
    client = aioredis.Redis.from_url(URL)
    keys = [k async for k in client.scan_iter(match=f"{prefix}:*", count=1000)]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def ours(jobs: int) -> float:
    prefix = f"bench-ours-{uuid.uuid4().hex[:6]}"
    queue = await _fill(prefix, jobs)

    async def noop(ctx: JobContext) -> None:
        return None

    started = time.perf_counter()
    stats = await Worker(queue, {"noop": noop}, concurrency=CONCURRENCY).run_until_idle()
    elapsed = time.perf_counter() - started
    assert stats.completed == jobs, stats
    await queue.close()
    await _cleanup(prefix)
    return jobs / elapsed


async def theirs(jobs: int) -> float:
    prefix = f"bench-bullmq-{uuid.uuid4().hex[:6]}"
    queue = await _fill(prefix, jobs)
    done = asyncio.Event()
    count = 0

    async def noop(job: object, token: str) -> None:
        return None

    def on_completed(*_: object) -> None:
        nonlocal count
        count += 1
        if count == jobs:
            done.set()

    started = time.perf_counter()
    worker = bullmq.Worker(
        "bench", noop, {"connection": URL, "prefix": prefix, "concurrency": CONCURRENCY}
    )
    worker.on("completed", on_completed)
    await done.wait()
    elapsed = time.perf_counter() - started
    await worker.close()
    await queue.close()
    await _cleanup(prefix)
    return jobs / elapsed


def main() -> None:
    """Alternate rounds of both; print the medians, the median per-round ratio and the range."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ours_rates, their_rates = [], []
    for _ in range(args.rounds):
        their_rates.append(asyncio.run(theirs(args.jobs)))
        ours_rates.append(asyncio.run(ours(args.jobs)))
    ours_best, theirs_best = (
        sorted(ours_rates)[len(ours_rates) // 2],
        sorted(their_rates)[len(their_rates) // 2],
    )
    ratios = sorted(o / t for o, t in zip(ours_rates, their_rates, strict=True))
    report(
        "queue_redis.noop_concurrency_16",
        {
            "jobs per round": args.jobs,
            "RedisQueue + Worker median jobs/s": ours_best,
            "bullmq.Worker median jobs/s (baseline)": theirs_best,
            "ratio ours/bullmq (target >= 1.0)": ours_best / theirs_best,
            "per-round ratios min / max": f"{ratios[0]:.2f} / {ratios[-1]:.2f}",
        },
    )


if __name__ == "__main__":
    main()
