"""The version history of the fake Payload: one entry per save of a versioned collection or
global, listed like ``/api/<collection>/versions`` and restorable."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from ._common import MonotonicClock
from ._payload_schema import CollectionSpec, FieldSpec

__all__ = ["VersionLog", "versions_spec"]

#: What a version keeps besides the fields: the document's own id and timestamps.
_KEPT = ("_status", "createdAt", "updatedAt")


def versions_spec(slug: str, fields: Sequence[FieldSpec]) -> CollectionSpec:
    """A spec for querying versions: ``parent``, ``latest``, ``autosave`` and ``version.*``."""
    return CollectionSpec(
        f"_{slug}_versions",
        [
            FieldSpec("parent", "number"),
            FieldSpec("version", "group", fields=tuple(fields)),
            FieldSpec("latest", "checkbox"),
        ],
        "Version",
        "Versions",
    )


class VersionLog:
    """Every saved version of one collection's documents (or of one global: ``parent`` None)."""

    def __init__(self, clock: MonotonicClock, *, localized_drafts: bool = False) -> None:
        self._clock = clock
        # Payload with localization on gives a drafts collection's versions two more fields.
        self._localized_drafts = localized_drafts
        self._entries: dict[int, dict[str, Any]] = {}
        self._next_id = 1

    def record(self, parent: int | None, state: Mapping[str, Any]) -> dict[str, Any]:
        """Save ``state`` as the newest version of ``parent``; returns the entry."""
        for older in self._entries.values():
            if parent is not None and older.get("parent") == parent:
                older["latest"] = False
        now = self._clock.now()
        version = {k: copy.deepcopy(v) for k, v in state.items() if k != "id"}
        entry: dict[str, Any] = {"id": self._next_id, "version": version}
        if parent is not None:  # a global's versions have neither parent nor latest
            entry["parent"] = parent
        entry.update({"createdAt": now, "updatedAt": now})
        if self._localized_drafts:
            entry.update({"snapshot": None, "publishedLocale": None})
        if parent is not None:
            entry["latest"] = True
        self._entries[self._next_id] = entry
        self._next_id += 1
        return entry

    def get(self, version_id: Any) -> dict[str, Any] | None:
        """One entry by id (``None`` for an unknown or malformed id)."""
        try:
            return self._entries.get(int(version_id))
        except (TypeError, ValueError):
            return None

    def latest(self, parent: int | None) -> dict[str, Any] | None:
        """The newest entry of ``parent``."""
        return next(
            (e for e in self._entries.values() if e.get("parent") == parent and e.get("latest")),
            None,
        )

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, oldest first."""
        return list(self._entries.values())

    def drop(self, parent: int) -> None:
        """Forget a deleted document's versions (Payload deletes them with it)."""
        self._entries = {k: e for k, e in self._entries.items() if e.get("parent") != parent}

    @staticmethod
    def state(entry: Mapping[str, Any]) -> dict[str, Any]:
        """The document fields a version holds (without its timestamps)."""
        return {k: copy.deepcopy(v) for k, v in entry["version"].items() if k not in _KEPT[1:]}
