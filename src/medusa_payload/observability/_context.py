"""The request context of the code running now: one request id and W3C ``traceparent``.

The webhook receiver binds it while it handles a delivery, the worker while it runs a job; the
HTTP core reads it to send the same ``x-request-id`` on every outgoing request, and
`JobLogFilter` copies it onto log records. It lives in a `contextvars.ContextVar`, so each
asyncio task (and each thread started through ``contextvars.copy_context().run``) sees its own.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Iterator, Mapping
from contextvars import ContextVar

import attrs

__all__ = [
    "RequestContext",
    "bind",
    "current",
    "current_request_id",
    "job_context",
    "new_traceparent",
    "valid_traceparent",
]

_TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}")


@attrs.frozen
class RequestContext:
    """Who the running code works for.

    Attributes:
        request_id: the id of the webhook delivery (or of the job when its producer set none).
        traceparent: the W3C ``traceparent`` the work continues, if any.
        job_id / job / attempt: the job being run (``None`` outside a worker).
    """

    request_id: str
    traceparent: str | None = None
    job_id: str | None = None
    job: str | None = None
    attempt: int | None = None


_current: ContextVar[RequestContext | None] = ContextVar("medusa_payload_request", default=None)


def current() -> RequestContext | None:
    """The context bound by the receiver or the worker around the running code, if any."""
    return _current.get()


def current_request_id() -> str | None:
    """The request id of the running delivery or job; ``None`` outside both."""
    ctx = _current.get()
    return None if ctx is None else ctx.request_id


@contextlib.contextmanager
def bind(ctx: RequestContext) -> Iterator[RequestContext]:
    """Make ``ctx`` the current context inside the ``with`` block."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def valid_traceparent(value: object) -> str | None:
    """``value`` when it is a W3C ``traceparent`` (version 00, non-zero ids), else ``None``."""
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    match = _TRACEPARENT.fullmatch(value)
    if match is None or set(match.group(1)) == {"0"} or set(match.group(2)) == {"0"}:
        return None
    return value


def new_traceparent() -> str:
    """A fresh sampled ``traceparent`` (a new trace id and parent span id)."""
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


def job_context(job_id: str, job: str, attempt: int, data: object) -> RequestContext:
    """The context of one job attempt: ``request_id`` / ``traceparent`` from its data when the
    producer put them there (the webhook receiver does), else ``job_<id>`` and no trace.

    A producer that sets neither (a Node BullMQ app) still gets one id for all of the job.
    """
    request_id: object = None
    traceparent: object = None
    if isinstance(data, Mapping):
        request_id = data.get("request_id")
        traceparent = data.get("traceparent")
    return RequestContext(
        request_id=str(request_id) if request_id else f"job_{job_id}",
        traceparent=valid_traceparent(traceparent),
        job_id=job_id,
        job=job,
        attempt=attempt,
    )
