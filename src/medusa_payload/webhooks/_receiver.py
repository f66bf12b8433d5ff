"""`WebhookReceiver`: verify, parse, route and enqueue one delivery; answer with a `Receipt`.

One delivery goes through these steps, in this order; the first that refuses it decides the
receipt, and nothing is enqueued unless every step before ``enqueue`` passed::

    size limit (413) -> signature (400/401) -> timestamp (401) -> replay (200 duplicate)
      -> parse (400/422) -> route (200 ignored) -> dedup key -> enqueue (202, 200 duplicate, 503)
      -> invalidate caches -> audit

``ahandle`` is the implementation; ``handle`` runs the very same coroutine on a private
background event loop (`BackgroundLoop`), so sync hosts (WSGI, Flask) need no loop of their own.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs

from medusa_payload.errors import ConfigurationError
from medusa_payload.queue import DEFAULT_QUEUE_TIMEOUT, Queue

from .._config import Settings
from .._core._loop import BackgroundLoop
from ..observability import _instruments, _spans
from ..observability._context import (
    RequestContext,
    bind,
    new_traceparent,
    valid_traceparent,
)
from ._audit import AuditSink, WebhookRecord
from ._errors import WebhookError, WebhookVerificationError
from ._events import Source, WebhookEvent, parse_event
from ._headers import HeadersLike, WebhookHeaders, new_request_id, read_headers
from ._receipt import Receipt
from ._replay import InMemoryReplayStore, RedisReplayStore, ReplayStore
from ._routing import Ignore, dedup_key, route_event
from ._signing import DEFAULT_TOLERANCE, SecretsLike, Verifier, split_secrets

if TYPE_CHECKING:
    from medusa_payload.unified import Publisher

__all__ = ["DEFAULT_MAX_BODY_SIZE", "OVERSIZED", "SECRET_ENV", "WebhookReceiver"]

logger = logging.getLogger("medusa_payload.webhooks")

DEFAULT_MAX_BODY_SIZE = 1024 * 1024
"""Bytes a body may have (1 MiB); larger deliveries get 413."""

SECRET_ENV: Mapping[str, str] = {
    "medusa": "MEDUSA_WEBHOOK_SECRET",
    "payload": "PAYLOAD_WEBHOOK_SECRET",
}
"""The environment variable holding each source's secrets (comma-separated during a rotation)."""

Invalidate = Callable[[WebhookEvent], object]

OVERSIZED = object()
"""Stands for a body the HTTP apps stopped reading because it grew over ``max_body_size``."""


@attrs.define
class _Delivery:
    """What is known about the delivery so far (fills the receipt and the audit record)."""

    request_id: str = ""
    traceparent: str | None = None
    webhook_id: str | None = None
    event: str | None = None
    job_name: str | None = None
    error: str | None = None

    def receipt(
        self, status: int, reason: str, *, job_id: str | None = None, duplicate: bool = False
    ) -> Receipt:
        return Receipt(
            status=status,
            reason=reason,
            job_id=job_id,
            duplicate=duplicate,
            request_id=self.request_id,
            webhook_id=self.webhook_id,
            event=self.event,
            job_name=self.job_name,
        )


class WebhookReceiver:
    """Turns signed deliveries of one source into sync jobs on a `Queue`.

    Use one receiver per source: the Medusa endpoint verifies with the Medusa secrets, the
    Payload endpoint with the Payload secrets.

    Args:
        queue: where jobs go (any `medusa_payload.queue.Queue`).
        secrets: the secret, or several during a rotation (``whsec_<base64>``, text or bytes).
        source: ``"medusa"`` or ``"payload"``: which body format this endpoint accepts.
        tolerance: seconds a ``webhook-timestamp`` may be off, either way (default 300).
        max_body_size: bytes a body may have (default 1 MiB).
        replay_store: seen ``webhook-id`` values (default: a new `InMemoryReplayStore`); ids
            are kept for twice the tolerance.
        invalidate: called with the event after a job was enqueued, so caches drop what
            changed (sync or async, e.g. ``AsyncUnifiedClient.invalidate_for_event``).
        bus: an invalidation bus (`medusa_payload.unified.RedisBus`), or several publishers
            (e.g. ``[redis_bus, HttpRevalidator(...)]``): after a job was enqueued, what the
            event changes is published to each, so every storefront replica drops it
            (failures are counted under ``publish_errors``).
        audit: one `AuditSink` or several; each gets a `WebhookRecord` per delivery.
        audit_timeout: seconds an audit or invalidation call may take before it is abandoned.
        clock: Unix time source for the timestamp check (tests).
        enqueue_timeout: seconds the queue has to take a job (default 5); then the delivery
            is answered 503 "queue unavailable" (the sender retries later) instead of waiting
            in the queue's reconnection attempts, e.g. while Redis is down.

    Raises:
        ConfigurationError: an unknown source, an empty or invalid secret, a negative limit or
            timeout.
    """

    def __init__(
        self,
        queue: Queue,
        secrets: SecretsLike,
        *,
        source: Source,
        tolerance: float = DEFAULT_TOLERANCE,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        replay_store: ReplayStore | None = None,
        invalidate: Invalidate | None = None,
        audit: AuditSink | Sequence[AuditSink] | None = None,
        audit_timeout: float = 5.0,
        clock: Callable[[], float] = time.time,
        enqueue_timeout: float = DEFAULT_QUEUE_TIMEOUT,
        bus: Publisher | Sequence[Publisher] | None = None,
    ) -> None:
        if source not in SECRET_ENV:
            raise ConfigurationError(f"source must be 'medusa' or 'payload', got {source!r}")
        if max_body_size < 1:
            raise ConfigurationError("max_body_size must be >= 1")
        if enqueue_timeout <= 0:
            raise ConfigurationError("enqueue_timeout must be > 0")
        self.queue = queue
        self.enqueue_timeout = enqueue_timeout
        self.source: Source = source
        self.max_body_size = max_body_size
        self._verifier = Verifier(secrets, tolerance=tolerance)
        self._replay = replay_store if replay_store is not None else InMemoryReplayStore()
        self._replay_ttl = max(2 * self._verifier.tolerance, 1.0)
        self._owns_replay = False
        self._invalidate = invalidate
        self._publishers: tuple[Publisher, ...] = (
            () if bus is None else tuple(bus) if isinstance(bus, Sequence) else (bus,)
        )
        self._sinks: tuple[AuditSink, ...] = (
            () if audit is None else (audit,) if isinstance(audit, AuditSink) else tuple(audit)
        )
        self._audit_timeout = audit_timeout
        self._clock = clock
        self._loop = BackgroundLoop(f"medusa-payload-webhooks-{source}")
        self.counters: Counter[str] = Counter()
        """Deliveries by outcome (``accepted``, ``duplicate``, ``ignored``, ``rejected``,
        ``failed``) and ``audit_errors`` / ``invalidate_errors`` / ``publish_errors``."""

    @classmethod
    def from_env(
        cls,
        queue: Queue,
        *,
        source: Source,
        environ: Mapping[str, str] | None = None,
        settings: Settings | None = None,
        **kwargs: Any,
    ) -> WebhookReceiver:
        """A receiver whose secrets come from ``MEDUSA_WEBHOOK_SECRET`` or
        ``PAYLOAD_WEBHOOK_SECRET`` (comma-separated for a rotation).

        The values are ``settings``' (default: `Settings.from_env(environ)`). When it has a
        ``redis_url`` and the ``redis`` extra is installed, seen ids go to a `RedisReplayStore`
        (owned and closed by the receiver) unless ``replay_store`` is given.
        """
        settings = settings if settings is not None else Settings.from_env(environ)
        secret = settings.webhook_secret(source)
        secrets = split_secrets(secret.get_secret_value() if secret else "")
        if not secrets:
            raise ConfigurationError(f"{SECRET_ENV.get(source, 'a webhook secret')} is not set")
        owned = False
        if kwargs.get("replay_store") is None and settings.redis_url:
            try:
                kwargs["replay_store"] = RedisReplayStore.from_url(settings.redis_url)
                owned = True
            except ConfigurationError:
                logger.warning("REDIS_URL set but redis not installed: in-memory replay store")
        receiver = cls(queue, secrets, source=source, **kwargs)
        receiver._owns_replay = owned
        return receiver

    def __repr__(self) -> str:
        return f"WebhookReceiver(source={self.source!r}, {self._verifier!r})"

    # -- the pipeline -------------------------------------------------------------------------

    async def ahandle(self, body: bytes | str, headers: HeadersLike) -> Receipt:
        """Handle one delivery: ``body`` exactly as received and the request headers.

        Never raises for any input and never enqueues for a refused one: the receipt carries
        the HTTP status and reason (see `Receipt`).
        """
        return await self._ahandle(body, headers)

    async def _ahandle(self, body: object, headers: HeadersLike) -> Receipt:
        """`ahandle` for any body, `OVERSIZED` included (what the HTTP apps pass for a body
        they stopped reading at the limit)."""
        receipt, audit = await self._ahandle_deferred(body, headers)
        if audit is not None:
            await audit()
        return receipt

    async def _ahandle_deferred(
        self, body: object, headers: HeadersLike
    ) -> tuple[Receipt, Callable[[], Awaitable[None]] | None]:
        """`_ahandle` without the audit: the receipt, and the call that writes the audit
        records (``None`` without sinks). The ASGI app sends its answer first and runs that
        call after, so an audit write (a Payload create) never delays a sender's 202."""
        started, received_at = time.perf_counter(), time.time()
        delivery = _Delivery()
        try:
            receipt = await self._process(body, headers, delivery)
        except Exception as exc:
            logger.exception("webhook receiver failed (request_id=%s)", delivery.request_id)
            delivery.error = type(exc).__name__
            receipt = delivery.receipt(500, "internal error")
        self._count(receipt)
        if not self._sinks:
            return receipt, None
        duration_ms = (time.perf_counter() - started) * 1000

        async def audit() -> None:
            await self._audit(receipt, delivery, received_at, duration_ms)

        return receipt, audit

    async def _audit(
        self, receipt: Receipt, delivery: _Delivery, received_at: float, duration_ms: float
    ) -> None:
        record = WebhookRecord(
            request_id=receipt.request_id or delivery.request_id,
            source=self.source,
            status=receipt.status,
            reason=receipt.reason,
            received_at=received_at,
            duration_ms=duration_ms,
            webhook_id=receipt.webhook_id,
            event=receipt.event,
            job_id=receipt.job_id,
            job_name=receipt.job_name,
            duplicate=receipt.duplicate,
            error=delivery.error,
        )
        for sink in self._sinks:
            await self._guard("audit_errors", sink.record_webhook, record)

    def handle(self, body: bytes | str, headers: HeadersLike) -> Receipt:
        """`ahandle` for sync code: runs it on the receiver's private background event loop.

        Use either ``handle`` or ``ahandle`` with one receiver, not both: a loop-bound queue
        (e.g. Redis connections) must always be used from the same event loop.
        """
        return self._loop.run(self.ahandle(body, headers))

    async def _process(self, body: object, headers: HeadersLike, d: _Delivery) -> Receipt:
        try:
            hdrs, header_error = read_headers(headers), None
        except WebhookVerificationError as exc:
            hdrs, header_error = WebhookHeaders(), exc
        d.request_id = new_request_id(hdrs.request_id)
        sent = valid_traceparent(hdrs.traceparent)
        attributes = {"webhook.source": self.source}
        with _spans.ACTIVE.span("webhook.receive", attributes, traceparent=sent) as span:
            # With tracing on, the job continues this span; else the sender's trace, or a new one.
            d.traceparent = _spans.ACTIVE.traceparent() or sent or new_traceparent()
            with bind(RequestContext(d.request_id, d.traceparent)):
                receipt = await self._verified(body, hdrs, header_error, d)
            span.set_attribute("http.response.status_code", receipt.status)
            return receipt

    async def _verified(
        self,
        body: object,
        hdrs: WebhookHeaders,
        header_error: WebhookVerificationError | None,
        d: _Delivery,
    ) -> Receipt:
        try:
            raw = self._check_size(body)
            if header_error is not None:
                raise header_error
            verified = self._verifier.check_signature(raw, hdrs)
            d.webhook_id = verified.webhook_id
            self._verifier.check_timestamp(verified.timestamp, self._clock())
        except WebhookError as exc:
            return d.receipt(exc.status, exc.reason)
        key = f"{self.source}:{verified.webhook_id}"
        try:
            claimed = await self._replay.claim(key, self._replay_ttl)
        except Exception as exc:
            return self._unavailable("replay store", exc, d)
        if not claimed:
            return d.receipt(200, "duplicate: webhook-id already received", duplicate=True)
        receipt: Receipt | None = None
        try:
            receipt = await self._accept(raw, d)
            return receipt
        finally:
            if receipt is None or not receipt.ok:
                await self._guard("replay_errors", self._replay.release, key)

    def _check_size(self, body: object) -> bytes:
        if body is OVERSIZED:
            raise WebhookVerificationError(
                f"body too large (limit {self.max_body_size} bytes)", status=413
            )
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogatepass")
        if not isinstance(body, (bytes, bytearray, memoryview)):
            raise WebhookVerificationError("body must be bytes", status=400)
        size = memoryview(body).nbytes
        if size > self.max_body_size:
            raise WebhookVerificationError(
                f"body too large ({size} bytes, limit {self.max_body_size})", status=413
            )
        return bytes(body)

    async def _accept(self, raw: bytes, d: _Delivery) -> Receipt:
        try:
            event = parse_event(self.source, raw)
        except WebhookError as exc:
            return d.receipt(exc.status, exc.reason)
        d.event = event.name
        route = route_event(event)
        if isinstance(route, Ignore):
            return d.receipt(200, route.reason)
        d.job_name = route.name
        assert d.webhook_id is not None  # set once the signature verified
        key = dedup_key(event, route, d.webhook_id)
        # The worker binds these, so the job's requests, logs and audit carry the same id.
        data = {**route.data, "request_id": d.request_id, "traceparent": d.traceparent}
        try:
            attributes = {"messaging.destination.name": route.name}
            with _spans.ACTIVE.span("queue.enqueue", attributes):
                enqueued = await asyncio.wait_for(
                    self.queue.enqueue(route.name, data, dedup_key=key),
                    self.enqueue_timeout,
                )
        except Exception as exc:  # asyncio.TimeoutError included: the queue is down
            return self._unavailable("queue", exc, d)
        if enqueued.duplicate:
            return d.receipt(
                200, "duplicate: job already queued", job_id=enqueued.id, duplicate=True
            )
        if self._invalidate is not None:
            await self._guard("invalidate_errors", self._invalidate, event)
        if self._publishers:
            await self._publish(event)
        return d.receipt(202, f"enqueued {route.name}", job_id=enqueued.id)

    # -- helpers --------------------------------------------------------------------------------

    async def _guard(self, counter: str, func: Callable[..., object], *args: Any) -> None:
        """Run an auxiliary call (audit, invalidation, release; sync or async) that must not fail
        the delivery: errors and timeouts are logged and counted under ``counter``."""
        try:
            result = func(*args)
            if inspect.isawaitable(result):
                await asyncio.wait_for(result, self._audit_timeout)
        except Exception as exc:
            self.counters[counter] += 1
            logger.warning("webhook %s: %s", counter.replace("_", " "), type(exc).__name__)

    async def _publish(self, event: WebhookEvent) -> None:
        from medusa_payload.unified import Invalidation  # the receiver runs without it otherwise

        change = Invalidation.from_event(event)
        if not change.empty:
            for publisher in self._publishers:
                await self._guard("publish_errors", publisher.publish, change)

    def _unavailable(self, what: str, exc: Exception, d: _Delivery) -> Receipt:
        logger.error(
            "webhook %s failed: %s (request_id=%s)", what, type(exc).__name__, d.request_id
        )
        d.error = type(exc).__name__
        return d.receipt(503, f"{what} unavailable")

    def _count(self, receipt: Receipt) -> None:
        if receipt.status == 202:
            outcome = "accepted"
        elif receipt.duplicate:
            outcome = "duplicate"
        elif receipt.ok:
            outcome = "ignored"
        else:
            outcome = "rejected" if receipt.status < 500 else "failed"
        self.counters[outcome] += 1
        _instruments.ACTIVE.webhook(self.source, receipt.status, outcome)

    # -- lifecycle ------------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close what the receiver created (a replay store from `from_env`); not the queue."""
        if self._owns_replay:
            closer = getattr(self._replay, "aclose", None)
            if closer is not None:
                await closer()
            self._owns_replay = False

    def close(self) -> None:
        """`aclose` for sync code, then stop the background loop of `handle`."""
        if self._loop.running:
            self._loop.run(self.aclose())
        elif self._owns_replay:
            asyncio.run(self.aclose())
        self._loop.close()

    def __enter__(self) -> WebhookReceiver:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> WebhookReceiver:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
