"""Retry decisions: which failures are retried, and how long to wait (``Retry-After``)."""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
from tenacity import RetryCallState

from .._config import RetryConfig
from ..errors import APIConnectionError, APIStatusError, DeadlineExceededError

if TYPE_CHECKING:
    from ._http import APIRequest

__all__ = ["retry_after_seconds", "should_retry", "wait_seconds"]


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
