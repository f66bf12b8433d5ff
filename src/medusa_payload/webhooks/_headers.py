"""Reading the Standard Webhooks headers out of whatever header container a framework hands us."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping

import attrs

from ._errors import WebhookVerificationError

__all__ = ["HeadersLike", "WebhookHeaders", "new_request_id", "read_headers"]

HeadersLike = (
    Mapping[str, str]
    | Mapping[bytes, bytes]
    | Iterable[tuple[str, str]]
    | Iterable[tuple[bytes, bytes]]
)
"""A mapping (case-insensitive or not) or an iterable of ``(name, value)`` pairs, as ``str`` or
``bytes`` (ASGI's ``scope["headers"]``). Bytes are decoded as Latin-1, like HTTP does."""

ID = "webhook-id"
TIMESTAMP = "webhook-timestamp"
SIGNATURE = "webhook-signature"
REQUEST_ID = "x-request-id"
TRACEPARENT = "traceparent"
_WANTED = frozenset({ID, TIMESTAMP, SIGNATURE, REQUEST_ID, TRACEPARENT})


@attrs.frozen
class WebhookHeaders:
    """The headers the receiver reads; ``None`` when a header is absent."""

    webhook_id: str | None = None
    timestamp: str | None = None
    signature: str | None = None
    request_id: str | None = None
    traceparent: str | None = None


def _text(value: object) -> str:
    if type(value) is str:
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("latin-1")
    raise TypeError("header names and values must be str or bytes")


def _pairs(headers: object) -> Iterable[tuple[object, object]]:
    if type(headers) is dict:
        return headers.items()
    if isinstance(headers, Mapping):
        items = headers.items()
        # httpx.Headers.items() merges a repeated header; multi_items() gives each copy
        multi = getattr(headers, "multi_items", None)
        if callable(multi):
            items = multi()
        return items
    if isinstance(headers, (str, bytes)) or not isinstance(headers, Iterable):
        raise TypeError("headers must be a mapping or an iterable of pairs")
    return headers


def read_headers(headers: HeadersLike) -> WebhookHeaders:
    """Pick the webhook headers, case-insensitively.

    A repeated ``webhook-signature`` is joined with spaces (each copy holds whole entries); a
    repeated ``webhook-id`` or ``webhook-timestamp`` with two different values is refused.

    Raises:
        WebhookVerificationError: 400 when the container cannot be read or a header is
            repeated with conflicting values.
    """
    found: dict[str, str] = {}
    try:
        for pair in _pairs(headers):
            name, value = pair
            key = _text(name).strip().lower()
            if key not in _WANTED:
                continue
            text = _text(value).strip()
            if key not in found:
                found[key] = text
            elif key == SIGNATURE:
                found[key] = f"{found[key]} {text}"
            elif found[key] != text:
                raise WebhookVerificationError(
                    f"header {key} repeated with other values", status=400
                )
    except WebhookVerificationError:
        raise
    except Exception:
        raise WebhookVerificationError("headers unreadable", status=400) from None
    return WebhookHeaders(
        webhook_id=found.get(ID),
        timestamp=found.get(TIMESTAMP),
        signature=found.get(SIGNATURE),
        request_id=found.get(REQUEST_ID),
        traceparent=found.get(TRACEPARENT),
    )


def new_request_id(sent: str | None) -> str:
    """The request id of a delivery: the sender's ``x-request-id`` when it is a sane token
    (at most 128 printable ASCII characters, no spaces), else a new random one."""
    if sent and len(sent) <= 128 and sent.isascii() and sent.isprintable() and " " not in sent:
        return sent
    return secrets.token_hex(16)
