"""PayloadClient and AsyncPayloadClient against recorded Payload 3.90.2 bodies (pytest-httpx)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote

import pytest
from pytest_httpx import HTTPXMock

from medusa_payload import AsyncPayloadClient, PayloadClient, RetryConfig, Where
from medusa_payload.errors import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PartialFailureError,
    PermissionDeniedError,
)
from medusa_payload.payload import CmsPage, Document, ProductContent, Store
from tests.helpers import close, collect, fixture, resolve

BASE = "http://payload.test"
KEY = "payload-api-key-secret"
NO_WAIT = RetryConfig(initial_delay=0, jitter=0)

Client = PayloadClient | AsyncPayloadClient


@pytest.fixture(params=["sync", "async"])
async def payload(request: pytest.FixtureRequest) -> AsyncIterator[Client]:
    cls = PayloadClient if request.param == "sync" else AsyncPayloadClient
    client = cls(BASE, api_key=KEY, retry=NO_WAIT)
    yield client
    await close(client)


def docs_page(docs: list[dict[str, Any]], *, page: int, total: int, limit: int) -> dict[str, Any]:
    pages = -(-total // limit)
    return {
        "docs": docs,
        "totalDocs": total,
        "limit": limit,
        "page": page,
        "totalPages": pages,
        "hasNextPage": page < pages,
        "hasPrevPage": page > 1,
        "nextPage": page + 1 if page < pages else None,
        "prevPage": page - 1 if page > 1 else None,
        "pagingCounter": (page - 1) * limit + 1,
    }


async def test_find_encodes_where_and_always_sends_depth(
    payload: Client, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json=fixture("payload_product_content_by_handle.json"))
    page = await resolve(
        payload.find(
            "product-content",
            where=Where.equals("handle", "live-tee") | Where.in_("medusaProductId", ["a,b", "ü"]),
            sort=["-updatedAt", "title"],
            select=["title", "seo"],
            limit=10,
            model=ProductContent,
        )
    )
    request = httpx_mock.get_request()
    assert request is not None
    assert request.headers["authorization"] == f"users API-Key {KEY}"
    raw = request.url.raw_path.decode()
    assert raw.startswith("/api/product-content?where[or][0][handle][equals]=live-tee")
    assert "where[or][1][medusaProductId][in][0]=a%2Cb" in raw
    assert "where[or][1][medusaProductId][in][1]=%C3%BC" in raw
    assert "depth=0" in raw
    assert unquote(raw).endswith("sort=-updatedAt,title&select[title]=true&select[seo]=true")
    doc = page.items[0]
    assert isinstance(doc, ProductContent)
    assert (doc.handle, doc.is_published, doc.seo and doc.seo.title) == (
        "live-tee",
        True,
        "Live Tee | Acme",
    )
    assert doc.features and doc.features[0].title == "Organic cotton"
    assert page.count == 1 and not page.has_next_page()


async def test_find_without_model_gives_documents(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=fixture("payload_stores_by_handle.json"))
    page = await resolve(payload.find("stores", depth=1))
    doc = page.items[0]
    assert type(doc) is Document
    assert doc.model_extra and doc.model_extra["handle"] == "acme"
    request = httpx_mock.get_request()
    assert request is not None and request.url.params["depth"] == "1"


async def test_depth_zero_vs_populated_relation(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=fixture("payload_pages_by_slug_depth0.json"))
    httpx_mock.add_response(json=fixture("payload_pages_by_slug.json"))
    flat = await resolve(payload.find("pages", model=CmsPage))
    deep = await resolve(payload.find("pages", depth=1, model=CmsPage))
    assert flat.items[0].store == 1
    store = deep.items[0].store
    assert isinstance(store, Store)
    assert store.branding and store.branding.primary_color == "#112233"


async def test_iterating_walks_page_numbers(payload: Client, httpx_mock: HTTPXMock) -> None:
    for number, ids in ((1, [1, 2]), (2, [3, 4]), (3, [5])):
        httpx_mock.add_response(
            json=docs_page([{"id": i} for i in ids], page=number, total=5, limit=2)
        )
    page = await resolve(payload.find("pages", limit=2))
    assert [doc.id for doc in await collect(page)] == [1, 2, 3, 4, 5]
    pages = [r.url.params.get("page") for r in httpx_mock.get_requests()]
    assert pages == [None, "2", "3"]


async def test_long_queries_use_method_override(payload: Client, httpx_mock: HTTPXMock) -> None:
    ids = [f"prod_{i:026d}" for i in range(300)]
    httpx_mock.add_response(json=docs_page([], page=1, total=0, limit=10))
    await resolve(payload.find("product-content", where=Where.in_("medusaProductId", ids)))
    request = httpx_mock.get_request()
    assert request is not None
    assert request.method == "POST"
    assert request.headers["x-payload-http-method-override"] == "GET"
    assert request.url.query == b""
    body = unquote(request.content.decode())
    assert body.startswith("where[medusaProductId][in][0]=prod_")
    assert f"[in][299]={ids[-1]}" in body


async def test_create_returns_the_doc(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=201, json=fixture("payload_create_product_content.json"))
    doc = await resolve(
        payload.create("product-content", {"handle": "h", "title": "t"}, model=ProductContent)
    )
    request = httpx_mock.get_request()
    assert request is not None and request.method == "POST"
    assert json.loads(request.content) == {"handle": "h", "title": "t"}
    assert (doc.id, doc.status) == (3, "draft")


async def test_validation_error_names_the_fields(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=400, json=fixture("payload_error_duplicate_handle.json"))
    with pytest.raises(BadRequestError) as info:
        await resolve(payload.create("product-content", {"handle": "dup", "title": "t"}))
    assert [f.path for f in info.value.field_errors] == ["handle"]
    assert len(httpx_mock.get_requests()) == 1


async def test_update_by_id_is_a_retried_patch(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=503)
    httpx_mock.add_response(json=fixture("payload_patch_product_content_by_id.json"))
    doc = await resolve(payload.update_by_id("product-content", 3, {"status": "published"}))
    first, second = httpx_mock.get_requests()
    assert first.method == second.method == "PATCH"
    assert first.url.path == "/api/product-content/3"
    assert doc.publish_status == "published"


async def test_update_where_partial_failure_is_not_silent(
    payload: Client, httpx_mock: HTTPXMock
) -> None:
    # What Payload 3.90 really answers when one of two docs fails: 400 with both lists.
    body = fixture("payload_patch_product_content_by_where.json")
    body["errors"] = [
        {"id": 9, "isPublic": True, "message": "The following field is invalid: handle"}
    ]
    body["message"] = "Unable to update 1 out of 2 Product Contents."
    httpx_mock.add_response(status_code=400, json=body)
    httpx_mock.add_response(status_code=400, json=body)
    where = {"handle": {"equals": "live-tee"}}
    with pytest.raises(PartialFailureError) as info:
        await resolve(payload.update_where("product-content", where, {"title": "x"}))
    assert len(info.value.docs) == 1 and info.value.errors[0]["id"] == 9
    assert "1 written, 1 failed" in str(info.value)
    result = await resolve(
        payload.update_where("product-content", where, {"title": "x"}, raise_on_error=False)
    )
    assert not result.ok and result.docs[0].id == 1
    raw = httpx_mock.get_requests()[0].url.raw_path.decode()
    assert "where[handle][equals]=live-tee" in raw


async def test_update_where_success(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=fixture("payload_patch_product_content_by_where.json"))
    result = await resolve(
        payload.update_where(
            "product-content", Where.equals("handle", "live-tee"), {"x": 1}, model=ProductContent
        )
    )
    assert result.ok and result.docs[0].handle == "live-tee"


async def test_delete_and_not_found(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=fixture("payload_delete_product_content.json"))
    httpx_mock.add_response(status_code=404, json=fixture("payload_error_not_found.json"))
    deleted = await resolve(payload.delete_by_id("product-content", 3))
    assert deleted.id == 3
    with pytest.raises(NotFoundError) as info:
        await resolve(payload.find_by_id("product-content", 999999))
    assert info.value.service == "payload" and info.value.message == "Not Found"


async def test_forbidden_without_auth(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=403, json=fixture("payload_error_forbidden.json"))
    async with AsyncPayloadClient(BASE) as client:
        with pytest.raises(PermissionDeniedError):
            await client.create("product-content", {"handle": "x", "title": "x"})
    request = httpx_mock.get_request()
    assert request is not None and "authorization" not in request.headers


async def test_count(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"totalDocs": 7})
    assert await resolve(payload.count("pages", where=Where.equals("tenant", "acme"))) == 7
    request = httpx_mock.get_request()
    assert request is not None
    assert request.url.raw_path.decode() == "/api/pages/count?where[tenant][equals]=acme"


async def test_login_then_me_uses_the_jwt(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        json={
            "message": "Authentication Passed",
            "exp": 1,
            "token": "jwt.token.value",
            "user": {"id": 1, "email": "admin@example.com"},
        }
    )
    httpx_mock.add_response(json=fixture("payload_users_me_apikey.json"))
    result = await resolve(payload.login("admin@example.com", "pw"))
    assert "jwt.token.value" not in repr(result)
    me = await resolve(payload.me())
    assert me.user and me.user["email"] == "admin@example.com"
    login_req, me_req = httpx_mock.get_requests()
    assert login_req.url.path == "/api/users/login"
    assert me_req.headers["authorization"] == "JWT jwt.token.value"


async def test_wrong_password(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        status_code=401,
        json={"errors": [{"message": "The email or password provided is incorrect."}]},
    )
    with pytest.raises(AuthenticationError, match="incorrect"):
        await resolve(payload.login("admin@example.com", "nope"))


async def test_globals(payload: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"siteName": "Acme", "globalType": "settings"})
    httpx_mock.add_response(
        json={"message": "Updated successfully.", "result": {"siteName": "Acme 2"}}
    )
    current = await resolve(payload.get_global("settings"))
    updated = await resolve(payload.update_global("settings", {"siteName": "Acme 2"}))
    assert current.model_extra and current.model_extra["siteName"] == "Acme"
    assert updated.model_extra and updated.model_extra["siteName"] == "Acme 2"
    get_req, post_req = httpx_mock.get_requests()
    assert (get_req.url.path, post_req.method) == ("/api/globals/settings", "POST")


def test_api_prefix_and_key_collection(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"totalDocs": 0})
    with PayloadClient(BASE, api_key=KEY, api_key_collection="admins", api_prefix="cms") as c:
        c.count("pages")
        assert KEY not in repr(c)
    request = httpx_mock.get_request()
    assert request is not None
    assert request.url.path == "/cms/pages/count"
    assert request.headers["authorization"] == f"admins API-Key {KEY}"


async def test_a_plain_400_on_bulk_update_stays_a_bad_request(
    payload: Client, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        status_code=400,
        json={
            "errors": [{"name": "QueryError", "message": "The following path cannot be queried: x"}]
        },
    )
    with pytest.raises(BadRequestError, match="cannot be queried"):
        await resolve(payload.update_where("pages", {"x": {"equals": 1}}, {"title": "t"}))


async def test_logout_leaves_no_session_behind() -> None:
    """Payload's login also sets a ``payload-token`` cookie; the client must not keep it, or
    calls stay authenticated after ``logout()`` (seen on the real server)."""
    from medusa_payload.testing import FakePayload

    fake = FakePayload()
    for client in (
        PayloadClient(fake.base_url, transport=fake.transport),
        AsyncPayloadClient(fake.base_url, transport=fake.transport),
    ):
        await resolve(client.login(fake.email, fake.password))
        assert (await resolve(client.me())).user is not None
        client.logout()
        assert (await resolve(client.me())).user is None
        await close(client)
