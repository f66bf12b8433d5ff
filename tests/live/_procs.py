"""Our own processes around the live stack: the SDK's environment for them, spawning and
stopping them, and removing a private Redis queue prefix afterwards.

Shared by the end-to-end live test (``test_e2e_live.py``) and the sustained-load benchmark
(``benchmarks/sustained_live.py``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``check`` every 0.2 s until it gives a true value (returned); `AssertionError`
    after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.2)


def sdk_env(
    live: Mapping[str, str],
    *,
    redis_url: str,
    queue: str,
    prefix: str,
    stats_token: str,
) -> dict[str, str]:
    """The environment of a receiver or worker process on the live stack, on queue ``queue``
    under key prefix ``prefix``. The worker writes as the sync user, whose Payload writes the
    hook does not send (no echo)."""
    return {
        **os.environ,
        "REDIS_URL": redis_url,
        "MEDUSA_BACKEND_URL": live["MEDUSA_URL"],
        "MEDUSA_API_KEY": live["MEDUSA_SECRET_API_KEY"],
        "MEDUSA_PUBLISHABLE_KEY": live["MEDUSA_PUBLISHABLE_KEY"],
        "PAYLOAD_CMS_URL": live["PAYLOAD_URL"],
        "PAYLOAD_API_KEY": live["PAYLOAD_SYNC_API_KEY"],
        "MEDUSA_WEBHOOK_SECRET": live["MEDUSA_WEBHOOK_SECRET"],
        "PAYLOAD_WEBHOOK_SECRET": live["PAYLOAD_WEBHOOK_SECRET"],
        "MEDUSA_PAYLOAD_STATS_TOKEN": stats_token,
        "MEDUSA_PAYLOAD_QUEUE": queue,
        "MEDUSA_PAYLOAD_QUEUE_PREFIX": prefix,
        "PYTHONPATH": str(ROOT),
    }


def spawn(command: list[str], log: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """Start ``command`` in the repository root, stdout and stderr appended to ``log``."""
    with open(log, "ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=out, stderr=out)


def spawn_cli(args: list[str], log: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """Start ``python -m medusa_payload <args>`` (the ``medusa-payload`` command)."""
    return spawn([sys.executable, "-m", "medusa_payload", *args], log, env)


def stop(processes: Iterable[subprocess.Popen[bytes] | None], timeout: float = 10) -> None:
    """SIGTERM each live process, SIGKILL it after ``timeout`` seconds."""
    for proc in processes:
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def delete_prefix(redis_url: str, prefix: str) -> int:
    """Delete every key under ``prefix:``; how many there were."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return len(keys)
    finally:
        client.close()
