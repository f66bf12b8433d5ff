"""Sans-I/O HTTP core: everything about a request and its answer that does not do I/O.

The async client (``_async/client.py``) and its generated sync twin call only these functions, so
request building, auth placement, error mapping, retry decisions and log redaction exist once.
"""

from __future__ import annotations

import email.utils
import functools
import http.cookiejar
import json
import logging
import math
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar
from urllib.parse import quote

import httpx
import pydantic
from tenacity import RetryCallState
from tenacity.stop import stop_base

from .._config import RetryConfig
from .._version import __version__
from ..errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    DeadlineExceededError,
    FieldError,
    InternalServerError,
    InvalidPathSegmentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    Service,
    UnprocessableEntityError,
)
from ._qs import encode_query

__all__ = [
    "NO_ERROR_FIELDS",
    "APIRequest",
    "APIResponse",
    "ErrorFields",
    "RequestOptions",
    "api_request",
    "as_timeout",
    "build_http_request",
    "checked_base_url",
    "decode_json",
    "encode_path",
    "encode_segment",
    "is_secret_header",
    "item_envelope",
    "list_envelope",
    "log_response",
    "make_status_error",
    "new_request_id",
    "no_error_fields",
    "not_found_error",
    "parse_model",
    "redact_headers",
    "retry_after_seconds",
    "should_retry",
    "transport_error",
    "wait_seconds",
]

logger = logging.getLogger("medusa_payload")

USER_AGENT = f"medusa-payload-python/{__version__}"
REQUEST_ID_HEADER = "x-request-id"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A header whose lower-cased name contains one of these words is never logged: a rule, so a
#: secret passed through ``default_headers`` (``x-api-key``, ``x-shop-token``) is covered too.
SECRET_HEADER_WORDS = (
    "auth",
    "cookie",
    "key",
    "token",
    "secret",
    "password",
    "session",
    "credential",
)

M = TypeVar("M", bound=pydantic.BaseModel)

QueryParams = Mapping[str, Any] | str | None
_UNSET: Any = object()


@dataclass(frozen=True)
class APIRequest:
    """One logical API call, before auth and transport.

    Attributes:
        method: HTTP method.
        path: the path below the client's base URL, already percent-encoded (see `encode_path`).
        params: a mapping, encoded in ``qs`` bracket form (lists as ``key[0]=a&key[1]=b``),
            or an already encoded query string.
        json: the JSON body, if any.
        content: a raw body instead of ``json`` (set its content-type in ``headers``).
        headers: extra headers for this call.
        idempotent: may be retried after a response or timeout. ``None`` means "safe methods only"
            (GET, HEAD, OPTIONS). Writes that are idempotent by nature pass ``True``.
        timeout: overrides the client's timeout for this call.
        max_retries: overrides the client's ``max_retries`` for this call.
        deadline: overrides the client's ``deadline`` (seconds for the whole call) for this call.
    """

    method: str
    path: str
    params: QueryParams = None
    json: Any = None
    content: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    idempotent: bool | None = None
    timeout: float | httpx.Timeout | None = None
    max_retries: int | None = None
    deadline: float | None = None

    @property
    def is_idempotent(self) -> bool:
        """Whether a failed attempt may be repeated."""
        if self.idempotent is not None:
            return self.idempotent
        return self.method.upper() in SAFE_METHODS


class RequestOptions(TypedDict, total=False):
    """Per-call options every client method accepts as keyword arguments.

    Attributes:
        timeout: seconds (or an `httpx.Timeout`) for this call instead of the client's: the
            bound of one network operation (connect, one read, one write).
        max_retries: retries for this call instead of the client's ``max_retries``.
        deadline: seconds the whole call may take (every attempt, wait and body read) instead
            of the client's ``deadline``; ``math.inf`` lifts it for this call.
        extra_headers: headers added to this call.
        extra_query: query parameters added to this call (for server fields the SDK does not
            name yet).
    """

    timeout: float | httpx.Timeout
    max_retries: int
    deadline: float
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]


def api_request(
    method: str,
    path: str,
    options: RequestOptions,
    *,
    params: Mapping[str, Any] | str | None = None,
    json: Any = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    idempotent: bool | None = None,
) -> APIRequest:
    """Build an `APIRequest`, folding in the caller's `RequestOptions`.

    ``extra_query`` is merged into a mapping ``params``; a pre-encoded string ``params`` must
    already contain it (the Payload client encodes it together with ``where``).
    """
    extra_query = options.get("extra_query")
    if extra_query and not isinstance(params, str):
        params = {**(params or {}), **extra_query}
    return APIRequest(
        method=method,
        path=path,
        params=params,
        json=json,
        content=content,
        headers={**(headers or {}), **(options.get("extra_headers") or {})},
        idempotent=idempotent,
        timeout=options.get("timeout"),
        max_retries=options.get("max_retries"),
        deadline=options.get("deadline"),
    )


#: The longest path segment (after percent-encoding) a client sends. Node servers refuse request
#: lines over 16 KiB of headers; no Medusa id or Payload slug comes near this.
MAX_PATH_SEGMENT_LENGTH = 1024

_DOT_SEGMENTS = frozenset({"", ".", ".."})


def encode_segment(value: str | int) -> str:
    """One percent-encoded URL path segment, or `InvalidPathSegmentError`.

    Everything but RFC 3986 unreserved characters is encoded (``/``, ``%``, ``?``, ``#``,
    unicode ...). An empty value, ``.`` and ``..`` are refused rather than encoded: URL
    resolution would drop them and call another endpoint, and an encoded ``%2E`` is decoded back
    to ``.`` by servers and proxies alike.
    """
    encoded = quote(str(value), safe="")
    if encoded in _DOT_SEGMENTS:
        raise InvalidPathSegmentError(
            f"{str(value)!r} cannot be a URL path segment (empty, '.' and '..' change the "
            "endpoint called)",
            segment=str(value),
        )
    if len(encoded) > MAX_PATH_SEGMENT_LENGTH:
        raise InvalidPathSegmentError(
            f"path segment of {len(encoded)} encoded characters is longer than "
            f"{MAX_PATH_SEGMENT_LENGTH}: {str(value)[:40]!r}...",
            segment=str(value)[:100],
        )
    return encoded


def encode_path(template: str, *segments: str | int) -> str:
    """Fill ``{}`` placeholders with percent-encoded segments (see `encode_segment`).

    ``encode_path("/store/products/{}", "../admin")`` gives ``/store/products/..%2Fadmin``: a
    value can never change which endpoint is called.

    Raises:
        InvalidPathSegmentError: a segment is empty, ``.``, ``..`` or too long.
    """
    return template.format(*(encode_segment(s) for s in segments))


def checked_base_url(service: Service, base_url: str) -> httpx.URL:
    """``base_url`` as an `httpx.URL`, or `ConfigurationError` (which never repeats a password).

    Credentials in the URL (``https://user:pass@host``) are refused: they would show in every
    ``repr``, log line and error that prints the URL. Pass ``api_key=`` / ``token=`` instead.
    """
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL:
        raise ConfigurationError(f"{service} base_url is not a valid URL") from None
    if url.userinfo:
        host = url.copy_with(userinfo=None, path="/", query=None, fragment=None)
        raise ConfigurationError(
            f"{service} base_url must not contain credentials (user:password@): got "
            f"{str(host).rstrip('/')} with userinfo; pass api_key= or token= instead"
        )
    if url.scheme not in ("http", "https") or not url.host:
        shown = "(hidden: it contains '@')" if "@" in base_url else repr(base_url)
        raise ConfigurationError(f"{service} base_url must be an absolute http(s) URL, got {shown}")
    return url


def new_request_id() -> str:
    """A fresh ``x-request-id`` value (``req_`` + 32 hex digits)."""
    return f"req_{uuid.uuid4().hex}"


def cookie_free_jar() -> http.cookiejar.CookieJar:
    """A cookie jar that stores nothing.

    The clients authenticate with headers only. Payload's login also sets a ``payload-token``
    cookie; kept, it would authenticate later calls behind the client's back, even after
    ``logout()``.
    """
    return http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))


def build_http_request(
    client: httpx.Client | httpx.AsyncClient,
    request: APIRequest,
    *,
    auth_headers: Mapping[str, str],
    request_id: str,
    timeout: httpx.Timeout | None = None,
) -> httpx.Request:
    """Turn an `APIRequest` into an `httpx.Request` on ``client`` (no I/O).

    ``timeout`` (already bounded by the call's `Deadline`) wins over ``request.timeout``.
    """
    headers = {"accept": "application/json", REQUEST_ID_HEADER: request_id}
    headers.update(request.headers)
    headers.update(auth_headers)
    query = (
        request.params if isinstance(request.params, str) else encode_query(request.params or {})
    )
    # Kept byte for byte (qs bracket form, brackets unescaped) rather than re-encoded by httpx.
    url = httpx.URL(f"{request.path}?{query}") if query else httpx.URL(request.path)
    extensions: dict[str, Any] = {}
    if timeout is None and request.timeout is not None:
        timeout = as_timeout(request.timeout)
    if timeout is not None:
        extensions["timeout"] = timeout.as_dict()
    return client.build_request(
        request.method,
        url,
        json=request.json,
        content=request.content,
        headers=headers,
        extensions=extensions or None,
    )


def as_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """Seconds or an `httpx.Timeout`, as an `httpx.Timeout`."""
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


class Deadline:
    """The overall time budget of one call, on the monotonic clock.

    ``timeout`` bounds one network operation; a deadline bounds the call: every attempt's
    timeouts are cut to the time left, the body is checked after every chunk, and no retry waits
    past it. A call therefore ends within ``seconds`` plus one chunk's processing.
    """

    __slots__ = ("ends", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.ends = math.inf if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (``inf`` without a deadline; negative once passed)."""
        return self.ends - time.monotonic()

    def bound(self, timeout: httpx.Timeout) -> tuple[httpx.Timeout | None, bool]:
        """``timeout`` with each part cut to the time left, and whether any part was cut.

        Returns ``(None, False)`` when nothing needs cutting (the client's own timeout applies).
        """
        left = self.remaining()
        parts = timeout.as_dict()
        if all(v is not None and v <= left for v in parts.values()):
            return None, False
        left = max(left, 0.001)  # httpx reads 0 as "no wait at all"; keep it a real bound
        cut = {k: left if v is None or v > left else v for k, v in parts.items()}
        return httpx.Timeout(**cut), True

    def error(
        self, service: Service, request_id: str, request: httpx.Request | None = None
    ) -> DeadlineExceededError:
        """The `DeadlineExceededError` of this call."""
        return DeadlineExceededError(
            f"call did not finish within its deadline of {self.seconds:g} s",
            service=service,
            deadline=self.seconds if self.seconds is not None else math.inf,
            request=request,
            request_id=request_id,
        )

    @property
    def stop(self) -> stop_base:
        """A tenacity ``stop``: no retry whose wait would end past the deadline."""
        return _StopBeforeDeadline(self)


class _StopBeforeDeadline(stop_base):
    def __init__(self, deadline: Deadline) -> None:
        self.deadline = deadline

    def __call__(self, retry_state: RetryCallState) -> bool:
        return retry_state.upcoming_sleep >= self.deadline.remaining()


class BodyReader:
    """Collects a streamed response body within the size cap and the call's deadline (no I/O).

    The shell feeds it every decoded chunk; `finish` stores the body on the response, where
    ``response.content`` finds it as if httpx had read it.
    """

    __slots__ = ("_chunks", "_deadline", "_limit", "_request_id", "_response", "_service", "_size")

    def __init__(
        self,
        service: Service,
        response: httpx.Response,
        request_id: str,
        *,
        limit: int | None,
        deadline: Deadline,
    ) -> None:
        self._service: Service = service
        self._response = response
        self._request_id = request_id
        self._limit = limit
        self._deadline = deadline
        self._chunks: list[bytes] = []
        self._size = 0
        declared = response.headers.get("content-length", "")
        if limit is not None and declared.isdigit() and int(declared) > limit:
            raise self._too_large(f"content-length {declared}")

    def feed(self, chunk: bytes) -> None:
        """Keep ``chunk``; `ResponseTooLargeError` past the cap, `DeadlineExceededError` late."""
        self._size += len(chunk)
        if self._limit is not None and self._size > self._limit:
            raise self._too_large(f"more than {self._limit} bytes")
        self._chunks.append(chunk)
        if self._deadline.remaining() <= 0:
            raise self._deadline.error(self._service, self._request_id, self._response.request)

    def finish(self) -> None:
        """Store the whole body on the response (what ``httpx.Response.read`` does)."""
        self._response._content = b"".join(self._chunks)

    def _too_large(self, seen: str) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"response body is larger than max_response_bytes={self._limit} ({seen}; "
            f"HTTP {self._response.status_code})",
            service=self._service,
            limit=self._limit or 0,
            status_code=self._response.status_code,
            request=self._response.request,
            request_id=self._request_id,
        )


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
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"request timed out ({type(exc).__name__})",
            service=service,
            request=request,
            request_id=request_id,
            never_sent=never_sent,
        )
    return APIConnectionError(
        f"connection failed ({type(exc).__name__}: {exc})",
        service=service,
        request=request,
        request_id=request_id,
        never_sent=never_sent,
    )


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


def decode_json(service: Service, response: httpx.Response, request_id: str) -> Any:
    """The JSON of a 2xx response; `APIResponseValidationError` when it is not JSON."""
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise APIResponseValidationError(
            f"expected a JSON body, got {response.headers.get('content-type', 'no content-type')}",
            service=service,
            response=response,
            body=response.text[:500],
            request_id=request_id,
        ) from None


def _mismatch(
    model: type[pydantic.BaseModel],
    exc: pydantic.ValidationError,
    *,
    service: Service,
    response: httpx.Response,
    body: object,
    request_id: str,
) -> APIResponseValidationError:
    first = exc.errors()[0]
    return APIResponseValidationError(
        f"response does not match {model.__name__}: {exc.error_count()} error(s), "
        f"first: {first['loc']} {first['msg']}",
        service=service,
        response=response,
        body=body,
        request_id=request_id,
    )


def parse_model(
    model: type[M], data: object, *, service: Service, response: httpx.Response, request_id: str
) -> M:
    """Validate ``data`` into ``model``; a mismatch becomes `APIResponseValidationError`."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _mismatch(
            model, exc, service=service, response=response, body=data, request_id=request_id
        ) from None


def require_key(
    data: object, key: str, *, service: Service, response: httpx.Response, request_id: str
) -> Any:
    """``data[key]`` of a JSON object, or `APIResponseValidationError` naming the missing key."""
    if isinstance(data, Mapping) and key in data:
        return data[key]
    raise APIResponseValidationError(
        f"expected a JSON object with {key!r}",
        service=service,
        response=response,
        body=data,
        request_id=request_id,
    )


class APIResponse:
    """A 2xx answer: its JSON (decoded on first use), the `httpx.Response`, the request id."""

    __slots__ = ("_data", "http", "request_id", "service")

    def __init__(
        self, service: Service, http: httpx.Response, request_id: str, data: Any = _UNSET
    ) -> None:
        self.service: Service = service
        self.http = http
        self.request_id = request_id
        self._data = data

    @property
    def data(self) -> Any:
        """The decoded JSON body (``None`` for 204 / empty)."""
        if self._data is _UNSET:
            self._data = decode_json(self.service, self.http, self.request_id)
        return self._data

    def require(self, key: str) -> Any:
        """``data[key]``, or `APIResponseValidationError` naming the missing key."""
        return require_key(
            self.data, key, service=self.service, response=self.http, request_id=self.request_id
        )

    def parse(self, model: type[M], data: object) -> M:
        """Validate ``data`` (part of this body) into ``model``."""
        return parse_model(
            model, data, service=self.service, response=self.http, request_id=self.request_id
        )

    def parse_json(self, model: type[M]) -> M:
        """Validate the raw body straight into ``model`` (one pass in pydantic-core, no dicts)."""
        if self._data is not _UNSET:
            return self.parse(model, self._data)
        try:
            return model.model_validate_json(self.http.content)
        except pydantic.ValidationError as exc:
            if exc.errors()[0]["type"] == "json_invalid":
                decode_json(self.service, self.http, self.request_id)  # raises the clear error
            raise _mismatch(
                model,
                exc,
                service=self.service,
                response=self.http,
                body=self.http.text[:2000],
                request_id=self.request_id,
            ) from None


@functools.cache
def item_envelope(model: type[pydantic.BaseModel], key: str) -> type[pydantic.BaseModel]:
    """A model of ``{key: <model>}`` whose ``item`` attribute is the object (cached)."""
    return pydantic.create_model(
        f"{model.__name__}Envelope",
        __config__=_ENVELOPE_CONFIG,
        item=(model, pydantic.Field(alias=key)),
    )


@functools.cache
def list_envelope(model: type[pydantic.BaseModel], key: str) -> type[pydantic.BaseModel]:
    """A model of Medusa's ``{key: [<model>], count, offset, limit}`` list answer (cached)."""
    return pydantic.create_model(
        f"{model.__name__}ListEnvelope",
        __config__=_ENVELOPE_CONFIG,
        items=(list[model], pydantic.Field(alias=key)),  # type: ignore[valid-type]
        count=(int | None, None),
        offset=(int | None, None),
        limit=(int | None, None),
    )


_ENVELOPE_CONFIG = pydantic.ConfigDict(extra="ignore", populate_by_name=True)


def should_retry(request: APIRequest, config: RetryConfig, exc: BaseException) -> bool:
    """Whether ``exc`` (raised by one attempt of ``request``) deserves another attempt.

    A ``Retry-After`` longer than ``config.retry_after_cap`` is not waited for: the error is
    raised at once, carrying the server's value in ``retry_after``.
    """
    if isinstance(exc, DeadlineExceededError):
        return False
    if isinstance(exc, APIConnectionError):
        return request.is_idempotent or exc.never_sent
    if isinstance(exc, APIStatusError):
        if exc.retry_after is not None and exc.retry_after > config.retry_after_cap:
            return False
        return request.is_idempotent and exc.status_code in config.statuses
    return False


def retry_after_seconds(
    headers: httpx.Headers, *, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds the server asked us to wait (``Retry-After``: seconds or an HTTP date)."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - now()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def wait_seconds(config: RetryConfig) -> Callable[[RetryCallState], float]:
    """A tenacity ``wait`` honouring ``Retry-After`` and else exponential backoff with jitter.

    `should_retry` has already refused a ``Retry-After`` over the cap, so it is waited in full.
    """

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, APIStatusError) and exc.retry_after is not None:
            return min(exc.retry_after, config.retry_after_cap)
        n = state.attempt_number
        base = min(config.max_delay, config.initial_delay * 2.0 ** (n - 1))
        return float(base + random.uniform(0, config.jitter))

    return wait


def is_secret_header(name: str) -> bool:
    """Whether a header may carry a credential (its name contains a `SECRET_HEADER_WORDS` word).

    Covers ``authorization``, ``proxy-authorization``, ``cookie``, ``set-cookie``,
    ``x-publishable-api-key``, ``x-api-key``, ``x-session-id``, ``x-csrf-token`` ... .
    """
    lowered = name.lower()
    return any(word in lowered for word in SECRET_HEADER_WORDS)


def redact_headers(headers: Mapping[str, str] | httpx.Headers) -> dict[str, str]:
    """Headers safe to log: every `is_secret_header` value replaced by ``[redacted]``."""
    return {k: ("[redacted]" if is_secret_header(k) else v) for k, v in headers.items()}


def log_response(
    service: Service,
    request: httpx.Request,
    response: httpx.Response | None,
    *,
    request_id: str,
    attempt: int,
    elapsed: float,
    error: BaseException | None = None,
) -> None:
    """One debug line per attempt: method, path, status, time, request id (never credentials)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    outcome = str(response.status_code) if response is not None else type(error).__name__
    logger.debug(
        "%s %s %s -> %s in %.1f ms (request_id=%s, attempt=%d, headers=%s)",
        service,
        request.method,
        request.url.raw_path.decode("ascii", "replace"),
        outcome,
        elapsed * 1000,
        request_id,
        attempt,
        redact_headers(request.headers),
    )
