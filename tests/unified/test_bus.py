"""The invalidation bus in one process: wire format, `InMemoryBus`, replicas and lifecycle."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest

from medusa_payload.queue import InMemoryQueue
from medusa_payload.unified import BusMessageError, InMemoryBus, Invalidation
from medusa_payload.unified._bus import decode_message, encode_message
from medusa_payload.webhooks import WebhookReceiver, sign_headers
from tests.helpers import close, resolve

from .bus_helpers import LISTENER, FlakyBus, eventually
from .conftest import Shop, make_shop

SECRET = "bus-test-secret"


def replica(kind: str, bus: Any, like: Shop | None = None) -> Shop:
    """A storefront replica: its own clients and caches, the shared bus (and fakes)."""
    return make_shop(kind, like=like, bus=bus)


async def shutdown(shop: Shop) -> None:
    await close(shop.unified)
    for client in shop.clients:
        await close(client)


def cached_count(shop: Shop) -> int:
    return sum(s.size for s in shop.unified.cache_stats().values())


@pytest.mark.parametrize(
    "change",
    [
        Invalidation(product="prod_1", handle="tee", reason="product.updated"),
        Invalidation(page="about"),
        Invalidation(store="12"),
        Invalidation(resources=("pages", "branding")),
        Invalidation.all("gap"),
    ],
)
def test_messages_survive_the_wire(change: Invalidation) -> None:
    raw = {k.encode(): v.encode() for k, v in encode_message(change).items()}
    assert decode_message(raw) == change


@pytest.mark.parametrize(
    "raw",
    [
        {b"foo": b"bar"},  # a foreign entry
        {b"v": b"1"},  # names no change
        {b"v": b"2", b"product": b"prod_1"},  # a newer version
        {b"v": b"1", b"product": b"prod_1", b"price": b"3"},  # a field this version cannot read
        {b"v": b"1", b"product": b"\xff\xfe"},  # truncated inside a UTF-8 character
        {b"v": b"1", b"resources": b"regions"},
        {b"v": b"1", b"everything": b"0"},
        {b"v": b"1", b"page": b"x" * 5000},
    ],
)
def test_bad_entries_are_refused_with_a_typed_error(raw: dict[bytes, bytes]) -> None:
    with pytest.raises(BusMessageError):
        decode_message(raw)


async def test_a_subscriber_that_falls_behind_gets_a_gap() -> None:
    bus = InMemoryBus(backlog=2)
    subscription = await bus.subscribe()
    for n in range(3):
        await bus.publish(Invalidation(page=f"p{n}"))
    assert (await subscription.next()).everything
    await bus.publish(Invalidation(page="after"))
    assert (await subscription.next()).page == "after"
    await subscription.aclose()
    assert bus.subscribers == 0


async def test_every_replica_drops_exactly_the_affected_entries() -> None:
    bus = InMemoryBus()
    first = replica("async", bus)
    replicas = [first, replica("sync", bus, first), replica("async", bus, first)]
    try:
        for shop in replicas:
            assert await resolve(shop.unified.start(timeout=5))
            await resolve(shop.unified.get_product("live-tee"))
            await resolve(shop.unified.get_product("live-hoodie"))
            await resolve(shop.unified.list_products(limit=5))
            await resolve(shop.unified.get_page("about", tenant_id="acme"))
        tee_id = replicas[0].ids["products"]["live-tee"]
        await bus.publish(Invalidation(product=tee_id, reason="product.updated"))
        for shop in replicas:
            await eventually(lambda shop=shop: cached_count(shop) == 2)  # hoodie and page
        for shop in replicas:
            calls = shop.medusa_fake.count()
            await resolve(shop.unified.get_product("live-hoodie"))
            assert shop.medusa_fake.count() == calls
            await resolve(shop.unified.get_product("live-tee"))
            assert shop.medusa_fake.count() > calls
    finally:
        for shop in replicas:
            await shutdown(shop)
    assert bus.subscribers == 0


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_start_and_close_leave_no_task_thread_or_subscription(kind: str) -> None:
    bus = InMemoryBus()
    threads_before = {t.ident for t in threading.enumerate()}
    shop = replica(kind, bus)
    assert not shop.unified.subscribed  # nothing runs before the first read or start()
    await resolve(shop.unified.get_product("live-tee"))
    assert await resolve(shop.unified.start(timeout=5))
    assert shop.unified.subscribed and bus.subscribers == 1
    await close(shop.unified)
    assert not shop.unified.subscribed and bus.subscribers == 0
    await resolve(shop.unified.get_product("live-tee"))  # a read after close starts nothing
    assert not shop.unified.subscribed and bus.subscribers == 0
    await shutdown(shop)
    assert not [t for t in asyncio.all_tasks() if t.get_name() == LISTENER]
    leftover = [t for t in threading.enumerate() if t.ident not in threads_before]
    assert not [t for t in leftover if t.name == LISTENER]


async def test_subscribing_drops_what_was_cached_before() -> None:
    """Entries read before the subscription may predate a change it never saw."""
    bus = InMemoryBus()
    shop = replica("async", bus)
    try:
        await resolve(shop.unified.get_product("live-tee"))  # starts the listener
        assert await shop.unified.start(timeout=5)
        await eventually(lambda: cached_count(shop) == 0)
    finally:
        await shutdown(shop)


async def test_a_lost_subscription_drops_everything_and_subscribes_again() -> None:
    bus = FlakyBus(fail_after=1)
    shop = replica("async", bus)
    try:
        assert await shop.unified.start(timeout=5)
        await resolve(shop.unified.get_product("live-hoodie"))
        await bus.publish(Invalidation(page="nothing-cached"))  # applied, drops nothing
        await bus.publish(Invalidation(page="x"))  # the subscription fails here
        await eventually(lambda: bus.subscribed == 2 and bus.subscribers == 1)
        await eventually(lambda: cached_count(shop) == 0)
        await resolve(shop.unified.get_product("live-tee"))
        tee_id = shop.ids["products"]["live-tee"]
        await bus.publish(Invalidation(product=tee_id))  # the new subscription applies it
        await eventually(lambda: cached_count(shop) == 0)
        assert shop.unified.subscribed
    finally:
        await shutdown(shop)


async def test_a_failing_apply_never_kills_the_listener(caplog: pytest.LogCaptureFixture) -> None:
    bus = InMemoryBus()
    shop = replica("async", bus)
    try:
        assert await shop.unified.start(timeout=5)
        await resolve(shop.unified.get_product("live-tee"))
        original = shop.unified._drop_local  # what a gap ("everything" on the bus) calls
        shop.unified._drop_local = lambda: 1 / 0  # type: ignore[method-assign]
        await bus.publish(Invalidation.all("boom"))
        await eventually(lambda: "applying" in caplog.text)
        shop.unified._drop_local = original  # type: ignore[method-assign]
        await bus.publish(Invalidation(handle="live-tee"))
        await eventually(lambda: cached_count(shop) == 0)
    finally:
        await shutdown(shop)


async def test_the_receiver_publishes_what_a_webhook_changes() -> None:
    bus = InMemoryBus()
    first = replica("async", bus)
    replicas = [first, replica("sync", bus, first)]
    receiver = WebhookReceiver(InMemoryQueue(), SECRET, source="payload", bus=bus)
    try:
        for shop in replicas:
            assert await resolve(shop.unified.start(timeout=5))
            await resolve(shop.unified.get_page("about", tenant_id="acme"))
            await resolve(shop.unified.get_product("live-tee"))
        body = json.dumps(
            {
                "event": "pages.update",
                "collection": "pages",
                "operation": "update",
                "id": "1",
                "status": "published",
                "previous_status": "published",
                "doc": {"id": 1, "slug": "about"},
            }
        ).encode()
        receipt = await receiver.ahandle(body, sign_headers(body, SECRET))
        assert receipt.status == 202
        for shop in replicas:
            await eventually(lambda shop=shop: cached_count(shop) == 1)  # the product stays
    finally:
        await receiver.aclose()
        for shop in replicas:
            await shutdown(shop)


async def test_a_bus_that_fails_to_publish_never_fails_the_delivery() -> None:
    class Down(InMemoryBus):
        async def publish(self, change: Invalidation) -> None:
            raise ConnectionError("redis down")

    receiver = WebhookReceiver(InMemoryQueue(), SECRET, source="medusa", bus=Down())
    body = json.dumps({"event": "product.updated", "data": {"id": "prod_1"}}).encode()
    receipt = await receiver.ahandle(body, sign_headers(body, SECRET))
    assert receipt.status == 202
    assert receiver.counters["publish_errors"] == 1
