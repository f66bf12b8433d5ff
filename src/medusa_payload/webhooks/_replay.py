"""Replay protection: a store of the ``webhook-id`` values already received.

The receiver claims ``"{source}:{webhook-id}"`` once the signature and timestamp verified, for
``2 * tolerance`` seconds: a delivery is accepted only while its signed timestamp is within
``tolerance`` of now, so an id kept that long outlives every copy that could still verify. A
claim is released again when the delivery ends without a 2xx (bad body, queue down), so the
sender's retry is processed rather than reported as a duplicate.

`InMemoryReplayStore` serves one process; `RedisReplayStore` (``pip install
'medusa-payload[redis]'``) shares the ids between every receiver process on one Redis.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from medusa_payload.errors import ConfigurationError

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["InMemoryReplayStore", "RedisReplayStore", "ReplayStore"]

DEFAULT_REDIS_PREFIX = "medusa_payload:webhooks:seen:"


@runtime_checkable
class ReplayStore(Protocol):
    """Where seen webhook ids are remembered."""

    async def claim(self, key: str, ttl: float) -> bool:
        """Mark ``key`` as seen for ``ttl`` seconds; ``False`` when it was already seen."""
        ...

    async def release(self, key: str) -> None:
        """Forget ``key`` (its delivery was not accepted, so a retry must go through)."""
        ...


class InMemoryReplayStore:
    """Seen ids in a dict, expired lazily; bounded by ``max_entries`` (oldest dropped first).

    Atomic within one event loop (no ``await`` between the check and the mark).
    """

    def __init__(
        self, *, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """``clock`` is injectable so tests can move time."""
        if max_entries < 1:
            raise ConfigurationError("max_entries must be >= 1")
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._max = max_entries
        self._clock = clock

    def __len__(self) -> int:
        return len(self._expiry)

    def _purge(self, now: float) -> None:
        while self._expiry:
            key, expires = next(iter(self._expiry.items()))
            if expires > now and len(self._expiry) < self._max:
                return
            del self._expiry[key]

    async def claim(self, key: str, ttl: float) -> bool:
        """Mark ``key`` as seen for ``ttl`` seconds; ``False`` when it was already seen."""
        now = self._clock()
        expires = self._expiry.get(key)
        if expires is not None and expires > now:
            return False
        self._expiry.pop(key, None)
        self._purge(now)
        self._expiry[key] = now + ttl
        return True

    async def release(self, key: str) -> None:
        """Forget ``key``."""
        self._expiry.pop(key, None)


class RedisReplayStore:
    """Seen ids as Redis keys ``{prefix}{key}`` set with ``SET NX PX`` (atomic across processes).

    Takes a ``redis.asyncio.Redis`` client (not closed by the store) or use `from_url` (the
    store then owns and closes its client).
    """

    def __init__(self, redis: Redis | Any, *, prefix: str = DEFAULT_REDIS_PREFIX) -> None:
        """Use ``redis`` (a ``redis.asyncio.Redis``) with keys under ``prefix``."""
        self._redis = redis
        self.prefix = prefix
        self._owned = False

    @classmethod
    def from_url(cls, url: str, *, prefix: str = DEFAULT_REDIS_PREFIX) -> RedisReplayStore:
        """A store with its own client for ``url`` (needs the ``redis`` extra)."""
        try:
            from redis.asyncio import Redis
        except ImportError:  # pragma: no cover - depends on the environment
            raise ConfigurationError(
                "RedisReplayStore needs the redis extra: pip install 'medusa-payload[redis]'"
            ) from None
        store = cls(Redis.from_url(url), prefix=prefix)
        store._owned = True
        return store

    async def claim(self, key: str, ttl: float) -> bool:
        """``SET {prefix}{key} 1 NX PX ttl``: ``False`` when the key already existed."""
        done = await self._redis.set(self.prefix + key, b"1", nx=True, px=max(1, int(ttl * 1000)))
        return bool(done)

    async def release(self, key: str) -> None:
        """``DEL {prefix}{key}``."""
        await self._redis.delete(self.prefix + key)

    async def aclose(self) -> None:
        """Close the client when the store created it (`from_url`)."""
        if self._owned:
            await self._redis.aclose()
