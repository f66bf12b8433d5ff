"""The watcher against a real Medusa 2.21: an inventory change Medusa never announces becomes
exactly one ``notify.inventory_low`` job within one polling interval."""

from __future__ import annotations

import asyncio
import time

import pytest

from medusa_payload import AsyncMedusaClient
from medusa_payload._jobs import INVENTORY_LOW, PRODUCT_TO_PAYLOAD
from medusa_payload.queue import InMemoryQueue
from medusa_payload.sync import AsyncWatcher, MemoryWatchState

pytestmark = pytest.mark.live

EVERY = 2.0


async def _jobs_for(queue: InMemoryQueue, name: str, key: str, value: str) -> list[dict[str, str]]:
    found = []
    while (lease := await queue.reserve("live-test")) is not None:
        if lease.name == name and lease.data.get(key) == value:
            found.append(dict(lease.data))
        await queue.complete(lease)
    return found


async def test_a_level_below_the_threshold_is_one_inventory_low_job(
    amedusa: AsyncMedusaClient, unique: str
) -> None:
    admin = amedusa.admin
    location = await admin.stock_locations.create({"name": f"Watch WH {unique}"})
    item = await admin.inventory_items.create({"sku": f"WATCH-{unique}"})
    await admin.inventory_items.create_level(item.id, location.id, stocked_quantity=10)
    queue = InMemoryQueue()
    watcher = AsyncWatcher(amedusa, queue, state=MemoryWatchState(), inventory_threshold=5)
    try:
        assert (await watcher.poll()).baseline
        running = asyncio.create_task(watcher.run(every=EVERY))
        try:
            await admin.inventory_items.update_level(item.id, location.id, stocked_quantity=2)
            changed = time.monotonic()
            while (await queue.stats()).waiting == 0:
                assert time.monotonic() - changed < EVERY + 15, "no job within one interval"
                await asyncio.sleep(0.1)
            await asyncio.sleep(EVERY * 2)  # two more polls: still one job
        finally:
            running.cancel()
        jobs = await _jobs_for(queue, INVENTORY_LOW, "inventory_item_id", item.id)
        assert jobs == [
            {
                "inventory_item_id": item.id,
                "location_id": location.id,
                "inventory_level_id": jobs[0]["inventory_level_id"],
            }
        ]
    finally:
        await admin.inventory_items.delete(item.id)
        await admin.stock_locations.delete(location.id)


async def test_a_variants_batch_syncs_its_product(amedusa: AsyncMedusaClient, unique: str) -> None:
    product = await amedusa.admin.products.create(
        {
            "title": f"Watch {unique}",
            "handle": f"watch-{unique}",
            "options": [{"title": "Size", "values": ["One"]}],
            "variants": [{"title": "One", "options": {"Size": "One"}, "prices": []}],
        }
    )
    queue = InMemoryQueue()
    watcher = AsyncWatcher(amedusa, queue, state=MemoryWatchState())
    try:
        await watcher.poll()
        variant = (product.variants or [])[0]
        await amedusa.admin.products.batch_variants(
            product.id, update=[{"id": variant.id, "sku": f"W-{unique}"}]
        )
        await watcher.poll()
        await watcher.poll()
        jobs = await _jobs_for(queue, PRODUCT_TO_PAYLOAD, "product_id", product.id)
        assert jobs == [{"product_id": product.id}]
    finally:
        await amedusa.admin.products.delete(product.id)
