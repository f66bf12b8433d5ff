"""Unified reads: requests per page, coalescing, concurrency under latency, warm-hit cost.

    python -m benchmarks.unified_reads

All against the in-memory fakes (request counts come from their counters):
1. requests per ``list_products`` page for page sizes 1, 20, 100 (target: 2 each);
2. 200 concurrent cold ``get_product`` for one handle (async) and 32 threads (sync): upstream
   requests (target: 1 Medusa + 1 Payload);
3. async ``get_product`` with 50 ms injected in each server, cold: median latency against the
   sequential baseline measured in the same run (the sync client, which asks one server after
   the other) (target: median <= 65 ms);
4. warm cache hit: median us per ``get_product`` (target <= 20 us), sync and async;
5. a cold replica with a shared cache (`RedisSharedCache` on ``REDIS_URL``, default the local
   Redis; skipped without one): ``get_product`` of 100 handles another replica warmed, answered
   from Redis, against the same reads from Medusa/Payload (the fakes, and the fakes with 20 ms
   injected per server), sync and async, in the same run.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
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
from medusa_payload.unified import RedisSharedCache


def fakes(products: int = 0) -> tuple[FakeMedusa, FakePayload]:
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    for n in range(products):
        product = medusa.add_product(f"Bench {n}", handle=f"bench-{n}")
        payload.add_product_content(f"bench-{n}", medusa_product_id=product["id"])
    return medusa, payload


def sync_shop(
    medusa: FakeMedusa, payload: FakePayload, shared: RedisSharedCache | None = None
) -> UnifiedClient:
    return UnifiedClient(
        medusa=MedusaClient(
            medusa.base_url, publishable_key=medusa.publishable_key, transport=medusa.transport
        ),
        payload=PayloadClient(payload.base_url, transport=payload.transport),
        shared_cache=shared,
    )


def async_shop(
    medusa: FakeMedusa, payload: FakePayload, shared: RedisSharedCache | None = None
) -> AsyncUnifiedClient:
    return AsyncUnifiedClient(
        medusa=AsyncMedusaClient(
            medusa.base_url, publishable_key=medusa.publishable_key, transport=medusa.transport
        ),
        payload=AsyncPayloadClient(payload.base_url, transport=payload.transport),
        shared_cache=shared,
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


async def _timed_reads(shop: Any, handles: list[str]) -> list[float]:
    """Milliseconds of each first ``get_product`` of ``handles`` (sync or async client)."""
    samples = []
    for handle in handles:
        started = time.perf_counter()
        answer = shop.get_product(handle)
        if asyncio.iscoroutine(answer):
            await answer
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def _close_any(shop: Any) -> None:
    if isinstance(shop, AsyncUnifiedClient):
        await shop.aclose()
        await aclose(shop)
    else:
        shop.close()
        close(shop)


async def cold_replica(count: int = 100) -> dict[str, Any]:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    shared = RedisSharedCache(url, prefix=f"bench-shared:{uuid.uuid4().hex}:", timeout=1.0)
    medusa, payload = fakes(products=count)
    handles = [f"bench-{n}" for n in range(count)]
    figures: dict[str, Any] = {}
    try:
        warm = async_shop(medusa, payload, shared)
        for handle in handles:  # replica A fills Redis
            await warm.get_product(handle)
        if warm.cache_stats()["products"].shared_errors:
            return {"skipped": f"no Redis at {url}"}
        await _close_any(warm)
        for kind, make in (("sync", sync_shop), ("async", async_shop)):
            from_redis = make(medusa, payload, shared)  # cold: its own cache is empty
            medusa.reset_requests()
            payload.reset_requests()
            hits = await _timed_reads(from_redis, handles)
            assert medusa.count() + payload.count() == 0, "a shared hit asked upstream"
            assert from_redis.cache_stats()["products"].shared_hits == count
            await _close_any(from_redis)
            direct = make(medusa, payload)  # cold, no shared cache: Medusa + Payload
            upstream = await _timed_reads(direct, handles)
            await _close_any(direct)
            medusa.inject(latency=0.02)
            payload.inject(latency=0.02)
            slow = make(medusa, payload)
            upstream_20 = await _timed_reads(slow, handles[:30])
            await _close_any(slow)
            medusa.clear_faults()
            payload.clear_faults()
            hit, up, up20 = (statistics.median(x) for x in (hits, upstream, upstream_20))
            figures[f"{kind} cold get_product from Redis: median ms"] = hit
            figures[f"{kind} from Redis: p90 ms"] = statistics.quantiles(hits, n=10)[-1]
            figures[f"{kind} from the fakes (no latency): median ms"] = up
            figures[f"{kind} from the fakes + 20 ms per server: median ms"] = up20
            figures[f"{kind} ratio Redis / fakes"] = hit / up
            figures[f"{kind} ratio Redis / fakes + 20 ms"] = hit / up20
    finally:
        await shared.aclose()
        await _drop_prefix(url, shared.prefix)
    return figures


async def _drop_prefix(url: str, prefix: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        async for key in client.scan_iter(match=f"{prefix}*", count=500):
            await client.delete(key)
    except Exception:  # no Redis: nothing was written
        pass
    finally:
        await client.aclose()


def main() -> None:
    """Run the five measurements and print them."""
    report("unified.requests_per_page", requests_per_page())
    report("unified.single_flight", asyncio.run(coalescing()))
    report("unified.concurrent_latency", asyncio.run(latency()))
    report("unified.warm_hit", asyncio.run(warm_hits()))
    report("unified.cold_replica_shared_cache", asyncio.run(cold_replica()))


if __name__ == "__main__":
    main()
