"""Localized fields of the fake Payload, as Payload 3 resolves them.

The document store keeps the default locale's values in the document itself and every other
locale's values of ``localized`` fields beside it (`Translations`). A read in a locale overlays
that locale's values, falling back as Payload does (``payload/dist/utilities/
sanitizeFallbackLocale.js`` and the ``afterRead`` field hook):

- ``fallback-locale`` absent: the config's default locale when ``fallback`` is on;
  ``none`` / ``false`` / ``null`` or an unknown locale: no fallback.
- a text or textarea falls back when empty or null; any other field only when null.
- an unknown ``locale`` reads the default locale (with ``fallback`` on); ``locale=all`` or ``*``
  answers ``{locale: value}`` per localized field, one entry per locale the document was
  written in (``null`` where that locale left the field empty).
- a locale the document was never written in, without a fallback value, leaves its localized
  fields out of the answer (one written in it answers ``null``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._payload_schema import FieldSpec

__all__ = ["ALL", "FakeLocalization", "ReadLocale", "Translations", "localized_paths"]

ALL = "all"
Path = tuple[str, ...]


@dataclass(frozen=True)
class FakeLocalization:
    """Payload's ``localization`` config (the live stack's: en, fr, de; fallback to en)."""

    locales: Sequence[str] = ("en", "fr", "de")
    default: str = "en"
    fallback: bool = True

    def read_locale(self, query: Mapping[str, Any]) -> ReadLocale:
        """The locale and fallback a request asks for (``locale``, ``fallback-locale``)."""
        raw = query.get("locale")
        locale = self.default if raw in (None, "") else str(raw)
        if locale in (ALL, "*"):
            locale = ALL
        elif locale not in self.locales and self.fallback:
            locale = self.default
        asked = query.get("fallback-locale", query.get("fallbackLocale"))
        fallback: str | None
        if asked in (None, ""):
            fallback = self.default if self.fallback else None
        elif str(asked) in self.locales:
            fallback = str(asked)
        else:  # "none", "false", "null" or an unknown locale
            fallback = None
        return ReadLocale(locale, fallback)

    def write_locale(self, query: Mapping[str, Any]) -> str:
        """The locale a write stores its localized values under."""
        locale = self.read_locale(query).locale
        return self.default if locale == ALL else locale


@dataclass(frozen=True)
class ReadLocale:
    """One request's locale (``"all"`` for every locale) and fallback (``None``: none)."""

    locale: str
    fallback: str | None


def localized_paths(
    fields: Sequence[FieldSpec], prefix: Path = ()
) -> Iterator[tuple[Path, FieldSpec]]:
    """Every localized field (top level or inside a group) with its path."""
    for field in fields:
        path = (*prefix, field.name)
        if field.localized:
            yield path, field
        elif field.type == "group":
            yield from localized_paths(field.fields, path)


def _get(doc: Mapping[str, Any], path: Path) -> Any:
    value: Any = doc
    for name in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(name)
    return value


def _set(doc: dict[str, Any], path: Path, value: Any) -> None:
    target = doc
    for name in path[:-1]:
        inner = target.get(name)
        if not isinstance(inner, dict):
            inner = {}
            target[name] = inner
        target = inner
    target[path[-1]] = value


def _drop(doc: dict[str, Any], path: Path) -> None:
    target: Any = doc
    for name in path[:-1]:
        target = target.get(name) if isinstance(target, dict) else None
    if isinstance(target, dict):
        target.pop(path[-1], None)


def _missing(field: FieldSpec, value: Any) -> bool:
    return value is None or (value == "" and field.type in ("text", "textarea"))


class Translations:
    """The non-default locales' values of one collection: ``(doc id, locale) -> {path: value}``."""

    def __init__(self, fields: Sequence[FieldSpec], config: FakeLocalization) -> None:
        self.paths = list(localized_paths(fields))
        self.config = config
        self._values: dict[tuple[int, str], dict[Path, Any]] = {}

    def value(self, doc: Mapping[str, Any], path: Path, locale: str) -> Any:
        """The stored value of ``path`` in ``locale`` (``None`` when never written)."""
        if locale == self.config.default:
            return _get(doc, path)
        return self._values.get((doc["id"], locale), {}).get(path)

    def view(self, doc: Mapping[str, Any], read: ReadLocale) -> dict[str, Any]:
        """The document as a read in one locale sees it (``locale=all``: locale maps)."""
        out = copy.deepcopy(dict(doc))
        for path, field in self.paths:
            if read.locale == ALL:
                # One entry per locale the document was written in (null where that write
                # left the field empty), as Payload's locales table answers.
                written = self._written(doc["id"])
                _set(out, path, {loc: self.value(doc, path, loc) for loc in written})
                continue
            value = self.value(doc, path, read.locale)
            if _missing(field, value) and read.fallback and read.fallback != read.locale:
                fallback = self.value(doc, path, read.fallback)
                if fallback:
                    value = fallback
            if value is None and read.locale not in self._written(doc["id"]):
                _drop(out, path)  # no row for this locale: Payload leaves the field out
            else:
                _set(out, path, copy.deepcopy(value))
        return out

    def _written(self, doc_id: int) -> list[str]:
        return [
            loc
            for loc in self.config.locales
            if loc == self.config.default or (doc_id, loc) in self._values
        ]

    def split(self, doc: dict[str, Any], locale: str) -> dict[str, Any]:
        """Store a written view of ``locale``: its localized values go to this table and the
        document keeps the default locale's (returns the document to store)."""
        if locale == self.config.default:
            return doc
        stored = self._values.setdefault((doc["id"], locale), {})
        for path, _field in self.paths:
            stored[path] = _get(doc, path)
        return doc

    def restore(self, written: dict[str, Any], original: Mapping[str, Any] | None) -> None:
        """Put the default locale's localized values (from ``original``) back into a
        document written in another locale."""
        for path, _field in self.paths:
            _set(written, path, copy.deepcopy(_get(original, path)) if original else None)

    def drop(self, doc_id: int) -> None:
        """Forget a deleted document's translations."""
        for key in [k for k in self._values if k[0] == doc_id]:
            del self._values[key]
