"""`AsyncUnifiedClient`: merged reads of Medusa and Payload with per-resource caches.

The sync `UnifiedClient` is generated from this file by ``scripts/gen_sync.py``: same methods,
same caches; where this file gathers Medusa and Payload concurrently, the sync twin calls them
one after the other.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

import attrs

from ..._config import Settings
from ..._core._async.pagination import AsyncPage
from ..._core._concurrency import AsyncSingleFlight, async_gather
from ..._core._http import not_found_error
from ..._guards import check_types
from ..._version import __version__
from ...errors import APIError, NotFoundError
from ...medusa._async.client import AsyncMedusaClient
from ...medusa._selling_models import Cart
from ...medusa.models import ProductCategory, ProductCollection, Region
from ...payload._async.client import AsyncPayloadClient
from ...payload.models import CmsPage, Document, ProductContent, Store
from ...payload.where import Where
from .._bus import Bus
from .._cache import CacheConfig, CacheStats, ResourceCache
from .._cart_models import UnifiedCart
from .._changes import DROPPABLE_RESOURCES, Invalidation
from .._keys import (
    CacheKey,
    ListKey,
    PageKey,
    ProductKey,
    ProductListKey,
    Scope,
    StoreKey,
    StoreListKey,
)
from .._listener import AsyncBusListener
from .._locales import LocaleConfig, LocalizedDocs
from .._merge import (
    branding_from,
    content_query,
    merge_localized,
    pick_content,
    product_fields,
    store_lookup,
)
from .._shared import (
    Codec,
    JsonCodec,
    ProductPageCodec,
    ProductPageData,
    RedisSharedCache,
    change_tags,
    entry_tags,
    namespace_of,
    reader_identity,
)
from .._tenants import TenantRoute, channel_of, check_tenants, headers_of, route_of
from ..models import ContentStatus, StoreBranding, UnifiedProduct
from .carts import create_cart, load_cart
from .shared import AsyncSharedTier

__all__ = ["AsyncUnifiedClient", "AsyncUnifiedProductPage"]

T = TypeVar("T")
D = TypeVar("D", bound=Document)
RESOURCES = ("products", "collections", "categories", "regions", "pages", "branding")

# How each kind of cached value travels through the shared cache (pydantic JSON).
_PRODUCT: Codec[UnifiedProduct] = JsonCodec(UnifiedProduct)
_CMS_PAGE: Codec[CmsPage] = JsonCodec(CmsPage)
_STORE: Codec[Store] = JsonCodec(Store)
_STORES: Codec[list[Store]] = JsonCodec(list[Store])
_REGIONS: Codec[list[Region]] = JsonCodec(list[Region])
_COLLECTIONS: Codec[list[ProductCollection]] = JsonCodec(list[ProductCollection])
_CATEGORIES: Codec[list[ProductCategory]] = JsonCodec(list[ProductCategory])


class AsyncUnifiedProductPage(AsyncPage[UnifiedProduct]):
    """A page of unified products (``items``, ``count``, ``offset``, ``limit``); iterating
    walks every page. ``content_status`` is ``"unavailable"`` when the CMS did not answer."""

    content_status: ContentStatus = "ok"


class AsyncUnifiedClient:
    """One client for what a storefront reads: products with their content, pages, branding.

    ```python
    async with AsyncUnifiedClient.from_env() as shop:
        product = await shop.get_product("live-tee", region_id="reg_...")
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
        bus: an invalidation bus (`InMemoryBus`, `RedisBus`): the client subscribes on its
            first read (or `start`), applies every message (`apply`) and drops everything
            after a gap; `aclose` unsubscribes.
        locales: the CMS's locale codes (``("en", "fr", "de")``); reads then take
            ``locale=`` (one of them), sent to Medusa as ``x-medusa-locale`` and resolved from
            Payload's ``locale=all`` answer (see docs/locales.md).
        default_locale: the locale of a read that names none (``None``: no locale).
        fallback_locale: where a missing translation comes from (default:
            ``default_locale``); the result's ``fallbacks`` names the fields that used it.
        tenants: ``{tenant id: TenantRoute(sales_channel_id=..., publishable_key=...)}``: a
            read with ``tenant_id=`` asks Medusa for that tenant's channel with its key; an
            unknown tenant id is an `InvalidArgumentError`.
        shared_cache: a second-level cache in Redis shared by every replica
            (`RedisSharedCache`): a read this process has not cached asks it before Medusa and
            Payload; invalidations reach it too (see docs/howto/many-replicas.md).
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
        bus: Bus | None = None,
        locales: Sequence[str] = (),
        default_locale: str | None = None,
        fallback_locale: str | None = None,
        tenants: Mapping[str, TenantRoute] | None = None,
        shared_cache: RedisSharedCache | None = None,
    ) -> None:
        check_types(
            type(self).__name__,
            medusa=(medusa, AsyncMedusaClient),
            payload=(payload, AsyncPayloadClient),
        )
        self.locale_config = LocaleConfig(locales, default_locale, fallback_locale)
        self.tenants = check_tenants(tenants)
        self.medusa = medusa
        self.payload = payload
        self.cache_config = cache or CacheConfig()
        self.content_collection = content_collection
        self.content_tenant_field = content_tenant_field
        self._caches = {r: ResourceCache(r, self.cache_config, clock) for r in RESOURCES}
        self._flights = {r: AsyncSingleFlight() for r in RESOURCES}
        self._owned: list[Any] = []
        self._listener = AsyncBusListener(bus, self._received) if bus is not None else None
        self._shared: AsyncSharedTier | None = None
        if shared_cache is not None:
            check_types(type(self).__name__, shared_cache=(shared_cache, RedisSharedCache))
            self._shared = AsyncSharedTier(shared_cache, self._namespace)
        # (parts, digest) in one attribute: threads of a sync client read it as one.
        self._namespace_memo: tuple[tuple[object, ...], str] = ((), "")

    def _namespace(self) -> str:
        """What two clients must share to share entries: servers, who reads (Medusa's
        publishable key and customer token, Payload's API key or token, custom headers),
        collection, locales, tenants, and this package's version (the models' shape). Read at
        each shared-cache call: a later ``login()`` or swapped client changes it."""
        parts = (
            __version__,
            str(self.medusa.base_url),
            reader_identity(self.medusa, ("publishable_key", "customer_token")),
            str(self.payload.base_url),
            reader_identity(self.payload, ("api_key", "api_key_collection", "token")),
            self.content_collection,
            self.content_tenant_field,
            self.locale_config,
            tuple(sorted(self.tenants.items())),
        )
        memo = self._namespace_memo
        if parts != memo[0]:
            memo = self._namespace_memo = (parts, namespace_of(*parts))
        return memo[1]

    @classmethod
    def from_env(
        cls,
        *,
        cache: CacheConfig | None = None,
        bus: Bus | None = None,
        shared_cache: RedisSharedCache | None = None,
    ) -> AsyncUnifiedClient:
        """Clients from the environment (``MEDUSA_BACKEND_URL``, ``PAYLOAD_CMS_URL``, ...),
        closed with this client."""
        settings = Settings.from_env()
        medusa = AsyncMedusaClient.from_settings(settings)
        payload = AsyncPayloadClient.from_settings(settings)
        client = cls(
            medusa=medusa, payload=payload, cache=cache, bus=bus, shared_cache=shared_cache
        )
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
        locale: str | None = None,
    ) -> UnifiedProduct:
        """The product with this handle and its content.

        Medusa and Payload are asked at once. If Payload fails, the product still comes back
        (``content=None, content_status="unavailable"``, or the last known content); if Medusa
        fails, a stale answer is served when there is one, else the error is raised.

        Args:
            handle: the Medusa product handle.
            region_id: price the variants for this region.
            tenant_id: the tenant: its `TenantRoute` (sales channel, publishable key) when
                ``tenants`` has one; scopes content when ``content_tenant_field`` is set.
            store_id: a Payload store (id or handle) whose ``salesChannelId`` scopes the
                product.
            draft: preview: show the newest content even if unpublished.
            locale: the content's locale (default: ``default_locale``); fields without a
                translation come from ``fallback_locale`` and are named in ``fallbacks``.

        Raises:
            NotFoundError: no such product (in the store's or tenant's sales channel).
            InvalidArgumentError: an unknown locale or tenant.
            APIError: Medusa failed and no stale answer was cached.
        """
        read_locale = self.locale_config.pick(locale)
        route = route_of(self.tenants, tenant_id)
        key = ProductKey(handle, region_id, tenant_id, store_id, draft, read_locale)
        return await self._cached(
            "products",
            key,
            lambda: self._fetch_product(key, route),
            ttl_of=self._degraded_ttl,
            codec=_PRODUCT,
            degrade=self._degrade,
        )

    async def _fetch_product(self, key: ProductKey, route: TenantRoute | None) -> UnifiedProduct:
        channel = await self._sales_channel_of(key.store) or channel_of(route)
        product, docs = await async_gather(
            lambda: self.medusa.store.products.retrieve_by_handle(
                key.handle,
                region_id=key.region_id,
                sales_channel_id=channel,
                fields=product_fields(key.region_id),
                locale=key.locale,
                extra_headers=headers_of(route),
            ),
            lambda: self._content_docs([], [key.handle], key.tenant_id, key.locale),
        )
        if isinstance(product, BaseException):
            raise product
        if not isinstance(docs, BaseException) and (
            pick_content(product, docs.docs, draft=key.draft) is None
        ):
            # Its content may carry another handle (a rename not synced yet): ask by id too.
            try:
                more = await self._content_docs([product.id], [], key.tenant_id, key.locale)
                docs = docs.plus(more)
            except APIError as exc:
                docs = exc
        return merge_localized(product, docs, key.draft, key.locale)

    def _degrade(self, key: CacheKey, result: UnifiedProduct) -> UnifiedProduct:
        """With the CMS unavailable, reuse the last known content (stale-if-error; this
        process's copy, never shared)."""
        if result.content_status != "unavailable":
            return result
        cache = self._caches["products"]
        stale = cache.stale(key)
        if stale is None or stale.value.content is None:
            return result
        cache.served_stale()
        return result.model_copy(
            update={
                "content": stale.value.content,
                "content_status": "ok",
                "fallbacks": stale.value.fallbacks,
            }
        )

    def _degraded_ttl(self, value: Any) -> float | None:
        """The short TTL of an answer given without the CMS (products and product pages)."""
        degraded = getattr(value, "content_status", "ok") == "unavailable"
        return self.cache_config.degraded_ttl if degraded else None

    async def _content_docs(
        self, ids: list[str], handles: list[str], tenant_id: str | None, locale: str | None
    ) -> LocalizedDocs:
        if not ids and not handles:
            return LocalizedDocs([], {})
        where = content_query(
            ids, handles, tenant_field=self.content_tenant_field, tenant_id=tenant_id
        )
        return await self._localized(self.content_collection, where, locale, ProductContent)

    async def _localized(
        self, collection: str, where: Where, locale: str | None, model: type[D], depth: int = 0
    ) -> LocalizedDocs:
        """Documents in ``locale``: asked with ``locale=all`` and resolved here, so the
        fields that fell back are known (`LocaleConfig.resolve`)."""
        if locale is None:
            page = await self.payload.find(
                collection, where=where, depth=depth, pagination=False, model=model
            )
            return LocalizedDocs(list(page.items), {})
        raw = await self.payload.find(
            collection, where=where, depth=depth, pagination=False, locale="all"
        )
        docs: list[Any] = []
        fallbacks: dict[str, dict[str, str]] = {}
        for doc in raw.items:
            resolved = self.locale_config.resolve(doc.model_dump(by_alias=True), locale)
            docs.append(model.model_validate(resolved.doc))
            fallbacks[str(doc.id)] = resolved.fallbacks
        return LocalizedDocs(docs, fallbacks)

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
        locale: str | None = None,
    ) -> AsyncUnifiedProductPage:
        """A page of products with their content: **two requests** whatever the page size
        (one Medusa list, one Payload query for the whole page). Iterate the page to walk all.

        ``store_id`` scopes the products to the store's sales channel (one more request the
        first time a store is seen; cached as branding); ``tenant_id`` to the tenant's (its
        `TenantRoute`, with its publishable key); ``locale`` as in `get_product`.
        """
        route_of(self.tenants, tenant_id)  # an unknown tenant fails before any request
        key = ProductListKey(
            limit=limit,
            offset=offset,
            q=q,
            category_id=category_id,
            collection_id=collection_id,
            region_id=region_id,
            sales_channel_id=sales_channel_id,
            tenant_id=tenant_id,
            store=store_id,
            order=order,
            draft=draft,
            locale=self.locale_config.pick(locale),
        )
        return await self._list_page(key)

    async def _list_page(self, key: ProductListKey) -> AsyncUnifiedProductPage:
        return await self._cached(
            "products",
            key,
            lambda: self._fetch_page(key),
            ttl_of=self._degraded_ttl,
            codec=ProductPageCodec(lambda data: self._product_page(key, data)),
        )

    def _product_page(self, key: ProductListKey, data: ProductPageData) -> AsyncUnifiedProductPage:
        """The page of ``key`` holding ``data`` (fetched, or read from the shared cache)."""

        async def fetch_next(current: AsyncPage[UnifiedProduct]) -> AsyncPage[UnifiedProduct]:
            return await self._list_page(attrs.evolve(key, offset=current.offset + current.limit))

        result = AsyncUnifiedProductPage(
            data.items,
            count=data.count,
            offset=data.offset,
            limit=data.limit,
            has_more=data.has_more,
            fetch_next=fetch_next,
        )
        result.content_status = data.content_status
        return result

    async def _fetch_page(self, key: ProductListKey) -> AsyncUnifiedProductPage:
        route = route_of(self.tenants, key.tenant_id)
        store_channel = await self._sales_channel_of(key.store)
        channel = store_channel or key.sales_channel_id or channel_of(route)
        page = await self.medusa.store.products.list(
            q=key.q,
            category_id=key.category_id,
            collection_id=key.collection_id,
            region_id=key.region_id,
            sales_channel_id=channel,
            fields=product_fields(key.region_id),
            limit=key.limit,
            offset=key.offset,
            order=key.order,
            locale=key.locale,
            extra_headers=headers_of(route),
        )
        docs: LocalizedDocs | BaseException
        try:
            docs = await self._content_docs(
                [p.id for p in page.items],
                [p.handle for p in page.items if p.handle],
                key.tenant_id,
                key.locale,
            )
        except APIError as exc:
            docs = exc
        items = [merge_localized(product, docs, key.draft, key.locale) for product in page.items]
        data = ProductPageData(
            items=items,
            count=page.count,
            offset=page.offset,
            limit=page.limit,
            has_more=page.has_next_page(),
            content_status="unavailable" if isinstance(docs, BaseException) else "ok",
        )
        return self._product_page(key, data)

    # ---------------------------------------------------------------- CMS
    async def get_page(
        self,
        slug: str,
        *,
        tenant_id: str | None = None,
        store_id: str | int | None = None,
        draft: bool = False,
        locale: str | None = None,
    ) -> CmsPage:
        """A published CMS page (the newest one, with ``draft=True``), scoped to a tenant
        and/or a store (``store`` populated one level deep), its localized fields in
        ``locale`` (falling back as `get_product` does).

        Raises:
            NotFoundError: no such (published) page.
            InvalidArgumentError: an unknown locale or tenant.
            APIError: Payload failed and no stale page was cached.
        """
        route_of(self.tenants, tenant_id)
        key = PageKey(slug, tenant_id, store_id, draft, self.locale_config.pick(locale))
        return await self._cached("pages", key, lambda: self._fetch_page_doc(key), codec=_CMS_PAGE)

    async def _fetch_page_doc(self, key: PageKey) -> CmsPage:
        slug, draft = key.slug, key.draft
        where = Where.equals("slug", slug)
        if key.tenant_id:
            where = where & Where.equals("tenant", key.tenant_id)
        if key.store is not None:
            store = await self._store(key.store, tenant_id=key.tenant_id)
            where = where & Where.equals("store", store.id)
        found = await self._localized("pages", where, key.locale, CmsPage, depth=1)
        visible: list[CmsPage] = [p for p in found.docs if draft or p.is_published]
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

    async def list_stores(self, *, tenant_id: str | None = None) -> list[StoreBranding]:
        """A store switcher's data: every store (of ``tenant_id``, when given) with its
        branding, by handle. Cached with branding; any store change drops it."""
        route_of(self.tenants, tenant_id)
        stores = await self._cached(
            "branding",
            StoreListKey(tenant_id),
            lambda: self._fetch_stores(tenant_id),
            codec=_STORES,
        )
        return [branding_from(s, s.handle or str(s.id)) for s in stores]

    async def _fetch_stores(self, tenant_id: str | None) -> list[Store]:
        where = Where.equals("tenant", tenant_id) if tenant_id else None
        found = await self.payload.find(
            "stores", where=where, sort="handle", pagination=False, model=Store
        )
        return list(found.items)

    async def _store(self, store: str | int, *, tenant_id: str | None = None) -> Store:
        return await self._cached(
            "branding",
            StoreKey(store, tenant_id),
            lambda: self._fetch_store(store, tenant_id),
            codec=_STORE,
        )

    async def _fetch_store(self, store: str | int, tenant_id: str | None) -> Store:
        text = str(store)
        where = store_lookup(store)
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
        return await self._cached("regions", ListKey("regions"), self._all_regions, codec=_REGIONS)

    async def _all_regions(self) -> list[Region]:
        return [r async for r in await self.medusa.store.regions.list(limit=100)]

    async def list_collections(self, *, locale: str | None = None) -> list[ProductCollection]:
        """Every product collection (cached 5 min by default), in ``locale``."""
        code = self.locale_config.pick(locale)
        return await self._cached(
            "collections",
            ListKey("collections", code),
            lambda: self._all_collections(code),
            codec=_COLLECTIONS,
        )

    async def _all_collections(self, locale: str | None) -> list[ProductCollection]:
        page = await self.medusa.store.collections.list(limit=100, locale=locale)
        return [c async for c in page]

    async def list_categories(self, *, locale: str | None = None) -> list[ProductCategory]:
        """Every public product category (cached 5 min by default), in ``locale``."""
        code = self.locale_config.pick(locale)
        return await self._cached(
            "categories",
            ListKey("categories", code),
            lambda: self._all_categories(code),
            codec=_CATEGORIES,
        )

    async def _all_categories(self, locale: str | None) -> list[ProductCategory]:
        page = await self.medusa.store.categories.list(limit=100, locale=locale)
        return [c async for c in page]

    # ---------------------------------------------------------------- carts
    async def get_cart(
        self,
        cart_id: str,
        *,
        medusa: AsyncMedusaClient | None = None,
        tenant_id: str | None = None,
        draft: bool = False,
        locale: str | None = None,
    ) -> UnifiedCart:
        """A cart with each line's product content (title, description, SEO from the CMS).

        One Medusa request for the cart (never cached) and at most one Payload request for the
        content of all its lines, whatever their number; content is cached with the products
        and dropped with them (``invalidate(product=..., handle=...)``, the bus). If Payload
        fails, the cart still comes back (``content_status="unavailable"``).

        Args:
            cart_id: the Medusa cart.
            medusa: the client to read the cart with (e.g. ``shop.medusa.with_customer(t)``).
            tenant_id: scopes content when ``content_tenant_field`` is set.
            draft: preview: the newest content even if unpublished.
            locale: the content's locale (one of ``locales``; default: the client's).
        """
        return await load_cart(
            self, cart_id, medusa=medusa, tenant_id=tenant_id, draft=draft, locale=locale
        )

    async def create_cart(
        self,
        *,
        store_id: str | int | None = None,
        tenant_id: str | None = None,
        items: Sequence[Mapping[str, Any]] | None = None,
        medusa: AsyncMedusaClient | None = None,
        **fields: Any,
    ) -> Cart:
        """A cart in the sales channel of a Payload store or a tenant, as ``store_id`` and
        ``tenant_id`` scope product reads.

        Args:
            store_id: a Payload store (id or handle) whose ``salesChannelId`` the cart gets (one
                cached request); ``None``: the publishable key's channel.
            tenant_id: a tenant of ``tenants=``: its `TenantRoute`'s sales channel (unless
                ``store_id`` names one) and its publishable key. Later calls on that cart
                carry the same key: ``extra_headers=shop.tenants[tenant_id].headers()``.
            items: ``[{"variant_id": ..., "quantity": ...}]``.
            medusa: the client to create it with (``shop.medusa.with_customer(t)`` for a
                customer's cart).
            **fields: more `carts.create` arguments (``region_id``, ``email``, addresses ...).

        Raises:
            BadRequestError: the store's channel is not one of the publishable key's.
            InvalidArgumentError: ``tenant_id`` is not one of ``tenants`` (before any request).
        """
        return await create_cart(
            self, store_id=store_id, tenant_id=tenant_id, medusa=medusa, fields=fields, items=items
        )

    # ---------------------------------------------------------------- the cache
    async def _cached(
        self,
        resource: str,
        key: CacheKey,
        fetch: Callable[[], Awaitable[T]],
        *,
        ttl_of: Callable[[Any], float | None] | None = None,
        codec: Codec[Any] | None = None,
        degrade: Callable[[CacheKey, Any], Any] | None = None,
    ) -> T:
        if self._listener is not None:
            self._listener.ensure_started()
        cache = self._caches[resource]
        entry = cache.fresh(key)
        if entry is not None:
            if entry.error is not None:
                raise entry.error.error()
            return entry.value  # type: ignore[no-any-return]
        # A call that joins a fetch started before a drop would get pre-change data: the
        # generation in the flight key makes it start its own.
        generation = cache.generation
        return await self._flights[resource].run(
            (key, generation),
            lambda: self._load(resource, key, fetch, ttl_of, generation, codec, degrade),
        )

    async def _load(
        self,
        resource: str,
        key: CacheKey,
        fetch: Callable[[], Awaitable[T]],
        ttl_of: Callable[[Any], float | None] | None,
        generation: int,
        codec: Codec[Any] | None,
        degrade: Callable[[CacheKey, Any], Any] | None,
    ) -> T:
        """This process's cache, then the shared one (when ``codec`` says how), then
        ``fetch``; fills both. A 404, an answer given without the CMS (a short TTL) and a
        stale-if-error copy stay in this process."""
        cache = self._caches[resource]
        entry = cache.fresh(key)
        if entry is not None:  # filled while this call waited its turn
            if entry.error is not None:
                raise entry.error.error()
            return entry.value  # type: ignore[no-any-return]
        shared = self._shared if codec is not None and cache.config.enabled else None
        stamp: int | None = None
        if shared is not None and codec is not None:
            found = await shared.get(cache, key, codec)
            if found.hit:
                cache.put(key, found.value, min(found.ttl, cache.ttl), generation=generation)
                return found.value  # type: ignore[no-any-return]
            stamp = found.stamp
        cache.miss()
        try:
            fetched = await fetch()
            value = degrade(key, fetched) if degrade is not None else fetched
        except NotFoundError as exc:
            cache.put_not_found(key, exc, generation=generation)
            raise
        except APIError:
            cache.stats.upstream_errors += 1
            stale = cache.stale(key)
            if stale is None:
                raise
            cache.served_stale()
            return stale.value  # type: ignore[no-any-return]
        ttl = ttl_of(value) if ttl_of is not None else None
        cache.put(key, value, ttl, generation=generation)
        whole = ttl is None and value is fetched  # neither degraded nor patched from stale
        if shared is not None and codec is not None and stamp is not None and whole:
            tags = entry_tags(resource, key, value, self._store_names)
            await shared.put(cache, key, value, codec, tags, stamp)
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
            store: a store handle or id: its branding, and the products, lists and pages
                scoped to it (by its handle or its id).
        """
        return self.apply(Invalidation(product=product, handle=handle, page=page, store=store))

    def apply(self, change: Invalidation) -> int:
        """Drop what an `Invalidation` touches (every entry for ``everything=True``), here and
        in the shared cache; returns how many entries this process dropped. The bus listener
        calls this per message."""
        if change.everything:
            return self.invalidate_all()
        if change.empty:
            return 0
        dropped = sum(self._caches[name].drop() for name in change.resources)
        scope = Scope(change, self._store_names(change.store))
        for name in sorted(DROPPABLE_RESOURCES - set(change.resources)):
            dropped += self._caches[name].drop(lambda key, value: key.touches(scope, value))
        if self._shared is not None:
            self._shared.invalidate(change_tags(change, scope.stores))
        return dropped

    def _received(self, change: Invalidation) -> int:
        """A bus message: a gap (``everything``) drops this process's cache only. It says this
        replica may have missed a message, not that the shared entries are wrong: the other
        replicas applied what they received there."""
        if change.everything:
            return self._drop_local()
        return self.apply(change)

    def _store_names(self, store: str | None) -> frozenset[str]:
        """The store as given plus the handle and id it resolved to in the branding cache."""
        if store is None:
            return frozenset()
        names = {store}
        for key, value in self._caches["branding"].keys_and_values():
            if isinstance(key, StoreKey) and store in key.aliases(value):
                names |= key.aliases(value)
        return frozenset(names)

    def invalidate_all(self) -> int:
        """Drop every cached entry, the shared cache's included; returns how many this
        process dropped."""
        dropped = self._drop_local()
        if self._shared is not None:
            self._shared.invalidate(change_tags(Invalidation.all("invalidate_all"), frozenset()))
        return dropped

    def _drop_local(self) -> int:
        return sum(cache.drop() for cache in self._caches.values())

    def invalidate_for_event(self, event: Any) -> int:
        """Drop what a webhook event touches (`medusa_payload.webhooks` calls this).

        Reads ``event.source``, ``event.name`` or ``event.collection``, ``event.ids``
        (``product_id``, ``content_id``, ...), ``event.handle`` and ``event.slug`` when present
        (see `Invalidation.from_event`). Unknown events drop nothing.
        """
        return self.apply(
            Invalidation.from_event(event, content_collection=self.content_collection)
        )

    def cache_stats(self) -> dict[str, CacheStats]:
        """Hits, misses, stale answers served, coalesced waits, 404 hits, size: per resource."""
        return {
            name: cache.snapshot(self._flights[name].coalesced)
            for name, cache in self._caches.items()
        }

    # ---------------------------------------------------------------- lifecycle
    async def start(self, timeout: float = 5.0) -> bool:
        """Subscribe to the bus now and wait up to ``timeout`` seconds for the subscription;
        returns whether it is subscribed (``False`` without a bus). Reads start it anyway;
        call this at startup to know the bus is reachable."""
        if self._listener is None:
            return False
        return await self._listener.wait_ready(timeout)

    @property
    def subscribed(self) -> bool:
        """Whether a bus listener runs (it keeps trying while the bus is unreachable)."""
        return self._listener is not None and self._listener.running

    async def aclose(self) -> None:
        """Stop listening to the bus (within 5 s), send invalidations the shared cache has not
        taken yet (one try), and close the clients this object created (``from_env``);
        injected ones (and the shared cache) stay open."""
        if self._listener is not None:
            await self._listener.stop()
        if self._shared is not None:
            await self._shared.push()  # invalidations Redis has not taken yet (bounded)
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
