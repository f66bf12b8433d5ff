"""MedusaClient and AsyncMedusaClient against recorded Medusa 2.21.2 bodies (pytest-httpx)."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from medusa_payload import AsyncMedusaClient, MedusaClient, RetryConfig, Settings
from medusa_payload.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    InternalServerError,
    MissingCredentialsError,
    NotFoundError,
    RateLimitError,
)
from tests.helpers import close, collect, fixture, resolve

BASE = "http://medusa.test"
PK = "pk_test_publishable"
SK = "sk_test_secret_value"
NO_WAIT = RetryConfig(initial_delay=0, jitter=0)

Client = MedusaClient | AsyncMedusaClient


@pytest.fixture(params=["sync", "async"])
async def medusa(request: pytest.FixtureRequest) -> AsyncIterator[Client]:
    cls = MedusaClient if request.param == "sync" else AsyncMedusaClient
    client = cls(BASE, publishable_key=PK, api_key=SK, retry=NO_WAIT)
    yield client
    await close(client)


def products_body(handles: list[str], *, count: int, offset: int, limit: int) -> dict[str, Any]:
    template = fixture("medusa_store_products_by_handle.json")["products"][0]
    products = [{**template, "id": f"prod_{h}", "handle": h} for h in handles]
    return {"products": products, "count": count, "offset": offset, "limit": limit}


async def test_store_list_sends_publishable_key_and_never_the_secret(
    medusa: Client, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json=fixture("medusa_store_products_by_handle.json"))
    page = await resolve(
        medusa.store.products.list(
            handle="live-tee",
            category_id=["c1", "c2"],
            region_id="reg_1",
            fields=["*variants.calculated_price", "+metadata"],
            limit=5,
            order="-created_at",
        )
    )
    request = httpx_mock.get_request()
    assert request is not None
    assert request.headers["x-publishable-api-key"] == PK
    assert "authorization" not in request.headers
    assert request.headers["x-request-id"].startswith("req_")
    # qs bracket form: array-capable filters always go as indexed arrays (Medusa rejects a
    # lone ``status=draft`` where it wants an array, and accepts ``[0]`` everywhere).
    query = request.url.query.decode()
    assert "handle[0]=live-tee" in query
    assert "category_id[0]=c1&category_id[1]=c2" in query
    params = request.url.params
    assert params["fields"] == "*variants.calculated_price,+metadata"
    assert (params["region_id"], params["limit"], params["order"]) == ("reg_1", "5", "-created_at")
    assert page.count == 1
    product = page.items[0]
    assert product.handle == "live-tee"
    assert product.variants and product.variants[0].sku == "LIVE-TEE-S"
    # A field the SDK does not declare is still there (lenient models).
    assert product.model_extra and "mid_code" in product.model_extra


async def test_region_prices_are_typed(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=fixture("medusa_store_products_with_region_prices.json"))
    product = await resolve(medusa.store.products.retrieve_by_handle("live-tee", region_id="r"))
    prices = [v.calculated_price for v in product.variants or []]
    assert [(p.calculated_amount, p.currency_code) for p in prices if p] == [
        (10, "eur"),
        (10, "eur"),
    ]
    assert product.metadata == {
        "source": "seed-live",
        "synced_at": "2026-01-01T00:00:00Z",
        "payload_content_id": "1",
    }


async def test_retrieve_by_handle_raises_not_found(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"products": [], "count": 0, "offset": 0, "limit": 1})
    with pytest.raises(NotFoundError) as info:
        await resolve(medusa.store.products.retrieve_by_handle("nope"))
    assert info.value.status_code == 404
    assert info.value.service == "medusa"
    assert "nope" in str(info.value)


async def test_retrieve_by_handle_can_be_scoped_to_a_sales_channel(
    medusa: Client, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json=fixture("medusa_store_products_with_region_prices.json"))
    await resolve(medusa.store.products.retrieve_by_handle("live-tee", sales_channel_id="sc_1"))
    request = httpx_mock.get_requests()[-1]
    assert request.url.params["sales_channel_id[0]"] == "sc_1"
    assert request.url.params["handle[0]"] == "live-tee"


async def test_path_segments_are_percent_encoded(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=404, json=fixture("medusa_error_not_found.json"))
    with pytest.raises(NotFoundError) as info:
        await resolve(medusa.store.products.retrieve("../admin/products"))
    request = httpx_mock.get_request()
    assert request is not None
    assert request.url.raw_path == b"/store/products/..%2Fadmin%2Fproducts"
    assert info.value.type == "not_found"


async def test_iterating_a_page_walks_every_page(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url=f"{BASE}/store/products?limit=2",
        json=products_body(["a", "b"], count=5, offset=0, limit=2),
    )
    httpx_mock.add_response(
        url=f"{BASE}/store/products?limit=2&offset=2",
        json=products_body(["c", "d"], count=5, offset=2, limit=2),
    )
    httpx_mock.add_response(
        url=f"{BASE}/store/products?limit=2&offset=4",
        json=products_body(["e"], count=5, offset=4, limit=2),
    )
    page = await resolve(medusa.store.products.list(limit=2))
    assert page.has_next_page()
    assert (page.page, page.total_pages) == (1, 3)
    handles = [p.handle for p in await collect(page)]
    assert handles == ["a", "b", "c", "d", "e"]
    assert len(httpx_mock.get_requests()) == 3


async def test_admin_uses_basic_auth_with_the_secret_key(
    medusa: Client, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json=fixture("medusa_admin_update_product_metadata.json"))
    product = await resolve(
        medusa.admin.products.update_metadata("prod_1", {"a": 1}, delete=["old"])
    )
    request = httpx_mock.get_request()
    assert request is not None
    expected = base64.b64encode(f"{SK}:".encode()).decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert "x-publishable-api-key" not in request.headers
    assert json.loads(request.content) == {"metadata": {"a": 1, "old": ""}}
    assert request.url.path == "/admin/products/prod_1"
    assert product.metadata is not None and product.metadata["payload_content_id"] == "1"


def test_metadata_key_both_set_and_deleted_is_refused() -> None:
    with MedusaClient(BASE, api_key=SK) as client, pytest.raises(ValueError, match="both"):
        client.admin.products.update_metadata("p", {"a": 1}, delete=["a"])


async def test_admin_without_credentials_fails_before_sending(httpx_mock: HTTPXMock) -> None:
    async with AsyncMedusaClient(BASE, publishable_key=PK) as client:
        with pytest.raises(MissingCredentialsError, match="MEDUSA_API_KEY"):
            await client.admin.products.list()
    assert httpx_mock.get_requests() == []


async def test_login_switches_admin_calls_to_bearer(medusa: Client, httpx_mock: HTTPXMock) -> None:
    token = fixture("medusa_auth_token.json")["token"]
    httpx_mock.add_response(url=f"{BASE}/auth/user/emailpass", json={"token": token})
    httpx_mock.add_response(json=fixture("medusa_admin_list_products_jwt.json"))
    secret = await resolve(medusa.auth.login("admin@example.com", "pw"))
    assert secret.get_secret_value() == token
    assert token not in repr(secret) and token not in repr(medusa)
    page = await resolve(medusa.admin.products.list(handle="live-tee", fields="id,handle,metadata"))
    login_request, list_request = httpx_mock.get_requests()
    assert "authorization" not in login_request.headers
    assert list_request.headers["authorization"] == f"Bearer {token}"
    assert page.items[0].metadata == {
        "source": "seed-live",
        "synced_at": "2026-01-01T00:00:00Z",
        "payload_content_id": "1",
    }


async def test_status_errors_carry_medusa_fields(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        status_code=400, json=fixture("medusa_error_missing_publishable_key.json")
    )
    with pytest.raises(BadRequestError) as info:
        await resolve(medusa.store.products.list())
    err = info.value
    assert err.type == "not_allowed"
    assert err.request_id and err.request_id.startswith("req_")
    request = httpx_mock.get_request()
    assert request is not None and err.request_id == request.headers["x-request-id"]
    assert SK not in str(err) and PK not in str(err)


async def test_401_maps_to_authentication_error(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=401, json=fixture("medusa_error_unauthorized.json"))
    with pytest.raises(AuthenticationError):
        await resolve(medusa.admin.orders.list())


async def test_get_is_retried_on_503_then_succeeds(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=503, json={"message": "busy"})
    httpx_mock.add_response(json=fixture("medusa_store_products_by_handle.json"))
    page = await resolve(medusa.store.products.list())
    assert page.count == 1
    first, second = httpx_mock.get_requests()
    # One logical call, one request id across its attempts.
    assert first.headers["x-request-id"] == second.headers["x-request-id"]


async def test_retries_stop_at_max_retries(medusa: Client, httpx_mock: HTTPXMock) -> None:
    for _ in range(3):
        httpx_mock.add_response(status_code=429, json={"message": "slow down"})
    with pytest.raises(RateLimitError):
        await resolve(medusa.store.regions.list())
    assert len(httpx_mock.get_requests()) == 3  # first try + max_retries=2


async def test_per_call_max_retries(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=502, json={})
    with pytest.raises(InternalServerError) as caught:
        await resolve(medusa.store.regions.list(max_retries=0))
    assert caught.value.status_code == 502
    assert len(httpx_mock.get_requests()) == 1


async def test_create_is_not_retried_after_a_response(
    medusa: Client, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(status_code=503, json={"message": "busy"})
    with pytest.raises(InternalServerError) as caught:
        await resolve(medusa.admin.products.create({"title": "x"}))
    assert (caught.value.status_code, caught.value.message) == (503, "busy")
    assert len(httpx_mock.get_requests()) == 1


async def test_create_is_retried_when_the_connection_was_refused(
    medusa: Client, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_exception(httpx.ConnectError("refused"))
    httpx_mock.add_response(json=fixture("medusa_admin_create_product.json"))
    product = await resolve(medusa.admin.products.create({"title": "Verify Cap"}))
    assert product.title == "Verify Cap"


async def test_read_timeout_on_create_is_not_retried(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"))
    with pytest.raises(APITimeoutError) as info:
        await resolve(medusa.admin.products.create({"title": "x"}))
    assert not info.value.never_sent
    assert len(httpx_mock.get_requests()) == 1


async def test_connection_errors_become_api_connection_error(
    medusa: Client, httpx_mock: HTTPXMock
) -> None:
    for _ in range(3):
        httpx_mock.add_exception(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as info:
        await resolve(medusa.store.regions.list())
    assert info.value.service == "medusa"
    assert len(httpx_mock.get_requests()) == 3


async def test_per_call_timeout_reaches_the_transport(
    medusa: Client, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json={"regions": [], "count": 0, "offset": 0, "limit": 50})
    await resolve(medusa.store.regions.list(timeout=1.5))
    request = httpx_mock.get_request()
    assert request is not None
    assert request.extensions["timeout"] == {"connect": 1.5, "read": 1.5, "write": 1.5, "pool": 1.5}


def test_default_timeouts_are_connect_5_read_30(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"regions": [], "count": 0, "offset": 0, "limit": 50})
    with MedusaClient(BASE, publishable_key=PK) as client:
        client.store.regions.list()
    request = httpx_mock.get_request()
    assert request is not None
    assert request.extensions["timeout"] == {
        "connect": 5.0,
        "read": 30.0,
        "write": 30.0,
        "pool": 30.0,
    }


def test_secrets_never_in_repr_or_logs(
    httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture
) -> None:
    httpx_mock.add_response(json=fixture("medusa_admin_list_products_jwt.json"))
    caplog.set_level(logging.DEBUG, logger="medusa_payload")
    with MedusaClient(BASE, api_key=SK) as client:
        client.admin.products.list()
        assert SK not in repr(client) and SK not in repr(client.api_key)
    text = caplog.text
    assert "GET /admin/products" in text and "req_" in text
    assert SK not in text
    assert base64.b64encode(f"{SK}:".encode()).decode() not in text
    assert "[redacted]" in text


def test_bad_base_url_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="absolute http"):
        MedusaClient("localhost:9000")


def test_unclosed_client_warns() -> None:
    client = MedusaClient(BASE)
    with pytest.warns(ResourceWarning, match="not closed"):
        client.__del__()
    client.close()
    assert client.is_closed


def test_from_env_reads_settings(httpx_mock: HTTPXMock) -> None:
    settings = Settings.from_env(
        {"MEDUSA_BACKEND_URL": BASE, "MEDUSA_PUBLISHABLE_KEY": PK, "MEDUSA_API_KEY": SK}
    )
    assert SK not in repr(settings)
    httpx_mock.add_response(json={"regions": [], "count": 0, "offset": 0, "limit": 50})
    with MedusaClient.from_settings(settings) as client:
        client.store.regions.list()
    request = httpx_mock.get_request()
    assert request is not None and request.headers["x-publishable-api-key"] == PK


async def test_other_store_and_admin_resources(medusa: Client, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url=f"{BASE}/store/regions/reg_1",
        json={"region": {"id": "reg_1", "name": "Europe", "currency_code": "eur"}},
    )
    httpx_mock.add_response(
        url=f"{BASE}/store/collections?handle[0]=summer",
        json={
            "collections": [{"id": "pcol_1", "title": "Summer", "handle": "summer"}],
            "count": 1,
            "offset": 0,
            "limit": 50,
        },
    )
    httpx_mock.add_response(
        url=f"{BASE}/store/product-categories?include_descendants_tree=true",
        json={
            "product_categories": [
                {"id": "pcat_1", "name": "Tees", "handle": "tees", "category_children": []}
            ],
            "count": 1,
            "offset": 0,
            "limit": 50,
        },
    )
    httpx_mock.add_response(
        url=f"{BASE}/admin/orders/order_1",
        json={"order": {"id": "order_1", "display_id": 7, "total": 42, "currency_code": "eur"}},
    )
    httpx_mock.add_response(
        url=f"{BASE}/admin/stores",
        json={
            "stores": [{"id": "store_1", "name": "Medusa Store", "metadata": None}],
            "count": 1,
            "offset": 0,
            "limit": 50,
        },
    )
    httpx_mock.add_response(
        url=f"{BASE}/admin/sales-channels/sc_1",
        method="POST",
        json={"sales_channel": {"id": "sc_1", "name": "Web", "metadata": {"x": 1}}},
    )
    region = await resolve(medusa.store.regions.retrieve("reg_1"))
    collections = await resolve(medusa.store.collections.list(handle="summer"))
    categories = await resolve(medusa.store.categories.list(include_descendants_tree=True))
    order = await resolve(medusa.admin.orders.retrieve("order_1"))
    stores = await resolve(medusa.admin.stores.list())
    channel = await resolve(medusa.admin.sales_channels.update_metadata("sc_1", {"x": 1}))
    assert region.currency_code == "eur"
    assert collections.items[0].handle == "summer"
    assert categories.items[0].category_children == []
    assert (order.display_id, order.total) == (7, 42)
    assert stores.items[0].name == "Medusa Store"
    assert channel.metadata == {"x": 1}


async def test_store_metadata_is_merged_client_side(medusa: Client, httpx_mock: HTTPXMock) -> None:
    """Medusa's store module replaces metadata, so the client reads, merges and sends it all."""
    current = {"store": {"id": "store_1", "name": "S", "metadata": {"keep": 1, "drop": 2}}}
    httpx_mock.add_response(method="GET", json=current)
    httpx_mock.add_response(
        method="POST", json={"store": {"id": "store_1", "metadata": {"keep": 1, "new": 3}}}
    )
    store = await resolve(
        medusa.admin.stores.update_metadata("store_1", {"new": 3}, delete=["drop"])
    )
    get, post = httpx_mock.get_requests()
    assert get.url.params["fields"] == "id,metadata"
    assert json.loads(post.content) == {"metadata": {"keep": 1, "new": 3}}
    assert store.metadata == {"keep": 1, "new": 3}
