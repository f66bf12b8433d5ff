"""Typed, lenient models of what a storefront sells with: carts, checkout, customers.

Like the catalogue models, every field but ``id`` is optional and unknown fields are kept in
``model_extra``. Amounts are Medusa's (major units, e.g. ``10`` for 10.00 EUR).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from .._models import BaseModel
from .models import Address, Customer, CustomerAddress, Order

__all__ = [
    "Address",
    "Cart",
    "CartCompletion",
    "CartCompletionError",
    "CartPromotion",
    "Customer",
    "CustomerAddress",
    "LineItem",
    "PaymentCollection",
    "PaymentProvider",
    "PaymentSession",
    "ShippingMethod",
    "ShippingOption",
]

Metadata = dict[str, Any]


class LineItem(BaseModel):
    """A line of a cart: a variant, its quantity and its price."""

    id: str
    title: str | None = None
    quantity: float | None = None
    unit_price: float | None = None
    variant_id: str | None = None
    product_id: str | None = None
    product_handle: str | None = None
    variant_sku: str | None = None
    thumbnail: str | None = None
    subtotal: float | None = None
    discount_total: float | None = None
    total: float | None = None
    metadata: Metadata | None = None


class ShippingMethod(BaseModel):
    """A shipping method chosen for a cart (from a shipping option)."""

    id: str
    name: str | None = None
    amount: float | None = None
    shipping_option_id: str | None = None


class CartPromotion(BaseModel):
    """A promotion applied to a cart (``code`` is what the customer typed)."""

    id: str
    code: str | None = None
    is_automatic: bool | None = None
    application_method: dict[str, Any] | None = None


class PaymentSession(BaseModel):
    """A payment session with one provider (``pp_system_default`` needs no card)."""

    id: str
    provider_id: str | None = None
    amount: float | None = None
    currency_code: str | None = None
    status: str | None = None
    data: dict[str, Any] | None = None


class PaymentCollection(BaseModel):
    """The payment collection of a cart: what is to be paid and its sessions."""

    id: str
    amount: float | None = None
    currency_code: str | None = None
    status: str | None = None
    payment_sessions: list[PaymentSession] | None = None


class Cart(BaseModel):
    """A cart: items, addresses, shipping, promotions, payment and totals."""

    id: str
    region_id: str | None = None
    sales_channel_id: str | None = None
    customer_id: str | None = None
    email: str | None = None
    currency_code: str | None = None
    items: list[LineItem] | None = None
    shipping_address: Address | None = None
    billing_address: Address | None = None
    shipping_methods: list[ShippingMethod] | None = None
    promotions: list[CartPromotion] | None = None
    payment_collection: PaymentCollection | None = None
    total: float | None = None
    subtotal: float | None = None
    item_total: float | None = None
    shipping_total: float | None = None
    discount_total: float | None = None
    tax_total: float | None = None
    completed_at: datetime | None = None
    metadata: Metadata | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class CartCompletionError(BaseModel):
    """Why Medusa kept the cart instead of placing the order (a payment that failed)."""

    message: str | None = None
    name: str | None = None
    type: str | None = None


class CartCompletion(BaseModel):
    """The answer of ``carts.complete``: an order, or the cart and why it is not one yet.

    ``type`` is ``"order"`` with `order` set, or ``"cart"`` with `cart` and `error` set (Medusa
    answers so when the payment needs more from the customer or was not authorised).
    """

    type: Literal["order", "cart"] | str | None = None
    order: Order | None = None
    cart: Cart | None = None
    error: CartCompletionError | None = None

    @property
    def placed(self) -> bool:
        """Whether the order was placed."""
        return self.order is not None


class ShippingOption(BaseModel):
    """A way to ship a cart; ``calculated_price`` holds the price for that cart."""

    id: str
    name: str | None = None
    price_type: Literal["flat", "calculated"] | str | None = None
    amount: float | None = None
    is_tax_inclusive: bool | None = None
    calculated_price: dict[str, Any] | None = None
    provider_id: str | None = None
    service_zone_id: str | None = None
    shipping_profile_id: str | None = None
    shipping_option_type_id: str | None = None
    metadata: Metadata | None = None
    insufficient_inventory: bool | None = None
    type: dict[str, Any] | None = None


class PaymentProvider(BaseModel):
    """A payment provider enabled in a region (``pp_system_default``, ``pp_stripe_stripe``...)."""

    id: str
    is_enabled: bool | None = None
