"""Prometheus metrics (the ``[metrics]`` extra): each counter moves by exactly what was done."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from medusa_payload import AsyncMedusaClient, AsyncPayloadClient
from medusa_payload._core._http import APIRequest
from medusa_payload.errors import ConfigurationError, NotFoundError
from medusa_payload.observability import (
    disable_metrics,
    enable_metrics,
    metrics_enabled,
    serve_metrics,
)
from medusa_payload.observability._prometheus import MAX_ROUTES, route_template
from medusa_payload.queue import InMemoryQueue, JobContext, RetryPolicy, Worker
from medusa_payload.sync import job_handlers
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo
from medusa_payload.unified._cache import CacheConfig, ResourceCache
from medusa_payload.webhooks import WebhookReceiver, create_asgi_app, sign_headers

REQUEST = httpx.Request("GET", "http://m/store/products/x")
SECRET = "whsec_" + "bWVkdXNhLXRlc3Qtc2VjcmV0LTMyLWJ5dGVzLWxvbmch"


@pytest.fixture
def metrics() -> Iterator[Any]:
    instruments = enable_metrics(registry=_new_registry())
    try:
        yield instruments
    finally:
        disable_metrics()


def _new_registry() -> Any:
    import prometheus_client

    return prometheus_client.CollectorRegistry()


def value(instruments: Any, metric: str, **labels: str) -> float:
    return instruments.registry.get_sample_value(metric, labels) or 0.0


def test_nothing_is_imported_while_metrics_are_off() -> None:
    code = (
        "import sys, medusa_payload, medusa_payload.webhooks, medusa_payload.queue, "
        "medusa_payload.sync, medusa_payload.unified, medusa_payload.observability\n"
        "from medusa_payload.observability import _instruments, metrics_enabled\n"
        "assert metrics_enabled() is None\n"
        "assert type(_instruments.ACTIVE) is _instruments.Instruments\n"
        "print(sorted(m for m in sys.modules if m.startswith(('prometheus', 'opentelemetry'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_route_templates_hold_no_ids() -> None:
    assert route_template("/admin/products/prod_01HX8ZK3QW/variants") == (
        "/admin/products/{id}/variants"
    )
    assert route_template("/api/product-content/12") == "/api/product-content/{id}"
    assert route_template("/store/products") == "/store/products"
    assert route_template("/api/globals/" + "x" * 41) == "/api/globals/{id}"


def test_distinct_routes_are_capped(metrics: Any) -> None:
    for n in range(MAX_ROUTES + 5):
        metrics.http_request(
            "payload", "GET", f"/api/c{'x' * (n % 30)}/{'y' * (n // 30)}", "200", 0
        )
    routes = {
        s.labels["route"]
        for m in metrics.registry.collect()
        if m.name == "medusa_payload_http_requests"
        for s in m.samples
    }
    assert len(routes) == MAX_ROUTES + 1 and "other" in routes


async def test_http_requests_retries_and_latency(metrics: Any) -> None:
    answers = iter([503, 200, 404])

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(answers), json={}, headers={"retry-after": "0"})

    transport = httpx.MockTransport(reply)
    async with AsyncMedusaClient("http://m", transport=transport) as medusa:
        await medusa.send_request(APIRequest("GET", "/store/products/prod_01ABC"))
        with pytest.raises(NotFoundError):
            await medusa.send_request(APIRequest("GET", "/store/products/prod_02DEF"))
    labels = {"service": "medusa", "method": "GET", "route": "/store/products/{id}"}
    total = "medusa_payload_http_requests_total"
    assert value(metrics, total, **labels, status="503") == 1
    assert value(metrics, total, **labels, status="200") == 1
    assert value(metrics, total, **labels, status="404") == 1
    assert value(metrics, "medusa_payload_http_retries_total", **labels) == 1
    assert value(metrics, "medusa_payload_http_request_duration_seconds_count", **labels) == 3


def test_cache_events_per_resource(metrics: Any) -> None:
    now = [0.0]
    cache = ResourceCache("products", CacheConfig(), lambda: now[0])
    cache.miss()
    cache.put(("k",), "v")
    assert cache.fresh(("k",)) is not None
    cache.served_stale()
    gone = NotFoundError(
        "nope", service="medusa", response=httpx.Response(404, request=REQUEST), body=None
    )
    cache.put_not_found(("gone",), gone)
    assert cache.fresh(("gone",)) is not None
    name = "medusa_payload_cache_events_total"
    for outcome in ("miss", "hit", "stale", "negative_hit"):
        assert value(metrics, name, resource="products", outcome=outcome) == 1, outcome


async def test_jobs_webhooks_sync_results_and_the_metrics_route(metrics: Any) -> None:
    medusa_fake, payload_fake = FakeMedusa(), FakePayload()
    ids = seed_demo(medusa_fake, payload_fake)
    queue = InMemoryQueue(policy=RetryPolicy(max_retries=1, initial_delay=0))
    receiver = WebhookReceiver(queue, SECRET, source="medusa")
    app = create_asgi_app(medusa=receiver)
    body = (
        b'{"event":"product.updated","data":{"id":"%s"}}' % ids["products"]["live-plain"].encode()
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        accepted = await c.post(
            "/webhooks/medusa", content=body, headers=sign_headers(body, SECRET)
        )
        rejected = await c.post("/webhooks/medusa", content=body)
        before = await c.get("/metrics")
        assert value(metrics, "bullmq_job_count", queue="default", state="waiting") == 1
        medusa = AsyncMedusaClient(
            medusa_fake.base_url, api_key=medusa_fake.secret_key, transport=medusa_fake.transport
        )
        payload = AsyncPayloadClient(
            payload_fake.base_url, api_key=payload_fake.api_key, transport=payload_fake.transport
        )

        def broken(ctx: JobContext) -> None:
            raise ValueError("boom")

        await queue.enqueue("custom.broken", {})
        handlers = {**job_handlers(medusa, payload), "custom.broken": broken}
        worker = Worker(queue, handlers)
        await worker.run_until_idle(timeout=20)
        await medusa.aclose()
        await payload.aclose()
        scraped = await c.get("/metrics")
    assert (accepted.status_code, rejected.status_code, before.status_code) == (202, 400, 200)
    assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = scraped.text
    assert 'bullmq_job_count{queue="default",state="waiting"} 0.0' in text
    assert 'bullmq_job_count{queue="default",state="failed"} 1.0' in text
    webhooks = "medusa_payload_webhooks_total"
    assert value(metrics, webhooks, source="medusa", status="202", outcome="accepted") == 1
    assert value(metrics, webhooks, source="medusa", status="400", outcome="rejected") == 1
    jobs = "medusa_payload_jobs_total"
    sync_job = {"queue": "default", "name": "sync.product_to_payload"}
    assert value(metrics, jobs, **sync_job, status="completed") == 1
    broken_job = {"queue": "default", "name": "custom.broken"}
    assert value(metrics, jobs, **broken_job, status="retrying") == 1
    assert value(metrics, jobs, **broken_job, status="failed") == 1
    assert value(metrics, "medusa_payload_job_duration_seconds_count", **sync_job) == 1
    results = [
        (s.labels["job"], s.labels["action"], s.value)
        for m in metrics.registry.collect()
        if m.name == "medusa_payload_sync_results"
        for s in m.samples
        if s.name.endswith("_total")
    ]
    assert results == [("product_to_payload", "created", 1.0)]  # live-plain has no content yet


async def test_metrics_route_is_404_while_metrics_are_off() -> None:
    assert metrics_enabled() is None
    app = create_asgi_app(medusa=WebhookReceiver(InMemoryQueue(), SECRET, source="medusa"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        assert (await c.get("/metrics")).status_code == 404


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_metrics_on_a_port_and_a_taken_port_is_a_configuration_error(metrics: Any) -> None:
    port = _free_port()
    server = serve_metrics(port, "127.0.0.1")
    try:
        metrics.webhook("payload", 202, "accepted")
        answer = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
        assert (
            'medusa_payload_webhooks_total{outcome="accepted",source="payload",status="202"} 1.0'
            in (answer.text)
        )
        with pytest.raises(ConfigurationError, match=f"cannot serve metrics on 127.0.0.1:{port}"):
            serve_metrics(port, "127.0.0.1")
    finally:
        server.shutdown()
        server.server_close()


async def test_worker_metrics_port_serves_while_running_and_is_freed_after(
    metrics: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medusa_payload import _cli_runtime

    for name in ("REDIS_URL", "MEDUSA_PAYLOAD_QUEUE"):
        monkeypatch.delenv(name, raising=False)
    port = _free_port()
    seen: list[str] = []

    def echo(line: str) -> None:
        if line.startswith("worker ") and "stopped" not in line:
            seen.append(httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text)

    code = await _cli_runtime.run_worker(
        concurrency=1,
        queue_name="obs-metrics-port",
        prefix=None,
        handler_specs=[],
        audit=False,
        lock_duration=None,
        stalled_interval=30,
        until_idle=True,
        metrics_port=port,
        echo=echo,
    )
    assert code == 0
    assert len(seen) == 1 and "medusa_payload_http_requests" in seen[0]
    with socket.socket() as s:  # no listener left (REUSEADDR: TIME_WAIT does not count)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))


def test_reconcile_items_by_kind_and_status(metrics: Any) -> None:
    from medusa_payload.sync import ReconcileItem, ReconcileReport

    report = ReconcileReport(dry_run=True)
    report.add(ReconcileItem("product", "conflict", product_id="prod_1", note="two docs"))
    report.add(ReconcileItem("product", "drifted", product_id="prod_2"))
    report.add(ReconcileItem("product", "conflict", product_id="prod_3", note="two docs"))
    name = "medusa_payload_reconcile_items_total"
    assert value(metrics, name, kind="product", status="conflict") == 2
    assert value(metrics, name, kind="product", status="drifted") == 1


async def test_webhooks_serve_metrics_option_serves_the_route(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medusa_payload import _cli_runtime

    monkeypatch.setenv("MEDUSA_WEBHOOK_SECRET", SECRET)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("PAYLOAD_WEBHOOK_SECRET", raising=False)
    plain = _cli_runtime.webhooks_app(queue_name="obs-cli", prefix=None, audit=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=plain), base_url="http://x"
    ) as c:
        assert (await c.get("/metrics")).status_code == 404
    try:
        app = _cli_runtime.webhooks_app(
            queue_name="obs-cli", prefix=None, audit=False, metrics=True
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as c:
            answer = await c.get("/metrics")
        assert answer.status_code == 200
        # in memory (no REDIS_URL): the queue is labelled "default"
        assert 'bullmq_job_count{queue="default",state="waiting"} 0.0' in answer.text
    finally:
        disable_metrics()
