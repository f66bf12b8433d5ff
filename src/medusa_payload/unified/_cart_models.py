"""A cart with each line's Payload content: what a cart page shows."""

from __future__ import annotations

import pydantic

from ..medusa._selling_models import Cart, LineItem
from ..payload.models import ProductContent, Seo
from .models import ContentStatus

__all__ = ["UnifiedCart", "UnifiedLineItem"]


class UnifiedLineItem(pydantic.BaseModel):
    """A cart line and its product's content (``content_status`` as for products)."""

    item: LineItem
    content: ProductContent | None = None
    content_status: ContentStatus = "missing"

    @property
    def id(self) -> str:
        """The line item id."""
        return self.item.id

    @property
    def title(self) -> str | None:
        """The CMS title when there is one, else Medusa's product title."""
        if self.content is not None and self.content.title:
            return self.content.title
        extra = self.item.model_extra or {}
        return extra.get("product_title") or self.item.title

    @property
    def description(self) -> str | None:
        """The CMS description, if any."""
        return self.content.description if self.content is not None else None

    @property
    def seo(self) -> Seo | None:
        """The CMS SEO block, if any."""
        return self.content.seo if self.content is not None else None

    @property
    def thumbnail(self) -> str | None:
        """Medusa's product thumbnail (images stay Medusa's, as on product pages)."""
        return self.item.thumbnail


class UnifiedCart(pydantic.BaseModel):
    """A Medusa cart and its lines with content.

    ``content_status`` is ``"unavailable"`` when the CMS did not answer for some line (the cart
    still comes back), else ``"ok"``.
    """

    cart: Cart
    items: list[UnifiedLineItem] = pydantic.Field(default_factory=list)
    content_status: ContentStatus = "ok"

    @property
    def id(self) -> str:
        """The cart id."""
        return self.cart.id

    @property
    def total(self) -> float | None:
        """The cart total."""
        return self.cart.total
