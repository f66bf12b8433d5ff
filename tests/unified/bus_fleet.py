"""A fleet of real processes around one `RedisBus`: storefront replicas and a webhook receiver.

    python -m tests.unified.bus_fleet replica NAME MEDUSA_URL PAYLOAD_URL KEY REDIS_URL STREAM
    python -m tests.unified.bus_fleet receiver PORT REDIS_URL STREAM SECRET

A replica is an `AsyncUnifiedClient` on the fakes served over HTTP, subscribed to the bus. It
warms its caches, prints ``ready``, then for every message it applies (gaps aside) pushes an
ack to the Redis list ``<STREAM>:acks``: the time it dropped, what changed, how many entries it
dropped and how many it holds after, then warms again (with ``--rewarm``). The receiver serves
`create_asgi_app` (uvicorn) with a ``WebhookReceiver(..., bus=RedisBus(...))`` per source.
`Fleet` starts and stops all of them (used by tests/unified/test_bus_processes.py and
benchmarks/bus_fanout.py).
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


async def _warm(shop: Any) -> None:
    await shop.get_product("live-tee")
    await shop.get_product("live-hoodie")
    await shop.list_products(limit=5)
    await shop.get_page("about", tenant_id="acme")


async def replica(argv: list[str]) -> None:
    """Run one storefront replica until killed."""
    import redis.asyncio as aioredis

    from medusa_payload import AsyncMedusaClient, AsyncPayloadClient
    from medusa_payload.unified import AsyncUnifiedClient, Invalidation, RedisBus

    name, medusa_url, payload_url, key, redis_url, stream, *flags = argv
    applied: asyncio.Queue[tuple[float, Invalidation, int, int]] = asyncio.Queue()

    class Replica(AsyncUnifiedClient):
        def apply(self, change: Invalidation) -> int:
            dropped = super().apply(change)
            if not change.everything:
                size = sum(s.size for s in self.cache_stats().values())
                applied.put_nowait((time.time(), change, dropped, size))
            return dropped

    acks = aioredis.Redis.from_url(redis_url)
    shop = Replica(
        medusa=AsyncMedusaClient(medusa_url, publishable_key=key, max_retries=0),
        payload=AsyncPayloadClient(payload_url, max_retries=0),
        bus=RedisBus(redis_url, stream=stream),
    )
    if not await shop.start(timeout=10):
        raise SystemExit("not subscribed")
    await _warm(shop)
    print("ready", flush=True)
    while True:
        at, change, dropped, size = await applied.get()
        if "--rewarm" in flags:
            await _warm(shop)
        ack = {"replica": name, "at": at, "product": change.product, "handle": change.handle}
        await acks.rpush(f"{stream}:acks", json.dumps({**ack, "dropped": dropped, "left": size}))


def receiver(argv: list[str]) -> None:
    """Serve the webhook receivers, publishing to the bus, until killed."""
    import uvicorn

    from medusa_payload.queue import InMemoryQueue
    from medusa_payload.unified import RedisBus
    from medusa_payload.webhooks import WebhookReceiver, create_asgi_app

    port, redis_url, stream, secret = argv
    bus = RedisBus(redis_url, stream=stream)
    queue = InMemoryQueue()
    app = create_asgi_app(
        WebhookReceiver(queue, secret, source="medusa", bus=bus),
        WebhookReceiver(queue, secret, source="payload", bus=bus),
    )
    uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Fleet:
    """``replicas`` replica processes and one receiver process; `stop` ends them all."""

    def __init__(self, medusa_fake: Any, urls: tuple[str, str], redis_url: str, stream: str):
        self.medusa_fake = medusa_fake
        self.urls = urls
        self.redis_url = redis_url
        self.stream = stream
        self.secret = "fleet-secret"
        self.port = free_port()
        self.procs: list[subprocess.Popen[str]] = []

    def _spawn(self, *args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.unified.bus_fleet", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.procs.append(proc)
        return proc

    def start(self, replicas: int, *flags: str) -> None:
        """Start the receiver and the replicas; return once each replica is warm and
        subscribed and the receiver answers (at most 60 s)."""
        self._spawn("receiver", str(self.port), self.redis_url, self.stream, self.secret)
        key = self.medusa_fake.publishable_key
        started = [
            self._spawn("replica", f"r{n}", *self.urls, key, self.redis_url, self.stream, *flags)
            for n in range(replicas)
        ]
        for proc in started:
            assert proc.stdout is not None
            line = proc.stdout.readline()  # bounded: the replica exits if it cannot subscribe
            if line.strip() != "ready":
                raise RuntimeError(f"replica did not start (exit {proc.poll()})")
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("receiver did not start") from None
                time.sleep(0.05)

    @property
    def webhook_url(self) -> str:
        """Where Medusa webhooks go."""
        return f"http://127.0.0.1:{self.port}/webhooks/medusa"

    def stop(self) -> None:
        """Terminate every process (killed after 10 s)."""
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        self.procs = []


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "replica":
        asyncio.run(replica(rest))
    else:
        receiver(rest)
