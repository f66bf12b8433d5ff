"""Standard Webhooks signatures: secrets, `sign`, `verify` and the `Verifier` the receiver uses.

The signed message is ``f"{webhook-id}.{webhook-timestamp}.".encode() + raw_body``; the
signature is ``v1,`` + base64(HMAC-SHA256(key, message)). ``webhook-signature`` holds one or
more such entries separated by spaces (one per secret while a secret is being rotated); entries
of other versions (``v1a,`` asymmetric signatures) are skipped. A secret ``whsec_<base64>`` is
base64-decoded after the prefix; any other ``str`` secret is used as its UTF-8 bytes, and
``bytes`` as they are. Comparisons use `hmac.compare_digest` (constant time).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets as _random
import time
import uuid
from collections.abc import Sequence

import attrs

from medusa_payload.errors import ConfigurationError

from ._errors import WebhookVerificationError
from ._headers import ID, SIGNATURE, TIMESTAMP, HeadersLike, WebhookHeaders, read_headers

__all__ = [
    "DEFAULT_TOLERANCE",
    "SecretsLike",
    "VerifiedWebhook",
    "Verifier",
    "decode_secret",
    "generate_secret",
    "sign",
    "sign_headers",
    "split_secrets",
    "verify",
]

DEFAULT_TOLERANCE = 300.0
"""Seconds a ``webhook-timestamp`` may lie before or after the receiver's clock (5 minutes)."""

SECRET_PREFIX = "whsec_"
MAX_ID_LENGTH = 256
MAX_TIMESTAMP_DIGITS = 12
MAX_SIGNATURE_ENTRIES = 32

SecretsLike = str | bytes | Sequence[str | bytes]
"""One secret or several (rotation): ``whsec_<base64>``, other text (its UTF-8 bytes) or bytes."""


def decode_secret(secret: object) -> bytes:
    """The HMAC key of one secret.

    Raises:
        ConfigurationError: the secret is empty, or starts with ``whsec_`` and the rest is not
            base64 (the secret itself is never part of the message).
    """
    if isinstance(secret, (bytes, bytearray)):
        key = bytes(secret)
    elif isinstance(secret, str) and secret.startswith(SECRET_PREFIX):
        encoded = secret[len(SECRET_PREFIX) :].strip()
        try:
            key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise ConfigurationError("a whsec_ webhook secret is not valid base64") from None
    elif isinstance(secret, str):
        key = secret.encode("utf-8")
    else:
        raise ConfigurationError("a webhook secret must be str or bytes")
    if not key:
        raise ConfigurationError("a webhook secret is empty")
    return key


def _keys(secrets: SecretsLike) -> tuple[bytes, ...]:
    if isinstance(secrets, (str, bytes, bytearray)):
        items: list[object] = [secrets]
    elif isinstance(secrets, Sequence):
        items = list(secrets)
    else:
        raise ConfigurationError("webhook secrets must be a str, bytes or a sequence of them")
    if not items:
        raise ConfigurationError("at least one webhook secret is needed")
    return tuple(decode_secret(s) for s in items)


def split_secrets(value: str) -> list[str]:
    """Split an environment value such as ``MEDUSA_WEBHOOK_SECRET`` on commas (rotation)."""
    return [part.strip() for part in value.split(",") if part.strip()]


def generate_secret(nbytes: int = 32) -> str:
    """A new random secret in ``whsec_<base64>`` form, for both the sender and the receiver."""
    return SECRET_PREFIX + base64.b64encode(_random.token_bytes(nbytes)).decode("ascii")


def _message(webhook_id: str, timestamp: str, body: bytes) -> bytes:
    return f"{webhook_id}.{timestamp}.".encode() + body


def _as_bytes(body: bytes | bytearray | memoryview | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def sign(body: bytes | str, secrets: SecretsLike, *, msg_id: str, timestamp: int | float) -> str:
    """The ``webhook-signature`` value for ``body``: one ``v1,<base64>`` entry per secret.

    Args:
        body: the exact bytes that will be sent (a ``str`` is encoded as UTF-8).
        secrets: one secret, or several to sign with each (during a rotation).
        msg_id: the ``webhook-id`` header value.
        timestamp: the ``webhook-timestamp`` value, Unix seconds (a float is floored).
    """
    message = _message(msg_id, str(int(timestamp)), _as_bytes(body))
    return " ".join(
        "v1," + base64.b64encode(hmac.digest(key, message, "sha256")).decode("ascii")
        for key in _keys(secrets)
    )


def sign_headers(
    body: bytes | str,
    secrets: SecretsLike,
    *,
    msg_id: str | None = None,
    timestamp: int | float | None = None,
) -> dict[str, str]:
    """All the headers of one delivery: ``webhook-id`` (a new ``msg_...`` unless given),
    ``webhook-timestamp`` (now unless given), ``webhook-signature`` and ``content-type``."""
    msg_id = msg_id if msg_id is not None else f"msg_{uuid.uuid4().hex}"
    ts = int(time.time() if timestamp is None else timestamp)
    return {
        ID: msg_id,
        TIMESTAMP: str(ts),
        SIGNATURE: sign(body, secrets, msg_id=msg_id, timestamp=ts),
        "content-type": "application/json",
    }


@attrs.frozen
class VerifiedWebhook:
    """What a successful verification established: the delivery's id and signing time."""

    webhook_id: str
    timestamp: int


def _candidates(signature: str) -> list[bytes]:
    found: list[bytes] = []
    for entry in signature.split()[:MAX_SIGNATURE_ENTRIES]:
        version, _, value = entry.rstrip(",").partition(",")  # "a, b" when a proxy merged copies
        if version != "v1" or not value:
            continue
        try:
            found.append(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


class Verifier:
    """Checks signatures and timestamps against a fixed set of secrets.

    `check_signature` and `check_timestamp` are separate so the receiver can run them in its
    documented order (signature first, then timestamp); `verify` runs both.
    """

    def __init__(self, secrets: SecretsLike, *, tolerance: float = DEFAULT_TOLERANCE) -> None:
        """Decode the secrets once; raises `ConfigurationError` for an empty or invalid one."""
        if tolerance < 0:
            raise ConfigurationError("tolerance must be >= 0")
        self._keys = _keys(secrets)
        self.tolerance = float(tolerance)

    def __repr__(self) -> str:
        return f"Verifier(<{len(self._keys)} secret(s)>, tolerance={self.tolerance})"

    def check_signature(self, body: bytes, headers: WebhookHeaders) -> VerifiedWebhook:
        """Check the headers' shape and that one ``v1`` entry matches one secret.

        Returns the id and the (not yet tolerance-checked) timestamp.

        Raises:
            WebhookVerificationError: 400 for a missing or malformed header, 401 when no
                signature entry matches any secret.
        """
        msg_id, raw_ts, signature = headers.webhook_id, headers.timestamp, headers.signature
        if not (msg_id and raw_ts and signature):
            pairs = ((ID, msg_id), (TIMESTAMP, raw_ts), (SIGNATURE, signature))
            missing = [name for name, value in pairs if not value]
            raise WebhookVerificationError(f"missing header {', '.join(missing)}", status=400)
        if len(msg_id) > MAX_ID_LENGTH or not msg_id.isascii() or not msg_id.isprintable():
            raise WebhookVerificationError(
                f"malformed header {ID}: 1-{MAX_ID_LENGTH} printable ASCII characters", status=400
            )
        if not (raw_ts.isascii() and raw_ts.isdigit() and len(raw_ts) <= MAX_TIMESTAMP_DIGITS):
            raise WebhookVerificationError(
                f"malformed header {TIMESTAMP}: integer Unix seconds expected", status=400
            )
        message = _message(msg_id, raw_ts, body)
        expected = [hmac.digest(key, message, "sha256") for key in self._keys]
        for candidate in _candidates(signature):
            for digest in expected:
                if hmac.compare_digest(digest, candidate):
                    return VerifiedWebhook(webhook_id=msg_id, timestamp=int(raw_ts))
        raise WebhookVerificationError("no matching signature", status=401)

    def check_timestamp(self, timestamp: int, now: float) -> None:
        """Refuse a timestamp more than ``tolerance`` seconds before or after ``now``.

        Raises:
            WebhookVerificationError: 401 ``timestamp too old`` / ``timestamp too new``.
        """
        skew = now - timestamp
        if skew > self.tolerance:
            raise WebhookVerificationError(
                f"timestamp too old ({int(skew)} s, tolerance {int(self.tolerance)} s)"
            )
        if -skew > self.tolerance:
            raise WebhookVerificationError(
                f"timestamp too new ({int(-skew)} s ahead, tolerance {int(self.tolerance)} s)"
            )

    def verify(
        self, body: bytes, headers: HeadersLike, *, now: float | None = None
    ) -> VerifiedWebhook:
        """Read the headers, check the signature, then the timestamp."""
        verified = self.check_signature(body, read_headers(headers))
        self.check_timestamp(verified.timestamp, time.time() if now is None else now)
        return verified


def verify(
    body: bytes | str,
    headers: HeadersLike,
    secrets: SecretsLike,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> VerifiedWebhook:
    """Verify one delivery (Standard Webhooks): signature with any of ``secrets``, then timestamp.

    Args:
        body: the raw request body, exactly as received.
        headers: the request headers (any mapping or list of pairs; names are case-insensitive).
        secrets: one secret or several (during a rotation any of them may match).
        tolerance: seconds the timestamp may be off, either way.
        now: the current Unix time (default `time.time`), for tests.

    Raises:
        WebhookVerificationError: with ``status`` 400 (missing or malformed header) or 401 (no
            matching signature, timestamp too old or too new).
        ConfigurationError: a secret is empty or not valid ``whsec_`` base64.
    """
    return Verifier(secrets, tolerance=tolerance).verify(_as_bytes(body), headers, now=now)
