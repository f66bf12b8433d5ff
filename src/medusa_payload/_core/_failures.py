"""Failures as typed errors: transport exceptions and 4xx/5xx answers (no I/O).

The generic core knows no service's error body: each client's ``_error_fields`` hook reads its
own format into `ErrorFields`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from ..errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FieldError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    Service,
    UnprocessableEntityError,
)
from ._bounds import Deadline
from ._retry import retry_after_seconds

__all__ = [
    "NO_ERROR_FIELDS",
    "REQUEST_ID_HEADER",
    "ErrorFields",
    "decode_body",
    "error_class_for_status",
    "make_status_error",
    "no_error_fields",
    "not_found_error",
    "transport_error",
]

REQUEST_ID_HEADER = "x-request-id"


def transport_error(
    service: Service, exc: httpx.RequestError, request_id: str, cut_by: Deadline | None = None
) -> APIConnectionError:
    """Map an httpx transport exception to `APITimeoutError` / `APIConnectionError`.

    ``cut_by``: the deadline that shortened this attempt's timeouts; a timeout then means the
    deadline passed (`DeadlineExceededError`).
    """
    request = exc.request if _has_request(exc) else None
    if cut_by is not None and isinstance(exc, httpx.TimeoutException):
        return cut_by.error(service, request_id, request)
    # Connect errors mean the request never reached the server: safe to resend any method.
    never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    # the host is named so that a wrong or defaulted base URL shows in the message
    where = f"{service} at {_origin(request.url)}" if request is not None else service
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"request to {where} timed out ({type(exc).__name__})",
            service=service,
            request=request,
            request_id=request_id,
            never_sent=never_sent,
        )
    return APIConnectionError(
        f"connection to {where} failed ({type(exc).__name__}: {exc})",
        service=service,
        request=request,
        request_id=request_id,
        never_sent=never_sent,
    )


def _origin(url: httpx.URL) -> str:
    port = f":{url.port}" if url.port is not None else ""
    return f"{url.scheme}://{url.host}{port}"


def _has_request(exc: httpx.RequestError) -> bool:
    try:
        exc.request  # noqa: B018 - the property raises when no request is attached
    except RuntimeError:
        return False
    return True


def decode_body(response: httpx.Response) -> object:
    """The JSON body, or the text when it is not JSON (for error bodies)."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return response.text


@dataclass(frozen=True)
class ErrorFields:
    """What a service's error body says, as a client's `_error_fields` hook reads it.

    The generic core knows no service's error format: each concrete client overrides the hook
    (Medusa: ``{type, code, message}``, Payload: ``errors[]`` with ``data.errors`` field paths).
    """

    message: str | None = None
    type: str | None = None
    code: str | None = None
    errors: Sequence[Mapping[str, Any]] = ()
    field_errors: Sequence[FieldError] = ()


NO_ERROR_FIELDS = ErrorFields()


STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class_for_status(status_code: int) -> type[APIStatusError]:
    """The `APIStatusError` subclass for an HTTP status."""
    if status_code >= 500:
        return InternalServerError
    return STATUS_ERRORS.get(status_code, APIStatusError)


def no_error_fields(body: object) -> ErrorFields:
    """The generic `AsyncAPIClient._error_fields`: a body of an unknown format says nothing."""
    return NO_ERROR_FIELDS


def make_status_error(
    service: Service,
    response: httpx.Response,
    request_id: str,
    error_fields: Callable[[object], ErrorFields] = no_error_fields,
) -> APIStatusError:
    """Build the typed error for a 4xx/5xx response (the body must already be read).

    ``error_fields`` reads the service's own error format (the client's ``_error_fields`` hook);
    without a message from it, the message is the HTTP reason phrase.
    """
    body = decode_body(response)
    fields = error_fields(body)
    message = fields.message or response.reason_phrase or f"HTTP {response.status_code}"
    cls = error_class_for_status(response.status_code)
    return cls(
        message,
        service=service,
        response=response,
        body=body,
        request_id=response.headers.get(REQUEST_ID_HEADER) or request_id,
        type=fields.type,
        code=fields.code,
        errors=fields.errors,
        field_errors=fields.field_errors,
        retry_after=retry_after_seconds(response.headers),
    )


def not_found_error(
    service: Service, message: str, base_url: httpx.URL, path: str
) -> NotFoundError:
    """A `NotFoundError` for a lookup answered by an empty list (e.g. a handle no product has)."""
    request = httpx.Request("GET", base_url.join(path))
    response = httpx.Response(404, request=request, json={"type": "not_found", "message": message})
    return NotFoundError(
        message, service=service, response=response, body=response.json(), type="not_found"
    )
