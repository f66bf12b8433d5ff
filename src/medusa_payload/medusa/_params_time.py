"""Time filters of Medusa list calls (``updated_at[$gt]=...``)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

__all__ = ["Instant", "iso_instant", "updated_filter"]

Instant = datetime | str | None
"""A moment: an aware `datetime` (a naive one is taken as UTC) or an ISO-8601 string."""


def iso_instant(value: datetime | str) -> str:
    """ISO-8601 with milliseconds and ``Z``, as Medusa writes its own timestamps."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    utc = value.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def updated_filter(updated_after: Instant) -> dict[str, Any]:
    """``{"updated_at": {"$gt": ...}}`` (empty for ``None``): records changed after a moment."""
    if updated_after is None:
        return {}
    return {"updated_at": {"$gt": iso_instant(updated_after)}}
