"""Audit sinks: the logging sink and the Payload sink (against a fake `create` client)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from medusa_payload.webhooks import (
    AuditSink,
    LoggingAuditSink,
    PayloadAuditSink,
    SupportsCreate,
    SyncJobRecord,
    WebhookReceiver,
    WebhookRecord,
)
from tests.webhooks.helpers import MEDUSA_SECRET, Clock, FakeQueue, Signer, medusa_body

RECORD = WebhookRecord(
    request_id="r1",
    source="medusa",
    status=202,
    reason="enqueued sync.product_to_payload",
    received_at=1_795_000_000.25,
    duration_ms=1.23456,
    webhook_id="msg_1",
    event="product.updated",
    job_id="job-1",
    job_name="sync.product_to_payload",
)
JOB = SyncJobRecord(
    job_id="job-1",
    job_name="sync.product_to_payload",
    status="failed",
    attempt=4,
    started_at=1_795_000_000.0,
    finished_at=1_795_000_001.5,
    duration_ms=1500.0,
    data={"product_id": "prod_1"},
    error="NotFoundError: 404",
    request_id="r1",
)


class FakePayload:
    def __init__(self, fail: bool = False) -> None:
        self.created: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail

    async def create(self, collection: str, data: dict[str, Any]) -> dict[str, Any]:
        if self.fail:
            raise ConnectionError("payload down")
        self.created.append((collection, data))
        return {"doc": data}


def test_records_as_documents() -> None:
    assert RECORD.to_doc() == {
        "requestId": "r1",
        "source": "medusa",
        "status": 202,
        "reason": "enqueued sync.product_to_payload",
        "receivedAt": "2026-11-18T11:06:40.250000Z",
        "durationMs": 1.235,
        "webhookId": "msg_1",
        "event": "product.updated",
        "jobId": "job-1",
        "jobName": "sync.product_to_payload",
        "duplicate": False,
        "error": None,
    }
    assert JOB.to_doc() == {
        "jobId": "job-1",
        "jobName": "sync.product_to_payload",
        "status": "failed",
        "attempt": 4,
        "startedAt": "2026-11-18T11:06:40Z",
        "finishedAt": "2026-11-18T11:06:41.500000Z",
        "durationMs": 1500.0,
        "requestId": "r1",
        "data": {"product_id": "prod_1"},
        "error": "NotFoundError: 404",
    }
    assert SyncJobRecord("j", "n", "completed", 1, 0.0).to_doc()["finishedAt"] is None


async def test_payload_sink_writes_both_collections() -> None:
    client = FakePayload()
    sink = PayloadAuditSink(client)
    assert isinstance(sink, AuditSink)
    assert isinstance(client, SupportsCreate)
    await sink.record_webhook(RECORD)
    await sink.record_sync_job(JOB)
    assert [c for c, _ in client.created] == ["webhook-logs", "sync-jobs"]
    assert client.created[0][1] == RECORD.to_doc()
    assert (sink.written, sink.errors) == (2, 0)


async def test_payload_sink_skips_rejected_unless_asked() -> None:
    rejected = WebhookRecord("r", "medusa", 401, "no matching signature", 0.0, 0.1)
    client = FakePayload()
    await PayloadAuditSink(client).record_webhook(rejected)
    assert client.created == []
    await PayloadAuditSink(client, include_rejected=True, webhook_collection="logs").record_webhook(
        rejected
    )
    assert client.created[0][0] == "logs"


async def test_payload_sink_errors_are_counted_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    sink = PayloadAuditSink(FakePayload(fail=True))
    await sink.record_webhook(RECORD)
    await sink.record_sync_job(JOB)
    assert (sink.written, sink.errors) == (0, 2)
    assert "audit write to 'webhook-logs' failed: ConnectionError" in caplog.text


async def test_payload_sink_behind_the_receiver(clock: Clock, signer: Signer) -> None:
    client = FakePayload()
    receiver = WebhookReceiver(
        FakeQueue(), MEDUSA_SECRET, source="medusa", clock=clock, audit=PayloadAuditSink(client)
    )
    body = medusa_body()
    await receiver.ahandle(body, signer(body))
    await receiver.ahandle(b"junk", {})  # rejected: not written
    [(collection, doc)] = client.created
    assert (collection, doc["status"], doc["event"]) == ("webhook-logs", 202, "product.updated")


async def test_logging_sink(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="medusa_payload.webhooks.audit")
    sink = LoggingAuditSink()
    assert isinstance(sink, AuditSink)
    await sink.record_webhook(RECORD)
    await sink.record_webhook(
        WebhookRecord("r2", "payload", 401, "no matching signature", 0.0, 0.5)
    )
    await sink.record_sync_job(JOB)
    await sink.record_sync_job(SyncJobRecord("j2", "sync.page_to_medusa", "completed", 1, 0.0))
    levels = [r.levelno for r in caplog.records]
    assert levels == [logging.INFO, logging.WARNING, logging.WARNING, logging.INFO]
    assert "webhook medusa product.updated msg_1 -> 202" in caplog.records[0].getMessage()
    assert caplog.records[0].audit == RECORD.to_doc()  # type: ignore[attr-defined]
    assert "attempt 4 failed: NotFoundError: 404" in caplog.records[2].getMessage()


async def test_logging_sink_custom_logger(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("my.audit")
    caplog.set_level(logging.INFO, logger="my.audit")
    await LoggingAuditSink(log).record_webhook(RECORD)
    assert caplog.records[0].name == "my.audit"
