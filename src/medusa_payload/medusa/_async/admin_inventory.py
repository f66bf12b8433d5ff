"""Inventory admin resources: ``/admin/inventory-items`` (and their levels per stock
location) and ``/admin/stock-locations``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from typing_extensions import Unpack

from ..._core._http import RequestOptions, encode_path
from ..._core._paginator import AsyncPaginator
from .._params import StrOrList, query
from ..models import BatchResult, InventoryItem, InventoryLevel, StockLocation
from ._resource import AsyncResource

__all__ = ["AsyncAdminInventoryItems", "AsyncAdminStockLocations"]


class AsyncAdminInventoryItems(AsyncResource):
    """``/admin/inventory-items``: stock-keeping units and their levels per location.

    Medusa emits no event when a level changes (medusa #11691): the watcher
    (`medusa_payload.sync.watch`) reads the levels' ``updated_at`` instead.
    """

    def list(
        self,
        *,
        id: StrOrList = None,
        sku: StrOrList = None,
        q: str | None = None,
        location_id: StrOrList = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        order: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[InventoryItem]:
        """List inventory items (``location_id``: those stocked there);
        ``fields="*location_levels"`` adds every level."""
        params = query(
            lists={"id": id, "sku": sku},
            q=q,
            fields=fields,
            limit=limit,
            offset=offset,
            order=order,
        )
        if location_id is not None:  # items stocked at these locations
            locations = [location_id] if isinstance(location_id, str) else list(location_id)
            params["location_levels"] = {"location_id": locations}
        return AsyncPaginator(
            self._list, "/admin/inventory-items", "inventory_items", InventoryItem, params, options
        )

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> InventoryItem:
        """One inventory item with its ``location_levels``."""
        path = encode_path("/admin/inventory-items/{}", id)
        return await self._retrieve(
            path, "inventory_item", InventoryItem, query(fields=fields), options
        )

    async def create(
        self, body: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> InventoryItem:
        """Create an inventory item (``{"sku", "title", ...}``). Not retried."""
        return await self._post(
            "/admin/inventory-items", "inventory_item", InventoryItem, body, options
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete an inventory item."""
        await self._delete(encode_path("/admin/inventory-items/{}", id), options)

    def list_levels(
        self,
        item_id: str,
        *,
        location_id: StrOrList = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[InventoryLevel]:
        """The item's levels, one per stock location holding it."""
        params = query(
            lists={"location_id": location_id}, fields=fields, limit=limit, offset=offset
        )
        path = encode_path("/admin/inventory-items/{}/location-levels", item_id)
        return AsyncPaginator(self._list, path, "inventory_levels", InventoryLevel, params, options)

    async def create_level(
        self,
        item_id: str,
        location_id: str,
        *,
        stocked_quantity: float = 0,
        incoming_quantity: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> InventoryItem:
        """Stock the item at a location (a new level); returns the item. Not retried."""
        body = query(
            location_id=location_id,
            stocked_quantity=stocked_quantity,
            incoming_quantity=incoming_quantity,
        )
        path = encode_path("/admin/inventory-items/{}/location-levels", item_id)
        return await self._post(path, "inventory_item", InventoryItem, body, options)

    async def update_level(
        self,
        item_id: str,
        location_id: str,
        *,
        stocked_quantity: float | None = None,
        incoming_quantity: float | None = None,
        **options: Unpack[RequestOptions],
    ) -> InventoryItem:
        """Set the quantities of one level; returns the item. Setting a value twice gives the
        same level, so the call is retried like a read.

        Raises:
            ValueError: neither quantity given (nothing would change).
        """
        body = query(stocked_quantity=stocked_quantity, incoming_quantity=incoming_quantity)
        if not body:
            raise ValueError("update_level needs stocked_quantity or incoming_quantity")
        path = encode_path("/admin/inventory-items/{}/location-levels/{}", item_id, location_id)
        return await self._post(
            path, "inventory_item", InventoryItem, body, options, idempotent=True
        )

    async def batch_levels(
        self,
        *,
        create: Sequence[Mapping[str, Any]] = (),
        update: Sequence[Mapping[str, Any]] = (),
        delete: Sequence[str] = (),
        **options: Unpack[RequestOptions],
    ) -> BatchResult[InventoryLevel]:
        """Create and update levels (each with ``inventory_item_id`` and ``location_id``) and
        delete levels by id, across items, in one call. Not retried."""
        body = {"create": list(create), "update": list(update), "delete": list(delete)}
        path = "/admin/inventory-items/location-levels/batch"
        return await self._post(path, None, BatchResult[InventoryLevel], body, options)


class AsyncAdminStockLocations(AsyncResource):
    """``/admin/stock-locations``: warehouses and shops holding inventory."""

    def list(
        self,
        *,
        id: StrOrList = None,
        name: StrOrList = None,
        q: str | None = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[StockLocation]:
        """List stock locations."""
        params = query(
            lists={"id": id, "name": name}, q=q, fields=fields, limit=limit, offset=offset
        )
        return AsyncPaginator(
            self._list, "/admin/stock-locations", "stock_locations", StockLocation, params, options
        )

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> StockLocation:
        """One stock location."""
        path = encode_path("/admin/stock-locations/{}", id)
        return await self._retrieve(
            path, "stock_location", StockLocation, query(fields=fields), options
        )

    async def create(
        self, body: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> StockLocation:
        """Create a stock location (``{"name": ..., "address": {...}}``). Not retried."""
        return await self._post(
            "/admin/stock-locations", "stock_location", StockLocation, body, options
        )

    async def update(
        self, id: str, body: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> StockLocation:
        """Update fields of a stock location. Not retried by default."""
        path = encode_path("/admin/stock-locations/{}", id)
        return await self._post(path, "stock_location", StockLocation, body, options)

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a stock location."""
        await self._delete(encode_path("/admin/stock-locations/{}", id), options)
