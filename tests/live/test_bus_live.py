"""A content edit in the real Payload reaches every storefront replica through the bus:
Payload's hook -> the stack's echo receiver -> our `WebhookReceiver(bus=RedisBus)` -> Redis ->
each `UnifiedClient(bus=...)`, which shows the new copy on its next read, long before its TTL."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from medusa_payload import MedusaClient, PayloadClient, UnifiedClient
from medusa_payload.queue import InMemoryQueue
from medusa_payload.unified import CacheConfig, RedisBus
from medusa_payload.webhooks import WebhookReceiver, create_asgi_app
from tests.conftest import redis_url
from tests.live._servers import serve_asgi

pytestmark = [pytest.mark.live, pytest.mark.redis]


@pytest.fixture
def bus() -> Iterator[RedisBus]:
    client = redis.Redis.from_url(redis_url(), socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {redis_url()}")
    stream = f"mp-live-bus:{uuid.uuid4().hex}"
    yield RedisBus(redis_url(), stream=stream, block=0.5)
    client.delete(stream, f"{stream}:seq")
    client.close()


def test_a_payload_edit_reaches_every_replica_before_the_ttl(
    bus: RedisBus,
    medusa: MedusaClient,
    payload: PayloadClient,
    live_env: dict[str, str],
    unique: str,
) -> None:
    handle = f"bus-{unique}"
    product = medusa.admin.products.create(
        {
            "title": "Bus Tee",
            "handle": handle,
            "status": "published",
            "options": [{"title": "Size", "values": ["One"]}],
            "variants": [
                {
                    "title": "One",
                    "options": {"Size": "One"},
                    "manage_inventory": False,
                    "prices": [{"currency_code": "eur", "amount": 4}],
                }
            ],
            "sales_channels": [{"id": live_env["MEDUSA_SALES_CHANNEL_ID"]}],
        }
    )
    doc = payload.create(
        "product-content",
        {
            "handle": handle,
            "title": "Bus Tee",
            "medusaProductId": product.id,
            "seo": {"title": "copy v1"},
            "status": "published",
        },
    )
    receiver = WebhookReceiver(
        InMemoryQueue(), live_env["PAYLOAD_WEBHOOK_SECRET"], source="payload", bus=bus
    )
    relay = Path(live_env["WEBHOOK_RELAY_FILE"])
    ttl = CacheConfig(products=3600)  # only the bus can make a replica read again
    replicas = [UnifiedClient(medusa=medusa, payload=payload, cache=ttl, bus=bus) for _ in range(3)]
    try:
        with serve_asgi(create_asgi_app(payload=receiver)) as url:
            relay.write_text(f"{url}/webhooks")
            try:
                for shop in replicas:
                    assert shop.start(timeout=10)
                    assert _copy(shop, handle) == "copy v1"
                edited = time.monotonic()
                payload.update_by_id("product-content", doc.id, {"seo": {"title": "copy v2"}})
                for shop in replicas:
                    while _copy(shop, handle) != "copy v2":
                        assert time.monotonic() - edited < 30, "the edit did not reach a replica"
                        time.sleep(0.1)
                assert receiver.counters["accepted"] >= 1
                assert receiver.counters["publish_errors"] == 0
            finally:
                bus.close()  # its publishing connection lives on the server's loop
    finally:
        relay.unlink(missing_ok=True)
        for shop in replicas:
            shop.close()
        receiver.close()
        payload.delete_by_id("product-content", doc.id)
        medusa.admin.products.delete(product.id)


def _copy(shop: UnifiedClient, handle: str) -> str | None:
    seo = shop.get_product(handle).seo
    return seo.title if seo is not None else None
