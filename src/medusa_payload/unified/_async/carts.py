"""Carts for `AsyncUnifiedClient`: a cart with its lines' content, carts in a store's channel.

The cart itself is never cached (it changes with every click); each product's content is, in
the products cache under a `CartLineKey`, so ``invalidate(product=
..., handle=...)`` and the bus drop it with the product's entries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ...errors import APIError
from ...medusa._async.client import AsyncMedusaClient
from ...medusa._selling_models import Cart, LineItem
from ...medusa.models import Product
from .._cart_models import UnifiedCart, UnifiedLineItem
from .._keys import CartLineKey
from .._merge import pick_content
from .._tenants import channel_of, headers_of, route_of
from ..models import UnifiedProduct

if TYPE_CHECKING:
    from .client import AsyncUnifiedClient

__all__ = ["create_cart", "load_cart"]


async def load_cart(
    shop: AsyncUnifiedClient,
    cart_id: str,
    *,
    medusa: AsyncMedusaClient | None,
    tenant_id: str | None,
    draft: bool,
    locale: str | None = None,
) -> UnifiedCart:
    """The cart (one Medusa request) and its lines' content (at most one Payload request), in
    ``locale`` (the client's default when ``None``)."""
    locale = shop.locale_config.pick(locale)
    cart = await (medusa or shop.medusa).store.carts.retrieve(cart_id)
    cache = shop._caches["products"]
    lines: dict[tuple[str | None, str | None], UnifiedProduct | None] = {}
    for item in cart.items or []:
        entry = (
            cache.fresh(CartLineKey(item.product_handle, tenant_id, draft, locale))
            if item.product_handle
            else None
        )
        lines[(item.product_id, item.product_handle)] = entry.value if entry else None
    missing = [ident for ident, found in lines.items() if found is None]
    unavailable = False
    if missing:
        cache.miss()
        ids = sorted({i for i, _ in missing if i})
        handles = sorted({h for _, h in missing if h})
        try:
            docs = (await shop._content_docs(ids, handles, tenant_id, locale)).docs
        except APIError:
            cache.stats.upstream_errors += 1
            docs, unavailable = [], True
        for product_id, handle in missing:
            stub = Product(id=product_id or "", handle=handle)
            content = pick_content(stub, docs, draft=draft)
            if unavailable:
                lines[(product_id, handle)] = UnifiedProduct(
                    product=stub, content=None, content_status="unavailable"
                )
                continue
            merged = UnifiedProduct(
                product=stub, content=content, content_status="ok" if content else "missing"
            )
            lines[(product_id, handle)] = merged
            if handle:
                cache.put(CartLineKey(handle, tenant_id, draft, locale), merged)
    return UnifiedCart(
        cart=cart,
        items=[
            _line(item, lines[(item.product_id, item.product_handle)]) for item in cart.items or []
        ],
        content_status="unavailable" if unavailable else "ok",
    )


def _line(item: LineItem, merged: UnifiedProduct | None) -> UnifiedLineItem:
    if merged is None:
        return UnifiedLineItem(item=item)
    return UnifiedLineItem(item=item, content=merged.content, content_status=merged.content_status)


async def create_cart(
    shop: AsyncUnifiedClient,
    *,
    store_id: str | int | None,
    tenant_id: str | None,
    medusa: AsyncMedusaClient | None,
    fields: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]] | None,
) -> Cart:
    """A cart in the sales channel of a Payload store or of a tenant (as ``store_id`` and
    ``tenant_id`` scope product reads), made with the tenant's publishable key."""
    route = route_of(shop.tenants, tenant_id)  # an unknown tenant fails before any request
    channel = await shop._sales_channel_of(store_id) or channel_of(route)
    options = dict(fields)
    if headers := headers_of(route):
        options["extra_headers"] = {**headers, **(options.get("extra_headers") or {})}
    client = medusa or shop.medusa
    return await client.store.carts.create(sales_channel_id=channel, items=items, **options)
