"""Medusa's error body: ``{"type": "not_found", "code": ..., "message": "Product not found"}``."""

from __future__ import annotations

from collections.abc import Mapping

from .._core._http import NO_ERROR_FIELDS, ErrorFields

__all__ = ["medusa_error_fields"]


def _text(body: Mapping[object, object], key: str) -> str | None:
    value = body.get(key)
    return value if isinstance(value, str) else None


def medusa_error_fields(body: object) -> ErrorFields:
    """The ``message``, ``type`` and ``code`` of a Medusa error body (any of them may be absent)."""
    if not isinstance(body, Mapping):
        return NO_ERROR_FIELDS
    return ErrorFields(
        message=_text(body, "message"), type=_text(body, "type"), code=_text(body, "code")
    )
