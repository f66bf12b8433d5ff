"""`Receipt`: what the receiver answers for one delivery."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["Receipt"]


@attrs.frozen
class Receipt:
    """The outcome of one delivery, ready to become the HTTP answer.

    | status | when | sender |
    |---|---|---|
    | 202 | a job was enqueued | done |
    | 200 | duplicate (replayed id or job already queued) or ignored (unknown event, draft) | done |
    | 400 | missing/malformed header, body not a JSON object | fix the sender |
    | 401 | no matching signature, timestamp too old or too new | check secrets and clocks |
    | 413 | body over the size limit | fix the sender |
    | 422 | JSON object that is not a valid event | fix the sender |
    | 503 | the queue failed | retry later |
    | 500 | a bug in the receiver (logged) | retry later |

    Attributes:
        status: the HTTP status.
        reason: why, in a few words (never a secret or the body).
        job_id: the job enqueued (or already queued, for a duplicate), else ``None``.
        duplicate: ``True`` when nothing new was enqueued because this delivery was seen before.
        request_id: the request's ``x-request-id`` when it sent a sane one, else a new id.
        webhook_id: the ``webhook-id`` once the signature verified, else ``None``.
        event: the event name once the body parsed, else ``None``.
        job_name: the job the event routed to, else ``None``.
    """

    status: int
    reason: str
    job_id: str | None = None
    duplicate: bool = False
    request_id: str = ""
    webhook_id: str | None = None
    event: str | None = None
    job_name: str | None = None

    @property
    def ok(self) -> bool:
        """A 2xx status: the sender must not retry."""
        return 200 <= self.status < 300

    def as_dict(self) -> dict[str, Any]:
        """The receipt as a JSON-ready dict (the body of the HTTP answer)."""
        return attrs.asdict(self)
