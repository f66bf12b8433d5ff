"""Languages of the unified reads: which locale a read is in, and a fallback that says so.

Content is asked of Payload with ``locale=all`` (every locale's value of each localized field,
one request) and resolved here: the asked locale's value, else the fallback locale's, noting
in ``fallbacks`` which fields came from the fallback. A localized field is recognised by its
answer: a non-empty object whose keys are all configured locales.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..errors import InvalidArgumentError

__all__ = ["LocaleConfig", "LocalizedDocs", "Resolved"]


@attrs.frozen
class Resolved:
    """A document in one locale: its fields and ``{field path: locale}`` of the fallbacks."""

    doc: dict[str, Any]
    fallbacks: dict[str, str]


def _codes(value: Sequence[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TypeError(f"locales must be a sequence of locale codes, not the str {value!r}")
    return tuple(str(v) for v in value)


@attrs.frozen
class LocaleConfig:
    """The CMS's locales, the client's default one and where missing translations come from.

    Attributes:
        locales: Payload's locale codes (``("en", "fr", "de")``); empty: reads take no locale.
        default: the locale of a read that names none (``None``: no locale, as before).
        fallback: where a missing translation comes from (default: ``default``).
    """

    locales: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    default: str | None = None
    fallback: str | None = None

    def __attrs_post_init__(self) -> None:
        for name, code in (("default_locale", self.default), ("fallback_locale", self.fallback)):
            if code is not None and code not in self.locales:
                raise InvalidArgumentError(
                    f"{name}={code!r} is not one of locales={list(self.locales)}"
                )

    def pick(self, locale: str | None) -> str | None:
        """The locale of one read: ``locale``, else the default; checked against ``locales``.

        Raises:
            InvalidArgumentError: a locale the CMS does not have (or no ``locales`` set).
        """
        chosen = self.default if locale is None else locale
        if chosen is not None and chosen not in self.locales:
            known = list(self.locales) or "none: pass locales=(...) to the client"
            raise InvalidArgumentError(f"unknown locale {chosen!r} (configured locales: {known})")
        return chosen

    @property
    def fallback_locale(self) -> str | None:
        """The locale missing translations come from."""
        return self.fallback or self.default

    def resolve(self, doc: Mapping[str, Any], locale: str) -> Resolved:
        """``doc`` as read with ``locale=all``, put into ``locale`` (see the module doc)."""
        fallbacks: dict[str, str] = {}
        out = self._walk(doc, locale, "", fallbacks)
        return Resolved(out, fallbacks)

    def _walk(self, value: Any, locale: str, path: str, fallbacks: dict[str, str]) -> Any:
        if isinstance(value, Mapping):
            if value and set(value) <= set(self.locales):
                return self._pick_value(value, locale, path, fallbacks)
            return {
                k: self._walk(v, locale, f"{path}.{k}" if path else str(k), fallbacks)
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self._walk(v, locale, f"{path}.{i}", fallbacks) for i, v in enumerate(value)]
        return value

    def _pick_value(
        self, values: Mapping[str, Any], locale: str, path: str, fallbacks: dict[str, str]
    ) -> Any:
        own = values.get(locale)
        fallback = self.fallback_locale
        if _missing(own) and fallback is not None and fallback != locale:
            other = values.get(fallback)
            if not _missing(other):
                fallbacks[path] = fallback
                return other
        return own


def _missing(value: Any) -> bool:
    # Payload falls back on null, and on "" for text fields.
    return value is None or value == ""


@attrs.frozen
class LocalizedDocs:
    """Content documents of one read and, per document id, the fields that fell back."""

    docs: list[Any]
    fallbacks: dict[str, dict[str, str]]

    def plus(self, other: LocalizedDocs) -> LocalizedDocs:
        """Both reads' documents."""
        return LocalizedDocs([*self.docs, *other.docs], {**self.fallbacks, **other.fallbacks})
