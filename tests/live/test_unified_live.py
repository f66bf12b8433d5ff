"""Unified reads against the real Medusa 2.21.2 and Payload 3.90.2."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from medusa_payload import (
    AsyncMedusaClient,
    AsyncPayloadClient,
    AsyncUnifiedClient,
    MedusaClient,
    PayloadClient,
    UnifiedClient,
)
from medusa_payload.errors import NotFoundError
from tests.payload.test_editors import tiny_png

pytestmark = pytest.mark.live


@pytest.fixture
def shop(medusa: MedusaClient, payload: PayloadClient) -> Iterator[UnifiedClient]:
    with UnifiedClient(medusa=medusa, payload=payload) as client:
        yield client


@pytest.fixture
async def ashop(
    amedusa: AsyncMedusaClient, apayload: AsyncPayloadClient
) -> AsyncIterator[AsyncUnifiedClient]:
    async with AsyncUnifiedClient(medusa=amedusa, payload=apayload) as client:
        yield client


def test_product_with_published_content_and_prices(
    shop: UnifiedClient, live_env: dict[str, str]
) -> None:
    product = shop.get_product("live-tee", region_id=live_env["MEDUSA_REGION_ID"])
    assert (product.content_status, product.title) == ("ok", "Live Tee")
    assert product.seo is not None and product.seo.title == "Live Tee | Acme"
    assert [f.title for f in product.features] == ["Organic cotton"]
    assert sorted(
        v.calculated_price.calculated_amount for v in product.variants if v.calculated_price
    ) == [10, 10]


def test_unpublished_and_missing_content(
    shop: UnifiedClient,
    payload: PayloadClient,
    medusa: MedusaClient,
    live_env: dict[str, str],
    unique: str,
) -> None:
    assert shop.get_product("live-plain").content_status == "missing"
    product = medusa.admin.products.create(
        {
            "title": "Unified Draft",
            "handle": f"uni-{unique}",
            "status": "published",
            "options": [{"title": "Size", "values": ["One"]}],
            "variants": [
                {
                    "title": "One",
                    "options": {"Size": "One"},
                    "manage_inventory": False,
                    "prices": [{"currency_code": "eur", "amount": 3}],
                }
            ],
            "sales_channels": [{"id": live_env["MEDUSA_SALES_CHANNEL_ID"]}],
        }
    )
    doc = payload.create(
        "product-content",
        {
            "handle": f"uni-{unique}",
            "title": "x",
            "medusaProductId": product.id,
            "status": "draft",
            "seo": {"title": "Draft SEO"},
        },
    )
    try:
        hidden = shop.get_product(f"uni-{unique}")
        assert hidden.content_status == "missing"  # drafts are not shown ...
        preview = shop.get_product(f"uni-{unique}", draft=True)
        assert preview.content_status == "ok"  # ... except in preview
        assert preview.seo is not None and preview.seo.title == "Draft SEO"
        payload.update_by_id("product-content", doc.id, {"status": "published"})
        shop.invalidate(product=product.id)
        assert shop.get_product(f"uni-{unique}").content_status == "ok"
    finally:
        payload.delete_by_id("product-content", doc.id)
        medusa.admin.products.delete(product.id)


def test_list_pages_and_tenant_scoped_pages(shop: UnifiedClient) -> None:
    page = shop.list_products(limit=2, order="handle")
    handles = [p.handle for p in page]
    assert {"live-tee", "live-hoodie", "live-plain"} <= set(handles)
    statuses = {p.handle: p.content_status for p in shop.list_products(limit=50).items}
    assert statuses["live-tee"] == "ok"
    assert statuses["live-plain"] == "missing"
    assert shop.get_page("about", tenant_id="acme").title == "About us"
    assert shop.get_page("about", tenant_id="beta").title == "About Beta"
    assert shop.get_page("about", store_id="acme").title == "About us"
    with pytest.raises(NotFoundError):
        shop.get_page("about", tenant_id="nobody")
    branding = shop.get_store_branding("acme")
    assert (branding.primary_color, branding.secondary_color, branding.theme) == (
        "#112233",
        "#ddeeff",
        "light",
    )
    assert [r.currency_code for r in shop.list_regions()] == ["eur"]


async def test_async_client_same_answers(ashop: AsyncUnifiedClient, shop: UnifiedClient) -> None:
    sync_product = shop.get_product("live-hoodie")
    product = await ashop.get_product("live-hoodie")
    assert product.model_dump() == sync_product.model_dump()
    page = await ashop.list_products(limit=50)
    assert {p.handle for p in page.items} >= {"live-tee", "live-hoodie", "live-plain"}
    branding = await ashop.get_store_branding("acme")
    assert branding.logo == "/logo.svg"


def test_cms_unreachable_still_serves_products(medusa: MedusaClient) -> None:
    with (
        PayloadClient("http://127.0.0.1:9", max_retries=0) as dead,
        UnifiedClient(medusa=medusa, payload=dead) as shop,
    ):
        product = shop.get_product("live-tee")
        assert (product.content_status, product.title) == ("unavailable", "Live Tee")
        assert shop.get_store_branding("acme").source == "unavailable"


def test_an_uploaded_logo_appears_in_branding_as_a_url_that_answers(
    shop: UnifiedClient, payload: PayloadClient, unique: str
) -> None:
    logo = payload.create(
        "media", {"alt": "Logo"}, file=(f"logo-{unique}.png", tiny_png(), "image/png")
    )
    handle = f"logo-store-{unique}"
    store = payload.create(
        "stores",
        {"handle": handle, "name": "Logo store", "branding": {"logoMedia": logo.id}},
    )
    try:
        branding = shop.get_store_branding(handle)
        assert branding.logo and branding.logo.startswith("http")
        assert branding.logo.endswith(f"/api/media/file/logo-{unique}.png")
        answer = httpx.get(branding.logo, timeout=10)
        assert (answer.status_code, answer.content) == (200, tiny_png())
    finally:
        payload.delete_by_id("stores", store.id)
        payload.delete_by_id("media", logo.id)
