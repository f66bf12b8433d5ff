"""Every exception the SDK raises, in one tree.

```
MedusaPayloadError
├── ConfigurationError                 a setting is missing or malformed (raised before any I/O)
│   └── MissingCredentialsError        an admin call without api_key/token, a write without auth
├── InvalidArgumentError                a call's argument cannot be sent as given (before I/O)
│   └── InvalidPathSegmentError        an id/slug that cannot be one URL path segment
├── APIError                           something went wrong talking to Medusa or Payload
│   ├── APIConnectionError             DNS, refused connection, reset, TLS ...
│   │   └── APITimeoutError            connect/read/write/pool timeout
│   │       └── DeadlineExceededError  the whole call (retries included) passed its deadline
│   ├── APIResponseValidationError     a 2xx body that is not what the API documents
│   ├── ResponseTooLargeError          a body over max_response_bytes (not kept in memory)
│   └── APIStatusError                 the server answered 4xx/5xx
│       ├── BadRequestError            400 (Payload's ValidationError arrives here too)
│       ├── AuthenticationError        401
│       ├── PermissionDeniedError      403
│       ├── NotFoundError              404
│       ├── ConflictError              409
│       ├── UnprocessableEntityError   422
│       ├── RateLimitError             429
│       └── InternalServerError        5xx
├── PartialFailureError                a bulk write where some documents failed
├── QueueError                         a queue operation could not be done
│   └── LeaseLost                      the job is no longer ours (lease expired, taken over)
├── Unrecoverable                      raised by a job handler: fail the job now, no retries
└── WebhookError                       a webhook delivery was refused (status + reason)
    ├── WebhookVerificationError       400 bad headers, 401 signature/timestamp, 413 too large
    └── WebhookPayloadError            400 not a JSON object, 422 not a valid event
```

Every `APIError` names its `service` (``"medusa"`` or ``"payload"``) and carries the
``request_id`` that was sent as ``x-request-id`` (or the one the server answered with), so a log
line on either side can be matched. Status errors keep the server's own fields: Medusa's
``type``/``code``/``message`` and Payload's ``errors[]`` with field paths (`FieldError`).
No exception text ever contains a secret: URLs are logged without credentials and auth
headers are never part of a message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "DeadlineExceededError",
    "FieldError",
    "InternalServerError",
    "InvalidArgumentError",
    "InvalidPathSegmentError",
    "LeaseLost",
    "MedusaPayloadError",
    "MissingCredentialsError",
    "NotFoundError",
    "PartialFailureError",
    "PermissionDeniedError",
    "QueueError",
    "RateLimitError",
    "ResponseTooLargeError",
    "Service",
    "UnprocessableEntityError",
    "Unrecoverable",
    "WebhookError",
    "WebhookPayloadError",
    "WebhookVerificationError",
]

Service = Literal["medusa", "payload"]


class MedusaPayloadError(Exception):
    """Base class of every exception raised by `medusa_payload`."""


class ConfigurationError(MedusaPayloadError, ValueError):
    """A setting is missing or malformed. Raised before any request is sent."""


class MissingCredentialsError(ConfigurationError):
    """A call needs credentials the client was not given (a Medusa admin call without a key)."""


class InvalidArgumentError(MedusaPayloadError, ValueError):
    """A call's argument cannot be sent as given (an empty ``where`` on a bulk write, ...).

    Raised before any request is sent.
    """


class InvalidPathSegmentError(InvalidArgumentError):
    """An id, handle or slug cannot be sent as one URL path segment. Raised before any I/O.

    Values are percent-encoded, so ``/``, ``?`` or ``#`` can never leave their segment; but an
    empty segment, ``.`` or ``..`` would be removed by URL resolution and change the endpoint
    (``delete("..")`` would become ``DELETE /admin``), and a segment longer than
    1024 encoded characters would exceed servers' URL limits.

    Attributes:
        segment: the refused value (truncated to 100 characters).
    """

    def __init__(self, message: str, *, segment: str) -> None:
        super().__init__(message)
        self.segment = segment


@dataclass(frozen=True)
class FieldError:
    """One invalid field reported by the server.

    Payload reports ``path`` as a dotted field path (``"seo.title"``, ``"features.0.title"``).
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class APIError(MedusaPayloadError):
    """Talking to Medusa or Payload failed.

    Attributes:
        service: ``"medusa"`` or ``"payload"``.
        request: the `httpx.Request` that was sent (its auth headers are never printed).
        request_id: the ``x-request-id`` of the call, to match server logs.
    """

    def __init__(
        self,
        message: str,
        *,
        service: Service,
        request: httpx.Request | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.service: Service = service
        self.request = request
        self.request_id = request_id

    def __str__(self) -> str:
        suffix = f" (request_id={self.request_id})" if self.request_id else ""
        return f"[{self.service}] {self.message}{suffix}"


class APIConnectionError(APIError):
    """The request never got an HTTP answer: refused, reset, DNS or TLS failure.

    Attributes:
        never_sent: ``True`` when the failure happened before the request reached the server
            (connection refused, connect timeout, no free connection in the pool), so it is safe
            to send again even when it is not idempotent.
    """

    def __init__(
        self,
        message: str,
        *,
        service: Service,
        request: httpx.Request | None = None,
        request_id: str | None = None,
        never_sent: bool = False,
    ) -> None:
        super().__init__(message, service=service, request=request, request_id=request_id)
        self.never_sent = never_sent


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""


class DeadlineExceededError(APITimeoutError):
    """The call ran out of its overall ``deadline`` (every attempt, wait and body read counted).

    Not retried: the time for retries is what ran out.

    Attributes:
        deadline: the call's deadline in seconds.
    """

    def __init__(
        self,
        message: str,
        *,
        service: Service,
        deadline: float,
        request: httpx.Request | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, service=service, request=request, request_id=request_id)
        self.deadline = deadline


class ResponseTooLargeError(APIError):
    """The response body is larger than the client's ``max_response_bytes``.

    Reading stopped at the cap (or before reading, when ``content-length`` already said so), so
    the body never sits in memory. Not retried.

    Attributes:
        limit: the cap in bytes.
        status_code: the status the server answered with.
    """

    def __init__(
        self,
        message: str,
        *,
        service: Service,
        limit: int,
        status_code: int,
        request: httpx.Request | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, service=service, request=request, request_id=request_id)
        self.limit = limit
        self.status_code = status_code


class APIResponseValidationError(APIError):
    """A 2xx response whose body does not have the documented shape."""

    def __init__(
        self,
        message: str,
        *,
        service: Service,
        response: httpx.Response,
        body: object,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message, service=service, request=response.request, request_id=request_id)
        self.response = response
        self.body = body


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status.

    Attributes:
        status_code: the HTTP status.
        response: the `httpx.Response` (read).
        body: the decoded JSON body, or the text when it was not JSON.
        type: Medusa's error ``type`` (``"not_found"``, ``"invalid_data"``, ...), if any.
        code: Medusa's error ``code``, if any.
        errors: Payload's ``errors[]`` entries as sent.
        field_errors: the invalid fields, from Payload's ``ValidationError`` data.
        retry_after: the seconds the server's ``Retry-After`` asked for (uncapped), if any.
    """

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        service: Service,
        response: httpx.Response,
        body: object,
        request_id: str | None = None,
        type: str | None = None,
        code: str | None = None,
        errors: Sequence[Mapping[str, Any]] = (),
        field_errors: Sequence[FieldError] = (),
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, service=service, request=response.request, request_id=request_id)
        self.status_code = response.status_code
        self.retry_after = retry_after
        self.response = response
        self.body = body
        self.type = type
        self.code = code
        self.errors: list[Mapping[str, Any]] = list(errors)
        self.field_errors: list[FieldError] = list(field_errors)

    def __str__(self) -> str:
        text = f"[{self.service}] {self.status_code} {self.message}"
        if self.field_errors:
            text += " (" + "; ".join(str(e) for e in self.field_errors) + ")"
        if self.request_id:
            text += f" (request_id={self.request_id})"
        return text


class BadRequestError(APIStatusError):
    """400: the request was malformed or failed validation (Payload's ValidationError)."""

    status_code = 400


class AuthenticationError(APIStatusError):
    """401: missing, expired or wrong credentials."""

    status_code = 401


class PermissionDeniedError(APIStatusError):
    """403: the credentials are valid but not allowed to do this (Payload without auth)."""

    status_code = 403


class NotFoundError(APIStatusError):
    """404: no such resource (also raised for a handle that matches no product)."""

    status_code = 404


class ConflictError(APIStatusError):
    """409: the write conflicts with the current state (e.g. a duplicate key)."""

    status_code = 409


class UnprocessableEntityError(APIStatusError):
    """422: the body was understood but cannot be processed."""

    status_code = 422


class RateLimitError(APIStatusError):
    """429: too many requests; the call was retried while ``max_retries`` allowed.

    A ``Retry-After`` longer than `RetryConfig.retry_after_cap` is not waited for: this error is
    raised at once, and ``retry_after`` holds the server's value.
    """

    status_code = 429


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class PartialFailureError(MedusaPayloadError):
    """A bulk write (Payload ``PATCH``/``DELETE`` with ``where``) updated some documents, not all.

    Attributes:
        docs: the documents that were written.
        errors: one entry per failed document, as Payload sent it (``id`` and ``message``).
    """

    def __init__(
        self, message: str, *, docs: Sequence[Any], errors: Sequence[Mapping[str, Any]]
    ) -> None:
        super().__init__(message)
        self.docs = list(docs)
        self.errors = list(errors)


class WebhookError(MedusaPayloadError):
    """A webhook delivery was refused.

    Attributes:
        status: the HTTP status to answer with (400, 401, 413 or 422).
        reason: a short, human-readable reason, safe to send back to the sender.
    """

    status: int = 400

    def __init__(self, reason: str, *, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return f"{self.status} {self.reason}"


class WebhookVerificationError(WebhookError):
    """The delivery is not authentic, too old, too new, too large or its headers are malformed.

    ``status`` is 401 for a signature or timestamp that does not verify, 400 for a missing or
    malformed header and 413 for a body over the size limit.
    """

    status = 401


class WebhookPayloadError(WebhookError):
    """The (authentic) body is not a valid event: 400 when it is not a JSON object, else 422."""

    status = 422


class QueueError(MedusaPayloadError):
    """A queue operation could not be done (backend unavailable, job unknown, ...)."""


class LeaseLost(QueueError):  # noqa: N818 - the name says what happened, as in DESIGN.md
    """The job is no longer held by this lease: it expired and was reaped, or another worker
    took it over. Work done under the lease must not be reported as done."""

    def __init__(self, job_id: str, reason: str) -> None:
        super().__init__(f"lease on job {job_id} lost: {reason}")
        self.job_id = job_id
        self.reason = reason


class Unrecoverable(MedusaPayloadError):  # noqa: N818 - DESIGN.md's name
    """Raise from a job handler to fail the job at once, without retries (bad input that no
    retry can fix). The worker also treats 4xx validation errors this way by default."""
