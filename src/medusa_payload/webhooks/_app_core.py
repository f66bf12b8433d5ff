"""What the ASGI and WSGI apps share: routes, the stats bearer check and JSON responses.

Routes:

| method and path | answer |
|---|---|
| ``POST /webhooks/medusa`` | the Medusa receiver's `Receipt` as JSON, with its status |
| ``POST /webhooks/payload`` | the Payload receiver's `Receipt` as JSON, with its status |
| ``GET /queue/stats`` | ``{waiting, active, completed, failed, delayed, total}`` |
| ``GET /metrics`` | Prometheus text format, once `enable_metrics` ran (404 before) |

``GET /queue/stats`` needs ``Authorization: Bearer <stats_token>`` (401 otherwise); without a
configured token the route answers 404. A queue that fails or does not answer within the first
receiver's ``enqueue_timeout`` gets 503.

``GET /metrics`` needs no token (scrapers rarely send one: keep the port private); it first
reads the stats queue's counts into ``bullmq_job_count`` (skipped when the queue does not answer
within the same bound).

Other paths answer 404, other methods 405. Bodies over the receiver's ``max_body_size`` answer
413 while being read (a larger ``Content-Length`` is refused before reading anything).
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs

from medusa_payload.errors import ConfigurationError
from medusa_payload.observability import _instruments, metrics_enabled
from medusa_payload.observability._metrics import CONTENT_TYPE
from medusa_payload.queue import Queue

from ._headers import HeadersLike
from ._receiver import OVERSIZED, WebhookReceiver

__all__ = ["METRICS", "STATS", "AppCore", "Response"]

STATS = "stats"
METRICS = "metrics"
METRICS_PATH = "/metrics"
MEDUSA_PATH = "/webhooks/medusa"
PAYLOAD_PATH = "/webhooks/payload"
STATS_PATH = "/queue/stats"


@attrs.frozen
class Response:
    """A JSON answer, independent of ASGI or WSGI."""

    status: int
    payload: Mapping[str, Any]
    extra_headers: tuple[tuple[str, str], ...] = ()
    raw: bytes | None = None
    content_type: str = "application/json"

    def body(self) -> bytes:
        """The JSON body (or ``raw``, when set)."""
        if self.raw is not None:
            return self.raw
        return json.dumps(self.payload, separators=(",", ":")).encode("utf-8")

    def headers(self, body: bytes) -> list[tuple[str, str]]:
        """Response headers for ``body``."""
        return [
            ("content-type", self.content_type),
            ("content-length", str(len(body))),
            ("cache-control", "no-store"),
            *self.extra_headers,
        ]


def error(status: int, reason: str, *headers: tuple[str, str]) -> Response:
    """A ``{"status", "reason"}`` answer."""
    return Response(status, {"status": status, "reason": reason}, tuple(headers))


def declared_length(value: str | None) -> int | None:
    """``Content-Length`` as an int; ``None`` when absent or not a number."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


class AppCore:
    """Routing and the stats check for one pair of receivers.

    Raises:
        ConfigurationError: no receiver, or a receiver on the wrong path (source mismatch), or
            stats asked for without any queue.
    """

    def __init__(
        self,
        *,
        medusa: WebhookReceiver | None,
        payload: WebhookReceiver | None,
        stats_token: str | None,
        stats_queue: Queue | None,
    ) -> None:
        if medusa is None and payload is None:
            raise ConfigurationError("give a medusa and/or a payload WebhookReceiver")
        for expected, receiver in (("medusa", medusa), ("payload", payload)):
            if receiver is not None and receiver.source != expected:
                raise ConfigurationError(f"the {expected} endpoint needs source={expected!r}")
        self.receivers: dict[str, WebhookReceiver] = {}
        if medusa is not None:
            self.receivers[MEDUSA_PATH] = medusa
        if payload is not None:
            self.receivers[PAYLOAD_PATH] = payload
        first = next(iter(self.receivers.values()))
        self.stats_queue = stats_queue or first.queue
        self.stats_timeout = first.enqueue_timeout
        self._token = stats_token.encode("utf-8") if stats_token else None

    def route(self, method: str, path: str) -> WebhookReceiver | str | Response:
        """The receiver for a webhook POST, `STATS`, or a ready 404/405 answer."""
        path = path.rstrip("/") or "/"
        if path in self.receivers:
            if method != "POST":
                return error(405, "method not allowed", ("allow", "POST"))
            return self.receivers[path]
        if path == STATS_PATH:
            if self._token is None:
                return error(404, "not found")
            if method not in ("GET", "HEAD"):
                return error(405, "method not allowed", ("allow", "GET"))
            return STATS
        if path == METRICS_PATH and metrics_enabled() is not None:
            if method not in ("GET", "HEAD"):
                return error(405, "method not allowed", ("allow", "GET"))
            return METRICS
        return error(404, "not found")

    def _authorized(self, authorization: str | None) -> bool:
        scheme, _, token = (authorization or "").strip().partition(" ")
        given = token.strip().encode("utf-8", "surrogatepass")
        return (
            bool(self._token)
            and scheme.lower() == "bearer"
            and hmac.compare_digest(given, self._token or b"")
        )

    async def answer(self, target: str, authorization: str | None) -> Response:
        """The answer of a named route: `STATS` or `METRICS`."""
        if target == METRICS:
            return await self.metrics()
        return await self.stats(authorization)

    async def metrics(self) -> Response:
        """The metrics, with ``bullmq_job_count`` read from the stats queue just before."""
        instruments = metrics_enabled()
        if instruments is None:
            return error(404, "not found")
        try:
            stats = await asyncio.wait_for(self.stats_queue.stats(), self.stats_timeout)
        except Exception:
            pass  # serve the other metrics; the gauge keeps its last value
        else:
            counts = {k: v for k, v in stats.as_dict().items() if k != "total"}
            _instruments.ACTIVE.queue_counts(_instruments.queue_label(self.stats_queue), counts)
        return Response(200, {}, raw=instruments.exposition(), content_type=CONTENT_TYPE)

    async def stats(self, authorization: str | None) -> Response:
        """The stats answer: 401 unless ``authorization`` is ``Bearer <stats_token>`` (compared
        in constant time), 503 when the queue fails or gives no answer within the receivers'
        ``enqueue_timeout`` (Redis down)."""
        if not self._authorized(authorization):
            return error(401, "bearer token required", ("www-authenticate", "Bearer"))
        try:
            stats = await asyncio.wait_for(self.stats_queue.stats(), self.stats_timeout)
        except Exception:
            return error(503, "queue unavailable")
        return Response(200, stats.as_dict())

    @staticmethod
    async def webhook(
        receiver: WebhookReceiver, body: bytes | None, headers: HeadersLike
    ) -> Response:
        """The answer to a webhook POST; ``body`` is ``None`` when reading stopped at the limit
        (the receiver answers 413, counts and audits it like any refusal)."""
        response, audit = await AppCore.webhook_deferred(receiver, body, headers)
        if audit is not None:
            await audit()
        return response

    @staticmethod
    async def webhook_deferred(
        receiver: WebhookReceiver, body: bytes | None, headers: HeadersLike
    ) -> tuple[Response, Callable[[], Awaitable[None]] | None]:
        """`webhook` without waiting for the audit: the answer, and the call that writes the
        audit records, to run once the answer is sent (``None`` without audit sinks)."""
        receipt, audit = await receiver._ahandle_deferred(
            OVERSIZED if body is None else body, headers
        )
        headers_out = (("x-request-id", receipt.request_id),)
        return Response(receipt.status, receipt.as_dict(), headers_out), audit


def strip_root(path: str, root_path: str) -> str:
    """The path inside a mount (ASGI ``root_path`` / WSGI ``SCRIPT_NAME``)."""
    if root_path and path.startswith(root_path):
        return path[len(root_path) :] or "/"
    return path
