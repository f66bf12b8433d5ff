"""Log records that carry the request context, and ``MEDUSA_PAYLOAD_LOG`` to switch logs on.

`JobLogFilter` adds ``request_id``, ``job_id``, ``job`` and ``attempt`` to every record that
passes a handler it is attached to (``"-"`` where there is none), so a format string or a JSON
formatter can use them. `configure_logging` attaches one stderr handler with that filter to the
``medusa_payload`` logger; the package calls it at import when ``MEDUSA_PAYLOAD_LOG`` is
``debug`` or ``info`` (read through `Settings`), like the openai and anthropic SDKs.
"""

from __future__ import annotations

import logging
import sys
from typing import Final

from ._context import current

__all__ = ["CONTEXT_FIELDS", "LOG_FORMAT", "JobLogFilter", "configure_logging"]

CONTEXT_FIELDS: Final = ("request_id", "job_id", "job", "attempt")
"""The record attributes `JobLogFilter` sets."""

LOG_FORMAT: Final = (
    "%(asctime)s %(levelname)s %(name)s "
    "[request_id=%(request_id)s job=%(job)s job_id=%(job_id)s attempt=%(attempt)s] %(message)s"
)
"""The format of the handler `configure_logging` installs."""

_HANDLER_NAME: Final = "medusa_payload.observability"


class JobLogFilter(logging.Filter):
    """Adds the current `RequestContext` fields to each record (never drops a record).

    A field already set on the record (``extra={"request_id": ...}``) is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Set ``request_id``, ``job_id``, ``job``, ``attempt`` on ``record``; keep it."""
        ctx = current()
        values = (
            ("-", "-", "-", "-")
            if ctx is None
            else (ctx.request_id, ctx.job_id or "-", ctx.job or "-", ctx.attempt or "-")
        )
        for name, value in zip(CONTEXT_FIELDS, values, strict=True):
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


def configure_logging(level: str | int = "info") -> logging.Handler:
    """Log ``medusa_payload.*`` records at ``level`` to stderr with the context fields.

    Idempotent: a second call only changes the level. Credentials never reach these lines (the
    HTTP core redacts every header `is_secret_header` names). Returns the handler.
    """
    numeric = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}")
    root = logging.getLogger("medusa_payload")
    root.setLevel(numeric)
    for handler in root.handlers:
        if handler.get_name() == _HANDLER_NAME:
            return handler
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(JobLogFilter())
    root.addHandler(handler)
    return handler
