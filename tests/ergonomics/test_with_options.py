"""``client.with_options(...)``: a copy with other options, sharing (not owning) the pool."""

from __future__ import annotations

import gc
import math
import time
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from medusa_payload import (
    AsyncMedusaClient,
    AsyncPayloadClient,
    MedusaClient,
    PayloadClient,
    RetryConfig,
)
from medusa_payload.errors import (
    APITimeoutError,
    BadRequestError,
    ConfigurationError,
    InternalServerError,
    InvalidArgumentError,
)
from medusa_payload.testing import FakeMedusa, FakePayload
from tests.core.local_server import _Server, local_server
from tests.helpers import close, resolve

NO_WAIT = RetryConfig(initial_delay=0, jitter=0)


@pytest.fixture
def server() -> Iterator[_Server]:
    with local_server() as running:
        yield running


async def test_the_copy_shares_the_pool_and_keeps_the_credentials(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    fast = medusa.with_options(timeout=2.0, max_retries=0, deadline=5.0)
    assert type(fast) is type(medusa)
    assert fast._http is medusa._http
    assert (fast.max_retries, fast.deadline) == (0, 5.0)
    assert (medusa.max_retries, medusa.deadline) == (2, 120.0)  # the original is unchanged
    assert fast.api_key == medusa.api_key and fast.publishable_key == medusa.publishable_key
    # its resources call through the copy, admin credentials included
    assert fast.store.products._client is fast and fast.admin.products._client is fast
    page = await resolve(fast.admin.products.list(limit=1))
    assert page.count == 3
    assert fakes[0].requests[-1].headers["authorization"].startswith("Basic ")


async def test_closing_the_copy_leaves_the_pool_open_closing_the_original_closes_it(
    medusa: Any,
) -> None:
    fast = medusa.with_options(max_retries=0)
    await close(fast)
    assert not medusa.is_closed
    assert (await resolve(fast.store.regions.list())).count == 1  # still usable
    await close(medusa)
    assert medusa.is_closed and fast.is_closed


async def test_payload_copy_keeps_its_token(
    payload: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    await resolve(payload.login(fakes[1].email, fakes[1].password))
    copy = payload.with_options(max_retries=0)
    assert copy.token == payload.token
    assert (await resolve(copy.me())).user is not None


@pytest.mark.parametrize(
    "options",
    [{"max_retries": -1}, {"deadline": 0}, {"deadline": -2.0}, {"max_response_bytes": 0}],
)
@pytest.mark.parametrize(
    "cls", [MedusaClient, AsyncMedusaClient, PayloadClient, AsyncPayloadClient]
)
async def test_out_of_range_options_are_refused(cls: Any, options: dict[str, Any]) -> None:
    client = cls("http://svc.test")
    try:
        with pytest.raises(ConfigurationError):
            client.with_options(**options)
    finally:
        await close(client)


async def test_timeout_none_is_refused(medusa: Any) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        medusa.with_options(timeout=None)


@pytest.mark.parametrize("cls", [MedusaClient, AsyncMedusaClient])
async def test_the_copys_timeout_really_bounds_a_stalled_read(cls: Any, server: _Server) -> None:
    # The server sends headers then nothing for 10 s: the original client (read timeout 30 s)
    # would wait; the copy gives up after its 0.3 s read timeout.
    client = cls(server.url, max_retries=0)
    try:
        fast = client.with_options(timeout=0.3)
        started = time.perf_counter()
        with pytest.raises(APITimeoutError):
            await resolve(fast.request("GET", "/stall", params={"seconds": "10"}))
        assert time.perf_counter() - started < 2.0
        assert client._timeout is None  # the original keeps the pool's timeout
    finally:
        await close(client)


async def test_default_headers_and_max_retries_apply_to_the_copy(is_async: bool) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503, json={"message": "down"})

    transport: Any = httpx.MockTransport(handler)
    cls = AsyncMedusaClient if is_async else MedusaClient
    client = cls(
        "http://medusa.test",
        publishable_key="pk_1",
        transport=transport,
        retry=NO_WAIT,
        default_headers={"x-app": "shop"},
    )
    try:
        copy = client.with_options(max_retries=0, default_headers={"x-tenant": "acme"})
        with pytest.raises(InternalServerError):
            await resolve(copy.store.regions.list())
        assert len(seen) == 1  # no retry
        assert seen[0].headers["x-tenant"] == "acme" and seen[0].headers["x-app"] == "shop"
        seen.clear()
        with pytest.raises(InternalServerError):
            await resolve(client.store.regions.list())
        assert len(seen) == 3  # the original still retries twice
        assert "x-tenant" not in seen[0].headers
    finally:
        await close(client)


async def test_with_customer_is_a_derived_client_without_admin_credentials(medusa: Any) -> None:
    customer = medusa.with_customer("jwt_1")
    assert customer._http is medusa._http
    assert customer.api_key is None and customer.token is None
    assert customer.customer_token.get_secret_value() == "jwt_1"
    assert medusa.customer_token is None and medusa.api_key is not None
    await close(customer)
    assert not medusa.is_closed


@pytest.mark.parametrize("cls", [MedusaClient, AsyncMedusaClient])
async def test_a_copy_made_straight_from_a_new_client_keeps_its_pool_owner_alive(
    cls: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    """``Client(...).with_options(...)``: the original is held by the copy, so it is not
    collected (warning "not closed") while the copy uses its pool."""
    fake = fakes[0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fast = cls(
            fake.base_url, publishable_key=fake.publishable_key, transport=fake.transport
        ).with_options(timeout=2.0)
        gc.collect()
        assert (await resolve(fast.store.regions.list())).count == 1
        again = fast.with_options(max_retries=0)  # a copy of a copy: the same owner
        del fast
        gc.collect()
        assert (await resolve(again.store.regions.list())).count == 1
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    owner = again._parent._parent
    assert owner._owns_http_client and owner._http is again._http
    await close(owner)
    assert again.is_closed


BAD_HEADERS = [
    {"x-app": "kiosk\r\nx-injected: 1"},
    {"x-app": "a\nb"},
    {"x app": "kiosk"},
    {"x-app:": "kiosk"},
    {"x-app": "caf\u00e9"},
    {"x-app": "nul\x00"},
]


@pytest.mark.parametrize("headers", BAD_HEADERS)
@pytest.mark.parametrize("cls", [MedusaClient, AsyncMedusaClient])
async def test_an_unsendable_header_is_refused_before_anything_is_sent(
    cls: Any, headers: dict[str, str], server: _Server
) -> None:
    """A line break in a value (header injection), a bad name, non-ASCII: refused at once, not
    sent and retried as a "connection error" (what the HTTP layer made of it)."""
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with pytest.raises(ConfigurationError, match="default_headers"):
        cls(url, default_headers=headers)
    client = cls(url, publishable_key="pk_test", retry=NO_WAIT)
    try:
        with pytest.raises(ConfigurationError, match="default_headers"):
            client.with_options(default_headers=headers)
        with pytest.raises(InvalidArgumentError, match="header"):
            await resolve(client.request("GET", "/fast", extra_headers=headers))
        with pytest.raises(InvalidArgumentError, match="header"):
            await resolve(client.store.regions.list(extra_headers=headers))
        assert sum(server.hits.values()) == 0
        tabbed = client.with_options(default_headers={"x-app": "a\tb"})  # HTAB is allowed
        assert tabbed._default_headers == {"x-app": "a\tb"}
    finally:
        await close(client)


BAD_TIMEOUTS = [0, -1, math.nan, "3", True, httpx.Timeout(5.0, connect=0)]


@pytest.mark.parametrize("timeout", BAD_TIMEOUTS, ids=repr)
@pytest.mark.parametrize("cls", [MedusaClient, AsyncMedusaClient])
async def test_an_unusable_timeout_is_refused_at_once(
    cls: Any, timeout: Any, server: _Server
) -> None:
    """Zero failed every call as a retried connection error, negative / NaN / a string at the
    first request: now refused where it is given, before anything is sent."""
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with pytest.raises(ConfigurationError, match="timeout"):
        cls(url, timeout=timeout)
    client = cls(url, publishable_key="pk_test", retry=NO_WAIT)
    try:
        with pytest.raises(ConfigurationError, match="timeout"):
            client.with_options(timeout=timeout)
        with pytest.raises(InvalidArgumentError, match="timeout"):
            await resolve(client.store.regions.list(timeout=timeout))
        assert sum(server.hits.values()) == 0
        for fine in (math.inf, 0.5, httpx.Timeout(None), httpx.Timeout(5.0, pool=None)):
            assert client.with_options(timeout=fine)._timeout is not None
    finally:
        await close(client)


@pytest.mark.parametrize(
    "options",
    [
        {"max_retries": -1},
        {"max_retries": "2"},
        {"deadline": 0},
        {"deadline": -5},
        {"deadline": math.nan},
    ],
    ids=repr,
)
async def test_a_calls_own_retries_and_deadline_are_checked_before_sending(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload], options: dict[str, Any]
) -> None:
    """``deadline=0`` sent the request and then gave up; ``max_retries=-1`` / ``"2"`` and a NaN
    deadline were taken as they came."""
    fakes[0].reset_requests()
    with pytest.raises(InvalidArgumentError, match=r"max_retries|deadline"):
        await resolve(medusa.store.regions.list(**options))
    assert fakes[0].requests == []
    assert (await resolve(medusa.store.regions.list(deadline=math.inf, max_retries=0))).count == 1


async def test_header_names_are_case_insensitive_the_later_spelling_wins(
    is_async: bool, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    """``X-App`` then ``x-app`` sent both; ``X-Request-Id`` in extra_headers went next to the
    SDK's own id (two ids, and ``_request_id`` not the caller's); ``X-Publishable-Api-Key``
    went next to the client's key (Medusa answered 400)."""
    fake = fakes[0]
    cls = AsyncMedusaClient if is_async else MedusaClient
    client = cls(
        fake.base_url,
        publishable_key=fake.publishable_key,
        transport=fake.transport,
        default_headers={"X-App": "orig", "User-Agent": "shop/1"},
    )
    try:
        copy = client.with_options(default_headers={"X-App": "a"})
        await resolve(copy.with_options(default_headers={"x-app": "b"}).store.regions.list())
        sent = fake.requests[-1].headers
        assert sent.get_list("x-app") == ["b"] and sent.get_list("user-agent") == ["shop/1"]
        page = await resolve(client.store.regions.list(extra_headers={"X-Request-Id": "mine"}))
        assert fake.requests[-1].headers.get_list("x-request-id") == ["mine"]
        assert page._request_id == "mine"
        other = "pk_" + "0" * 64
        with pytest.raises(BadRequestError):  # a key the fake does not know, sent alone
            await resolve(client.store.regions.list(extra_headers={"X-Publishable-Api-Key": other}))
        assert fake.requests[-1].headers.get_list("x-publishable-api-key") == [other]
    finally:
        await close(client)
