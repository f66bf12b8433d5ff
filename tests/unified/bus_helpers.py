"""Helpers of the bus tests: bounded waiting, a redis-server of a test's own, a flaky bus."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

from medusa_payload.unified import InMemoryBus, Invalidation

LISTENER = "medusa-payload-bus-listener"


async def eventually(check: Callable[[], Awaitable[bool] | bool], timeout: float = 10.0) -> None:
    """Wait (at most ``timeout`` s) until ``check()`` is true; fail the test otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout} s")
        await asyncio.sleep(0.02)


class OwnRedis:
    """A ``redis-server`` on a free port of its own (or ``port``), for tests that stop and
    start it."""

    def __init__(self, port: int | None = None) -> None:
        if port is None:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = int(sock.getsockname()[1])
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="mp-bus-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--dir", self.dir, "--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class FlakyBus(InMemoryBus):
    """An `InMemoryBus` whose subscriptions fail after ``fail_after`` messages, once each."""

    def __init__(self, fail_after: int) -> None:
        super().__init__()
        self.fail_after = fail_after
        self.subscribed = 0

    async def subscribe(self) -> Any:
        inner = await super().subscribe()
        self.subscribed += 1
        bus = self

        class Flaky:
            seen = 0

            async def next(self) -> Invalidation:
                change = await inner.next()
                self.seen += 1
                if bus.subscribed == 1 and self.seen > bus.fail_after:
                    raise ConnectionError("lost")
                return change

            async def aclose(self) -> None:
                await inner.aclose()

        return Flaky()
