"""The bounds of one call: its overall deadline and the size cap of every body (no I/O)."""

from __future__ import annotations

import math
import time

import httpx
from tenacity import RetryCallState
from tenacity.stop import stop_base

from ..errors import DeadlineExceededError, ResponseTooLargeError, Service

__all__ = ["BodyReader", "Deadline", "as_timeout", "timeout_problem"]


def timeout_problem(timeout: object) -> str | None:
    """Why ``timeout`` is not a usable timeout (seconds > 0, ``math.inf`` for none, or an
    `httpx.Timeout` of such values or ``None``), or ``None``. Zero, negative, NaN and strings
    would only fail at the first request (zero: as a connection error, retried)."""
    values: list[object] = [timeout]
    if isinstance(timeout, httpx.Timeout):
        parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
        values = [part for part in parts if part is not None]
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            return f"timeout must be seconds > 0 or an httpx.Timeout of such, got {timeout!r}"
    return None


def as_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """Seconds or an `httpx.Timeout`, as an `httpx.Timeout`."""
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


class Deadline:
    """The overall time budget of one call, on the monotonic clock.

    ``timeout`` bounds one network operation; a deadline bounds the call: every attempt's
    timeouts are cut to the time left when it starts, the body is checked after every chunk, and
    no retry waits past it. A read already waiting when the deadline passes is not interrupted
    (blocking sockets cannot be), so a call ends at most one read timeout after its deadline.
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
        if self.ends == math.inf:  # no deadline (None or math.inf): nothing to cut
            return None, False
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
