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
from contextvars import ContextVar, Token
from typing import NamedTuple, Protocol

__all__ = [
    "Current",
    "RequestContext",
    "bind",
    "current",
    "current_request_id",
    "enter",
    "job_context",
    "leave",
    "new_traceparent",
    "valid_traceparent",
]

_TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}")


class RequestContext(NamedTuple):
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


class Current(Protocol):
    """What `current` returns: a `RequestContext`, or the worker's `JobContext` (the same
    fields, computed only when read: the worker binds it as it is)."""

    @property
    def request_id(self) -> str:
        """The request id."""
        ...

    @property
    def traceparent(self) -> str | None:
        """The W3C ``traceparent``, if any."""
        ...

    @property
    def job_id(self) -> str | None:
        """The job id (``None`` outside a job)."""
        ...

    @property
    def job(self) -> str | None:
        """The job name (``None`` outside a job)."""
        ...

    @property
    def attempt(self) -> int | None:
        """The attempt, 1 for the first (``None`` outside a job)."""
        ...


_current: ContextVar[Current | None] = ContextVar("medusa_payload_request", default=None)


def current() -> Current | None:
    """The context bound by the receiver or the worker around the running code, if any."""
    return _current.get()


def current_request_id() -> str | None:
    """The request id of the running delivery or job; ``None`` outside both."""
    ctx = _current.get()
    return None if ctx is None else ctx.request_id


@contextlib.contextmanager
def bind(ctx: Current) -> Iterator[Current]:
    """Make ``ctx`` the current context inside the ``with`` block."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def enter(ctx: Current) -> Token[Current | None]:
    """Make ``ctx`` current until `leave` (`bind` without a generator: the worker's hot path)."""
    return _current.set(ctx)


def leave(token: Token[Current | None]) -> None:
    """Restore the context `enter` replaced."""
    _current.reset(token)


def valid_traceparent(value: object) -> str | None:
    """``value`` when it is a W3C ``traceparent`` (version 00, non-zero ids), else ``None``."""
    if value is None or not isinstance(value, str):
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
    if type(data) is dict or isinstance(data, Mapping):
        request_id, traceparent = data.get("request_id"), data.get("traceparent")
        if request_id or traceparent:
            return RequestContext(
                str(request_id) if request_id else f"job_{job_id}",
                valid_traceparent(traceparent),
                job_id,
                job,
                attempt,
            )
    return RequestContext(f"job_{job_id}", None, job_id, job, attempt)
