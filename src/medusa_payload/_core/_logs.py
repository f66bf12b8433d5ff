"""The debug log line of each attempt, and the rule that keeps credentials out of it."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import httpx

from ..errors import Service

__all__ = ["SECRET_HEADER_WORDS", "is_secret_header", "log_response", "redact_headers"]

logger = logging.getLogger("medusa_payload")

#: A header whose lower-cased name contains one of these words is never logged: a rule, so a
#: secret passed through ``default_headers`` (``x-api-key``, ``x-shop-token``) is covered too.
SECRET_HEADER_WORDS = (
    "auth",
    "cookie",
    "key",
    "token",
    "secret",
    "password",
    "session",
    "credential",
)


def is_secret_header(name: str) -> bool:
    """Whether a header may carry a credential (its name contains a `SECRET_HEADER_WORDS` word).

    Covers ``authorization``, ``proxy-authorization``, ``cookie``, ``set-cookie``,
    ``x-publishable-api-key``, ``x-api-key``, ``x-session-id``, ``x-csrf-token`` ... .
    """
    lowered = name.lower()
    return any(word in lowered for word in SECRET_HEADER_WORDS)


def redact_headers(headers: Mapping[str, str] | httpx.Headers) -> dict[str, str]:
    """Headers safe to log: every `is_secret_header` value replaced by ``[redacted]``."""
    return {k: ("[redacted]" if is_secret_header(k) else v) for k, v in headers.items()}


def log_response(
    service: Service,
    request: httpx.Request,
    response: httpx.Response | None,
    *,
    request_id: str,
    attempt: int,
    elapsed: float,
    error: BaseException | None = None,
) -> None:
    """One debug line per attempt: method, path, status, time, request id (never credentials)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    outcome = str(response.status_code) if response is not None else type(error).__name__
    logger.debug(
        "%s %s %s -> %s in %.1f ms (request_id=%s, attempt=%d, headers=%s)",
        service,
        request.method,
        request.url.raw_path.decode("ascii", "replace"),
        outcome,
        elapsed * 1000,
        request_id,
        attempt,
        redact_headers(request.headers),
    )
