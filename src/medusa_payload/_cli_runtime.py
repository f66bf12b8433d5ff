"""What the CLI commands run, kept free of typer/rich so it can be tested and reused."""

from __future__ import annotations

import asyncio
import base64
import binascii
import importlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from ._config import Settings
from .errors import ConfigurationError, QueueError
from .medusa import AsyncMedusaClient
from .observability import _instruments, enable_metrics, serve_metrics
from .payload import AsyncPayloadClient
from .queue import (
    DEFAULT_QUEUE_TIMEOUT,
    InMemoryQueue,
    JobOutcome,
    Queue,
    QueueStats,
    RetryPolicy,
    Worker,
    queue_from_env,
)
from .sync import job_handlers

__all__ = [
    "WORKER_CONCURRENCY",
    "admin_credentials",
    "admin_session",
    "close_queue",
    "load_handlers",
    "queue_settings",
    "read_stats",
    "run_watch",
    "run_worker",
    "session_renewal_delay",
    "webhooks_app",
]

logger = logging.getLogger("medusa_payload.cli")


WORKER_CONCURRENCY = 16
"""Jobs at once of ``medusa-payload worker`` by default. A sync job spends nearly all its time
waiting on Medusa and Payload, so a few slots leave the queue waiting while the servers are
idle: with 4, jobs waited ~5 s in the queue at 10 deliveries/s on the real stack, with 16 none
(docs/benchmarks.md, sustained load)."""


def queue_settings(
    name: str | None, prefix: str | None, settings: Settings | None = None
) -> tuple[str, str]:
    """Queue name and key prefix from the options, else ``settings`` (``MEDUSA_PAYLOAD_QUEUE``
    / ``MEDUSA_PAYLOAD_QUEUE_PREFIX``, else ``medusa-payload`` / ``bull``)."""
    settings = settings if settings is not None else Settings.from_env()
    return name or settings.queue_name, prefix or settings.queue_prefix


def make_queue(name: str, prefix: str, settings: Settings | None = None) -> Queue:
    """A `RedisQueue` on ``REDIS_URL`` if set, else an `InMemoryQueue`."""
    return queue_from_env(name=name, prefix=prefix, policy=RetryPolicy(), settings=settings)


async def read_stats(
    name: str, prefix: str, *, timeout: float = DEFAULT_QUEUE_TIMEOUT
) -> QueueStats:
    """The counts of the queue, or `QueueError` when it gives no answer within ``timeout``
    seconds (Redis down: BullMQ's client would retry for minutes)."""
    queue = make_queue(name, prefix)
    try:
        return await asyncio.wait_for(queue.stats(), timeout)
    except asyncio.TimeoutError:
        raise QueueError(f"queue unavailable: no answer within {timeout} s") from None
    finally:
        await close_queue(queue, timeout)


async def close_queue(queue: Queue, timeout: float = DEFAULT_QUEUE_TIMEOUT) -> None:
    """Close ``queue``, giving up after ``timeout`` seconds (logged, never raised)."""
    try:
        await asyncio.wait_for(queue.close(), timeout)
    except Exception as exc:
        logger.warning("queue not closed cleanly: %s", exc or type(exc).__name__)


def load_handlers(specs: list[str]) -> dict[str, Callable[[Any], Any]]:
    """Extra handlers from ``module:attribute`` specs (a mapping of job name -> handler).

    Raises:
        ConfigurationError: a spec that does not name such a mapping.
    """
    handlers: dict[str, Callable[[Any], Any]] = {}
    for spec in specs:
        module_name, _, attr = spec.partition(":")
        if not module_name or not attr:
            raise ConfigurationError(f"--handlers wants module:attribute, got {spec!r}")
        try:
            value = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise ConfigurationError(f"cannot load handlers {spec!r}: {exc}") from None
        if not isinstance(value, Mapping):
            raise ConfigurationError(f"{spec!r} is not a mapping of job name -> handler")
        handlers.update(value)
    return handlers


SESSION_RENEW_FALLBACK = 3600.0
"""Seconds between two logins when the session token carries no ``exp`` claim."""
SESSION_RENEW_RETRY = 30.0
"""Seconds before another login when one failed (the current token stays in use)."""
SESSION_RENEW_MIN = 60.0


def session_renewal_delay(token: str, now: float) -> float:
    """Seconds until a Medusa session token (a JWT) should be renewed: at 80 % of the life it
    has left per its ``exp`` claim (at least `SESSION_RENEW_MIN`), or `SESSION_RENEW_FALLBACK`
    when it has no readable ``exp``. The signature is not checked: Medusa does that."""
    try:
        part = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        expires = float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError, binascii.Error):
        return SESSION_RENEW_FALLBACK
    return max(SESSION_RENEW_MIN, 0.8 * (expires - now))


def admin_credentials(settings: Settings) -> tuple[str, str] | None:
    """``MEDUSA_ADMIN_EMAIL`` and ``MEDUSA_ADMIN_PASSWORD``, or ``None`` when neither is set.

    Raises:
        ConfigurationError: only one of the two is set.
    """
    email, password = settings.medusa_admin_email, settings.medusa_admin_password
    if email is None and password is None:
        return None
    if email is None or password is None:
        raise ConfigurationError(
            "set both MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD, or neither"
        )
    return email, password.get_secret_value()


async def admin_session(medusa: AsyncMedusaClient, settings: Settings) -> asyncio.Task[None] | None:
    """Log ``medusa`` in as ``MEDUSA_ADMIN_EMAIL`` / ``MEDUSA_ADMIN_PASSWORD`` when both are
    set, and keep the session token fresh in a background task (returned; cancel it when done).

    Medusa hashes a secret API key with scrypt on every ``/admin`` request it authenticates
    (about 30 ms of CPU each on 2.21), a session token is only checked: the admin calls of the
    worker and of watch get an order of magnitude cheaper for the server. Without the two
    variables nothing changes (``None``; the secret key is used).

    Raises:
        ConfigurationError: only one of the two variables is set.
        AuthenticationError: Medusa refused the email and password.
    """
    credentials = admin_credentials(settings)
    if credentials is None:
        return None
    email, secret = credentials
    token = await medusa.auth.login(email, secret)
    logger.info("admin calls use a session token of %s", email)

    async def renew(delay: float) -> None:
        while True:
            await asyncio.sleep(delay)
            try:
                fresh = await medusa.auth.login(email, secret)
            except Exception as exc:
                logger.warning(
                    "admin session not renewed (retry in %gs): %s", SESSION_RENEW_RETRY, exc
                )
                delay = SESSION_RENEW_RETRY
            else:
                delay = session_renewal_delay(fresh.get_secret_value(), time.time())

    return asyncio.create_task(renew(session_renewal_delay(token.get_secret_value(), time.time())))


def _audit_hook(payload: AsyncPayloadClient) -> Callable[[JobOutcome], Any]:
    from .webhooks import PayloadAuditSink, SyncJobRecord

    sink = PayloadAuditSink(payload)

    async def record(outcome: JobOutcome) -> None:
        await sink.record_sync_job(
            SyncJobRecord(
                job_id=outcome.job_id,
                job_name=outcome.name,
                status=outcome.status,
                attempt=outcome.attempt,
                started_at=outcome.started_at,
                finished_at=outcome.finished_at,
                duration_ms=outcome.duration_ms,
                data=dict(outcome.data),
                error=outcome.error,
                request_id=outcome.request_id,
            )
        )

    return record


async def run_worker(
    *,
    concurrency: int,
    queue_name: str | None,
    prefix: str | None,
    handler_specs: list[str],
    audit: bool,
    lock_duration: float | None,
    stalled_interval: float,
    stop_timeout: float = 10.0,
    until_idle: bool = False,
    metrics_port: int | None = None,
    echo: Callable[[str], object] = print,
) -> int:
    """Run a worker with the sync handlers (+ extras) until SIGTERM/SIGINT (or idle).

    Returns the exit code: 0, or 1 when ``until_idle`` and some job failed for good.
    ``metrics_port``: serve Prometheus ``GET /metrics`` there (the ``[metrics]`` extra), with
    ``bullmq_job_count`` read from the queue every `METRICS_REFRESH` seconds.

    Raises:
        QueueError: the queue did not answer within `DEFAULT_QUEUE_TIMEOUT` seconds at the
            start (e.g. Redis is down).
    """
    settings = Settings.from_env()
    name, key_prefix = queue_settings(queue_name, prefix, settings)
    extra = load_handlers(handler_specs)
    server = serve_metrics(metrics_port) if metrics_port is not None else None
    queue = make_queue(name, key_prefix, settings)
    if isinstance(queue, InMemoryQueue) and not until_idle:
        echo("note: REDIS_URL is not set: in-memory queue, only jobs of this process are seen")
    medusa = AsyncMedusaClient.from_settings(settings)
    payload = AsyncPayloadClient.from_settings(settings)
    session: asyncio.Task[None] | None = None
    try:
        session = await admin_session(medusa, settings)
        handlers = {**job_handlers(medusa, payload), **extra}
        worker = Worker(
            queue,
            handlers,
            concurrency=concurrency,
            lock_duration=lock_duration,
            stalled_interval=stalled_interval,
            stop_timeout=stop_timeout,
            on_job_done=_audit_hook(payload) if audit else None,
        )
        echo(
            f"worker {worker.id}: queue {name!r} (prefix {key_prefix!r}), "
            f"{len(handlers)} job names, concurrency {concurrency}"
        )
        label = _instruments.queue_label(queue)
        refresh = asyncio.create_task(_refresh_counts(queue, label)) if server else None
        try:
            stats = await (worker.run_until_idle() if until_idle else worker.run())
        finally:
            if refresh is not None:
                refresh.cancel()
        echo(f"worker {worker.id} stopped: {stats.as_dict()}")
        if until_idle and stats.failed:
            echo(f"{stats.failed} job(s) failed for good (see the log above)")
            return 1
        return 0
    finally:
        if session is not None:
            session.cancel()
        await close_queue(queue)
        await medusa.aclose()
        await payload.aclose()
        if server is not None:
            server.shutdown()
            server.server_close()


METRICS_REFRESH = 5.0
"""Seconds between two reads of the queue's counts for ``bullmq_job_count`` (worker)."""


async def _refresh_counts(queue: Queue, name: str) -> None:
    while True:
        try:
            stats = await asyncio.wait_for(queue.stats(), DEFAULT_QUEUE_TIMEOUT)
        except Exception as exc:  # the gauge keeps its last value while the queue is down
            logger.debug("queue counts not read for metrics: %s", exc)
        else:
            counts = {k: v for k, v in stats.as_dict().items() if k != "total"}
            _instruments.ACTIVE.queue_counts(name, counts)
        await asyncio.sleep(METRICS_REFRESH)


async def run_watch(
    *,
    every: float,
    inventory_threshold: float | None,
    state_file: str,
    once: bool,
    queue_name: str | None,
    prefix: str | None,
    echo: Callable[[str], object] = print,
) -> int:
    """Poll Medusa for unannounced changes and enqueue their jobs (see `sync.watch`)."""
    from .sync import FileWatchState, WatchReport, watch

    settings = Settings.from_env()
    name, key_prefix = queue_settings(queue_name, prefix, settings)
    queue = make_queue(name, key_prefix, settings)
    if isinstance(queue, InMemoryQueue):
        echo("note: REDIS_URL is not set: jobs go to an in-memory queue no worker sees")
    medusa = AsyncMedusaClient.from_settings(settings)

    def report(r: WatchReport) -> None:
        kind = "baseline" if r.baseline else "poll"
        echo(
            f"{kind}: {r.products} products, {r.variants} variants, {r.levels} levels changed; "
            f"{r.enqueued} jobs enqueued, {r.duplicates} duplicates"
        )

    session: asyncio.Task[None] | None = None
    try:
        session = await admin_session(medusa, settings)
        echo(f"watching every {every:g}s, state in {state_file}, queue {name!r}")
        await watch(
            medusa,
            queue,
            every=every,
            inventory_threshold=inventory_threshold,
            once=once,
            state=FileWatchState(state_file),
            on_poll=report,
        )
        return 0
    finally:
        if session is not None:
            session.cancel()
        await queue.close()
        await medusa.aclose()


def webhooks_app(
    *, queue_name: str | None, prefix: str | None, audit: bool, metrics: bool = False
) -> Any:
    """The ASGI app of ``webhooks serve``: both receivers (secrets from the environment), the
    queue from ``REDIS_URL``, ``GET /queue/stats`` behind ``MEDUSA_PAYLOAD_STATS_TOKEN``, and
    ``GET /metrics`` when ``metrics`` (the ``[metrics]`` extra; `ConfigurationError` without)."""
    from .webhooks import LoggingAuditSink, PayloadAuditSink, WebhookReceiver, create_asgi_app

    if metrics:
        enable_metrics()
    settings = Settings.from_env()
    name, key_prefix = queue_settings(queue_name, prefix, settings)
    queue = make_queue(name, key_prefix, settings)
    sinks: list[Any] = [LoggingAuditSink()]
    if audit and "PAYLOAD_CMS_URL" in settings.env_set:
        sinks.append(PayloadAuditSink(AsyncPayloadClient.from_settings(settings)))
    receivers: dict[str, WebhookReceiver | None] = {}
    for source in ("medusa", "payload"):
        try:
            receivers[source] = WebhookReceiver.from_env(
                queue, source=source, settings=settings, audit=sinks
            )
        except ConfigurationError as exc:
            logger.warning("%s webhooks disabled: %s", source, exc)
            receivers[source] = None
    if not any(receivers.values()):
        raise ConfigurationError("set MEDUSA_WEBHOOK_SECRET and/or PAYLOAD_WEBHOOK_SECRET")
    return create_asgi_app(
        receivers["medusa"],
        receivers["payload"],
        stats_token=settings.stats_token.get_secret_value() if settings.stats_token else None,
        stats_queue=queue,
    )


def run(coro: Any) -> Any:
    """``asyncio.run`` (a seam for tests)."""
    return asyncio.run(coro)
