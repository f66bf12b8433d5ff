"""Which Medusa credential goes to which route (sans-I/O)."""

from __future__ import annotations

import base64
from collections.abc import Mapping

from pydantic import SecretStr

from .._core._http import RequestOptions
from ..errors import ConfigurationError, MissingCredentialsError

__all__ = ["PUBLISHABLE_KEY_HEADER", "check_key_kinds", "medusa_auth_headers", "with_bearer"]

PUBLISHABLE_KEY_HEADER = "x-publishable-api-key"


def check_key_kinds(publishable_key: str | None, api_key: SecretStr | None) -> None:
    """Refuse a Medusa key passed in the other key's place (which would only earn a bare 401).

    Medusa's publishable keys start ``pk_``, its secret API keys ``sk_``.

    Raises:
        ConfigurationError: a ``pk_`` key as ``api_key`` or an ``sk_`` key as
            ``publishable_key``; the message says where each belongs (the key is not shown).
    """
    if api_key is not None and api_key.get_secret_value().startswith("pk_"):
        raise ConfigurationError(
            "api_key (MEDUSA_API_KEY) got a publishable key (pk_...): pass it as "
            "publishable_key (MEDUSA_PUBLISHABLE_KEY); api_key takes a secret sk_... key"
        )
    if publishable_key is not None and publishable_key.startswith("sk_"):
        raise ConfigurationError(
            "publishable_key (MEDUSA_PUBLISHABLE_KEY) got a secret key (sk_...): pass it as "
            "api_key (MEDUSA_API_KEY), and never to a storefront; publishable_key takes pk_..."
        )


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
    headers = {PUBLISHABLE_KEY_HEADER: publishable_key} if publishable_key else {}
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
