"""The HTTP shell: one send loop with retries, the base of every client.

Everything that is not I/O lives in ``.._http``; this module only sends, retries and reads.
The async form is the source; the sync twin is generated from it by ``scripts/gen_sync.py``.
"""

from __future__ import annotations

import copy
import re
import time
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import Any, ClassVar, TypeVar, overload

import httpx
import pydantic
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt
from typing_extensions import Unpack

from ..._config import (
    DEFAULT_DEADLINE,
    DEFAULT_LIMITS,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    RetryConfig,
)
from ..._models import set_request_id
from ...errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    InvalidArgumentError,
    Service,
)
from ...observability import _instruments, _spans
from ...observability._context import current_request_id
from .._http import (
    NOT_GIVEN,
    REQUEST_ID_HEADER,
    USER_AGENT,
    APIRequest,
    APIResponse,
    BodyReader,
    Deadline,
    ErrorFields,
    NotGiven,
    RequestOptions,
    api_request,
    as_timeout,
    build_http_request,
    check_client_options,
    checked_base_url,
    checked_request_path,
    cookie_free_jar,
    item_envelope,
    log_response,
    lower_names,
    make_status_error,
    new_request_id,
    no_error_fields,
    should_retry,
    transport_error,
    wait_seconds,
)
from .._raw import record_response
from .raw import AsyncRawResponseView

__all__ = ["AsyncAPIClient"]

_CLOSE_METHOD = "aclose"  # the generated sync twin says "close"

M = TypeVar("M", bound=pydantic.BaseModel)
Self = TypeVar("Self", bound="AsyncAPIClient")

_METHOD = re.compile(r"[A-Za-z]{1,16}")


class AsyncAPIClient:
    """Base of the clients: pooling, timeouts, retries, typed errors, request ids."""

    service: ClassVar[Service]

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry: RetryConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        url = checked_base_url(self.service, base_url)
        check_client_options(
            max_retries,
            deadline,
            max_response_bytes,
            default_headers,
            NOT_GIVEN if timeout is None else timeout,  # None: the default timeout
        )
        self.base_url = url
        self.max_retries = max_retries
        self.retry = retry or DEFAULT_RETRY
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes
        headers = {"user-agent": USER_AGENT, **lower_names(default_headers or {})}
        self._owns_http_client = http_client is None
        if http_client is None:
            http_client = httpx.AsyncClient(
                base_url=str(url).rstrip("/"),
                timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
                transport=transport,
                limits=DEFAULT_LIMITS,
                headers=headers,
                cookies=cookie_free_jar(),
            )
        self._http = http_client
        # Set on a derived client only (``with_options``): they win over the pool's own.
        self._timeout: httpx.Timeout | None = None
        self._default_headers: Mapping[str, str] = {}
        # A derived client's original, kept alive with it: ``Client(...).with_options(...)``
        # must not see its pool's owner collected (and warning "not closed") while in use.
        self._parent: AsyncAPIClient | None = None

    def _bind(self) -> None:
        """(Re)create what holds a reference to this client (a service's resources)."""

    def _derive(self: Self) -> Self:
        """A copy sharing the connection pool, which it does not own (closing it leaves the
        pool open), with this client's credentials and settings; `with_options` and
        ``with_customer`` change it."""
        derived = copy.copy(self)
        derived._owns_http_client = False
        derived._parent = self
        derived._bind()
        return derived

    def with_options(
        self: Self,
        *,
        timeout: float | httpx.Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven | None = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        retry: RetryConfig | NotGiven = NOT_GIVEN,
        max_response_bytes: int | NotGiven | None = NOT_GIVEN,
    ) -> Self:
        """A copy of this client with other options, sharing its connection pool.

        ```python
        fast = client.with_options(timeout=2.0, max_retries=0)
        page = await fast.store.products.list()
        ```

        The copy keeps the credentials, auth state and every option not given. It does not own
        the pool: closing the copy leaves it open, closing this client closes it for both.
        ``default_headers`` are added to this client's headers.

        Raises:
            ConfigurationError: a value out of range (``max_retries=-1``, ``deadline=0``,
                ``timeout=0``) or a header that cannot be sent (a line break in a value).
        """
        new_retries = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        new_deadline = self.deadline if isinstance(deadline, NotGiven) else deadline
        new_cap = (
            self.max_response_bytes
            if isinstance(max_response_bytes, NotGiven)
            else max_response_bytes
        )
        check_client_options(
            new_retries,
            new_deadline,
            new_cap,
            None if isinstance(default_headers, NotGiven) else default_headers,
            timeout,
        )
        derived = self._derive()
        derived.max_retries = new_retries
        derived.deadline = new_deadline
        derived.max_response_bytes = new_cap
        if not isinstance(retry, NotGiven):
            derived.retry = retry
        if not isinstance(timeout, NotGiven):
            derived._timeout = as_timeout(timeout)
        if not isinstance(default_headers, NotGiven):
            derived._default_headers = {**self._default_headers, **lower_names(default_headers)}
        return derived

    @property
    def with_raw_response(self) -> AsyncRawResponseView:
        """This client's calls, each returning a `RawResponse` (status, headers, request id,
        the `httpx.Response`, and ``parse()`` for the usual value).

        ```python
        raw = await client.with_raw_response.store.products.retrieve("prod_1")
        print(raw.status_code, raw.request_id)
        product = raw.parse()
        ```
        """
        return AsyncRawResponseView(self)

    def _auth_headers(self, request: APIRequest) -> Mapping[str, str]:
        """Credentials for ``request`` (overridden per service)."""
        return {}

    def _error_fields(self, body: object) -> ErrorFields:
        """What an error body says in the service's own format (overridden per service)."""
        return no_error_fields(body)

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        cast_to: None = None,
        idempotent: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> Any: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        cast_to: type[M],
        idempotent: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> M: ...

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        cast_to: type[M] | None = None,
        idempotent: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> Any:
        """Call an endpoint the SDK does not wrap yet, with the same auth, retries and errors.

        ```python
        data = await client.request("GET", "/store/product-tags", params={"limit": 5})
        tags = await client.request("GET", "/store/product-tags", cast_to=TagList)
        ```

        Args:
            method: the HTTP method (``"GET"``, ``"POST"`` ...).
            path: below the client's ``base_url`` (``"/store/product-tags"``; Payload:
                ``"/api/<collection>/<id>"``). It cannot leave the base URL: absolute URLs,
                ``..`` and ``.`` segments are refused (see `checked_request_path`).
            params: query parameters (Medusa's ``qs`` bracket form for nested values).
            json: a JSON body.
            body: a raw body instead (set its ``content-type`` in ``headers``).
            headers: headers for this call.
            cast_to: a pydantic model to validate the whole JSON answer into.
            idempotent: may be retried after a response or timeout (default: GET, HEAD and
                OPTIONS only).
            **options: `RequestOptions` (timeout, max_retries, deadline, extra_*).

        Returns:
            The decoded JSON (``None`` for an empty answer), or a ``cast_to`` instance
            carrying ``_request_id``.

        Raises:
            InvalidArgumentError: a path that leaves the base URL, a malformed method, both
                ``json`` and ``body``, ``params`` that are not a mapping, or a ``cast_to``
                that is not a pydantic model (all before anything is sent).
            APIStatusError: a 4xx/5xx answer, typed as for every call.
        """
        if not isinstance(method, str) or not _METHOD.fullmatch(method):
            raise InvalidArgumentError(f"method must be an HTTP method name, got {method!r}")
        if json is not None and body is not None:
            raise InvalidArgumentError("pass json= or body=, not both")
        if params is not None and not isinstance(params, Mapping):
            raise InvalidArgumentError(
                f"params must be a mapping (encoded for you), got {type(params).__name__}"
            )
        if cast_to is not None and not (
            isinstance(cast_to, type) and issubclass(cast_to, pydantic.BaseModel)
        ):
            raise InvalidArgumentError(
                f"cast_to must be a pydantic model class, got {cast_to!r}; leave it out for the "
                "decoded JSON"
            )
        request = api_request(
            method.upper(),
            checked_request_path(path),
            options,
            params=params,
            json=json,
            content=body,
            headers=headers,
            idempotent=idempotent,
        )
        response = await self.send_request(request)
        if cast_to is None:
            return response.data
        return response.parse_json(cast_to)

    async def send_request(self, request: APIRequest) -> APIResponse:
        """Send ``request`` with retries; return its decoded JSON or raise a typed error.

        The internal send of every call (`request` is the public one).

        Its ``x-request-id`` is the caller's header, else the id of the delivery or job being
        handled (`medusa_payload.observability.current_request_id`), else a new one.

        The whole call, retries included, ends within the deadline (`DeadlineExceededError`).
        """
        request_id = (
            request.headers.get(REQUEST_ID_HEADER) or current_request_id() or new_request_id()
        )
        deadline = Deadline(self.deadline if request.deadline is None else request.deadline)
        with _spans.ACTIVE.http_span(self.service, request.method, request.path) as span:
            try:
                http = await self._send_once(request, request_id, 1, deadline)
            except APIError as first_error:
                http = await self._retry(request, request_id, first_error, deadline)
            span.set_attribute("http.response.status_code", http.status_code)
        response = APIResponse(
            self.service, http, http.headers.get(REQUEST_ID_HEADER) or request_id
        )
        record_response(response)
        return response

    async def _retry(
        self, request: APIRequest, request_id: str, first_error: APIError, deadline: Deadline
    ) -> httpx.Response:
        """Retry after a failed first attempt (kept out of the fast path: tenacity costs ~50 us).

        Tenacity's attempt 1 re-raises the first failure, so its waits (``Retry-After``,
        backoff) and attempt numbers match the real tries exactly. A wait that would end past
        the deadline is not started: the last error is raised instead.
        """
        max_retries = self.max_retries if request.max_retries is None else request.max_retries
        if max_retries == 0 or not should_retry(request, self.retry, first_error):
            raise first_error
        retrying = AsyncRetrying(
            stop=stop_after_attempt(max_retries + 1) | deadline.stop,
            wait=wait_seconds(self.retry),
            retry=retry_if_exception(lambda exc: should_retry(request, self.retry, exc)),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                number = attempt.retry_state.attempt_number
                if number == 1:
                    raise first_error
                _instruments.ACTIVE.http_retry(self.service, request.method, request.path)
                return await self._send_once(request, request_id, number, deadline)
        raise AssertionError("unreachable: tenacity reraises the last error")  # pragma: no cover

    async def _send_once(
        self, request: APIRequest, request_id: str, attempt: int, deadline: Deadline
    ) -> httpx.Response:
        if request.timeout is not None:
            base = as_timeout(request.timeout)
        else:
            base = self._http.timeout if self._timeout is None else self._timeout
        timeout, cut = deadline.bound(base)
        if timeout is None and request.timeout is None:
            timeout = self._timeout  # a derived client's (None: the pool's applies)
        http_request = build_http_request(
            self._http,
            request,
            auth_headers=self._auth_headers(request),
            request_id=request_id,
            timeout=timeout,
            default_headers=self._default_headers,
        )
        started = time.perf_counter()
        try:
            response = await self._http.send(http_request, stream=True)
            try:
                reader = BodyReader(
                    self.service,
                    response,
                    request_id,
                    limit=self.max_response_bytes,
                    deadline=deadline,
                )
                async for chunk in response.aiter_bytes():
                    reader.feed(chunk)
                reader.finish()
            finally:
                await response.aclose()
        except httpx.RequestError as exc:
            error: APIConnectionError = transport_error(
                self.service, exc, request_id, deadline if cut else None
            )
            elapsed = time.perf_counter() - started
            _instruments.ACTIVE.http_request(
                self.service, request.method, request.path, type(error).__name__, elapsed
            )
            log_response(
                self.service,
                http_request,
                None,
                request_id=request_id,
                attempt=attempt,
                elapsed=elapsed,
                error=error,
            )
            raise error from None
        elapsed = time.perf_counter() - started
        _instruments.ACTIVE.http_request(
            self.service, request.method, request.path, str(response.status_code), elapsed
        )
        log_response(
            self.service,
            http_request,
            response,
            request_id=request_id,
            attempt=attempt,
            elapsed=elapsed,
        )
        if response.is_error:
            status_error: APIStatusError = make_status_error(
                self.service, response, request_id, self._error_fields
            )
            raise status_error
        return response

    async def request_model(self, request: APIRequest, model: type[M], *, key: str | None) -> M:
        """Send ``request`` and validate ``body[key]`` (or the whole body) into ``model``."""
        response = await self.send_request(request)
        if key is None:
            return response.parse_json(model)
        envelope = response.parse_json(item_envelope(model, key))
        item: M = envelope.item  # type: ignore[attr-defined]
        set_request_id((item,), response.request_id)
        return item

    @property
    def is_closed(self) -> bool:
        """Whether `aclose` was called (or the injected HTTP client was closed)."""
        return self._http.is_closed

    async def aclose(self) -> None:
        """Close the connection pool this client created (an injected client is left open)."""
        if self._owns_http_client and not self._http.is_closed:
            await self._http.aclose()

    async def __aenter__(self: Self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        http = getattr(self, "_http", None)
        if getattr(self, "_owns_http_client", False) and http is not None and not http.is_closed:
            warnings.warn(
                f"{type(self).__name__} was not closed; use it as a context manager or call "
                f"{_CLOSE_METHOD}() to release its connections",
                ResourceWarning,
                stacklevel=2,
            )
