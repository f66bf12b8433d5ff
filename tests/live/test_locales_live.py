"""Languages and tenants against the real Medusa 2.21.2 and Payload 3.90.2 (live stack seed:
French copy of live-tee, tenant beta with its own sales channel, key, product and store)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medusa_payload import MedusaClient, PayloadClient, TenantRoute, UnifiedClient
from medusa_payload.errors import NotFoundError
from medusa_payload.sync import SyncConfig, reconcile, sync_content_to_medusa

pytestmark = pytest.mark.live


@pytest.fixture
def shop(
    medusa: MedusaClient, payload: PayloadClient, live_env: dict[str, str]
) -> Iterator[UnifiedClient]:
    if "MEDUSA_BETA_SALES_CHANNEL_ID" not in live_env:
        pytest.fail("the live stack predates the locales seed: rebuild it (live-stack.sh all)")
    tenants = {
        "acme": TenantRoute(sales_channel_id=live_env["MEDUSA_SALES_CHANNEL_ID"]),
        "beta": TenantRoute(
            sales_channel_id=live_env["MEDUSA_BETA_SALES_CHANNEL_ID"],
            publishable_key=live_env["MEDUSA_BETA_PUBLISHABLE_KEY"],
        ),
    }
    with UnifiedClient(
        medusa=medusa,
        payload=payload,
        locales=("en", "fr", "de"),
        default_locale="en",
        tenants=tenants,
    ) as client:
        yield client


def test_same_product_in_two_locales_and_the_documented_fallback(shop: UnifiedClient) -> None:
    en = shop.get_product("live-tee", locale="en")
    fr = shop.get_product("live-tee", locale="fr")
    assert en.content is not None and fr.content is not None
    assert (en.content.title, en.seo and en.seo.title) == ("Live Tee", "Live Tee | Acme")
    assert (fr.content.title, fr.seo and fr.seo.title) == ("Tee en direct", "Tee en direct | Acme")
    assert en.fallbacks == {}
    # Not translated in the seed: from English, and named.
    assert fr.fallbacks == {"richDescription": "en", "seo.description": "en"}
    assert fr.seo is not None and fr.seo.description == "Buy Live Tee"
    hoodie = shop.get_product("live-hoodie", locale="fr")
    assert hoodie.content is not None and hoodie.content.title == "Live Hoodie"
    assert hoodie.fallbacks["title"] == "en"


def test_an_edit_in_one_locale_reaches_that_locale_in_cache_and_medusa(
    shop: UnifiedClient, payload: PayloadClient, medusa: MedusaClient, unique: str
) -> None:
    handle = f"loc-{unique}"
    product = medusa.admin.products.create(
        {
            "title": "Loc",
            "handle": handle,
            "status": "published",
            "options": [{"title": "Size", "values": ["S"]}],
            "variants": [
                {
                    "title": "S",
                    "options": {"Size": "S"},
                    "manage_inventory": False,
                    "prices": [{"currency_code": "eur", "amount": 3}],
                }
            ],
            "sales_channels": [{"id": shop.tenants["acme"].sales_channel_id}],
        }
    )
    doc = payload.create(
        "product-content",
        {"handle": handle, "title": "Loc EN", "medusaProductId": product.id, "status": "published"},
    )
    config = SyncConfig(locales=("en", "fr", "de"))
    try:
        payload.update_by_id("product-content", doc.id, {"title": "Loc FR"}, locale="fr")
        first = sync_content_to_medusa(doc.id, medusa=medusa, payload=payload, config=config)
        assert "payload_content_fr" in first.fields
        synced = medusa.admin.products.retrieve(product.id, fields="id,metadata").metadata or {}
        assert synced["payload_content_fr"] == {"title": "Loc FR"}
        assert "payload_content_de" not in synced
        before = shop.get_product(handle, locale="fr")
        assert before.content is not None and before.content.title == "Loc FR"
        assert shop.get_product(handle, locale="en").content.title == "Loc EN"  # type: ignore[union-attr]
        payload.update_by_id("product-content", doc.id, {"title": "Loc FR 2"}, locale="fr")
        again = sync_content_to_medusa(doc.id, medusa=medusa, payload=payload, config=config)
        assert list(again.fields) == ["payload_content_fr"]  # that locale only
        after_sync = medusa.admin.products.retrieve(product.id, fields="id,metadata").metadata
        assert (after_sync or {})["payload_content_fr"] == {"title": "Loc FR 2"}
        calm = sync_content_to_medusa(doc.id, medusa=medusa, payload=payload, config=config)
        assert calm.action == "no_change"
        assert shop.invalidate(handle=handle) == 2  # both locales of it
        after = shop.get_product(handle, locale="fr")
        assert after.content is not None and after.content.title == "Loc FR 2"
        english = shop.get_product(handle, locale="en")
        assert english.content is not None and english.content.title == "Loc EN"
    finally:
        payload.delete_by_id("product-content", doc.id)
        medusa.admin.products.delete(product.id)


def test_two_tenants_each_read_only_their_channel_with_their_key(shop: UnifiedClient) -> None:
    beta = shop.list_products(tenant_id="beta", limit=50)
    assert [p.handle for p in beta.items] == ["live-beta-only"]
    acme = {p.handle for p in shop.list_products(tenant_id="acme", limit=50).items}
    assert {"live-tee", "live-hoodie"} <= acme
    assert "live-beta-only" not in acme
    assert shop.get_product("live-beta-only", tenant_id="beta").title == "Beta Only"
    with pytest.raises(NotFoundError):
        shop.get_product("live-beta-only", tenant_id="acme")
    with pytest.raises(NotFoundError):
        shop.get_product("live-tee", tenant_id="beta")


def test_each_tenant_sees_only_its_pages_and_branding(shop: UnifiedClient) -> None:
    assert shop.get_page("about", tenant_id="beta").title == "About Beta"
    assert shop.get_page("about", tenant_id="acme", locale="fr").title == "À propos"
    assert shop.get_page("about", tenant_id="acme", locale="de").title == "About us"
    assert shop.get_store_branding("beta", tenant_id="beta").theme == "dark"
    with pytest.raises(NotFoundError):
        shop.get_store_branding("beta", tenant_id="acme")
    assert [s.handle for s in shop.list_stores(tenant_id="beta")] == ["beta"]
    assert [s.handle for s in shop.list_stores(tenant_id="acme")] == ["acme"]


def test_reconcile_covers_every_locale_and_names_drift_per_locale(
    medusa: MedusaClient, payload: PayloadClient
) -> None:
    config = SyncConfig(locales=("en", "fr", "de"))
    reconcile(medusa, payload, config=config, scope=("products",))
    tee = medusa.admin.products.list(handle="live-tee", fields="id,metadata").items[0]
    assert (tee.metadata or {})["payload_content_fr"]["title"] == "Tee en direct"
    medusa.admin.products.update_metadata(tee.id, {"payload_content_fr": {"title": "edited"}})
    dry = reconcile(medusa, payload, config=config, scope=("products",), dry_run=True)
    drift = [i.fields for i in dry.items if i.status == "drifted" and i.product_id == tee.id]
    assert drift == [["payload_content_fr"]]
    reconcile(medusa, payload, config=config, scope=("products",))
    calm = reconcile(medusa, payload, config=config, scope=("products",), dry_run=True)
    assert [i for i in calm.items if i.status == "drifted" and i.product_id == tee.id] == []
    again = medusa.admin.products.retrieve(tee.id, fields="id,metadata").metadata or {}
    assert again["payload_content_fr"]["title"] == "Tee en direct"


def test_a_tenants_cart_lands_in_its_sales_channel(
    shop: UnifiedClient, live_env: dict[str, str]
) -> None:
    only = shop.get_product("live-beta-only", tenant_id="beta")
    cart = shop.create_cart(
        tenant_id="beta",
        region_id=live_env["MEDUSA_REGION_ID"],
        items=[{"variant_id": only.variants[0].id, "quantity": 1}],
    )
    assert cart.sales_channel_id == live_env["MEDUSA_BETA_SALES_CHANNEL_ID"]
    again = shop.medusa.store.carts.retrieve(cart.id, extra_headers=shop.tenants["beta"].headers())
    assert [item.variant_id for item in again.items or []] == [only.variants[0].id]
