"""Issue 16 on the real stack: one Payload edit -> webhook -> worker -> Medusa write, followed
by one request id, one trace and the metrics.

The receiver (our ASGI app under uvicorn, an in-memory queue) gets the stack's real Payload
deliveries through the echo receiver's relay (``WEBHOOK_RELAY_FILE``); the worker runs in this
process with async clients whose transport records every request as it leaves (wrapped around
the real one).
Run it on a stack of your own: it points the stack's relay at this test while it runs.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from medusa_payload import AsyncMedusaClient, AsyncPayloadClient, MedusaClient, PayloadClient, Where
from medusa_payload._cli_runtime import _audit_hook
from medusa_payload.observability import (
    JobLogFilter,
    disable_metrics,
    disable_tracing,
    enable_metrics,
    enable_tracing,
)
from medusa_payload.queue import InMemoryQueue, JobOutcome, Worker
from medusa_payload.sync import job_handlers
from medusa_payload.webhooks import (
    PayloadAuditSink,
    SyncJobRecord,
    WebhookReceiver,
    WebhookRecord,
    create_asgi_app,
)
from tests.live._servers import serve_asgi

pytestmark = pytest.mark.live


class Recording(httpx.AsyncBaseTransport):
    """The real transport, keeping (method, url path, x-request-id) of each request sent."""

    def __init__(self) -> None:
        self.real = httpx.AsyncHTTPTransport()
        self.sent: list[tuple[str, str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path, request.headers["x-request-id"]))
        return await self.real.handle_async_request(request)

    async def aclose(self) -> None:
        await self.real.aclose()


class Kept:
    """An audit sink that keeps the receiver's records (beside the Payload one)."""

    def __init__(self) -> None:
        self.webhooks: list[WebhookRecord] = []

    async def record_webhook(self, record: WebhookRecord) -> None:
        self.webhooks.append(record)

    async def record_sync_job(self, record: SyncJobRecord) -> None:
        raise AssertionError("the receiver writes no job records")


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.addFilter(JobLogFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def lines() -> Iterator[Lines]:
    handler, log = Lines(), logging.getLogger("medusa_payload")
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    yield handler
    log.removeHandler(handler)
    log.setLevel(level)


@pytest.fixture
def exporter() -> Iterator[Any]:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter, provider = InMemorySpanExporter(), TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    enable_tracing(provider)
    yield exporter
    disable_tracing()
    provider.shutdown()


@pytest.fixture
def metrics() -> Iterator[Any]:
    import prometheus_client

    yield enable_metrics(prometheus_client.CollectorRegistry())
    disable_metrics()


def _sample(text: str, metric: str, **labels: str) -> float:
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == metric and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


async def _wait(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        await asyncio.sleep(0.2)
    raise AssertionError(f"no {what} within {timeout} s")


def test_one_edit_one_id_one_trace_and_exact_counters(
    live_env: dict[str, str], lines: Lines, exporter: Any, metrics: Any
) -> None:
    tag = uuid.uuid4().hex[:8]
    relay = Path(live_env["WEBHOOK_RELAY_FILE"])
    kept, recording, outcomes = Kept(), Recording(), list[JobOutcome]()
    secret = live_env["MEDUSA_SECRET_API_KEY"]
    sync_key = live_env["PAYLOAD_SYNC_API_KEY"]
    # Used on the server's loop, which ends with it: no pooled connection may outlive it.
    no_pool = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
    receiver_payload = AsyncPayloadClient(
        live_env["PAYLOAD_URL"], api_key=sync_key, transport=no_pool
    )
    queue = InMemoryQueue()  # shared by the server's loop and the worker's (it wakes either)
    sinks = [kept, PayloadAuditSink(receiver_payload)]
    app = create_asgi_app(
        medusa=WebhookReceiver(
            queue, live_env["MEDUSA_WEBHOOK_SECRET"], source="medusa", audit=sinks
        ),
        payload=WebhookReceiver(
            queue, live_env["PAYLOAD_WEBHOOK_SECRET"], source="payload", audit=sinks
        ),
    )

    async def worker_side() -> WebhookRecord:
        medusa = AsyncMedusaClient(live_env["MEDUSA_URL"], api_key=secret, transport=recording)
        payload = AsyncPayloadClient(live_env["PAYLOAD_URL"], api_key=sync_key, transport=recording)
        audit = _audit_hook(payload)

        async def on_done(outcome: JobOutcome) -> None:
            outcomes.append(outcome)
            await audit(outcome)

        try:
            [receipt] = await _wait(
                lambda: [r for r in kept.webhooks if r.source == "payload"], 30, "delivery"
            )
            worker = Worker(queue, job_handlers(medusa, payload), on_job_done=on_done)
            await worker.run_until_idle(timeout=60)
            return receipt  # type: ignore[no-any-return]
        finally:
            await medusa.aclose()
            await payload.aclose()

    with (
        MedusaClient(live_env["MEDUSA_URL"], api_key=secret) as admin,
        PayloadClient(live_env["PAYLOAD_URL"], api_key=live_env["PAYLOAD_API_KEY"]) as editor,
        PayloadClient(live_env["PAYLOAD_URL"], api_key=sync_key) as as_sync_user,
    ):
        product = admin.admin.products.create(
            {
                "title": f"Obs {tag}",
                "handle": f"obs-{tag}",
                "status": "published",
                "options": [{"title": "Size", "values": ["M"]}],
                "variants": [
                    {
                        "title": "M",
                        "options": {"Size": "M"},
                        "manage_inventory": False,
                        "prices": [{"currency_code": "eur", "amount": 10}],
                    }
                ],
            }
        )
        # Written as the sync user: the Payload hook does not announce it.
        doc = as_sync_user.create(
            "product-content",
            {"handle": f"obs-{tag}", "title": f"Obs {tag}", "medusaProductId": product.id},
        )
        try:
            with serve_asgi(app) as base:
                relay.write_text(f"{base}/webhooks")
                editor.update_by_id(
                    "product-content",
                    doc.id,
                    {"status": "published", "seo": {"title": f"Obs SEO {tag}"}},
                )
                receipt = asyncio.run(worker_side())
                relay.unlink(missing_ok=True)
                scraped = httpx.get(f"{base}/metrics", timeout=10).text
        finally:
            relay.unlink(missing_ok=True)
            asyncio.run(receiver_payload.aclose())
            admin.admin.products.delete(product.id)
        logs = editor.find("webhook-logs", where=Where.equals("requestId", receipt.request_id))
        jobs = editor.find("sync-jobs", where=Where.equals("requestId", receipt.request_id))
        editor.delete_by_id("product-content", doc.id)

    rid = receipt.request_id
    # the receipt and the job
    assert (receipt.status, receipt.job_name) == (202, "sync.content_to_medusa")
    [job] = [o for o in outcomes if o.name == "sync.content_to_medusa"]
    assert (job.job_id, job.request_id, job.status) == (receipt.job_id, rid, "completed")
    # the outgoing requests, as they left for the servers
    writes = [s for s in recording.sent if s[:2] == ("POST", f"/admin/products/{product.id}")]
    assert writes and all(sent_id == rid for *_, sent_id in writes)
    job_requests = [s for s in recording.sent if s[2] == rid]
    assert len(job_requests) >= 3  # reads of both sides, the write, the audit record
    # the audit records, read back from Payload
    assert [d.model_dump().get("jobId") for d in logs.items] == [receipt.job_id]
    assert [(d.model_dump()["jobId"], d.model_dump()["status"]) for d in jobs.items] == [
        (receipt.job_id, "completed")
    ]
    # the log lines of the job
    of_job = [r for r in lines.records if r.request_id == rid]
    assert any(r.job_id == receipt.job_id and "completed" in r.getMessage() for r in of_job)
    assert any(f"/admin/products/{product.id}" in r.getMessage() for r in of_job)
    # one trace, spans in order
    spans = sorted(exporter.get_finished_spans(), key=lambda s: s.start_time or 0)
    [received] = [
        s
        for s in spans
        if s.name == "webhook.receive" and s.attributes["webhook.source"] == "payload"
    ]
    trace = [s for s in spans if s.context.trace_id == received.context.trace_id]
    names = [s.name for s in trace]
    assert names[:4] == ["webhook.receive", "queue.enqueue", "job.run", "sync.job"]
    assert names.index("sync.apply") < names.index("medusa POST")
    # the counters moved by exactly what happened
    webhooks = "medusa_payload_webhooks_total"
    assert _sample(scraped, webhooks, source="payload", status="202", outcome="accepted") == 1
    done = "medusa_payload_jobs_total"
    assert _sample(scraped, done, name="sync.content_to_medusa", status="completed") == 1
    assert _sample(scraped, done, status="failed") == 0
    posts = [s for s in recording.sent if s[:2] == ("POST", f"/admin/products/{product.id}")]
    http = "medusa_payload_http_requests_total"
    labels = {"service": "medusa", "method": "POST", "route": "/admin/products/{id}"}
    assert _sample(scraped, http, **labels, status="200") == len(posts)
    results = "medusa_payload_sync_results_total"
    assert _sample(scraped, results, job="content_to_medusa", action="metadata_set") == 1
