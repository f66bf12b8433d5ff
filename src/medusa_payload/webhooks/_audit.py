"""Audit records of webhooks received and sync jobs run, and the sinks that keep them.

The receiver writes one `WebhookRecord` per delivery; the worker writes one `SyncJobRecord` per
job attempt. A sink must never make its caller fail: the receiver also guards every call
(exceptions and a timeout are logged and counted), and `PayloadAuditSink` counts its own errors.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, Protocol, runtime_checkable

import attrs

__all__ = [
    "AuditSink",
    "LoggingAuditSink",
    "PayloadAuditSink",
    "SupportsCreate",
    "SyncJobRecord",
    "WebhookRecord",
]

logger = logging.getLogger("medusa_payload.webhooks.audit")


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat().replace("+00:00", "Z")


@attrs.frozen
class WebhookRecord:
    """One delivery as the receiver answered it.

    Attributes:
        request_id: the request id of the receipt.
        source: ``"medusa"`` or ``"payload"``.
        status: the HTTP status answered.
        reason: the receipt's reason.
        received_at: Unix time the delivery arrived.
        duration_ms: time spent handling it.
        webhook_id / event / job_id / job_name / duplicate: as in the receipt.
        error: the exception type of an internal failure (5xx), else ``None``.
    """

    request_id: str
    source: str
    status: int
    reason: str
    received_at: float
    duration_ms: float
    webhook_id: str | None = None
    event: str | None = None
    job_id: str | None = None
    job_name: str | None = None
    duplicate: bool = False
    error: str | None = None

    def to_doc(self) -> dict[str, Any]:
        """The record as a ``webhook-logs`` document (camelCase fields, ISO time)."""
        return {
            "requestId": self.request_id,
            "source": self.source,
            "status": self.status,
            "reason": self.reason,
            "receivedAt": _iso(self.received_at),
            "durationMs": round(self.duration_ms, 3),
            "webhookId": self.webhook_id,
            "event": self.event,
            "jobId": self.job_id,
            "jobName": self.job_name,
            "duplicate": self.duplicate,
            "error": self.error,
        }


@attrs.frozen
class SyncJobRecord:
    """One attempt of one sync job, written by the worker.

    Attributes:
        job_id / job_name / data: the job (``data`` holds ids only).
        status: ``"completed"``, ``"retrying"`` or ``"failed"``.
        attempt: 1 for the first try.
        started_at / finished_at: Unix times.
        duration_ms: ``finished_at - started_at`` in milliseconds.
        error: the error message of a failed attempt.
        request_id: the request id of the delivery that made the job (``job_<id>`` when its
            producer set none): the same id as the ``webhook-logs`` record and every request
            the job sent.
    """

    job_id: str
    job_name: str
    status: str
    attempt: int
    started_at: float
    finished_at: float | None = None
    duration_ms: float | None = None
    data: Mapping[str, Any] = attrs.field(factory=dict)
    error: str | None = None
    request_id: str | None = None

    def to_doc(self) -> dict[str, Any]:
        """The record as a ``sync-jobs`` document (camelCase fields, ISO times)."""
        return {
            "jobId": self.job_id,
            "jobName": self.job_name,
            "status": self.status,
            "attempt": self.attempt,
            "startedAt": _iso(self.started_at),
            "finishedAt": _iso(self.finished_at),
            "durationMs": None if self.duration_ms is None else round(self.duration_ms, 3),
            "data": dict(self.data),
            "error": self.error,
            "requestId": self.request_id,
        }


@runtime_checkable
class AuditSink(Protocol):
    """Somewhere audit records go. Both methods must return promptly and should not raise."""

    async def record_webhook(self, record: WebhookRecord) -> None:
        """Keep the record of one delivery."""
        ...

    async def record_sync_job(self, record: SyncJobRecord) -> None:
        """Keep the record of one job attempt."""
        ...


class LoggingAuditSink:
    """Writes each record as one log line (INFO for 2xx and completed jobs, WARNING otherwise).

    The record's fields are also passed as ``extra={"audit": {...}}`` for structured handlers.
    """

    def __init__(self, log: logging.Logger | None = None) -> None:
        """Log to ``log`` (default ``medusa_payload.webhooks.audit``)."""
        self.log = log or logger

    async def record_webhook(self, record: WebhookRecord) -> None:
        """Log one delivery."""
        level = logging.INFO if 200 <= record.status < 300 else logging.WARNING
        self.log.log(
            level,
            "webhook %s %s %s -> %s %s (job=%s, %.1f ms, request_id=%s)",
            record.source,
            record.event or "-",
            record.webhook_id or "-",
            record.status,
            record.reason,
            record.job_id or "-",
            record.duration_ms,
            record.request_id,
            extra={"audit": record.to_doc()},
        )

    async def record_sync_job(self, record: SyncJobRecord) -> None:
        """Log one job attempt."""
        level = logging.INFO if record.status == "completed" else logging.WARNING
        self.log.log(
            level,
            "sync job %s %s attempt %d %s%s (request_id=%s)",
            record.job_name,
            record.job_id,
            record.attempt,
            record.status,
            f": {record.error}" if record.error else "",
            record.request_id,
            extra={"audit": record.to_doc()},
        )


@runtime_checkable
class SupportsCreate(Protocol):
    """The one call `PayloadAuditSink` needs: ``AsyncPayloadClient.create(collection, data)``."""

    async def create(self, collection: str, data: dict[str, Any]) -> Any:
        """Create one document."""
        ...


class PayloadAuditSink:
    """Writes records as documents of the ``webhook-logs`` and ``sync-jobs`` collections.

    Rejected deliveries (4xx) are not written unless ``include_rejected=True``: anyone can post
    junk to a public endpoint, and each record is a write to Payload. Errors are logged and
    counted in ``errors``; they never propagate.
    """

    def __init__(
        self,
        client: SupportsCreate,
        *,
        webhook_collection: str = "webhook-logs",
        job_collection: str = "sync-jobs",
        include_rejected: bool = False,
        log: logging.Logger | None = None,
    ) -> None:
        """Write through ``client`` (an `AsyncPayloadClient` or anything with ``create``)."""
        self.client = client
        self.webhook_collection = webhook_collection
        self.job_collection = job_collection
        self.include_rejected = include_rejected
        self.log = log or logger
        self.written = 0
        self.errors = 0

    async def _create(self, collection: str, doc: dict[str, Any]) -> None:
        try:
            await self.client.create(collection, doc)
        except Exception as exc:
            self.errors += 1
            self.log.warning("audit write to %r failed: %s", collection, type(exc).__name__)
        else:
            self.written += 1

    async def record_webhook(self, record: WebhookRecord) -> None:
        """Create a ``webhook-logs`` document (skipped for 4xx unless ``include_rejected``)."""
        if 400 <= record.status < 500 and not self.include_rejected:
            return
        await self._create(self.webhook_collection, record.to_doc())

    async def record_sync_job(self, record: SyncJobRecord) -> None:
        """Create a ``sync-jobs`` document."""
        await self._create(self.job_collection, record.to_doc())
