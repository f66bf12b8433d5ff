"""The shared cache with the real servers: what Medusa 2 and Payload 3 answer survives the trip
through Redis (pydantic JSON) unchanged, so a cold replica answers from it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from medusa_payload import MedusaClient, PayloadClient, UnifiedClient
from medusa_payload.unified import RedisSharedCache
from tests.conftest import redis_url

pytestmark = [pytest.mark.live, pytest.mark.redis]


@pytest.fixture
def shared() -> Iterator[RedisSharedCache]:
    client = redis.Redis.from_url(redis_url(), socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {redis_url()}")
    prefix = f"mp-live-shared:{uuid.uuid4().hex}:"
    cache = RedisSharedCache(redis_url(), prefix=prefix, timeout=1.0)
    yield cache
    cache.close()
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        client.delete(key)
    client.close()


def _reads(shop: UnifiedClient, env: dict[str, str]) -> list[Any]:
    region = env["MEDUSA_REGION_ID"]
    page = shop.list_products(limit=3, region_id=region)
    return [
        *(shop.get_product(h, region_id=region) for h in env["MEDUSA_PRODUCT_HANDLES"].split(",")),
        (page.items, page.count, page.offset, page.limit, page.has_next_page()),
        shop.get_page("about", tenant_id="acme"),
        shop.get_store_branding("acme"),
        shop.list_stores(),
        shop.list_regions(),
        shop.list_collections(),
        shop.list_categories(),
    ]


def test_a_cold_replica_answers_from_redis_what_the_servers_answered(
    shared: RedisSharedCache,
    medusa: MedusaClient,
    payload: PayloadClient,
    live_env: dict[str, str],
) -> None:
    warm = UnifiedClient(medusa=medusa, payload=payload, shared_cache=shared)
    cold = UnifiedClient(medusa=medusa, payload=payload, shared_cache=shared)
    try:
        first = _reads(warm, live_env)
        assert _reads(cold, live_env) == first
        stats = cold.cache_stats()
        for name, counters in stats.items():
            assert counters.misses == 0, (name, counters)  # nothing asked of the servers
            assert counters.shared_corrupt == counters.shared_errors == 0, (name, counters)
        assert sum(c.shared_hits for c in stats.values()) >= 8, stats
    finally:
        warm.close()
        cold.close()
