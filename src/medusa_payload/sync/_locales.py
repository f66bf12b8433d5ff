"""Localized content -> Medusa, per locale (pure).

Medusa 2.21 has a translation module, but behind the ``translation`` feature flag
(``MEDUSA_FF_TRANSLATION``, off by default) and with its own admin routes; a stock server
has neither. So each non-default locale's own translations go to one product metadata key,
``payload_content_<locale>`` (``{"title": ..., "seo": {"title": ...}}``): one locale's edit
changes one key, a second run writes nothing, and any 2.21 server stores it. The default
locale's content stays where it was (``seo``, ``features``, ``specs``); a storefront reading
metadata falls back to it for what a locale does not translate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["LOCALE_KEY_PREFIX", "is_locale_key", "locale_key", "localized_entries"]

LOCALE_KEY_PREFIX = "payload_content_"
"""Product metadata keys ``payload_content_<locale>`` hold one locale's translations."""


_NOT_LOCALES = frozenset({"payload_content_id", "payload_content_hash"})


def locale_key(locale: str) -> str:
    """The metadata key of one locale's translations."""
    return f"{LOCALE_KEY_PREFIX}{locale}"


def is_locale_key(key: str) -> bool:
    """Whether a metadata key is one of ours (a locale's translations)."""
    return key.startswith(LOCALE_KEY_PREFIX) and key not in _NOT_LOCALES


def localized_entries(
    doc_all: Mapping[str, Any], locales: Sequence[str], default: str
) -> dict[str, dict[str, Any]]:
    """``{payload_content_<locale>: translations}`` of a doc read with ``locale=all``.

    A localized field is a non-empty object whose keys are all locales; a locale's entry holds
    its own non-empty values of those fields (no fallback), nested as in the doc. The default
    locale and locales without any translation get no entry.
    """
    out: dict[str, dict[str, Any]] = {}
    for locale in locales:
        if locale == default:
            continue
        entry = _own_values(doc_all, locale, set(locales))
        if entry:
            out[locale_key(locale)] = entry
    return out


def _own_values(value: Mapping[str, Any], locale: str, locales: set[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, inner in value.items():
        if not isinstance(inner, Mapping) or not inner:
            continue
        if set(inner) <= locales:
            own = inner.get(locale)
            if own not in (None, ""):
                found[name] = own
        else:
            nested = _own_values(inner, locale, locales)
            if nested:
                found[name] = nested
    return found
