"""The HTTP shell: one send loop with retries, the base of every client.

Everything that is not I/O lives in ``.._http``; this module only sends, retries and reads.
The async form is the source; the sync twin is generated from it by ``scripts/gen_sync.py``.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from types import TracebackType
from typing import ClassVar, TypeVar

import httpx
import pydantic
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt

from ..._config import (
    DEFAULT_DEADLINE,
    DEFAULT_LIMITS,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    RetryConfig,
)
from ...errors import APIConnectionError, APIError, APIStatusError, ConfigurationError, Service
from ...observability import _instruments, _spans
from ...observability._context import current_request_id
from .._http import (
    REQUEST_ID_HEADER,
    USER_AGENT,
    APIRequest,
    APIResponse,
    BodyReader,
    Deadline,
    ErrorFields,
    as_timeout,
    build_http_request,
    checked_base_url,
    cookie_free_jar,
    item_envelope,
    log_response,
    make_status_error,
    new_request_id,
    no_error_fields,
    should_retry,
    transport_error,
    wait_seconds,
)

__all__ = ["AsyncAPIClient"]

_CLOSE_METHOD = "aclose"  # the generated sync twin says "close"

M = TypeVar("M", bound=pydantic.BaseModel)
Self = TypeVar("Self", bound="AsyncAPIClient")


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
        if max_retries < 0:
            raise ConfigurationError("max_retries must be >= 0")
        if deadline is not None and not deadline > 0:
            raise ConfigurationError(f"deadline must be > 0 seconds or None, got {deadline!r}")
        if max_response_bytes is not None and max_response_bytes <= 0:
            raise ConfigurationError(
                f"max_response_bytes must be > 0 or None, got {max_response_bytes!r}"
            )
        self.base_url = url
        self.max_retries = max_retries
        self.retry = retry or DEFAULT_RETRY
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes
        headers = {"user-agent": USER_AGENT, **(default_headers or {})}
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

    def _auth_headers(self, request: APIRequest) -> Mapping[str, str]:
        """Credentials for ``request`` (overridden per service)."""
        return {}

    def _error_fields(self, body: object) -> ErrorFields:
        """What an error body says in the service's own format (overridden per service)."""
        return no_error_fields(body)

    async def request(self, request: APIRequest) -> APIResponse:
        """Send ``request`` with retries; return its decoded JSON or raise a typed error.

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
        return APIResponse(self.service, http, http.headers.get(REQUEST_ID_HEADER) or request_id)

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
        base = self._http.timeout if request.timeout is None else as_timeout(request.timeout)
        timeout, cut = deadline.bound(base)
        http_request = build_http_request(
            self._http,
            request,
            auth_headers=self._auth_headers(request),
            request_id=request_id,
            timeout=timeout,
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
        response = await self.request(request)
        if key is None:
            return response.parse_json(model)
        envelope = response.parse_json(item_envelope(model, key))
        return envelope.item  # type: ignore[attr-defined, no-any-return]

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
