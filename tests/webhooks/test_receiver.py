"""The receiver pipeline: refusals, replay, dedup, invalidation, audit, sync and async forms."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import pytest

from medusa_payload import _jobs
from medusa_payload.errors import ConfigurationError
from medusa_payload.observability import valid_traceparent
from medusa_payload.webhooks import (
    InMemoryReplayStore,
    Receipt,
    SyncJobRecord,
    WebhookEvent,
    WebhookReceiver,
    WebhookRecord,
    generate_secret,
)
from medusa_payload.webhooks import _receiver as receiver_module
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

# -- accepted, ignored, duplicate --------------------------------------------------------------


async def test_accepts_and_enqueues_ids_only(
    medusa_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer
) -> None:
    body = medusa_body("product.updated", "prod_9")
    headers = signer(body, msg_id="msg_a")
    receipt = await medusa_receiver.ahandle(body, {**headers, "x-request-id": "req-1"})
    assert receipt == Receipt(
        status=202,
        reason="enqueued sync.product_to_payload",
        job_id="job-1",
        duplicate=False,
        request_id="req-1",
        webhook_id="msg_a",
        event="product.updated",
        job_name=_jobs.PRODUCT_TO_PAYLOAD,
    )
    assert receipt.ok
    [(name, data, key)] = queue.jobs
    assert (name, ids_of(data)) == (_jobs.PRODUCT_TO_PAYLOAD, {"product_id": "prod_9"})
    assert data["request_id"] == "req-1"  # the sender's id travels to the worker
    assert valid_traceparent(data["traceparent"]) == data["traceparent"]
    assert key is not None
    assert key.startswith("webhook:medusa:")


def test_sync_handle_runs_the_same_pipeline(
    medusa_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer
) -> None:
    body = medusa_body("order.placed", "order_1")
    receipt = medusa_receiver.handle(body, signer(body))
    assert receipt.status == 202
    assert (queue.jobs[0][0], ids_of(queue.jobs[0][1])) == (
        _jobs.ORDER_AUDIT,
        {"order_id": "order_1", "event": "order.placed"},
    )
    again = medusa_receiver.handle(body, signer(body))  # a new event (new id) for the same order
    assert again.status == 202
    assert len(queue.jobs) == 2


async def test_payload_receiver_routes_published_content(
    payload_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer
) -> None:
    body = payload_body(doc_id=12, medusaProductId="prod_1")
    receipt = await payload_receiver.ahandle(body, signer(body, PAYLOAD_SECRET))
    assert (receipt.status, receipt.event) == (202, "product-content.update")
    assert (queue.jobs[0][0], ids_of(queue.jobs[0][1])) == (
        _jobs.CONTENT_TO_MEDUSA,
        {"content_id": "12", "product_id": "prod_1"},
    )


async def test_draft_is_ignored_with_2xx_and_no_job(
    payload_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer
) -> None:
    body = payload_body(status="draft", previous_status="draft")
    receipt = await payload_receiver.ahandle(body, signer(body, PAYLOAD_SECRET))
    assert (receipt.status, receipt.reason, receipt.job_id) == (200, "ignored: draft", None)
    assert queue.jobs == []


async def test_unknown_event_is_ignored_with_2xx(
    medusa_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer
) -> None:
    body = medusa_body("customer.created", "cus_1")
    receipt = await medusa_receiver.ahandle(body, signer(body))
    assert (receipt.status, receipt.reason) == (200, "ignored: unknown event 'customer.created'")
    assert receipt.ok
    assert not receipt.duplicate
    assert queue.jobs == []


async def test_replayed_delivery_is_a_2xx_duplicate_and_not_enqueued(
    medusa_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer
) -> None:
    body = medusa_body()
    headers = signer(body)
    first = await medusa_receiver.ahandle(body, headers)
    replay = await medusa_receiver.ahandle(body, headers)
    assert first.status == 202
    assert (replay.status, replay.duplicate, replay.reason) == (
        200,
        True,
        "duplicate: webhook-id already received",
    )
    assert len(queue.jobs) == 1


async def test_sender_retry_resigned_later_is_a_duplicate(
    medusa_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer, clock: Clock
) -> None:
    body = medusa_body()
    await medusa_receiver.ahandle(body, signer(body, msg_id="msg_r"))
    clock.now += 60
    retry = await medusa_receiver.ahandle(body, signer(body, msg_id="msg_r"))
    assert retry.duplicate
    assert retry.status == 200
    assert len(queue.jobs) == 1


async def test_retry_on_another_process_is_deduplicated_by_the_queue(
    queue: FakeQueue, clock: Clock, signer: Signer
) -> None:
    # two receiver processes, each with its own in-memory replay store, one shared queue
    one = WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", clock=clock)
    two = WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", clock=clock)
    body = medusa_body()
    first = await one.ahandle(body, signer(body, msg_id="msg_x"))
    retry = await two.ahandle(body, signer(body, msg_id="msg_x"))
    assert first.status == 202
    assert (retry.status, retry.duplicate, retry.job_id) == (200, True, first.job_id)
    assert retry.reason == "duplicate: job already queued"
    assert len(queue.jobs) == 1


async def test_replay_store_forgets_after_twice_the_tolerance(
    queue: FakeQueue, signer: Signer, clock: Clock
) -> None:
    mono = Clock(0.0)
    store = InMemoryReplayStore(clock=mono)
    receiver = WebhookReceiver(
        queue, MEDUSA_SECRET, source="medusa", clock=clock, replay_store=store, tolerance=10
    )
    body = medusa_body()
    await receiver.ahandle(body, signer(body, msg_id="msg_t"))
    mono.now = 19.9
    assert (await receiver.ahandle(body, signer(body, msg_id="msg_t"))).reason.startswith(
        "duplicate: webhook-id"
    )
    mono.now = 20.1
    # past the replay window the queue's own dedup still answers for the same event
    assert (
        await receiver.ahandle(body, signer(body, msg_id="msg_t"))
    ).reason == "duplicate: job already queued"


# -- refusals: status, reason, nothing enqueued ----------------------------------------------------


async def refuse(receiver: WebhookReceiver, body: bytes, headers: Any, queue: FakeQueue) -> Receipt:
    receipt = await receiver.ahandle(body, headers)
    assert 400 <= receipt.status < 500
    assert receipt.reason
    assert queue.jobs == []
    return receipt


async def test_stale_and_future_deliveries_are_401(
    medusa_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer, clock: Clock
) -> None:
    body = medusa_body()
    stale = await refuse(medusa_receiver, body, signer(body, timestamp=clock.now - 301), queue)
    future = await refuse(medusa_receiver, body, signer(body, timestamp=clock.now + 301), queue)
    assert (stale.status, future.status) == (401, 401)
    assert stale.reason.startswith("timestamp too old")
    assert future.reason.startswith("timestamp too new")
    assert stale.webhook_id is not None  # the signature verified before the timestamp was checked


async def test_tampered_body_is_401(
    medusa_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer
) -> None:
    headers = signer(medusa_body(entity_id="prod_1"))
    receipt = await refuse(medusa_receiver, medusa_body(entity_id="prod_2"), headers, queue)
    assert (receipt.status, receipt.reason) == (401, "no matching signature")


async def test_wrong_secret_is_401(
    medusa_receiver: WebhookReceiver,
    payload_receiver: WebhookReceiver,
    queue: FakeQueue,
    signer: Signer,
) -> None:
    body = medusa_body()
    assert (
        await refuse(medusa_receiver, body, signer(body, generate_secret()), queue)
    ).status == 401
    # the Payload secret does not open the Medusa endpoint, nor the other way round
    assert (await refuse(medusa_receiver, body, signer(body, PAYLOAD_SECRET), queue)).status == 401
    pbody = payload_body()
    assert (
        await refuse(payload_receiver, pbody, signer(pbody, MEDUSA_SECRET), queue)
    ).status == 401


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
async def test_missing_header_is_400(
    medusa_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer, missing: str
) -> None:
    body = medusa_body()
    headers = signer(body)
    del headers[missing]
    receipt = await refuse(medusa_receiver, body, headers, queue)
    assert (receipt.status, receipt.reason) == (400, f"missing header {missing}")


async def test_rotated_secret(queue: FakeQueue, clock: Clock, signer: Signer) -> None:
    old, new = generate_secret(), generate_secret()
    during = WebhookReceiver(queue, [new, old], source="medusa", clock=clock)
    after = WebhookReceiver(FakeQueue(), [new], source="medusa", clock=clock)
    body = medusa_body()
    assert (await during.ahandle(body, signer(body, old))).status == 202
    assert (await during.ahandle(body, signer(body, new))).status == 202
    assert (await during.ahandle(body, signer(body, [old, new]))).status == 202
    assert (await after.ahandle(body, signer(body, old))).status == 401
    assert (await after.ahandle(body, signer(body, [old, new]))).status == 202


async def test_body_over_limit_is_413_before_anything_else(queue: FakeQueue, clock: Clock) -> None:
    receiver = WebhookReceiver(
        queue, MEDUSA_SECRET, source="medusa", clock=clock, max_body_size=100
    )
    receipt = await refuse(receiver, b"x" * 101, {}, queue)
    assert (receipt.status, receipt.reason) == (413, "body too large (101 bytes, limit 100)")
    assert (await receiver.ahandle(b"x" * 100, {})).status == 400  # at the limit: next step


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"not json", 400, "body is not valid JSON"),
        (b"[1]", 400, "body is not a JSON object"),
        (b'{"event":"product.updated"}', 422, "invalid medusa event: data: Field required"),
    ],
)
async def test_signed_but_invalid_body(
    medusa_receiver: WebhookReceiver,
    queue: FakeQueue,
    signer: Signer,
    body: bytes,
    status: int,
    reason: str,
) -> None:
    receipt = await refuse(medusa_receiver, body, signer(body, msg_id="msg_bad"), queue)
    assert (receipt.status, receipt.reason, receipt.webhook_id) == (status, reason, "msg_bad")
    # the claim was released: the same id is refused for the same reason again, not "duplicate"
    assert (await medusa_receiver.ahandle(body, signer(body, msg_id="msg_bad"))).status == status


async def test_non_bytes_body_is_400(medusa_receiver: WebhookReceiver, queue: FakeQueue) -> None:
    assert (await refuse(medusa_receiver, 42, {}, queue)).reason == "body must be bytes"  # type: ignore[arg-type]


async def test_str_body_is_accepted_as_utf8(
    medusa_receiver: WebhookReceiver, queue: FakeQueue, signer: Signer
) -> None:
    body = medusa_body(entity_id="prod_é")
    assert (await medusa_receiver.ahandle(body.decode(), signer(body))).status == 202


async def test_request_id_is_taken_only_when_sane(medusa_receiver: WebhookReceiver) -> None:
    assert (await medusa_receiver.ahandle(b"", {"x-request-id": "abc-1"})).request_id == "abc-1"
    for bad in ("a b", "x" * 200, "é"):
        rid = (await medusa_receiver.ahandle(b"", {"x-request-id": bad})).request_id
        assert rid != bad
        assert len(rid) == 32


# -- failures of collaborators -------------------------------------------------------------------


async def test_queue_failure_is_503_and_the_retry_goes_through(
    medusa_receiver: WebhookReceiver,
    queue: FakeQueue,
    signer: Signer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = medusa_body()
    headers = signer(body)
    queue.error = ConnectionError("redis://user:hunter2@host down")
    receipt = await medusa_receiver.ahandle(body, headers)
    assert (receipt.status, receipt.reason) == (503, "queue unavailable")
    assert "hunter2" not in caplog.text
    queue.error = None
    assert (await medusa_receiver.ahandle(body, headers)).status == 202


async def test_replay_store_failure_is_503(queue: FakeQueue, clock: Clock, signer: Signer) -> None:
    class Broken:
        async def claim(self, key: str, ttl: float) -> bool:
            raise OSError("down")

        async def release(self, key: str) -> None:
            raise OSError("down")

    receiver = WebhookReceiver(
        queue, MEDUSA_SECRET, source="medusa", clock=clock, replay_store=Broken()
    )
    body = medusa_body()
    receipt = await receiver.ahandle(body, signer(body))
    assert (receipt.status, receipt.reason, queue.jobs) == (503, "replay store unavailable", [])


async def test_a_bug_becomes_500_not_an_exception(
    medusa_receiver: WebhookReceiver,
    queue: FakeQueue,
    signer: Signer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def explode(event: WebhookEvent) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(receiver_module, "route_event", explode)
    body = medusa_body()
    headers = signer(body)
    receipt = await medusa_receiver.ahandle(body, headers)
    assert (receipt.status, receipt.reason, queue.jobs) == (500, "internal error", [])
    assert medusa_receiver.counters["failed"] == 1
    assert "webhook receiver failed" in caplog.text
    monkeypatch.undo()
    assert (await medusa_receiver.ahandle(body, headers)).status == 202  # claim released


# -- invalidation ---------------------------------------------------------------------------------


async def test_invalidate_called_once_per_new_job_sync_or_async(
    queue: FakeQueue, clock: Clock, signer: Signer
) -> None:
    seen: list[tuple[str, str, dict[str, str]]] = []

    def sync_hook(event: WebhookEvent) -> None:
        seen.append(("sync", event.name, event.ids))

    async def async_hook(event: WebhookEvent) -> None:
        await asyncio.sleep(0)
        seen.append(("async", event.name, event.ids))

    body = payload_body(status="published", medusaProductId="prod_1", handle="tee")
    for hook in (sync_hook, async_hook):
        receiver = WebhookReceiver(
            FakeQueue(), PAYLOAD_SECRET, source="payload", clock=clock, invalidate=hook
        )
        headers = signer(body, PAYLOAD_SECRET)
        await receiver.ahandle(body, headers)
        await receiver.ahandle(body, headers)  # duplicate: no second invalidation
    ids = {"content_id": "12", "product_id": "prod_1"}
    assert seen == [
        ("sync", "product-content.update", ids),
        ("async", "product-content.update", ids),
    ]


async def test_no_invalidation_for_ignored_or_refused(
    queue: FakeQueue, clock: Clock, signer: Signer
) -> None:
    calls: list[WebhookEvent] = []
    receiver = WebhookReceiver(
        queue, PAYLOAD_SECRET, source="payload", clock=clock, invalidate=calls.append
    )
    draft = payload_body(status="draft", previous_status=None)
    await receiver.ahandle(draft, signer(draft, PAYLOAD_SECRET))
    await receiver.ahandle(b"{}", signer(b"{}", PAYLOAD_SECRET))
    assert calls == []


async def test_invalidation_errors_are_counted_not_raised(
    queue: FakeQueue, clock: Clock, signer: Signer
) -> None:
    def broken(event: WebhookEvent) -> None:
        raise KeyError("cache")

    receiver = WebhookReceiver(
        queue, MEDUSA_SECRET, source="medusa", clock=clock, invalidate=broken
    )
    body = medusa_body()
    assert (await receiver.ahandle(body, signer(body))).status == 202
    assert receiver.counters["invalidate_errors"] == 1


# -- audit ----------------------------------------------------------------------------------------


class ListSink:
    def __init__(self) -> None:
        self.webhooks: list[WebhookRecord] = []

    async def record_webhook(self, record: WebhookRecord) -> None:
        self.webhooks.append(record)

    async def record_sync_job(self, record: SyncJobRecord) -> None:
        raise AssertionError("the receiver never writes job records")


async def test_every_delivery_is_audited(queue: FakeQueue, clock: Clock, signer: Signer) -> None:
    sink = ListSink()
    receiver = WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", clock=clock, audit=sink)
    body = medusa_body()
    headers = signer(body, msg_id="msg_aud")
    enqueue = queue.enqueue

    async def slow_enqueue(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.02)
        return await enqueue(*args, **kwargs)

    queue.enqueue = slow_enqueue  # type: ignore[method-assign]
    wall, started = time.time(), time.perf_counter()
    await receiver.ahandle(body, {**headers, "x-request-id": "r1"})
    took_ms, arrived_by = (time.perf_counter() - started) * 1000, time.time()
    queue.enqueue = enqueue  # type: ignore[method-assign]
    await receiver.ahandle(body, headers)
    await receiver.ahandle(b"junk", {})
    ok, dup, bad = sink.webhooks
    assert (ok.status, ok.request_id, ok.webhook_id, ok.event, ok.job_id, ok.job_name) == (
        202,
        "r1",
        "msg_aud",
        "product.updated",
        "job-1",
        _jobs.PRODUCT_TO_PAYLOAD,
    )
    assert ok.source == "medusa"
    assert 19 <= ok.duration_ms <= took_ms  # in ms, with the 20 ms enqueue (timer slack: 1 ms)
    assert wall <= ok.received_at <= arrived_by
    assert (dup.status, dup.duplicate) == (200, True)
    assert (bad.status, bad.webhook_id, bad.error) == (400, None, None)
    assert receiver.counters == {"accepted": 1, "duplicate": 1, "rejected": 1}


async def test_failing_or_slow_audit_never_fails_the_delivery(
    queue: FakeQueue, clock: Clock, signer: Signer
) -> None:
    class Failing(ListSink):
        async def record_webhook(self, record: WebhookRecord) -> None:
            raise RuntimeError("payload down")

    class Slow(ListSink):
        async def record_webhook(self, record: WebhookRecord) -> None:
            await asyncio.sleep(10)

    good = ListSink()
    receiver = WebhookReceiver(
        queue,
        MEDUSA_SECRET,
        source="medusa",
        clock=clock,
        audit=[Failing(), Slow(), good],
        audit_timeout=0.05,
    )
    body = medusa_body()
    assert (await receiver.ahandle(body, signer(body))).status == 202
    assert receiver.counters["audit_errors"] == 2
    assert len(good.webhooks) == 1


async def test_500_is_audited_with_the_error_type(
    queue: FakeQueue, clock: Clock, signer: Signer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sink = ListSink()
    receiver = WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", clock=clock, audit=sink)
    monkeypatch.setattr(receiver_module, "parse_event", lambda *a: 1 / 0)
    body = medusa_body()
    await receiver.ahandle(body, signer(body))
    assert (sink.webhooks[0].status, sink.webhooks[0].error) == (500, "ZeroDivisionError")


# -- construction ---------------------------------------------------------------------------------


def test_constructor_validates(queue: FakeQueue) -> None:
    with pytest.raises(ConfigurationError):
        WebhookReceiver(queue, MEDUSA_SECRET, source="shopify")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        WebhookReceiver(queue, "", source="medusa")
    with pytest.raises(ConfigurationError):
        WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", max_body_size=0)
    with pytest.raises(ConfigurationError):
        WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", tolerance=-1)


def test_repr_hides_secrets(medusa_receiver: WebhookReceiver) -> None:
    assert MEDUSA_SECRET not in repr(medusa_receiver)
    assert "1 secret(s)" in repr(medusa_receiver)


async def test_from_env_reads_comma_separated_secrets(
    queue: FakeQueue, clock: Clock, signer: Signer
) -> None:
    old, new = generate_secret(), generate_secret()
    env = {"MEDUSA_WEBHOOK_SECRET": f"{new}, {old}", "PAYLOAD_WEBHOOK_SECRET": PAYLOAD_SECRET}
    medusa = WebhookReceiver.from_env(queue, source="medusa", environ=env, clock=clock)
    payload = WebhookReceiver.from_env(queue, source="payload", environ=env, clock=clock)
    body = medusa_body()
    assert (await medusa.ahandle(body, signer(body, old))).status == 202
    pbody = payload_body()
    assert (await payload.ahandle(pbody, signer(pbody, PAYLOAD_SECRET))).status == 202
    with pytest.raises(ConfigurationError, match="MEDUSA_WEBHOOK_SECRET is not set"):
        WebhookReceiver.from_env(queue, source="medusa", environ={})


def test_context_managers(queue: FakeQueue, signer: Signer, clock: Clock) -> None:
    body = medusa_body()
    with WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", clock=clock) as receiver:
        assert receiver.handle(body, signer(body)).status == 202
    assert receiver.handle(body, signer(body)).status == 202  # usable again: a new loop starts
    receiver.close()

    async def use() -> None:
        async with WebhookReceiver(queue, MEDUSA_SECRET, source="medusa", clock=clock) as r:
            assert (await r.ahandle(body, signer(body))).status == 202

    asyncio.run(use())


def test_logging_of_a_delivery_never_shows_the_body(
    medusa_receiver: WebhookReceiver, signer: Signer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = json.dumps(
        {"event": "product.updated", "data": {"id": "p"}, "secret_field": "s3cr3t"}
    ).encode()
    medusa_receiver.handle(body, signer(body))
    assert "s3cr3t" not in caplog.text
