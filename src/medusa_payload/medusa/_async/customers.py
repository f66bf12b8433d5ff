"""Store customer resources: the signed-in customer's account, address book and orders.

Every call here needs a customer token: call them on ``client.with_customer(token)`` (or pass
``extra_headers={"authorization": f"Bearer {token}"}`` on one call). Without one Medusa answers
401 (`AuthenticationError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr
from typing_extensions import Unpack

from ..._core._http import RequestOptions, encode_path
from ..._core._paginator import AsyncPaginator
from .._auth import with_bearer
from .._params import StrOrList, compact, query
from .._selling_models import Customer, CustomerAddress
from ..models import Order
from ._resource import AsyncResource

if TYPE_CHECKING:
    from .client import AsyncMedusaClient

__all__ = ["AsyncStoreCustomerAddresses", "AsyncStoreCustomers", "AsyncStoreOrders"]


class AsyncStoreCustomerAddresses(AsyncResource):
    """``/store/customers/me/addresses``: the signed-in customer's address book."""

    def list(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[CustomerAddress]:
        """The customer's addresses."""
        params = query(limit=limit, offset=offset)
        return AsyncPaginator(
            self._list,
            "/store/customers/me/addresses",
            "addresses",
            CustomerAddress,
            params,
            options,
        )

    async def create(
        self, address: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> Customer:
        """Add an address (fields of `CustomerAddress`); returns the customer with it.

        Never retried once it may have been sent (a repeat would add it twice).
        """
        return await self._post(
            "/store/customers/me/addresses", "customer", Customer, address, options
        )

    async def retrieve(self, address_id: str, **options: Unpack[RequestOptions]) -> CustomerAddress:
        """One of the customer's addresses."""
        path = encode_path("/store/customers/me/addresses/{}", address_id)
        return await self._retrieve(path, "address", CustomerAddress, {}, options)

    async def update(
        self, address_id: str, changes: Mapping[str, Any], **options: Unpack[RequestOptions]
    ) -> Customer:
        """Change fields of an address; safe to retry. Returns the customer."""
        path = encode_path("/store/customers/me/addresses/{}", address_id)
        return await self._post(path, "customer", Customer, changes, options, idempotent=True)

    async def delete(self, address_id: str, **options: Unpack[RequestOptions]) -> None:
        """Remove an address from the book."""
        path = encode_path("/store/customers/me/addresses/{}", address_id)
        await self._delete(path, options)


class AsyncStoreCustomers(AsyncResource):
    """``/store/customers``: create the account, read and change the signed-in customer."""

    def __init__(self, client: AsyncMedusaClient) -> None:
        super().__init__(client)
        self.addresses = AsyncStoreCustomerAddresses(client)

    async def create(
        self,
        *,
        email: str,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: str | None = None,
        company_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        registration_token: str | SecretStr | None = None,
        **options: Unpack[RequestOptions],
    ) -> Customer:
        """Create the customer of a new auth identity (after ``auth.customer.register``).

        Never retried once it may have been sent. Sign in afterwards
        (``auth.customer.login``): the registration token does not act as the customer.

        Args:
            email: the customer's email (the one registered).
            first_name: given name.
            last_name: family name.
            phone: phone number.
            company_name: company.
            metadata: free-form data.
            registration_token: the token ``auth.customer.register`` returned; else the
                client's customer token is sent.
            **options: `RequestOptions`.

        Raises:
            AuthenticationError: no (valid) registration token.
            UnprocessableEntityError: the email already has an account (``duplicate_error``).
            BadRequestError: the token is a signed-in customer's.
        """
        if registration_token is not None:
            options = with_bearer(options, registration_token)
        body = compact(
            email=email,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            company_name=company_name,
            metadata=metadata,
        )
        return await self._post("/store/customers", "customer", Customer, body, options)

    async def retrieve_me(
        self, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> Customer:
        """The signed-in customer."""
        return await self._retrieve(
            "/store/customers/me", "customer", Customer, query(fields=fields), options
        )

    async def update_me(
        self,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: str | None = None,
        company_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Customer:
        """Change the signed-in customer's profile (``None`` keeps a field); safe to retry."""
        body = compact(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            company_name=company_name,
            metadata=metadata,
        )
        return await self._post(
            "/store/customers/me",
            "customer",
            Customer,
            body,
            options,
            params=query(fields=fields),
            idempotent=True,
        )


class AsyncStoreOrders(AsyncResource):
    """``/store/orders``: the signed-in customer's orders."""

    def list(
        self,
        *,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        order: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Order]:
        """The signed-in customer's orders (only theirs); iterate to walk the pages."""
        params = query(fields=fields, limit=limit, offset=offset, order=order)
        return AsyncPaginator(self._list, "/store/orders", "orders", Order, params, options)

    async def retrieve(
        self, order_id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> Order:
        """One order by id.

        Medusa serves this route without a customer token: the order id itself is the secret,
        as with a guest's order confirmation page.
        """
        path = encode_path("/store/orders/{}", order_id)
        return await self._retrieve(path, "order", Order, query(fields=fields), options)
