"""``client.request(method, path, ...)``: endpoints not wrapped yet, same auth/retries/errors;
``extra_body=`` on every call; ``_request_id`` on returned models and pages."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import httpx
import pydantic
import pytest

from medusa_payload import (
    AsyncMedusaClient,
    AsyncPayloadClient,
    MedusaClient,
    PayloadClient,
    RetryConfig,
)
from medusa_payload._core._http import MAX_PATH_SEGMENT_LENGTH, checked_request_path
from medusa_payload._models import BaseModel
from medusa_payload.errors import (
    APIResponseValidationError,
    InternalServerError,
    InvalidArgumentError,
    InvalidPathSegmentError,
    NotFoundError,
)
from medusa_payload.medusa.models import Product
from medusa_payload.testing import FakeMedusa, FakePayload
from tests.helpers import close, resolve

NO_WAIT = RetryConfig(initial_delay=0, jitter=0)


class RegionList(BaseModel):
    regions: list[dict[str, Any]]
    count: int


# ---- request() -----------------------------------------------------------------------------


async def test_request_returns_the_json_through_auth(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    data = await resolve(medusa.request("GET", "/store/regions", params={"limit": 5}))
    assert data["count"] == 1 and data["regions"][0]["currency_code"] == "eur"
    sent = fakes[0].requests[-1]
    assert sent.headers["x-publishable-api-key"] == fakes[0].publishable_key
    assert sent.query["limit"] == "5"
    admin = await resolve(medusa.request("GET", "/admin/products"))
    assert admin["count"] == 3
    assert fakes[0].requests[-1].headers["authorization"].startswith("Basic ")


async def test_request_casts_to_a_model_carrying_the_request_id(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    regions = await resolve(medusa.request("GET", "/store/regions", cast_to=RegionList))
    assert isinstance(regions, RegionList) and regions.count == 1
    assert regions._request_id == fakes[0].requests[-1].headers["x-request-id"]


async def test_request_posts_json_and_maps_errors(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    product = (await resolve(medusa.admin.products.list(limit=1))).items[0]
    body = {"metadata": {"from_request": "yes"}}
    answer = await resolve(medusa.request("POST", f"/admin/products/{product.id}", json=body))
    assert answer["product"]["metadata"]["from_request"] == "yes"
    with pytest.raises(NotFoundError):
        await resolve(medusa.request("GET", "/store/products/prod_nope"))


async def test_request_on_payload_goes_below_the_server_root(
    payload: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    data = await resolve(payload.request("GET", "/api/pages", params={"limit": 1}))
    assert data["limit"] == 1 and len(data["docs"]) == 1
    assert fakes[1].requests[-1].headers["authorization"].endswith(f"API-Key {fakes[1].api_key}")


async def test_request_retries_a_get_like_every_call(is_async: bool) -> None:
    hits: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hits.append(request)
        return httpx.Response(503 if len(hits) < 3 else 200, json={"ok": len(hits)})

    cls = AsyncMedusaClient if is_async else MedusaClient
    transport: Any = httpx.MockTransport(handler)
    client = cls("http://m.test", transport=transport, retry=NO_WAIT)
    try:
        assert await resolve(client.request("GET", "/store/custom")) == {"ok": 3}
        hits.clear()
        with pytest.raises(InternalServerError):  # a POST is not retried unless idempotent
            await resolve(client.request("POST", "/store/custom", json={}))
        assert len(hits) == 1
        hits.clear()
        await resolve(client.request("POST", "/store/custom", json={}, idempotent=True))
        assert len(hits) == 3
        assert len({h.headers["x-request-id"] for h in hits}) == 1  # one id across retries
    finally:
        await close(client)


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("../admin", InvalidPathSegmentError),
        ("/store/../admin/products", InvalidPathSegmentError),
        ("/store/%2e%2E/admin", InvalidPathSegmentError),
        ("/store/./products", InvalidPathSegmentError),
        ("/store//products", InvalidPathSegmentError),
        ("/store/a%2Fb", InvalidPathSegmentError),
        ("/store/..\\admin", InvalidPathSegmentError),
        ("http://evil.example/x", InvalidArgumentError),
        ("https://evil.example", InvalidArgumentError),
        ("//evil.example/x", InvalidArgumentError),
        ("\\\\evil.example\\x", InvalidArgumentError),
        ("/store/products?x=1", InvalidArgumentError),
        ("/store/products#frag", InvalidArgumentError),
        ("/" + "a" * 9000, InvalidArgumentError),
        ("/store/" + "a" * (MAX_PATH_SEGMENT_LENGTH + 1), InvalidPathSegmentError),
        ("/store/..;/admin/products", InvalidPathSegmentError),
        ("/store/%2e%2e;x=1/admin", InvalidPathSegmentError),
        ("/store/.;/products", InvalidPathSegmentError),
        ("/store/\ud800", InvalidArgumentError),
    ],
)
async def test_request_refuses_a_path_that_leaves_the_base_url(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload], path: str, error: type[Exception]
) -> None:
    fakes[0].reset_requests()
    with pytest.raises(error):
        await resolve(medusa.request("GET", path))
    assert fakes[0].requests == []  # refused before any I/O


@pytest.mark.parametrize("method", ["", "GET /x", "G\r\nET", 5])
async def test_request_refuses_a_malformed_method(medusa: Any, method: Any) -> None:
    with pytest.raises(InvalidArgumentError, match="method"):
        await resolve(medusa.request(method, "/store/regions"))


@pytest.mark.parametrize("cast_to", [dict, list[Product], "Product", Product(id="p")])
async def test_request_refuses_a_cast_to_that_is_not_a_model_before_sending(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload], cast_to: Any
) -> None:
    fakes[0].reset_requests()
    with pytest.raises(InvalidArgumentError, match="cast_to must be a pydantic model"):
        await resolve(medusa.request("GET", "/store/regions", cast_to=cast_to))
    assert fakes[0].requests == []


async def test_a_cast_to_mismatch_is_a_typed_error_with_the_request_id(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    class Strict(pydantic.BaseModel):
        missing: int

    with pytest.raises(APIResponseValidationError) as caught:
        await resolve(medusa.request("GET", "/store/regions", cast_to=Strict))
    assert caught.value.request_id == fakes[0].requests[-1].headers["x-request-id"]


@pytest.mark.parametrize("params", ["x=1#frag", "x=1\r\nx-injected: 1", [("a", "1")]])
async def test_request_refuses_params_that_are_not_a_mapping(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload], params: Any
) -> None:
    """A string would go into the URL as it is (a fragment silently cut, a line break an
    httpx error); a list of pairs was an AttributeError."""
    fakes[0].reset_requests()
    with pytest.raises(InvalidArgumentError, match="params must be a mapping"):
        await resolve(medusa.request("GET", "/store/regions", params=params))
    assert fakes[0].requests == []


async def test_request_refuses_json_and_body_together(medusa: Any) -> None:
    with pytest.raises(InvalidArgumentError, match="not both"):
        await resolve(medusa.request("POST", "/store/x", json={}, body=b"x"))


@pytest.mark.parametrize(
    ("path", "sent"),
    [
        ("store/regions", "/store/regions"),
        ("/store/product tags/é", "/store/product%20tags/%C3%A9"),
        ("/store/already%20encoded/", "/store/already%20encoded/"),
        ("/store/100%", "/store/100%25"),
        ("/store/%zz/%4/%2", "/store/%25zz/%254/%252"),
        ("/store/%00%0a/a\x00\r\nb", "/store/%00%0a/a%00%0D%0Ab"),
        ("/store/a;b=c", "/store/a;b=c"),
    ],
)
def test_request_paths_are_encoded_not_rewritten(path: str, sent: str) -> None:
    assert checked_request_path(path) == sent


async def test_a_base_url_with_a_path_prefix_is_kept(is_async: bool) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={})

    cls = AsyncPayloadClient if is_async else PayloadClient
    transport: Any = httpx.MockTransport(handler)
    client = cls("http://p.test/cms", transport=transport)
    try:
        await resolve(client.request("GET", "/api/pages"))
        assert seen == ["http://p.test/cms/api/pages"]
    finally:
        await close(client)


# ---- extra_body ----------------------------------------------------------------------------


async def test_extra_body_is_merged_into_the_json_body(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    product = (await resolve(medusa.admin.products.list(limit=1))).items[0]
    await resolve(
        medusa.admin.products.update(
            product.id, {"title": "Old"}, extra_body={"title": "New", "subtitle": "extra"}
        )
    )
    assert fakes[0].requests[-1].json() == {"title": "New", "subtitle": "extra"}


async def test_extra_body_on_payload_writes_and_on_request(
    payload: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    doc = await resolve(
        payload.create("pages", {"title": "A", "slug": "a"}, extra_body={"tenant": "acme"})
    )
    assert fakes[1].requests[-1].json() == {"title": "A", "slug": "a", "tenant": "acme"}
    assert doc.model_extra["tenant"] == "acme"
    await resolve(payload.request("PATCH", f"/api/pages/{doc.id}", extra_body={"title": "B"}))
    assert fakes[1].requests[-1].json() == {"title": "B"}


async def test_an_empty_extra_body_changes_nothing_on_any_call(
    medusa: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    assert (await resolve(medusa.store.regions.list(extra_body={}))).count == 1
    assert fakes[0].requests[-1].body == b""
    await resolve(medusa.request("POST", "/store/carts", extra_body={}))
    assert fakes[0].requests[-1].body == b""  # a POST without a body still sends none
    await resolve(medusa.request("POST", "/store/carts", json={"a": 1}, extra_body={}))
    assert fakes[0].requests[-1].json() == {"a": 1}
    with pytest.raises(InvalidArgumentError, match="mapping"):
        await resolve(medusa.store.regions.list(extra_body=[]))


async def test_extra_body_is_refused_without_a_json_object_body(
    medusa: Any, payload: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    fakes[0].reset_requests()
    with pytest.raises(InvalidArgumentError, match="GET call sends no body"):
        await resolve(medusa.store.regions.list(extra_body={"x": 1}))
    with pytest.raises(InvalidArgumentError, match="sends a list"):
        await resolve(medusa.request("POST", "/admin/x", json=[1], extra_body={"x": 1}))
    with pytest.raises(InvalidArgumentError, match="raw or multipart"):
        await resolve(medusa.request("POST", "/admin/x", body=b"raw", extra_body={"x": 1}))
    with pytest.raises(InvalidArgumentError, match="mapping"):
        await resolve(medusa.request("POST", "/admin/x", json={}, extra_body=[("x", 1)]))
    assert fakes[0].requests == []
    with pytest.raises(InvalidArgumentError, match="multipart"):
        await resolve(
            payload.create(
                "media", {"alt": "x"}, file=("a.txt", b"hi", "text/plain"), extra_body={"x": 1}
            )
        )


# ---- _request_id -----------------------------------------------------------------------------


async def test_models_and_pages_carry_the_servers_request_id(is_async: bool) -> None:
    product = {"id": "prod_1", "title": "Tee", "handle": "tee"}

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"x-request-id": "srv_" + request.url.path.rsplit("/", 1)[-1]}
        if request.url.path.endswith("/products"):
            return httpx.Response(200, headers=headers, json={"products": [product], "count": 1})
        return httpx.Response(200, headers=headers, json={"product": product})

    cls = AsyncMedusaClient if is_async else MedusaClient
    transport: Any = httpx.MockTransport(handler)
    client = cls("http://m.test", publishable_key="pk_1", transport=transport)
    try:
        one = await resolve(client.store.products.retrieve("prod_1"))
        assert one._request_id == "srv_prod_1"
        page = await resolve(client.store.products.list())
        assert page._request_id == "srv_products" and page.items[0]._request_id == "srv_products"
        # not a field: not dumped, not serialized, not part of equality
        assert "_request_id" not in one.model_dump() and "request_id" not in one.model_dump_json()
        fresh = Product.model_validate(product)
        assert fresh._request_id is None and fresh == one and one == fresh
        assert one.model_copy()._request_id is None  # a copy is not what the call returned
    finally:
        await close(client)


async def test_without_a_server_id_the_sent_one_is_kept(
    payload: Any, fakes: tuple[FakeMedusa, FakePayload]
) -> None:
    page = await resolve(payload.find("pages", limit=1))
    sent = fakes[1].requests[-1].headers["x-request-id"]
    assert page._request_id == sent and page.items[0]._request_id == sent
    doc = await resolve(payload.find_by_id("pages", page.items[0].id))
    assert doc._request_id == fakes[1].requests[-1].headers["x-request-id"] != sent


def test_a_model_not_from_a_call_has_none_and_round_trips() -> None:
    model = Product.model_validate({"id": "p", "_request_id": "from_the_body"})
    assert model._request_id is None  # a body field of that name cannot spoof it
    assert json.loads(model.model_dump_json())["_request_id"] == "from_the_body"
    with pytest.raises(pydantic.ValidationError):
        RegionList.model_validate({})


async def test_a_copy_or_a_pickled_model_carries_no_request_id(medusa: Any) -> None:
    region = (await resolve(medusa.store.regions.list())).items[0]
    assert region._request_id is not None
    for other in (
        region.model_copy(),
        copy.copy(region),
        copy.deepcopy(region),
        pickle.loads(pickle.dumps(region)),
    ):
        assert other == region and other._request_id is None


def test_the_request_id_costs_no_validation_time() -> None:
    # A private attribute would be set up on every (nested) model instance; a slot is not.
    assert Product.__private_attributes__ == {}
    model = Product.model_validate({"id": "p"})
    assert "_request_id_value" not in model.__dict__
