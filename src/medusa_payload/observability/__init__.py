"""See inside a running sync: one request id end to end, and logs that carry it.

- The webhook receiver puts the delivery's request id (its ``x-request-id``, or a new one) and a
  W3C ``traceparent`` into the job data; the worker binds them (`RequestContext`) while the job
  runs; every request the clients send then carries that ``x-request-id``.
- `JobLogFilter` puts ``request_id``, ``job_id``, ``job`` and ``attempt`` on log records;
  ``MEDUSA_PAYLOAD_LOG=debug|info`` (or `configure_logging`) switches logging on.
- `enable_metrics` (the ``[metrics]`` extra, prometheus-client) counts HTTP calls, cache reads,
  jobs, webhooks and sync results; until then every count is a call of an empty method.
- `enable_tracing` (the ``[otel]`` extra, opentelemetry-api) starts OpenTelemetry spans from
  delivery to write, one trace linked through the job data's ``traceparent``.
"""

from ._context import (
    RequestContext,
    bind,
    current,
    current_request_id,
    job_context,
    new_traceparent,
    valid_traceparent,
)
from ._instruments import Instruments
from ._logging import CONTEXT_FIELDS, LOG_FORMAT, JobLogFilter, configure_logging
from ._metrics import (
    CONTENT_TYPE,
    disable_metrics,
    enable_metrics,
    metrics_enabled,
    serve_metrics,
)
from ._otel import disable_tracing, enable_tracing

__all__ = [
    "CONTENT_TYPE",
    "CONTEXT_FIELDS",
    "LOG_FORMAT",
    "Instruments",
    "JobLogFilter",
    "RequestContext",
    "bind",
    "configure_logging",
    "current",
    "current_request_id",
    "disable_metrics",
    "disable_tracing",
    "enable_metrics",
    "enable_tracing",
    "job_context",
    "metrics_enabled",
    "new_traceparent",
    "serve_metrics",
    "valid_traceparent",
]
