"""Appliers against the fakes, with the sync and the async clients (one source of logic)."""

from __future__ import annotations

import pytest

from medusa_payload import AsyncPayloadClient, MedusaClient
from medusa_payload.errors import ConfigurationError, Unrecoverable
from medusa_payload.sync import (
    SyncConfig,
    sync_content_to_medusa,
    sync_order_audit,
    sync_page_to_medusa,
    sync_product_deleted,
    sync_product_to_payload,
    sync_store_to_medusa,
    sync_tenant_to_payload,
    sync_vendor_to_payload,
)
from tests.helpers import resolve
from tests.sync.conftest import Pair


async def test_product_without_content_gets_a_draft_then_no_change(pair: Pair) -> None:
    product_id = pair.ids["products"]["live-plain"]
    progress: list[int] = []
    result = await resolve(
        sync_product_to_payload(
            product_id, medusa=pair.medusa, payload=pair.payload, on_progress=progress.append
        )
    )
    assert progress == [10, 30, 50, 90, 100]
    assert (result.action, result.changed) == ("created", True)
    doc = pair.content("live-plain")
    assert (doc["medusaProductId"], doc["status"], doc["title"]) == (
        product_id,
        "draft",
        "Live Plain",
    )
    writes = pair.payload_fake.count("POST /api/product-content")
    again = await resolve(
        sync_product_to_payload(product_id, medusa=pair.medusa, payload=pair.payload)
    )
    assert again.action == "no_change"
    assert pair.payload_fake.count("POST /api/product-content") == writes  # nothing written


async def test_existing_content_is_adopted_by_handle_and_editor_fields_kept(pair: Pair) -> None:
    before = pair.content("live-tee")
    assert before["medusaProductId"] == pair.ids["products"]["live-tee"]
    pair.payload_fake.add_product_content(
        "orphan-copy", "Copy", status="draft", seo={"title": "Editor SEO"}
    )
    tee = pair.medusa_fake.add_product("Orphan Copy", handle="orphan-copy")
    result = await resolve(
        sync_product_to_payload(tee["id"], medusa=pair.medusa, payload=pair.payload)
    )
    assert result.action == "updated"
    doc = pair.content("orphan-copy")
    assert doc["medusaProductId"] == tee["id"]
    assert doc["title"] == "Orphan Copy"  # Medusa owns the title
    assert doc["seo"]["title"] == "Editor SEO"  # editors own SEO
    assert doc["status"] == "draft"  # and the publish state


async def test_handle_conflict_is_unrecoverable(pair: Pair) -> None:
    pair.payload_fake.add_product_content("taken", medusa_product_id="prod_someone_else")
    product = pair.medusa_fake.add_product("Taken", handle="taken")
    with pytest.raises(Unrecoverable, match="taken by content"):
        await resolve(
            sync_product_to_payload(product["id"], medusa=pair.medusa, payload=pair.payload)
        )


async def test_an_archived_orphan_gives_up_its_handle_to_a_new_product(pair: Pair) -> None:
    old = pair.payload_fake.add_product_content(
        "reborn", medusa_product_id="prod_gone", archived=True, seo={"title": "Old copy"}
    )
    product = pair.medusa_fake.add_product("Reborn", handle="reborn")
    result = await resolve(
        sync_product_to_payload(product["id"], medusa=pair.medusa, payload=pair.payload)
    )
    assert result.action == "created"
    kept = pair.payload_fake.get("product-content", old["id"])
    assert kept is not None
    assert (kept["handle"], kept["archived"], kept["seo"]["title"]) == (
        f"reborn--archived-{old['id']}",
        True,
        "Old copy",
    )
    assert pair.content("reborn")["medusaProductId"] == product["id"]


async def test_content_publish_unpublish_and_delete(pair: Pair) -> None:
    doc = pair.content("live-tee")
    result = await resolve(
        sync_content_to_medusa(doc["id"], medusa=pair.medusa, payload=pair.payload)
    )
    assert result.action == "metadata_set"
    meta = pair.metadata("live-tee")
    assert meta["seo"]["title"] == "Live Tee | Acme"
    assert meta["features"] == [{"title": "Organic cotton", "description": "100% organic"}]
    assert meta["source"] == "seed-live"  # Medusa's own key untouched
    again = await resolve(
        sync_content_to_medusa(doc["id"], medusa=pair.medusa, payload=pair.payload)
    )
    assert again.action == "no_change"
    await resolve(pair.payload.update_by_id("product-content", doc["id"], {"status": "draft"}))
    removed = await resolve(
        sync_content_to_medusa(doc["id"], medusa=pair.medusa, payload=pair.payload)
    )
    assert removed.action == "metadata_removed"
    assert pair.metadata("live-tee") == {"source": "seed-live"}
    await resolve(pair.payload.update_by_id("product-content", doc["id"], {"status": "published"}))
    await resolve(sync_content_to_medusa(doc["id"], medusa=pair.medusa, payload=pair.payload))
    await resolve(pair.payload.delete_by_id("product-content", doc["id"]))
    gone = await resolve(
        sync_content_to_medusa(
            doc["id"],
            medusa_product_id=pair.ids["products"]["live-tee"],
            medusa=pair.medusa,
            payload=pair.payload,
        )
    )
    assert gone.action == "metadata_removed"
    assert pair.metadata("live-tee") == {"source": "seed-live"}


async def test_draft_content_never_reaches_medusa(pair: Pair) -> None:
    draft = pair.content("live-draft")
    result = await resolve(
        sync_content_to_medusa(draft["id"], medusa=pair.medusa, payload=pair.payload)
    )
    assert result.action == "skipped"
    assert pair.medusa_fake.count("POST /admin/products/{id}") == 0


async def test_deleted_product_archives_its_content(pair: Pair) -> None:
    product_id = pair.ids["products"]["live-hoodie"]
    result = await resolve(
        sync_product_deleted(product_id, medusa=pair.medusa, payload=pair.payload)
    )
    assert result.action == "archived"
    assert pair.content("live-hoodie")["archived"] is True
    assert (
        await resolve(sync_product_deleted(product_id, medusa=pair.medusa, payload=pair.payload))
    ).action == "no_change"


async def test_store_branding_and_pages_go_to_the_sales_channel(pair: Pair) -> None:
    store = await resolve(
        sync_store_to_medusa(pair.ids["store_id"], medusa=pair.medusa, payload=pair.payload)
    )
    page = await resolve(
        sync_page_to_medusa(pair.ids["page_ids"][0], medusa=pair.medusa, payload=pair.payload)
    )
    assert store.target == page.target == f"sales_channel/{pair.medusa_fake.sales_channel_id}"
    cms = pair.medusa_fake.sales_channels[pair.medusa_fake.sales_channel_id]["metadata"][
        "payload_cms"
    ]
    assert cms["stores"]["acme"]["branding"]["primaryColor"] == "#112233"
    assert cms["pages"]["about@acme"]["title"] == "About us"
    beta = await resolve(
        sync_page_to_medusa(pair.ids["page_ids"][1], medusa=pair.medusa, payload=pair.payload)
    )
    assert beta.target == f"store/{pair.medusa_fake.store_id}"  # no store: the store record
    config = SyncConfig(branding_target="store")
    forced = await resolve(
        sync_store_to_medusa(
            pair.ids["store_id"], medusa=pair.medusa, payload=pair.payload, config=config
        )
    )
    assert forced.target == f"store/{pair.medusa_fake.store_id}"


async def test_vendor_tenant_and_order_audit(pair: Pair) -> None:
    vendor = await resolve(
        sync_vendor_to_payload(
            "ven_1",
            record={"name": "Acme Supplies", "handle": "acme-supplies", "status": "approved"},
            medusa=pair.medusa,
            payload=pair.payload,
        )
    )
    assert vendor.action == "created"
    assert pair.payload_fake.docs("vendors")[0]["medusaVendorId"] == "ven_1"
    with pytest.raises(Unrecoverable, match="vendor_source"):
        await resolve(sync_vendor_to_payload("ven_2", medusa=pair.medusa, payload=pair.payload))
    tenant = await resolve(
        sync_tenant_to_payload(
            "ten_1",
            tenant_source=lambda tid: {"name": "Beta", "settings": {"x": 1}},
            medusa=pair.medusa,
            payload=pair.payload,
        )
    )
    assert tenant.action == "created"
    steps: list[int] = []
    for name, action in (("Beta", "no_change"), ("Beta 2", "updated")):
        again = await resolve(
            sync_tenant_to_payload(
                "ten_1",
                record={"name": name, "settings": {"x": 1}},
                medusa=pair.medusa,
                payload=pair.payload,
                on_progress=steps.append,
            )
        )
        assert again.action == action
    assert steps == [10, 30, 50, 90, 100] * 2
    assert again.target == tenant.target
    assert [d["name"] for d in pair.payload_fake.docs("tenants")] == ["Beta 2"]
    order = pair.medusa_fake.add_order(items=[{"title": "Tee", "quantity": 2, "unit_price": 10}])
    first = await resolve(
        sync_order_audit(order["id"], "order.placed", medusa=pair.medusa, payload=pair.payload)
    )
    second = await resolve(
        sync_order_audit(order["id"], "order.placed", medusa=pair.medusa, payload=pair.payload)
    )
    completed = await resolve(
        sync_order_audit(order["id"], "order.completed", medusa=pair.medusa, payload=pair.payload)
    )
    assert (first.action, second.action, completed.action) == ("appended", "no_change", "appended")
    audits = pair.payload_fake.docs("order-audit")
    assert sorted(a["key"] for a in audits) == sorted(
        [f"{order['id']}:order.placed", f"{order['id']}:order.completed"]
    )
    assert audits[0]["total"] == 20


async def test_a_mix_of_sync_and_async_clients_is_refused() -> None:
    async with AsyncPayloadClient("http://x.test") as other:
        with (
            MedusaClient("http://y.test") as medusa,
            pytest.raises(ConfigurationError, match="mix"),
        ):
            sync_product_to_payload("p", medusa=medusa, payload=other)  # type: ignore[call-overload]


async def test_shorthands_refuse_unknown_or_missing_keywords_like_a_signature(pair: Pair) -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument\\(s\\): on_progres"):
        sync_product_to_payload(
            "p",
            medusa=pair.medusa,
            payload=pair.payload,
            on_progres=print,  # type: ignore[call-overload]
        )
    with pytest.raises(TypeError, match="missing keyword argument\\(s\\): payload"):
        sync_product_deleted("p", medusa=pair.medusa)  # type: ignore[call-overload]
    assert pair.medusa_fake.count() == 0


async def test_writes_ask_for_no_answer_they_do_not_use(pair: Pair) -> None:
    """The metadata write asks Medusa for ``fields=id`` and the doc writes ask Payload for
    ``depth=0``: the engine reads nothing from those answers but the id (fewer joins on the
    servers; see docs/benchmarks.md, sustained load)."""
    plain = pair.ids["products"]["live-plain"]
    created = await resolve(
        sync_product_to_payload(plain, medusa=pair.medusa, payload=pair.payload)
    )
    await resolve(pair.medusa.admin.products.update(plain, {"title": "Live Plain 2"}))
    updated = await resolve(
        sync_product_to_payload(plain, medusa=pair.medusa, payload=pair.payload)
    )
    tee = pair.content("live-tee")
    meta = await resolve(
        sync_content_to_medusa(tee["id"], medusa=pair.medusa, payload=pair.payload)
    )
    assert (created.action, updated.action, meta.action) == ("created", "updated", "metadata_set")
    tee_id = pair.ids["products"]["live-tee"]
    metadata_writes = [
        r
        for r in pair.medusa_fake.requests
        if r.method == "POST" and r.path == f"/admin/products/{tee_id}"
    ]
    assert len(metadata_writes) == 1 and metadata_writes[0].query.get("fields") == "id"
    doc_writes = [
        r
        for r in pair.payload_fake.requests
        if r.method in ("POST", "PATCH") and r.path.startswith("/api/product-content")
    ]
    assert len(doc_writes) == 2 and all(r.query.get("depth") == "0" for r in doc_writes)
