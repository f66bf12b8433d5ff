"""`AsyncSharedTier`: one client's calls to a `RedisSharedCache` (read, write, invalidate).

The rules (key names, tags, the Lua scripts, failure bookkeeping) live in ``.._shared``; this
file only makes the Redis calls. ``scripts/gen_sync.py`` turns it into the sync
``SharedTier`` (``async_connection`` -> ``sync_connection``, ``async_spawn`` -> ``sync_spawn``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._cache import ResourceCache
from .._keys import CacheKey
from .._shared import NOT_ASKED, Codec, Found, RedisSharedCache, async_spawn

__all__ = ["AsyncSharedTier"]


class AsyncSharedTier:
    """A client's view of a `RedisSharedCache`: its entries live under ``namespace``, which
    ``namespace_of`` gives at each call (it follows the client's credentials)."""

    def __init__(self, shared: RedisSharedCache, namespace_of: Callable[[], str]) -> None:
        self.shared = shared
        self._namespace_of = namespace_of

    @property
    def namespace(self) -> str:
        """The namespace of this client's entries now."""
        return self._namespace_of()

    async def get(self, cache: ResourceCache, key: CacheKey, codec: Codec[Any]) -> Found:
        """The entry for ``key`` (pending invalidations are sent first), or no value; never
        raises."""
        shared = self.shared
        if not shared.usable():
            cache.shared_event("skipped")
            return NOT_ASKED
        name = shared.entry_key(self.namespace, cache.name, key)
        try:
            conn = shared.async_connection()
            if shared.pending():
                await self._push(conn)
            answer = await conn.read(keys=[name, *shared.meta_keys], args=[])
            # An answer of another shape (foreign data under the counters) is a failure too.
            found, corrupt = shared.found(cache, answer, codec)
        except Exception as exc:
            shared.failed(cache, exc, "read")
            return NOT_ASKED
        shared.answered()
        if corrupt:
            try:
                await conn.redis.delete(name)
            except Exception as exc:
                shared.failed(cache, exc, "delete")
        return found

    async def put(
        self,
        cache: ResourceCache,
        key: CacheKey,
        value: Any,
        codec: Codec[Any],
        tags: list[str],
        stamp: int,
    ) -> None:
        """Store ``value`` for the resource's TTL unless a change touched ``tags`` since
        ``stamp`` (read before the fetch) or its JSON is over ``max_value_bytes``; never
        raises."""
        shared = self.shared
        if not shared.usable():
            return
        try:
            payload = codec.dump(value)
            if len(payload) > shared.max_value_bytes:
                cache.shared_event("oversized")
                return
            keys, args = shared.write_args(cache, self.namespace, key, payload, tags, stamp)
            conn = shared.async_connection()
            stored = await conn.write(keys=keys, args=args)
        except Exception as exc:
            shared.failed(cache, exc, "write")
            return
        shared.answered()
        if not stored:
            cache.shared_event("refused")

    def invalidate(self, tags: list[str]) -> None:
        """Make Redis refuse every entry that depends on ``tags``: remembered at once (this
        process's next read sends it first), sent as soon as possible."""
        self.shared.add_pending(tags)
        async_spawn(self.shared, self.push)

    async def push(self) -> bool:
        """Send the pending invalidations; whether Redis took them (never raises)."""
        shared = self.shared
        if not shared.pending():
            return True
        if not shared.usable():
            return False
        try:
            await self._push(shared.async_connection())
        except Exception as exc:
            shared.failed(None, exc, "invalidation")
            return False
        shared.answered()
        return True

    async def _push(self, conn: Any) -> None:
        tags = self.shared.pending()
        keys, args = self.shared.bump_args(tags)
        await conn.bump(keys=keys, args=args)
        self.shared.bumped(tags)
