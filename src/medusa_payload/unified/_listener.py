"""Keep one replica subscribed to a bus: a task (`AsyncBusListener`) or a thread (`BusListener`).

Both run `Listening.run`: subscribe, drop everything cached so far (it may predate the
subscription), then apply each message. When the subscription fails (Redis down, connection
lost), drop everything, wait (``retry_delay``, doubling up to ``max_retry_delay``) and
subscribe again, which drops everything once more: nothing the replica may have missed is
ever served. ``scripts/gen_sync.py`` maps `AsyncBusListener` to `BusListener`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable

from ._bus import Bus, Subscription
from ._changes import Invalidation

__all__ = ["STOP_TIMEOUT", "AsyncBusListener", "BusListener", "Listening"]

logger = logging.getLogger("medusa_payload.unified.bus")

STOP_TIMEOUT = 5.0
"""Seconds `stop` waits for the listener to end."""
CANCEL_GRACE = 0.5

Apply = Callable[[Invalidation], object]


def _safely(apply: Apply, change: Invalidation) -> None:
    try:
        apply(change)
    except Exception:
        logger.exception("bus: applying %r failed", change)


class Listening:
    """One listener's run: `run` applies every message of ``bus`` until `halt`;
    ``subscribed(True)`` after each subscription, ``subscribed(False)`` when one is lost."""

    def __init__(
        self,
        bus: Bus,
        apply: Apply,
        subscribed: Callable[[bool], object],
        *,
        retry_delay: float = 0.05,
        max_retry_delay: float = 1.0,
    ) -> None:
        self.bus = bus
        self._apply = apply
        self._subscribed = subscribed
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.stopping = False
        self._subscription: Subscription | None = None

    async def run(self) -> None:
        """Subscribe, apply, resubscribe after failures, until `halt`."""
        delay, connected = self.retry_delay, True
        while not self.stopping:
            try:
                self._subscription = await self.bus.subscribe()
            except Exception as exc:
                logger.warning(
                    "bus: cannot subscribe (%s); again in %.2fs", type(exc).__name__, delay
                )
                if connected:  # once per outage: what is fetched during it is as fresh as can be
                    _safely(self._apply, Invalidation.all("gap: bus unavailable"))
                    connected = False
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_retry_delay)
                continue
            try:
                _safely(self._apply, Invalidation.all("gap: (re)subscribed"))
                self._subscribed(True)
                delay, connected = self.retry_delay, True
                await self._apply_each(self._subscription)
            except Exception as exc:
                self._subscribed(False)
                if not self.stopping:
                    logger.warning("bus: subscription lost (%s); again", type(exc).__name__)
                _safely(self._apply, Invalidation.all("gap: subscription lost"))
                connected = False
            finally:
                subscription, self._subscription = self._subscription, None
                with contextlib.suppress(Exception):  # a broken connection may fail to close
                    await asyncio.wait_for(asyncio.shield(subscription.aclose()), 1.0)
            await asyncio.sleep(delay)

    async def _apply_each(self, subscription: Subscription) -> None:
        while not self.stopping:
            change = await subscription.next()
            if change.everything:
                logger.warning("bus: dropping everything (%s)", change.reason)
            _safely(self._apply, change)

    async def halt(self, task: asyncio.Task[None]) -> None:
        """Stop ``task`` (running `run`) within `STOP_TIMEOUT`: cancel it, and if a client
        library swallowed the cancellation, close the subscription under it."""
        self.stopping = True
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=CANCEL_GRACE)
        subscription = self._subscription
        if not done and subscription is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(subscription.aclose(), 1.0)
            await asyncio.wait({task}, timeout=STOP_TIMEOUT - CANCEL_GRACE - 1.0)


class AsyncBusListener:
    """Runs `listen` as a task of the running event loop (started by the first read)."""

    def __init__(self, bus: Bus, apply: Apply) -> None:
        self.bus = bus
        self._apply = apply
        self._task: asyncio.Task[None] | None = None
        self._listening: Listening | None = None
        self._ready = asyncio.Event()
        self._stopped = False

    def ensure_started(self) -> None:
        """Start the task unless it runs or the listener was stopped (call from the loop)."""
        if not self._stopped and (self._task is None or self._task.done()):
            self._ready = asyncio.Event()
            self._listening = Listening(self.bus, self._apply, self._subscribed)
            self._task = asyncio.get_running_loop().create_task(
                self._listening.run(), name="medusa-payload-bus-listener"
            )

    def _subscribed(self, on: bool) -> None:
        if on:
            self._ready.set()
        else:
            self._ready.clear()

    async def wait_ready(self, timeout: float) -> bool:
        """Start, then wait up to ``timeout`` seconds for the subscription."""
        self.ensure_started()
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        """Cancel the task and wait for it (at most `STOP_TIMEOUT`)."""
        self._stopped = True
        task, self._task = self._task, None
        if task is not None and self._listening is not None:
            await self._listening.halt(task)

    @property
    def running(self) -> bool:
        """Whether the listener runs."""
        return self._task is not None and not self._task.done()


class BusListener:
    """Runs `listen` on a daemon thread with its own event loop (for the sync client)."""

    def __init__(self, bus: Bus, apply: Apply) -> None:
        self.bus = bus
        self._apply = apply
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._listening: Listening | None = None
        self._ready = threading.Event()
        self._stopped = False

    def ensure_started(self) -> None:
        """Start the thread unless it runs or the listener was stopped."""
        with self._lock:
            if self._stopped or (self._thread is not None and self._thread.is_alive()):
                return
            self._ready = threading.Event()
            started = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(started,), name="medusa-payload-bus-listener", daemon=True
            )
            self._thread.start()
            started.wait(STOP_TIMEOUT)

    def _run(self, started: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        try:
            self._loop = loop
            self._listening = Listening(self.bus, self._apply, self._subscribed)
            self._task = loop.create_task(self._listening.run())
            started.set()
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(self._task)
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            self._loop = self._task = None
            loop.close()

    def _subscribed(self, on: bool) -> None:
        if on:
            self._ready.set()
        else:
            self._ready.clear()

    def wait_ready(self, timeout: float) -> bool:
        """Start, then wait up to ``timeout`` seconds for the subscription."""
        self.ensure_started()
        return self._ready.wait(timeout)

    def stop(self) -> None:
        """Cancel the listener and join its thread (at most `STOP_TIMEOUT`)."""
        with self._lock:
            thread, loop, task, run = self._thread, self._loop, self._task, self._listening
            self._thread, self._stopped = None, True
        if thread is None:
            return
        if loop is not None and task is not None and run is not None:
            with contextlib.suppress(RuntimeError):  # the loop already closed
                asyncio.run_coroutine_threadsafe(run.halt(task), loop)
        thread.join(STOP_TIMEOUT)

    @property
    def running(self) -> bool:
        """Whether the listener runs."""
        return self._thread is not None and self._thread.is_alive()
