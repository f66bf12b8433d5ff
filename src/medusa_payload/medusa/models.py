"""Typed, lenient models of the Medusa 2.x resources the SDK reads and writes.

Only the fields a storefront or the sync engine commonly needs are declared; every other field
the server sends is kept in ``model_extra``. Every field but ``id`` is optional, because
``fields=`` can leave any of them out. Medusa omits some fields unless asked for with
``fields`` (store products leave out ``metadata`` by default: ask with ``fields="+metadata"``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

import pydantic

from .._models import BaseModel

__all__ = [
    "Address",
    "BatchResult",
    "CalculatedPrice",
    "Campaign",
    "Customer",
    "CustomerAddress",
    "CustomerGroup",
    "DeletedIds",
    "InventoryItem",
    "InventoryLevel",
    "Order",
    "OrderLineItem",
    "Price",
    "PriceList",
    "Product",
    "ProductCategory",
    "ProductCollection",
    "ProductImage",
    "ProductOption",
    "ProductOptionValue",
    "ProductTag",
    "ProductVariant",
    "Promotion",
    "Region",
    "SalesChannel",
    "StockLocation",
    "Store",
    "UploadedFile",
]

Metadata = dict[str, Any]


class Price(BaseModel):
    """A stored price of a variant (admin responses)."""

    id: str | None = None
    amount: float | None = None
    currency_code: str | None = None
    min_quantity: float | None = None
    max_quantity: float | None = None


class CalculatedPrice(BaseModel):
    """The price of a variant for a region/currency context (``region_id`` on store calls)."""

    id: str | None = None
    calculated_amount: float | None = None
    original_amount: float | None = None
    currency_code: str | None = None
    is_calculated_price_price_list: bool | None = None
    is_calculated_price_tax_inclusive: bool | None = None


class ProductOptionValue(BaseModel):
    """One value of a product option (``"M"`` of ``Size``)."""

    id: str
    value: str | None = None
    option_id: str | None = None


class ProductOption(BaseModel):
    """A product option (``Size``) and its values."""

    id: str
    title: str | None = None
    values: list[ProductOptionValue] = pydantic.Field(default_factory=list)


class ProductImage(BaseModel):
    """An image of a product."""

    id: str | None = None
    url: str | None = None
    rank: int | None = None


class ProductTag(BaseModel):
    """A tag on a product."""

    id: str
    value: str | None = None


class ProductVariant(BaseModel):
    """A purchasable variant of a product."""

    id: str
    title: str | None = None
    sku: str | None = None
    product_id: str | None = None
    manage_inventory: bool | None = None
    allow_backorder: bool | None = None
    inventory_quantity: float | None = None
    variant_rank: int | None = None
    options: list[dict[str, Any]] | None = None
    prices: list[Price] | None = None
    calculated_price: CalculatedPrice | None = None
    metadata: Metadata | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def in_stock(self) -> bool | None:
        """Whether a store customer can buy it now, as Medusa decides at checkout.

        ``True`` when Medusa does not manage its inventory or allows backorders, else whether
        ``inventory_quantity`` (the stock of the key's sales channels, sent by store calls asked
        for ``fields="+variants.inventory_quantity"``) is above zero; ``None`` when the answer
        lacks the fields to tell.
        """
        if self.manage_inventory is False or self.allow_backorder:
            return True
        if self.manage_inventory is None or self.inventory_quantity is None:
            return None
        return self.inventory_quantity > 0


class ProductCollection(BaseModel):
    """A product collection."""

    id: str
    title: str | None = None
    handle: str | None = None
    metadata: Metadata | None = None


class ProductCategory(BaseModel):
    """A product category (a tree: ``parent_category_id``, ``category_children``)."""

    id: str
    name: str | None = None
    handle: str | None = None
    description: str | None = None
    rank: int | None = None
    parent_category_id: str | None = None
    category_children: list[ProductCategory] | None = None
    metadata: Metadata | None = None


class Product(BaseModel):
    """A Medusa product. Medusa owns every field here (title, handle, variants, prices ...)."""

    id: str
    title: str | None = None
    handle: str | None = None
    subtitle: str | None = None
    description: str | None = None
    status: str | None = None
    thumbnail: str | None = None
    is_giftcard: bool | None = None
    discountable: bool | None = None
    collection_id: str | None = None
    collection: ProductCollection | None = None
    type_id: str | None = None
    categories: list[ProductCategory] | None = None
    tags: list[ProductTag] | None = None
    images: list[ProductImage] | None = None
    options: list[ProductOption] | None = None
    variants: list[ProductVariant] | None = None
    metadata: Metadata | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted_at: datetime | None = None


class Region(BaseModel):
    """A region: currency, countries, tax settings."""

    id: str
    name: str | None = None
    currency_code: str | None = None
    automatic_taxes: bool | None = None
    countries: list[dict[str, Any]] | None = None
    metadata: Metadata | None = None


class SalesChannel(BaseModel):
    """A sales channel (admin). Its ``metadata`` can hold per-store CMS data."""

    id: str
    name: str | None = None
    description: str | None = None
    is_disabled: bool | None = None
    metadata: Metadata | None = None


class Store(BaseModel):
    """The Medusa store record (admin). The default target of branding sync metadata."""

    id: str
    name: str | None = None
    default_sales_channel_id: str | None = None
    default_region_id: str | None = None
    supported_currencies: list[dict[str, Any]] | None = None
    metadata: Metadata | None = None


class OrderLineItem(BaseModel):
    """A line of an order."""

    id: str
    title: str | None = None
    quantity: float | None = None
    unit_price: float | None = None
    variant_id: str | None = None
    product_id: str | None = None


class Order(BaseModel):
    """An order (admin, or the signed-in customer's on the store API)."""

    id: str
    display_id: int | None = None
    status: str | None = None
    email: str | None = None
    currency_code: str | None = None
    total: float | None = None
    subtotal: float | None = None
    item_total: float | None = None
    shipping_total: float | None = None
    discount_total: float | None = None
    tax_total: float | None = None
    region_id: str | None = None
    sales_channel_id: str | None = None
    customer_id: str | None = None
    payment_status: str | None = None
    fulfillment_status: str | None = None
    items: list[OrderLineItem] | None = None
    metadata: Metadata | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class InventoryLevel(BaseModel):
    """How much of an inventory item one stock location holds (admin)."""

    id: str
    inventory_item_id: str | None = None
    location_id: str | None = None
    stocked_quantity: float | None = None
    reserved_quantity: float | None = None
    incoming_quantity: float | None = None
    available_quantity: float | None = None
    metadata: Metadata | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class InventoryItem(BaseModel):
    """A stock-keeping unit of Medusa's inventory module (admin); variants link to it.

    An item's own ``updated_at`` does not move when a level changes: a level's does.
    """

    id: str
    sku: str | None = None
    title: str | None = None
    stocked_quantity: float | None = None
    reserved_quantity: float | None = None
    location_levels: list[InventoryLevel] | None = None
    metadata: Metadata | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class StockLocation(BaseModel):
    """A warehouse or shop holding inventory (admin)."""

    id: str
    name: str | None = None
    address: dict[str, Any] | None = None
    metadata: Metadata | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class DeletedIds(BaseModel):
    """What a batch deleted (``{"ids": [...], "object": ..., "deleted": true}``)."""

    ids: list[str] = pydantic.Field(default_factory=list)
    object: str | None = None
    deleted: bool | None = None


B = TypeVar("B", bound=pydantic.BaseModel)


class BatchResult(BaseModel, Generic[B]):
    """The answer of a Medusa ``.../batch`` route: what was created, updated and deleted.

    Variant batches answer ``deleted`` as ``{ids, object, deleted}``, inventory-level batches
    as a plain list of ids: both read as `DeletedIds`.
    """

    created: list[B] = pydantic.Field(default_factory=list)
    updated: list[B] = pydantic.Field(default_factory=list)
    deleted: DeletedIds = pydantic.Field(default_factory=DeletedIds)

    @pydantic.field_validator("deleted", mode="before")
    @classmethod
    def _ids_list(cls, value: Any) -> Any:
        return {"ids": value} if isinstance(value, list) else value


class PriceList(BaseModel):
    """A price list (admin): a sale or override with its ``prices``."""

    id: str
    title: str | None = None
    description: str | None = None
    type: str | None = None
    status: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    prices: list[Price] | None = None
    rules: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Campaign(BaseModel):
    """A promotion campaign (admin)."""

    id: str
    name: str | None = None
    description: str | None = None
    campaign_identifier: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    budget: dict[str, Any] | None = None


class Promotion(BaseModel):
    """A promotion (admin): a code or automatic discount with its application method."""

    id: str
    code: str | None = None
    type: str | None = None
    status: str | None = None
    is_automatic: bool | None = None
    campaign_id: str | None = None
    application_method: dict[str, Any] | None = None
    rules: list[dict[str, Any]] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Address(BaseModel):
    """A postal address of a cart or an order (``country_code`` is ISO 3166-1 alpha-2, lower)."""

    id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    company: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    country_code: str | None = None
    province: str | None = None
    postal_code: str | None = None
    metadata: Metadata | None = None


class CustomerAddress(Address):
    """An address in a customer's address book."""

    customer_id: str | None = None
    address_name: str | None = None
    is_default_shipping: bool | None = None
    is_default_billing: bool | None = None


class Customer(BaseModel):
    """A customer account, as the store (the signed-in customer) and the admin API answer it
    (``has_account`` is false for guests that only left an email)."""

    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    company_name: str | None = None
    has_account: bool | None = None
    default_billing_address_id: str | None = None
    default_shipping_address_id: str | None = None
    addresses: list[CustomerAddress] | None = None
    groups: list[dict[str, Any]] | None = None
    metadata: Metadata | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CustomerGroup(BaseModel):
    """A customer group (admin)."""

    id: str
    name: str | None = None
    customers: list[Customer] | None = None
    metadata: Metadata | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class UploadedFile(BaseModel):
    """A file stored by Medusa's file module: its ``id`` and public ``url``."""

    id: str
    url: str | None = None
