"""Real processes: 4 storefront replicas and 1 receiver on one Redis; each signed webhook
makes every replica drop exactly the affected entries."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis

from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo, serve_http
from medusa_payload.webhooks import sign_headers
from tests.conftest import redis_url

from .bus_fleet import Fleet

pytestmark = [pytest.mark.redis, pytest.mark.slow]  # about 7 s: 5 processes start

REPLICAS = 4


@pytest.fixture
def fleet() -> Iterator[tuple[Fleet, dict[str, str], redis.Redis]]:
    client = redis.Redis.from_url(redis_url(), socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {redis_url()}")
    medusa_fake, payload_fake = FakeMedusa(), FakePayload()
    ids = seed_demo(medusa_fake, payload_fake)
    stream = f"mp-test-fleet:{uuid.uuid4().hex}"
    with serve_http(medusa_fake) as medusa_url, serve_http(payload_fake) as payload_url:
        fleet = Fleet(medusa_fake, (medusa_url, payload_url), redis_url(), stream)
        try:
            fleet.start(REPLICAS, "--rewarm")
            yield fleet, ids["products"], client
        finally:
            fleet.stop()
            client.delete(stream, f"{stream}:seq", f"{stream}:acks")
            client.close()


def _acks(client: redis.Redis, stream: str, count: int) -> list[dict[str, object]]:
    acks = []
    deadline = time.monotonic() + 20
    while len(acks) < count:
        left = deadline - time.monotonic()
        assert left > 0, f"only {len(acks)} of {count} replicas dropped in time"
        item = client.blpop([f"{stream}:acks"], timeout=max(left, 0.1))
        if item is not None:
            acks.append(json.loads(item[1]))
    return acks


def test_each_signed_webhook_reaches_every_replica(
    fleet: tuple[Fleet, dict[str, str], redis.Redis],
) -> None:
    processes, products, client = fleet
    with httpx.Client(timeout=10) as http:
        for n, handle in enumerate(["live-tee", "live-hoodie", "live-tee"]):
            body = json.dumps(
                {"event": "product.updated", "data": {"id": products[handle], "handle": handle}}
            ).encode()
            headers = sign_headers(body, processes.secret, msg_id=f"msg_fleet_{n}")
            answer = http.post(processes.webhook_url, content=body, headers=headers)
            assert answer.status_code == 202, answer.text
            acks = _acks(client, processes.stream, REPLICAS)
            assert sorted(a["replica"] for a in acks) == [f"r{i}" for i in range(REPLICAS)]
            for ack in acks:
                assert (ack["product"], ack["handle"]) == (products[handle], handle)
                # the product and the list went; the other product and the page stayed
                assert (ack["dropped"], ack["left"]) == (2, 2), ack
