"""`RedisBus`: invalidation messages on a capped Redis stream, read by every replica.

Publishers append through one small Lua script, atomically: ``INCR <stream>:seq`` then
``XADD <stream> MAXLEN ~ N * n <seq> v 1 product prod_1 ...``. Every message thus carries the
next number of one counter, and each subscriber, reading blocking from the last id it saw
(``XREAD BLOCK``), checks that the numbers follow on: a jump (entries trimmed before it read
them, a counter reset by a Redis that lost its data) is a gap, and the batch becomes
``Invalidation.all("gap: ...")``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from ..errors import ConfigurationError
from ._bus import BusMessageError, PerLoop, Subscription, decode_message, encode_message
from ._changes import Invalidation

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["DEFAULT_STREAM", "RedisBus"]

logger = logging.getLogger("medusa_payload.unified.bus")

DEFAULT_STREAM = "medusa-payload:invalidations"
"""The stream `RedisBus` uses unless told otherwise."""


_PUBLISH = """
local n = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', n, unpack(ARGV, 2))
return n
"""


def _seq(fields: dict[Any, Any]) -> int | None:
    """The message number of an entry, taken out of its fields (``None`` when absent)."""
    raw = fields.pop(b"n", None) or fields.pop("n", None)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _redis_client(url: str, timeout: float) -> Redis:
    try:
        from redis.asyncio import Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff
    except ImportError:  # pragma: no cover - the [redis] extra is not installed
        raise ConfigurationError(
            "RedisBus needs redis: pip install 'medusa-payload[redis]'"
        ) from None
    # No silent reconnects: a subscriber must see every outage to drop what it may have missed.
    return Redis.from_url(
        url,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


class _RedisSubscription:
    def __init__(self, bus: RedisBus, client: Redis, last_id: str, seq: int) -> None:
        self._bus = bus
        self._client = client
        self.last_id = last_id
        self.seq = seq
        self._pending: list[Invalidation] = []

    async def next(self) -> Invalidation:
        while not self._pending:
            self._pending = await self._read()
        return self._pending.pop(0)

    async def _read(self) -> list[Invalidation]:
        bus = self._bus
        answer: Any = await self._client.xread(
            {bus.stream: self.last_id}, count=bus.batch, block=int(bus.block * 1000)
        )
        if not answer:
            return []
        changes: list[Invalidation] = []
        gap = False
        for entry_id, fields in answer[0][1]:
            self.last_id = _text(entry_id)
            seq = _seq(fields)
            if seq is not None:
                if seq != self.seq + 1:
                    logger.warning(
                        "bus %s: message %d follows %d: missed or reset", bus.stream, seq, self.seq
                    )
                    gap = True
                self.seq = seq
            try:
                if seq is None:
                    raise BusMessageError("no message number")
                changes.append(decode_message(fields))
            except BusMessageError as exc:
                logger.warning("bus %s: entry %s skipped: %s", bus.stream, self.last_id, exc)
                changes.append(Invalidation.all("gap: a malformed entry was skipped"))
        if gap:
            return [Invalidation.all("gap: messages were trimmed or lost before they were read")]
        return changes

    async def aclose(self) -> None:
        await self._client.aclose()


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


class RedisBus:
    """A bus on a Redis stream: one receiver keeps any number of replicas right.

    ```python
    bus = RedisBus("redis://redis:6379/0", stream="shop:invalidations")
    shop = UnifiedClient.from_env(bus=bus)                          # every replica
    receiver = WebhookReceiver(queue, secret, source="payload", bus=bus)  # the receiver
    ```

    Args:
        url: the Redis URL.
        stream: the stream key (one per shop; every replica and the receiver use the same);
            the message counter is ``<stream>:seq``.
        maxlen: entries the stream keeps (``MAXLEN ~``, about); a subscriber that falls
            further behind finds a gap and drops everything.
        block: seconds one blocking read waits for a message before it asks again (1 s).
        timeout: seconds to connect, publish or read past ``block`` before the call fails
            (2 s); a subscriber that fails drops everything and subscribes again.
        batch: entries read at once.
    """

    def __init__(
        self,
        url: str,
        *,
        stream: str = DEFAULT_STREAM,
        maxlen: int = 10_000,
        block: float = 1.0,
        timeout: float = 2.0,
        batch: int = 100,
    ) -> None:
        if maxlen < 1 or block <= 0 or timeout <= 0 or batch < 1:
            raise ConfigurationError("maxlen and batch must be >= 1, block and timeout > 0")
        self.url = url
        self.stream = stream
        self.maxlen = maxlen
        self.block = block
        self.timeout = timeout
        self.batch = batch
        self.counter = f"{stream}:seq"
        self._publishers: PerLoop[Redis] = PerLoop(lambda: _redis_client(url, timeout))

    def __repr__(self) -> str:
        return f"RedisBus(stream={self.stream!r})"

    async def publish(self, change: Invalidation) -> None:
        """Append ``change`` to the stream (within ``timeout``).

        Raises:
            TimeoutError, redis.exceptions.RedisError: Redis did not take it.
        """
        client = self._publishers.get()
        args: list[Any] = [self.maxlen]
        for field, value in encode_message(change).items():
            args += [field, value]
        await asyncio.wait_for(
            client.eval(_PUBLISH, 2, self.stream, self.counter, *args),
            self.timeout,
        )

    async def subscribe(self) -> Subscription:
        """A subscription reading from the newest entry on (connects within ``timeout``)."""
        client = _redis_client(self.url, self.block + self.timeout)
        try:
            async with client.pipeline(transaction=True) as pipe:
                pipe.xrevrange(self.stream, count=1)
                pipe.get(self.counter)
                newest, counter = await asyncio.wait_for(pipe.execute(), self.timeout)
        except BaseException:
            await client.aclose()
            raise
        last_id = _text(newest[0][0]) if newest else "0-0"
        return _RedisSubscription(self, client, last_id, int(counter or 0))

    async def aclose(self) -> None:
        """Close the publishing connections: this event loop's, and those of other running
        loops (e.g. a receiver's background loop), each within ``timeout``."""
        await self._publishers.aclose(self.timeout)

    def close(self) -> None:
        """`aclose` for sync code (no event loop of its own running in this thread)."""
        self._publishers.close(self.timeout)
