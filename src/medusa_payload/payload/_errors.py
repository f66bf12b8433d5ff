"""Payload's error body: ``errors[]``, each maybe with ``data.errors`` of invalid fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._core._http import NO_ERROR_FIELDS, ErrorFields
from ..errors import FieldError

__all__ = ["payload_error_fields"]


def _field_errors(errors: list[Mapping[str, Any]]) -> list[FieldError]:
    fields: list[FieldError] = []
    for entry in errors:
        data = entry.get("data")
        nested = data.get("errors") if isinstance(data, Mapping) else None
        for item in nested if isinstance(nested, list) else []:
            if isinstance(item, Mapping):
                fields.append(
                    FieldError(path=str(item.get("path", "")), message=str(item.get("message", "")))
                )
    return fields


def payload_error_fields(body: object) -> ErrorFields:
    """The ``errors[]`` of a Payload error body, their messages joined, and the invalid fields.

    A body without ``errors[]`` (an unknown route answers ``{"message": ...}``) gives its
    ``message``.
    """
    if not isinstance(body, Mapping):
        return NO_ERROR_FIELDS
    raw = body.get("errors")
    errors = [e for e in raw if isinstance(e, Mapping)] if isinstance(raw, list) else []
    if errors:
        joined = "; ".join(str(e["message"]) for e in errors if e.get("message"))
        return ErrorFields(
            message=joined or None, errors=errors, field_errors=_field_errors(errors)
        )
    message = body.get("message")
    return ErrorFields(message=message if isinstance(message, str) else None)
