"""Store API resources (``/store/...``): what a storefront reads with a publishable key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import Unpack

from ..._core._http import RequestOptions, encode_path, not_found_error
from ..._core._paginator import AsyncPaginator
from .._params import StrOrList, query, with_locale
from ..models import Product, ProductCategory, ProductCollection, Region
from ._resource import AsyncResource
from .carts import (
    AsyncStoreCarts,
    AsyncStorePaymentCollections,
    AsyncStorePaymentProviders,
    AsyncStoreShippingOptions,
)
from .customers import AsyncStoreCustomers, AsyncStoreOrders

if TYPE_CHECKING:
    from .client import AsyncMedusaClient

__all__ = [
    "AsyncStore",
    "AsyncStoreCategories",
    "AsyncStoreCollections",
    "AsyncStoreProducts",
    "AsyncStoreRegions",
]


class AsyncStoreProducts(AsyncResource):
    """``/store/products``: published products of the key's sales channels."""

    def list(
        self,
        *,
        handle: StrOrList = None,
        id: StrOrList = None,
        q: str | None = None,
        category_id: StrOrList = None,
        collection_id: StrOrList = None,
        tag_id: StrOrList = None,
        sales_channel_id: StrOrList = None,
        region_id: str | None = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        order: str | None = None,
        locale: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Product]:
        """List products; iterate the page to walk every page.

        Args:
            handle: one handle or several.
            id: one product id or several.
            q: free-text search (title, description, variant SKU ...).
            category_id: products in these categories.
            collection_id: products in these collections.
            tag_id: products with these tags.
            sales_channel_id: restrict to these of the key's sales channels.
            region_id: price variants for this region (``variants[].calculated_price``, add
                ``fields="*variants.calculated_price"``; Medusa answers 400 when prices are
                asked for without a region).
            fields: Medusa's field selection: ``"+metadata"`` adds, ``"-thumbnail"`` removes,
                ``"*variants"`` expands a relation; a sequence is joined with commas.
            limit: page size (Medusa's default is 50).
            offset: index of the first product.
            order: sort field, ``-`` prefix for descending (``"-created_at"``).
            locale: the shopper's language (``x-medusa-locale``): Medusa translates the
                product's fields when its translation module is on (see docs/locales.md).
            **options: `RequestOptions` (timeout, max_retries, extra_headers, extra_query).
        """
        params = query(
            lists={
                "handle": handle,
                "id": id,
                "category_id": category_id,
                "collection_id": collection_id,
                "tag_id": tag_id,
                "sales_channel_id": sales_channel_id,
            },
            q=q,
            region_id=region_id,
            fields=fields,
            limit=limit,
            offset=offset,
            order=order,
        )
        return AsyncPaginator(
            self._list, "/store/products", "products", Product, params, with_locale(options, locale)
        )

    async def retrieve(
        self,
        id: str,
        *,
        region_id: str | None = None,
        fields: StrOrList = None,
        locale: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Product:
        """One product by id (in ``locale``, as `list`); `NotFoundError` if it does not exist
        (or is not published)."""
        params = query(region_id=region_id, fields=fields)
        path = encode_path("/store/products/{}", id)
        return await self._retrieve(path, "product", Product, params, with_locale(options, locale))

    async def retrieve_by_handle(
        self,
        handle: str,
        *,
        region_id: str | None = None,
        sales_channel_id: str | None = None,
        fields: StrOrList = None,
        locale: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Product:
        """One product by handle (one list request, in ``locale``); `NotFoundError` when no
        product has it (in ``sales_channel_id``, when given)."""
        page = await self.list(
            handle=handle,
            region_id=region_id,
            sales_channel_id=sales_channel_id,
            fields=fields,
            limit=1,
            locale=locale,
            **options,
        )
        for product in page.items:
            if product.handle == handle:
                return product
        raise not_found_error(
            "medusa", f"no product with handle {handle!r}", self._client.base_url, "/store/products"
        )


class AsyncStoreRegions(AsyncResource):
    """``/store/regions``."""

    def list(
        self,
        *,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Region]:
        """List regions."""
        params = query(fields=fields, limit=limit, offset=offset)
        return AsyncPaginator(self._list, "/store/regions", "regions", Region, params, options)

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> Region:
        """One region by id."""
        path = encode_path("/store/regions/{}", id)
        return await self._retrieve(path, "region", Region, query(fields=fields), options)


class AsyncStoreCollections(AsyncResource):
    """``/store/collections``."""

    def list(
        self,
        *,
        handle: StrOrList = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        locale: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[ProductCollection]:
        """List product collections (``locale``: ``x-medusa-locale``)."""
        params = query(lists={"handle": handle}, fields=fields, limit=limit, offset=offset)
        return AsyncPaginator(
            self._list,
            "/store/collections",
            "collections",
            ProductCollection,
            params,
            with_locale(options, locale),
        )

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> ProductCollection:
        """One collection by id."""
        path = encode_path("/store/collections/{}", id)
        return await self._retrieve(
            path, "collection", ProductCollection, query(fields=fields), options
        )


class AsyncStoreCategories(AsyncResource):
    """``/store/product-categories``."""

    def list(
        self,
        *,
        handle: StrOrList = None,
        parent_category_id: str | None = None,
        include_descendants_tree: bool | None = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        locale: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[ProductCategory]:
        """List product categories (``include_descendants_tree`` nests the children;
        ``locale``: ``x-medusa-locale``)."""
        params = query(
            lists={"handle": handle},
            parent_category_id=parent_category_id,
            include_descendants_tree=_flag(include_descendants_tree),
            fields=fields,
            limit=limit,
            offset=offset,
        )
        return AsyncPaginator(
            self._list,
            "/store/product-categories",
            "product_categories",
            ProductCategory,
            params,
            with_locale(options, locale),
        )

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> ProductCategory:
        """One category by id."""
        path = encode_path("/store/product-categories/{}", id)
        return await self._retrieve(
            path, "product_category", ProductCategory, query(fields=fields), options
        )


class AsyncStore:
    """The store API: ``client.store.products``, ``.regions``, ``.collections``, ``.categories``,
    and selling: ``.carts``, ``.shipping_options``, ``.payment_providers``,
    ``.payment_collections``, ``.customers``, ``.orders``."""

    def __init__(self, client: AsyncMedusaClient) -> None:
        self.products = AsyncStoreProducts(client)
        self.regions = AsyncStoreRegions(client)
        self.collections = AsyncStoreCollections(client)
        self.categories = AsyncStoreCategories(client)
        self.carts = AsyncStoreCarts(client)
        self.shipping_options = AsyncStoreShippingOptions(client)
        self.payment_providers = AsyncStorePaymentProviders(client)
        self.payment_collections = AsyncStorePaymentCollections(client)
        self.customers = AsyncStoreCustomers(client)
        self.orders = AsyncStoreOrders(client)


def _flag(value: bool | None) -> str | None:
    return None if value is None else str(value).lower()
