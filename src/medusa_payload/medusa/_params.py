"""Sans-I/O helpers that turn typed keyword arguments into Medusa query strings and bodies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .._core._http import RequestOptions

__all__ = [
    "LOCALE_HEADER",
    "compact",
    "join_fields",
    "merged_metadata",
    "metadata_patch",
    "query",
    "with_locale",
]

#: The header Medusa 2.21 reads a request's locale from (``?locale=`` wins over it); the
#: translation module (feature flag ``MEDUSA_FF_TRANSLATION``) localizes products by it.
LOCALE_HEADER = "x-medusa-locale"

StrOrList = str | Sequence[str] | None


def join_fields(fields: StrOrList) -> str | None:
    """Medusa ``fields``: a string as is, a sequence joined with commas."""
    if fields is None or isinstance(fields, str):
        return fields
    return ",".join(fields)


def with_locale(options: RequestOptions, locale: str | None) -> RequestOptions:
    """The call's `RequestOptions` with ``x-medusa-locale: <locale>`` added (as is, without
    a locale).

    Raises:
        TypeError: ``locale`` is not a non-empty string.
    """
    if locale is None:
        return options
    if not isinstance(locale, str) or not locale.strip():
        raise TypeError(f"locale must be a non-empty str like 'fr-FR', got {locale!r}")
    headers = {**(options.get("extra_headers") or {}), LOCALE_HEADER: locale}
    return {**options, "extra_headers": headers}


def query(
    *,
    fields: StrOrList = None,
    lists: Mapping[str, StrOrList] | None = None,
    **params: Any,
) -> dict[str, Any]:
    """The query mapping of a Medusa call.

    ``None``s are dropped; ``fields`` is joined with commas; every filter in ``lists`` is sent
    as an array even when one value is given (``status[0]=draft``): some Medusa filters accept
    only arrays, and all of them accept one.
    """
    out: dict[str, Any] = {k: v for k, v in params.items() if v is not None}
    for key, value in (lists or {}).items():
        if value is not None:
            out[key] = [value] if isinstance(value, str) else list(value)
    joined = join_fields(fields)
    if joined:
        out["fields"] = joined
    return out


def compact(**fields: Any) -> dict[str, Any]:
    """A request body of the fields that are not ``None`` (left out: Medusa keeps them)."""
    return {k: v for k, v in fields.items() if v is not None}


def metadata_patch(metadata: Mapping[str, Any], delete: Iterable[str] = ()) -> dict[str, Any]:
    """The ``metadata`` body Medusa merges into a record.

    Medusa merges the keys sent into the stored metadata (top level only: a nested object is
    replaced whole) and deletes a key sent with the value ``""``. Keys in ``delete`` are sent
    as ``""``.
    """
    patch = dict(metadata)
    for key in delete:
        if key in patch:
            raise ValueError(f"metadata key {key!r} is both set and deleted")
        patch[key] = ""
    return {"metadata": patch}


def merged_metadata(
    current: Mapping[str, Any] | None, metadata: Mapping[str, Any], delete: Iterable[str] = ()
) -> dict[str, Any]:
    """What Medusa's merge would store: ``current`` updated with ``metadata``, ``delete`` gone.

    For records whose module *replaces* metadata on update (the store), the client computes
    this and sends it whole, so every ``update_metadata`` behaves the same.
    """
    patch = metadata_patch(metadata, delete)["metadata"]
    merged = dict(current or {})
    for key, value in patch.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
