"""OpenTelemetry spans (the ``[otel]`` extra): one trace from the delivery to the write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from medusa_payload import AsyncMedusaClient, AsyncPayloadClient
from medusa_payload.observability import disable_tracing, enable_tracing
from medusa_payload.queue import InMemoryQueue, Worker
from medusa_payload.sync import job_handlers
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo
from medusa_payload.webhooks import WebhookReceiver, sign_headers

SECRET = "whsec_" + "bWVkdXNhLXRlc3Qtc2VjcmV0LTMyLWJ5dGVzLWxvbmch"
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
SENT = f"00-{TRACE_ID}-b7ad6b7169203331-01"


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    enable_tracing(provider)
    try:
        yield exporter
    finally:
        disable_tracing()
        provider.shutdown()


async def _edit_to_write(*, sync_clients: bool) -> tuple[dict[str, Any], Any]:
    medusa_fake, payload_fake = FakeMedusa(), FakePayload()
    ids = seed_demo(medusa_fake, payload_fake)
    queue = InMemoryQueue()
    receiver = WebhookReceiver(queue, SECRET, source="medusa")
    product = ids["products"]["live-plain"]
    body = b'{"event":"product.updated","data":{"id":"%s"}}' % product.encode()
    headers = {**sign_headers(body, SECRET), "traceparent": SENT}
    receipt = await receiver.ahandle(body, headers)
    if sync_clients:
        from medusa_payload import MedusaClient, PayloadClient

        medusa: Any = MedusaClient(
            medusa_fake.base_url, api_key=medusa_fake.secret_key, transport=medusa_fake.transport
        )
        payload: Any = PayloadClient(
            payload_fake.base_url, api_key=payload_fake.api_key, transport=payload_fake.transport
        )
    else:
        medusa = AsyncMedusaClient(
            medusa_fake.base_url, api_key=medusa_fake.secret_key, transport=medusa_fake.transport
        )
        payload = AsyncPayloadClient(
            payload_fake.base_url, api_key=payload_fake.api_key, transport=payload_fake.transport
        )
    await Worker(queue, job_handlers(medusa, payload)).run_until_idle(timeout=20)
    for client in (medusa, payload):
        closed = client.close() if sync_clients else client.aclose()
        if closed is not None:
            await closed
    return ids, receipt


@pytest.mark.parametrize("sync_clients", [False, True], ids=["async", "threads"])
async def test_one_trace_from_delivery_to_write(
    exporter: InMemorySpanExporter, sync_clients: bool
) -> None:
    _, receipt = await _edit_to_write(sync_clients=sync_clients)
    assert receipt.status == 202
    spans = sorted(exporter.get_finished_spans(), key=lambda s: s.start_time or 0)
    names = [s.name for s in spans]
    assert names[:3] == ["webhook.receive", "queue.enqueue", "job.run"]
    assert names[3:5] == ["sync.job", "medusa GET"]
    assert names.index("sync.apply") < names.index("payload POST")
    assert {format(s.context.trace_id, "032x") for s in spans} == {TRACE_ID}  # one trace
    by_id = {s.context.span_id: s for s in spans}

    def parent(name: str) -> str:
        span = next(s for s in spans if s.name == name)
        assert span.parent is not None
        return by_id[span.parent.span_id].name if span.parent.span_id in by_id else "sender"

    assert parent("webhook.receive") == "sender"
    assert parent("queue.enqueue") == "webhook.receive"
    assert parent("job.run") == "webhook.receive"  # linked through the job data's traceparent
    assert parent("sync.job") == "job.run"
    assert parent("medusa GET") == "sync.job"
    assert parent("sync.apply") == "sync.job"
    assert parent("payload POST") == "sync.apply"
    http = next(s for s in spans if s.name == "medusa GET")
    assert http.attributes is not None
    assert http.attributes["url.template"] == "/admin/products/{id}"
    assert http.attributes["http.response.status_code"] == 200


async def test_without_tracing_no_span_is_recorded() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    await _edit_to_write(sync_clients=False)
    assert exporter.get_finished_spans() == ()
    provider.shutdown()


def test_http_span_records_a_failure(exporter: InMemorySpanExporter) -> None:
    from medusa_payload import MedusaClient
    from medusa_payload._core._http import APIRequest
    from medusa_payload.errors import NotFoundError

    transport = httpx.MockTransport(lambda r: httpx.Response(404, json={"message": "no"}))
    with MedusaClient("http://m", transport=transport) as medusa, pytest.raises(NotFoundError):
        medusa.send_request(APIRequest("GET", "/store/products/prod_1"))
    [span] = exporter.get_finished_spans()
    assert span.name == "medusa GET"
    assert not span.status.is_ok
