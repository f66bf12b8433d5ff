"""What Medusa 2.21 answers, held for the fake and the real server alike."""

from __future__ import annotations

from typing import Any

import pytest

from medusa_payload.errors import NotFoundError
from tests.contract.conftest import Target


def test_store_list_shape_and_default_fields(target: Target) -> None:
    r = target.medusa_http.get(
        "/store/products", params={"handle": "live-tee"}, headers=target.store_headers
    )
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"products", "count", "offset", "limit"}
    assert (body["count"], body["offset"], body["limit"]) == (1, 0, 50)
    product = body["products"][0]
    assert "metadata" not in product  # only on request
    assert "status" not in product
    assert {"id", "title", "handle", "variants", "options", "images", "tags"} <= set(product)
    assert {"sku", "options", "product_id"} <= set(product["variants"][0])
    assert "calculated_price" not in product["variants"][0]
    plus = target.medusa_http.get(
        "/store/products",
        params={"handle": "live-tee", "fields": "+metadata"},
        headers=target.store_headers,
    ).json()["products"][0]
    assert plus["metadata"]["source"] == "seed-live"
    assert "variants" in plus


def test_publishable_key_is_required(target: Target) -> None:
    missing = target.medusa_http.get("/store/products")
    assert missing.status_code == 400
    assert missing.json()["type"] == "not_allowed"
    assert "x-publishable-api-key" in missing.json()["message"]
    wrong = target.medusa_http.get("/store/products", headers={"x-publishable-api-key": "pk_nope"})
    assert wrong.status_code == 400
    assert wrong.json() == {
        "type": "not_allowed",
        "message": "A valid publishable key is required to proceed with the request",
    }


def test_admin_auth(target: Target) -> None:
    assert target.medusa_http.get("/admin/products").status_code == 401
    bad = target.medusa_http.get("/admin/products", headers={"authorization": "Bearer nope"})
    assert (bad.status_code, bad.json()) == (401, {"message": "Unauthorized"})
    wrong = target.medusa_http.post(
        "/auth/user/emailpass", json={"email": target.admin_email, "password": "wrong"}
    )
    assert wrong.status_code == 401
    assert wrong.json()["type"] == "unauthorized"
    token = target.medusa_http.post(
        "/auth/user/emailpass",
        json={"email": target.admin_email, "password": target.admin_password},
    ).json()["token"]
    ok = target.medusa_http.get(
        "/admin/products",
        params={"limit": 1, "fields": "id"},
        headers={"authorization": f"Bearer {token}"},
    )
    assert ok.status_code == 200


def test_create_defaults_draft_visibility_and_publish(target: Target) -> None:
    title = target.unique("Contract Draft").replace("-", " ")
    product = target.create_product(title=title)
    assert product["status"] == "draft"
    assert product["handle"] == title.lower().replace(" ", "-")
    assert product["metadata"] is None
    hidden = target.medusa_http.get(
        f"/store/products/{product['id']}", headers=target.store_headers
    )
    assert hidden.status_code == 404
    assert hidden.json()["type"] == "not_found"
    listed = target.medusa_http.get(
        "/store/products", params={"handle": product["handle"]}, headers=target.store_headers
    )
    assert listed.json()["count"] == 0
    target.medusa.admin.products.update(product["id"], {"status": "published"})
    shown = target.medusa.store.products.retrieve_by_handle(product["handle"])
    assert shown.id == product["id"]


def test_validation_errors(target: Target) -> None:
    no_title = target.medusa_http.post(
        "/admin/products", json={"handle": target.unique("x")}, headers=target.admin_headers
    )
    assert no_title.status_code == 400
    assert no_title.json() == {
        "type": "invalid_data",
        "message": "Invalid request: Field 'title' is required",
    }
    no_options = target.medusa_http.post(
        "/admin/products", json={"title": "No Options"}, headers=target.admin_headers
    )
    assert no_options.status_code == 400
    assert no_options.json()["message"] == "Product options are not provided for: [No Options]."
    handle = target.unique("dup")
    target.create_product(handle=handle)
    duplicate = target.medusa_http.post(
        "/admin/products",
        json={
            "title": "Dup",
            "handle": handle,
            "options": [{"title": "Size", "values": ["One"]}],
        },
        headers=target.admin_headers,
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["message"] == f"Product with handle: {handle}, already exists."


def test_metadata_merge_and_empty_string_deletes(target: Target) -> None:
    product = target.create_product(metadata={"keep": "1", "drop": "x"})
    url = f"/admin/products/{product['id']}"
    r = target.medusa_http.post(
        url,
        json={"metadata": {"drop": "", "nested": {"a": 1}}},
        params={"fields": "id,metadata"},
        headers=target.admin_headers,
    )
    assert r.json() == {
        "product": {"id": product["id"], "metadata": {"keep": "1", "nested": {"a": 1}}}
    }
    r = target.medusa_http.post(
        url,
        json={"metadata": {"nested": {"b": 2}}},
        params={"fields": "id,metadata"},
        headers=target.admin_headers,
    )
    assert r.json()["product"]["metadata"] == {"keep": "1", "nested": {"b": 2}}


def test_sales_channel_merges_but_store_replaces_metadata(target: Target) -> None:
    channel = f"/admin/sales-channels/{target.sales_channel_id}"
    h = target.admin_headers
    target.medusa_http.post(channel, json={"metadata": {"c_a": "1", "c_b": "2"}}, headers=h)
    merged = target.medusa_http.post(channel, json={"metadata": {"c_b": ""}}, headers=h).json()
    assert merged["sales_channel"]["metadata"]["c_a"] == "1"
    assert "c_b" not in merged["sales_channel"]["metadata"]
    target.medusa_http.post(channel, json={"metadata": {"c_a": ""}}, headers=h)
    store_id = target.medusa_http.get("/admin/stores", headers=h).json()["stores"][0]["id"]
    store = f"/admin/stores/{store_id}"
    before = target.medusa_http.get(store, headers=h).json()["store"]["metadata"]
    target.medusa_http.post(store, json={"metadata": {"s_a": "1", "s_b": "2"}}, headers=h)
    replaced = target.medusa_http.post(store, json={"metadata": {"s_b": ""}}, headers=h).json()
    assert replaced["store"]["metadata"] == {"s_b": ""}  # replaced whole; "" kept as a value
    target.medusa_http.post(store, json={"metadata": before}, headers=h)
    merged_by_sdk = target.medusa.admin.stores.update_metadata(
        store_id, {"s_c": "3"}, delete=["s_b"]
    )
    assert merged_by_sdk.metadata == {**(before or {}), "s_c": "3"}
    target.medusa_http.post(store, json={"metadata": before}, headers=h)


def test_region_prices(target: Target) -> None:
    without = target.medusa_http.get(
        "/store/products",
        params={"handle": "live-tee", "fields": "*variants.calculated_price"},
        headers=target.store_headers,
    )
    assert without.status_code == 400
    assert without.json() == {
        "type": "invalid_data",
        "message": "Missing required pricing context to calculate prices - region_id",
    }
    product = target.medusa.store.products.retrieve_by_handle(
        "live-tee", region_id=target.region_id, fields="*variants.calculated_price"
    )
    prices = [v.calculated_price for v in product.variants or []]
    assert [(p.calculated_amount, p.currency_code) for p in prices if p] == [
        (10, "eur"),
        (10, "eur"),
    ]
    raw = product.variants[0].calculated_price.model_extra if product.variants else None
    assert raw and raw["raw_calculated_amount"] == {"value": "10", "precision": 20}


def test_plain_fields_replace_the_defaults(target: Target) -> None:
    body = target.medusa_http.get(
        "/store/products",
        params={"handle": "live-tee", "fields": "handle,title,not_a_field"},
        headers=target.store_headers,
    ).json()
    product = body["products"][0]
    assert product == {"id": product["id"], "handle": "live-tee", "title": "Live Tee"}


def test_array_filters_and_pagination(target: Target) -> None:
    handles = sorted(target.unique("page") for _ in range(3))
    ids = [target.create_product(handle=h, title=h)["id"] for h in handles]
    page = target.medusa.admin.products.list(id=ids, status="draft", order="handle", limit=2)
    assert page.count == 3
    assert [p.handle for p in page.items] == handles[:2]
    assert [p.handle for p in page] == handles
    single = target.medusa_http.get(
        "/admin/products", params={"status": "draft", "id": ids[0]}, headers=target.admin_headers
    )
    assert single.status_code == 400  # a lone status is rejected: the SDK always sends arrays
    offset = target.medusa_http.get(
        "/admin/products",
        params={
            "id[0]": ids[0],
            "id[1]": ids[1],
            "id[2]": ids[2],
            "order": "handle",
            "offset": 2,
            "limit": 5,
        },
        headers=target.admin_headers,
    ).json()
    assert (offset["count"], offset["offset"], offset["limit"]) == (3, 2, 5)
    assert [p["handle"] for p in offset["products"]] == handles[2:]


def test_delete_and_not_found(target: Target) -> None:
    product = target.create_product()
    r = target.medusa_http.delete(f"/admin/products/{product['id']}", headers=target.admin_headers)
    assert r.json() == {"id": product["id"], "object": "product", "deleted": True}
    gone = target.medusa_http.get(f"/admin/products/{product['id']}", headers=target.admin_headers)
    assert (gone.status_code, gone.json()) == (
        404,
        {"type": "not_found", "message": "Product not found"},
    )
    store_gone = target.medusa_http.get(
        "/store/products/prod_missing", headers=target.store_headers
    )
    assert store_gone.json() == {
        "type": "not_found",
        "message": "Product with id: prod_missing was not found",
    }
    with pytest.raises(NotFoundError):
        target.medusa.store.products.retrieve_by_handle("../admin")
    assert target.medusa_http.get("/store/nope", headers=target.store_headers).status_code == 404


def _live_tee(target: Target) -> dict[str, Any]:
    products = target.medusa_http.get(
        "/store/products", params={"handle": "live-tee"}, headers=target.store_headers
    ).json()["products"]
    assert len(products) == 1
    item: dict[str, Any] = products[0]
    return item


def test_store_product_by_id(target: Target) -> None:
    listed = _live_tee(target)
    r = target.medusa_http.get(f"/store/products/{listed['id']}", headers=target.store_headers)
    assert r.status_code == 200
    assert set(r.json()) == {"product"}
    product = r.json()["product"]
    # The same product as in the list, plus its categories (retrieve's defaults, not the list's).
    assert set(product) == set(listed) | {"categories"}
    assert product["categories"] == []
    assert {k: v for k, v in product.items() if k != "categories"} == listed
    plus = target.medusa_http.get(
        f"/store/products/{listed['id']}",
        params={"fields": "+metadata"},
        headers=target.store_headers,
    ).json()["product"]
    assert plus["metadata"]["source"] == "seed-live"
    sdk = target.medusa.store.products.retrieve(listed["id"])
    assert (sdk.id, sdk.handle) == (listed["id"], "live-tee")


def test_admin_product_by_id(target: Target) -> None:
    product_id = _live_tee(target)["id"]
    r = target.medusa_http.get(f"/admin/products/{product_id}", headers=target.admin_headers)
    assert r.status_code == 200
    assert set(r.json()) == {"product"}
    product = r.json()["product"]
    listed = target.medusa_http.get(
        "/admin/products", params={"id": product_id}, headers=target.admin_headers
    ).json()["products"]
    assert [p["id"] for p in listed] == [product_id]
    assert set(product) == set(listed[0])  # retrieve and list share the admin defaults
    assert {"status", "metadata", "sales_channels", "external_id", "deleted_at"} <= set(product)
    assert "categories" not in product
    assert (product["handle"], product["status"]) == ("live-tee", "published")
    assert product["metadata"]["source"] == "seed-live"
    variant = product["variants"][0]
    assert {"prices", "images", "sku", "product_id"} <= set(variant)
    assert variant["images"] == []
    assert target.medusa.admin.products.retrieve(product_id).id == product_id


ORDER_KEYS = {"id", "display_id", "status", "items", "metadata", "created_at", "updated_at"}


def test_admin_orders(target: Target) -> None:
    r = target.medusa_http.get("/admin/orders", params={"limit": 1}, headers=target.admin_headers)
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"orders", "count", "offset", "limit"}
    assert (body["offset"], body["limit"]) == (0, 1)
    assert body["count"] >= 1  # the seeded order
    assert len(body["orders"]) == 1
    assert ORDER_KEYS | {"payment_status", "fulfillment_status", "total"} <= set(body["orders"][0])
    one = target.medusa_http.get(
        "/admin/orders", params={"id": target.order_id}, headers=target.admin_headers
    ).json()
    assert [o["id"] for o in one["orders"]] == [target.order_id]
    r = target.medusa_http.get(f"/admin/orders/{target.order_id}", headers=target.admin_headers)
    assert r.status_code == 200
    assert set(r.json()) == {"order"}
    order = r.json()["order"]
    assert order["id"] == target.order_id
    assert ORDER_KEYS | {"region_id", "total", "subtotal"} <= set(order)
    assert order["items"], "the seeded order has a line"
    missing = target.medusa_http.get("/admin/orders/order_missing", headers=target.admin_headers)
    assert (missing.status_code, missing.json()) == (
        404,
        {"type": "not_found", "message": "Order id not found: order_missing"},
    )
    sdk = target.medusa.admin.orders.retrieve(target.order_id)
    assert sdk.id == target.order_id
    with pytest.raises(NotFoundError):
        target.medusa.admin.orders.retrieve("order_missing")


@pytest.mark.parametrize("path", ["/store/nope", "/admin/nope", "/nope"])
def test_unknown_route_is_an_html_404(target: Target, path: str) -> None:
    headers = target.admin_headers if path.startswith("/admin") else target.store_headers
    r = target.medusa_http.get(path, headers=headers)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert f"<pre>Cannot GET {path}</pre>" in r.text
    with pytest.raises(NotFoundError):
        target.medusa.store.products.retrieve("nope/../../nope")


def test_regions_collections_categories(target: Target) -> None:
    regions = target.medusa.store.regions.list()
    assert target.region_id in [r.id for r in regions.items]
    missing = target.medusa_http.get("/store/regions/reg_missing", headers=target.store_headers)
    assert missing.json() == {
        "type": "not_found",
        "message": "Region with id: reg_missing was not found",
    }
    handle = target.unique("coll")
    collection = target.medusa_http.post(
        "/admin/collections", json={"title": "C", "handle": handle}, headers=target.admin_headers
    ).json()["collection"]
    category = target.medusa_http.post(
        "/admin/product-categories",
        json={"name": "Cat", "handle": handle, "is_active": True},
        headers=target.admin_headers,
    ).json()["product_category"]
    try:
        assert [c.id for c in target.medusa.store.collections.list(handle=handle).items] == [
            collection["id"]
        ]
        assert [c.id for c in target.medusa.store.categories.list(handle=handle).items] == [
            category["id"]
        ]
        product = target.create_product(
            status="published", collection_id=collection["id"], categories=[{"id": category["id"]}]
        )
        by_cat = target.medusa.store.products.list(category_id=category["id"])
        by_coll = target.medusa.store.products.list(collection_id=collection["id"])
        assert [p.id for p in by_cat.items] == [product["id"]] == [p.id for p in by_coll.items]
    finally:
        target.medusa_http.delete(
            f"/admin/collections/{collection['id']}", headers=target.admin_headers
        )
        target.medusa_http.delete(
            f"/admin/product-categories/{category['id']}", headers=target.admin_headers
        )


def test_bracketed_extra_query_keys_still_nest_on_the_server(target: Target) -> None:
    # The SDK percent-encodes every key it is given (``handle%5B0%5D``); the server decodes it
    # back to ``handle[0]`` before reading brackets, so the filter works as written.
    page = target.medusa.store.products.list(extra_query={"handle[0]": "live-tee"})
    assert [p.handle for p in page.items] == ["live-tee"]
