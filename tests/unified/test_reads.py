"""Merge rules, requests per page, pages and branding: sync and async alike."""

from __future__ import annotations

import pytest

from medusa_payload.errors import NotFoundError
from medusa_payload.unified import UnifiedProduct
from tests.helpers import collect, resolve
from tests.unified.conftest import Shop


async def test_product_with_content_prices_and_metadata(shop: Shop) -> None:
    product: UnifiedProduct = await resolve(
        shop.unified.get_product("live-tee", region_id=shop.medusa_fake.region_id)
    )
    assert (product.content_status, product.title, product.handle) == ("ok", "Live Tee", "live-tee")
    assert product.seo is not None and product.seo.title == "Live Tee | Acme"
    assert [f.title for f in product.features] == ["Organic cotton"]
    assert product.rich_description is not None
    prices = [v.calculated_price.calculated_amount for v in product.variants if v.calculated_price]
    assert prices == [10, 10]
    assert product.product.metadata == {"source": "seed-live"}
    assert product.model_dump(mode="json")["content_status"] == "ok"


async def test_without_region_no_prices_are_asked_for(shop: Shop) -> None:
    product = await resolve(shop.unified.get_product("live-hoodie"))
    assert all(v.calculated_price is None for v in product.variants)
    request = shop.medusa_fake.requests[-1]
    assert "calculated_price" not in str(request.query.get("fields"))


async def test_missing_unpublished_and_preview(shop: Shop) -> None:
    plain = await resolve(shop.unified.get_product("live-plain"))
    assert (plain.content_status, plain.content) == ("missing", None)
    doc = next(d for d in shop.payload_fake.docs("product-content") if d["handle"] == "live-hoodie")
    shop.payload_fake._docs["product-content"][doc["id"]]["status"] = "draft"  # unpublished
    hidden = await resolve(shop.unified.get_product("live-hoodie"))
    assert hidden.content_status == "missing"
    preview = await resolve(shop.unified.get_product("live-hoodie", draft=True))
    assert (preview.content_status, preview.content and preview.content.status) == ("ok", "draft")


async def test_content_matches_by_id_before_handle(shop: Shop) -> None:
    tee_id = shop.ids["products"]["live-tee"]
    # A doc with the same handle but naming another product never matches ...
    shop.payload_fake.add_product_content("live-plain", "Impostor", medusa_product_id="prod_other")
    plain = await resolve(shop.unified.get_product("live-plain"))
    assert plain.content_status == "missing"
    # ... and content renamed in Payload is still found by id.
    doc = next(d for d in shop.payload_fake.docs("product-content") if d["handle"] == "live-tee")
    shop.payload_fake._docs["product-content"][doc["id"]]["handle"] = "renamed-tee"
    found = await resolve(shop.unified.get_product("live-tee"))
    assert found.content is not None and found.content.medusa_product_id == tee_id


async def test_unknown_handle_is_not_found_and_remembered(shop: Shop) -> None:
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_product("no-such-thing"))
    calls = shop.medusa_fake.count()
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_product("no-such-thing"))
    assert shop.medusa_fake.count() == calls  # the 404 was cached
    shop.clock.now += 6  # negative_ttl 5 s
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_product("no-such-thing"))
    assert shop.medusa_fake.count() > calls
    assert shop.unified.cache_stats()["products"].negative_hits == 1


@pytest.mark.parametrize("size", [1, 2, 3])
async def test_a_page_is_two_requests_whatever_its_size(shop: Shop, size: int) -> None:
    for n in range(5):
        product = shop.medusa_fake.add_product(f"Extra {n}", handle=f"extra-{n}")
        shop.payload_fake.add_product_content(f"extra-{n}", medusa_product_id=product["id"])
    shop.medusa_fake.reset_requests()
    shop.payload_fake.reset_requests()
    page = await resolve(
        shop.unified.list_products(limit=size, order="handle", region_id=shop.medusa_fake.region_id)
    )
    assert len(page.items) == size
    assert (shop.medusa_fake.count(), shop.payload_fake.count()) == (1, 1)
    everything = await collect(page)
    assert [p.handle for p in everything] == sorted(p.handle for p in everything)
    assert len(everything) == 8
    pages = -(-8 // size)
    assert (shop.medusa_fake.count(), shop.payload_fake.count()) == (pages, pages)
    statuses = {p.handle: p.content_status for p in everything}
    assert statuses["live-plain"] == "missing"
    assert statuses["extra-0"] == "ok"


async def test_store_scopes_products_to_its_sales_channel(shop: Shop) -> None:
    other = shop.medusa_fake.add_sales_channel("Outlet")
    shop.medusa_fake.key_channels[shop.medusa_fake.publishable_key].add(other["id"])
    shop.medusa_fake.add_product(
        "Outlet Only", handle="outlet-only", sales_channel_ids=[other["id"]]
    )
    shop.payload_fake.add_store("outlet", "Outlet", sales_channel_id=other["id"])
    acme = await resolve(shop.unified.list_products(store_id="acme", limit=50))
    outlet = await resolve(shop.unified.list_products(store_id="outlet", limit=50))
    assert "outlet-only" not in [p.handle for p in acme.items]
    assert [p.handle for p in outlet.items] == ["outlet-only"]
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_product("live-tee", store_id="outlet"))


async def test_pages_tenants_and_branding(shop: Shop) -> None:
    acme = await resolve(shop.unified.get_page("about", tenant_id="acme"))
    beta = await resolve(shop.unified.get_page("about", tenant_id="beta"))
    assert (acme.title, beta.title) == ("About us", "About Beta")
    by_store = await resolve(shop.unified.get_page("about", store_id="acme"))
    assert by_store.title == "About us"
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_page("nope"))
    branding = await resolve(shop.unified.get_store_branding("acme"))
    assert (branding.primary_color, branding.logo, branding.source) == (
        "#112233",
        "/logo.svg",
        "cms",
    )
    shop.payload_fake.add_store("bare", "Bare Store")
    bare = await resolve(shop.unified.get_store_branding("bare"))
    assert (bare.primary_color, bare.theme, bare.source) == ("#111827", "light", "defaults")
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_store_branding("ghost"))


async def test_regions_collections_categories_are_cached(shop: Shop) -> None:
    shop.medusa_fake.add_collection("Summer")
    shop.medusa_fake.add_category("Tees")
    regions = await resolve(shop.unified.list_regions())
    assert [r.currency_code for r in regions] == ["eur"]
    assert [c.title for c in await resolve(shop.unified.list_collections())] == ["Summer"]
    assert [c.name for c in await resolve(shop.unified.list_categories())] == ["Tees"]
    calls = shop.medusa_fake.count()
    await resolve(shop.unified.list_regions())
    assert shop.medusa_fake.count() == calls
