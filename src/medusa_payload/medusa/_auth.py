"""Which Medusa credential goes to which route (sans-I/O)."""

from __future__ import annotations

import base64
from collections.abc import Mapping

from pydantic import SecretStr

from .._core._http import RequestOptions
from ..errors import MissingCredentialsError

__all__ = ["medusa_auth_headers", "with_bearer"]


def medusa_auth_headers(
    path: str,
    *,
    publishable_key: str | None,
    api_key: SecretStr | None,
    token: SecretStr | None,
    customer_token: SecretStr | None = None,
    request_headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Headers for a Medusa route.

    ``/store`` routes get the publishable key and never a secret; ``/admin`` routes get the
    user token (``Bearer``) if logged in, else the secret key as HTTP Basic user with an empty
    password; ``/auth`` routes get nothing. A customer token goes as ``Bearer`` to ``/store``
    routes only, unless the call brings its own ``authorization`` header.

    Raises:
        MissingCredentialsError: an ``/admin`` route without ``api_key`` or a token.
    """
    if path.startswith("/admin"):
        if token is not None:
            return {"authorization": f"Bearer {token.get_secret_value()}"}
        if api_key is not None:
            raw = f"{api_key.get_secret_value()}:".encode()
            return {"authorization": f"Basic {base64.b64encode(raw).decode('ascii')}"}
        raise MissingCredentialsError(
            "Medusa admin routes need a secret API key (api_key=..., env MEDUSA_API_KEY) "
            "or a user token (client.auth.login(email, password))"
        )
    if not path.startswith("/store"):
        return {}
    headers = {"x-publishable-api-key": publishable_key} if publishable_key else {}
    if customer_token is not None and not any(
        k.lower() == "authorization" for k in request_headers or {}
    ):
        headers["authorization"] = f"Bearer {customer_token.get_secret_value()}"
    return headers


def with_bearer(options: RequestOptions, token: str | SecretStr) -> RequestOptions:
    """``options`` with an ``authorization: Bearer <token>`` header for one call."""
    value = token.get_secret_value() if isinstance(token, SecretStr) else token
    headers = {**(options.get("extra_headers") or {}), "authorization": f"Bearer {value}"}
    return {**options, "extra_headers": headers}
