"""A storefront backend endpoint: merged products, pages and branding, cached, with FastAPI.

    pip install fastapi uvicorn
    python examples/storefront_fastapi.py               # in-memory fakes (demo data), port 8000
    MEDUSA_BACKEND_URL=... MEDUSA_PUBLISHABLE_KEY=... PAYLOAD_CMS_URL=... \\
        python examples/storefront_fastapi.py           # real servers

    curl localhost:8000/products/live-tee           # prices in the first region
    curl localhost:8000/products/live-tee?region_id=reg_...
    curl localhost:8000/products?limit=10
    curl localhost:8000/pages/about?tenant=acme
    curl localhost:8000/branding/acme
    curl localhost:8000/cache                        # cache statistics

A bad query parameter is answered 422 (FastAPI's validation) or 400 (what Medusa or Payload
refused, with their reason), never 500; an upstream 5xx is a 502.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from medusa_payload import (
    APIStatusError,
    AsyncMedusaClient,
    AsyncPayloadClient,
    AsyncUnifiedClient,
    NotFoundError,
)
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo


def make_shop() -> AsyncUnifiedClient:
    """Real servers when the environment names them, else seeded in-memory fakes."""
    if os.environ.get("MEDUSA_BACKEND_URL") and os.environ.get("PAYLOAD_CMS_URL"):
        return AsyncUnifiedClient.from_env()
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    return AsyncUnifiedClient(
        medusa=AsyncMedusaClient(
            medusa.base_url, publishable_key=medusa.publishable_key, transport=medusa.transport
        ),
        payload=AsyncPayloadClient(payload.base_url, transport=payload.transport),
    )


shop = make_shop()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await shop.medusa.aclose()
    await shop.payload.aclose()


app = FastAPI(title="storefront", lifespan=lifespan)


async def region_or_first(region_id: str | None) -> str | None:
    """The region asked for, else the shop's first region, so prices show without one."""
    if region_id:
        return region_id
    regions = await shop.list_regions()  # cached for an hour
    return regions[0].id if regions else None


@app.exception_handler(APIStatusError)
async def upstream_refused(request: Request, exc: APIStatusError) -> JSONResponse:
    """A 4xx from Medusa or Payload (an unknown region, a bad filter) is the caller's mistake:
    400 with the server's reason. A 5xx is theirs: 502 (a bad gateway), never a bare 500."""
    status = 400 if exc.status_code < 500 else 502
    return JSONResponse(
        {"detail": f"{exc.service} answered {exc.status_code}: {exc.message}"}, status
    )


@app.get("/products/{handle}")
async def product(handle: str, region_id: str | None = None, preview: bool = False) -> Any:
    """One product with its content; ``content_status`` says if the CMS answered."""
    try:
        region = await region_or_first(region_id)
        found = await shop.get_product(handle, region_id=region, draft=preview)
    except NotFoundError:
        raise HTTPException(status_code=404, detail=f"no product {handle!r}") from None
    return {
        "id": found.id,
        "handle": found.handle,
        "title": found.title,
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
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    q: str | None = None,
) -> Any:
    """A page of products (two upstream requests, cached)."""
    page = await shop.list_products(limit=limit, offset=offset, q=q)
    return {
        "count": page.count,
        "items": [
            {"handle": p.handle, "title": p.title, "content_status": p.content_status}
            for p in page.items
        ],
    }


@app.get("/pages/{slug}")
async def cms_page(slug: str, tenant: str | None = None) -> Any:
    """A published CMS page."""
    try:
        page = await shop.get_page(slug, tenant_id=tenant)
    except NotFoundError:
        raise HTTPException(status_code=404, detail=f"no page {slug!r}") from None
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
