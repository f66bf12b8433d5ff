"""Per-resource TTL caches with stale-if-error, negative caching and stats (no I/O).

Remembered 404s live apart from the values, in their own smaller cache, as a `NotFoundMarker`
of a few hundred bytes (not the exception and its traceback): a burst of unknown handles never
pushes real products out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import attrs
import cachetools
import httpx

from ..errors import NotFoundError
from ..observability import _instruments
from ._keys import CacheKey

__all__ = ["CacheConfig", "CacheStats", "NotFoundMarker", "ResourceCache"]


@attrs.frozen
class CacheConfig:
    """TTLs per resource (seconds) and the degradation rules.

    Attributes:
        products: ``get_product`` and ``list_products`` answers (60 s).
        collections / categories: 300 s. regions: 3600 s.
        pages / branding: 300 s (editors expect a published page within minutes; webhooks
            invalidate sooner).
        max_stale: after expiry, an entry may still be served this long when the upstream
            fails (stale-if-error). 0 disables it.
        negative_ttl: how long a 404 is remembered (5 s).
        negative_maxsize: remembered 404s per resource (1,000), kept apart from ``maxsize``
            so they never push real entries out.
        degraded_ttl: how long a product served without content (CMS unavailable) is cached,
            so content comes back quickly once the CMS recovers (5 s).
        maxsize: entries per resource.
        enabled: ``False`` turns caching off (every call goes upstream).
    """

    products: float = 60.0
    collections: float = 300.0
    categories: float = 300.0
    regions: float = 3600.0
    pages: float = 300.0
    branding: float = 300.0
    max_stale: float = 3600.0
    negative_ttl: float = 5.0
    negative_maxsize: int = 1_000
    degraded_ttl: float = 5.0
    maxsize: int = 10_000
    enabled: bool = True

    def ttl(self, resource: str) -> float:
        """The TTL of a resource kind."""
        return float(getattr(self, resource))


@attrs.define
class CacheStats:
    """Counters of one resource cache.

    ``misses`` counts the fetches from Medusa/Payload. With a shared cache
    (`RedisSharedCache`), the ``shared_*`` counters say what it did for this resource:
    ``shared_hits`` (answered from Redis, no fetch), ``shared_misses`` (no valid entry there),
    ``shared_errors`` (a Redis call failed or timed out), ``shared_skipped`` (Redis not asked,
    within ``retry_after`` of a failure), ``shared_corrupt`` (an entry that did not decode,
    deleted), ``shared_refused`` (a write refused: a change touched the entry after its
    fetch began) and ``shared_oversized`` (a value over ``max_value_bytes``: kept in this
    process only).
    """

    hits: int = 0
    misses: int = 0
    stale_served: int = 0
    coalesced: int = 0
    negative_hits: int = 0
    upstream_errors: int = 0
    size: int = 0
    shared_hits: int = 0
    shared_misses: int = 0
    shared_errors: int = 0
    shared_skipped: int = 0
    shared_corrupt: int = 0
    shared_refused: int = 0
    shared_oversized: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counters as a dict."""
        return attrs.asdict(self)


_SHARED_FIELDS = {
    "hit": "shared_hits",
    "miss": "shared_misses",
    "error": "shared_errors",
    "skipped": "shared_skipped",
    "corrupt": "shared_corrupt",
    "refused": "shared_refused",
    "oversized": "shared_oversized",
}


@attrs.frozen
class NotFoundMarker:
    """A remembered 404: the few fields that rebuild a `NotFoundError` (no response body,
    no traceback)."""

    service: Any
    message: str
    method: str
    url: str
    request_id: str | None
    type: str | None
    code: str | None

    @classmethod
    def of(cls, error: NotFoundError) -> NotFoundMarker:
        """The marker of a 404."""
        request = error.response.request
        return cls(
            error.service,
            error.message,
            request.method,
            str(request.url.copy_with(query=None)),
            error.request_id,
            error.type,
            error.code,
        )

    def error(self) -> NotFoundError:
        """A new `NotFoundError` like the remembered one (safe to raise from many threads)."""
        request = httpx.Request(self.method, self.url)
        body = {"type": self.type or "not_found", "message": self.message}
        response = httpx.Response(404, request=request, json=body)
        return NotFoundError(
            self.message,
            service=self.service,
            response=response,
            body=body,
            request_id=self.request_id,
            type=self.type,
            code=self.code,
        )


@attrs.frozen
class _Entry:
    value: Any
    fresh_until: float
    error: NotFoundMarker | None = None


class ResourceCache:
    """One resource's cache: fresh entries, stale ones kept ``max_stale`` longer, 404s.

    ``generation`` grows with every drop: a value fetched before a drop is not stored (it may
    predate the change the drop was for).
    """

    def __init__(self, name: str, config: CacheConfig, clock: Callable[[], float]) -> None:
        self.name = name
        self.ttl = config.ttl(name)
        self.config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._data: cachetools.TTLCache[CacheKey, _Entry] = cachetools.TTLCache(
            maxsize=config.maxsize, ttl=self.ttl + config.max_stale, timer=clock
        )
        self._missing: cachetools.TTLCache[CacheKey, _Entry] = cachetools.TTLCache(
            maxsize=max(config.negative_maxsize, 1), ttl=max(config.negative_ttl, 1e-9), timer=clock
        )
        self.generation = 0
        self.stats = CacheStats()

    def fresh(self, key: CacheKey) -> _Entry | None:
        """A fresh entry (counted as a hit), or ``None`` (not counted: see `miss`)."""
        with self._lock:
            entry = self._data.get(key) or self._missing.get(key)
        if entry is not None and entry.fresh_until > self._clock():
            if entry.error is not None:
                self.stats.negative_hits += 1
                _instruments.ACTIVE.cache_event(self.name, "negative_hit")
            else:
                self.stats.hits += 1
                _instruments.ACTIVE.cache_event(self.name, "hit")
            return entry
        return None

    def stale(self, key: CacheKey) -> _Entry | None:
        """An expired (but not too old) successful entry, for stale-if-error."""
        if self.config.max_stale <= 0:
            return None
        with self._lock:
            return self._data.get(key)

    def miss(self) -> None:
        """Count a miss (the caller goes upstream)."""
        self.stats.misses += 1
        _instruments.ACTIVE.cache_event(self.name, "miss")

    def shared_event(self, outcome: str) -> None:
        """Count what the shared cache did (``hit``, ``miss``, ``error``, ``skipped``,
        ``corrupt``, ``refused``, ``oversized``): ``shared_<outcome>``."""
        field = _SHARED_FIELDS[outcome]
        setattr(self.stats, field, getattr(self.stats, field) + 1)
        _instruments.ACTIVE.cache_event(self.name, f"shared_{outcome}")

    def served_stale(self) -> None:
        """Count a stale entry served because the upstream failed."""
        self.stats.stale_served += 1
        _instruments.ACTIVE.cache_event(self.name, "stale")

    def put(
        self, key: CacheKey, value: Any, ttl: float | None = None, *, generation: int | None = None
    ) -> None:
        """Store a value for ``ttl`` (default: the resource's TTL), unless a drop happened
        since ``generation`` (read before the fetch)."""
        if not self.config.enabled:
            return
        entry = _Entry(value, self._clock() + (self.ttl if ttl is None else ttl))
        with self._lock:
            if generation is not None and generation != self.generation:
                return
            self._missing.pop(key, None)
            self._data[key] = entry

    def put_not_found(
        self, key: CacheKey, error: NotFoundError, *, generation: int | None = None
    ) -> None:
        """Remember a 404 for ``negative_ttl`` (as a `NotFoundMarker`); like `put`, not
        after a drop since ``generation``."""
        if not self.config.enabled or self.config.negative_ttl <= 0:
            return
        entry = _Entry(None, self._clock() + self.config.negative_ttl, NotFoundMarker.of(error))
        with self._lock:
            if generation is not None and generation != self.generation:
                return
            self._data.pop(key, None)
            self._missing[key] = entry

    def keys_and_values(self) -> list[tuple[CacheKey, Any]]:
        """The cached keys and values (404s left out)."""
        with self._lock:
            return [(k, e.value) for k, e in self._data.items()]

    def drop(self, matches: Callable[[CacheKey, Any], bool] | None = None) -> int:
        """Remove entries, 404s included (all when ``matches`` is ``None``); returns how many."""
        with self._lock:
            self.generation += 1
            dropped = 0
            for data in (self._data, self._missing):
                keys = [k for k, e in data.items() if matches is None or matches(k, e.value)]
                for key in keys:
                    data.pop(key, None)
                dropped += len(keys)
            return dropped

    def snapshot(self, coalesced: int) -> CacheStats:
        """The stats with the current size (404s included) and the coalesced waits."""
        with self._lock:
            self._data.expire()
            self._missing.expire()
            size = len(self._data) + len(self._missing)
        return attrs.evolve(self.stats, size=size, coalesced=coalesced)
