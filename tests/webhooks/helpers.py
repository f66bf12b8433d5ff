"""Helpers of the webhook tests: a fake queue implementing the `Queue` protocol, a settable
clock, secrets and body builders."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from medusa_payload.queue import Enqueued, Lease, QueueStats

MEDUSA_SECRET = "whsec_" + "bWVkdXNhLXRlc3Qtc2VjcmV0LTMyLWJ5dGVzLWxvbmch"
PAYLOAD_SECRET = "payload-raw-secret-used-as-utf8"
NOW = 1_795_000_000.0

Signer = Callable[..., dict[str, str]]
"""The ``signer`` fixture: ``signer(body, secret=MEDUSA_SECRET, **sign_headers_kwargs)``."""


class FakeQueue:
    """Records enqueued jobs; a dedup key answers ``duplicate`` forever. ``error`` makes
    ``enqueue``/``stats`` raise it."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, dict[str, Any], str | None]] = []
        self.by_key: dict[str, str] = {}
        self.error: Exception | None = None

    async def enqueue(
        self, name: str, data: Mapping[str, Any], *, dedup_key: str | None = None, delay: float = 0
    ) -> Enqueued:
        if self.error is not None:
            raise self.error
        if dedup_key is not None and dedup_key in self.by_key:
            return Enqueued(self.by_key[dedup_key], duplicate=True)
        job_id = f"job-{len(self.jobs) + 1}"
        self.jobs.append((name, dict(data), dedup_key))
        if dedup_key is not None:
            self.by_key[dedup_key] = job_id
        return Enqueued(job_id)

    async def reserve(self, token: str) -> Lease | None:
        return None

    async def extend(self, lease: Lease) -> Lease:
        return lease

    async def complete(self, lease: Lease, result: Any = None) -> None:
        return None

    async def fail(self, lease: Lease, error: str, *, retryable: bool = True) -> None:
        return None

    async def progress(self, lease: Lease, percent: int) -> None:
        return None

    async def stats(self) -> QueueStats:
        if self.error is not None:
            raise self.error
        return QueueStats(waiting=len(self.jobs), completed=2, failed=1)

    async def reap_stalled(self) -> int:
        return 0

    async def close(self) -> None:
        return None


class Clock:
    """A settable Unix clock."""

    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def medusa_body(event: str = "product.updated", entity_id: str = "prod_01", **extra: Any) -> bytes:
    body = {"event": event, "data": {"id": entity_id}, "metadata": None, **extra}
    return json.dumps(body).encode()


def payload_body(
    collection: str = "product-content",
    operation: str = "update",
    doc_id: str | int = "12",
    status: str | None = "published",
    previous_status: str | None = "draft",
    **doc: Any,
) -> bytes:
    body = {
        "event": f"{collection}.{operation}",
        "collection": collection,
        "operation": operation,
        "id": doc_id,
        "status": status,
        "previous_status": previous_status,
        "doc": {"id": doc_id, **doc},
    }
    return json.dumps(body).encode()


def ids_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """A job's data without the request id and ``traceparent`` the receiver adds to every job."""
    return {k: v for k, v in data.items() if k not in ("request_id", "traceparent")}
