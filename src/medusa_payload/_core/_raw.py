"""`RawResponse`: a call's HTTP response next to its parsed value (``client.with_raw_response``).

Not I/O itself: the clients' ``send_request`` hands each answer to the capture opened by
`capture_responses` (a context variable, so concurrent calls never see each other's).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

import attrs
import httpx
import pydantic

from ..errors import InvalidArgumentError
from ._http import APIResponse

__all__ = [
    "RawResponse",
    "async_outcome",
    "capture_responses",
    "no_request_error",
    "record_response",
    "refuse_plain_attribute",
    "sync_outcome",
]

T = TypeVar("T")

_CAPTURE: ContextVar[list[APIResponse] | None] = ContextVar(
    "medusa_payload_raw_capture", default=None
)


@contextmanager
def capture_responses() -> Iterator[list[APIResponse]]:
    """Collect every 2xx answer received by the clients inside the block (this context only)."""
    captured: list[APIResponse] = []
    token = _CAPTURE.set(captured)
    try:
        yield captured
    finally:
        _CAPTURE.reset(token)


def record_response(response: APIResponse) -> None:
    """Hand ``response`` to the open capture, if any (one context-variable read otherwise)."""
    captured = _CAPTURE.get()
    if captured is not None:
        captured.append(response)


async def async_outcome(call: Callable[..., Any], result: Any) -> Any:
    """What an async client's ``call`` returned, awaited; a plain value means it sent nothing."""
    if not inspect.isawaitable(result):
        raise no_request_error(call)
    return await result


def sync_outcome(call: Callable[..., Any], result: Any) -> Any:
    """What a sync client's ``call`` returned (the twin of `async_outcome`)."""
    return result


def no_request_error(call: Callable[..., Any]) -> InvalidArgumentError:
    """The error for a call that sent no request (``logout``, ``with_options`` ...)."""
    name = getattr(call, "__qualname__", repr(call))
    return InvalidArgumentError(f"{name} sent no HTTP request: it has no raw response")


def refuse_plain_attribute(owner: object, name: str, value: object) -> None:
    """Raise `AttributeError` unless ``value`` is a group of calls a raw view can wrap.

    ``client.with_raw_response.store`` is a view of the store's calls, but
    ``client.with_raw_response.max_retries`` is a setting, not a call: it has no raw response.
    """
    plain = (
        value is None
        or isinstance(value, (str, bytes, int, float, bool, httpx.Timeout, pydantic.BaseModel))
        or attrs.has(type(value))
        or dataclasses.is_dataclass(value)
        or not type(value).__module__.startswith("medusa_payload.")
    )
    if plain:
        raise AttributeError(
            f"with_raw_response.{name} is not a call (it has no raw response): "
            f"read {type(owner).__name__}.{name} on the client itself"
        )


class RawResponse(Generic[T]):
    """What ``client.with_raw_response.<call>(...)`` returns: the HTTP answer, and the value the
    call would have returned (`parse`).

    When a call sends several requests (``retrieve_by_handle`` lists, a paged walk), this is the
    last 2xx answer. A call that fails raises its typed error, as without ``with_raw_response``.

    Attributes:
        http_response: the `httpx.Response` (its body already read).
        status_code: its HTTP status.
        headers: its headers.
        request_id: the ``x-request-id`` of the call (the server's, else the one sent).
    """

    __slots__ = ("_parsed", "http_response", "request_id")

    def __init__(self, response: APIResponse, parsed: T) -> None:
        self.http_response: httpx.Response = response.http
        self.request_id: str = response.request_id
        self._parsed = parsed

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    def parse(self) -> T:
        """The typed value the call returns without ``with_raw_response``."""
        return self._parsed

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, request_id={self.request_id!r})"
        )
