"""`AsyncMedusaClient`: the Medusa 2.x store and admin REST API.

The sync `MedusaClient` is generated from this file by ``scripts/gen_sync.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx
from pydantic import SecretStr
from typing_extensions import Unpack

from ..._config import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    RetryConfig,
    Settings,
)
from ..._core._async.client import AsyncAPIClient
from ..._core._http import APIRequest, ErrorFields, RequestOptions, api_request
from ...errors import Service
from .._auth import PUBLISHABLE_KEY_HEADER, check_key_kinds, medusa_auth_headers
from .._errors import medusa_error_fields
from .admin import AsyncAdmin
from .customer_auth import AsyncCustomerAuth
from .store import AsyncStore

__all__ = ["AsyncAuth", "AsyncMedusaClient"]


def _as_secret(value: str | SecretStr | None) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(value)


class AsyncAuth:
    """``/auth``: log in as an admin user to call admin routes with a token instead of a key.

    ``auth.customer`` signs storefront customers in (`AsyncCustomerAuth`).
    """

    def __init__(self, client: AsyncMedusaClient) -> None:
        self._client = client
        self.customer = AsyncCustomerAuth(client)

    async def login(
        self, email: str, password: str, **options: Unpack[RequestOptions]
    ) -> SecretStr:
        """Log in with email and password (``POST /auth/user/emailpass``).

        The token is kept by the client and sent as ``Bearer`` to admin routes from now on.

        Returns:
            The JWT, wrapped so it never shows in a ``repr`` or log.

        Raises:
            AuthenticationError: wrong email or password.
        """
        request = api_request(
            "POST", "/auth/user/emailpass", options, json={"email": email, "password": password}
        )
        response = await self._client.send_request(request)
        token = SecretStr(str(response.require("token")))
        self._client.token = token
        return token

    def logout(self) -> None:
        """Forget the token (admin routes fall back to the secret key, if any)."""
        self._client.token = None


class AsyncMedusaClient(AsyncAPIClient):
    """Typed client of the Medusa 2.x REST API.

    ```python
    async with AsyncMedusaClient("http://localhost:9000", publishable_key="pk_...") as medusa:
        product = await medusa.store.products.retrieve_by_handle("live-tee", region_id="reg_...")
    ```

    Args:
        base_url: the Medusa server root (``http://localhost:9000``).
        publishable_key: ``pk_...``, sent as ``x-publishable-api-key`` to ``/store`` routes.
        api_key: secret ``sk_...`` key, sent as HTTP Basic user (empty password) to ``/admin``
            routes only, never to ``/store``.
        token: an admin user JWT instead of ``api_key`` (see `AsyncAuth.login`).
        timeout: seconds or an `httpx.Timeout` (default: connect 5 s, read 30 s).
        max_retries: retries of idempotent calls on connection errors, timeouts and
            408/429/502/503/504 (default 2).
        retry: backoff settings (`RetryConfig`).
        transport: an httpx transport (e.g. ``FakeMedusa().transport`` in tests).
        http_client: an httpx client to use instead of creating one (it is not closed by us,
            and its cookie jar is its own: the client we create keeps no cookies).
        default_headers: headers sent with every request (secret-looking ones are never
            logged: see `is_secret_header`).
        deadline: seconds a whole call may take, every retry and body read included (default
            120; ``None``: no deadline). ``timeout`` bounds one network operation only.
        max_response_bytes: the largest (decoded) response body read, else
            `ResponseTooLargeError` (default 100 MiB; ``None``: no cap).
    """

    service: ClassVar[Service] = "medusa"

    def __init__(
        self,
        base_url: str,
        *,
        publishable_key: str | None = None,
        api_key: str | SecretStr | None = None,
        token: str | SecretStr | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry: RetryConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        check_key_kinds(publishable_key, _as_secret(api_key))  # before a pool is opened
        super().__init__(
            base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            transport=transport,
            http_client=http_client,
            default_headers=default_headers,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
        )
        self.publishable_key = publishable_key
        self.api_key = _as_secret(api_key)
        self.token = _as_secret(token)
        self.customer_token: SecretStr | None = None
        self._bind()

    def _bind(self) -> None:
        self.store = AsyncStore(self)
        self.admin = AsyncAdmin(self)
        self.auth = AsyncAuth(self)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> AsyncMedusaClient:
        """Build a client from `Settings`; keyword arguments override single values."""
        kwargs: dict[str, Any] = {
            "publishable_key": settings.medusa_publishable_key,
            "api_key": settings.medusa_api_key,
            **settings.http_options(),
        }
        kwargs.update(overrides)
        return cls(settings.medusa_backend_url, **kwargs)

    @classmethod
    def from_env(cls, **overrides: Any) -> AsyncMedusaClient:
        """Build a client from ``MEDUSA_BACKEND_URL``, ``MEDUSA_PUBLISHABLE_KEY``, ... ."""
        return cls.from_settings(Settings.from_env(), **overrides)

    def _error_fields(self, body: object) -> ErrorFields:
        return medusa_error_fields(body)

    def with_customer(self, token: str | SecretStr) -> AsyncMedusaClient:
        """A client for one signed-in customer, sharing this client's connection pool.

        Its ``/store`` calls carry ``token`` (``Bearer``); this client is left unchanged, so one
        client can serve many customers at once. The derived client has no admin credentials
        and closing it leaves the pool open (close this client instead).

        ```python
        token = await medusa.auth.customer.login(email, password)
        orders = await medusa.with_customer(token).store.orders.list()
        ```
        """
        derived = self._derive()  # the mechanism of `with_options`
        derived.api_key = None
        derived.token = None
        derived.customer_token = _as_secret(token)
        return derived

    def _auth_headers(self, request: APIRequest) -> Mapping[str, str]:
        # A per-call key (``extra_headers``: a tenant's storefront) wins over the client's.
        per_call = request.headers.get(PUBLISHABLE_KEY_HEADER)
        return medusa_auth_headers(
            request.path,
            publishable_key=per_call or self.publishable_key,
            api_key=self.api_key,
            token=self.token,
            customer_token=self.customer_token,
            request_headers=request.headers,
        )

    def __repr__(self) -> str:
        auth = "token" if self.token else ("api_key" if self.api_key else "none")
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, admin_auth={auth})"
