"""Our jobs are ordinary BullMQ jobs: Node BullMQ (6.x) produces for our worker and sees ours.

Node's BullMQ is installed on first use into ``~/.cache/medusa-payload/node-bullmq`` from
``tests/queue/node/package.json`` (never into the repository).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from medusa_payload.queue import JobContext, RedisQueue, Worker
from tests.conftest import redis_url
from tests.queue.conftest import redis_available

pytestmark = pytest.mark.redis

NODE_DIR = Path(__file__).parent / "node"
CACHE = Path.home() / ".cache" / "medusa-payload" / "node-bullmq"


def _node_modules() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node/npm not installed")
    manifest = (NODE_DIR / "package.json").read_bytes()
    stamp = CACHE / ".package-hash"
    digest = hashlib.sha256(manifest).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        CACHE.mkdir(parents=True, exist_ok=True)
        (CACHE / "package.json").write_bytes(manifest)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=CACHE,
            check=True,
            timeout=300,
        )
        stamp.write_text(digest)
    return CACHE / "node_modules"


def node(script: str, *args: str) -> Any:
    modules = _node_modules()
    # ES modules resolve packages next to the script: run a copy inside the cache dir.
    target = CACHE / script
    shutil.copyfile(NODE_DIR / script, target)
    result = subprocess.run(
        ["node", str(target), *args],
        cwd=CACHE,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NODE_PATH": str(modules)},
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
async def redis_queue() -> AsyncIterator[RedisQueue]:
    if not redis_available():
        pytest.skip(f"no Redis at {redis_url()}")
    queue = RedisQueue(redis_url(), name="interop", prefix=f"mpn-{uuid.uuid4().hex[:8]}")
    yield queue
    await queue.obliterate()
    await queue.close()


async def test_node_producer_feeds_our_worker(redis_queue: RedisQueue) -> None:
    produced = node("produce.mjs", redis_url(), redis_queue.prefix, redis_queue.name, "3")
    seen: list[dict[str, Any]] = []

    async def record(ctx: JobContext) -> str:
        seen.append(dict(ctx.data))
        assert ctx.max_attempts == 2  # Node's own options are honoured
        return f"done {ctx.data['n']}"

    stats = await Worker(redis_queue, {"record": record}).run_until_idle(timeout=30)
    assert stats.completed == 3
    assert sorted(d["n"] for d in seen) == [0, 1, 2]
    assert {d["from"] for d in seen} == {"node"}
    report = node(
        "inspect.mjs", redis_url(), redis_queue.prefix, redis_queue.name, produced["ids"][0]
    )
    assert report["counts"]["completed"] == 3
    assert report["job"]["returnvalue"] == "done 0"


async def test_node_tools_see_our_jobs(redis_queue: RedisQueue) -> None:
    job = await redis_queue.enqueue("sync.product_to_payload", {"product_id": "prod_1"})
    waiting = node("inspect.mjs", redis_url(), redis_queue.prefix, redis_queue.name, job.id)
    assert waiting["counts"]["waiting"] == 1
    assert waiting["job"] == {
        "id": job.id,
        "name": "sync.product_to_payload",
        "data": {"product_id": "prod_1"},
        "attempts": 4,
        "state": "waiting",
        "returnvalue": None,
    }

    async def handle(ctx: JobContext) -> dict[str, str]:
        return {"synced": ctx.data["product_id"]}

    await Worker(redis_queue, {"sync.product_to_payload": handle}).run_until_idle(timeout=30)
    done = node("inspect.mjs", redis_url(), redis_queue.prefix, redis_queue.name, job.id)
    assert done["job"]["state"] == "completed"
    assert done["job"]["returnvalue"] == {"synced": "prod_1"}


async def test_a_node_worker_runs_our_jobs_and_dedup_is_shared(redis_queue: RedisQueue) -> None:
    job = await redis_queue.enqueue(
        "sync.product_to_payload", {"product_id": "prod_7"}, dedup_key="product:prod_7"
    )
    report = node(
        "consume.mjs", redis_url(), redis_queue.prefix, redis_queue.name, "product:prod_7"
    )
    # Node's add with the same deduplication id returned our job instead of adding one.
    assert report["duplicateId"] == job.id
    assert report["seen"] == [
        {
            "id": job.id,
            "name": "sync.product_to_payload",
            "data": {"product_id": "prod_7"},
            "attemptsMade": 0,
        }
    ]
    info = await redis_queue.get_job(job.id)
    assert info is not None
    assert (info.state, info.result, info.progress) == (
        "completed",
        {"handledBy": "node", "product": "prod_7"},
        50,
    )
    again = await redis_queue.enqueue(
        "sync.product_to_payload", {"product_id": "prod_7"}, dedup_key="product:prod_7"
    )
    assert again.duplicate and again.id == job.id
