"""A storefront backend endpoint: merged products, pages and branding, cached, with FastAPI.

    pip install fastapi uvicorn
    python examples/storefront_fastapi.py               # in-memory fakes (demo data), port 8000
    MEDUSA_BACKEND_URL=... MEDUSA_PUBLISHABLE_KEY=... PAYLOAD_CMS_URL=... \\
        python examples/storefront_fastapi.py           # real servers

    curl localhost:8000/products/live-tee?region_id=...
    curl localhost:8000/products/live-tee?locale=fr      # French copy, `fallbacks` names the rest
    curl -H 'Host: beta.shop.test' localhost:8000/products   # tenant from the host name
    curl localhost:8000/products?limit=10
    curl localhost:8000/pages/about?tenant=acme
    curl localhost:8000/branding/acme

With the fakes, the shop has three locales (en, fr, de) and two tenants (acme, beta: each its
own sales channel and publishable key); the first label of the host name picks the tenant.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request

from medusa_payload import (
    AsyncMedusaClient,
    AsyncPayloadClient,
    AsyncUnifiedClient,
    NotFoundError,
    TenantRoute,
)
from medusa_payload.errors import InvalidArgumentError
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo, seed_locales


def make_shop() -> AsyncUnifiedClient:
    """Real servers when the environment names them, else seeded in-memory fakes."""
    if os.environ.get("MEDUSA_BACKEND_URL") and os.environ.get("PAYLOAD_CMS_URL"):
        return AsyncUnifiedClient.from_env()
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    ids = seed_locales(medusa, payload)
    return AsyncUnifiedClient(
        medusa=AsyncMedusaClient(
            medusa.base_url, publishable_key=medusa.publishable_key, transport=medusa.transport
        ),
        payload=AsyncPayloadClient(payload.base_url, transport=payload.transport),
        locales=("en", "fr", "de"),
        default_locale="en",
        tenants={
            "acme": TenantRoute(sales_channel_id=medusa.sales_channel_id),
            "beta": TenantRoute(
                sales_channel_id=ids["beta_sales_channel_id"],
                publishable_key=ids["beta_publishable_key"],
            ),
        },
    )


shop = make_shop()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await shop.medusa.aclose()
    await shop.payload.aclose()


app = FastAPI(title="storefront", lifespan=lifespan)


def tenant_of(request: Request) -> str | None:
    """The tenant a host name names (``beta.shop.example`` -> ``beta``), if the shop has it."""
    label = request.headers.get("host", "").split(":")[0].split(".")[0]
    return label if label in shop.tenants else None


def bad_request(exc: InvalidArgumentError) -> HTTPException:
    return HTTPException(status_code=400, detail=str(exc))


@app.get("/products/{handle}")
async def product(
    request: Request,
    handle: str,
    region_id: str | None = None,
    preview: bool = False,
    locale: str | None = None,
) -> Any:
    """One product with its content in ``locale``; ``content_status`` says if the CMS
    answered, ``fallbacks`` which fields had no translation."""
    try:
        found = await shop.get_product(
            handle, region_id=region_id, draft=preview, locale=locale, tenant_id=tenant_of(request)
        )
    except NotFoundError:
        raise HTTPException(status_code=404, detail=f"no product {handle!r}") from None
    except InvalidArgumentError as exc:
        raise bad_request(exc) from None
    return {
        "id": found.id,
        "handle": found.handle,
        "title": found.title,
        "content_title": found.content.title if found.content else None,
        "locale": found.locale,
        "fallbacks": found.fallbacks,
        "variants": [
            {
                "id": v.id,
                "title": v.title,
                "price": v.calculated_price.calculated_amount if v.calculated_price else None,
            }
            for v in found.variants
        ],
        "seo": found.seo.model_dump() if found.seo else None,
        "features": [f.model_dump(exclude={"id"}) for f in found.features],
        "content_status": found.content_status,
    }


@app.get("/products")
async def products(
    request: Request,
    limit: int = 20,
    offset: int = 0,
    q: str | None = None,
    locale: str | None = None,
) -> Any:
    """A page of the host's tenant's products (two upstream requests, cached)."""
    try:
        page = await shop.list_products(
            limit=limit, offset=offset, q=q, locale=locale, tenant_id=tenant_of(request)
        )
    except InvalidArgumentError as exc:
        raise bad_request(exc) from None
    return {
        "count": page.count,
        "items": [
            {"handle": p.handle, "title": p.title, "content_status": p.content_status}
            for p in page.items
        ],
    }


@app.get("/pages/{slug}")
async def cms_page(
    request: Request, slug: str, tenant: str | None = None, locale: str | None = None
) -> Any:
    """A published CMS page of ``tenant`` (default: the host's), in ``locale``."""
    try:
        page = await shop.get_page(slug, tenant_id=tenant or tenant_of(request), locale=locale)
    except NotFoundError:
        raise HTTPException(status_code=404, detail=f"no page {slug!r}") from None
    except InvalidArgumentError as exc:
        raise bad_request(exc) from None
    return {"slug": page.slug, "title": page.title, "content": page.content}


@app.get("/branding/{store}")
async def branding(store: str) -> Any:
    """Logo, colours and theme (defaults when the CMS has none, or is down)."""
    try:
        return (await shop.get_store_branding(store)).model_dump()
    except NotFoundError:
        raise HTTPException(status_code=404, detail=f"no store {store!r}") from None


@app.get("/cache")
def cache() -> Any:
    """Cache statistics per resource."""
    return {name: stats.as_dict() for name, stats in shop.cache_stats().items()}


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
