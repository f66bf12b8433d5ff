"""Unified reads: requests per page, coalescing, concurrency under latency, warm-hit cost.

    python -m benchmarks.unified_reads

All against the in-memory fakes (request counts come from their counters):
1. requests per ``list_products`` page for page sizes 1, 20, 100 (target: 2 each);
2. 200 concurrent cold ``get_product`` for one handle (async) and 32 threads (sync): upstream
   requests (target: 1 Medusa + 1 Payload);
3. async ``get_product`` with 50 ms injected in each server, cold: median latency against the
   sequential baseline measured in the same run (the sync client, which asks one server after
   the other) (target: median <= 65 ms);
4. warm cache hit: median us per ``get_product`` (target <= 20 us), sync and async.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from benchmarks._util import report
from medusa_payload import (
    AsyncMedusaClient,
    AsyncPayloadClient,
    AsyncUnifiedClient,
    MedusaClient,
    PayloadClient,
    UnifiedClient,
)
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo


def fakes(products: int = 0) -> tuple[FakeMedusa, FakePayload]:
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    for n in range(products):
        product = medusa.add_product(f"Bench {n}", handle=f"bench-{n}")
        payload.add_product_content(f"bench-{n}", medusa_product_id=product["id"])
    return medusa, payload


def sync_shop(medusa: FakeMedusa, payload: FakePayload) -> UnifiedClient:
    return UnifiedClient(
        medusa=MedusaClient(
            medusa.base_url, publishable_key=medusa.publishable_key, transport=medusa.transport
        ),
        payload=PayloadClient(payload.base_url, transport=payload.transport),
    )


def async_shop(medusa: FakeMedusa, payload: FakePayload) -> AsyncUnifiedClient:
    return AsyncUnifiedClient(
        medusa=AsyncMedusaClient(
            medusa.base_url, publishable_key=medusa.publishable_key, transport=medusa.transport
        ),
        payload=AsyncPayloadClient(payload.base_url, transport=payload.transport),
    )


def close(shop: Any) -> None:
    shop.medusa.close()
    shop.payload.close()


async def aclose(shop: AsyncUnifiedClient) -> None:
    await shop.medusa.aclose()
    await shop.payload.aclose()


def requests_per_page() -> dict[str, Any]:
    medusa, payload = fakes(products=120)
    shop = sync_shop(medusa, payload)
    figures: dict[str, Any] = {}
    for size in (1, 20, 100):
        medusa.reset_requests()
        payload.reset_requests()
        page = shop.list_products(limit=size, region_id=medusa.region_id)
        assert len(page.items) == size
        figures[f"requests for a page of {size} (target 2)"] = medusa.count() + payload.count()
    close(shop)
    return figures


async def coalescing() -> dict[str, Any]:
    medusa, payload = fakes()
    medusa.inject(latency=0.05)
    payload.inject(latency=0.05)
    shop = async_shop(medusa, payload)
    await asyncio.gather(*(shop.get_product("live-tee") for _ in range(200)))
    figures = {
        "200 async cold gets: Medusa requests (target 1)": medusa.count(),
        "200 async cold gets: Payload requests (target 1)": payload.count(),
    }
    await aclose(shop)
    medusa, payload = fakes()
    medusa.inject(latency=0.05)
    payload.inject(latency=0.05)
    threaded = sync_shop(medusa, payload)
    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(lambda _: threaded.get_product("live-tee"), range(32)))
    figures["32 threads cold gets: Medusa requests (target 1)"] = medusa.count()
    figures["32 threads cold gets: Payload requests (target 1)"] = payload.count()
    close(threaded)
    return figures


async def latency(rounds: int = 15) -> dict[str, Any]:
    medusa, payload = fakes()
    medusa.inject(latency=0.05)
    payload.inject(latency=0.05)
    concurrent, sequential = [], []
    ashop = async_shop(medusa, payload)
    sshop = sync_shop(medusa, payload)
    for _ in range(rounds):
        ashop.invalidate_all()
        started = time.perf_counter()
        await ashop.get_product("live-tee")
        concurrent.append((time.perf_counter() - started) * 1000)
        sshop.invalidate_all()
        started = time.perf_counter()
        sshop.get_product("live-tee")
        sequential.append((time.perf_counter() - started) * 1000)
    await aclose(ashop)
    close(sshop)
    ours, base = statistics.median(concurrent), statistics.median(sequential)
    return {
        "async cold get_product, 50 ms per server: median ms (target <= 65)": ours,
        "sequential baseline (sync client): median ms": base,
        "ratio async/sequential": ours / base,
    }


async def warm_hits(calls: int = 20_000) -> dict[str, Any]:
    medusa, payload = fakes()
    sshop = sync_shop(medusa, payload)
    sshop.get_product("live-tee")
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            sshop.get_product("live-tee")
        samples.append((time.perf_counter() - started) / calls * 1e6)
    ashop = async_shop(medusa, payload)
    await ashop.get_product("live-tee")
    async_samples = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(calls):
            await ashop.get_product("live-tee")
        async_samples.append((time.perf_counter() - started) / calls * 1e6)
    empty = []
    for _ in range(5):  # the floor: a dict lookup in a loop
        cache = {("live-tee", None, None, None, False): object()}
        started = time.perf_counter()
        for _ in range(calls):
            cache[("live-tee", None, None, None, False)]
        empty.append((time.perf_counter() - started) / calls * 1e6)
    close(sshop)
    await aclose(ashop)
    return {
        "warm get_product, sync: median us (target <= 20)": statistics.median(samples),
        "warm get_product, async: median us (target <= 20)": statistics.median(async_samples),
        "baseline dict lookup: median us": statistics.median(empty),
    }


def main() -> None:
    """Run the four measurements and print them."""
    report("unified.requests_per_page", requests_per_page())
    report("unified.single_flight", asyncio.run(coalescing()))
    report("unified.concurrent_latency", asyncio.run(latency()))
    report("unified.warm_hit", asyncio.run(warm_hits()))


if __name__ == "__main__":
    main()
