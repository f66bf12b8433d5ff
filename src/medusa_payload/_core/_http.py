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

from .._config import RetryConfig
from .._version import __version__
from ..errors import (
    APIConnectionError,
    APIResponseValidationError,
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
from ._qs import encode_query

__all__ = [
    "APIRequest",
    "APIResponse",
    "RequestOptions",
    "api_request",
    "build_http_request",
    "decode_json",
    "encode_path",
    "item_envelope",
    "list_envelope",
    "log_response",
    "make_status_error",
    "new_request_id",
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
SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "proxy-authorization"})

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

    @property
    def is_idempotent(self) -> bool:
        """Whether a failed attempt may be repeated."""
        if self.idempotent is not None:
            return self.idempotent
        return self.method.upper() in SAFE_METHODS


class RequestOptions(TypedDict, total=False):
    """Per-call options every client method accepts as keyword arguments.

    Attributes:
        timeout: seconds (or an `httpx.Timeout`) for this call instead of the client's.
        max_retries: retries for this call instead of the client's ``max_retries``.
        extra_headers: headers added to this call.
        extra_query: query parameters added to this call (for server fields the SDK does not
            name yet).
    """

    timeout: float | httpx.Timeout
    max_retries: int
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
    )


def encode_path(template: str, *segments: str | int) -> str:
    """Fill ``{}`` placeholders with percent-encoded segments.

    ``encode_path("/store/products/{}", "../admin")`` gives ``/store/products/..%2Fadmin``: a
    value can never change which endpoint is called.
    """
    return template.format(*(quote(str(s), safe="") for s in segments))


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
) -> httpx.Request:
    """Turn an `APIRequest` into an `httpx.Request` on ``client`` (no I/O)."""
    headers = {"accept": "application/json", REQUEST_ID_HEADER: request_id}
    headers.update(request.headers)
    headers.update(auth_headers)
    query = (
        request.params if isinstance(request.params, str) else encode_query(request.params or {})
    )
    # Kept byte for byte (qs bracket form, brackets unescaped) rather than re-encoded by httpx.
    url = httpx.URL(f"{request.path}?{query}") if query else httpx.URL(request.path)
    extensions: dict[str, Any] = {}
    timeout = request.timeout
    if timeout is not None:
        t = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        extensions["timeout"] = t.as_dict()
    return client.build_request(
        request.method,
        url,
        json=request.json,
        content=request.content,
        headers=headers,
        extensions=extensions or None,
    )


def transport_error(
    service: Service, exc: httpx.RequestError, request_id: str
) -> APIConnectionError:
    """Map an httpx transport exception to `APITimeoutError` / `APIConnectionError`."""
    request = exc.request if _has_request(exc) else None
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


def _medusa_fields(body: object) -> tuple[str | None, str | None, str | None]:
    if not isinstance(body, Mapping):
        return None, None, None
    message, type_, code = body.get("message"), body.get("type"), body.get("code")
    return (
        message if isinstance(message, str) else None,
        type_ if isinstance(type_, str) else None,
        code if isinstance(code, str) else None,
    )


def _payload_errors(body: object) -> tuple[list[Mapping[str, Any]], list[FieldError]]:
    if not isinstance(body, Mapping):
        return [], []
    raw = body.get("errors")
    errors = [e for e in raw if isinstance(e, Mapping)] if isinstance(raw, list) else []
    fields: list[FieldError] = []
    for entry in errors:
        data = entry.get("data")
        nested = data.get("errors") if isinstance(data, Mapping) else None
        for item in nested if isinstance(nested, list) else []:
            if isinstance(item, Mapping):
                fields.append(
                    FieldError(path=str(item.get("path", "")), message=str(item.get("message", "")))
                )
    return errors, fields


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


def make_status_error(
    service: Service, response: httpx.Response, request_id: str
) -> APIStatusError:
    """Build the typed error for a 4xx/5xx response (the body must already be read)."""
    body = decode_body(response)
    rid = response.headers.get(REQUEST_ID_HEADER) or request_id
    message, type_, code = _medusa_fields(body)
    errors, field_errors = _payload_errors(body)
    if errors:
        message = "; ".join(str(e.get("message", "")) for e in errors if e.get("message")) or None
    if message is None:
        message = response.reason_phrase or f"HTTP {response.status_code}"
    cls = error_class_for_status(response.status_code)
    return cls(
        message,
        service=service,
        response=response,
        body=body,
        request_id=rid,
        type=type_,
        code=code,
        errors=errors,
        field_errors=field_errors,
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


def parse_model(
    model: type[M], data: object, *, service: Service, response: httpx.Response, request_id: str
) -> M:
    """Validate ``data`` into ``model``; a mismatch becomes `APIResponseValidationError`."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise APIResponseValidationError(
            f"response does not match {model.__name__}: {exc.error_count()} error(s), "
            f"first: {exc.errors()[0]['loc']} {exc.errors()[0]['msg']}",
            service=service,
            response=response,
            body=data,
            request_id=request_id,
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
            first = exc.errors()[0]
            if first["type"] == "json_invalid":
                decode_json(self.service, self.http, self.request_id)  # raises the clear error
            raise APIResponseValidationError(
                f"response does not match {model.__name__}: {exc.error_count()} error(s), "
                f"first: {first['loc']} {first['msg']}",
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
    """Whether ``exc`` (raised by one attempt of ``request``) deserves another attempt."""
    if isinstance(exc, APIConnectionError):
        return request.is_idempotent or exc.never_sent
    if isinstance(exc, APIStatusError):
        return request.is_idempotent and exc.status_code in config.statuses
    return False


def retry_after_seconds(
    headers: httpx.Headers, *, cap: float, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds the server asked us to wait (``Retry-After``: seconds or HTTP date), capped."""
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
    return max(0.0, min(seconds, cap))


def wait_seconds(config: RetryConfig) -> Callable[[RetryCallState], float]:
    """A tenacity ``wait`` honouring ``Retry-After`` and else exponential backoff with jitter."""

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, APIStatusError):
            server = retry_after_seconds(exc.response.headers, cap=config.retry_after_cap)
            if server is not None:
                return server
        n = state.attempt_number
        base = min(config.max_delay, config.initial_delay * 2.0 ** (n - 1))
        return float(base + random.uniform(0, config.jitter))

    return wait


def redact_headers(headers: Mapping[str, str] | httpx.Headers) -> dict[str, str]:
    """Headers safe to log: credentials replaced by ``[redacted]``."""
    return {k: ("[redacted]" if k.lower() in SENSITIVE_HEADERS else v) for k, v in headers.items()}


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


def join_fields(fields: str | Sequence[str] | None) -> str | None:
    """Medusa ``fields``: a string as is, a sequence joined with commas."""
    if fields is None or isinstance(fields, str):
        return fields
    return ",".join(fields)
