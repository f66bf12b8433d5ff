"""The watcher: changes Medusa does not announce become the jobs webhooks would start, once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from medusa_payload import AsyncMedusaClient, MedusaClient
from medusa_payload._jobs import INVENTORY_LOW, PRODUCT_TO_PAYLOAD
from medusa_payload.queue import InMemoryQueue, SyncQueue
from medusa_payload.sync import (
    AsyncWatcher,
    FileWatchState,
    MemoryWatchState,
    Watcher,
    WatchState,
    watch,
)
from medusa_payload.sync._watch_state import StreamMark
from medusa_payload.testing import FakeMedusa


async def drain(queue: InMemoryQueue) -> list[tuple[str, dict[str, Any]]]:
    """Every waiting job, taken off the queue."""
    jobs = []
    while (lease := await queue.reserve("test")) is not None:
        jobs.append((lease.name, dict(lease.data)))
        await queue.complete(lease)
    return jobs


@pytest.fixture
def fake() -> FakeMedusa:
    return FakeMedusa()


@pytest.fixture
async def medusa(fake: FakeMedusa) -> AsyncIterator[AsyncMedusaClient]:
    async with AsyncMedusaClient(
        fake.base_url, api_key=fake.secret_key, transport=fake.transport
    ) as client:
        yield client


def _stock(fake: FakeMedusa, quantity: float) -> tuple[dict[str, Any], dict[str, Any]]:
    location = fake.add_stock_location("WH")
    item = fake.add_inventory_item("SKU-1", levels={location["id"]: quantity})
    return location, item


async def test_first_poll_is_a_baseline_then_each_change_is_one_job(
    fake: FakeMedusa, medusa: AsyncMedusaClient
) -> None:
    tee = fake.add_product("Tee")
    fake.add_product("Hoodie")
    queue = InMemoryQueue()
    watcher = AsyncWatcher(medusa, queue, inventory_threshold=5)
    first = await watcher.poll()
    assert (first.baseline, first.products, first.enqueued) == (True, 2, 0)
    assert await drain(queue) == []

    await medusa.admin.products.update(tee["id"], {"title": "Tee 2"})
    second = await watcher.poll()
    assert (second.baseline, second.products, second.enqueued) == (False, 1, 1)
    assert await drain(queue) == [(PRODUCT_TO_PAYLOAD, {"product_id": tee["id"]})]
    assert (await watcher.poll()).enqueued == 0  # nothing changed since


async def test_a_variants_batch_syncs_its_product(
    fake: FakeMedusa, medusa: AsyncMedusaClient
) -> None:
    tee = fake.add_product("Tee")
    queue = InMemoryQueue()
    watcher = AsyncWatcher(medusa, queue)
    await watcher.poll()
    variant = tee["variants"][0]["id"]
    await medusa.admin.products.batch_variants(tee["id"], update=[{"id": variant, "sku": "T-1"}])
    report = await watcher.poll()
    assert report.variants == 1
    assert await drain(queue) == [(PRODUCT_TO_PAYLOAD, {"product_id": tee["id"]})]


async def test_a_level_set_below_the_threshold_is_one_inventory_low_job(
    fake: FakeMedusa, medusa: AsyncMedusaClient
) -> None:
    location, item = _stock(fake, 10)
    queue = InMemoryQueue()
    watcher = AsyncWatcher(medusa, queue, inventory_threshold=5)
    await watcher.poll()
    await medusa.admin.inventory_items.update_level(item["id"], location["id"], stocked_quantity=8)
    assert (await watcher.poll()).enqueued == 0  # changed, but not low
    await medusa.admin.inventory_items.update_level(item["id"], location["id"], stocked_quantity=2)
    report = await watcher.poll()
    assert (report.levels, report.enqueued) == (1, 1)
    level_id = next(iter(fake.inventory_levels))
    assert await drain(queue) == [
        (
            INVENTORY_LOW,
            {
                "inventory_item_id": item["id"],
                "location_id": location["id"],
                "inventory_level_id": level_id,
            },
        )
    ]
    assert (await watcher.poll()).enqueued == 0  # the same change is never enqueued again
    await medusa.admin.inventory_items.update_level(item["id"], location["id"], stocked_quantity=1)
    assert (await watcher.poll()).enqueued == 1  # a new change below the threshold is


async def test_without_a_threshold_levels_are_not_read(
    fake: FakeMedusa, medusa: AsyncMedusaClient
) -> None:
    _stock(fake, 1)
    watcher = AsyncWatcher(medusa, InMemoryQueue())
    await watcher.poll()
    assert not [r for r in fake.requests if r.path.startswith("/admin/inventory-items")]


async def test_the_watermark_survives_a_restart(
    fake: FakeMedusa, medusa: AsyncMedusaClient, tmp_path: Path
) -> None:
    tee = fake.add_product("Tee")
    path = tmp_path / "watch.json"
    queue = InMemoryQueue()
    await AsyncWatcher(medusa, queue, state=FileWatchState(path)).poll()
    await medusa.admin.products.update(tee["id"], {"title": "Changed while down"})
    restarted = AsyncWatcher(medusa, queue, state=FileWatchState(path))
    report = await restarted.poll()
    assert (report.baseline, report.enqueued) == (False, 1)
    assert (await AsyncWatcher(medusa, queue, state=FileWatchState(path)).poll()).enqueued == 0
    assert set(json.loads(path.read_text())) == {"products", "variants"}


async def test_a_crash_before_saving_enqueues_nothing_twice(
    fake: FakeMedusa, medusa: AsyncMedusaClient
) -> None:
    tee = fake.add_product("Tee")
    state = MemoryWatchState()
    queue = InMemoryQueue()
    await AsyncWatcher(medusa, queue, state=state).poll()
    await medusa.admin.products.update(tee["id"], {"title": "x"})
    saved = state.state

    class CrashOnSave(MemoryWatchState):
        def save(self, new: WatchState) -> None:
            raise RuntimeError("crash")

    crashing = CrashOnSave()
    crashing.state = saved
    with pytest.raises(RuntimeError):
        await AsyncWatcher(medusa, queue, state=crashing).poll()
    again = await AsyncWatcher(medusa, queue, state=state).poll()
    assert (again.enqueued, again.duplicates) == (0, 1)
    assert len(await drain(queue)) == 1


async def test_many_changes_are_walked_page_by_page(
    fake: FakeMedusa, medusa: AsyncMedusaClient
) -> None:
    products = [fake.add_product(f"P{i}") for i in range(7)]
    queue = InMemoryQueue()
    watcher = AsyncWatcher(medusa, queue, page_size=3)
    await watcher.poll()
    for p in products:
        await medusa.admin.products.update(p["id"], {"title": p["title"] + "!"})
    report = await watcher.poll()
    assert (report.products, report.enqueued) == (7, 7)
    assert sorted(d["product_id"] for _, d in await drain(queue)) == sorted(
        p["id"] for p in products
    )


def test_stream_mark_same_millisecond() -> None:
    mark = StreamMark().advance("a", "2026-01-01T00:00:00.001Z")
    assert not mark.is_new("a", "2026-01-01T00:00:00.001Z")
    assert mark.is_new("b", "2026-01-01T00:00:00.001Z")  # same moment, other record
    assert not mark.is_new("c", "2026-01-01T00:00:00.000Z")
    later = mark.advance("b", "2026-01-01T00:00:00.001Z").advance("c", "2026-01-01T00:00:00.002Z")
    assert (later.mark, later.at_mark) == ("2026-01-01T00:00:00.002Z", frozenset({"c"}))


def test_a_corrupt_state_file_is_a_clear_error_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "watch.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="not JSON"):
        FileWatchState(path).load()
    path.write_text('{"products": {"mark": 5}}')
    with pytest.raises(ValueError, match="non-string mark"):
        FileWatchState(path).load()
    assert path.read_text() == '{"products": {"mark": 5}}'


async def test_run_bounds(medusa: AsyncMedusaClient) -> None:
    watcher = AsyncWatcher(medusa, InMemoryQueue())
    with pytest.raises(ValueError, match="every"):
        await watcher.run(every=0)
    reports: list[object] = []
    await watcher.run(every=0.01, polls=3, on_poll=reports.append)
    assert len(reports) == 3
    with pytest.raises(ValueError, match="page_size"):
        AsyncWatcher(medusa, InMemoryQueue(), page_size=0)


async def test_watch_with_async_clients(fake: FakeMedusa, medusa: AsyncMedusaClient) -> None:
    fake.add_product("Tee")
    queue = InMemoryQueue()
    reports: list[Any] = []
    await watch(medusa, queue, once=True, on_poll=reports.append)
    assert [r.baseline for r in reports] == [True]


def test_watch_with_blocking_clients(fake: FakeMedusa) -> None:
    tee = fake.add_product("Tee")
    state = MemoryWatchState()
    with (
        MedusaClient(fake.base_url, api_key=fake.secret_key, transport=fake.transport) as m,
        SyncQueue(InMemoryQueue()) as queue,
    ):
        watch(m, queue, once=True, state=state)
        m.admin.products.update(tee["id"], {"title": "Tee 2"})
        reports: list[Any] = []
        Watcher(m, queue, state=state).run(every=1, once=True, on_poll=reports.append)
        assert [r.enqueued for r in reports] == [1]
        assert queue.stats().waiting == 1
    with pytest.raises(TypeError, match="MedusaClient"):
        watch(object(), queue, once=True)  # type: ignore[call-overload]
