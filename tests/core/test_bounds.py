"""Every wait of a call has a bound (issue 12, HTTP risks): the overall deadline, the response
size cap and the Retry-After cap, against a real misbehaving server on loopback."""

from __future__ import annotations

import math
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from medusa_payload import AsyncMedusaClient, MedusaClient, RetryConfig, Settings
from medusa_payload._core._http import APIRequest, Deadline
from medusa_payload.errors import (
    APITimeoutError,
    ConfigurationError,
    DeadlineExceededError,
    InternalServerError,
    RateLimitError,
    ResponseTooLargeError,
)
from tests.core.local_server import _Server, local_server
from tests.helpers import close

NO_WAIT = RetryConfig(initial_delay=0, jitter=0)
MIB = 1024 * 1024


@pytest.fixture
def server() -> Iterator[_Server]:
    with local_server() as running:
        yield running


@pytest.fixture(params=["sync", "async"])
def cls(request: pytest.FixtureRequest) -> type[MedusaClient] | type[AsyncMedusaClient]:
    return MedusaClient if request.param == "sync" else AsyncMedusaClient


async def send(client: Any, request: APIRequest) -> Any:
    """``request`` through the client's ``send_request`` (awaited when async)."""
    result = client.send_request(request)
    if isinstance(client, AsyncMedusaClient):
        result = await result
    return result


async def call(client: Any, path: str, **params: Any) -> Any:
    """One GET of ``path``."""
    return await send(client, APIRequest("GET", path, params=params or None))


# ---- the overall deadline -----------------------------------------------------------------


async def test_a_slow_drip_is_cut_at_the_deadline(cls: Any, server: _Server) -> None:
    # One byte every 0.2 s for 10 s: no single read ever waits 3 s, so `timeout` alone (the
    # bound of one network operation) would let this run the whole 10 s.
    client = cls(server.url, timeout=3, deadline=1.0, retry=NO_WAIT)
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError) as info:
        await call(client, "/drip", n=50, every=0.2)
    elapsed = time.monotonic() - started
    await close(client)
    assert info.value.deadline == 1.0
    assert isinstance(info.value, APITimeoutError)
    assert "deadline of 1 s" in str(info.value)
    assert elapsed < 2.5  # the bound: deadline + one 0.2 s drip + slack for a loaded machine
    assert server.hits["/drip"] == 1  # a passed deadline is never retried


async def test_a_read_under_way_at_the_deadline_ends_within_its_timeout(
    cls: Any, server: _Server
) -> None:
    # The read timeout (0.9 s) is shorter than the deadline, so nothing is cut at the start; a
    # byte every 0.6 s keeps every read inside it. The deadline passes during the second read,
    # which ends at ~1.2 s: the documented worst case is deadline + one read timeout (1.9 s).
    client = cls(server.url, timeout=0.9, deadline=1.0, retry=NO_WAIT)
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError):
        await call(client, "/drip", n=20, every=0.6)
    assert time.monotonic() - started < 1.9 + 0.6  # + slack for a loaded machine
    await close(client)


async def test_a_stalled_read_is_cut_to_the_time_left(cls: Any, server: _Server) -> None:
    client = cls(server.url, timeout=30, deadline=0.5, retry=NO_WAIT)
    started = time.monotonic()
    with pytest.raises(DeadlineExceededError):
        await call(client, "/stall", seconds=10)
    assert time.monotonic() - started < 2.5
    await close(client)


async def test_the_deadline_is_per_call_overridable(cls: Any, server: _Server) -> None:
    client = cls(server.url, timeout=3, deadline=None, retry=NO_WAIT)
    request = APIRequest("GET", "/drip", params={"n": 50, "every": 0.2}, deadline=0.6)
    with pytest.raises(DeadlineExceededError) as info:
        await send(client, request)
    assert info.value.deadline == 0.6
    # a fast answer is untouched by a deadline
    assert (await call(client, "/drip", n=4, every=0)).data == "aa"
    await close(client)


async def test_no_retry_waits_past_the_deadline(cls: Any, server: _Server) -> None:
    # A 503 asking for 5 s is retryable and under the cap, but 5 s is past the 1 s deadline:
    # the 503 is raised at once instead of sleeping into the deadline.
    client = cls(server.url, deadline=1.0, max_retries=2, retry=NO_WAIT)
    started = time.monotonic()
    with pytest.raises(InternalServerError) as info:
        await call(client, "/status", code=503, after=5)
    assert time.monotonic() - started < 1.0
    assert info.value.retry_after == 5
    assert server.hits["/status"] == 1
    await close(client)


async def test_no_deadline_and_no_timeouts_leave_a_call_unbounded(
    cls: Any, server: _Server
) -> None:
    client = cls(server.url, timeout=httpx.Timeout(None), deadline=None, retry=NO_WAIT)
    assert (await call(client, "/drip", n=4, every=0)).data == "aa"
    await close(client)


def test_a_deadline_cuts_only_what_is_longer_than_the_time_left() -> None:
    assert Deadline(None).bound(httpx.Timeout(None)) == (None, False)
    assert Deadline(math.inf).bound(httpx.Timeout(None)) == (None, False)
    assert Deadline(60).bound(httpx.Timeout(5)) == (None, False)
    cut, was_cut = Deadline(10).bound(httpx.Timeout(30, connect=5))
    assert was_cut and cut is not None
    assert cut.connect == 5
    assert cut.read is not None and 9 < cut.read <= 10
    unbounded, _ = Deadline(10).bound(httpx.Timeout(None))
    assert unbounded is not None and unbounded.read is not None and unbounded.read <= 10


# ---- Retry-After and its cap --------------------------------------------------------------


async def test_a_retry_after_over_the_cap_fails_at_once(cls: Any, server: _Server) -> None:
    client = cls(server.url, max_retries=2, retry=RetryConfig(retry_after_cap=60))
    started = time.monotonic()
    with pytest.raises(RateLimitError) as info:
        await call(client, "/status", code=429, after=3600)
    assert time.monotonic() - started < 1.0
    assert info.value.retry_after == 3600
    assert server.hits["/status"] == 1
    await close(client)


async def test_a_retry_after_under_the_cap_is_waited_and_retried(cls: Any, server: _Server) -> None:
    client = cls(server.url, max_retries=2, retry=RetryConfig(retry_after_cap=0.5))
    with pytest.raises(RateLimitError) as info:
        await call(client, "/status", code=429, after=0.1)
    assert info.value.retry_after == pytest.approx(0.1)
    assert server.hits["/status"] == 3  # the first try and two retries
    await close(client)


# ---- the response size cap ----------------------------------------------------------------


@pytest.mark.parametrize("length", ["1", "0"])
async def test_a_body_over_the_cap_is_refused_without_holding_it(
    cls: Any, server: _Server, length: str
) -> None:
    client = cls(server.url, max_response_bytes=MIB, retry=NO_WAIT)
    tracemalloc.start()
    try:
        with pytest.raises(ResponseTooLargeError) as info:
            await call(client, "/big", mib=40, length=length)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    await close(client)
    assert (info.value.limit, info.value.status_code) == (MIB, 200)
    assert "max_response_bytes=1048576" in str(info.value)
    # 40 MiB offered; what this process held at its peak stays near the 1 MiB cap.
    assert peak < 4 * MIB
    assert server.hits["/big"] == 1


async def test_a_compressed_body_is_capped_by_its_decoded_size(cls: Any, server: _Server) -> None:
    client = cls(server.url, max_response_bytes=MIB, retry=NO_WAIT)
    with pytest.raises(ResponseTooLargeError):
        await call(client, "/bomb", mib=3)
    await close(client)


async def test_bodies_under_the_cap_and_error_bodies(cls: Any, server: _Server) -> None:
    client = cls(server.url, max_response_bytes=2 * MIB, retry=NO_WAIT)
    response = await call(client, "/big", mib=1, length="1")
    assert response.http.content == b"x" * MIB
    with pytest.raises(ResponseTooLargeError) as info:
        await call(client, "/big", mib=3, length="0", status=500)
    assert info.value.status_code == 500
    await close(client)


# ---- settings -----------------------------------------------------------------------------


def test_settings_carry_the_bounds_to_both_clients() -> None:
    settings = Settings.from_env(
        {
            "MEDUSA_PAYLOAD_DEADLINE": "12.5",
            "MEDUSA_PAYLOAD_RETRY_AFTER_CAP": "7",
            "MEDUSA_PAYLOAD_MAX_RESPONSE_BYTES": "2048",
        }
    )
    assert (settings.deadline, settings.retry_after_cap, settings.max_response_bytes) == (
        12.5,
        7.0,
        2048,
    )
    from medusa_payload import PayloadClient

    for client in (MedusaClient.from_settings(settings), PayloadClient.from_settings(settings)):
        with client:
            assert client.deadline == 12.5
            assert client.retry.retry_after_cap == 7.0
            assert client.max_response_bytes == 2048


def test_settings_defaults_and_zero_lifts_a_bound() -> None:
    defaults = Settings.from_env({})
    assert (defaults.deadline, defaults.retry_after_cap, defaults.max_response_bytes) == (
        120.0,
        60.0,
        100 * MIB,
    )
    lifted = Settings.from_env(
        {"MEDUSA_PAYLOAD_DEADLINE": "0", "MEDUSA_PAYLOAD_MAX_RESPONSE_BYTES": "0"}
    )
    assert (lifted.deadline, lifted.max_response_bytes) == (None, None)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"deadline": 0},
        {"deadline": -1},
        {"deadline": float("nan")},
        {"max_response_bytes": 0},
        {"max_response_bytes": -5},
    ],
)
def test_bad_bounds_are_configuration_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        MedusaClient("http://medusa.test", **kwargs)


def test_a_bad_bound_in_the_environment_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="MEDUSA_PAYLOAD_DEADLINE"):
        Settings.from_env({"MEDUSA_PAYLOAD_DEADLINE": "soon"})
    negative_cap = Settings.from_env({"MEDUSA_PAYLOAD_RETRY_AFTER_CAP": "-1"})
    with pytest.raises(ConfigurationError, match=">= 0"):
        MedusaClient.from_settings(negative_cap)
