"""Per-resource TTL caches with stale-if-error, negative caching and stats (no I/O)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

import attrs
import cachetools

from ..errors import NotFoundError

__all__ = ["CacheConfig", "CacheStats", "ResourceCache"]


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
    degraded_ttl: float = 5.0
    maxsize: int = 10_000
    enabled: bool = True

    def ttl(self, resource: str) -> float:
        """The TTL of a resource kind."""
        return float(getattr(self, resource))


@attrs.define
class CacheStats:
    """Counters of one resource cache."""

    hits: int = 0
    misses: int = 0
    stale_served: int = 0
    coalesced: int = 0
    negative_hits: int = 0
    upstream_errors: int = 0
    size: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counters as a dict."""
        return attrs.asdict(self)


@attrs.frozen
class _Entry:
    value: Any
    fresh_until: float
    error: NotFoundError | None = None


class ResourceCache:
    """One resource's cache: fresh entries, stale ones kept ``max_stale`` longer, 404s."""

    def __init__(self, name: str, config: CacheConfig, clock: Callable[[], float]) -> None:
        self.name = name
        self.ttl = config.ttl(name)
        self.config = config
        self._clock = clock
        self._lock = threading.Lock()
        self._data: cachetools.TTLCache[Hashable, _Entry] = cachetools.TTLCache(
            maxsize=config.maxsize, ttl=self.ttl + config.max_stale, timer=clock
        )
        self.stats = CacheStats()

    def fresh(self, key: Hashable) -> _Entry | None:
        """A fresh entry (counted as a hit), or ``None`` (not counted: see `miss`)."""
        with self._lock:
            entry = self._data.get(key)
        if entry is not None and entry.fresh_until > self._clock():
            if entry.error is not None:
                self.stats.negative_hits += 1
            else:
                self.stats.hits += 1
            return entry
        return None

    def stale(self, key: Hashable) -> _Entry | None:
        """An expired (but not too old) successful entry, for stale-if-error."""
        if self.config.max_stale <= 0:
            return None
        with self._lock:
            entry = self._data.get(key)
        if entry is None or entry.error is not None:
            return None
        return entry

    def miss(self) -> None:
        """Count a miss (the caller goes upstream)."""
        self.stats.misses += 1

    def put(self, key: Hashable, value: Any, ttl: float | None = None) -> None:
        """Store a value for ``ttl`` (default: the resource's TTL)."""
        if not self.config.enabled:
            return
        entry = _Entry(value, self._clock() + (self.ttl if ttl is None else ttl))
        with self._lock:
            self._data[key] = entry

    def put_not_found(self, key: Hashable, error: NotFoundError) -> None:
        """Remember a 404 for ``negative_ttl``."""
        if not self.config.enabled or self.config.negative_ttl <= 0:
            return
        entry = _Entry(None, self._clock() + self.config.negative_ttl, error)
        with self._lock:
            self._data[key] = entry

    def drop(self, matches: Callable[[Hashable, Any], bool] | None = None) -> int:
        """Remove entries (all when ``matches`` is ``None``); returns how many."""
        with self._lock:
            keys = [k for k, e in self._data.items() if matches is None or matches(k, e.value)]
            for key in keys:
                self._data.pop(key, None)
            return len(keys)

    def snapshot(self, coalesced: int) -> CacheStats:
        """The stats with the current size and the coalesced waits of this resource."""
        with self._lock:
            self._data.expire()
            size = len(self._data)
        return attrs.evolve(self.stats, size=size, coalesced=coalesced)


def not_found_copy(error: NotFoundError) -> NotFoundError:
    """A fresh exception object for a remembered 404 (safe to raise from many threads)."""
    return NotFoundError(
        error.message,
        service=error.service,
        response=error.response,
        body=error.body,
        request_id=error.request_id,
        type=error.type,
        code=error.code,
        errors=error.errors,
        field_errors=error.field_errors,
    )
