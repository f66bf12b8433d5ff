"""`RedisQueue` and `RedisReplayStore` on a real 3-master Redis Cluster (loopback, started and
stopped by this module). A plain client pointed at a node that does not own the queue's slot
gets ``MOVED``; ``cluster=True`` follows the cluster, and all keys of a queue share one slot."""

from __future__ import annotations

import uuid

import pytest
import redis
import redis.asyncio as aioredis
from redis.asyncio.cluster import RedisCluster

from medusa_payload.errors import ConfigurationError
from medusa_payload.queue import JobContext, RedisQueue, RetryPolicy, Worker
from medusa_payload.webhooks import RedisReplayStore
from tests.queue.own_redis import OwnRedisCluster, own_cluster

__all__ = ["own_cluster"]

pytestmark = pytest.mark.slow


def _tag() -> str:
    return "{mp-" + uuid.uuid4().hex[:8] + "}"


async def _keys(cluster: OwnRedisCluster, pattern: str) -> dict[str, list[str]]:
    """Every key matching ``pattern``, by node URL."""
    found: dict[str, list[str]] = {}
    for url in cluster.urls:
        client = aioredis.Redis.from_url(url, decode_responses=True)
        try:
            keys = [k async for k in client.scan_iter(match=pattern, count=1000)]
        finally:
            await client.aclose()
        if keys:
            found[url] = keys
    return found


async def test_a_plain_client_on_the_wrong_node_is_moved(own_cluster: OwnRedisCluster) -> None:
    """Why ``cluster=True`` exists: without it, a node that does not own the slot refuses."""
    prefix = _tag()
    queue = RedisQueue(own_cluster.node_owning(prefix, owns=False), prefix=prefix)
    try:
        with pytest.raises(redis.exceptions.MovedError):
            await queue.enqueue("job", {})
    finally:
        await queue.close()


def test_cluster_mode_needs_a_hash_tag_in_the_prefix(own_cluster: OwnRedisCluster) -> None:
    for prefix in ("bull", "{}bull", "bull{"):
        with pytest.raises(ConfigurationError, match="hash tag"):
            RedisQueue(own_cluster.urls[0], prefix=prefix, cluster=True)


async def test_the_queue_works_retries_and_reports_on_a_cluster(
    own_cluster: OwnRedisCluster,
) -> None:
    prefix = _tag()
    # Any node will do, the one that does not own the slot included.
    url = own_cluster.node_owning(prefix, owns=False)
    policy = RetryPolicy(max_retries=2, initial_delay=0.05)
    queue = RedisQueue(url, name="cluster", prefix=prefix, policy=policy, cluster=True)
    tries: dict[int, int] = {}
    try:
        for n in range(30):
            await queue.enqueue("job", {"n": n})
        await queue.enqueue("job", {"n": 30}, delay=0.2)
        dup = await queue.enqueue("job", {"n": 31}, dedup_key="same")
        again = await queue.enqueue("job", {"n": 32}, dedup_key="same")
        assert again.duplicate and again.id == dup.id
        before = await queue.stats()
        assert (before.waiting, before.delayed) == (31, 1)

        async def handle(ctx: JobContext) -> int:
            n = int(ctx.data["n"])
            tries[n] = ctx.attempt
            if n % 10 == 0 and ctx.attempt == 1:
                raise RuntimeError("first try fails")
            return n

        stats = await Worker(queue, {"job": handle}, concurrency=4).run_until_idle(timeout=60)
        assert (stats.completed, stats.retried, stats.failed, stats.lost) == (32, 4, 0, 0)
        assert sorted(tries) == [*range(31), 31]
        assert all(tries[n] == 2 for n in (0, 10, 20, 30))
        after = await queue.stats()
        assert (after.waiting, after.active, after.delayed, after.completed) == (0, 0, 0, 32)
        info = await queue.get_job(dup.id)
        assert info is not None and (info.state, info.result) == ("completed", 31)

        keys = await _keys(own_cluster, f"{prefix}*")
        assert len(keys) == 1, f"the queue's keys are on {len(keys)} nodes"
        (owner,) = keys
        assert owner == own_cluster.node_owning(prefix)
        client = redis.Redis.from_url(owner)
        try:
            slots = {int(client.execute_command("CLUSTER", "KEYSLOT", k)) for k in keys[owner]}
        finally:
            client.close()
        assert len(keys[owner]) > 30 and len(slots) == 1
    finally:
        await queue.obliterate()
        await queue.close()


async def test_the_replay_store_works_on_a_cluster(own_cluster: OwnRedisCluster) -> None:
    """Its keys are single keys (``SET NX PX``, ``DEL``): a ``RedisCluster`` client routes
    each to its own slot, so no hash tag is needed."""
    client = RedisCluster.from_url(own_cluster.urls[0])
    store = RedisReplayStore(client, prefix=f"mp-replay-{uuid.uuid4().hex[:8]}:")
    try:
        ids = [f"evt_{n}" for n in range(20)]
        assert [await store.claim(i, 30) for i in ids] == [True] * 20
        assert [await store.claim(i, 30) for i in ids] == [False] * 20
        nodes = await _keys(own_cluster, f"{store.prefix}*")
        assert len(nodes) > 1  # spread over the masters, each reached through the cluster
        await store.release(ids[0])
        assert await store.claim(ids[0], 30) is True
        for i in ids:
            await store.release(i)
        assert await _keys(own_cluster, f"{store.prefix}*") == {}
    finally:
        await client.aclose()
