"""Which Medusa credential goes to which route (sans-I/O)."""

from __future__ import annotations

import base64

from pydantic import SecretStr

from ..errors import MissingCredentialsError

__all__ = ["PUBLISHABLE_KEY_HEADER", "medusa_auth_headers"]

PUBLISHABLE_KEY_HEADER = "x-publishable-api-key"


def medusa_auth_headers(
    path: str,
    *,
    publishable_key: str | None,
    api_key: SecretStr | None,
    token: SecretStr | None,
) -> dict[str, str]:
    """Headers for a Medusa route.

    ``/store`` routes get the publishable key and never a secret; ``/admin`` routes get the
    user token (``Bearer``) if logged in, else the secret key as HTTP Basic user with an empty
    password; ``/auth`` routes get nothing.

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
    if path.startswith("/store") and publishable_key:
        return {PUBLISHABLE_KEY_HEADER: publishable_key}
    return {}
