"""`RedisSharedCache` on a real Redis: replicas share values, invalidations reach Redis, the
refill race is refused, and a Redis that is down, slow or holds garbage never fails a read."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import redis.asyncio as aioredis
from pydantic import SecretStr

from medusa_payload.errors import ConfigurationError, NotFoundError
from medusa_payload.unified import (
    CacheConfig,
    InMemoryBus,
    Invalidation,
    RedisBus,
    RedisSharedCache,
)
from medusa_payload.unified._keys import ProductKey
from tests.conftest import redis_url
from tests.helpers import close, resolve

from .bus_helpers import OwnRedis, eventually
from .conftest import Shop, make_shop

pytestmark = pytest.mark.redis

KINDS = ["sync", "async"]
TEE_KEY = ProductKey("live-tee", None, None, None, False, None)


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """A key prefix of this test's own on the shared Redis; its keys are deleted afterwards."""
    client = aioredis.Redis.from_url(redis_url(), socket_connect_timeout=1)
    try:
        await client.ping()
    except Exception:
        await client.aclose()
        pytest.skip(f"no Redis at {redis_url()}")
    name = f"mp-test-shared:{uuid.uuid4().hex}:"
    yield name
    async for key in client.scan_iter(match=f"{name}*", count=500):
        await client.delete(key)
    await client.aclose()


@pytest.fixture
async def redis_client() -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url(), socket_connect_timeout=1)
    yield client
    await client.aclose()


@pytest.fixture
async def shared(prefix: str) -> AsyncIterator[RedisSharedCache]:
    # 1 s, not the 0.1 s default: a loaded 2-core CI box must not turn into an outage.
    cache = RedisSharedCache(redis_url(), prefix=prefix, timeout=1.0)
    yield cache
    await cache.aclose()


class Fleet:
    """Replicas on the same fakes, closed at the end."""

    def __init__(self) -> None:
        self.shops: list[Shop] = []
        self.closing: list[RedisSharedCache] = []  # shared caches closed after the shops

    def add(self, kind: str, **options: Any) -> Shop:
        like = self.shops[0] if self.shops else None
        shop = make_shop(kind, like=like, **options)
        self.shops.append(shop)
        return shop

    async def close(self) -> None:
        for shop in self.shops:
            await close(shop.unified)
            for client in shop.clients:
                await close(client)
        for shared in self.closing:
            await shared.aclose()


@pytest.fixture
async def fleet() -> AsyncIterator[Fleet]:
    made = Fleet()
    yield made
    await made.close()


def upstream(shop: Shop) -> int:
    """Requests the fakes have answered so far (both servers)."""
    return len(shop.medusa_fake.requests) + len(shop.payload_fake.requests)


def stats(shop: Shop, resource: str = "products") -> Any:
    return shop.unified.cache_stats()[resource]


async def title(shop: Shop) -> str:
    return str((await resolve(shop.unified.get_product("live-tee"))).title)


async def read_everything(shop: Shop) -> list[Any]:
    """One read of each cached kind: product, product page, CMS page, branding, lists."""
    unified = shop.unified
    page = await resolve(unified.list_products(limit=2))
    return [
        await resolve(unified.get_product("live-tee")),
        (page.items, page.count, page.offset, page.limit, page.has_next_page()),
        await resolve(unified.get_page("about", tenant_id="acme")),
        await resolve(unified.get_store_branding("acme")),
        await resolve(unified.list_stores()),
        await resolve(unified.list_regions()),
        await resolve(unified.list_collections()),
        await resolve(unified.list_categories()),
    ]


@pytest.mark.parametrize("kind", KINDS)
async def test_a_cold_replica_answers_from_redis_without_asking_upstream(
    kind: str, shared: RedisSharedCache, fleet: Fleet
) -> None:
    warm = fleet.add(kind, shared_cache=shared)
    first = await read_everything(warm)
    assert stats(warm).shared_misses >= 2 and stats(warm).shared_hits == 0
    before = upstream(warm)
    cold = fleet.add("async" if kind == "sync" else "sync", shared_cache=shared)  # the twin
    assert await read_everything(cold) == first
    assert upstream(warm) == before  # not one request to Medusa or Payload
    assert stats(cold).misses == 0 and stats(cold).shared_hits == 2
    assert stats(cold, "pages").shared_hits == 1 and stats(cold, "regions").shared_hits == 1
    # now in the cold replica's own cache: no further Redis read
    await read_everything(cold)
    assert stats(cold).shared_hits == 2 and stats(cold).hits >= 2
    # the next page of a page read from Redis still walks on
    page = await resolve(cold.unified.list_products(limit=2))
    assert page.has_next_page()
    assert (await resolve(page.next_page())).offset == 2


async def test_entries_expire_in_redis_with_the_resource_ttl(
    shared: RedisSharedCache, fleet: Fleet, redis_client: aioredis.Redis
) -> None:
    config = CacheConfig(products=0.5)
    warm = fleet.add("async", cache=config, shared_cache=shared)
    await title(warm)
    name = shared.entry_key(warm.unified._shared.namespace, "products", TEE_KEY)
    assert 0 < await redis_client.pttl(name) <= 500
    replica = fleet.add("sync", cache=config, shared_cache=shared)
    await title(replica)
    assert stats(replica).shared_hits == 1
    await asyncio.sleep(0.6)  # Redis expires in real time
    cold = fleet.add("async", cache=config, shared_cache=shared)
    before = upstream(warm)
    await title(cold)
    assert stats(cold).shared_misses == 1 and upstream(warm) > before


async def test_a_replica_keeps_a_shared_value_no_longer_than_redis_does(
    shared: RedisSharedCache, fleet: Fleet
) -> None:
    warm = fleet.add("async", shared_cache=shared)
    await title(warm)
    replica = fleet.add("async", shared_cache=shared)
    replica.clock.now = 0.0
    await title(replica)  # read from Redis with ~60 s left
    replica.clock.now = 59.0
    await title(replica)
    assert stats(replica).hits == 1
    replica.clock.now = 61.0  # the remaining TTL, not a fresh 60 s: asks again
    await title(replica)
    assert stats(replica).hits == 1 and stats(replica).shared_hits == 2


@pytest.mark.parametrize("kind", KINDS)
async def test_an_invalidation_on_the_bus_reaches_redis_and_every_replica(
    kind: str, shared: RedisSharedCache, fleet: Fleet, prefix: str
) -> None:
    bus = RedisBus(redis_url(), stream=f"{prefix}bus", block=0.2)
    try:
        a = fleet.add(kind, bus=bus, shared_cache=shared)
        b = fleet.add("async" if kind == "sync" else "sync", bus=bus, shared_cache=shared)
        for shop in (a, b):
            assert await resolve(shop.unified.start(timeout=5))
            assert await title(shop) == "Live Tee"
        assert stats(b).shared_hits == 1  # subscribing (a gap) dropped nothing in Redis
        tee = a.ids["products"]["live-tee"]
        a.medusa_fake.products[tee]["title"] = "Tee v2"
        await bus.publish(Invalidation(product=tee, reason="product.updated"))
        for shop in (a, b):  # a replica that refilled from a stale Redis entry never gets here
            await eventually(lambda shop=shop: _is(shop, "Tee v2"))
        cold = fleet.add(kind, shared_cache=shared)
        assert await title(cold) == "Tee v2"
    finally:
        await bus.aclose()


async def _is(shop: Shop, expected: str) -> bool:
    return await title(shop) == expected


@pytest.mark.parametrize("kind", KINDS)
async def test_invalidate_drops_the_shared_entry_too(
    kind: str, shared: RedisSharedCache, fleet: Fleet
) -> None:
    a = fleet.add(kind, shared_cache=shared)
    await resolve(a.unified.get_store_branding("acme"))
    await resolve(a.unified.get_product("live-tee", store_id="acme"))
    await resolve(a.unified.get_page("about", tenant_id="acme"))
    store_id = str(a.ids["store_id"])
    a.unified.invalidate(store=store_id)  # by id: the entries asked by handle depend on it
    a.unified.invalidate(page="about")
    assert await resolve(a.unified._shared.push())
    cold = fleet.add(kind, shared_cache=shared)
    await resolve(cold.unified.get_product("live-tee", store_id="acme"))
    await resolve(cold.unified.get_page("about", tenant_id="acme"))
    assert stats(cold).shared_hits == 0 and stats(cold, "pages").shared_hits == 0
    assert stats(cold, "branding").shared_hits == 0


@pytest.mark.parametrize("kind", KINDS)
async def test_invalidate_all_empties_redis_but_a_bus_gap_does_not(
    kind: str, shared: RedisSharedCache, fleet: Fleet
) -> None:
    bus = InMemoryBus()
    a = fleet.add(kind, bus=bus, shared_cache=shared)
    assert await resolve(a.unified.start(timeout=5))
    await title(a)
    await bus.publish(Invalidation.all("gap: test"))
    await eventually(lambda: stats(a).size == 0)
    b = fleet.add(kind, shared_cache=shared)
    await title(b)
    assert stats(b).shared_hits == 1
    b.unified.invalidate_all()
    assert await resolve(b.unified._shared.push())
    c = fleet.add(kind, shared_cache=shared)
    await title(c)
    assert stats(c).shared_hits == 0 and stats(c).shared_misses == 1


@pytest.mark.parametrize("kind", KINDS)
async def test_a_value_fetched_before_a_change_is_refused_by_redis(
    kind: str, shared: RedisSharedCache, fleet: Fleet
) -> None:
    """Replica A fetches the old title; the change lands and replica B tells Redis; only then
    does A try to store what it fetched: Redis refuses it, so no replica ever reads it."""
    a = fleet.add(kind, shared_cache=shared)
    b = fleet.add(kind, shared_cache=shared)
    tee = a.ids["products"]["live-tee"]
    original = a.unified._fetch_product

    def change() -> None:
        a.medusa_fake.products[tee]["title"] = "Tee v2"
        b.unified.invalidate(product=tee)

    if kind == "async":

        async def fetch_then_change(key: Any, route: Any) -> Any:
            value = await original(key, route)
            change()
            assert await b.unified._shared.push()  # in Redis before A writes
            return value

    else:

        def fetch_then_change(key: Any, route: Any) -> Any:  # type: ignore[misc]
            value = original(key, route)
            change()  # the sync client sends it at once
            return value

    a.unified._fetch_product = fetch_then_change
    assert await title(a) == "Live Tee"  # A's caller gets what A fetched...
    assert stats(a).shared_refused == 1  # ...but Redis did not take it
    cold = fleet.add(kind, shared_cache=shared)
    assert await title(cold) == "Tee v2"
    assert stats(cold).shared_misses == 1


async def test_an_entry_written_before_a_change_is_dropped_when_read(
    shared: RedisSharedCache, fleet: Fleet, redis_client: aioredis.Redis
) -> None:
    """The other order: A's write lands first, the change's number after it."""
    a = fleet.add("async", shared_cache=shared)
    await title(a)
    name = shared.entry_key(a.unified._shared.namespace, "products", TEE_KEY)
    assert await redis_client.exists(name)
    tee = a.ids["products"]["live-tee"]
    a.medusa_fake.products[tee]["title"] = "Tee v2"
    a.unified.invalidate(product=tee)
    assert await a.unified._shared.push()
    assert await redis_client.exists(name)  # nothing looked for it...
    cold = fleet.add("sync", shared_cache=shared)
    assert await title(cold) == "Tee v2"  # ...the read refused it
    assert stats(cold).shared_misses == 1


@pytest.mark.parametrize("kind", KINDS)
async def test_not_found_and_degraded_answers_stay_in_the_replica(
    kind: str, shared: RedisSharedCache, fleet: Fleet, redis_client: aioredis.Redis
) -> None:
    a = fleet.add(kind, shared_cache=shared)
    with pytest.raises(NotFoundError):
        await resolve(a.unified.get_product("no-such-product"))
    fault = a.payload_fake.inject("* /api/*", refuse=True)
    degraded = await resolve(a.unified.get_product("live-tee"))
    assert degraded.content_status == "unavailable"
    name = shared.entry_key(a.unified._shared.namespace, "products", TEE_KEY)
    assert not await redis_client.exists(name)  # one replica's outage poisons no other
    a.payload_fake.remove_fault(fault)
    b = fleet.add(kind, shared_cache=shared)
    before = upstream(a)
    with pytest.raises(NotFoundError):
        await resolve(b.unified.get_product("no-such-product"))
    assert (await resolve(b.unified.get_product("live-tee"))).content_status == "ok"
    assert upstream(a) > before and stats(b).shared_hits == 0


async def test_content_patched_from_a_stale_copy_is_not_shared(
    shared: RedisSharedCache, fleet: Fleet, redis_client: aioredis.Redis
) -> None:
    a = fleet.add("async", shared_cache=shared)
    await title(a)
    name = shared.entry_key(a.unified._shared.namespace, "products", TEE_KEY)
    await redis_client.delete(name)
    a.clock.now += 61
    a.payload_fake.inject("* /api/*", status=500)
    patched = await resolve(a.unified.get_product("live-tee"))
    assert patched.content_status == "ok" and stats(a).stale_served == 1
    assert not await redis_client.exists(name)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_corrupt_or_foreign_entry_is_skipped_deleted_and_replaced(
    kind: str, shared: RedisSharedCache, fleet: Fleet, redis_client: aioredis.Redis
) -> None:
    a = fleet.add(kind, shared_cache=shared)
    good = await resolve(a.unified.get_product("live-tee"))
    name = shared.entry_key(a.unified._shared.namespace, "products", TEE_KEY)
    for n, spoil in enumerate(
        [
            lambda: redis_client.hset(name, "v", b'{"product": 42'),  # not the model
            lambda: redis_client.hset(name, "v", b"\xff\xfe"),  # not even UTF-8
            lambda: redis_client.set(name, "foreign"),  # not a hash
            lambda: redis_client.hset(name, "s", "not a number"),
        ],
        start=1,
    ):
        await redis_client.delete(name)
        await redis_client.hset(name, mapping={"v": "{}", "s": "0", "t": "*"})
        await spoil()
        cold = fleet.add(kind, shared_cache=shared)
        assert await resolve(cold.unified.get_product("live-tee")) == good
        assert stats(cold).shared_corrupt == 1, n
        assert await redis_client.hget(name, "v") != b"{}"  # replaced by a good entry
        again = fleet.add(kind, shared_cache=shared)
        await resolve(again.unified.get_product("live-tee"))
        assert stats(again).shared_hits == 1


@pytest.mark.parametrize("kind", KINDS)
async def test_hostile_ids_neither_collide_nor_break(
    kind: str, shared: RedisSharedCache, fleet: Fleet
) -> None:
    a = fleet.add(kind, shared_cache=shared)
    handles = ["a:b", "a", "b", "é:🎉\n x", "x" * 5000, "e1:h:a:b", '["a"]']
    for handle in handles:
        made = a.medusa_fake.add_product(f"T {handle[:20]!r}", handle=handle)
        a.payload_fake.add_product_content(handle, medusa_product_id=made["id"])
    first = {h: await resolve(a.unified.get_product(h)) for h in handles}
    assert stats(a).shared_errors == 0
    cold = fleet.add(kind, shared_cache=shared)
    for handle in handles:
        assert await resolve(cold.unified.get_product(handle)) == first[handle]
    assert stats(cold).shared_hits == len(handles) and stats(cold).misses == 0
    cold.unified.invalidate(handle="x" * 5000)
    assert await resolve(cold.unified._shared.push())
    last = fleet.add(kind, shared_cache=shared)
    for handle in handles:
        await resolve(last.unified.get_product(handle))
    assert stats(last).shared_hits == len(handles) - 1


# ---------------------------------------------------------------- Redis down or slow
@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed")
    port = int(os.environ.get("MEDUSA_PAYLOAD_TEST_OWN_REDIS_PORT", "0")) or None
    server = OwnRedis(port)
    server.start()
    yield server
    server.cleanup()


@pytest.mark.parametrize("kind", KINDS)
async def test_redis_stopped_mid_run_never_fails_a_read(
    kind: str, fleet: Fleet, own_redis: OwnRedis, caplog: pytest.LogCaptureFixture
) -> None:
    shared = RedisSharedCache(own_redis.url, prefix="t:", timeout=0.1, retry_after=0.3)
    try:
        a = fleet.add(kind, shared_cache=shared)
        await title(a)
        b = fleet.add(kind, shared_cache=shared)
        own_redis.stop()
        with caplog.at_level(logging.WARNING, logger="medusa_payload.unified.shared_cache"):
            started = time.monotonic()
            assert await title(b) == "Live Tee"  # from Medusa/Payload
            await resolve(b.unified.get_page("about", tenant_id="acme"))
            assert time.monotonic() - started < 1.0
        assert stats(b).shared_errors == 1
        assert stats(b, "pages").shared_skipped == 1  # Redis left alone after the failure
        assert caplog.text.count("shared cache:") == 1  # once per outage, not per read
        tee = a.ids["products"]["live-tee"]
        a.medusa_fake.products[tee]["title"] = "Tee v2"
        b.unified.invalidate(product=tee)  # kept until Redis takes it
        assert shared.pending()
        own_redis.start()  # an empty Redis again
        await asyncio.sleep(0.35)  # retry_after
        assert await title(b) == "Tee v2"  # b's own entry was dropped; Redis asked again
        assert not shared.pending()  # sent before the read
        c = fleet.add(kind, shared_cache=shared)
        assert await title(c) == "Tee v2"
        assert stats(c).shared_hits == 1
    finally:
        await shared.aclose()


@pytest.mark.parametrize("kind", KINDS)
async def test_a_redis_that_never_answers_costs_one_timeout(kind: str, fleet: Fleet) -> None:
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        shared = RedisSharedCache(f"redis://127.0.0.1:{port}/0", timeout=0.1, retry_after=5)
        try:
            shop = fleet.add(kind, shared_cache=shared)
            started = time.monotonic()
            assert await title(shop) == "Live Tee"
            await resolve(shop.unified.get_page("about", tenant_id="acme"))
            await resolve(shop.unified.list_regions())
            elapsed = time.monotonic() - started
            assert elapsed < 0.6, elapsed  # one 0.1 s timeout, then Redis is left alone
            assert stats(shop).shared_errors == 1
            assert stats(shop, "regions").shared_skipped == 1
        finally:
            await shared.aclose()


# ---------------------------------------------------------------- who reads
@pytest.mark.parametrize("who", ["payload_api_key", "payload_login", "customer", "header"])
@pytest.mark.parametrize("kind", KINDS)
async def test_a_replica_reading_as_someone_else_never_reads_anothers_entries(
    kind: str, who: str, shared: RedisSharedCache, fleet: Fleet
) -> None:
    """Payload's access control (an API key, a user logged in after the client was made), a
    Medusa customer's prices and a custom header can change an answer: such a replica has
    entries of its own."""
    warm = fleet.add(kind, shared_cache=shared)
    await title(warm)
    other = fleet.add(kind, shared_cache=shared)
    medusa, payload = other.clients
    if who == "payload_api_key":
        payload.api_key = SecretStr(other.payload_fake.api_key)
    elif who == "payload_login":
        payload.token = SecretStr("jwt-of-an-editor")  # what login() sets
    elif who == "customer":
        other.unified.medusa = medusa.with_customer("customer-token")
    else:
        medusa._http.headers["x-medusa-locale"] = "fr"
    before = upstream(warm)
    await title(other)
    assert stats(other).shared_hits == 0 and upstream(warm) > before
    alike = fleet.add(kind, shared_cache=shared)  # configured as the first: shares with it
    await title(alike)
    assert stats(alike).shared_hits == 1


# ---------------------------------------------------------------- closing
_CLOSE_SCRIPT = """
import asyncio, gc, sys
from medusa_payload import AsyncMedusaClient, AsyncPayloadClient
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo
from medusa_payload.unified import AsyncUnifiedClient, RedisSharedCache

async def scenario(order, prefix):
    fm, fp = FakeMedusa(), FakePayload()
    seed_demo(fm, fp)
    shared = RedisSharedCache(sys.argv[1], prefix=prefix, timeout=1.0)
    m = AsyncMedusaClient(fm.base_url, publishable_key=fm.publishable_key, transport=fm.transport)
    p = AsyncPayloadClient(fp.base_url, transport=fp.transport)
    shop = AsyncUnifiedClient(medusa=m, payload=p, shared_cache=shared)
    await shop.get_product("live-tee")
    shop.invalidate(handle="live-tee")   # its invalidation is being sent when closing starts
    if order == "shared-first":
        await shared.aclose()
        await shop.aclose()
    else:
        await shop.aclose()
        await shared.aclose()
    assert not shared.pending(), order
    await m.aclose()
    await p.aclose()

for order in ("client-first", "shared-first"):
    asyncio.run(scenario(order, sys.argv[2] + order), debug=True)
    gc.collect()
loop = asyncio.new_event_loop()   # not asyncio.run: nothing cancels what is left
loop.run_until_complete(scenario("client-first", sys.argv[2] + "loop"))
loop.close()
gc.collect()
print("ok")
"""


async def test_closing_in_either_order_leaks_no_task_nor_connection(prefix: str) -> None:
    """An invalidation being sent when the client and the shared cache close: it is waited
    for, in either order, and no connection is opened again after the shared cache closed."""
    done = await asyncio.to_thread(
        subprocess.run,
        [
            *(sys.executable, "-X", "dev", "-W", "error::ResourceWarning", "-c"),
            *(_CLOSE_SCRIPT, redis_url(), prefix),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    noise = [
        line
        for line in done.stderr.splitlines()
        if "Warning" in line or "destroyed" in line or "unclosed" in line.lower()
    ]
    assert not noise, done.stderr


# ---------------------------------------------------------------- huge values
@pytest.mark.parametrize("kind", KINDS)
async def test_a_value_over_max_value_bytes_stays_in_the_replica(
    kind: str, prefix: str, fleet: Fleet, redis_client: aioredis.Redis
) -> None:
    """A huge product is not written (a write longer than ``timeout`` would leave Redis alone
    for every read of the replica); the next reads still use Redis."""
    shared = RedisSharedCache(redis_url(), prefix=prefix, timeout=1.0, max_value_bytes=20_000)
    try:
        a = fleet.add(kind, shared_cache=shared)
        tee = a.ids["products"]["live-tee"]
        a.medusa_fake.products[tee]["description"] = "x" * 50_000
        assert len((await resolve(a.unified.get_product("live-tee"))).description or "") == 50_000
        await resolve(a.unified.get_page("about", tenant_id="acme"))
        assert stats(a).shared_oversized == 1 and stats(a).shared_errors == 0
        assert stats(a, "pages").shared_skipped == 0
        name = shared.entry_key(a.unified._shared.namespace, "products", TEE_KEY)
        assert not await redis_client.exists(name)
        cold = fleet.add(kind, shared_cache=shared)
        await resolve(cold.unified.get_page("about", tenant_id="acme"))
        assert stats(cold, "pages").shared_hits == 1  # a small value is shared as before
    finally:
        await shared.aclose()


def test_max_value_bytes_must_be_positive() -> None:
    with pytest.raises(ConfigurationError):
        RedisSharedCache("redis://127.0.0.1:1/0", max_value_bytes=0)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("foreign", ["seq", "gens"])
async def test_foreign_data_under_the_counters_fails_safe(
    kind: str, foreign: str, prefix: str, fleet: Fleet, redis_client: aioredis.Redis
) -> None:
    """``<prefix>seq`` that is not a number, ``<prefix>gens`` that is not a hash: every call
    fails (counted, logged), reads go upstream, no entry is ever served against them."""
    shared = RedisSharedCache(redis_url(), prefix=prefix, timeout=1.0, retry_after=0)
    fleet.closing.append(shared)
    warm = fleet.add(kind, shared_cache=shared)
    await title(warm)
    await redis_client.set(shared.seq_key if foreign == "seq" else shared.gens_key, "junk")
    tee = warm.ids["products"]["live-tee"]
    warm.medusa_fake.products[tee]["title"] = "Tee v2"
    cold = fleet.add(kind, shared_cache=shared)
    assert await title(cold) == "Tee v2"  # the warm entry is never served without its counters
    assert stats(cold).shared_errors == 1 and stats(cold).shared_hits == 0
    # Redis asked again (retry_after=0), for a key it has no entry of
    page = await resolve(cold.unified.get_page("about", tenant_id="acme"))
    assert page.slug == "about"
    assert stats(cold, "pages").shared_errors == 1
