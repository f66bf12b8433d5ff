"""Admin API resources (``/admin/...``): need the secret key or a user token."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from typing_extensions import Unpack

from ..._core._http import RequestOptions, encode_path
from ..._core._paginator import AsyncPaginator
from .._params import StrOrList, merged_metadata, metadata_patch, query
from .._params_time import Instant, updated_filter
from ..models import Order, Product, SalesChannel, Store
from ._resource import AsyncResource
from ._variants import AsyncProductVariantCalls
from .admin_catalog import AsyncAdminCategories, AsyncAdminCollections
from .admin_commerce import (
    AsyncAdminCampaigns,
    AsyncAdminCustomerGroups,
    AsyncAdminCustomers,
    AsyncAdminPriceLists,
    AsyncAdminPromotions,
    AsyncAdminUploads,
)
from .admin_inventory import AsyncAdminInventoryItems, AsyncAdminStockLocations

if TYPE_CHECKING:
    from .client import AsyncMedusaClient

__all__ = [
    "AsyncAdmin",
    "AsyncAdminOrders",
    "AsyncAdminProducts",
    "AsyncAdminSalesChannels",
    "AsyncAdminStores",
]


class AsyncAdminProducts(AsyncProductVariantCalls):
    """``/admin/products``: every product, any status, and their variants."""

    def list(
        self,
        *,
        handle: StrOrList = None,
        id: StrOrList = None,
        q: str | None = None,
        status: StrOrList = None,
        category_id: StrOrList = None,
        collection_id: StrOrList = None,
        sales_channel_id: StrOrList = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        order: str | None = None,
        with_deleted: bool | None = None,
        updated_after: Instant = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Product]:
        """List products (all statuses unless ``status`` is given); iterate to walk pages.

        ``updated_after`` keeps those changed after a moment (``updated_at[$gt]``).
        """
        params = query(
            lists={
                "handle": handle,
                "id": id,
                "category_id": category_id,
                "collection_id": collection_id,
                "sales_channel_id": sales_channel_id,
                "status": status,
            },
            q=q,
            fields=fields,
            limit=limit,
            offset=offset,
            order=order,
            with_deleted=None if with_deleted is None else str(with_deleted).lower(),
            **updated_filter(updated_after),
        )
        return AsyncPaginator(self._list, "/admin/products", "products", Product, params, options)

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> Product:
        """One product by id (metadata included)."""
        path = encode_path("/admin/products/{}", id)
        return await self._retrieve(path, "product", Product, query(fields=fields), options)

    async def create(
        self,
        body: Mapping[str, Any],
        *,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Product:
        """Create a product from Medusa's create body (title, options, variants ...).

        Not retried after a response or timeout (a retry could create it twice).
        """
        return await self._post(
            "/admin/products", "product", Product, body, options, params=query(fields=fields)
        )

    async def update(
        self,
        id: str,
        body: Mapping[str, Any],
        *,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Product:
        """Update fields of a product (``{"title": ...}``). Not retried by default."""
        path = encode_path("/admin/products/{}", id)
        return await self._post(
            path, "product", Product, body, options, params=query(fields=fields)
        )

    async def update_metadata(
        self,
        id: str,
        metadata: Mapping[str, Any],
        *,
        delete: Iterable[str] = (),
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Product:
        """Merge ``metadata`` into the product's metadata; keys in ``delete`` are removed.

        Medusa merges top-level keys (a nested object is replaced whole) and removes a key sent
        as ``""``. The write is idempotent, so it is retried like a read.
        """
        path = encode_path("/admin/products/{}", id)
        return await self._post(
            path,
            "product",
            Product,
            metadata_patch(metadata, delete),
            options,
            params=query(fields=fields),
            idempotent=True,
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete (soft-delete) a product."""
        await self._delete(encode_path("/admin/products/{}", id), options)


class AsyncAdminOrders(AsyncResource):
    """``/admin/orders``."""

    def list(
        self,
        *,
        id: StrOrList = None,
        q: str | None = None,
        status: StrOrList = None,
        sales_channel_id: StrOrList = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        order: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Order]:
        """List orders; iterate to walk pages."""
        params = query(
            lists={"id": id, "sales_channel_id": sales_channel_id, "status": status},
            q=q,
            fields=fields,
            limit=limit,
            offset=offset,
            order=order,
        )
        return AsyncPaginator(self._list, "/admin/orders", "orders", Order, params, options)

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> Order:
        """One order by id."""
        path = encode_path("/admin/orders/{}", id)
        return await self._retrieve(path, "order", Order, query(fields=fields), options)


class AsyncAdminStores(AsyncResource):
    """``/admin/stores``: the store record, whose metadata can hold CMS branding."""

    def list(
        self, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> AsyncPaginator[Store]:
        """List stores (a stock Medusa has one)."""
        return AsyncPaginator(
            self._list, "/admin/stores", "stores", Store, query(fields=fields), options
        )

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> Store:
        """One store by id."""
        path = encode_path("/admin/stores/{}", id)
        return await self._retrieve(path, "store", Store, query(fields=fields), options)

    async def update_metadata(
        self,
        id: str,
        metadata: Mapping[str, Any],
        *,
        delete: Iterable[str] = (),
        **options: Unpack[RequestOptions],
    ) -> Store:
        """Merge ``metadata`` into the store's metadata (same rules as products).

        Medusa's store module *replaces* metadata on update (it does not merge, and ``""`` is
        stored as is), so this reads the current metadata and sends the merged whole: the
        result is the same as for products and sales channels. Two writers racing on one
        store's metadata can lose a key; the sync engine writes it from one worker job.
        """
        path = encode_path("/admin/stores/{}", id)
        current = await self._retrieve(path, "store", Store, query(fields="id,metadata"), options)
        body = {"metadata": merged_metadata(current.metadata, metadata, delete)}
        return await self._post(path, "store", Store, body, options, idempotent=True)


class AsyncAdminSalesChannels(AsyncResource):
    """``/admin/sales-channels``: one per storefront; metadata can hold per-store CMS data."""

    def list(
        self,
        *,
        id: StrOrList = None,
        name: StrOrList = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[SalesChannel]:
        """List sales channels."""
        params = query(lists={"id": id, "name": name}, fields=fields, limit=limit, offset=offset)
        return AsyncPaginator(
            self._list, "/admin/sales-channels", "sales_channels", SalesChannel, params, options
        )

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> SalesChannel:
        """One sales channel by id."""
        path = encode_path("/admin/sales-channels/{}", id)
        return await self._retrieve(
            path, "sales_channel", SalesChannel, query(fields=fields), options
        )

    async def update_metadata(
        self,
        id: str,
        metadata: Mapping[str, Any],
        *,
        delete: Iterable[str] = (),
        **options: Unpack[RequestOptions],
    ) -> SalesChannel:
        """Merge ``metadata`` into the sales channel's metadata (same rules as products)."""
        path = encode_path("/admin/sales-channels/{}", id)
        body = metadata_patch(metadata, delete)
        return await self._post(path, "sales_channel", SalesChannel, body, options, idempotent=True)


class AsyncAdmin:
    """The admin API: ``client.admin.products``, ``.orders``, ``.stores``, ``.sales_channels``,
    ``.inventory_items``, ``.stock_locations``, ``.categories``, ``.collections``,
    ``.price_lists``, ``.promotions``, ``.campaigns``, ``.customers``, ``.customer_groups``,
    ``.uploads``."""

    def __init__(self, client: AsyncMedusaClient) -> None:
        self.products = AsyncAdminProducts(client)
        self.orders = AsyncAdminOrders(client)
        self.stores = AsyncAdminStores(client)
        self.sales_channels = AsyncAdminSalesChannels(client)
        self.inventory_items = AsyncAdminInventoryItems(client)
        self.stock_locations = AsyncAdminStockLocations(client)
        self.categories = AsyncAdminCategories(client)
        self.collections = AsyncAdminCollections(client)
        self.price_lists = AsyncAdminPriceLists(client)
        self.promotions = AsyncAdminPromotions(client)
        self.campaigns = AsyncAdminCampaigns(client)
        self.customers = AsyncAdminCustomers(client)
        self.customer_groups = AsyncAdminCustomerGroups(client)
        self.uploads = AsyncAdminUploads(client)
