"""Cache keys as small named types, each answering "does this change touch me?".

A key knows which of its fields a change can hit; nothing takes a tuple apart by position, so
a list whose ``limit`` happens to equal a store id is never mistaken for that store's list.
Keys hold the read's locale and tenant, so no locale or tenant answers another's read; a change
touches an entry whatever its locale (an edit in one locale can change what another falls back
to), so an invalidation drops every locale of what changed.
"""

from __future__ import annotations

from typing import Any, Protocol

import attrs

from ._changes import Invalidation

__all__ = [
    "CacheKey",
    "CartLineKey",
    "ListKey",
    "PageKey",
    "ProductKey",
    "ProductListKey",
    "Scope",
    "StoreKey",
    "StoreListKey",
]


def _store_text(store: str | int | None) -> str | None:
    return None if store is None else str(store)


@attrs.frozen
class Scope:
    """One `Invalidation` made ready for matching: ``stores`` holds every name of the changed
    store that the cache knows (the handle given, and the id or handle it resolved to)."""

    change: Invalidation
    stores: frozenset[str] = frozenset()

    def hits_store(self, store: str | None) -> bool:
        """Whether an entry scoped to ``store`` depends on the changed store."""
        return store is not None and store in self.stores


class CacheKey(Protocol):
    """What every key of `ResourceCache` can answer."""

    def touches(self, scope: Scope, value: Any) -> bool:
        """Whether the change in ``scope`` makes this entry (holding ``value``) wrong."""


@attrs.frozen
class ProductKey:
    """``get_product(handle, region_id=, tenant_id=, store_id=, draft=, locale=)``."""

    handle: str
    region_id: str | None
    tenant_id: str | None
    store: str | None = attrs.field(converter=_store_text)
    draft: bool
    locale: str | None = None

    def touches(self, scope: Scope, value: Any) -> bool:
        """Its handle, its product id (read from the cached product) or its store changed."""
        change = scope.change
        if change.handle is not None and change.handle == self.handle:
            return True
        if change.product is not None and getattr(value, "id", None) == change.product:
            return True
        return scope.hits_store(self.store)


@attrs.frozen
class CartLineKey:
    """The content of one cart line's product (`get_cart`), kept with the products."""

    handle: str
    tenant_id: str | None
    draft: bool
    locale: str | None = None

    def touches(self, scope: Scope, value: Any) -> bool:
        """Its handle, or its product id (read from the cached product), changed."""
        change = scope.change
        if change.handle is not None and change.handle == self.handle:
            return True
        return change.product is not None and getattr(value, "id", None) == change.product


@attrs.frozen
class ProductListKey:
    """``list_products(...)``: any product change may move, add or remove a row."""

    limit: int
    offset: int
    q: str | None
    category_id: str | None
    collection_id: str | None
    region_id: str | None
    sales_channel_id: str | None
    tenant_id: str | None
    store: str | None = attrs.field(converter=_store_text)
    order: str | None
    draft: bool
    locale: str | None = None

    def touches(self, scope: Scope, value: Any) -> bool:
        """Any product changed, or its store did."""
        change = scope.change
        return (
            change.product is not None or change.handle is not None or scope.hits_store(self.store)
        )


@attrs.frozen
class PageKey:
    """``get_page(slug, tenant_id=, store_id=, draft=, locale=)``."""

    slug: str
    tenant_id: str | None
    store: str | None = attrs.field(converter=_store_text)
    draft: bool
    locale: str | None = None

    def touches(self, scope: Scope, value: Any) -> bool:
        """Its slug changed, or the store it is scoped to."""
        return scope.change.page == self.slug or scope.hits_store(self.store)


@attrs.frozen
class StoreKey:
    """A store looked up by id or handle (branding, and the sales channel of scoped reads)."""

    store: str = attrs.field(converter=str)
    tenant_id: str | None

    def touches(self, scope: Scope, value: Any) -> bool:
        """The store changed, named by the handle or id it was asked by or now holds."""
        return bool(self.aliases(value) & scope.stores)

    def aliases(self, value: Any) -> frozenset[str]:
        """Every name this entry's store goes by: as asked, its handle and its id."""
        names = {self.store}
        for attr in ("handle", "id"):
            found = getattr(value, attr, None)
            if found is not None:
                names.add(str(found))
        return frozenset(names)


@attrs.frozen
class StoreListKey:
    """``list_stores(tenant_id=)``: any store change may add, move or remove a row."""

    tenant_id: str | None

    def touches(self, scope: Scope, value: Any) -> bool:
        """Any store changed."""
        return scope.change.store is not None


@attrs.frozen
class ListKey:
    """A whole list (regions, collections, categories): no id-level change touches it."""

    resource: str
    locale: str | None = None

    def touches(self, scope: Scope, value: Any) -> bool:
        """Never: these lists only expire or go with `invalidate_all`."""
        return False
