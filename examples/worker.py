"""A sync worker: takes jobs from the queue and runs the sync engine's handlers.

    python examples/worker.py            # in-memory queue + in-memory fakes (a short demo run)
    REDIS_URL=redis://localhost:6379/0 MEDUSA_BACKEND_URL=... PAYLOAD_CMS_URL=... \\
        python examples/worker.py        # real servers, jobs from Redis, until SIGTERM

Without REDIS_URL it enqueues one job itself and stops when the queue is idle.
"""

from __future__ import annotations

import asyncio
import logging
import os

from medusa_payload.queue import JobContext, Worker, queue_from_env


async def log_job(ctx: JobContext) -> dict[str, str]:
    """A stand-in handler: the real ones come from ``medusa_payload.sync.job_handlers``."""
    for percent in (10, 30, 50, 90, 100):
        await ctx.aprogress(percent)
    logging.info("handled %s %s (request_id=%s)", ctx.name, dict(ctx.data), ctx.request_id)
    return {"handled": ctx.name}


async def main() -> None:
    """Run the worker."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    queue = queue_from_env()
    handlers = {"sync.product_to_payload": log_job}
    worker = Worker(queue, handlers, concurrency=4)
    try:
        if os.environ.get("REDIS_URL"):
            await worker.run()
        else:
            await queue.enqueue("sync.product_to_payload", {"product_id": "prod_demo"})
            stats = await worker.run_until_idle(timeout=30)
            print(f"worker stats: {stats.as_dict()}")
    finally:
        await queue.close()


if __name__ == "__main__":
    asyncio.run(main())
