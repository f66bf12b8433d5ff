"""The watcher's memory: per stream, the newest ``updated_at`` handled and which records at
exactly that moment were handled, so no change is enqueued twice and none is skipped.

Kept in a JSON file (`FileWatchState`) so it survives restarts, or in memory.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

import attrs

__all__ = ["FileWatchState", "MemoryWatchState", "StreamMark", "WatchState", "WatchStateStore"]


@attrs.frozen
class StreamMark:
    """Where one stream (products, variants, levels) stands.

    Attributes:
        mark: the newest ``updated_at`` handled (ISO-8601 as Medusa writes it), ``None``
            before the first poll.
        at_mark: ids of the records handled whose ``updated_at`` is exactly ``mark`` (a later
            record of the same millisecond is still new).
    """

    mark: str | None = None
    at_mark: frozenset[str] = frozenset()

    def is_new(self, record_id: str, updated_at: str) -> bool:
        """Whether this change was not handled yet."""
        if self.mark is None or updated_at > self.mark:
            return True
        return updated_at == self.mark and record_id not in self.at_mark

    def advance(self, record_id: str, updated_at: str) -> StreamMark:
        """The mark after handling one change."""
        if self.mark is None or updated_at > self.mark:
            return StreamMark(updated_at, frozenset({record_id}))
        if updated_at == self.mark:
            return StreamMark(self.mark, self.at_mark | {record_id})
        return self


@attrs.frozen
class WatchState:
    """The marks of every stream (``products``, ``variants``, ``levels``)."""

    streams: dict[str, StreamMark] = attrs.field(factory=dict)

    def get(self, stream: str) -> StreamMark:
        """A stream's mark (an empty one when never polled)."""
        return self.streams.get(stream, StreamMark())

    def with_mark(self, stream: str, mark: StreamMark) -> WatchState:
        """A copy with one stream's mark replaced."""
        return WatchState({**self.streams, stream: mark})

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            name: {"mark": m.mark, "at_mark": sorted(m.at_mark)}
            for name, m in sorted(self.streams.items())
        }

    @classmethod
    def from_json(cls, data: Any) -> WatchState:
        """Read `to_json` output back; anything unreadable is a `ValueError`."""
        if not isinstance(data, dict):
            raise ValueError("watch state must be a JSON object")
        streams = {}
        for name, entry in data.items():
            if not isinstance(entry, dict) or not isinstance(entry.get("at_mark", []), list):
                raise ValueError(f"watch state of {name!r} is malformed")
            mark = entry.get("mark")
            if mark is not None and not isinstance(mark, str):
                raise ValueError(f"watch state of {name!r} has a non-string mark")
            streams[str(name)] = StreamMark(mark, frozenset(map(str, entry.get("at_mark", []))))
        return cls(streams)


class WatchStateStore(Protocol):
    """Where the watcher keeps its `WatchState` between polls and restarts."""

    def load(self) -> WatchState:
        """The saved state (an empty one at first)."""
        ...

    def save(self, state: WatchState) -> None:
        """Keep ``state``."""
        ...


class MemoryWatchState:
    """A `WatchStateStore` in memory (lost on restart: the first poll then sets a baseline)."""

    def __init__(self) -> None:
        self.state = WatchState()

    def load(self) -> WatchState:
        """The state kept so far."""
        return self.state

    def save(self, state: WatchState) -> None:
        """Keep ``state``."""
        self.state = state


class FileWatchState:
    """A `WatchStateStore` in a JSON file, replaced atomically (a crash never leaves half a
    file). A missing file is an empty state.

    Raises (on `load`):
        ValueError: the file exists but is not a watch state (it is left as it is).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def load(self) -> WatchState:
        """The state in the file, or an empty one when there is no file."""
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return WatchState()
        try:
            return WatchState.from_json(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{self.path} is not JSON: {exc}") from None

    def save(self, state: WatchState) -> None:
        """Write ``state`` to a temporary file beside the target, then rename it over."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as out:
                json.dump(state.to_json(), out)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
