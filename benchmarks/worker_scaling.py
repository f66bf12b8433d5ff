"""Worker scaling: jobs/s for 1, 2 and 4 worker processes on one Redis.

    python -m benchmarks.worker_scaling [--noop-jobs 4000] [--sync-jobs 600] [--workers 1 2 4]

Two kinds of jobs, each on a fresh queue prefix of the Redis at ``REDIS_URL``:

- **noop**: the handler returns at once; what is left is the queue itself (Redis round trips,
  the bullmq client's Lua calls, our worker loop).
- **sync**: real ``sync.product_to_payload`` jobs (`medusa_payload.sync.job_handlers`, async
  clients) against `FakeMedusa` and `FakePayload` served over HTTP by one process of their own
  (``serve_http``), 200 products seeded; each job reads the product from Medusa and upserts
  its content doc in Payload.

Each worker process (``--worker``, concurrency 16) connects, reports ready and waits for a
start key, so process start-up is not timed; the clock runs from the start key to the last job
completed. The baseline is the 1-process rate of the same kind in the same run: the figure is
the speed-up. Beside each rate: the cores that the worker processes (together, from the start
key on), the fakes process and the Redis server kept busy
meanwhile (CPU seconds / wall seconds; Redis is shared, so its figure includes
other clients), which shows what saturates. It prints a table and writes
``docs/assets/worker_scaling.png`` (matplotlib).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis

from benchmarks._util import ROOT, free_port, report
from medusa_payload.queue import JobContext, RedisQueue, RetryPolicy, Worker

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
NAME = "scaling"
CONCURRENCY = 16
PRODUCTS = 200
PLOT = ROOT / "docs" / "assets" / "worker_scaling.png"


# ---- the child processes --------------------------------------------------------------
def serve_fakes(medusa_port: int, payload_port: int, ids_file: str) -> None:
    """Serve a seeded FakeMedusa and FakePayload over HTTP until killed; write the ids."""
    from medusa_payload.testing import FakeMedusa, FakePayload
    from medusa_payload.testing._serve import serve_http

    medusa, payload = FakeMedusa(), FakePayload()
    ids = [medusa.add_product(f"Scale {n}", handle=f"scale-{n}")["id"] for n in range(PRODUCTS)]
    with serve_http(medusa, medusa_port), serve_http(payload, payload_port):
        keys = {"medusa_key": medusa.secret_key, "payload_key": payload.api_key, "ids": ids}
        Path(ids_file).write_text(json.dumps(keys))
        while True:
            time.sleep(3600)


async def work(prefix: str, kind: str, fakes: dict[str, object]) -> None:
    """One worker process: ready, wait for the start key, run until the queue is idle."""
    queue = RedisQueue(URL, name=NAME, prefix=prefix)
    handlers: dict[str, object]
    closers = []
    if kind == "noop":

        async def noop(ctx: JobContext) -> None:
            return None

        handlers = {"noop": noop}
    else:
        from medusa_payload import AsyncMedusaClient, AsyncPayloadClient
        from medusa_payload.sync import job_handlers

        medusa = AsyncMedusaClient(str(fakes["medusa_url"]), api_key=str(fakes["medusa_key"]))
        payload = AsyncPayloadClient(str(fakes["payload_url"]), api_key=str(fakes["payload_key"]))
        closers = [medusa, payload]
        handlers = dict(job_handlers(medusa, payload))
    client = redis.Redis.from_url(URL)
    client.incr(f"{prefix}:ready")
    started = client.blpop([f"{prefix}:go"], timeout=120)  # one start token per process
    if started is None:
        raise SystemExit("no start signal within 120 s")
    cpu = time.process_time()
    await Worker(queue, handlers, concurrency=CONCURRENCY).run_until_idle()  # type: ignore[arg-type]
    client.incrbyfloat(f"{prefix}:cpu", time.process_time() - cpu)
    client.close()
    await queue.close()
    for closer in closers:
        await closer.aclose()  # type: ignore[attr-defined]


# ---- the parent ---------------------------------------------------------------------
async def _fill(prefix: str, kind: str, jobs: int, ids: list[str]) -> None:
    # Every completed job kept, so that the count at the end is the whole run.
    policy = RetryPolicy(keep_completed=jobs, keep_failed=jobs)
    queue = RedisQueue(URL, name=NAME, prefix=prefix, policy=policy)
    for n in range(jobs):
        if kind == "noop":
            await queue.enqueue("noop", {"n": n})
        else:
            await queue.enqueue("sync.product_to_payload", {"product_id": ids[n % len(ids)]})
    await queue.close()


def _completed(prefix: str) -> int:
    async def count() -> int:
        queue = RedisQueue(URL, name=NAME, prefix=prefix, check_eviction=False)
        try:
            stats = await queue.stats()
            return stats.completed + stats.failed
        finally:
            await queue.close()

    return asyncio.run(count())


def _redis_cpu(client: redis.Redis) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def run_one(
    kind: str, processes: int, jobs: int, fakes: dict[str, object], fakes_pid: int
) -> tuple[float, float, float, float]:
    """Jobs/s of ``processes`` workers on ``jobs`` jobs of ``kind``, and the cores that the
    worker processes (together, from the start key on), the fakes process and the Redis server
    kept busy meanwhile (1.0 = one core busy all along)."""
    import psutil

    prefix = f"bench-scale-{uuid.uuid4().hex[:6]}"
    ids = [str(i) for i in fakes.get("ids", [])]  # type: ignore[attr-defined]
    asyncio.run(_fill(prefix, kind, jobs, ids))
    client = redis.Redis.from_url(URL)
    command = [sys.executable, "-m", "benchmarks.worker_scaling", "--worker", prefix, kind]
    env = {**os.environ, "SCALING_FAKES": json.dumps(fakes)}
    procs = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(processes)]
    try:
        deadline = time.monotonic() + 60
        while int(client.get(f"{prefix}:ready") or 0) < processes:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError("a worker process did not start")
            time.sleep(0.02)
        fakes_proc = psutil.Process(fakes_pid)
        fakes_cpu, redis_cpu = sum(fakes_proc.cpu_times()[:2]), _redis_cpu(client)
        started = time.perf_counter()
        client.rpush(f"{prefix}:go", *[1] * processes)
        for proc in procs:
            proc.wait(timeout=600)
        elapsed = time.perf_counter() - started
        workers_cpu = float(client.get(f"{prefix}:cpu") or 0)
        fakes_cpu = sum(fakes_proc.cpu_times()[:2]) - fakes_cpu
        redis_cpu = _redis_cpu(client) - redis_cpu
        done = _completed(prefix)
        if done != jobs:
            raise RuntimeError(f"{done} of {jobs} jobs ended")
        return jobs / elapsed, workers_cpu / elapsed, fakes_cpu / elapsed, redis_cpu / elapsed
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


def _start_fakes() -> tuple[subprocess.Popen[bytes], dict[str, object]]:
    medusa_port, payload_port = free_port(), free_port()
    ids_file = Path(ROOT / ".bench-scaling-fakes.json")
    ids_file.unlink(missing_ok=True)
    command = [sys.executable, "-m", "benchmarks.worker_scaling", "--fakes"]
    command += [str(medusa_port), str(payload_port), str(ids_file)]
    proc = subprocess.Popen(command, cwd=ROOT)
    deadline = time.monotonic() + 60
    while not ids_file.exists() or not ids_file.read_text():
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError("the fakes did not start")
        time.sleep(0.05)
    fakes: dict[str, object] = json.loads(ids_file.read_text())
    ids_file.unlink()
    fakes["medusa_url"] = f"http://127.0.0.1:{medusa_port}"
    fakes["payload_url"] = f"http://127.0.0.1:{payload_port}"
    return proc, fakes


def _plot(workers: list[int], rates: dict[str, list[float]], load: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    for ax, (kind, values) in zip(axes, rates.items(), strict=True):
        ax.plot(workers, values, marker="o", label="measured")
        ax.plot(workers, [values[0] * w for w in workers], linestyle=":", label="linear")
        ax.set_title(f"{kind} jobs")
        ax.set_xlabel("worker processes (concurrency 16 each)")
        ax.set_ylabel("jobs/s")
        ax.set_xticks(workers)
        ax.legend()
    fig.suptitle(
        f"RedisQueue + Worker scaling, one Redis ({time.strftime('%Y-%m-%d')}; "
        f"{os.cpu_count()} cores, load average {load})"
    )
    fig.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(PLOT, dpi=100)


def main() -> None:
    """Measure both kinds for each worker count; print the table, write the plot."""
    if len(sys.argv) > 1 and sys.argv[1] == "--fakes":
        serve_fakes(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        asyncio.run(work(sys.argv[2], sys.argv[3], json.loads(os.environ["SCALING_FAKES"])))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--noop-jobs", type=int, default=4000)
    parser.add_argument("--sync-jobs", type=int, default=600)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    fakes_proc, fakes = _start_fakes()
    rates: dict[str, list[float]] = {"noop": [], "sync": []}
    figures: dict[str, float | int | str] = {"load average (1 min) at start": os.getloadavg()[0]}
    try:
        for kind, jobs in (("noop", args.noop_jobs), ("sync", args.sync_jobs)):
            for processes in args.workers:
                rate, *busy = run_one(kind, processes, jobs, fakes, fakes_proc.pid)
                rates[kind].append(rate)
                key = f"{kind}, {processes} process(es)"
                figures[f"{key}: jobs/s"] = rate
                figures[f"{key}: speed-up vs 1"] = rate / rates[kind][0]
                figures[f"{key}: cores busy, workers / fakes / redis"] = " / ".join(
                    f"{b:.2f}" for b in busy
                )
    finally:
        fakes_proc.kill()
        fakes_proc.wait()
    figures["load average (1 min) at end"] = os.getloadavg()[0]
    load = f"{figures['load average (1 min) at start']:.1f}-{os.getloadavg()[0]:.1f}"
    _plot(args.workers, rates, load)
    figures["plot"] = str(PLOT.relative_to(ROOT))
    report("worker_scaling", figures)


if __name__ == "__main__":
    main()
