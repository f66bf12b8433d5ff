"""The few helpers whose sync and async forms differ by nature (gathering, single-flight).

Async sources call ``async_gather`` / `AsyncSingleFlight`; ``scripts/gen_sync.py`` maps them to
``sync_gather`` / `SingleFlight` in the generated twins.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

__all__ = [
    "AsyncSingleFlight",
    "SingleFlight",
    "async_gather",
    "async_sleep",
    "sync_gather",
    "sync_sleep",
]

A = TypeVar("A")
B = TypeVar("B")
T = TypeVar("T")


async def async_sleep(seconds: float) -> None:
    """Wait ``seconds`` without blocking the event loop."""
    await asyncio.sleep(seconds)


def sync_sleep(seconds: float) -> None:
    """Wait ``seconds`` (sync code)."""
    time.sleep(seconds)


async def async_gather(
    first: Callable[[], Awaitable[A]], second: Callable[[], Awaitable[B]]
) -> tuple[A | BaseException, B | BaseException]:
    """Run both at once; each result is the value or the exception it raised."""
    a, b = await asyncio.gather(first(), second(), return_exceptions=True)
    return a, b


def sync_gather(
    first: Callable[[], A], second: Callable[[], B]
) -> tuple[A | BaseException, B | BaseException]:
    """Run one after the other (sync code); each result is the value or the exception."""
    results: list[Any] = []
    for thunk in (first, second):
        try:
            results.append(thunk())
        except Exception as exc:
            results.append(exc)
    return results[0], results[1]


class SingleFlight:
    """Concurrent calls for one key share one execution (threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[Hashable, _Call] = {}
        self.coalesced = 0

    def run(self, key: Hashable, fn: Callable[[], T]) -> T:
        """Run ``fn`` for ``key`` unless a call for ``key`` is under way; then wait for it."""
        with self._lock:
            call = self._calls.get(key)
            leader = call is None
            if call is None:
                call = self._calls[key] = _Call()
            else:
                self.coalesced += 1
        if not leader:
            call.done.wait()
            if call.error is not None:
                raise call.error
            return call.value  # type: ignore[no-any-return]
        try:
            call.value = fn()
        except BaseException as exc:
            call.error = exc
            raise
        finally:
            with self._lock:
                del self._calls[key]
            call.done.set()
        return call.value  # type: ignore[no-any-return]


class _Call:
    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class AsyncSingleFlight:
    """Concurrent calls for one key share one execution (tasks of one event loop)."""

    def __init__(self) -> None:
        self._calls: dict[Hashable, asyncio.Future[Any]] = {}
        self.coalesced = 0

    async def run(self, key: Hashable, fn: Callable[[], Awaitable[T]]) -> T:
        """Await ``fn()`` for ``key`` unless a call for ``key`` is under way; then share it."""
        existing = self._calls.get(key)
        if existing is not None:
            self.coalesced += 1
            return await asyncio.shield(existing)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._calls[key] = future
        try:
            value = await fn()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # the waiters get it; do not warn "never retrieved"
            raise
        else:
            future.set_result(value)
            return value
        finally:
            del self._calls[key]
