"""Medusa 2.x REST clients: `MedusaClient` and `AsyncMedusaClient`, and their models."""

from ._async.client import AsyncMedusaClient
from ._sync.client import MedusaClient
from .models import (
    CalculatedPrice,
    Order,
    OrderLineItem,
    Price,
    Product,
    ProductCategory,
    ProductCollection,
    ProductImage,
    ProductOption,
    ProductOptionValue,
    ProductTag,
    ProductVariant,
    Region,
    SalesChannel,
    Store,
)

__all__ = [
    "AsyncMedusaClient",
    "CalculatedPrice",
    "MedusaClient",
    "Order",
    "OrderLineItem",
    "Price",
    "Product",
    "ProductCategory",
    "ProductCollection",
    "ProductImage",
    "ProductOption",
    "ProductOptionValue",
    "ProductTag",
    "ProductVariant",
    "Region",
    "SalesChannel",
    "Store",
]
