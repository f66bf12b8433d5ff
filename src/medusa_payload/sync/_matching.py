"""Pure helpers that pick the right target record among query results."""

from __future__ import annotations

from collections.abc import Iterable

from ..medusa.models import Product
from ..payload.models import ProductContent

__all__ = ["pick_content"]


def pick_content(
    candidates: Iterable[ProductContent], product: Product
) -> tuple[ProductContent | None, str | None]:
    """The content doc of ``product`` among docs matching its id or handle.

    Matched by ``medusaProductId`` first; else a doc with the same handle and no
    ``medusaProductId`` is adopted. A doc with the same handle that belongs to another product
    is a conflict (handles are unique in Payload): returns ``(None, reason)``.
    """
    docs = list(candidates)
    for doc in docs:
        if doc.medusa_product_id == product.id:
            return doc, None
    for doc in docs:
        if doc.handle == product.handle and not doc.medusa_product_id:
            return doc, None
    for doc in docs:
        if doc.handle == product.handle:
            return None, (
                f"handle {product.handle!r} is taken by content {doc.id} of product "
                f"{doc.medusa_product_id}"
            )
    return None, None
