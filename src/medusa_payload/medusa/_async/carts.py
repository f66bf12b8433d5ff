"""Store checkout resources: carts, shipping options, payment providers and sessions.

Retry safety (found on Medusa 2.21.2, shown by ``tests/live/test_selling_live.py``): calls that
*set* state are retried like reads: updating a cart or a line item's quantity, choosing a
shipping method (Medusa replaces the cart's method), adding or removing promotion codes,
removing a line item (a repeat answers the same cart), transferring the cart, getting the
payment collection (Medusa returns the cart's existing one), pricing a shipping option
(``calculate`` changes nothing), starting a payment session (Medusa replaces the collection's
sessions) and completing (a completed cart answers with the same order). Calls that *add* are
never retried once the request may have reached Medusa: creating a cart and adding a line item
(a repeat would add the quantity twice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from typing_extensions import Unpack

from ..._core._http import RequestOptions, api_request, encode_path
from ..._core._paginator import AsyncPaginator
from .._params import StrOrList, compact, query
from .._selling_models import (
    Cart,
    CartCompletion,
    PaymentCollection,
    PaymentProvider,
    ShippingOption,
)
from ._resource import AsyncResource

__all__ = [
    "AsyncStoreCarts",
    "AsyncStorePaymentCollections",
    "AsyncStorePaymentProviders",
    "AsyncStoreShippingOptions",
]

Body = Mapping[str, Any]


class AsyncStoreCarts(AsyncResource):
    """``/store/carts``: a storefront's carts, from the first item to the placed order.

    Carts are not secret to Medusa: whoever knows a cart id can read and change it. A cart
    created by a client carrying a customer token (`AsyncMedusaClient.with_customer`) belongs to
    that customer; a guest cart is given to one with `transfer`.
    """

    async def create(
        self,
        *,
        region_id: str | None = None,
        sales_channel_id: str | None = None,
        email: str | None = None,
        currency_code: str | None = None,
        items: Sequence[Body] | None = None,
        shipping_address: Body | None = None,
        billing_address: Body | None = None,
        promo_codes: Sequence[str] | None = None,
        metadata: Body | None = None,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Cart:
        """Create a cart (``POST /store/carts``); never retried once it may have been sent.

        Args:
            region_id: the region (prices, currency, countries); Medusa's default region if left
                out.
            sales_channel_id: one of the publishable key's sales channels (its only one if left
                out).
            email: the buyer's email.
            currency_code: must be the region's currency.
            items: ``[{"variant_id": ..., "quantity": ...}]``.
            shipping_address: an address mapping (see `Address`).
            billing_address: an address mapping.
            promo_codes: promotion codes to apply.
            metadata: free-form data kept on the cart.
            fields: Medusa's field selection for the answer.
            **options: `RequestOptions`.

        Raises:
            BadRequestError: bad input, e.g. a variant of another sales channel, a quantity
                below 1 or a currency the region lacks (Medusa's ``type`` is kept). Medusa
                creates no cart then.
        """
        body = compact(
            region_id=region_id,
            sales_channel_id=sales_channel_id,
            email=email,
            currency_code=currency_code,
            items=None if items is None else [dict(i) for i in items],
            shipping_address=shipping_address,
            billing_address=billing_address,
            promo_codes=None if promo_codes is None else list(promo_codes),
            metadata=metadata,
        )
        return await self._post(
            "/store/carts", "cart", Cart, body, options, params=query(fields=fields)
        )

    async def retrieve(
        self, cart_id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> Cart:
        """One cart by id, with its items, totals and payment collection."""
        path = encode_path("/store/carts/{}", cart_id)
        return await self._retrieve(path, "cart", Cart, query(fields=fields), options)

    async def update(
        self,
        cart_id: str,
        *,
        fields: StrOrList = None,
        **changes: Unpack[_CartChanges],
    ) -> Cart:
        """Set fields of a cart (``email``, ``shipping_address``, ``billing_address``,
        ``region_id``, ``sales_channel_id``, ``promo_codes``, ``metadata``); safe to retry."""
        options, body = _split_options(changes)
        path = encode_path("/store/carts/{}", cart_id)
        return await self._post(
            path, "cart", Cart, body, options, params=query(fields=fields), idempotent=True
        )

    async def create_line_item(
        self,
        cart_id: str,
        *,
        variant_id: str,
        quantity: int,
        metadata: Body | None = None,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Cart:
        """Add ``quantity`` of a variant (a line with that variant gets the quantity added).

        Never retried once it may have reached Medusa: a repeat would add the quantity twice.

        Raises:
            BadRequestError: a quantity below 1, or a variant that is not in the cart's sales
                channel (Medusa's ``type`` ``invalid_data``).
            NotFoundError: no such cart or variant.
        """
        path = encode_path("/store/carts/{}/line-items", cart_id)
        body = compact(variant_id=variant_id, quantity=quantity, metadata=metadata)
        return await self._post(path, "cart", Cart, body, options, params=query(fields=fields))

    async def update_line_item(
        self,
        cart_id: str,
        line_item_id: str,
        *,
        quantity: int,
        metadata: Body | None = None,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Cart:
        """Set a line's quantity; safe to retry (Medusa removes the line at quantity 0)."""
        path = encode_path("/store/carts/{}/line-items/{}", cart_id, line_item_id)
        body = compact(quantity=quantity, metadata=metadata)
        return await self._post(
            path, "cart", Cart, body, options, params=query(fields=fields), idempotent=True
        )

    async def delete_line_item(
        self,
        cart_id: str,
        line_item_id: str,
        *,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Cart:
        """Remove a line; returns the cart without it. Safe to retry (a repeat changes nothing)."""
        path = encode_path("/store/carts/{}/line-items/{}", cart_id, line_item_id)
        request = api_request("DELETE", path, options, params=query(fields=fields), idempotent=True)
        response = await self._client.send_request(request)
        return response.parse(Cart, response.require("parent"))

    async def add_shipping_method(
        self,
        cart_id: str,
        *,
        option_id: str,
        data: Body | None = None,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Cart:
        """Ship the cart with a shipping option (see `AsyncStoreShippingOptions.list`).

        Medusa replaces the cart's shipping method, so this is safe to retry.
        """
        path = encode_path("/store/carts/{}/shipping-methods", cart_id)
        body = compact(option_id=option_id, data=data)
        return await self._post(
            path, "cart", Cart, body, options, params=query(fields=fields), idempotent=True
        )

    async def add_promotions(
        self,
        cart_id: str,
        codes: Sequence[str],
        *,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Cart:
        """Apply promotion codes; safe to retry (a code is applied once).

        Raises:
            BadRequestError: a code Medusa does not know (``"The promotion code X is
                invalid"``, type ``invalid_data``); the cart is left as it was.
        """
        return await self._promotions("POST", cart_id, codes, fields, options)

    async def remove_promotions(
        self,
        cart_id: str,
        codes: Sequence[str],
        *,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Cart:
        """Take promotion codes off the cart; safe to retry."""
        return await self._promotions("DELETE", cart_id, codes, fields, options)

    async def _promotions(
        self,
        method: str,
        cart_id: str,
        codes: Sequence[str],
        fields: StrOrList,
        options: RequestOptions,
    ) -> Cart:
        path = encode_path("/store/carts/{}/promotions", cart_id)
        request = api_request(
            method,
            path,
            options,
            params=query(fields=fields),
            json={"promo_codes": list(codes)},
            idempotent=True,
        )
        response = await self._client.send_request(request)
        return response.parse(Cart, response.require("cart"))

    async def transfer(
        self, cart_id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> Cart:
        """Give a guest cart to the signed-in customer (call it on ``with_customer(token)``)."""
        path = encode_path("/store/carts/{}/customer", cart_id)
        return await self._post(
            path, "cart", Cart, {}, options, params=query(fields=fields), idempotent=True
        )

    async def complete(
        self, cart_id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> CartCompletion:
        """Place the order (``POST /store/carts/{id}/complete``).

        Safe to retry: Medusa answers a completed cart with the order it already placed.

        Returns:
            A `CartCompletion`: ``.order`` when placed; else ``.cart`` and ``.error`` (the
            payment needs more from the customer, or was not authorised).

        Raises:
            BadRequestError: the cart cannot be completed as it is (no payment session, no
                shipping method, an item out of stock ...), Medusa's ``type`` kept.
            ConflictError: another request is completing this cart right now.
        """
        path = encode_path("/store/carts/{}/complete", cart_id)
        request = api_request(
            "POST", path, options, params=query(fields=fields), json={}, idempotent=True
        )
        return await self._client.request_model(request, CartCompletion, key=None)


class _CartChanges(RequestOptions, total=False):
    email: str | None
    region_id: str
    sales_channel_id: str | None
    shipping_address: Body
    billing_address: Body
    promo_codes: Sequence[str]
    metadata: Body | None
    locale: str | None


_OPTION_KEYS = frozenset(RequestOptions.__annotations__)


def _split_options(changes: Mapping[str, Any]) -> tuple[RequestOptions, dict[str, Any]]:
    options: dict[str, Any] = {k: v for k, v in changes.items() if k in _OPTION_KEYS}
    body = {k: v for k, v in changes.items() if k not in _OPTION_KEYS}
    if "promo_codes" in body:
        body["promo_codes"] = list(body["promo_codes"])
    return RequestOptions(**options), body  # type: ignore[typeddict-item]


class AsyncStoreShippingOptions(AsyncResource):
    """``/store/shipping-options``: how a cart can be shipped."""

    def list(
        self,
        *,
        cart_id: str,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[ShippingOption]:
        """The options for a cart's address and items, priced for it (``calculated_price``).

        A ``"calculated"`` option carries the amount its fulfillment provider computed.
        """
        params = query(cart_id=cart_id, fields=fields)
        return AsyncPaginator(
            self._list,
            "/store/shipping-options",
            "shipping_options",
            ShippingOption,
            params,
            options,
        )

    async def calculate(
        self,
        option_id: str,
        *,
        cart_id: str,
        data: Body | None = None,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> ShippingOption:
        """Ask the option's fulfillment provider for its price for a cart; safe to retry.

        Only for ``price_type="calculated"`` options (see `list`): a flat option's price is
        already in ``list``'s ``calculated_price``. Medusa 2.21.2 asks the provider whatever
        the price type, and the built-in ``manual_manual`` provider cannot compute a price, so
        a manual option is refused with a 500 ``unknown_error`` (`InternalServerError`, not
        retried); so are an unknown option id and an unknown ``cart_id``. A missing
        ``cart_id`` is a 400 (`BadRequestError`).

        Args:
            option_id: the shipping option's id.
            cart_id: the cart to price the option for (its items and address).
            data: provider-specific data, passed to the provider's ``calculatePrice``.
            fields: the option's fields to return (Medusa's ``fields`` syntax).
            **options: `RequestOptions`.

        Returns:
            The option with ``calculated_price`` (``calculated_amount``,
            ``is_calculated_price_tax_inclusive``), ``amount`` and ``is_tax_inclusive`` set
            from the provider's answer.
        """
        path = encode_path("/store/shipping-options/{}/calculate", option_id)
        body = compact(cart_id=cart_id, data=data)
        return await self._post(
            path,
            "shipping_option",
            ShippingOption,
            body,
            options,
            params=query(fields=fields),
            idempotent=True,
        )


class AsyncStorePaymentProviders(AsyncResource):
    """``/store/payment-providers``: how a region's customers can pay."""

    def list(
        self,
        *,
        region_id: str,
        limit: int | None = None,
        offset: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[PaymentProvider]:
        """The payment providers enabled in a region (``pp_system_default`` needs no setup)."""
        params = query(region_id=region_id, limit=limit, offset=offset)
        return AsyncPaginator(
            self._list,
            "/store/payment-providers",
            "payment_providers",
            PaymentProvider,
            params,
            options,
        )


class AsyncStorePaymentCollections(AsyncResource):
    """``/store/payment-collections``: what a cart is to be paid with."""

    async def initiate_session(
        self,
        cart: str | Cart,
        *,
        provider_id: str,
        data: Body | None = None,
        **options: Unpack[RequestOptions],
    ) -> PaymentCollection:
        """Start a payment session with ``provider_id`` for a cart, as the js-sdk does.

        The cart's payment collection is created when it has none (one request more; passing a
        `Cart` that already shows its ``payment_collection`` saves that request). Both calls
        are safe to retry: Medusa returns the existing collection and replaces its sessions.

        Args:
            cart: a cart id, or a `Cart`.
            provider_id: e.g. ``"pp_system_default"`` (see `AsyncStorePaymentProviders.list`).
            data: provider-specific data for the session.
            **options: `RequestOptions`.

        Returns:
            The payment collection with its ``payment_sessions``.
        """
        collection_id = (
            cart.payment_collection.id
            if isinstance(cart, Cart) and cart.payment_collection
            else None
        )
        if collection_id is None:
            cart_id = cart.id if isinstance(cart, Cart) else cart
            collection = await self._post(
                "/store/payment-collections",
                "payment_collection",
                PaymentCollection,
                {"cart_id": cart_id},
                options,
                idempotent=True,
            )
            collection_id = collection.id
        path = encode_path("/store/payment-collections/{}/payment-sessions", collection_id)
        return await self._post(
            path,
            "payment_collection",
            PaymentCollection,
            compact(provider_id=provider_id, data=data),
            options,
            idempotent=True,
        )
