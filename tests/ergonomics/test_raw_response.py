"""``client.with_raw_response.<call>(...)``: the HTTP answer next to the parsed value."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from medusa_payload import AsyncPayloadClient, PayloadClient, RawResponse
from medusa_payload.errors import InvalidArgumentError, NotFoundError
from medusa_payload.medusa.models import Product, Region
from medusa_payload.testing import FakeMedusa, FakePayload
from tests.helpers import close, collect, resolve


async def test_a_nested_resource_call_gives_status_headers_request_id_and_parse(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    product_id = (await resolve(medusa.store.products.list(limit=1))).items[0].id
    raw = await resolve(
        medusa.with_raw_response.store.products.retrieve(product_id, extra_headers={})
    )
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.request_id == fakes[0].requests[-1].headers["x-request-id"]
    product = raw.parse()
    assert isinstance(product, Product) and product.id == product_id
    assert product._request_id == raw.request_id


async def test_a_list_call_gives_the_page(medusa: Any) -> None:
    raw = await resolve(medusa.with_raw_response.store.regions.list())
    page = raw.parse()
    assert [type(r) for r in await collect(page)] == [Region]
    assert page._request_id == raw.request_id


async def test_payload_find_and_find_by_id(payload: Any) -> None:
    raw = await resolve(payload.with_raw_response.find("pages", limit=1))
    assert raw.status_code == 200
    first = raw.parse().items[0]
    by_id = await resolve(payload.with_raw_response.find_by_id("pages", first.id))
    assert by_id.parse().id == first.id
    assert by_id.http_response.request.url.path == f"/api/pages/{first.id}"


async def test_the_typed_form_takes_the_bound_method(medusa: Any) -> None:
    raw = await resolve(medusa.with_raw_response(medusa.store.regions.list, limit=1))
    assert raw.parse().count == 1


async def test_a_failing_call_raises_its_typed_error(medusa: Any) -> None:
    with pytest.raises(NotFoundError):
        await resolve(medusa.with_raw_response.store.products.retrieve("prod_missing"))


async def test_a_call_without_request_is_refused(payload: Any, is_async: bool) -> None:
    async def no_request() -> None:
        return None

    def no_request_sync() -> None:
        return None

    with pytest.raises(InvalidArgumentError, match="sent no HTTP request"):
        await resolve(payload.with_raw_response(no_request if is_async else no_request_sync))


async def test_private_names_are_not_reachable(medusa: Any) -> None:
    with pytest.raises(AttributeError):
        _ = medusa.with_raw_response._http


async def test_the_normal_call_is_unchanged(medusa: Any) -> None:
    _ = medusa.with_raw_response
    page = await resolve(medusa.store.regions.list())
    assert not isinstance(page, RawResponse)


async def test_a_partial_bulk_failure_read_as_a_result_has_its_raw_response(
    is_async: bool,
) -> None:
    body = {
        "docs": [{"id": 1, "title": "x"}],
        "errors": [{"id": 2, "message": "The following field is invalid: handle"}],
        "message": "Unable to update 1 out of 2 Pages.",
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json=body, headers={"x-request-id": "srv_bulk"})

    cls = AsyncPayloadClient if is_async else PayloadClient
    transport: Any = httpx.MockTransport(handler)
    client = cls("http://p.test", transport=transport, max_retries=0)
    try:
        raw = await resolve(
            client.with_raw_response.update_where(
                "pages", {"id": {"exists": True}}, {"title": "x"}, raise_on_error=False
            )
        )
        assert (raw.status_code, raw.request_id) == (400, "srv_bulk")
        assert len(raw.parse().docs) == 1 and len(raw.parse().errors) == 1
    finally:
        await close(client)


async def test_a_client_method_that_sends_nothing_is_refused_alike_sync_and_async(
    medusa: Any,
) -> None:
    # with_options returns a client: on the async client it is not awaitable, which used to
    # surface as a bare TypeError from `await`; both forms now say what is wrong.
    with pytest.raises(InvalidArgumentError, match="with_options sent no HTTP request"):
        await resolve(medusa.with_raw_response.with_options(timeout=1.0))


@pytest.mark.parametrize("name", ["max_retries", "deadline", "base_url", "retry", "is_closed"])
async def test_a_setting_read_through_the_view_is_an_attribute_error(
    medusa: Any, name: str
) -> None:
    with pytest.raises(AttributeError, match=rf"with_raw_response\.{name} is not a call"):
        getattr(medusa.with_raw_response, name)
    assert medusa.with_raw_response.store.products is not None  # groups of calls still wrap
