"""Locales and tenants through the unified reads and their caches: sync and async alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from medusa_payload import MedusaClient, PayloadClient, UnifiedClient
from medusa_payload.errors import InvalidArgumentError, NotFoundError
from medusa_payload.testing import seed_locales
from medusa_payload.unified import InMemoryBus, Invalidation, TenantRoute
from tests.helpers import close, resolve
from tests.unified.bus_helpers import eventually
from tests.unified.conftest import Shop, make_shop

LOCALES = ("en", "fr", "de")


@pytest.fixture(params=["sync", "async"])
async def world(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Shop, dict[str, Any]]]:
    """A shop over the demo catalogue plus its languages and second tenant."""
    plain = make_shop(request.param)
    ids = seed_locales(plain.medusa_fake, plain.payload_fake)
    for client in plain.clients:
        await close(client)
    tenants = {
        "acme": TenantRoute(sales_channel_id=plain.medusa_fake.sales_channel_id),
        "beta": TenantRoute(
            sales_channel_id=ids["beta_sales_channel_id"],
            publishable_key=ids["beta_publishable_key"],
        ),
    }
    shop = make_shop(
        request.param, like=plain, locales=LOCALES, default_locale="en", tenants=tenants
    )
    yield shop, ids
    for client in shop.clients:
        await close(client)


async def test_each_locale_gets_its_copy_and_says_what_fell_back(
    world: tuple[Shop, dict[str, Any]],
) -> None:
    shop, _ = world
    fr = await resolve(shop.unified.get_product("live-tee", locale="fr"))
    assert (fr.locale, fr.content.title, fr.seo.title) == (
        "fr",
        "Tee en direct",
        "Tee en direct | Acme",
    )
    assert fr.content.description == "Tee en direct, description simple"
    # Not translated: richDescription and seo.description come from English, and say so.
    assert fr.fallbacks == {"richDescription": "en", "seo.description": "en"}
    assert fr.seo.description == "Buy Live Tee"
    en = await resolve(shop.unified.get_product("live-tee"))  # the default locale
    assert (en.locale, en.content.title, en.fallbacks) == ("en", "Live Tee", {})
    hoodie = await resolve(shop.unified.get_product("live-hoodie", locale="de"))
    assert hoodie.content.title == "Live Hoodie"
    assert hoodie.fallbacks["title"] == "en"


async def test_medusa_is_asked_in_the_locale(world: tuple[Shop, dict[str, Any]]) -> None:
    shop, _ = world
    await resolve(shop.unified.get_product("live-tee", locale="fr"))
    asked = [r for r in shop.medusa_fake.requests if r.path == "/store/products"]
    assert asked[-1].headers.get("x-medusa-locale") == "fr"
    await resolve(shop.unified.list_categories(locale="de"))
    assert shop.medusa_fake.requests[-1].headers.get("x-medusa-locale") == "de"


async def test_cache_holds_the_locale_and_an_edit_drops_every_locale(
    world: tuple[Shop, dict[str, Any]],
) -> None:
    shop, _ = world
    for locale in LOCALES:
        await resolve(shop.unified.get_product("live-tee", locale=locale))
    products = shop.unified.cache_stats()["products"]
    assert (products.misses, products.size) == (3, 3)
    again = await resolve(shop.unified.get_product("live-tee", locale="fr"))
    assert again.content.title == "Tee en direct"
    assert shop.unified.cache_stats()["products"].hits == 1
    tee = next(d for d in shop.payload_fake.docs("product-content") if d["handle"] == "live-tee")
    shop.payload_fake.translate("product-content", tee["id"], "fr", {"title": "Tee neuf"})
    assert shop.unified.invalidate(handle="live-tee") == 3  # every locale of it
    fresh = await resolve(shop.unified.get_product("live-tee", locale="fr"))
    assert fresh.content.title == "Tee neuf"
    english = await resolve(shop.unified.get_product("live-tee", locale="en"))
    assert english.content.title == "Live Tee"


async def test_pages_in_a_locale_fall_back_per_field(world: tuple[Shop, dict[str, Any]]) -> None:
    shop, _ = world
    fr = await resolve(shop.unified.get_page("about", tenant_id="acme", locale="fr"))
    assert fr.title == "À propos"
    de = await resolve(shop.unified.get_page("about", tenant_id="acme", locale="de"))
    assert de.title == "About us"
    beta = await resolve(shop.unified.get_page("about", tenant_id="beta", locale="fr"))
    assert beta.title == "About Beta"


async def test_unknown_locale_or_tenant_is_a_typed_error_before_any_request(
    world: tuple[Shop, dict[str, Any]],
) -> None:
    shop, _ = world
    before = len(shop.medusa_fake.requests) + len(shop.payload_fake.requests)
    with pytest.raises(InvalidArgumentError, match="unknown locale 'es'"):
        await resolve(shop.unified.get_product("live-tee", locale="es"))
    with pytest.raises(InvalidArgumentError, match="unknown tenant 'gamma'"):
        await resolve(shop.unified.list_products(tenant_id="gamma"))
    with pytest.raises(InvalidArgumentError, match="unknown tenant"):
        await resolve(shop.unified.get_page("about", tenant_id="gamma"))
    assert len(shop.medusa_fake.requests) + len(shop.payload_fake.requests) == before


def test_locale_settings_are_checked() -> None:
    with MedusaClient("http://m.test") as medusa, PayloadClient("http://p.test") as payload:
        with pytest.raises(InvalidArgumentError, match="default_locale='es'"):
            UnifiedClient(medusa=medusa, payload=payload, locales=LOCALES, default_locale="es")
        with pytest.raises(TypeError, match="TenantRoute"):
            UnifiedClient(medusa=medusa, payload=payload, tenants={"a": {"sales_channel_id": "x"}})
        with pytest.raises(TypeError, match="a sequence of locale codes"):
            UnifiedClient(medusa=medusa, payload=payload, locales="en")
    with pytest.raises(TypeError, match="sales_channel_id"):
        TenantRoute(sales_channel_id="")


async def test_without_locales_a_locale_read_is_refused() -> None:
    shop = make_shop("sync")
    with pytest.raises(InvalidArgumentError, match="pass locales="):
        shop.unified.get_product("live-tee", locale="fr")
    plain = shop.unified.get_product("live-tee")
    assert (plain.locale, plain.fallbacks, plain.content.title) == (None, {}, "Live Tee")
    for client in shop.clients:
        await close(client)


async def test_each_tenant_reads_only_its_channel_with_its_key(
    world: tuple[Shop, dict[str, Any]],
) -> None:
    shop, ids = world
    beta = await resolve(shop.unified.list_products(tenant_id="beta"))
    assert [p.handle for p in beta.items] == ["live-beta-only"]
    request = shop.medusa_fake.requests[-1]
    assert request.headers["x-publishable-api-key"] == ids["beta_publishable_key"]
    assert request.query["sales_channel_id"] == [ids["beta_sales_channel_id"]]
    acme = await resolve(shop.unified.list_products(tenant_id="acme", limit=10))
    assert "live-beta-only" not in {p.handle for p in acme.items}
    assert "live-tee" in {p.handle for p in acme.items}
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_product("live-tee", tenant_id="beta"))
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_product("live-beta-only", tenant_id="acme"))
    only = await resolve(shop.unified.get_product("live-beta-only", tenant_id="beta"))
    assert only.title == "Beta Only"


async def test_a_tenants_cached_answer_never_answers_another_tenant(
    world: tuple[Shop, dict[str, Any]],
) -> None:
    shop, _ = world
    await resolve(shop.unified.get_product("live-tee", tenant_id="acme"))
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_product("live-tee", tenant_id="beta"))
    acme_branding = await resolve(shop.unified.get_store_branding("acme", tenant_id="acme"))
    assert acme_branding.primary_color == "#112233"
    with pytest.raises(NotFoundError):
        await resolve(shop.unified.get_store_branding("acme", tenant_id="beta"))


async def test_store_switcher_lists_a_tenants_stores(world: tuple[Shop, dict[str, Any]]) -> None:
    shop, _ = world
    every = await resolve(shop.unified.list_stores())
    assert [s.handle for s in every] == ["acme", "beta"]
    beta = await resolve(shop.unified.list_stores(tenant_id="beta"))
    assert [(s.handle, s.theme, s.logo) for s in beta] == [("beta", "dark", "/beta.svg")]
    shop.payload_fake.add_store("beta-2", tenant="beta")
    cached = await resolve(shop.unified.list_stores(tenant_id="beta"))
    assert len(cached) == 1  # cached
    assert shop.unified.invalidate(store="beta-2") >= 1
    fresh = await resolve(shop.unified.list_stores(tenant_id="beta"))
    assert [s.handle for s in fresh] == ["beta", "beta-2"]


async def test_an_edit_drops_every_locale_of_it_in_every_replica() -> None:
    bus = InMemoryBus()
    first = make_shop("async", bus=bus, locales=LOCALES, default_locale="en")
    seed_locales(first.medusa_fake, first.payload_fake)
    second = make_shop("sync", like=first, bus=bus, locales=LOCALES, default_locale="en")
    replicas = [first, second]
    try:
        for shop in replicas:
            assert await resolve(shop.unified.start(timeout=5))
            for locale in LOCALES:
                await resolve(shop.unified.get_product("live-tee", locale=locale))
            await resolve(shop.unified.get_product("live-hoodie", locale="fr"))
        tee = next(
            d for d in first.payload_fake.docs("product-content") if d["handle"] == "live-tee"
        )
        first.payload_fake.translate("product-content", tee["id"], "fr", {"title": "Tee neuf"})
        await bus.publish(Invalidation(handle="live-tee", reason="product-content.updated"))
        for shop in replicas:
            await eventually(lambda shop=shop: shop.unified.cache_stats()["products"].size == 1)
            fresh = await resolve(shop.unified.get_product("live-tee", locale="fr"))
            assert fresh.content.title == "Tee neuf"
    finally:
        for shop in replicas:
            await close(shop.unified)
            for client in shop.clients:
                await close(client)


async def test_a_tenants_cart_lands_in_its_sales_channel_with_its_key(
    world: tuple[Shop, dict[str, Any]],
) -> None:
    shop, ids = world
    only = await resolve(shop.unified.get_product("live-beta-only", tenant_id="beta"))
    cart = await resolve(
        shop.unified.create_cart(
            tenant_id="beta", items=[{"variant_id": only.variants[0].id, "quantity": 1}]
        )
    )
    assert cart.sales_channel_id == ids["beta_sales_channel_id"]
    assert [item.variant_id for item in cart.items or []] == [only.variants[0].id]
    sent = shop.medusa_fake.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/store/carts")
    assert sent.headers["x-publishable-api-key"] == ids["beta_publishable_key"]
    acme = await resolve(shop.unified.create_cart(tenant_id="acme"))
    assert acme.sales_channel_id == shop.medusa_fake.sales_channel_id
    with pytest.raises(InvalidArgumentError, match="unknown tenant 'gamma'"):
        await resolve(shop.unified.create_cart(tenant_id="gamma"))
