"""`AsyncUnifiedClient`: merged reads of Medusa and Payload with per-resource caches.

The sync `UnifiedClient` is generated from this file by ``scripts/gen_sync.py``: same methods,
same caches; where this file gathers Medusa and Payload concurrently, the sync twin calls them
one after the other.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from types import TracebackType
from typing import Any, TypeVar

from ..._config import Settings
from ..._core._async.pagination import AsyncPage
from ..._core._concurrency import AsyncSingleFlight, async_gather
from ..._core._http import not_found_error
from ...errors import APIError, NotFoundError
from ...medusa._async.client import AsyncMedusaClient
from ...medusa.models import ProductCategory, ProductCollection, Region
from ...payload._async.client import AsyncPayloadClient
from ...payload.models import CmsPage, ProductContent, Store
from ...payload.where import Where
from .._cache import CacheConfig, CacheStats, ResourceCache, not_found_copy
from .._merge import branding_from, content_query, merge, pick_content, product_fields
from ..models import ContentStatus, StoreBranding, UnifiedProduct

__all__ = ["AsyncUnifiedClient", "AsyncUnifiedProductPage"]

T = TypeVar("T")
RESOURCES = ("products", "collections", "categories", "regions", "pages", "branding")


class AsyncUnifiedProductPage(AsyncPage[UnifiedProduct]):
    """A page of unified products (``items``, ``count``, ``offset``, ``limit``); iterating
    walks every page. ``content_status`` is ``"unavailable"`` when the CMS did not answer."""

    content_status: ContentStatus = "ok"


class AsyncUnifiedClient:
    """One client for what a storefront reads: products with their content, pages, branding.

    ```python
    async with AsyncUnifiedClient.from_env() as shop:
        product = await shop.get_product("t-shirt", region_id="reg_...")
        product.variants[0].calculated_price, product.seo, product.content_status
    ```

    Args:
        medusa: the Medusa client (a publishable key is needed for store routes).
        payload: the Payload client.
        cache: TTLs and degradation rules (`CacheConfig`); ``CacheConfig(enabled=False)``
            turns caching off.
        content_collection: the Payload collection of product content.
        content_tenant_field: a field of that collection that scopes content to a tenant (the
            stock schema has none: content is shared by all tenants).
        clock: monotonic seconds (inject one in tests to move time).
    """

    def __init__(
        self,
        *,
        medusa: AsyncMedusaClient,
        payload: AsyncPayloadClient,
        cache: CacheConfig | None = None,
        content_collection: str = "product-content",
        content_tenant_field: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.medusa = medusa
        self.payload = payload
        self.cache_config = cache or CacheConfig()
        self.content_collection = content_collection
        self.content_tenant_field = content_tenant_field
        self._caches = {r: ResourceCache(r, self.cache_config, clock) for r in RESOURCES}
        self._flights = {r: AsyncSingleFlight() for r in RESOURCES}
        self._owned: list[Any] = []

    @classmethod
    def from_env(cls, *, cache: CacheConfig | None = None) -> AsyncUnifiedClient:
        """Clients from the environment (``MEDUSA_BACKEND_URL``, ``PAYLOAD_CMS_URL``, ...),
        closed with this client."""
        settings = Settings.from_env()
        medusa = AsyncMedusaClient.from_settings(settings)
        payload = AsyncPayloadClient.from_settings(settings)
        client = cls(medusa=medusa, payload=payload, cache=cache)
        client._owned = [medusa, payload]
        return client

    # ---------------------------------------------------------------- products
    async def get_product(
        self,
        handle: str,
        *,
        region_id: str | None = None,
        tenant_id: str | None = None,
        store_id: str | int | None = None,
        draft: bool = False,
    ) -> UnifiedProduct:
        """The product with this handle and its content.

        Medusa and Payload are asked at once. If Payload fails, the product still comes back
        (``content=None, content_status="unavailable"``, or the last known content); if Medusa
        fails, a stale answer is served when there is one, else the error is raised.

        Args:
            handle: the Medusa product handle.
            region_id: price the variants for this region.
            tenant_id: scopes content when ``content_tenant_field`` is set.
            store_id: a Payload store (id or handle) whose ``salesChannelId`` scopes the
                product.
            draft: preview: show the newest content even if unpublished.

        Raises:
            NotFoundError: no such product (in the store's sales channel).
            APIError: Medusa failed and no stale answer was cached.
        """
        key = (handle, region_id, tenant_id, store_id, draft)
        return await self._cached(
            "products",
            key,
            lambda: self._fetch_product(key, handle, region_id, tenant_id, store_id, draft),
            ttl_of=self._degraded_ttl,
        )

    async def _fetch_product(
        self,
        key: Hashable,
        handle: str,
        region_id: str | None,
        tenant_id: str | None,
        store_id: str | int | None,
        draft: bool,
    ) -> UnifiedProduct:
        channel = await self._sales_channel_of(store_id)
        product, docs = await async_gather(
            lambda: self.medusa.store.products.retrieve_by_handle(
                handle,
                region_id=region_id,
                sales_channel_id=channel,
                fields=product_fields(region_id),
            ),
            lambda: self._content_docs([], [handle], tenant_id),
        )
        if isinstance(product, BaseException):
            raise product
        if not isinstance(docs, BaseException) and pick_content(product, docs, draft=draft) is None:
            # Its content may carry another handle (a rename not synced yet): ask by id too.
            try:
                docs = [*docs, *await self._content_docs([product.id], [], tenant_id)]
            except APIError as exc:
                docs = exc
        return self._degrade(key, merge(product, docs, draft=draft))

    def _degrade(self, key: Hashable, result: UnifiedProduct) -> UnifiedProduct:
        """With the CMS unavailable, reuse the last known content (stale-if-error)."""
        if result.content_status != "unavailable":
            return result
        cache = self._caches["products"]
        stale = cache.stale(key)
        if stale is None or stale.value.content is None:
            return result
        cache.stats.stale_served += 1
        return UnifiedProduct(
            product=result.product, content=stale.value.content, content_status="ok"
        )

    def _degraded_ttl(self, value: Any) -> float | None:
        """The short TTL of an answer given without the CMS (products and product pages)."""
        degraded = getattr(value, "content_status", "ok") == "unavailable"
        return self.cache_config.degraded_ttl if degraded else None

    async def _content_docs(
        self, ids: list[str], handles: list[str], tenant_id: str | None
    ) -> list[ProductContent]:
        if not ids and not handles:
            return []
        page = await self.payload.find(
            self.content_collection,
            where=content_query(
                ids, handles, tenant_field=self.content_tenant_field, tenant_id=tenant_id
            ),
            pagination=False,
            model=ProductContent,
        )
        return page.items

    async def list_products(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        q: str | None = None,
        category_id: str | None = None,
        collection_id: str | None = None,
        region_id: str | None = None,
        sales_channel_id: str | None = None,
        tenant_id: str | None = None,
        store_id: str | int | None = None,
        order: str | None = None,
        draft: bool = False,
    ) -> AsyncUnifiedProductPage:
        """A page of products with their content: **two requests** whatever the page size
        (one Medusa list, one Payload query for the whole page). Iterate the page to walk all.

        ``store_id`` scopes the products to the store's sales channel (one more request the
        first time a store is seen; cached as branding).
        """
        args = (
            limit,
            offset,
            q,
            category_id,
            collection_id,
            region_id,
            sales_channel_id,
            tenant_id,
            store_id,
            order,
            draft,
        )
        return await self._cached(
            "products",
            ("list", *args),
            lambda: self._fetch_page(*args),
            ttl_of=self._degraded_ttl,
        )

    async def _fetch_page(
        self,
        limit: int,
        offset: int,
        q: str | None,
        category_id: str | None,
        collection_id: str | None,
        region_id: str | None,
        sales_channel_id: str | None,
        tenant_id: str | None,
        store_id: str | int | None,
        order: str | None,
        draft: bool,
    ) -> AsyncUnifiedProductPage:
        channel = await self._sales_channel_of(store_id) or sales_channel_id
        page = await self.medusa.store.products.list(
            q=q,
            category_id=category_id,
            collection_id=collection_id,
            region_id=region_id,
            sales_channel_id=channel,
            fields=product_fields(region_id),
            limit=limit,
            offset=offset,
            order=order,
        )
        docs: list[ProductContent] | BaseException
        try:
            docs = await self._content_docs(
                [p.id for p in page.items], [p.handle for p in page.items if p.handle], tenant_id
            )
        except APIError as exc:
            docs = exc
        items = [merge(product, docs, draft=draft) for product in page.items]

        async def fetch_next(current: AsyncPage[UnifiedProduct]) -> AsyncPage[UnifiedProduct]:
            return await self.list_products(
                limit=limit,
                offset=current.offset + current.limit,
                q=q,
                category_id=category_id,
                collection_id=collection_id,
                region_id=region_id,
                sales_channel_id=sales_channel_id,
                tenant_id=tenant_id,
                store_id=store_id,
                order=order,
                draft=draft,
            )

        result = AsyncUnifiedProductPage(
            items,
            count=page.count,
            offset=page.offset,
            limit=page.limit,
            has_more=page.has_next_page(),
            fetch_next=fetch_next,
        )
        result.content_status = "unavailable" if isinstance(docs, BaseException) else "ok"
        return result

    # ---------------------------------------------------------------- CMS
    async def get_page(
        self,
        slug: str,
        *,
        tenant_id: str | None = None,
        store_id: str | int | None = None,
        draft: bool = False,
    ) -> CmsPage:
        """A published CMS page (the newest one, with ``draft=True``), scoped to a tenant
        and/or a store (``store`` populated one level deep).

        Raises:
            NotFoundError: no such (published) page.
            APIError: Payload failed and no stale page was cached.
        """
        key = (slug, tenant_id, store_id, draft)
        return await self._cached(
            "pages", key, lambda: self._fetch_page_doc(slug, tenant_id, store_id, draft)
        )

    async def _fetch_page_doc(
        self, slug: str, tenant_id: str | None, store_id: str | int | None, draft: bool
    ) -> CmsPage:
        where = Where.equals("slug", slug)
        if tenant_id:
            where = where & Where.equals("tenant", tenant_id)
        if store_id is not None:
            store = await self._store(store_id)
            where = where & Where.equals("store", store.id)
        found = await self.payload.find(
            "pages", where=where, depth=1, pagination=False, model=CmsPage
        )
        visible = [p for p in found.items if draft or p.is_published]
        if not visible:
            raise not_found_error(
                "payload", f"no published page {slug!r}", self.payload.base_url, "/api/pages"
            )
        return max(visible, key=lambda p: (p.updated_at is not None, p.updated_at or 0))

    async def get_store_branding(
        self, store_handle: str, *, tenant_id: str | None = None
    ) -> StoreBranding:
        """A store's logo, colours and theme, with documented defaults for what it does not
        set (`StoreBranding`). With the CMS down and nothing cached, the defaults themselves
        (``source="unavailable"``): a storefront keeps rendering.

        Raises:
            NotFoundError: Payload has no such store (for this tenant).
        """
        try:
            store = await self._store(store_handle, tenant_id=tenant_id)
        except NotFoundError:
            raise
        except APIError:
            return branding_from(None, store_handle, unavailable=True)
        return branding_from(store, store_handle, media_base=str(self.payload.base_url))

    async def _store(self, store: str | int, *, tenant_id: str | None = None) -> Store:
        return await self._cached(
            "branding", ("store", store, tenant_id), lambda: self._fetch_store(store, tenant_id)
        )

    async def _fetch_store(self, store: str | int, tenant_id: str | None) -> Store:
        text = str(store)
        where = Where.equals("id", int(text)) if text.isdigit() else Where.equals("handle", text)
        if tenant_id:
            where = where & Where.equals("tenant", tenant_id)
        # depth=1 populates an uploaded logo (branding.logoMedia) with its URL.
        found = await self.payload.find("stores", where=where, limit=1, depth=1, model=Store)
        if not found.items:
            raise not_found_error(
                "payload", f"no store {text!r}", self.payload.base_url, "/api/stores"
            )
        return found.items[0]

    async def _sales_channel_of(self, store_id: str | int | None) -> str | None:
        if store_id is None:
            return None
        return (await self._store(store_id)).sales_channel_id

    # ---------------------------------------------------------------- Medusa lists
    async def list_regions(self) -> list[Region]:
        """Every region (cached 1 h by default)."""
        return await self._cached("regions", "all", self._all_regions)

    async def _all_regions(self) -> list[Region]:
        return [r async for r in await self.medusa.store.regions.list(limit=100)]

    async def list_collections(self) -> list[ProductCollection]:
        """Every product collection (cached 5 min by default)."""
        return await self._cached("collections", "all", self._all_collections)

    async def _all_collections(self) -> list[ProductCollection]:
        return [c async for c in await self.medusa.store.collections.list(limit=100)]

    async def list_categories(self) -> list[ProductCategory]:
        """Every public product category (cached 5 min by default)."""
        return await self._cached("categories", "all", self._all_categories)

    async def _all_categories(self) -> list[ProductCategory]:
        return [c async for c in await self.medusa.store.categories.list(limit=100)]

    # ---------------------------------------------------------------- the cache
    async def _cached(
        self,
        resource: str,
        key: Hashable,
        fetch: Callable[[], Awaitable[T]],
        *,
        ttl_of: Callable[[Any], float | None] | None = None,
    ) -> T:
        entry = self._caches[resource].fresh(key)
        if entry is not None:
            if entry.error is not None:
                raise not_found_copy(entry.error)
            return entry.value  # type: ignore[no-any-return]
        return await self._flights[resource].run(
            key, lambda: self._load(resource, key, fetch, ttl_of)
        )

    async def _load(
        self,
        resource: str,
        key: Hashable,
        fetch: Callable[[], Awaitable[T]],
        ttl_of: Callable[[Any], float | None] | None,
    ) -> T:
        cache = self._caches[resource]
        entry = cache.fresh(key)
        if entry is not None:  # filled while this call waited its turn
            if entry.error is not None:
                raise not_found_copy(entry.error)
            return entry.value  # type: ignore[no-any-return]
        cache.miss()
        try:
            value = await fetch()
        except NotFoundError as exc:
            cache.put_not_found(key, exc)
            raise
        except APIError:
            cache.stats.upstream_errors += 1
            stale = cache.stale(key)
            if stale is None:
                raise
            cache.stats.stale_served += 1
            return stale.value  # type: ignore[no-any-return]
        cache.put(key, value, ttl_of(value) if ttl_of is not None else None)
        return value

    def invalidate(
        self,
        *,
        product: str | None = None,
        handle: str | None = None,
        page: str | None = None,
        store: str | int | None = None,
    ) -> int:
        """Drop what a change touches; returns how many entries were dropped.

        Args:
            product: a Medusa product id: its ``get_product`` entries and every product list.
            handle: a product handle: likewise.
            page: a page slug: its ``get_page`` entries.
            store: a store handle or id: its branding, and products and lists scoped to it.
        """
        dropped = 0
        if product is not None or handle is not None:

            def touches(key: Hashable, value: Any) -> bool:
                if isinstance(key, tuple) and key and key[0] == "list":
                    return True
                if handle is not None and isinstance(key, tuple) and key[0] == handle:
                    return True
                return product is not None and getattr(value, "id", None) == product

            dropped += self._caches["products"].drop(touches)
        if page is not None:
            dropped += self._caches["pages"].drop(
                lambda key, value: isinstance(key, tuple) and key[0] == page
            )
        if store is not None:
            wanted = {str(store)}
            dropped += self._caches["branding"].drop(
                lambda key, value: (
                    isinstance(key, tuple)
                    and (str(key[1]) in wanted or getattr(value, "handle", None) in wanted)
                )
            )
            dropped += self._caches["products"].drop(
                lambda key, value: isinstance(key, tuple) and str(store) in map(str, key)
            )
        return dropped

    def invalidate_all(self) -> int:
        """Drop every cached entry."""
        return sum(cache.drop() for cache in self._caches.values())

    def invalidate_for_event(self, event: Any) -> int:
        """Drop what a webhook event touches (`medusa_payload.webhooks` calls this).

        Reads ``event.source``, ``event.name`` or ``event.collection``, ``event.ids``
        (``product_id``, ``content_id``, ...), ``event.handle`` and ``event.slug`` when present.
        Unknown events drop nothing.
        """
        ids = dict(getattr(event, "ids", {}) or {})
        collection = getattr(event, "collection", None)
        name = str(getattr(event, "name", ""))
        if name.startswith("product.") or collection == self.content_collection:
            return self.invalidate(
                product=ids.get("product_id"), handle=getattr(event, "handle", None)
            )
        if collection == "pages":
            slug = getattr(event, "slug", None)
            return self.invalidate(page=slug) if slug else self._caches["pages"].drop()
        if collection == "stores":
            handle = getattr(event, "handle", None) or ids.get("store_id")
            return self.invalidate(store=handle) if handle else self._caches["branding"].drop()
        return 0

    def cache_stats(self) -> dict[str, CacheStats]:
        """Hits, misses, stale answers served, coalesced waits, 404 hits, size: per resource."""
        return {
            name: cache.snapshot(self._flights[name].coalesced)
            for name, cache in self._caches.items()
        }

    # ---------------------------------------------------------------- lifecycle
    async def aclose(self) -> None:
        """Close the clients this object created (``from_env``); injected ones stay open."""
        for client in self._owned:
            await client.aclose()
        self._owned = []

    async def __aenter__(self) -> AsyncUnifiedClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
