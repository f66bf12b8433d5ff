"""See inside a running sync: one request id end to end, and logs that carry it.

- The webhook receiver puts the delivery's request id (its ``x-request-id``, or a new one) and a
  W3C ``traceparent`` into the job data; the worker binds them (`RequestContext`) while the job
  runs; every request the clients send then carries that ``x-request-id``.
- `JobLogFilter` puts ``request_id``, ``job_id``, ``job`` and ``attempt`` on log records;
  ``MEDUSA_PAYLOAD_LOG=debug|info`` (or `configure_logging`) switches logging on.
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
from ._logging import CONTEXT_FIELDS, LOG_FORMAT, JobLogFilter, configure_logging

__all__ = [
    "CONTEXT_FIELDS",
    "LOG_FORMAT",
    "JobLogFilter",
    "RequestContext",
    "bind",
    "configure_logging",
    "current",
    "current_request_id",
    "job_context",
    "new_traceparent",
    "valid_traceparent",
]
