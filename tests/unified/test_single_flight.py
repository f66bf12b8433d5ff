"""Concurrent misses for one key make one upstream call (tasks and threads)."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

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


THREADS = 32
GATE_BOUND = 10.0  # seconds the gated upstream waits for the other callers at most


async def test_32_threads_make_one_call_per_server() -> None:
    """The one Medusa call is held open until the other 31 callers are waiting on it.

    So the result does not depend on when threads start: a late thread cannot find the answer
    already cached. Without single-flight every thread calls upstream (each gate gives up after
    ``GATE_BOUND`` seconds) and the count shows it.
    """
    shop = make_shop("sync")
    stats = shop.unified.cache_stats
    answer = shop.medusa_fake.handle_sync
    upstream: list[str] = []

    def gated(request: httpx.Request) -> httpx.Response:
        upstream.append(request.url.path)
        deadline = time.monotonic() + GATE_BOUND
        while stats()["products"].coalesced < THREADS - 1 and time.monotonic() < deadline:
            time.sleep(0.001)
        return answer(request)

    shop.medusa_fake.handle_sync = gated  # type: ignore[method-assign]
    start = threading.Barrier(THREADS)

    def get(_: int) -> Any:
        start.wait(timeout=GATE_BOUND)
        return shop.unified.get_product("live-tee")

    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            results = list(pool.map(get, range(THREADS)))
    finally:
        for client in shop.clients:
            await close(client)
    assert len(upstream) == 1, upstream
    assert len({id(r) for r in results}) == 1  # everyone got the one answer
    assert (shop.medusa_fake.count(), shop.payload_fake.count()) == (1, 1)
    assert stats()["products"].coalesced == THREADS - 1


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
