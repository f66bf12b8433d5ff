"""`Invalidation`: what changed, as the caches, the bus and the webhooks all describe it.

One small value says which product (id or handle), page, store or whole resources changed, or
that everything must go (``everything=True``: a gap on the bus). `UnifiedClient.apply` drops
what it touches; `medusa_payload.unified.RedisBus` carries it between processes.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["DROPPABLE_RESOURCES", "Invalidation"]

DROPPABLE_RESOURCES = frozenset({"products", "pages", "branding"})
"""The resources an `Invalidation` may drop whole (``resources=``)."""


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _resources(value: object) -> tuple[str, ...]:
    names = tuple(sorted({str(v) for v in value})) if value else ()  # type: ignore[attr-defined]
    unknown = set(names) - DROPPABLE_RESOURCES
    if unknown:
        raise ValueError(f"unknown resources {sorted(unknown)}: use {sorted(DROPPABLE_RESOURCES)}")
    return names


@attrs.frozen
class Invalidation:
    """What changed: the entries it touches are dropped from every replica's cache.

    Attributes:
        product: a Medusa product id: its products and every product list.
        handle: a product handle: likewise.
        page: a page slug: its pages.
        store: a store handle or id (kept as text): its branding, and the products, lists and
            pages scoped to it.
        resources: resources dropped whole (``"products"``, ``"pages"``, ``"branding"``), for
            a change that names no id (e.g. a page event without a slug).
        everything: drop every entry (a subscriber that may have missed messages).
        reason: why, for logs (``"product.updated"``, ``"gap: reconnected"``).
    """

    product: str | None = attrs.field(default=None, converter=_text)
    handle: str | None = attrs.field(default=None, converter=_text)
    page: str | None = attrs.field(default=None, converter=_text)
    store: str | None = attrs.field(default=None, converter=_text)
    resources: tuple[str, ...] = attrs.field(default=(), converter=_resources)
    everything: bool = False
    reason: str = ""

    @classmethod
    def all(cls, reason: str) -> Invalidation:
        """Drop everything, saying why."""
        return cls(everything=True, reason=reason)

    @property
    def empty(self) -> bool:
        """Touches nothing (an event no cache depends on)."""
        return not (
            self.everything
            or self.resources
            or any(v is not None for v in (self.product, self.handle, self.page, self.store))
        )

    @classmethod
    def from_event(cls, event: Any, *, content_collection: str = "product-content") -> Invalidation:
        """What a webhook event (`medusa_payload.webhooks.WebhookEvent`) changes.

        Product events and product content change the product (id and handle) and every
        list; a page changes its slug (all pages without one); a store its handle or id (all
        branding without one). Any other event is `empty`.
        """
        ids = dict(getattr(event, "ids", {}) or {})
        collection = getattr(event, "collection", None)
        name = str(getattr(event, "name", ""))
        handle = getattr(event, "handle", None)
        if name.startswith("product.") or collection == content_collection:
            product = ids.get("product_id")
            if product is None and handle is None:  # content naming no product: all of them
                return cls(resources=("products",), reason=name)
            return cls(product=product, handle=handle, reason=name)
        if collection == "pages":
            slug = getattr(event, "slug", None)
            return cls(page=slug, reason=name) if slug else cls(resources=("pages",), reason=name)
        if collection == "stores":
            store = handle or ids.get("store_id")
            if store is None:
                return cls(resources=("branding",), reason=name)
            return cls(store=store, reason=name)
        return cls(reason=name)
