"""Invalidation drops exactly what a change touches; 404s are small and kept apart; store ids."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from medusa_payload import NotFoundError
from medusa_payload.unified import CacheConfig, Invalidation
from medusa_payload.unified._cache import NotFoundMarker, ResourceCache
from medusa_payload.unified._keys import ProductKey
from tests.helpers import close, resolve

from .conftest import Shop, make_shop


async def _calls(shop: Shop) -> int:
    return shop.medusa_fake.count() + shop.payload_fake.count()


async def _is_cached(shop: Shop, read: Any) -> bool:
    """Whether ``read()`` is answered without a request to either server."""
    before = await _calls(shop)
    await resolve(read())
    return await _calls(shop) == before


async def test_a_store_change_never_drops_a_list_whose_limit_equals_the_store_id(
    shop: Shop,
) -> None:
    await resolve(shop.unified.list_products(limit=7))
    assert shop.unified.invalidate(store=7) == 0
    assert shop.unified.invalidate(store="7") == 0
    assert await _is_cached(shop, lambda: shop.unified.list_products(limit=7))


async def test_a_store_change_drops_what_is_scoped_to_it_by_handle_or_id(shop: Shop) -> None:
    store_id = shop.ids["store_id"]
    u = shop.unified
    await resolve(u.get_store_branding("acme"))
    await resolve(u.list_products(store_id="acme", limit=5))
    await resolve(u.get_product("live-tee", store_id=store_id))  # asked by its id
    await resolve(u.get_page("about", store_id="acme"))
    await resolve(u.get_product("live-tee"))  # not scoped: stays
    await resolve(u.get_page("about", tenant_id="acme"))  # not scoped: stays
    # branding "acme", the store looked up by id, the list, the product, the page
    assert u.invalidate(store="acme") == 5
    assert await _is_cached(shop, lambda: u.get_product("live-tee"))
    assert await _is_cached(shop, lambda: u.get_page("about", tenant_id="acme"))
    assert not await _is_cached(shop, lambda: u.get_product("live-tee", store_id=store_id))


async def test_a_product_change_drops_its_product_and_every_list_only(shop: Shop) -> None:
    u = shop.unified
    tee = await resolve(u.get_product("live-tee"))
    await resolve(u.get_product("live-tee", region_id=None, draft=True))
    await resolve(u.get_product("live-hoodie"))
    await resolve(u.list_products(limit=5))
    await resolve(u.get_page("about", tenant_id="acme"))
    assert u.invalidate(product=tee.id) == 3  # two reads of the tee, the list
    assert await _is_cached(shop, lambda: u.get_product("live-hoodie"))
    assert await _is_cached(shop, lambda: u.get_page("about", tenant_id="acme"))
    assert u.apply(Invalidation(handle="live-hoodie")) == 1
    assert u.apply(Invalidation(reason="customer.created")) == 0
    assert u.apply(Invalidation.all("gap")) == 1  # the page


async def test_a_page_change_drops_that_slug_only(shop: Shop) -> None:
    u = shop.unified
    shop.payload_fake.add_page("faq", "FAQ")
    await resolve(u.get_page("about", tenant_id="acme"))
    await resolve(u.get_page("faq"))
    assert u.invalidate(page="about") == 1
    assert await _is_cached(shop, lambda: u.get_page("faq"))
    assert u.apply(Invalidation(resources=("pages",))) == 1


def test_an_invalidation_refuses_unknown_resources() -> None:
    with pytest.raises(ValueError, match="unknown resources"):
        Invalidation(resources=("regions",))


async def test_a_remembered_404_is_a_small_marker_and_raises_a_useful_not_found(
    shop: Shop,
) -> None:
    with pytest.raises(NotFoundError) as first:
        await resolve(shop.unified.get_product("no-such-thing"))
    entry = shop.unified._caches["products"].fresh(
        ProductKey("no-such-thing", None, None, None, False)
    )
    assert entry is not None and isinstance(entry.error, NotFoundMarker)
    assert len(pickle.dumps(entry.error)) < 1024  # no response, body or traceback
    with pytest.raises(NotFoundError) as again:
        await resolve(shop.unified.get_product("no-such-thing"))
    assert again.value is not first.value
    assert again.value.__traceback__ is not None and again.value.__context__ is None
    assert (again.value.service, again.value.status_code, again.value.type) == (
        "medusa",
        404,
        "not_found",
    )
    assert "no product with handle 'no-such-thing'" in str(again.value)
    assert again.value.response.request.url.path == "/store/products"


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_404s_are_bounded_apart_and_never_push_real_entries_out(kind: str) -> None:
    shop = make_shop(kind, CacheConfig(maxsize=3, negative_maxsize=2))
    try:
        u = shop.unified
        for handle in ("live-tee", "live-hoodie", "live-plain"):
            await resolve(u.get_product(handle))
        for n in range(20):
            with pytest.raises(NotFoundError):
                await resolve(u.get_product(f"ghost-{n}"))
        for handle in ("live-tee", "live-hoodie", "live-plain"):
            assert await _is_cached(shop, lambda h=handle: u.get_product(h))
        assert u.cache_stats()["products"].size == 3 + 2
        with pytest.raises(NotFoundError):  # the newest 404s are still remembered
            await _is_cached(shop, lambda: u.get_product("ghost-19"))
        assert u.cache_stats()["products"].negative_hits == 1
    finally:
        for client in shop.clients:
            await close(client)


def test_a_value_fetched_before_a_drop_is_not_stored() -> None:
    cache = ResourceCache("products", CacheConfig(), lambda: 0.0)
    key = ProductKey("tee", None, None, None, False)
    generation = cache.generation
    cache.drop(lambda k, v: False)  # an invalidation while the fetch was under way
    cache.put(key, "old", generation=generation)
    assert cache.fresh(key) is None
    cache.put(key, "new", generation=cache.generation)
    entry = cache.fresh(key)
    assert entry is not None and entry.value == "new"


@pytest.mark.parametrize("text", ["²", "١", "9" * 5000, "1" * 19, "-1", " 1"])
async def test_only_short_ascii_decimal_store_ids_are_ids(shop: Shop, text: str) -> None:
    """Anything else is a handle: no ValueError, and "١" (Arabic 1) never reads store 1."""
    assert shop.ids["store_id"] == 1
    with pytest.raises(NotFoundError, match="no store"):
        await resolve(shop.unified.get_store_branding(text))


async def test_a_store_handle_of_non_ascii_digits_is_found_by_handle(shop: Shop) -> None:
    shop.payload_fake.add_store("١٢", "Arabic Digits")
    branding = await resolve(shop.unified.get_store_branding("١٢"))
    assert (branding.handle, branding.name) == ("١٢", "Arabic Digits")
    by_id = await resolve(shop.unified.get_store_branding(str(shop.ids["store_id"])))
    assert by_id.handle == "acme"
