"""The tracing seam: no-op `Spans` until `enable_tracing` (the ``[otel]`` extra) swaps in
OpenTelemetry.

Spans, one trace from delivery to write (the job data's ``traceparent`` links the worker's
spans to the receiver's):

- ``webhook.receive``: the receiver, per delivery (``webhook.source``,
  ``http.response.status_code``); its child ``queue.enqueue`` (``messaging.destination.name``:
  the job name).
- ``job.run``: the worker, per attempt, child of the job data's ``traceparent`` (``job.name``,
  ``job.id``, ``job.attempt``).
- ``sync.job``: the engine fetching both sides and planning (``sync.job``); its child
  ``sync.apply``: the write the plan asked for.
- ``<service> <METHOD>``: the HTTP core, per call (``http.request.method``, ``url.template``,
  ``http.response.status_code``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

__all__ = ["ACTIVE", "NO_SPAN", "Spans", "install"]


class _NoSpan:
    """Stands for a span while tracing is off: attributes go nowhere."""

    __slots__ = ()

    def set_attribute(self, key: str, value: Any) -> None:
        """Do nothing."""


NO_SPAN = _NoSpan()
_NULL: AbstractContextManager[Any] = contextlib.nullcontext(NO_SPAN)


class Spans:
    """Where spans start; every method does nothing here (tracing off)."""

    __slots__ = ()

    def span(
        self,
        name: str,
        attributes: Mapping[str, Any] | None = None,
        *,
        traceparent: str | None = None,
    ) -> AbstractContextManager[Any]:
        """A span named ``name``, child of the current one, or of ``traceparent`` when given."""
        return _NULL

    def http_span(self, service: str, method: str, path: str) -> AbstractContextManager[Any]:
        """The span of one HTTP call (``path`` is reduced to its route template)."""
        return _NULL

    def job_span(
        self, name: str, job_id: str, attempt: int, traceparent: str | None
    ) -> AbstractContextManager[Any]:
        """The ``job.run`` span of one attempt, child of the job data's ``traceparent``."""
        return _NULL

    def traceparent(self) -> str | None:
        """The W3C ``traceparent`` of the current span (``None`` while tracing is off)."""
        return None


ACTIVE: Spans = Spans()
"""The spans in use (no-op until `install`)."""


def install(spans: Spans) -> Spans:
    """Make ``spans`` the active ones; returns the previous."""
    global ACTIVE
    previous, ACTIVE = ACTIVE, spans
    return previous
