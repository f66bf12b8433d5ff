"""Concurrent misses for one key make one upstream call (tasks and threads)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from tests.helpers import close
from tests.unified.conftest import make_shop


async def test_200_concurrent_async_gets_make_one_call_per_server() -> None:
    shop = make_shop("async")
    shop.medusa_fake.inject(latency=0.05)
    shop.payload_fake.inject(latency=0.05)
    try:
        results = await asyncio.gather(*(shop.unified.get_product("live-tee") for _ in range(200)))
    finally:
        for client in shop.clients:
            await close(client)
    assert {r.id for r in results} == {shop.ids["products"]["live-tee"]}
    assert (shop.medusa_fake.count(), shop.payload_fake.count()) == (1, 1)
    assert shop.unified.cache_stats()["products"].coalesced == 199


async def test_32_threads_make_one_call_per_server() -> None:
    shop = make_shop("sync")
    shop.medusa_fake.inject(latency=0.05)
    shop.payload_fake.inject(latency=0.05)
    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            results = list(pool.map(lambda _: shop.unified.get_product("live-tee"), range(32)))
    finally:
        for client in shop.clients:
            await close(client)
    assert len({id(r) for r in results}) == 1  # everyone got the one answer
    assert (shop.medusa_fake.count(), shop.payload_fake.count()) == (1, 1)
    assert shop.unified.cache_stats()["products"].coalesced == 31


async def test_a_failed_call_fails_its_waiters_once() -> None:
    shop = make_shop("async")
    shop.medusa_fake.inject(latency=0.05, status=500)
    try:
        results = await asyncio.gather(
            *(shop.unified.get_product("live-tee") for _ in range(20)), return_exceptions=True
        )
    finally:
        for client in shop.clients:
            await close(client)
    assert all(isinstance(r, Exception) for r in results)
    assert shop.medusa_fake.count() == 1
