"""Sans-I/O HTTP core: everything about a request and its answer that does not do I/O.

The async client (``_async/client.py``) and its generated sync twin call only these functions, so
request building, auth placement, error mapping, retry decisions and log redaction exist once.
This module builds requests and reads 2xx answers; its neighbours each hold one concern, and
their public names are re-exported here for the clients:

| module | concern |
|---|---|
| ``_urls`` | the checked ``base_url``, percent-encoded path segments |
| ``_bounds`` | the call's deadline and the response size cap |
| ``_failures`` | transport errors and 4xx/5xx answers as typed errors |
| ``_retry`` | which failures are retried, and how long to wait |
| ``_logs`` | the debug line of each attempt, credentials redacted |
"""

from __future__ import annotations

import enum
import functools
import http.cookiejar
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict, TypeVar

import httpx
import pydantic

from .._models import set_request_id
from .._version import __version__
from ..errors import (
    APIResponseValidationError,
    ConfigurationError,
    InvalidArgumentError,
    Service,
)
from ._bounds import BodyReader, Deadline, as_timeout, timeout_problem
from ._failures import (
    NO_ERROR_FIELDS,
    REQUEST_ID_HEADER,
    ErrorFields,
    decode_body,
    error_class_for_status,
    make_status_error,
    no_error_fields,
    not_found_error,
    transport_error,
)
from ._logs import is_secret_header, log_response, redact_headers
from ._qs import encode_query
from ._retry import retry_after_seconds, should_retry, wait_seconds
from ._urls import (
    MAX_PATH_SEGMENT_LENGTH,
    checked_base_url,
    checked_request_path,
    encode_path,
    encode_segment,
)

__all__ = [
    "MAX_PATH_SEGMENT_LENGTH",
    "NOT_GIVEN",
    "NO_ERROR_FIELDS",
    "REQUEST_ID_HEADER",
    "USER_AGENT",
    "APIRequest",
    "APIResponse",
    "BodyReader",
    "Deadline",
    "ErrorFields",
    "NotGiven",
    "RequestOptions",
    "api_request",
    "as_timeout",
    "build_http_request",
    "check_client_options",
    "checked_base_url",
    "checked_request_path",
    "cookie_free_jar",
    "decode_body",
    "decode_json",
    "encode_path",
    "encode_segment",
    "error_class_for_status",
    "header_problem",
    "is_secret_header",
    "item_envelope",
    "list_envelope",
    "log_response",
    "lower_names",
    "make_status_error",
    "new_request_id",
    "no_error_fields",
    "not_found_error",
    "parse_model",
    "redact_headers",
    "require_key",
    "retry_after_seconds",
    "should_retry",
    "timeout_problem",
    "transport_error",
    "wait_seconds",
]

USER_AGENT = f"medusa-payload-python/{__version__}"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

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
        extra_body: fields merged (shallowly, winning) into this call's JSON object body; a
            call that sends no JSON object (a GET, a file upload) refuses it with
            `InvalidArgumentError`. A POST / PATCH / PUT without a body sends them as its body.
            An empty mapping changes nothing, on any call.
    """

    timeout: float | httpx.Timeout
    max_retries: int
    deadline: float
    extra_headers: Mapping[str, str]
    extra_query: Mapping[str, Any]
    extra_body: Mapping[str, Any]


_BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})


def with_extra_body(method: str, json: Any, content: bytes | None, extra: Mapping[str, Any]) -> Any:
    """``json`` with ``extra`` merged in (a new dict), or `InvalidArgumentError`."""
    if not isinstance(extra, Mapping):
        raise InvalidArgumentError(
            f"extra_body must be a mapping of JSON fields, got {type(extra).__name__}"
        )
    if not extra:
        return json  # nothing to add: any call takes it (``extra_body=user_fields or {}``)
    if content is not None:
        raise InvalidArgumentError(
            "extra_body needs a JSON object body; this call sends a raw or multipart body"
        )
    if json is None:
        if method.upper() not in _BODY_METHODS:
            raise InvalidArgumentError(f"extra_body: a {method.upper()} call sends no body")
        return dict(extra)
    if not isinstance(json, Mapping):
        raise InvalidArgumentError(
            f"extra_body needs a JSON object body; this call sends a {type(json).__name__}"
        )
    return {**json, **extra}


_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def header_problem(headers: Mapping[str, str]) -> str | None:
    """What makes ``headers`` unsendable (a name that is not an RFC 9110 token, a value that is
    not ASCII text on one line), or ``None``. Checked before sending: the HTTP layer would
    only refuse it mid-request, as a connection error that is retried. Values are never
    quoted (they may be secrets)."""
    for name, value in headers.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            return f"{name!r} is not a valid header name"
        if (
            not isinstance(value, str)
            or not value.isascii()
            or not value.replace("\t", " ").isprintable()
        ):
            return f"the value of header {name!r} must be printable ASCII text on one line"
    return None


def lower_names(headers: Mapping[str, str]) -> dict[str, str]:
    """``headers`` with lower-case names, the later of two spellings winning: names are
    case-insensitive, and ``X-Request-Id`` next to the SDK's ``x-request-id`` would send both."""
    return {name.lower(): value for name, value in headers.items()}


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
    extra_body = options.get("extra_body")
    if extra_body is not None:
        json = with_extra_body(method, json, content, extra_body)
    timeout, max_retries, deadline = (
        options.get("timeout"),
        options.get("max_retries"),
        options.get("deadline"),
    )
    if timeout is not None or max_retries is not None or deadline is not None:
        problem = (
            (None if timeout is None else timeout_problem(timeout))
            or (None if max_retries is None else retries_problem(max_retries))
            or (None if deadline is None else deadline_problem(deadline))
        )
        if problem is not None:
            raise InvalidArgumentError(problem)
    all_headers = {**(headers or {}), **(options.get("extra_headers") or {})}
    if all_headers:
        if (problem := header_problem(all_headers)) is not None:
            raise InvalidArgumentError(problem)
        all_headers = lower_names(all_headers)
    return APIRequest(
        method=method,
        path=path,
        params=params,
        json=json,
        content=content,
        headers=all_headers,
        idempotent=idempotent,
        timeout=timeout,
        max_retries=max_retries,
        deadline=deadline,
    )


class NotGiven(enum.Enum):
    """The type of `NOT_GIVEN`: "keep this client's value" in ``with_options``."""

    NOT_GIVEN = "NOT_GIVEN"


#: ``with_options`` default: the derived client keeps this client's value.
NOT_GIVEN = NotGiven.NOT_GIVEN


def retries_problem(max_retries: object) -> str | None:
    """Why ``max_retries`` is not a count of retries (an int >= 0), or ``None``."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        return f"max_retries must be an int >= 0, got {max_retries!r}"
    return None


def deadline_problem(deadline: object) -> str | None:
    """Why ``deadline`` is not seconds > 0 (``math.inf``: none), or ``None``."""
    if isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or not deadline > 0:
        return f"deadline must be > 0 seconds, got {deadline!r}"
    return None


def check_client_options(
    max_retries: int,
    deadline: float | None,
    max_response_bytes: int | None,
    default_headers: Mapping[str, str] | None = None,
    timeout: object = NOT_GIVEN,
) -> None:
    """`ConfigurationError` for a client option out of range or unsendable (``__init__`` and
    ``with_options``)."""
    if default_headers and (problem := header_problem(default_headers)) is not None:
        raise ConfigurationError(f"default_headers: {problem}")
    problem = (
        retries_problem(max_retries)
        or (None if deadline is None else deadline_problem(deadline))
        or (None if isinstance(timeout, NotGiven) else timeout_problem(timeout))
    )
    if problem is not None:
        raise ConfigurationError(problem)
    if max_response_bytes is not None and max_response_bytes <= 0:
        raise ConfigurationError(
            f"max_response_bytes must be > 0 or None, got {max_response_bytes!r}"
        )


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
    default_headers: Mapping[str, str] | None = None,
) -> httpx.Request:
    """Turn an `APIRequest` into an `httpx.Request` on ``client`` (no I/O).

    ``timeout`` (already bounded by the call's `Deadline`) wins over ``request.timeout``;
    ``default_headers`` (a derived client's, see ``with_options``) come before the call's own.
    """
    headers = {"accept": "application/json", REQUEST_ID_HEADER: request_id}
    if default_headers:
        headers.update(default_headers)
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
        """Validate ``data`` (part of this body) into ``model``, stamped with the request id."""
        parsed = parse_model(
            model, data, service=self.service, response=self.http, request_id=self.request_id
        )
        set_request_id((parsed,), self.request_id)
        return parsed

    def parse_json(self, model: type[M]) -> M:
        """Validate the raw body straight into ``model`` (one pass in pydantic-core, no dicts)."""
        if self._data is not _UNSET:
            return self.parse(model, self._data)
        try:
            parsed = model.model_validate_json(self.http.content)
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
        set_request_id((parsed,), self.request_id)
        return parsed


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
