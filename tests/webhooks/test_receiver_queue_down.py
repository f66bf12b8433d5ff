"""The receiver answers 503 "queue unavailable" within ``enqueue_timeout`` while the queue's
Redis is down (the sender retries later), and accepts the retried delivery once Redis is back.
Runs against a redis-server of the test's own, stopped and started by the test."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from medusa_payload.errors import ConfigurationError
from medusa_payload.queue import DEFAULT_QUEUE_TIMEOUT
from medusa_payload.webhooks import Receipt, WebhookReceiver, sign_headers
from tests.queue.conftest import ended_within
from tests.queue.own_redis import OwnRedis, own_redis

__all__ = ["own_redis"]  # the fixture

SECRET = "whsec_" + "cXVldWUtZG93bi10ZXN0LXNlY3JldC0zMi1ieXRlcyE="


def _delivery(product_id: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {"event": "product.updated", "data": {"id": product_id}, "metadata": None}
    ).encode()
    return body, sign_headers(body, SECRET, msg_id=f"msg_{uuid.uuid4().hex}")


async def _answer(receiver: WebhookReceiver, body: bytes, headers: dict[str, str]) -> Receipt:
    handled = asyncio.create_task(receiver.ahandle(body, headers))
    return await ended_within(handled, 10, "the delivery")


@pytest.mark.redis
async def test_503_within_the_bound_while_redis_is_down_then_202(own_redis: OwnRedis) -> None:
    from medusa_payload.queue import RedisQueue

    queue = RedisQueue(own_redis.url, name="down", prefix="mpw")
    receiver = WebhookReceiver(queue, SECRET, source="medusa", enqueue_timeout=1.0)
    try:
        first = await _answer(receiver, *_delivery("prod_before"))
        assert (first.status, first.reason) == (202, "enqueued sync.product_to_payload")

        own_redis.stop()
        body, headers = _delivery("prod_during")
        down = await _answer(receiver, body, headers)
        assert (down.status, down.reason, down.job_id) == (503, "queue unavailable", None)
        assert receiver.counters["failed"] == 1

        own_redis.start()  # the sender retries the very same delivery
        again = await _answer(receiver, body, headers)
        assert (again.status, again.duplicate) == (202, False)
        assert (await queue.stats()).waiting == 1  # the outage took the first job with it
    finally:
        await receiver.aclose()
        await queue.close()


def test_the_bound_defaults_to_the_queue_timeout_and_must_be_positive() -> None:
    from medusa_payload.queue import InMemoryQueue

    receiver = WebhookReceiver(InMemoryQueue(), SECRET, source="medusa")
    assert receiver.enqueue_timeout == DEFAULT_QUEUE_TIMEOUT == 5.0
    with pytest.raises(ConfigurationError, match="enqueue_timeout must be > 0"):
        WebhookReceiver(InMemoryQueue(), SECRET, source="medusa", enqueue_timeout=0)


@pytest.mark.redis
async def test_the_stats_route_answers_503_within_the_bound_while_redis_is_down(
    own_redis: OwnRedis,
) -> None:
    import httpx

    from medusa_payload.queue import RedisQueue
    from medusa_payload.webhooks import create_asgi_app

    queue = RedisQueue(own_redis.url, name="down", prefix="mpw")
    receiver = WebhookReceiver(queue, SECRET, source="medusa", enqueue_timeout=1.0)
    app = create_asgi_app(receiver, None, stats_token="t0ken")
    auth = {"authorization": "Bearer t0ken"}
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://hooks"
        ) as client:
            up = await client.get("/queue/stats", headers=auth)
            assert (up.status_code, up.json()["total"]) == (200, 0)
            own_redis.stop()
            down = await asyncio.wait_for(client.get("/queue/stats", headers=auth), 10)
            assert (down.status_code, down.json()["reason"]) == (503, "queue unavailable")
    finally:
        await receiver.aclose()
        await queue.close()
