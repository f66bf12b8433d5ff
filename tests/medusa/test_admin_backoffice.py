"""The back-office admin calls on FakeMedusa: the same flows the live tier runs on Medusa 2.21
(tests/live/test_medusa_live.py), so the fake and the real server answer alike."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from medusa_payload import AsyncMedusaClient, MedusaClient
from medusa_payload.errors import APIStatusError
from medusa_payload.testing import FakeMedusa
from tests.live.test_medusa_live import (
    catalog_flow,
    commerce_flow,
    inventory_flow,
    variants_flow,
)


@pytest.fixture
def fake() -> FakeMedusa:
    return FakeMedusa()


@pytest.fixture
def medusa(fake: FakeMedusa) -> Iterator[MedusaClient]:
    with MedusaClient(fake.base_url, api_key=fake.secret_key, transport=fake.transport) as client:
        yield client


def _unique() -> str:
    return uuid.uuid4().hex[:8]


def test_variants(medusa: MedusaClient) -> None:
    variants_flow(medusa, _unique())


def test_inventory_and_stock_locations(medusa: MedusaClient) -> None:
    inventory_flow(medusa, _unique())


def test_categories_and_collections(medusa: MedusaClient) -> None:
    catalog_flow(medusa, _unique())


def test_writes_are_not_retried_blindly_but_level_sets_are(fake: FakeMedusa) -> None:
    location = fake.add_stock_location("WH")
    item = fake.add_inventory_item("SKU-1", levels={location["id"]: 5})
    with MedusaClient(
        fake.base_url, api_key=fake.secret_key, transport=fake.transport, max_retries=2
    ) as medusa:
        fake.inject("POST /admin/stock-locations", status=503, times=1)
        with pytest.raises(APIStatusError) as failed:
            medusa.admin.stock_locations.create({"name": "Twice?"})
        assert failed.value.status_code == 503
        assert [loc["name"] for loc in fake.stock_locations.values()] == ["WH"]
        fake.inject(f"POST /admin/inventory-items/{item['id']}/*", status=503, times=1)
        updated = medusa.admin.inventory_items.update_level(
            item["id"], location["id"], stocked_quantity=2
        )
        assert [lv.stocked_quantity for lv in updated.location_levels or []] == [2]


async def test_async_twin(fake: FakeMedusa) -> None:
    async with AsyncMedusaClient(
        fake.base_url, api_key=fake.secret_key, transport=fake.transport
    ) as medusa:
        location = await medusa.admin.stock_locations.create({"name": "Async WH"})
        item = await medusa.admin.inventory_items.create({"sku": "A-1"})
        await medusa.admin.inventory_items.create_level(item.id, location.id, stocked_quantity=4)
        levels = await medusa.admin.inventory_items.list_levels(item.id)
        assert [lv.stocked_quantity for lv in levels.items] == [4]


def test_price_lists_promotions_customers_uploads(medusa: MedusaClient) -> None:
    commerce_flow(medusa, _unique())


def test_uploads_reject_bad_files_before_sending(fake: FakeMedusa, medusa: MedusaClient) -> None:
    before = len(fake.requests)
    with pytest.raises(TypeError, match="file must be bytes"):
        medusa.admin.uploads.create([42])  # type: ignore[list-item]
    assert len(fake.requests) == before
    (stored,) = medusa.admin.uploads.create([b"raw"])
    assert fake.uploads[stored.id] == b"raw"
