"""``client.auth.customer``: a storefront customer's email + password account (emailpass).

Tokens are returned, never kept on the client: one client serves many customers, so a
customer's token lives on a derived client (``client.with_customer(token)``) or on one call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import SecretStr
from typing_extensions import Unpack

from ..._core._http import RequestOptions, api_request
from ...errors import AuthenticationError
from .._auth import with_bearer

if TYPE_CHECKING:
    from .client import AsyncMedusaClient

__all__ = ["AsyncCustomerAuth"]


class AsyncCustomerAuth:
    """Register, sign in, refresh and sign out a customer (``/auth/customer/emailpass``)."""

    def __init__(self, client: AsyncMedusaClient) -> None:
        self._client = client

    async def _token(self, path: str, options: RequestOptions, **body: str) -> SecretStr:
        request = api_request("POST", path, options, json=body or None, idempotent=not body)
        response = await self._client.send_request(request)
        return SecretStr(str(response.require("token")))

    async def register(
        self, email: str, password: str, **options: Unpack[RequestOptions]
    ) -> SecretStr:
        """Create an auth identity; returns the *registration* token.

        Then create the customer with it: ``store.customers.create(email=...,
        registration_token=token)``, and sign in with `login`. Never retried once it may have
        been sent.

        Raises:
            AuthenticationError: the email is already registered (Medusa answers 401 "Identity
                with email already exists"; before the customer is created, the same email and
                password answer a registration token again).
        """
        return await self._token(
            "/auth/customer/emailpass/register", options, email=email, password=password
        )

    async def login(
        self, email: str, password: str, **options: Unpack[RequestOptions]
    ) -> SecretStr:
        """Sign in; returns the customer's token (for ``client.with_customer(token)``).

        Raises:
            AuthenticationError: wrong email or password.
        """
        request = api_request(
            "POST",
            "/auth/customer/emailpass",
            options,
            json={"email": email, "password": password},
            idempotent=True,
        )
        response = await self._client.send_request(request)
        return SecretStr(str(response.require("token")))

    async def refresh(self, token: str | SecretStr, **options: Unpack[RequestOptions]) -> SecretStr:
        """A fresh token for a valid one (``POST /auth/token/refresh``).

        Raises:
            AuthenticationError: the token is expired, malformed or signed by another server.
        """
        return await self._token("/auth/token/refresh", with_bearer(options, token))

    async def logout(self, token: str | SecretStr, **options: Unpack[RequestOptions]) -> None:
        """Sign out: end the customer's server session, if any (``DELETE /auth/session``).

        Medusa 2.x tokens are stateless JWTs that it cannot revoke: the token stays valid until
        it expires (Medusa's ``jwtExpiresIn``, one day by default), so drop it and its derived
        client. Medusa answers 401 when there is no cookie session to end (the SDK keeps no
        cookies, so there never is one): that answer means "signed out" too.
        """
        request = api_request("DELETE", "/auth/session", with_bearer(options, token))
        try:
            await self._client.send_request(request)
        except AuthenticationError:
            return
