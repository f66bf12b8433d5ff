"""A storefront backend: merged products, pages and branding (cached), carts, checkout and
customer sign-in, with FastAPI.

    pip install fastapi uvicorn
    python examples/storefront_fastapi.py               # in-memory fakes (demo data), port 8000
    MEDUSA_BACKEND_URL=... MEDUSA_PUBLISHABLE_KEY=... PAYLOAD_CMS_URL=... \\
        python examples/storefront_fastapi.py           # real servers

    curl localhost:8000/products/live-tee           # prices in the first region
    curl localhost:8000/products/live-tee?region_id=reg_...
    curl localhost:8000/products/live-tee?locale=fr      # French copy, `fallbacks` names the rest
    curl -H 'Host: beta.shop.test' localhost:8000/products   # tenant from the host name
    curl localhost:8000/products?limit=10
    curl localhost:8000/pages/about?tenant=acme
    curl localhost:8000/branding/acme
    curl -X POST localhost:8000/carts -H 'content-type: application/json' \
        -d '{"items": [{"variant_id": "variant_...", "quantity": 1}]}'
    curl -X POST localhost:8000/carts/cart_.../checkout -H 'content-type: application/json' \
        -d '{"email": "a@b.co", "address": {"address_1": "1 Main St", "country_code": "de"}}'
    curl -X POST localhost:8000/account -d '{"email": "...", "password": "..."}' ...   # a token
    curl localhost:8000/account/orders -H 'authorization: Bearer <token>'
    curl localhost:8000/cache                        # cache statistics

A bad query parameter is answered 422 (FastAPI's validation) or 400 (what Medusa or Payload
refused, with their reason), never 500; an upstream 5xx is a 502.

With the fakes, the shop has three locales (en, fr, de) and two tenants (acme, beta: each its
own sales channel and publishable key); the first label of the host name picks the tenant.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from medusa_payload import (
    APIStatusError,
    AsyncMedusaClient,
    AsyncPayloadClient,
    AsyncUnifiedClient,
    NotFoundError,
    TenantRoute,
)
from medusa_payload.errors import InvalidArgumentError
from medusa_payload.medusa import Cart
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
        region = await region_or_first(region_id)
        found = await shop.get_product(
            handle, region_id=region, draft=preview, locale=locale, tenant_id=tenant_of(request)
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
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
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


# ---------------------------------------------------------------- selling


class Item(BaseModel):
    variant_id: str
    quantity: int = 1


class NewCart(BaseModel):
    items: list[Item] = []
    email: str | None = None


class Checkout(BaseModel):
    email: str
    address: dict[str, Any]


class Credentials(BaseModel):
    email: str
    password: str
    first_name: str | None = None


def medusa_for(authorization: str | None) -> AsyncMedusaClient:
    """The shared client, or a customer's (same pool) when the request carries their token."""
    if authorization and authorization.lower().startswith("bearer "):
        return shop.medusa.with_customer(authorization[7:])
    return shop.medusa


def refused(error: APIStatusError) -> HTTPException:
    """Medusa's refusal, passed on with its status, type and code (an upstream 5xx is a 502)."""
    detail = {"message": error.message, "type": error.type, "code": error.code}
    return HTTPException(
        status_code=error.status_code if error.status_code < 500 else 502, detail=detail
    )


def cart_json(cart: Cart) -> dict[str, Any]:
    return {
        "id": cart.id,
        "items": [
            {"id": i.id, "title": i.title, "quantity": i.quantity, "unit_price": i.unit_price}
            for i in cart.items or []
        ],
        "total": cart.total,
        "customer_id": cart.customer_id,
    }


@app.post("/carts")
async def new_cart(body: NewCart, authorization: str | None = Header(None)) -> Any:
    """A cart (a signed-in customer's when their token is sent)."""
    try:
        cart = await medusa_for(authorization).store.carts.create(
            email=body.email, items=[i.model_dump() for i in body.items]
        )
    except APIStatusError as exc:
        raise refused(exc) from None
    return cart_json(cart)


@app.get("/carts/{cart_id}")
async def get_cart(cart_id: str) -> Any:
    """A cart with its lines and total."""
    try:
        return cart_json(await shop.medusa.store.carts.retrieve(cart_id))
    except APIStatusError as exc:
        raise refused(exc) from None


@app.post("/carts/{cart_id}/items")
async def add_item(cart_id: str, item: Item) -> Any:
    """Add a line; Medusa's refusal (out of stock, bad quantity) comes back as a 4xx."""
    try:
        cart = await shop.medusa.store.carts.create_line_item(
            cart_id, variant_id=item.variant_id, quantity=item.quantity
        )
    except APIStatusError as exc:
        raise refused(exc) from None
    return cart_json(cart)


@app.post("/carts/{cart_id}/checkout")
async def checkout(cart_id: str, body: Checkout, authorization: str | None = Header(None)) -> Any:
    """Address, the cheapest shipping option, the system payment provider, then the order."""
    medusa = medusa_for(authorization)
    try:
        await medusa.store.carts.update(
            cart_id, email=body.email, shipping_address=body.address, billing_address=body.address
        )
        options = (await medusa.store.shipping_options.list(cart_id=cart_id)).items
        if not options:
            raise HTTPException(status_code=409, detail="no shipping option for this address")
        cheapest = min(options, key=lambda o: o.amount or 0)
        await medusa.store.carts.add_shipping_method(cart_id, option_id=cheapest.id)
        await medusa.store.payment_collections.initiate_session(
            cart_id, provider_id="pp_system_default"
        )
        done = await medusa.store.carts.complete(cart_id)
    except APIStatusError as exc:
        raise refused(exc) from None
    if done.order is None:
        reason = done.error.message if done.error else "not completed"
        raise HTTPException(status_code=402, detail={"cart_id": cart_id, "reason": reason})
    return {
        "order_id": done.order.id,
        "display_id": done.order.display_id,
        "total": done.order.total,
    }


@app.post("/account")
async def register(body: Credentials) -> Any:
    """Register a customer; returns their token."""
    try:
        registration = await shop.medusa.auth.customer.register(body.email, body.password)
        await shop.medusa.store.customers.create(
            email=body.email, first_name=body.first_name, registration_token=registration
        )
        token = await shop.medusa.auth.customer.login(body.email, body.password)
    except APIStatusError as exc:
        raise refused(exc) from None
    return {"token": token.get_secret_value()}


@app.post("/account/token")
async def sign_in(body: Credentials) -> Any:
    """Sign in; returns the customer's token."""
    try:
        token = await shop.medusa.auth.customer.login(body.email, body.password)
    except APIStatusError as exc:
        raise refused(exc) from None
    return {"token": token.get_secret_value()}


@app.get("/account/orders")
async def my_orders(authorization: str | None = Header(None)) -> Any:
    """The signed-in customer's orders."""
    try:
        page = await medusa_for(authorization).store.orders.list()
    except APIStatusError as exc:
        raise refused(exc) from None
    return [{"id": o.id, "display_id": o.display_id, "total": o.total} for o in page.items]


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
