"""What the watcher needs from a queue: ``enqueue`` (async for `AsyncWatcher`, blocking for
`Watcher`, e.g. a `SyncQueue`)."""

from __future__ import annotations

from typing import Protocol

from ..queue import Enqueued
from ..queue._protocol import JobData

__all__ = ["AsyncEnqueuer", "Enqueuer"]


class AsyncEnqueuer(Protocol):
    """Any `Queue`."""

    async def enqueue(
        self, name: str, data: JobData, *, dedup_key: str | None = None, delay: float = 0
    ) -> Enqueued:
        """Add a job; a known ``dedup_key`` is not added twice."""
        ...


class Enqueuer(Protocol):
    """A blocking queue front, such as `SyncQueue`."""

    def enqueue(
        self, name: str, data: JobData, *, dedup_key: str | None = None, delay: float = 0
    ) -> Enqueued:
        """Add a job; a known ``dedup_key`` is not added twice."""
        ...
