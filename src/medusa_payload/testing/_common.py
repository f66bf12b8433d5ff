"""Small helpers shared by the fakes: clocks, ids, ISO timestamps."""

from __future__ import annotations

import secrets
import threading
import time
from datetime import datetime, timezone

__all__ = ["MonotonicClock", "object_id", "ulid"]

_ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid() -> str:
    """A 26-character ULID-like id (time-ordered), as Medusa uses after its prefixes."""
    millis = int(time.time() * 1000)
    chars = []
    for _ in range(10):
        chars.append(_ULID_ALPHABET[millis % 32])
        millis //= 32
    head = "".join(reversed(chars))
    tail = "".join(secrets.choice(_ULID_ALPHABET) for _ in range(16))
    return head + tail


def object_id() -> str:
    """A 24-hex id, as Payload gives array rows."""
    return secrets.token_hex(12)


class MonotonicClock:
    """ISO-8601 millisecond timestamps that strictly increase, so sorting by time is stable."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()

    def now(self) -> str:
        """The next timestamp (``2026-11-23T22:57:29.397Z``)."""
        with self._lock:
            millis = max(int(time.time() * 1000), self._last + 1)
            self._last = millis
        moment = datetime.fromtimestamp(millis / 1000, tz=timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"
