"""`RedisBus` on a real Redis: fan-out, trimmed gaps, bad entries, Redis stopped and restarted."""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from medusa_payload.unified import Invalidation, RedisBus
from tests.conftest import redis_url
from tests.helpers import close, resolve

from .bus_helpers import OwnRedis, eventually
from .conftest import Shop, make_shop

pytestmark = pytest.mark.redis


@pytest.fixture
async def stream() -> AsyncIterator[str]:
    """A stream name of this test's own on the shared Redis, deleted afterwards."""
    client = aioredis.Redis.from_url(redis_url(), socket_connect_timeout=1)
    try:
        await client.ping()
    except Exception:
        await client.aclose()
        pytest.skip(f"no Redis at {redis_url()}")
    name = f"mp-test-bus:{uuid.uuid4().hex}"
    yield name
    await client.delete(name)
    await client.aclose()


def cached_count(shop: Shop) -> int:
    return sum(s.size for s in shop.unified.cache_stats().values())


async def shutdown(shops: list[Shop], bus: RedisBus) -> None:
    for shop in shops:
        await close(shop.unified)
        for client in shop.clients:
            await close(client)
    await bus.aclose()


async def test_every_replica_gets_each_message(stream: str) -> None:
    bus = RedisBus(redis_url(), stream=stream, block=0.2)
    first = make_shop("async", bus=bus)
    shops = [first, make_shop("sync", like=first, bus=bus), make_shop("async", like=first, bus=bus)]
    try:
        for shop in shops:
            assert await resolve(shop.unified.start(timeout=5))
            await resolve(shop.unified.get_product("live-tee"))
            await resolve(shop.unified.get_product("live-hoodie"))
            await resolve(shop.unified.list_products(limit=5))
        await bus.publish(Invalidation(handle="live-hoodie", reason="product.updated"))
        for shop in shops:
            await eventually(lambda shop=shop: cached_count(shop) == 1)  # the tee stays
    finally:
        await shutdown(shops, bus)


async def test_entries_trimmed_before_they_were_read_are_a_gap(stream: str) -> None:
    bus = RedisBus(redis_url(), stream=stream, maxlen=10, block=0.2)
    subscription = await bus.subscribe()
    try:
        for n in range(300):  # MAXLEN ~ trims whole nodes of 100 entries
            await bus.publish(Invalidation(page=f"p{n}"))
        change = await subscription.next()
        assert change.everything and "trimmed" in change.reason
        await bus.publish(Invalidation(page="after"))
        while (change := await subscription.next()).page != "after":
            assert change.page is not None  # the rest of the batches: no further gap
    finally:
        await subscription.aclose()
        await bus.aclose()


async def test_a_reader_that_keeps_up_finds_no_gap(stream: str) -> None:
    bus = RedisBus(redis_url(), stream=stream, maxlen=10, block=0.2)
    subscription = await bus.subscribe()
    try:
        for n in range(300):
            await bus.publish(Invalidation(page=f"p{n}"))
            assert (await subscription.next()).page == f"p{n}"
    finally:
        await subscription.aclose()
        await bus.aclose()


async def test_a_bad_entry_is_logged_skipped_with_a_full_drop(
    stream: str, caplog: pytest.LogCaptureFixture
) -> None:
    bus = RedisBus(redis_url(), stream=stream, block=0.2)
    shop = make_shop("async", bus=bus)
    raw = aioredis.Redis.from_url(redis_url())
    try:
        assert await shop.unified.start(timeout=5)
        await shop.unified.get_product("live-tee")
        await shop.unified.get_page("about", tenant_id="acme")
        with caplog.at_level(logging.WARNING, "medusa_payload.unified.bus"):
            await raw.xadd(stream, {"foreign": "entry"})
            await eventually(lambda: cached_count(shop) == 0)
            assert "skipped" in caplog.text
            await shop.unified.get_product("live-tee")
            await shop.unified.get_page("about", tenant_id="acme")
            await raw.xadd(stream, {"v": "1", "page": b"\xff"})  # truncated UTF-8
            await eventually(lambda: cached_count(shop) == 0)
        await shop.unified.get_product("live-tee")
        await shop.unified.get_page("about", tenant_id="acme")
        await bus.publish(Invalidation(page="about"))  # the subscriber still runs
        await eventually(lambda: cached_count(shop) == 1)
        assert shop.unified.subscribed
    finally:
        await raw.aclose()
        await shutdown([shop], bus)


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed")
async def test_redis_stopped_and_restarted_under_the_replicas() -> None:
    """Every replica detects the outage, drops its cache, subscribes again; afterwards none
    answers with data older than the last change."""
    server = OwnRedis()
    server.start()
    bus = RedisBus(server.url, stream="bus-restart", block=0.2, timeout=0.5)
    first = make_shop("async", bus=bus)
    shops = [first, make_shop("sync", like=first, bus=bus), make_shop("async", like=first, bus=bus)]
    fake = first.medusa_fake
    tee_id = first.ids["products"]["live-tee"]
    try:
        for shop in shops:
            assert await resolve(shop.unified.start(timeout=5))
            assert (await resolve(shop.unified.get_product("live-tee"))).product.title == "Live Tee"
        server.stop()
        for shop in shops:  # each notices the outage: drops, and is no longer subscribed
            await eventually(lambda shop=shop: cached_count(shop) == 0)
            assert not await resolve(shop.unified.start(timeout=0.01))
            await resolve(shop.unified.get_product("live-tee"))  # cached during the outage
        fake.products[tee_id]["title"] = "Tee v2"  # changed while no message can be sent
        with pytest.raises((OSError, RedisError)):
            await bus.publish(Invalidation(product=tee_id))
        for shop in shops:  # still the copy cached during the outage
            assert not await _title(shop, "Tee v2")
        server.start()
        for shop in shops:  # subscribed again, and the copy of the outage is gone
            assert await resolve(shop.unified.start(timeout=10))
            assert await _title(shop, "Tee v2")
        fake.products[tee_id]["title"] = "Tee v3"
        await bus.publish(Invalidation(product=tee_id, reason="product.updated"))
        for shop in shops:
            await eventually(lambda shop=shop: _title(shop, "Tee v3"), timeout=5)
    finally:
        await shutdown(shops, bus)
        server.cleanup()


async def _title(shop: Shop, title: str) -> bool:
    product = await resolve(shop.unified.get_product("live-tee"))
    return bool(product.product.title == title)
