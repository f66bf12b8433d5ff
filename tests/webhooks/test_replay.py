"""Replay stores: in-memory expiry and bounds; Redis against a real server (own key prefix)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import pytest

from medusa_payload.errors import ConfigurationError
from medusa_payload.webhooks import (
    InMemoryReplayStore,
    RedisReplayStore,
    ReplayStore,
    WebhookReceiver,
)
from tests.conftest import redis_url
from tests.webhooks.helpers import MEDUSA_SECRET, Clock, FakeQueue, Signer, medusa_body


async def test_in_memory_claim_expire_release() -> None:
    clock = Clock(0.0)
    store = InMemoryReplayStore(clock=clock)
    assert isinstance(store, ReplayStore)
    assert await store.claim("a", 10)
    assert not await store.claim("a", 10)
    clock.now = 10.0
    assert await store.claim("a", 10)  # expired exactly at its deadline
    await store.release("a")
    assert await store.claim("a", 10)
    await store.release("never-claimed")


async def test_in_memory_purges_expired_and_bounds_its_size() -> None:
    clock = Clock(0.0)
    store = InMemoryReplayStore(clock=clock, max_entries=3)
    for key in "abc":
        await store.claim(key, 5)
    await store.claim("d", 5)  # full: the oldest goes
    assert len(store) == 3
    assert await store.claim("a", 5)
    clock.now = 100.0
    await store.claim("e", 5)
    assert len(store) == 1
    with pytest.raises(ConfigurationError):
        InMemoryReplayStore(max_entries=0)


@pytest.fixture
async def redis_store() -> AsyncIterator[RedisReplayStore]:
    redis_asyncio = pytest.importorskip("redis.asyncio")
    client = redis_asyncio.Redis.from_url(redis_url())
    try:
        await client.ping()
    except Exception as exc:  # pragma: no cover - depends on the machine
        await client.aclose()
        pytest.skip(f"Redis unreachable at {redis_url()}: {type(exc).__name__}")
    prefix = f"test:webhooks:{uuid.uuid4().hex}:"
    yield RedisReplayStore(client, prefix=prefix)
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.mark.redis
async def test_redis_claim_release_and_ttl(redis_store: RedisReplayStore) -> None:
    assert isinstance(redis_store, ReplayStore)
    assert await redis_store.claim("medusa:msg_1", 5)
    assert not await redis_store.claim("medusa:msg_1", 5)
    ttl = await redis_store._redis.pttl(redis_store.prefix + "medusa:msg_1")
    assert 0 < ttl <= 5000
    await redis_store.release("medusa:msg_1")
    assert await redis_store.claim("medusa:msg_1", 5)


@pytest.mark.redis
async def test_redis_store_shared_by_two_receiver_processes(
    redis_store: RedisReplayStore, clock: Clock, signer: Signer
) -> None:
    one = WebhookReceiver(
        FakeQueue(), MEDUSA_SECRET, source="medusa", clock=clock, replay_store=redis_store
    )
    two = WebhookReceiver(
        FakeQueue(), MEDUSA_SECRET, source="medusa", clock=clock, replay_store=redis_store
    )
    body = medusa_body()
    headers = signer(body, msg_id=f"msg_{uuid.uuid4().hex}")
    assert (await one.ahandle(body, headers)).status == 202
    replay = await two.ahandle(body, headers)
    assert (replay.status, replay.reason) == (200, "duplicate: webhook-id already received")
    assert one.queue.jobs
    assert not two.queue.jobs
    ttl = await redis_store._redis.pttl(redis_store.prefix + "medusa:" + headers["webhook-id"])
    assert 599_000 < ttl <= 600_000  # twice the 300 s tolerance


def _connections(name: str, *, settle: float = 0.0) -> int:
    """Connections the Redis server holds for clients named ``name``; with ``settle``, wait up
    to that many seconds for them to reach 0 (the server notices a closed socket a moment
    after the client closed it)."""
    import redis

    deadline = time.monotonic() + settle
    with redis.Redis.from_url(redis_url()) as admin:
        while True:
            count = sum(1 for client in admin.client_list() if client.get("name") == name)
            if count == 0 or time.monotonic() >= deadline:
                return count
            time.sleep(0.01)


@pytest.mark.redis
def test_from_env_uses_redis_and_closes_it(clock: Clock, signer: Signer) -> None:
    pytest.importorskip("redis")
    name = f"replay-test-{uuid.uuid4().hex[:12]}"
    url = redis_url() + ("&" if "?" in redis_url() else "?") + f"client_name={name}"
    env = {"MEDUSA_WEBHOOK_SECRET": MEDUSA_SECRET, "REDIS_URL": url}
    receiver = WebhookReceiver.from_env(FakeQueue(), source="medusa", environ=env, clock=clock)
    store = receiver._replay
    assert isinstance(store, RedisReplayStore)
    store.prefix = f"test:webhooks:{uuid.uuid4().hex}:"
    body = medusa_body()
    headers = signer(body)
    try:
        assert receiver.handle(body, headers).status == 202
        assert receiver.handle(body, headers).duplicate
        assert _connections(name) == 1  # the store's own client, on the Redis of REDIS_URL
    finally:

        async def cleanup() -> None:
            await store.release("medusa:" + headers["webhook-id"])

        receiver._loop.run(cleanup())
        receiver.close()
    assert _connections(name, settle=2.0) == 0  # closing the receiver closed its connection
