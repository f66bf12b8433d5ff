"""Unified carts: a cart with its lines' content in at most one extra request, store carts."""

from __future__ import annotations

import pytest

from medusa_payload.errors import BadRequestError
from tests.helpers import resolve
from tests.unified.conftest import Shop


def _variant(shop: Shop, handle: str) -> str:
    product = shop.medusa_fake.product(shop.ids["products"][handle])
    assert product is not None
    return str(product["variants"][0]["id"])


async def _cart_of(shop: Shop, handles: list[str]) -> str:
    items = [{"variant_id": _variant(shop, h), "quantity": 1} for h in handles]
    cart = await resolve(shop.unified.medusa.store.carts.create(items=items))
    return str(cart.id)


async def test_a_cart_with_content_in_one_payload_request(shop: Shop) -> None:
    cart_id = await _cart_of(shop, ["live-tee", "live-hoodie", "live-plain"])
    shop.medusa_fake.reset_requests()
    shop.payload_fake.reset_requests()
    cart = await resolve(shop.unified.get_cart(cart_id))
    assert (shop.medusa_fake.count(), shop.payload_fake.count()) == (1, 1)
    lines = {line.item.product_handle: line for line in cart.items}
    assert lines["live-tee"].seo and lines["live-tee"].seo.title == "Live Tee | Acme"
    assert lines["live-tee"].content_status == "ok"
    assert lines["live-plain"].content_status == "missing"
    assert lines["live-plain"].title == "Live Plain"  # Medusa's title when the CMS has none
    assert cart.content_status == "ok" and cart.total == 10 + 30 + 5
    again = await resolve(shop.unified.get_cart(cart_id))
    assert (shop.medusa_fake.count(), shop.payload_fake.count()) == (2, 1)  # content cached
    assert [line.title for line in again.items] == [line.title for line in cart.items]


async def test_cart_content_is_invalidated_like_products(shop: Shop) -> None:
    cart_id = await _cart_of(shop, ["live-tee", "live-hoodie"])
    await resolve(shop.unified.get_cart(cart_id))
    shop.payload_fake.reset_requests()
    assert shop.unified.invalidate(handle="live-tee") >= 1
    await resolve(shop.unified.get_cart(cart_id))
    assert shop.payload_fake.count() == 1  # only the dropped product is asked for again
    query = shop.payload_fake.requests[-1].query
    assert "live-tee" in str(query) and "live-hoodie" not in str(query)
    shop.unified.invalidate(product=shop.ids["products"]["live-hoodie"])
    shop.payload_fake.reset_requests()
    await resolve(shop.unified.get_cart(cart_id))
    assert shop.payload_fake.count() == 1


async def test_a_cart_comes_back_when_the_cms_is_down(shop: Shop) -> None:
    cart_id = await _cart_of(shop, ["live-tee"])
    shop.payload_fake.inject("* /api/*", status=503)
    cart = await resolve(shop.unified.get_cart(cart_id))
    assert cart.content_status == "unavailable"
    assert cart.items[0].content_status == "unavailable" and cart.items[0].title == "Live Tee"
    shop.payload_fake.clear_faults()
    healed = await resolve(shop.unified.get_cart(cart_id))
    assert healed.items[0].content_status == "ok"  # the outage was not cached


async def test_a_cart_in_a_stores_sales_channel(shop: Shop) -> None:
    cart = await resolve(
        shop.unified.create_cart(
            store_id="acme", items=[{"variant_id": _variant(shop, "live-tee"), "quantity": 2}]
        )
    )
    assert cart.sales_channel_id == shop.medusa_fake.sales_channel_id
    other = shop.medusa_fake.add_sales_channel("Elsewhere")
    shop.payload_fake.add_store("beta-shop", "Beta", sales_channel_id=other["id"])
    with pytest.raises(BadRequestError):  # the key does not sell in that channel
        await resolve(shop.unified.create_cart(store_id="beta-shop"))
