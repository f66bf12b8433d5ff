"""The CMS down, Medusa down, stale-if-error, TTLs and invalidation."""

from __future__ import annotations

import pytest

from medusa_payload.errors import APIConnectionError, InternalServerError
from medusa_payload.webhooks import parse_event
from tests.helpers import resolve
from tests.unified.conftest import Shop


@pytest.mark.parametrize(
    "fault",
    [{"status": 500}, {"timeout": True}, {"refuse": True}],
    ids=["500", "timeout", "refused"],
)
async def test_cms_down_gives_a_degraded_product_never_an_exception(
    shop: Shop, fault: dict[str, object]
) -> None:
    shop.payload_fake.inject("* /api/*", **fault)  # type: ignore[arg-type]
    product = await resolve(
        shop.unified.get_product("live-tee", region_id=shop.medusa_fake.region_id)
    )
    assert (product.content_status, product.content) == ("unavailable", None)
    assert product.variants[0].calculated_price is not None  # commerce data still there
    page = await resolve(shop.unified.list_products(limit=3))
    assert page.content_status == "unavailable"
    assert {p.content_status for p in page.items} == {"unavailable"}
    branding = await resolve(shop.unified.get_store_branding("acme"))
    assert branding.source == "unavailable"


async def test_degraded_answers_are_cached_briefly(shop: Shop) -> None:
    fault = shop.payload_fake.inject("* /api/*", refuse=True)
    assert (await resolve(shop.unified.get_product("live-tee"))).content_status == "unavailable"
    shop.payload_fake.remove_fault(fault)
    shop.clock.now += 6  # degraded_ttl 5 s, not the 60 s of a full answer
    assert (await resolve(shop.unified.get_product("live-tee"))).content_status == "ok"


async def test_degraded_product_pages_are_cached_briefly(shop: Shop) -> None:
    fault = shop.payload_fake.inject("* /api/*", refuse=True)
    assert (await resolve(shop.unified.list_products(limit=3))).content_status == "unavailable"
    shop.payload_fake.remove_fault(fault)
    shop.clock.now += 4
    assert (await resolve(shop.unified.list_products(limit=3))).content_status == "unavailable"
    shop.clock.now += 2  # degraded_ttl 5 s
    assert (await resolve(shop.unified.list_products(limit=3))).content_status == "ok"


async def test_last_known_content_is_reused_when_the_cms_fails(shop: Shop) -> None:
    first = await resolve(shop.unified.get_product("live-tee"))
    shop.clock.now += 61  # expired
    shop.payload_fake.inject("* /api/*", status=500)
    again = await resolve(shop.unified.get_product("live-tee"))
    assert again.content_status == "ok"
    assert again.content == first.content
    assert shop.unified.cache_stats()["products"].stale_served == 1


async def test_medusa_down_with_and_without_a_stale_entry(shop: Shop) -> None:
    cached = await resolve(shop.unified.get_product("live-tee"))
    shop.clock.now += 61
    shop.medusa_fake.inject("* /store/*", status=503)
    stale = await resolve(shop.unified.get_product("live-tee"))
    assert stale == cached  # served stale, not raised
    assert shop.unified.cache_stats()["products"].stale_served == 1
    with pytest.raises(InternalServerError):
        await resolve(shop.unified.get_product("live-hoodie"))  # nothing to serve
    shop.clock.now += 3700  # older than max_stale (1 h)
    shop.medusa_fake.clear_faults()
    shop.medusa_fake.inject(refuse=True)
    with pytest.raises(APIConnectionError):
        await resolve(shop.unified.get_product("live-tee"))


async def test_ttls_per_resource(shop: Shop) -> None:
    await resolve(shop.unified.get_product("live-tee"))
    await resolve(shop.unified.list_regions())
    calls = shop.medusa_fake.count()
    shop.clock.now += 59
    await resolve(shop.unified.get_product("live-tee"))
    assert shop.medusa_fake.count() == calls
    shop.clock.now += 2  # products: 60 s
    await resolve(shop.unified.get_product("live-tee"))
    await resolve(shop.unified.list_regions())  # regions: 1 h, still fresh
    assert shop.medusa_fake.count() == calls + 1
    stats = shop.unified.cache_stats()
    assert (stats["products"].hits, stats["products"].misses) == (1, 2)
    assert stats["regions"].hits == 1


async def test_invalidation_and_webhook_events(shop: Shop) -> None:
    tee = await resolve(shop.unified.get_product("live-tee"))
    await resolve(shop.unified.list_products(limit=5))
    await resolve(shop.unified.get_page("about", tenant_id="acme"))
    await resolve(shop.unified.get_store_branding("acme"))
    medusa_event = parse_event("medusa", {"event": "product.updated", "data": {"id": tee.id}})
    assert shop.unified.invalidate_for_event(medusa_event) == 2  # the product and the list
    page_event = parse_event(
        "payload",
        {
            "event": "pages.update",
            "collection": "pages",
            "operation": "update",
            "id": "1",
            "status": "published",
            "previous_status": "published",
            "doc": {"id": 1, "slug": "about"},
        },
    )
    assert shop.unified.invalidate_for_event(page_event) == 1
    store_event = parse_event(
        "payload",
        {
            "event": "stores.update",
            "collection": "stores",
            "operation": "update",
            "id": "1",
            "status": None,
            "previous_status": None,
            "doc": {"id": 1, "handle": "acme"},
        },
    )
    assert shop.unified.invalidate_for_event(store_event) >= 1
    unknown = parse_event("medusa", {"event": "customer.created", "data": {"id": "cus_1"}})
    assert shop.unified.invalidate_for_event(unknown) == 0
    await resolve(shop.unified.get_product("live-hoodie"))
    assert shop.unified.invalidate(handle="live-hoodie") == 1
    assert {name: s.size for name, s in shop.unified.cache_stats().items() if s.size} == {}
    await resolve(shop.unified.get_product("live-tee"))
    await resolve(shop.unified.list_regions())
    assert shop.unified.invalidate_all() == 2  # exactly the two entries just cached
    assert shop.unified.cache_stats()["products"].size == 0
    assert shop.unified.invalidate_all() == 0
