"""`RedisSharedCache`: an optional second-level cache in Redis, shared by every replica.

A read asks the replica's own cache first, then Redis, then Medusa/Payload, and fills both. An
entry is a Redis hash holding the value as pydantic JSON (``v``), the invalidation number it
was fetched under (``s``, its *stamp*) and its *tags* (``t``: what it depends on, e.g.
``h=live-tee`` for a handle); it expires with the resource's TTL. An invalidation never looks
for entries: it takes the next number of one counter (``<prefix>seq``) and writes it against
each tag it touches (``<prefix>gens``). An entry whose tag carries a number above its stamp
predates the change: a read drops it, and a write of a value fetched before the change (the
stamp was read before the fetch) is refused. Both checks run in Redis, in one small Lua script
each, so no ordering of reads, writes and invalidations across replicas can bring an old value
back.

Only ASCII goes into key and tag names: ids that are long or hold anything but ``[A-Za-z0-9_.-]``
are hashed (SHA-256), so hostile ids neither collide nor break a script.

The I/O (`medusa_payload.unified._async.shared.AsyncSharedTier` and its generated sync twin)
is thin; this module holds the rules and the state both share.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import attrs
import pydantic

from ..errors import ConfigurationError
from ._bus import PerLoop
from ._cache import ResourceCache
from ._changes import DROPPABLE_RESOURCES, Invalidation
from ._keys import (
    CacheKey,
    ListKey,
    PageKey,
    ProductKey,
    ProductListKey,
    StoreKey,
    StoreListKey,
)
from .models import ContentStatus, UnifiedProduct

if TYPE_CHECKING:
    import redis
    import redis.asyncio

__all__ = [
    "DEFAULT_MAX_VALUE_BYTES",
    "DEFAULT_PREFIX",
    "Codec",
    "Found",
    "JsonCodec",
    "ProductPageCodec",
    "ProductPageData",
    "RedisSharedCache",
    "async_spawn",
    "change_tags",
    "entry_tags",
    "key_text",
    "namespace_of",
    "reader_identity",
    "sync_spawn",
]

logger = logging.getLogger("medusa_payload.unified.shared_cache")

DEFAULT_PREFIX = "medusa-payload:cache:"
"""The key prefix `RedisSharedCache` uses unless told otherwise."""

DEFAULT_MAX_VALUE_BYTES = 4 * 1024 * 1024
"""The longest value (its JSON) `RedisSharedCache` stores unless told otherwise."""

FORMAT = "1"
"""The entry format; a new one never reads entries of another."""

MAX_PENDING = 1_000
"""Tags a replica keeps to send while Redis is unreachable; past it, it sends "everything"."""

EVERYTHING = "*"
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]{1,100}")
_MAX_KEY_TEXT = 200

T = TypeVar("T")

# KEYS: entry, gens, seq. -> {seq, "miss"|"corrupt"|"stale"} or {seq, "hit", value, pttl}
READ = """
local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
local kind = redis.call('TYPE', KEYS[1])['ok']
if kind == 'none' then return {seq, 'miss'} end
if kind ~= 'hash' then redis.call('DEL', KEYS[1]); return {seq, 'corrupt'} end
local e = redis.call('HMGET', KEYS[1], 'v', 's', 't')
local stamp = tonumber(e[2])
if not e[1] or not stamp or not e[3] then redis.call('DEL', KEYS[1]); return {seq, 'corrupt'} end
if stamp > seq then redis.call('DEL', KEYS[1]); return {seq, 'stale'} end
for tag in string.gmatch(e[3], '%S+') do
  local g = redis.call('HGET', KEYS[2], tag)
  if g and tonumber(g) > stamp then redis.call('DEL', KEYS[1]); return {seq, 'stale'} end
end
return {seq, 'hit', e[1], redis.call('PTTL', KEYS[1])}
"""

# KEYS: entry, gens, seq; ARGV: stamp, ttl ms, tags, value. -> 1 stored, 0 refused.
WRITE = """
local stamp = tonumber(ARGV[1])
if stamp > tonumber(redis.call('GET', KEYS[3]) or '0') then return 0 end
for tag in string.gmatch(ARGV[3], '%S+') do
  local g = redis.call('HGET', KEYS[2], tag)
  if g and tonumber(g) > stamp then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[4], 's', ARGV[1], 't', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""

# KEYS: gens, bump times, seq; ARGV: ms a number is kept, tags... -> the new number.
BUMP = """
local n = redis.call('INCR', KEYS[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 2, #ARGV do
  redis.call('HSET', KEYS[1], ARGV[i], n)
  redis.call('ZADD', KEYS[2], now, ARGV[i])
end
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, 1000)
if #old > 0 then
  redis.call('HDEL', KEYS[1], unpack(old))
  redis.call('ZREM', KEYS[2], unpack(old))
end
return n
"""


# ---------------------------------------------------------------- names
def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def key_text(key: CacheKey) -> str:
    """A key's stable, collision-free name: the JSON of its type and fields in order (ASCII),
    or ``#`` + its SHA-256 when longer than 200 characters (JSON starts with ``[``)."""
    fields = attrs.astuple(key, recurse=False)  # type: ignore[arg-type]
    text = json.dumps([type(key).__name__, *fields], ensure_ascii=True, separators=(",", ":"))
    return text if len(text) <= _MAX_KEY_TEXT else "#" + _digest(text)


def _tag(kind: str, value: str) -> str:
    """``kind=value`` for a short plain value, ``kind#sha256`` for any other."""
    return f"{kind}={value}" if _PLAIN.fullmatch(value) else f"{kind}#{_digest(value)}"


def _stores(names: Iterable[str]) -> list[str]:
    return [_tag("s", name) for name in sorted(names)]


def entry_tags(
    resource: str, key: CacheKey, value: Any, store_names: Callable[[str | None], frozenset[str]]
) -> list[str]:
    """What an entry depends on: every `Invalidation` whose `change_tags` share one of these
    touches it (the shared form of ``key.touches``). ``store_names`` gives every name of a
    store the replica knows (as `UnifiedClient` resolves them for an invalidation)."""
    tags = [EVERYTHING, _tag("r", resource)]
    if isinstance(key, ProductKey):
        tags.append(_tag("h", key.handle))
        product_id = getattr(value, "id", None)
        if product_id is not None:
            tags.append(_tag("p", str(product_id)))
        tags += _stores(store_names(key.store))
    elif isinstance(key, ProductListKey):
        tags.append("pl")
        tags += _stores(store_names(key.store))
    elif isinstance(key, PageKey):
        tags.append(_tag("pg", key.slug))
        tags += _stores(store_names(key.store))
    elif isinstance(key, StoreKey):
        tags += _stores(key.aliases(value))
    elif isinstance(key, StoreListKey):
        tags.append("sl")
    elif not isinstance(key, ListKey):  # pragma: no cover - a new key type must say
        raise TypeError(f"no shared tags for {type(key).__name__}")
    return tags


def change_tags(change: Invalidation, stores: frozenset[str]) -> list[str]:
    """The tags an `Invalidation` bumps; ``stores``: every name of its store the replica knows."""
    if change.everything:
        return [EVERYTHING]
    tags = [_tag("r", name) for name in change.resources if name in DROPPABLE_RESOURCES]
    if change.product is not None:
        tags += [_tag("p", change.product), "pl"]
    if change.handle is not None:
        tags += [_tag("h", change.handle), "pl"]
    if change.page is not None:
        tags.append(_tag("pg", change.page))
    if change.store is not None:
        tags += [*_stores(stores | {change.store}), "sl"]
    return sorted(set(tags))


_STANDARD_HEADERS = frozenset({"accept", "accept-encoding", "connection", "user-agent"})


def reader_identity(client: Any, credentials: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Who ``client`` reads as: a digest of each of its ``credentials`` attributes that is set
    (secret values included) and of each header it adds to every call. Two clients that
    differ in any of them may be answered differently (Payload's access control, a customer's
    prices), so they must not share entries."""
    found: dict[str, str] = {}
    for name in credentials:
        value = getattr(client, name, None)
        if value is not None:
            secret = getattr(value, "get_secret_value", None)
            found[name] = _digest(str(secret() if secret is not None else value))
    http = getattr(client, "_http", None)
    headers = {**dict(getattr(http, "headers", {})), **getattr(client, "_default_headers", {})}
    for header, value in headers.items():
        if header.lower() not in _STANDARD_HEADERS:
            found["header:" + header.lower()] = _digest(value)
    return tuple(sorted(found.items()))


def namespace_of(*parts: object) -> str:
    """A short digest of what makes two clients' answers alike (servers, keys, locales,
    tenants, content collection, package version): clients configured differently never read
    each other's entries."""
    return _digest(json.dumps([str(p) for p in parts]))[:16]


# ---------------------------------------------------------------- values
class Codec(Protocol[T]):
    """Turns one kind of cached value into pydantic JSON and back."""

    def dump(self, value: T) -> bytes:
        """The JSON of ``value``."""

    def load(self, data: bytes) -> T:
        """The value back (raises ``ValueError`` / ``pydantic.ValidationError`` when the data
        is not one)."""


class JsonCodec(Generic[T]):
    """A pydantic type (a model, ``list[Model]``) as its JSON (by alias)."""

    def __init__(self, kind: Any) -> None:
        self._adapter: pydantic.TypeAdapter[T] = pydantic.TypeAdapter(kind)

    def dump(self, value: T) -> bytes:
        """The JSON of ``value``."""
        return self._adapter.dump_json(value, by_alias=True)

    def load(self, data: bytes) -> T:
        """The value back."""
        return self._adapter.validate_json(data)


class ProductPageData(pydantic.BaseModel):
    """What a page of `list_products` holds, as it is stored (the page object itself carries
    a callback to fetch the next page)."""

    items: list[UnifiedProduct]
    count: int
    offset: int
    limit: int
    has_more: bool
    content_status: ContentStatus = "ok"


_PAGE_DATA: JsonCodec[ProductPageData] = JsonCodec(ProductPageData)


class ProductPageCodec(Generic[T]):
    """A page of unified products (sync or async) as `ProductPageData` JSON; ``build`` makes
    the page back (with its way to the next one)."""

    def __init__(self, build: Callable[[ProductPageData], T]) -> None:
        self._build = build

    def dump(self, value: T) -> bytes:
        """The JSON of the page."""
        page: Any = value
        data = ProductPageData(
            items=page.items,
            count=page.count,
            offset=page.offset,
            limit=page.limit,
            has_more=page.has_next_page(),
            content_status=page.content_status,
        )
        return _PAGE_DATA.dump(data)

    def load(self, data: bytes) -> T:
        """The page back."""
        return self._build(_PAGE_DATA.load(data))


@attrs.frozen
class Found:
    """What the shared cache answered: ``hit`` with ``value`` and its remaining ``ttl``, or no
    value; ``stamp`` is the invalidation number read with it (``None``: Redis not asked or
    failed, so nothing fetched now may be written)."""

    hit: bool = False
    value: Any = None
    ttl: float = 0.0
    stamp: int | None = None


NOT_ASKED = Found()


# ---------------------------------------------------------------- connections
class _Connection:
    """A redis-py client (sync or asyncio) and the three scripts registered on it."""

    def __init__(self, client: Any) -> None:
        self.redis = client
        self.read = client.register_script(READ)
        self.write = client.register_script(WRITE)
        self.bump = client.register_script(BUMP)

    async def aclose(self) -> None:
        await self.redis.aclose()

    def close(self) -> None:
        self.redis.close()


def _require_redis() -> None:
    try:
        import redis  # noqa: F401
    except ImportError:  # pragma: no cover - the [redis] extra is not installed
        raise ConfigurationError(
            "RedisSharedCache needs redis: pip install 'medusa-payload[redis]'"
        ) from None


# No retries: each call is bounded by one connect and one answer, `timeout` each.
def _async_client(url: str, timeout: float) -> redis.asyncio.Redis:
    _require_redis()
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    return Redis.from_url(
        url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


def _sync_client(url: str, timeout: float) -> redis.Redis:
    _require_redis()
    from redis import Redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return Redis.from_url(
        url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


async def _run(work: Callable[[], Awaitable[object]]) -> None:
    await work()


def async_spawn(shared: RedisSharedCache, work: Callable[[], Awaitable[object]]) -> None:
    """Run ``work`` soon as a task of this thread's event loop, kept by ``shared`` until done
    (its `aclose` waits for it); none running: not at all (the shared cache then sends its
    pending invalidations before its next read, or when closed)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    task: asyncio.Task[Any] = loop.create_task(_run(work))
    shared.track(task)


def sync_spawn(shared: RedisSharedCache, work: Callable[[], object]) -> None:
    """Run ``work`` now (sync code: the caller's thread)."""
    work()


# ---------------------------------------------------------------- the public object
class RedisSharedCache:
    """A second-level cache in Redis shared by every replica: a cold replica asks it before
    Medusa and Payload. Pass the same object to any number of clients, sync or async.

    ```python
    shared = RedisSharedCache("redis://redis:6379/0", prefix="shop:cache:")
    shop = UnifiedClient.from_env(bus=RedisBus(url), shared_cache=shared)   # every replica
    ```

    Values are stored as pydantic JSON for the resource's TTL; 404s, answers given without the
    CMS, and stale-if-error copies stay in the replica. An invalidation (``invalidate``, the
    bus) makes Redis refuse the entries it touches, so no replica refills its own cache from
    them. Redis down or slow never fails a read: each call waits at most ``timeout`` to
    connect and ``timeout`` for the answer, a failure is counted (``shared_errors``) and
    logged, and Redis is left alone for ``retry_after`` seconds.

    Args:
        url: the Redis URL (standalone or behind a proxy; see docs/howto/many-replicas.md).
        prefix: prepended to every key (one per shop and environment; put a ``{hash tag}`` in
            it for Redis Cluster).
        timeout: seconds to connect, and seconds to answer, per Redis call (0.1).
        retry_after: seconds Redis is not asked after a failure (1.0).
        max_ttl: entries never live longer in Redis (86,400 s); an invalidation's numbers are
            kept that long.
        max_value_bytes: a value whose JSON is longer stays in the replica that fetched it
            (``shared_oversized``): one huge product must not take longer than ``timeout`` to
            write, which would leave Redis alone for every read (4 MiB).
    """

    def __init__(
        self,
        url: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        timeout: float = 0.1,
        retry_after: float = 1.0,
        max_ttl: float = 86_400.0,
        max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES,
    ) -> None:
        if timeout <= 0 or retry_after < 0 or max_ttl <= 0 or max_value_bytes <= 0:
            raise ConfigurationError(
                "timeout, max_ttl and max_value_bytes must be > 0, retry_after >= 0"
            )
        self.url = url
        self.prefix = prefix
        self.timeout = timeout
        self.retry_after = retry_after
        self.max_ttl = max_ttl
        self.max_value_bytes = max_value_bytes
        self.gens_key = f"{prefix}gens"
        self.times_key = f"{prefix}gentimes"
        self.seq_key = f"{prefix}seq"
        self._async: PerLoop[_Connection] = PerLoop(
            lambda: _Connection(_async_client(url, timeout))
        )
        self._sync: _Connection | None = None
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._down_until = 0.0
        self._failing = False
        self._tasks: set[asyncio.Task[Any]] = set()

    def __repr__(self) -> str:
        return f"RedisSharedCache(prefix={self.prefix!r})"

    # connections
    def async_connection(self) -> _Connection:
        """This event loop's connection (made on first use)."""
        return self._async.get()

    def sync_connection(self) -> _Connection:
        """The connection of sync code (thread-safe: redis-py pools its sockets)."""
        with self._lock:
            if self._sync is None:
                self._sync = _Connection(_sync_client(self.url, self.timeout))
            return self._sync

    async def aclose(self) -> None:
        """Send the invalidations Redis has not taken yet (those being sent on this event loop
        are waited for, one more try for the rest, each within ``2 * timeout``), then close the
        connections: every event loop's (each within ``timeout``), and the sync one. Closing it
        before the clients that use it loses nothing they had sent it; a later call opens a
        connection again."""
        from ._async.shared import AsyncSharedTier

        await self._settle()
        await AsyncSharedTier(self, lambda: "").push()
        await self._async.aclose(max(self.timeout, 1.0))
        self._close_sync()

    def close(self) -> None:
        """`aclose` for sync code (no event loop of its own running in this thread)."""
        from ._sync.shared import SharedTier

        SharedTier(self, lambda: "").push()
        self._async.close(max(self.timeout, 1.0))
        self._close_sync()

    def track(self, task: asyncio.Task[Any]) -> None:
        """Keep ``task`` (an invalidation being sent) until it is done; `aclose` waits for it."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _settle(self) -> None:
        """Wait for this event loop's invalidations being sent (each call is bounded by
        ``2 * timeout``); cancel what is left after that."""
        loop = asyncio.get_running_loop()
        current = asyncio.current_task()
        mine = [t for t in list(self._tasks) if t.get_loop() is loop and t is not current]
        if not mine:
            return
        _, left = await asyncio.wait(mine, timeout=2 * self.timeout)
        for task in left:
            task.cancel()
        if left:
            await asyncio.wait(left, timeout=self.timeout)

    def _close_sync(self) -> None:
        with self._lock:
            conn, self._sync = self._sync, None
        if conn is not None:
            conn.close()

    # keys
    def entry_key(self, namespace: str, resource: str, key: CacheKey) -> str:
        """The Redis key of one entry."""
        return f"{self.prefix}e{FORMAT}:{namespace}:{resource}:{key_text(key)}"

    @property
    def meta_keys(self) -> tuple[str, str]:
        """The invalidation numbers and the counter, as the read and write scripts take them."""
        return self.gens_key, self.seq_key

    # health
    def usable(self) -> bool:
        """Whether Redis may be asked now (not within ``retry_after`` of a failure)."""
        return time.monotonic() >= self._down_until

    def failed(self, cache: ResourceCache | None, exc: BaseException, what: str) -> None:
        """Count a failed call, log the first of an outage, leave Redis alone a while."""
        if cache is not None:
            cache.shared_event("error")
        self._down_until = time.monotonic() + self.retry_after
        if not self._failing:
            self._failing = True
            logger.warning(
                "shared cache: %s failed (%s: %s); reads go upstream, Redis asked again in %.1fs",
                what,
                type(exc).__name__,
                exc,
                self.retry_after,
            )
        else:
            logger.debug("shared cache: %s failed (%s)", what, type(exc).__name__)

    def answered(self) -> None:
        """Redis answered: log the end of an outage."""
        if self._failing:
            self._failing = False
            logger.info("shared cache: Redis answers again")

    # invalidations not yet in Redis
    def add_pending(self, tags: Iterable[str]) -> None:
        """Remember tags to bump (sent before this process's next read or write)."""
        with self._lock:
            self._pending.update(tags)
            if len(self._pending) > MAX_PENDING:
                self._pending = {EVERYTHING}

    def pending(self) -> list[str]:
        """The tags not yet bumped."""
        with self._lock:
            return sorted(self._pending)

    def bumped(self, tags: Iterable[str]) -> None:
        """Forget tags Redis has bumped."""
        with self._lock:
            self._pending.difference_update(tags)

    def bump_args(self, tags: list[str]) -> tuple[list[str], list[Any]]:
        """The keys and arguments of the bump script."""
        return [self.gens_key, self.times_key, self.seq_key], [int(self.max_ttl * 1000), *tags]

    # answers
    def found(self, cache: ResourceCache, answer: Any, codec: Codec[Any]) -> tuple[Found, bool]:
        """Read the read script's answer; ``True`` second: a value that did not decode (the
        caller deletes it)."""
        seq, status = int(answer[0]), _text(answer[1])
        if status == "hit":
            try:
                value = codec.load(answer[2])
            except (ValueError, pydantic.ValidationError) as exc:
                cache.shared_event("corrupt")
                logger.warning("shared cache: %s entry dropped: %s", cache.name, _brief(exc))
                return Found(stamp=seq), True
            cache.shared_event("hit")
            return Found(True, value, max(int(answer[3]), 1) / 1000, seq), False
        if status == "corrupt":
            cache.shared_event("corrupt")
            logger.warning("shared cache: %s entry dropped: not an entry", cache.name)
        cache.shared_event("miss")
        return Found(stamp=seq), False

    def write_args(
        self,
        cache: ResourceCache,
        namespace: str,
        key: CacheKey,
        payload: bytes,
        tags: list[str],
        stamp: int,
    ) -> tuple[list[str], list[Any]]:
        """The keys and arguments of the write script (TTL: the resource's, capped at
        ``max_ttl``)."""
        ttl_ms = max(int(min(cache.ttl, self.max_ttl) * 1000), 1)
        keys = [self.entry_key(namespace, cache.name, key), *self.meta_keys]
        return keys, [stamp, ttl_ms, " ".join(tags), payload]


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _brief(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
