"""In-memory queue: noop jobs end to end (enqueue, reserve, handle, complete).

    python -m benchmarks.queue_inmemory [--jobs 50000] [--rounds 3]

Baseline in the same run: the same noop jobs through a bare ``asyncio.Queue`` with the same
number of consumer tasks (no leases, retries, retention or stats). Target (issue 6):
>= 20,000 jobs/s for `InMemoryQueue` + `Worker`.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from benchmarks._util import report
from medusa_payload.queue import InMemoryQueue, JobContext, RetryPolicy, Worker

CONCURRENCY = 16


async def noop(ctx: JobContext) -> None:
    return None


async def ours(jobs: int) -> float:
    queue = InMemoryQueue(policy=RetryPolicy(keep_completed=100))
    started = time.perf_counter()
    for n in range(jobs):
        await queue.enqueue("noop", {"n": n})
    stats = await Worker(queue, {"noop": noop}, concurrency=CONCURRENCY).run_until_idle()
    elapsed = time.perf_counter() - started
    assert stats.completed == jobs, stats
    return jobs / elapsed


async def baseline(jobs: int) -> float:
    queue: asyncio.Queue[dict[str, int] | None] = asyncio.Queue()
    done = 0

    async def consumer() -> None:
        nonlocal done
        while (item := await queue.get()) is not None:
            await noop(item)  # type: ignore[arg-type]
            done += 1

    started = time.perf_counter()
    for n in range(jobs):
        queue.put_nowait({"n": n})
    for _ in range(CONCURRENCY):
        queue.put_nowait(None)
    await asyncio.gather(*(consumer() for _ in range(CONCURRENCY)))
    elapsed = time.perf_counter() - started
    assert done == jobs
    return jobs / elapsed


def main() -> None:
    """Run both, best of ``--rounds``, and print jobs/s and the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    base = max(asyncio.run(baseline(args.jobs)) for _ in range(args.rounds))
    rate = max(asyncio.run(ours(args.jobs)) for _ in range(args.rounds))
    report(
        "queue_inmemory.noop_end_to_end",
        {
            "jobs": args.jobs,
            "InMemoryQueue + Worker jobs/s (target >= 20000)": rate,
            "bare asyncio.Queue jobs/s (baseline)": base,
            "ratio ours/baseline": rate / base,
        },
    )


if __name__ == "__main__":
    main()
