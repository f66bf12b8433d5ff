"""The ASGI app (raw scope/receive/send and httpx.ASGITransport) and the WSGI app
(httpx.WSGITransport, sync)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from medusa_payload import _jobs
from medusa_payload.errors import ConfigurationError
from medusa_payload.webhooks import WebhookReceiver, create_asgi_app, create_wsgi_app
from tests.webhooks.helpers import (
    MEDUSA_SECRET,
    PAYLOAD_SECRET,
    Clock,
    FakeQueue,
    Signer,
    ids_of,
    medusa_body,
    payload_body,
)

TOKEN = "stats-token-1"


@pytest.fixture
def receivers(queue: FakeQueue, clock: Clock) -> Iterator[tuple[WebhookReceiver, WebhookReceiver]]:
    medusa = WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", clock=clock, max_body_size=4096)
    payload = WebhookReceiver(queue, PAYLOAD_SECRET, source="payload", clock=clock)
    yield medusa, payload
    medusa.close()
    payload.close()


# -- raw ASGI -----------------------------------------------------------------------------------


async def call_asgi(
    app: Any,
    method: str,
    path: str,
    *,
    chunks: list[bytes] = (),  # type: ignore[assignment]
    headers: dict[str, str] | None = None,
    root_path: str = "",
) -> tuple[int, dict[str, str], Any, int]:
    """Run one request; returns status, headers, decoded JSON body, body chunks consumed."""
    pending = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    pending = pending or [{"type": "http.request", "body": b"", "more_body": False}]
    consumed = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal consumed
        consumed += 1
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "path": path,
        "root_path": root_path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    await app(scope, receive, send)
    start, body = sent
    assert start["type"] == "http.response.start"
    assert body["type"] == "http.response.body"
    response_headers = {k.decode(): v.decode() for k, v in start["headers"]}
    payload = json.loads(body["body"]) if body["body"] else None
    return start["status"], response_headers, payload, consumed


async def test_asgi_post_medusa(
    receivers: tuple[WebhookReceiver, WebhookReceiver], queue: FakeQueue, signer: Signer
) -> None:
    app = create_asgi_app(*receivers, stats_token=TOKEN)
    body = medusa_body()
    half = len(body) // 2
    status, headers, answer, _ = await call_asgi(
        app, "POST", "/webhooks/medusa", chunks=[body[:half], body[half:]], headers=signer(body)
    )
    assert status == 202
    assert answer["job_name"] == _jobs.PRODUCT_TO_PAYLOAD
    assert answer["job_id"] == "job-1"
    assert headers["content-type"] == "application/json"
    assert headers["x-request-id"] == answer["request_id"]


async def test_asgi_endpoints_use_their_own_secrets(
    receivers: tuple[WebhookReceiver, WebhookReceiver], queue: FakeQueue, signer: Signer
) -> None:
    app = create_asgi_app(*receivers)
    body = payload_body()
    wrong, _, _, _ = await call_asgi(
        app, "POST", "/webhooks/medusa", chunks=[body], headers=signer(body, PAYLOAD_SECRET)
    )
    right, _, answer, _ = await call_asgi(
        app, "POST", "/webhooks/payload/", chunks=[body], headers=signer(body, PAYLOAD_SECRET)
    )
    assert (wrong, right) == (401, 202)
    assert answer["event"] == "product-content.update"


async def test_asgi_body_limit_while_reading(
    receivers: tuple[WebhookReceiver, WebhookReceiver], queue: FakeQueue
) -> None:
    app = create_asgi_app(*receivers)
    chunks = [b"x" * 1000] * 10
    status, _, answer, consumed = await call_asgi(app, "POST", "/webhooks/medusa", chunks=chunks)
    assert status == 413
    assert answer["reason"] == "body too large (limit 4096 bytes)"
    assert consumed == 5  # stopped reading at the chunk that crossed the limit
    status, _, _, consumed = await call_asgi(
        app,
        "POST",
        "/webhooks/medusa",
        chunks=chunks,
        headers={"content-length": "10000", "x-request-id": "big"},
    )
    assert status == 413
    assert consumed == 0
    assert queue.jobs == []


async def test_asgi_routes_methods_and_mounts(
    receivers: tuple[WebhookReceiver, WebhookReceiver], signer: Signer
) -> None:
    app = create_asgi_app(receivers[0])
    status, headers, _, _ = await call_asgi(app, "GET", "/webhooks/medusa")
    assert status == 405
    assert headers["allow"] == "POST"
    assert (await call_asgi(app, "POST", "/webhooks/payload"))[0] == 404  # no payload receiver
    assert (await call_asgi(app, "GET", "/queue/stats"))[0] == 404  # no stats token configured
    assert (await call_asgi(app, "GET", "/"))[0] == 404
    body = medusa_body()
    mounted = await call_asgi(
        app,
        "POST",
        "/hooks/webhooks/medusa",
        chunks=[body],
        headers=signer(body),
        root_path="/hooks",
    )
    assert mounted[0] == 202


async def test_asgi_stats_needs_the_bearer_token(
    receivers: tuple[WebhookReceiver, WebhookReceiver], queue: FakeQueue
) -> None:
    app = create_asgi_app(*receivers, stats_token=TOKEN)
    for auth in (None, "Bearer wrong", f"Basic {TOKEN}", TOKEN, "Bearer", f"Bearer {TOKEN}x"):
        status, headers, answer, _ = await call_asgi(
            app, "GET", "/queue/stats", headers={"authorization": auth} if auth else None
        )
        assert status == 401, auth
        assert headers["www-authenticate"] == "Bearer"
        assert "waiting" not in answer
    status, _, answer, _ = await call_asgi(
        app, "GET", "/queue/stats", headers={"authorization": f"bearer {TOKEN}"}
    )
    assert status == 200
    assert answer == {
        "waiting": 0,
        "active": 0,
        "completed": 2,
        "failed": 1,
        "delayed": 0,
        "total": 3,
    }
    assert (
        await call_asgi(app, "POST", "/queue/stats", headers={"authorization": f"Bearer {TOKEN}"})
    )[0] == 405
    queue.error = OSError("down")
    assert (
        await call_asgi(app, "GET", "/queue/stats", headers={"authorization": f"Bearer {TOKEN}"})
    )[0] == 503


async def test_asgi_stats_of_another_queue(
    receivers: tuple[WebhookReceiver, WebhookReceiver],
) -> None:
    other = FakeQueue()
    await other.enqueue("x", {})
    app = create_asgi_app(*receivers, stats_token=TOKEN, stats_queue=other)
    answer = (
        await call_asgi(app, "GET", "/queue/stats", headers={"authorization": f"Bearer {TOKEN}"})
    )[2]
    assert answer["waiting"] == 1


async def test_asgi_lifespan_and_other_scopes(
    receivers: tuple[WebhookReceiver, WebhookReceiver],
) -> None:
    app = create_asgi_app(*receivers)
    inbox = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return inbox.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    await app({"type": "websocket"}, receive, send)  # ignored, nothing sent
    assert len(sent) == 2


async def test_asgi_client_disconnect_sends_nothing(
    receivers: tuple[WebhookReceiver, WebhookReceiver], queue: FakeQueue
) -> None:
    app = create_asgi_app(*receivers)
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(
        {"type": "http", "method": "POST", "path": "/webhooks/medusa", "headers": []}, receive, send
    )
    assert sent == []
    assert queue.jobs == []


def test_app_factories_validate(receivers: tuple[WebhookReceiver, WebhookReceiver]) -> None:
    medusa, payload = receivers
    with pytest.raises(ConfigurationError):
        create_asgi_app()
    with pytest.raises(ConfigurationError):
        create_asgi_app(payload, medusa)  # swapped
    with pytest.raises(ConfigurationError):
        create_wsgi_app(medusa=payload)


# -- httpx.ASGITransport ----------------------------------------------------------------------


async def test_asgi_through_httpx(
    receivers: tuple[WebhookReceiver, WebhookReceiver], queue: FakeQueue, signer: Signer
) -> None:
    app = create_asgi_app(*receivers, stats_token=TOKEN)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hooks") as client:
        body = medusa_body("vendor.approved", "ven_1")
        accepted = await client.post("/webhooks/medusa", content=body, headers=signer(body))
        replay = await client.post(
            "/webhooks/medusa", content=body, headers=accepted.request.headers
        )
        junk = await client.post("/webhooks/medusa", content=b"junk")
        big = await client.post("/webhooks/medusa", content=b"x" * 5000)
        stats = await client.get("/queue/stats", headers={"Authorization": f"Bearer {TOKEN}"})
    assert accepted.status_code == 202
    assert accepted.json()["job_name"] == _jobs.VENDOR_TO_PAYLOAD
    assert replay.status_code == 200
    assert replay.json()["duplicate"] is True
    assert junk.status_code == 400
    assert junk.json()["reason"].startswith("missing header")
    assert big.status_code == 413
    assert stats.json()["waiting"] == 1
    assert len(queue.jobs) == 1
    # a 413 refused while reading is counted like any refusal
    assert receivers[0].counters == {"accepted": 1, "duplicate": 1, "rejected": 2}


# -- WSGI through httpx.WSGITransport ------------------------------------------------------------


def test_wsgi_through_httpx(
    receivers: tuple[WebhookReceiver, WebhookReceiver], queue: FakeQueue, signer: Signer
) -> None:
    app = create_wsgi_app(*receivers, stats_token=TOKEN)
    try:
        with httpx.Client(
            transport=httpx.WSGITransport(app=app), base_url="http://hooks"
        ) as client:
            body = payload_body("pages", "update", 7, "published", "published")
            accepted = client.post(
                "/webhooks/payload", content=body, headers=signer(body, PAYLOAD_SECRET)
            )
            replay = client.post(
                "/webhooks/payload", content=body, headers=accepted.request.headers
            )
            draft = payload_body("pages", "create", 8, "draft", None)
            ignored = client.post(
                "/webhooks/payload", content=draft, headers=signer(draft, PAYLOAD_SECRET)
            )
            big = client.post("/webhooks/medusa", content=b"x" * 5000)
            unauthorized = client.get("/queue/stats")
            stats = client.get("/queue/stats", headers={"Authorization": f"Bearer {TOKEN}"})
            head = client.head("/queue/stats", headers={"Authorization": f"Bearer {TOKEN}"})
            missing = client.get("/nope")
    finally:
        app.close()
    assert accepted.status_code == 202
    assert accepted.json()["job_name"] == _jobs.PAGE_TO_MEDUSA
    assert accepted.headers["x-request-id"] == accepted.json()["request_id"]
    assert replay.status_code == 200
    assert replay.json()["duplicate"] is True
    assert ignored.status_code == 200
    assert ignored.json()["reason"] == "ignored: draft"
    assert big.status_code == 413
    assert big.json()["reason"] == "body too large (limit 4096 bytes)"
    assert unauthorized.status_code == 401
    assert stats.status_code == 200
    assert stats.json()["total"] == 4
    assert head.status_code == 200
    assert head.content == b""
    assert missing.status_code == 404
    [(name, data, _)] = queue.jobs
    assert (name, ids_of(data)) == (_jobs.PAGE_TO_MEDUSA, {"page_id": "7"})


def test_wsgi_runs_the_queue_on_its_own_loop_thread(
    receivers: tuple[WebhookReceiver, WebhookReceiver], signer: Signer
) -> None:
    threads: list[str] = []

    class ThreadQueue(FakeQueue):
        async def enqueue(self, name: str, data: Any, **kw: Any) -> Any:
            threads.append(threading.current_thread().name)
            return await super().enqueue(name, data, **kw)

    medusa = WebhookReceiver(
        ThreadQueue(), MEDUSA_SECRET, source="medusa", clock=receivers[0]._clock
    )
    app = create_wsgi_app(medusa)
    try:
        with httpx.Client(
            transport=httpx.WSGITransport(app=app), base_url="http://hooks"
        ) as client:
            for _ in range(3):
                body = medusa_body()
                assert (
                    client.post("/webhooks/medusa", content=body, headers=signer(body)).status_code
                    == 202
                )
    finally:
        app.close()
    assert threads == ["medusa-payload-webhooks-wsgi"] * 3


def test_wsgi_reads_chunked_bodies_only_when_terminated(
    receivers: tuple[WebhookReceiver, WebhookReceiver], signer: Signer
) -> None:
    import io

    app = create_wsgi_app(receivers[0])
    body = medusa_body()
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        statuses.append(status)

    base = {"REQUEST_METHOD": "POST", "PATH_INFO": "/webhooks/medusa"}
    base.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in signer(body).items()})
    try:
        app({**base, "wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True}, start_response)
        app(
            {**base, "wsgi.input": io.BytesIO(b"x" * 5000), "wsgi.input_terminated": True},
            start_response,
        )
        app(
            {**base, "wsgi.input": io.BytesIO(body)}, start_response
        )  # no length, not terminated: empty
    finally:
        app.close()
    assert [s[:3] for s in statuses] == ["202", "413", "401"]  # 413's phrase differs across Pythons


async def test_asgi_answers_before_the_audit_is_written(
    queue: FakeQueue, clock: Clock, signer: Signer
) -> None:
    """A slow audit sink (a busy Payload) never delays the sender's 202: the app sends the
    answer, then writes the audit record in the same request task."""
    events: list[str] = []

    class SlowSink:
        async def record_webhook(self, record: Any) -> None:
            await asyncio.sleep(0.05)
            events.append(f"audit {record.status}")

        async def record_sync_job(self, record: Any) -> None:
            raise AssertionError("the receiver never writes job records")

    receiver = WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", clock=clock, audit=SlowSink())
    app = create_asgi_app(receiver)
    body = medusa_body()
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            events.append(f"answer {json.loads(message['body'])['status']}")

    headers = [(k.lower().encode(), v.encode()) for k, v in signer(body).items()]
    scope = {"type": "http", "method": "POST", "path": "/webhooks/medusa", "headers": headers}
    await app(scope, receive, send)
    assert events == ["answer 202", "audit 202"]  # answered first, audited before returning
    # The receiver's own ahandle (and the WSGI app) still return after the audit.
    events.clear()
    again = medusa_body(entity_id="prod_2")
    await receiver.ahandle(again, signer(again))
    assert events == ["audit 202"]
    receiver.close()
