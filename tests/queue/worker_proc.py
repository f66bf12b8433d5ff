"""A worker process for the reliability tests (real processes, real Redis).

    python -m tests.queue.worker_proc --redis URL --prefix P [--concurrency 8] [--lock 2]
        [--stalled 1] [--max-stalled 2]

Handler ``record``: counts each execution (``P:executions``), sleeps ``data["sleep"]``
seconds, then adds ``data["n"]`` to the set ``P:done``: idempotent, so a job run twice after a
crash is harmless and visible as an extra execution.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

import redis.asyncio as aioredis

from medusa_payload.queue import JobContext, RedisQueue, RetryPolicy, Worker


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--name", default="reliability")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--lock", type=float, default=2.0)
    parser.add_argument("--stalled", type=float, default=1.0)
    parser.add_argument("--max-stalled", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(process)d %(message)s")
    asyncio.run(run(args))


async def run(args: argparse.Namespace) -> None:
    client = aioredis.Redis.from_url(args.redis)
    policy = RetryPolicy(lock_duration=args.lock, max_stalled=args.max_stalled, initial_delay=0.1)
    queue = RedisQueue(args.redis, name=args.name, prefix=args.prefix, policy=policy)

    async def record(ctx: JobContext) -> int:
        await client.incr(f"{args.prefix}:executions")
        await client.sadd(f"{args.prefix}:started", ctx.data["n"])
        if ctx.data.get("sleep"):
            await asyncio.sleep(float(ctx.data["sleep"]))
        await client.sadd(f"{args.prefix}:done", ctx.data["n"])
        return int(ctx.data["n"])

    worker = Worker(
        queue,
        {"record": record},
        concurrency=args.concurrency,
        lock_duration=args.lock,
        stalled_interval=args.stalled,
        poll_interval=0.2,
    )
    await client.sadd(f"{args.prefix}:workers-up", worker.id)
    try:
        await worker.run()
    finally:
        await queue.close()
        await client.aclose()


if __name__ == "__main__":
    main()
