"""The invalidation bus: its protocol, its wire format and `InMemoryBus` (one process).

A bus carries `Invalidation` messages from publishers (the webhook receiver) to subscribers
(every `UnifiedClient` replica). It knows neither the caches nor the webhooks. A subscription
that may have missed a message (it fell behind, entries were trimmed, a malformed entry was
skipped) yields ``Invalidation.all(reason)`` instead: the replica drops everything rather than
serve what it may have missed.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Generic, Protocol, TypeVar

from ..errors import MedusaPayloadError
from ._changes import Invalidation

__all__ = [
    "DEFAULT_BACKLOG",
    "Bus",
    "BusMessageError",
    "InMemoryBus",
    "PerLoop",
    "Publisher",
    "Subscription",
    "decode_message",
    "encode_message",
]

logger = logging.getLogger("medusa_payload.unified.bus")

WIRE_VERSION = "1"
MAX_FIELD_LENGTH = 1024
_TEXT_FIELDS = ("product", "handle", "page", "store", "reason")
DEFAULT_BACKLOG = 10_000
"""Messages a subscriber of `InMemoryBus` may fall behind by before it drops everything."""


class BusMessageError(MedusaPayloadError, ValueError):
    """An entry on the bus is not an invalidation message of this version (foreign, truncated,
    not UTF-8): the subscriber logs it, skips it and drops everything."""


class Subscription(Protocol):
    """One subscriber's position on a bus."""

    async def next(self) -> Invalidation:
        """The next message (waits for one); ``Invalidation.all(...)`` after a gap.

        Raises:
            Exception: the connection was lost (the listener drops everything and
                subscribes again).
        """

    async def aclose(self) -> None:
        """Stop reading and release the connection."""


class Publisher(Protocol):
    """Takes `Invalidation` messages (a `Bus`, an `HttpRevalidator`): what the webhook
    receiver's ``bus=`` needs."""

    async def publish(self, change: Invalidation) -> None:
        """Send ``change`` on."""


class Bus(Publisher, Protocol):
    """Carries `Invalidation` messages to every subscriber (`InMemoryBus`, `RedisBus`)."""

    async def subscribe(self) -> Subscription:
        """A subscription reading from now on."""


def encode_message(change: Invalidation) -> dict[str, str]:
    """The wire form of a message: flat text fields (a Redis stream entry)."""
    fields = {"v": WIRE_VERSION}
    for name in _TEXT_FIELDS:
        value = getattr(change, name)
        if value:
            fields[name] = value[:MAX_FIELD_LENGTH]
    if change.resources:
        fields["resources"] = ",".join(change.resources)
    if change.everything:
        fields["everything"] = "1"
    return fields


def _text(value: str | bytes) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise BusMessageError("not UTF-8") from None
    return value


def decode_message(raw: Mapping[str | bytes, str | bytes]) -> Invalidation:
    """A message from its wire form.

    Raises:
        BusMessageError: not a message of this version: an unknown field (it may say what
            changed in a way this version cannot read), a missing version, a field too long.
    """
    fields = {_text(k): _text(v) for k, v in raw.items()}
    if fields.pop("v", None) != WIRE_VERSION:
        raise BusMessageError(f"not an invalidation message v{WIRE_VERSION}")
    unknown = set(fields) - {*_TEXT_FIELDS, "resources", "everything"}
    if unknown:
        raise BusMessageError(f"unknown fields {sorted(unknown)}")
    if any(len(v) > MAX_FIELD_LENGTH for v in fields.values()):
        raise BusMessageError(f"a field is longer than {MAX_FIELD_LENGTH} characters")
    if fields.get("everything", "1") != "1":
        raise BusMessageError("everything must be '1' when present")
    try:
        change = Invalidation(
            product=fields.get("product"),
            handle=fields.get("handle"),
            page=fields.get("page"),
            store=fields.get("store"),
            resources=tuple(r for r in fields.get("resources", "").split(",") if r),
            everything="everything" in fields,
            reason=fields.get("reason", ""),
        )
    except ValueError as exc:
        raise BusMessageError(str(exc)) from None
    if change.empty:
        raise BusMessageError("names no change")
    return change


class _Closable(Protocol):
    async def aclose(self) -> None: ...


C = TypeVar("C", bound=_Closable)


class PerLoop(Generic[C]):
    """One client per event loop (connections are bound to the loop that opened them);
    `aclose` / `close` close each on its own loop while that loop runs."""

    def __init__(self, factory: Callable[[], C]) -> None:
        self._factory = factory
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, C] = (
            weakref.WeakKeyDictionary()
        )

    def get(self) -> C:
        """The running loop's client (made on first use)."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = self._clients[loop] = self._factory()
        return client

    def _take_all(self) -> list[tuple[asyncio.AbstractEventLoop, C]]:
        taken = list(self._clients.items())
        self._clients.clear()
        return taken

    async def aclose(self, timeout: float) -> None:
        """Close every client: the running loop's here, others' on their loops (each
        within ``timeout``); clients of loops that stopped are dropped."""
        here = asyncio.get_running_loop()
        for loop, client in self._take_all():
            if loop is here:
                await client.aclose()
            elif loop.is_running():
                future = asyncio.run_coroutine_threadsafe(client.aclose(), loop)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.wrap_future(future), timeout)

    def close(self, timeout: float) -> None:
        """`aclose` from sync code (a thread running no event loop)."""
        for loop, client in self._take_all():
            if loop.is_running():
                future = asyncio.run_coroutine_threadsafe(client.aclose(), loop)
                with contextlib.suppress(Exception):
                    future.result(timeout)


class _MemorySubscription:
    """A subscriber's queue; the publisher may run on another thread or event loop."""

    def __init__(self, bus: InMemoryBus, backlog: int) -> None:
        self._bus = bus
        self._backlog = backlog
        self._loop = asyncio.get_running_loop()
        self._items: collections.deque[Invalidation] = collections.deque()
        self._lock = threading.Lock()
        self._wakeup = asyncio.Event()
        self._overflowed = False

    def deliver(self, change: Invalidation) -> None:
        with self._lock:
            if len(self._items) >= self._backlog:
                self._items.clear()
                self._overflowed = True
            else:
                self._items.append(change)
        try:
            self._loop.call_soon_threadsafe(self._wakeup.set)
        except RuntimeError:  # the subscriber's loop is closed: it is gone
            self._bus._forget(self)

    async def next(self) -> Invalidation:
        while True:
            with self._lock:
                if self._overflowed:
                    self._overflowed = False
                    return Invalidation.all("gap: subscriber fell behind")
                if self._items:
                    return self._items.popleft()
                self._wakeup.clear()
            await self._wakeup.wait()

    async def aclose(self) -> None:
        self._bus._forget(self)


class InMemoryBus:
    """A bus inside one process: every `UnifiedClient` created with ``bus=`` gets every
    message published here (from any thread or event loop).

    Args:
        backlog: messages a subscriber may fall behind by; past it, its queue is cleared and
            it drops everything (a gap), so memory stays bounded.
    """

    def __init__(self, *, backlog: int = DEFAULT_BACKLOG) -> None:
        self.backlog = backlog
        self._subscribers: list[_MemorySubscription] = []
        self._lock = threading.Lock()

    async def publish(self, change: Invalidation) -> None:
        """Send ``change`` to every current subscriber (never waits)."""
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber.deliver(change)

    async def subscribe(self) -> Subscription:
        """A subscription that gets every message published from now on."""
        subscription = _MemorySubscription(self, self.backlog)
        with self._lock:
            self._subscribers.append(subscription)
        return subscription

    @property
    def subscribers(self) -> int:
        """How many subscriptions are open."""
        with self._lock:
            return len(self._subscribers)

    def _forget(self, subscription: _MemorySubscription) -> None:
        with self._lock:
            if subscription in self._subscribers:
                self._subscribers.remove(subscription)
