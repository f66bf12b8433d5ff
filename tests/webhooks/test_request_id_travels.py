"""One request id from the webhook delivery to every request its job sends (issue 16 item 1).

A real `WebhookReceiver` enqueues on a real `InMemoryQueue`; a real `Worker` runs handlers that
call a real `AsyncMedusaClient` / `MedusaClient` whose transport records what was sent.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from medusa_payload import AsyncMedusaClient, MedusaClient
from medusa_payload._core._http import APIRequest
from medusa_payload.observability import JobLogFilter, current_request_id
from medusa_payload.queue import InMemoryQueue, JobContext, JobOutcome, Worker
from medusa_payload.webhooks import WebhookReceiver, sign_headers
from tests.webhooks.helpers import MEDUSA_SECRET, medusa_body

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class Recorder:
    """A transport that answers ``{}`` and keeps each request's ``x-request-id``."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.ids.append(request.headers["x-request-id"])
        return httpx.Response(200, json={})


def _receiver(queue: InMemoryQueue) -> WebhookReceiver:
    return WebhookReceiver(queue, MEDUSA_SECRET, source="medusa")


async def _deliver(receiver: WebhookReceiver, entity: str, **headers: str) -> Any:
    body = medusa_body("product.updated", entity)
    return await receiver.ahandle(body, {**sign_headers(body, MEDUSA_SECRET), **headers})


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.addFilter(JobLogFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records() -> Any:
    handler = _Records()
    log = logging.getLogger("medusa_payload")
    old = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        log.removeHandler(handler)
        log.setLevel(old)


async def test_async_handler_sends_the_delivery_request_id(records: list[Any]) -> None:
    queue, recorder, outcomes = InMemoryQueue(), Recorder(), []
    transport = httpx.MockTransport(recorder)
    async with AsyncMedusaClient("http://m", api_key="sk_x", transport=transport) as medusa:

        async def handler(ctx: JobContext) -> str:
            await medusa.send_request(APIRequest("GET", "/store/products"))
            await medusa.send_request(APIRequest("POST", "/admin/products/x", json={}))
            logging.getLogger("medusa_payload.sync").info("applied")
            return ctx.traceparent or ""

        receipt = await _deliver(
            _receiver(queue), "prod_1", **{"x-request-id": "req-abc", "traceparent": TRACEPARENT}
        )
        worker = Worker(queue, {"sync.product_to_payload": handler}, on_job_done=outcomes.append)
        await worker.run_until_idle(timeout=10)
    assert receipt.request_id == "req-abc"
    assert recorder.ids == ["req-abc", "req-abc"]  # every outgoing request of the job
    [outcome] = outcomes
    assert isinstance(outcome, JobOutcome)
    assert (outcome.request_id, outcome.result) == ("req-abc", TRACEPARENT)
    [applied] = [r for r in records if r.getMessage() == "applied"]
    assert (applied.request_id, applied.job_id, applied.job, applied.attempt) == (
        "req-abc",
        outcome.job_id,
        "sync.product_to_payload",
        1,
    )
    assert current_request_id() is None  # nothing leaks out of the job


async def test_sync_handler_thread_sends_the_request_id() -> None:
    """A blocking handler runs in the worker's thread pool: the id must cross into it."""
    queue, recorder = InMemoryQueue(), Recorder()
    with MedusaClient("http://m", transport=httpx.MockTransport(recorder)) as medusa:

        def handler(ctx: JobContext) -> None:
            medusa.send_request(APIRequest("GET", "/store/products"))

        receipt = await _deliver(_receiver(queue), "prod_2")
        await Worker(queue, {"sync.product_to_payload": handler}).run_until_idle(timeout=10)
    assert len(receipt.request_id) == 32  # no x-request-id sent: the receiver made one
    assert recorder.ids == [receipt.request_id]


async def test_a_producer_that_sets_neither_still_works() -> None:
    """A Node BullMQ app enqueues ids only: the job's requests share ``job_<id>``."""
    queue, recorder = InMemoryQueue(), Recorder()
    async with AsyncMedusaClient("http://m", transport=httpx.MockTransport(recorder)) as medusa:

        async def handler(ctx: JobContext) -> None:
            assert ctx.traceparent is None
            await medusa.send_request(APIRequest("GET", "/a"))
            await medusa.send_request(APIRequest("GET", "/b"))

        job = await queue.enqueue("sync.product_to_payload", {"product_id": "prod_3"})
        await Worker(queue, {"sync.product_to_payload": handler}).run_until_idle(timeout=10)
    assert recorder.ids == [f"job_{job.id}", f"job_{job.id}"]


async def test_a_bad_traceparent_is_replaced_and_a_good_one_kept() -> None:
    queue = InMemoryQueue()
    receiver = _receiver(queue)
    await _deliver(receiver, "prod_4", traceparent="00-zz-bad")
    await _deliver(receiver, "prod_5", traceparent=TRACEPARENT)
    first = await queue.reserve("t1", timeout=0)
    second = await queue.reserve("t2", timeout=0)
    assert first is not None and second is not None
    assert first.data["traceparent"] != "00-zz-bad"
    assert first.data["traceparent"].startswith("00-")
    assert second.data["traceparent"] == TRACEPARENT


async def test_outside_a_job_each_call_gets_its_own_id() -> None:
    recorder = Recorder()
    async with AsyncMedusaClient("http://m", transport=httpx.MockTransport(recorder)) as medusa:
        await medusa.send_request(APIRequest("GET", "/a"))
        await medusa.send_request(APIRequest("GET", "/b"))
    assert len(set(recorder.ids)) == 2
