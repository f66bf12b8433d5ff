"""The OpenTelemetry implementation of `Spans` (the ``[otel]`` extra: opentelemetry-api)."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

from ..errors import ConfigurationError
from . import _spans
from ._routes import route_template

__all__ = ["OTelSpans", "disable_tracing", "enable_tracing"]


class OTelSpans(_spans.Spans):
    """`Spans` on an OpenTelemetry tracer (``tracer_provider``, default: the global one)."""

    __slots__ = ("_propagator", "_trace", "tracer")

    def __init__(self, tracer_provider: Any = None) -> None:
        try:
            from opentelemetry import trace
            from opentelemetry.trace.propagation.tracecontext import (
                TraceContextTextMapPropagator,
            )
        except ImportError:
            raise ConfigurationError(
                "tracing needs opentelemetry-api: pip install 'medusa-payload[otel]'"
            ) from None
        self._trace = trace
        self._propagator = TraceContextTextMapPropagator()
        self.tracer = trace.get_tracer("medusa_payload", tracer_provider=tracer_provider)

    def span(
        self,
        name: str,
        attributes: Mapping[str, Any] | None = None,
        *,
        traceparent: str | None = None,
    ) -> AbstractContextManager[Any]:
        """Start ``name`` as the current span (a child of ``traceparent`` when given)."""
        context = None
        if traceparent is not None:
            context = self._propagator.extract({"traceparent": traceparent})
        return self.tracer.start_as_current_span(name, context=context, attributes=attributes)

    def http_span(self, service: str, method: str, path: str) -> AbstractContextManager[Any]:
        """``<service> <METHOD>`` with the route template (never the path: it holds ids)."""
        attributes = {
            "http.request.method": method,
            "url.template": route_template(path),
            "peer.service": service,
        }
        kind = self._trace.SpanKind.CLIENT
        return self.tracer.start_as_current_span(
            f"{service} {method}", kind=kind, attributes=attributes
        )

    def job_span(
        self, name: str, job_id: str, attempt: int, traceparent: str | None
    ) -> AbstractContextManager[Any]:
        """``job.run`` with ``job.name``, ``job.id``, ``job.attempt``."""
        attributes = {"job.name": name, "job.id": job_id, "job.attempt": attempt}
        return self.span("job.run", attributes, traceparent=traceparent)

    def traceparent(self) -> str | None:
        """The current span as a ``traceparent`` header value."""
        carrier: dict[str, str] = {}
        self._propagator.inject(carrier)
        return carrier.get("traceparent")


def enable_tracing(tracer_provider: Any = None) -> OTelSpans:
    """Start spans for deliveries, jobs, sync steps and HTTP calls (the ``[otel]`` extra).

    Args:
        tracer_provider: an OpenTelemetry ``TracerProvider`` (default: the global one, as set
            by your OpenTelemetry SDK setup).

    Raises:
        ConfigurationError: opentelemetry-api is not installed.
    """
    spans = OTelSpans(tracer_provider)
    _spans.install(spans)
    return spans


def disable_tracing() -> None:
    """Back to no spans."""
    _spans.install(_spans.Spans())
