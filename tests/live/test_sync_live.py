"""The sync engine against the real Medusa 2.21.2 and Payload 3.90.2."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from medusa_payload import MedusaClient, PayloadClient, Where
from medusa_payload.errors import BadRequestError
from medusa_payload.payload import ProductContent
from medusa_payload.sync import (
    ReconcileReport,
    reconcile,
    sync_content_to_medusa,
    sync_order_audit,
    sync_product_deleted,
    sync_product_to_payload,
    sync_store_to_medusa,
    sync_tenant_to_payload,
    sync_vendor_to_payload,
)

pytestmark = pytest.mark.live


@pytest.fixture
def sync_payload(live_env: dict[str, str]) -> Iterator[PayloadClient]:
    """Payload as the sync user: its writes are not echoed by the Payload hook."""
    with PayloadClient(live_env["PAYLOAD_URL"], api_key=live_env["PAYLOAD_SYNC_API_KEY"]) as client:
        yield client


def _product(medusa: MedusaClient, env: dict[str, str], handle: str) -> Any:
    return medusa.admin.products.create(
        {
            "title": f"Sync {handle}",
            "handle": handle,
            "description": "from Medusa",
            "status": "published",
            "options": [{"title": "Size", "values": ["One"]}],
            "variants": [
                {
                    "title": "One",
                    "options": {"Size": "One"},
                    "manage_inventory": False,
                    "prices": [{"currency_code": "eur", "amount": 9}],
                }
            ],
            "sales_channels": [{"id": env["MEDUSA_SALES_CHANNEL_ID"]}],
        }
    )


def _content(payload: PayloadClient, product_id: str) -> ProductContent:
    page = payload.find(
        "product-content", where=Where.equals("medusaProductId", product_id), model=ProductContent
    )
    assert page.count == 1
    return page.items[0]


def test_product_to_content_then_publish_to_metadata_then_delete(
    medusa: MedusaClient, sync_payload: PayloadClient, live_env: dict[str, str], unique: str
) -> None:
    product = _product(medusa, live_env, f"sync-{unique}")
    try:
        created = sync_product_to_payload(product.id, medusa=medusa, payload=sync_payload)
        assert created.action == "created"
        doc = _content(sync_payload, product.id)
        assert (doc.handle, doc.title, doc.description, doc.status) == (
            f"sync-{unique}",
            f"Sync sync-{unique}",
            "from Medusa",
            "draft",
        )
        assert (
            sync_product_to_payload(product.id, medusa=medusa, payload=sync_payload).action
            == "no_change"
        )
        # The draft never reaches Medusa.
        assert (
            sync_content_to_medusa(doc.id, medusa=medusa, payload=sync_payload).action
            == "no_change"
        )
        # An editor fills in the copy and publishes.
        sync_payload.update_by_id(
            "product-content",
            doc.id,
            {
                "features": [{"title": "Waterproof", "description": "IPX7"}],
                "specs": [{"key": "weight", "value": "200g"}],
                "seo": {"title": "Buy it", "description": "Best", "keywords": "a,b"},
                "status": "published",
            },
        )
        published = sync_content_to_medusa(doc.id, medusa=medusa, payload=sync_payload)
        assert published.action == "metadata_set"
        meta = medusa.admin.products.retrieve(product.id).metadata or {}
        assert meta["features"] == [{"title": "Waterproof", "description": "IPX7"}]
        assert meta["seo"]["title"] == "Buy it"
        assert meta["payload_content_id"] == str(doc.id)
        assert (
            sync_content_to_medusa(doc.id, medusa=medusa, payload=sync_payload).action
            == "no_change"
        )
        # Medusa renames the product: the content follows, the editor's copy stays.
        medusa.admin.products.update(product.id, {"title": "Renamed in Medusa"})
        sync_product_to_payload(product.id, medusa=medusa, payload=sync_payload)
        doc = _content(sync_payload, product.id)
        assert doc.title == "Renamed in Medusa"
        assert doc.seo is not None and doc.seo.title == "Buy it"
        # Unpublish removes exactly our keys.
        sync_payload.update_by_id("product-content", doc.id, {"status": "draft"})
        removed = sync_content_to_medusa(doc.id, medusa=medusa, payload=sync_payload)
        assert removed.action == "metadata_removed"
        assert not set(medusa.admin.products.retrieve(product.id).metadata or {}) & {
            "features",
            "specs",
            "seo",
            "payload_content_id",
            "payload_content_hash",
        }
    finally:
        medusa.admin.products.delete(product.id)
    archived = sync_product_deleted(product.id, medusa=medusa, payload=sync_payload)
    assert archived.action == "archived"
    assert _content(sync_payload, product.id).archived is True


class _Recording(httpx.HTTPTransport):
    """A real transport that notes ``"METHOD /path"`` of every request it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(f"{request.method} {request.url.path}")
        return super().handle_request(request)


def _recorded_dry_run(env: dict[str, str]) -> tuple[ReconcileReport, list[str]]:
    """A dry reconcile of products through recording transports: its report and what it sent."""
    medusa_wire, payload_wire = _Recording(), _Recording()
    with (
        MedusaClient(
            env["MEDUSA_URL"], api_key=env["MEDUSA_SECRET_API_KEY"], transport=medusa_wire
        ) as medusa,
        PayloadClient(
            env["PAYLOAD_URL"], api_key=env["PAYLOAD_SYNC_API_KEY"], transport=payload_wire
        ) as payload,
    ):
        report = reconcile(medusa, payload, scope=("products",), dry_run=True)
    return report, medusa_wire.sent + payload_wire.sent


def _state(medusa: MedusaClient, payload: PayloadClient, product_id: str) -> list[Any]:
    """The product and its content doc as stored (timestamps included: any write moves them)."""
    return [
        medusa.admin.products.retrieve(product_id).model_dump(),
        _content(payload, product_id).model_dump(),
    ]


def test_reconcile_repairs_both_sides_then_reports_all_in_sync(
    medusa: MedusaClient, sync_payload: PayloadClient, live_env: dict[str, str], unique: str
) -> None:
    first = reconcile(medusa, sync_payload, scope=("products",))
    assert first.errors == 0, first.to_json()
    product = _product(medusa, live_env, f"rec-{unique}")
    try:
        sync_product_to_payload(product.id, medusa=medusa, payload=sync_payload)
        doc = _content(sync_payload, product.id)
        sync_payload.update_by_id(
            "product-content", doc.id, {"status": "published", "seo": {"title": "SEO"}}
        )
        sync_content_to_medusa(doc.id, medusa=medusa, payload=sync_payload)
        # Break both sides by hand.
        sync_payload.update_by_id("product-content", doc.id, {"title": "Edited in Payload"})
        medusa.admin.products.update_metadata(product.id, {"seo": {"title": "edited in Medusa"}})
        tee_content = sync_payload.find(
            "product-content", where=Where.equals("handle", "live-plain")
        )
        for stray in tee_content.items:
            sync_payload.delete_by_id("product-content", stray.id)
        before = _state(medusa, sync_payload, product.id)
        dry, sent = _recorded_dry_run(live_env)
        assert [request for request in sent if not request.startswith("GET ")] == []
        assert sent, "the dry run read nothing"
        assert _state(medusa, sync_payload, product.id) == before  # nothing written
        assert dry.writes == 0
        assert dry.drifted >= 1
        assert dry.missing >= 1  # live-plain has no content
        fixed = reconcile(medusa, sync_payload, scope=("products",))
        assert fixed.errors == 0, fixed.to_json()
        assert _content(sync_payload, product.id).title == f"Sync rec-{unique}"
        assert (medusa.admin.products.retrieve(product.id).metadata or {})["seo"]["title"] == "SEO"
        again = reconcile(medusa, sync_payload, scope=("products",))
        assert again.all_in_sync, again.to_json()
        assert again.writes == 0
    finally:
        medusa.admin.products.delete(product.id)
        sync_product_deleted(product.id, medusa=medusa, payload=sync_payload)


def test_store_branding_vendor_tenant_and_order_audit(
    medusa: MedusaClient, sync_payload: PayloadClient, live_env: dict[str, str], unique: str
) -> None:
    store = sync_payload.find("stores", where=Where.equals("handle", "acme")).items[0]
    result = sync_store_to_medusa(store.id, medusa=medusa, payload=sync_payload)
    assert result.action in ("metadata_set", "no_change")
    record = medusa.admin.stores.retrieve(live_env["MEDUSA_STORE_ID"])
    assert (record.metadata or {})["payload_cms"]["stores"]["acme"]["branding"][
        "primaryColor"
    ] == "#112233"
    vendor = sync_vendor_to_payload(
        f"ven_{unique}",
        record={"name": "Acme Supplies", "handle": f"acme-{unique}", "status": "approved"},
        medusa=medusa,
        payload=sync_payload,
    )
    assert vendor.action == "created"
    tenant = sync_tenant_to_payload(
        f"ten_{unique}",
        tenant_source=lambda tid: {"name": "Beta GmbH", "settings": {"locale": "de"}},
        medusa=medusa,
        payload=sync_payload,
    )
    assert tenant.action == "created"
    order_id = live_env["MEDUSA_ORDER_ID"]
    event = f"order.placed.{unique}"
    first = sync_order_audit(order_id, event, medusa=medusa, payload=sync_payload)
    second = sync_order_audit(order_id, event, medusa=medusa, payload=sync_payload)
    assert (first.action, second.action) == ("appended", "no_change")
    audit = sync_payload.find("order-audit", where=Where.equals("key", f"{order_id}:{event}"))
    assert audit.count == 1
    assert audit.items[0].model_extra and audit.items[0].model_extra["total"] == 20


def _archived_orphan(
    medusa: MedusaClient, payload: PayloadClient, env: dict[str, str], handle: str
) -> ProductContent:
    """A product's content doc with editors' SEO, archived because the product was deleted."""
    old = _product(medusa, env, handle)
    sync_product_to_payload(old.id, medusa=medusa, payload=payload)
    doc = _content(payload, old.id)
    payload.update_by_id("product-content", doc.id, {"seo": {"title": f"Old {handle}"}})
    medusa.admin.products.delete(old.id)
    assert sync_product_deleted(old.id, medusa=medusa, payload=payload).action == "archived"
    return doc


def _assert_released(payload: PayloadClient, doc: ProductContent, handle: str) -> None:
    kept = payload.find_by_id("product-content", doc.id, model=ProductContent)
    assert (kept.handle, kept.archived, kept.seo and kept.seo.title) == (
        f"{handle}--archived-{doc.id}",
        True,
        f"Old {handle}",
    )


def test_reconcile_frees_a_handle_held_by_an_archived_orphan(
    medusa: MedusaClient, sync_payload: PayloadClient, live_env: dict[str, str], unique: str
) -> None:
    """Issue 12: a product re-created with a deleted product's handle could never get content
    (Payload's handles are unique); reconcile renames the archived doc and keeps its copy."""
    handle = f"reborn-{unique}"
    doc = _archived_orphan(medusa, sync_payload, live_env, handle)
    new = _product(medusa, live_env, handle)
    try:
        with pytest.raises(BadRequestError):  # the real Payload: handles are unique
            sync_payload.create("product-content", {"handle": handle, "title": "Dup"})

        report = reconcile(medusa, sync_payload, scope=("products",))
        ours = {
            (i.status, i.content_id or i.product_id): i
            for i in report.items
            if i.product_id == new.id or i.content_id == str(doc.id)
        }
        released = ours[("orphaned", str(doc.id))]
        assert (released.applied, released.error) == (True, None)
        assert released.note == f"handle {handle!r} released for product {new.id}"
        assert ours[("missing", new.id)].applied, report.to_json()
        _assert_released(sync_payload, doc, handle)
        fresh = _content(sync_payload, new.id)
        assert (fresh.handle, fresh.status) == (handle, "draft")

        again = reconcile(medusa, sync_payload, scope=("products",), dry_run=True)
        mine = [i for i in again.items if i.product_id == new.id or i.content_id == str(doc.id)]
        assert not mine, again.to_json()
    finally:
        medusa.admin.products.delete(new.id)
        sync_product_deleted(new.id, medusa=medusa, payload=sync_payload)


def test_a_new_products_sync_frees_a_handle_held_by_an_archived_orphan(
    medusa: MedusaClient, sync_payload: PayloadClient, live_env: dict[str, str], unique: str
) -> None:
    handle = f"reborn2-{unique}"
    doc = _archived_orphan(medusa, sync_payload, live_env, handle)
    new = _product(medusa, live_env, handle)
    try:
        result = sync_product_to_payload(new.id, medusa=medusa, payload=sync_payload)
        assert result.action == "created"
        _assert_released(sync_payload, doc, handle)
        assert _content(sync_payload, new.id).handle == handle
    finally:
        medusa.admin.products.delete(new.id)
        sync_product_deleted(new.id, medusa=medusa, payload=sync_payload)


def editor_flow(
    medusa: MedusaClient, payload: PayloadClient, sales_channel_id: str, unique: str
) -> None:
    """An editor saves a draft, publishes, changes, restores versions: Medusa's metadata
    follows only the published states. (Run on the fakes too, by tests/sync.)"""
    product = _product(medusa, {"MEDUSA_SALES_CHANNEL_ID": sales_channel_id}, f"ed-{unique}")

    def sync_and_seo() -> object:
        sync_content_to_medusa(doc.id, medusa=medusa, payload=payload)
        meta = medusa.admin.products.retrieve(product.id).metadata or {}
        return (meta.get("seo") or {}).get("title")

    try:
        sync_product_to_payload(product.id, medusa=medusa, payload=payload)
        doc = _content(payload, product.id)
        payload.update_by_id("product-content", doc.id, {"seo": {"title": "draft copy"}})
        assert sync_and_seo() is None  # a draft never reaches Medusa
        payload.update_by_id(
            "product-content", doc.id, {"seo": {"title": "V1"}, "status": "published"}
        )
        assert sync_and_seo() == "V1"
        payload.update_by_id("product-content", doc.id, {"seo": {"title": "V2"}})
        assert sync_and_seo() == "V2"
        history = payload.find_versions(
            "product-content",
            where=Where.equals("parent", doc.id),
            sort="createdAt",
            model=ProductContent,
        ).items
        assert [v.version.status for v in history] == ["draft", "draft", "published", "published"]
        first, published_v1 = history[0], history[2]
        restored = payload.restore_version("product-content", first.id, model=ProductContent)
        assert (restored.status, restored.seo and restored.seo.title) == ("draft", None)
        assert sync_and_seo() is None  # restoring a draft state unpublishes
        payload.restore_version("product-content", published_v1.id)
        assert sync_and_seo() == "V1"
    finally:
        medusa.admin.products.delete(product.id)


def test_editor_drafts_and_restores_reach_medusa_only_when_published(
    medusa: MedusaClient, sync_payload: PayloadClient, live_env: dict[str, str], unique: str
) -> None:
    editor_flow(medusa, sync_payload, live_env["MEDUSA_SALES_CHANNEL_ID"], unique)
