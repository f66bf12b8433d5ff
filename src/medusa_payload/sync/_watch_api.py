"""`watch`: run the watcher with either client flavour."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import overload

from .._config import DEFAULT_WATCH_INTERVAL
from ..medusa import AsyncMedusaClient, MedusaClient
from ._async.watch import AsyncWatcher
from ._sync.watch import Watcher
from ._watch_plan import WatchReport
from ._watch_queue import AsyncEnqueuer, Enqueuer
from ._watch_state import WatchStateStore

__all__ = ["watch"]


@overload
def watch(
    medusa: MedusaClient,
    queue: Enqueuer,
    *,
    every: float = ...,
    inventory_threshold: float | None = ...,
    once: bool = ...,
    state: WatchStateStore | None = ...,
    on_poll: Callable[[WatchReport], object] | None = ...,
) -> None: ...


@overload
def watch(
    medusa: AsyncMedusaClient,
    queue: AsyncEnqueuer,
    *,
    every: float = ...,
    inventory_threshold: float | None = ...,
    once: bool = ...,
    state: WatchStateStore | None = ...,
    on_poll: Callable[[WatchReport], object] | None = ...,
) -> Awaitable[None]: ...


def watch(
    medusa: MedusaClient | AsyncMedusaClient,
    queue: Enqueuer | AsyncEnqueuer,
    *,
    every: float = DEFAULT_WATCH_INTERVAL,
    inventory_threshold: float | None = None,
    once: bool = False,
    state: WatchStateStore | None = None,
    on_poll: Callable[[WatchReport], object] | None = None,
) -> Awaitable[None] | None:
    """Catch the changes Medusa does not announce, and enqueue what the webhooks would have.

    Polls products, variants and (with ``inventory_threshold``) inventory levels every
    ``every`` seconds (default 30) and enqueues ``sync.product_to_payload`` for each changed
    product or variant and ``notify.inventory_low`` for each level changed to an
    ``available_quantity`` below the threshold; each change once (see `AsyncWatcher`). The
    first poll without saved ``state`` only records where things stand. Runs until
    cancelled, or one poll with ``once``. With `AsyncMedusaClient` and a `Queue` it returns a
    coroutine; with `MedusaClient` and a blocking queue (`SyncQueue`) it blocks.

    Raises:
        TypeError: a client that is neither flavour.
        ValueError: ``every`` not positive.
    """
    if isinstance(medusa, AsyncMedusaClient):
        watcher = AsyncWatcher(
            medusa,
            queue,  # type: ignore[arg-type]
            state=state,
            inventory_threshold=inventory_threshold,
        )
        return watcher.run(every=every, once=once, on_poll=on_poll)
    if isinstance(medusa, MedusaClient):
        Watcher(
            medusa,
            queue,  # type: ignore[arg-type]
            state=state,
            inventory_threshold=inventory_threshold,
        ).run(every=every, once=once, on_poll=on_poll)
        return None
    raise TypeError(f"watch needs a MedusaClient or AsyncMedusaClient, got {type(medusa).__name__}")
