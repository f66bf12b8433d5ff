"""Crashes, restarts and signals, with real worker processes and a real Redis (``-m slow``)."""

from __future__ import annotations

import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from medusa_payload.queue import RedisQueue, SyncQueue
from tests.conftest import redis_url
from tests.queue.conftest import redis_available

pytestmark = [pytest.mark.slow, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def prefix() -> Iterator[str]:
    if not redis_available():
        pytest.skip(f"no Redis at {redis_url()}")
    name = f"mpr-{uuid.uuid4().hex[:8]}"
    yield name
    client = redis.Redis.from_url(redis_url())
    keys = list(client.scan_iter(match=f"{name}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


LOGS = Path(tempfile.gettempdir()) / "medusa-payload-reliability"


def start_worker(url: str, prefix: str, *extra: str) -> subprocess.Popen[bytes]:
    """A worker process; its stderr goes to ``$TMPDIR/medusa-payload-reliability/<prefix>.log``."""
    LOGS.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "tests.queue.worker_proc", "--redis", url, "--prefix", prefix]
    with open(LOGS / f"{prefix}.log", "ab") as log:
        return subprocess.Popen([*command, *extra], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)


def enqueue(url: str, prefix: str, jobs: list[dict[str, object]]) -> None:
    with SyncQueue(lambda: RedisQueue(url, name="reliability", prefix=prefix)) as queue:
        for job in jobs:
            queue.enqueue("record", job)


def wait_for(predicate, timeout: float, step: float = 0.05) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not true after {timeout} s")
        time.sleep(step)
    return time.monotonic() - started


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_sigkill_mid_job_another_worker_completes_it(prefix: str) -> None:
    """Bound: lock_duration + 2 x stalled_interval (BullMQ's check marks, then moves)."""
    url, lock, stalled = redis_url(), 2.0, 1.0
    client = redis.Redis.from_url(url)
    enqueue(url, prefix, [{"n": 1, "sleep": 30}])
    args = ("--lock", str(lock), "--stalled", str(stalled), "--concurrency", "1")
    doomed = start_worker(url, prefix, *args)
    procs = [doomed]
    try:
        wait_for(lambda: client.sismember(f"{prefix}:started", 1), 20)
        rescuer = start_worker(url, prefix, *args)
        procs.append(rescuer)
        wait_for(lambda: client.scard(f"{prefix}:workers-up") == 2, 20)
        client.delete(f"{prefix}:started")
        doomed.kill()
        killed_at = time.monotonic()
        # The rescuer starts the job again, then it sleeps 30 s: check it was taken over.
        wait_for(lambda: client.sismember(f"{prefix}:started", 1), lock + 2 * stalled + 3)
        took_over = time.monotonic() - killed_at
        assert took_over <= lock + 2 * stalled + 1.0, took_over
        print(
            f"\ntaken over {took_over:.2f} s after SIGKILL (bound {lock + 2 * stalled:.1f} s + 1)"
        )
    finally:
        stop(procs)
        client.close()


def test_ten_thousand_jobs_two_workers_random_sigkills(prefix: str) -> None:
    url = redis_url()
    client = redis.Redis.from_url(url)
    total = 10_000
    enqueue(url, prefix, [{"n": n} for n in range(total)])
    args = ("--concurrency", "16", "--lock", "2", "--stalled", "1", "--max-stalled", "10")
    procs = [start_worker(url, prefix, *args) for _ in range(2)]
    rng = random.Random(7)
    kills = 0
    try:
        deadline = time.monotonic() + 240
        while client.scard(f"{prefix}:done") < total:
            assert time.monotonic() < deadline, f"only {client.scard(f'{prefix}:done')} done"
            time.sleep(rng.uniform(0.4, 1.2))
            if kills < 8 and client.scard(f"{prefix}:done") < total * 0.9:
                victim = rng.randrange(len(procs))
                procs[victim].kill()
                procs[victim].wait()
                kills += 1
                procs[victim] = start_worker(url, prefix, *args)
        executions = int(client.get(f"{prefix}:executions") or 0)
        with SyncQueue(lambda: RedisQueue(url, name="reliability", prefix=prefix)) as queue:
            stats = queue.stats()
        assert client.scard(f"{prefix}:done") == total
        assert stats.failed == 0
        assert stats.waiting == stats.active == stats.delayed == 0
        duplicates = executions - total
        # Only a killed worker's in-flight jobs (at most --concurrency each) may run twice.
        assert 0 <= duplicates <= kills * 16, (duplicates, kills)
        print(f"\n{total} jobs, {kills} SIGKILLs: none lost, {duplicates} ran twice (harmless)")
    finally:
        stop(procs)
        client.close()


def test_sigterm_finishes_in_flight_jobs_and_loses_nothing(prefix: str) -> None:
    url = redis_url()
    client = redis.Redis.from_url(url)
    enqueue(url, prefix, [{"n": n, "sleep": 1.0} for n in range(6)])
    worker = start_worker(url, prefix, "--concurrency", "2")
    try:
        wait_for(lambda: client.scard(f"{prefix}:started") == 2, 20)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0
        started = {int(x) for x in client.smembers(f"{prefix}:started")}
        done = {int(x) for x in client.smembers(f"{prefix}:done")}
        assert done == started  # what began, finished
        with SyncQueue(lambda: RedisQueue(url, name="reliability", prefix=prefix)) as queue:
            stats = queue.stats()
        assert stats.active == 0
        assert stats.waiting + stats.completed == 6
        finisher = start_worker(url, prefix, "--concurrency", "4")
        wait_for(lambda: client.scard(f"{prefix}:done") == 6, 30)
        stop([finisher])
        assert int(client.get(f"{prefix}:executions") or 0) == 6  # nothing ran twice
    finally:
        stop([worker])
        client.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_redis(port: int, data_dir: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            data_dir,
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    probe = redis.Redis(port=port)
    wait_for(lambda: _pings(probe), 10)
    probe.close()
    return proc


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed")
def test_redis_restart_mid_run_workers_resume(prefix: str) -> None:
    port = _free_port()
    data_dir = tempfile.mkdtemp(prefix="mp-redis-")
    url = f"redis://127.0.0.1:{port}/0"
    server = _start_redis(port, data_dir)
    client = redis.Redis(port=port)
    total = 1500
    procs: list[subprocess.Popen[bytes]] = []
    try:
        enqueue(url, prefix, [{"n": n, "sleep": 0.01} for n in range(total)])
        procs = [start_worker(url, prefix, "--concurrency", "8") for _ in range(2)]
        wait_for(lambda: client.scard(f"{prefix}:done") > 200, 60)
        server.kill()  # appendfsync always: every acknowledged write is on disk
        server.wait()
        time.sleep(2)
        server = _start_redis(port, data_dir)
        wait_for(lambda: _done(client, prefix) == total, 180, step=0.2)
        assert all(p.poll() is None for p in procs), "a worker died with the Redis outage"
        with SyncQueue(lambda: RedisQueue(url, name="reliability", prefix=prefix)) as queue:
            stats = queue.stats()
        assert stats.failed == 0
    finally:
        stop(procs)
        client.close()
        server.kill()
        server.wait()
        shutil.rmtree(data_dir, ignore_errors=True)


def _done(client: redis.Redis, prefix: str) -> int:
    try:
        return int(client.scard(f"{prefix}:done"))
    except redis.ConnectionError:
        return -1
