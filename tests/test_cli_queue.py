"""The CLI's queue commands: `queue stats` and `worker` give up within the queue bound when Redis
is down (exit 1, one clear line), and `worker --until-idle` exits 1 when a job failed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid

import pytest
from typer.testing import CliRunner

from medusa_payload.cli import app
from tests.conftest import redis_url
from tests.queue.conftest import redis_available
from tests.queue.own_redis import OwnRedis, own_redis

__all__ = ["own_redis"]  # the fixture

runner = CliRunner()


@pytest.mark.redis
def test_redis_down_is_exit_1_with_a_clear_message(own_redis: OwnRedis) -> None:
    """`queue stats` and `worker` as real processes (run side by side to halve the wait); a
    hang fails the test after 60 s."""
    own_redis.stop()
    env = {**os.environ, "REDIS_URL": own_redis.url}
    commands = [["queue", "stats"], ["worker", "--no-audit"]]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "medusa_payload", *command],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    for command, proc in zip(commands, procs, strict=True):
        try:
            out, err = proc.communicate(timeout=60)
        finally:
            proc.kill()
        assert proc.returncode == 1, (command, out, err)
        assert "queue unavailable: no answer within 5.0 s" in err, command
        assert "Traceback" not in err, command


@pytest.mark.redis
def test_worker_until_idle_exits_1_when_a_job_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    if not redis_available():
        pytest.skip(f"no Redis at {redis_url()}")
    from medusa_payload.queue import BlockingQueue, RedisQueue

    prefix = f"mpcliq-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("REDIS_URL", redis_url())
    args = ["worker", "--queue", "cliq", "--prefix", prefix, "--until-idle", "--no-audit"]
    try:
        with BlockingQueue(lambda: RedisQueue(redis_url(), name="cliq", prefix=prefix)) as queue:
            queue.enqueue("no.such.job", {})  # no handler: fails for good at once
            failed = runner.invoke(app, args)
            assert failed.exit_code == 1, failed.output
            assert "1 job(s) failed for good" in failed.output
            assert queue.stats().failed == 1
            clean = runner.invoke(app, args)  # nothing left to do, nothing failed in this run
            assert clean.exit_code == 0, clean.output
    finally:
        asyncio.run(_obliterate(prefix))


async def _obliterate(prefix: str) -> None:
    from medusa_payload.queue import RedisQueue

    queue = RedisQueue(redis_url(), name="cliq", prefix=prefix)
    await queue.obliterate()
    await queue.close()
