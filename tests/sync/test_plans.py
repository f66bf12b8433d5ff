"""Example-based tests of the plans: the documented behaviour, case by case."""

from __future__ import annotations

from medusa_payload.medusa.models import Order, Product
from medusa_payload.payload.models import ProductContent
from medusa_payload.sync import (
    TenantRecord,
    VendorRecord,
    canonical_hash,
    content_metadata,
    plan_content_to_metadata,
    plan_order_audit,
    plan_product_to_content,
    plan_tenant_to_payload,
    plan_vendor_to_payload,
)

PRODUCT = Product(id="prod_1", handle="tee", title="Tee", description="Plain")
LIVE = ProductContent.model_validate(
    {
        "id": 7,
        "medusaProductId": "prod_1",
        "handle": "tee",
        "title": "Tee",
        "description": "Plain",
        "features": [{"id": "row1", "title": "Soft", "description": None}],
        "specs": [{"id": "row2", "key": "weight", "value": "180g"}],
        "seo": {"title": "Tee | Shop", "description": None, "keywords": "tee"},
        "richDescription": {"root": {}},
        "status": "published",
    }
)


def test_new_content_starts_as_a_draft() -> None:
    patch = plan_product_to_content(PRODUCT, None)
    assert patch is not None
    assert patch.creates
    assert dict(patch.data) == {
        "medusaProductId": "prod_1",
        "handle": "tee",
        "title": "Tee",
        "description": "Plain",
        "status": "draft",
    }


def test_only_changed_medusa_fields_are_written() -> None:
    renamed = PRODUCT.model_copy(update={"title": "Better Tee"})
    patch = plan_product_to_content(renamed, LIVE)
    assert patch is not None
    assert (patch.doc_id, dict(patch.data)) == (7, {"title": "Better Tee"})
    assert plan_product_to_content(PRODUCT, LIVE) is None


def test_published_content_metadata_layout() -> None:
    meta = content_metadata(LIVE)
    synced = {
        "features": [{"title": "Soft", "description": None}],
        "specs": [{"key": "weight", "value": "180g"}],
        "seo": {"title": "Tee | Shop", "description": None, "keywords": "tee"},
    }
    assert meta == {
        **synced,
        "payload_content_id": "7",
        "payload_content_hash": canonical_hash(synced),
    }
    patch = plan_content_to_metadata(LIVE, "prod_1", {"source": "seed"})
    assert patch is not None
    assert dict(patch.set) == meta
    assert patch.delete == ()


def test_unpublish_removes_exactly_our_keys() -> None:
    draft = LIVE.model_copy(update={"status": "draft"})
    current = {**content_metadata(LIVE), "source": "seed"}
    patch = plan_content_to_metadata(draft, "prod_1", current)
    assert patch is not None
    assert dict(patch.set) == {}
    assert set(patch.delete) == {
        "features",
        "specs",
        "seo",
        "payload_content_id",
        "payload_content_hash",
    }
    archived = LIVE.model_copy(update={"archived": True})
    assert plan_content_to_metadata(archived, "prod_1", current) == patch
    assert plan_content_to_metadata(None, "prod_1", current) == patch  # content deleted


def test_unpublished_doc_does_not_erase_another_docs_metadata() -> None:
    other = LIVE.model_copy(update={"id": 8, "status": "draft"})
    assert plan_content_to_metadata(other, "prod_1", content_metadata(LIVE)) is None


def test_vendor_tenant_and_order_plans() -> None:
    vendor = VendorRecord.from_mapping(
        {
            "id": "ven_1",
            "name": "Acme",
            "handle": "acme",
            "status": "approved",
            "businessInfo": {"vat": "X1"},
        }
    )
    create = plan_vendor_to_payload(vendor, None)
    assert create is not None and create.creates
    assert dict(create.data) == {
        "medusaVendorId": "ven_1",
        "name": "Acme",
        "handle": "acme",
        "status": "approved",
        "businessInfo": {"vat": "X1"},
    }
    assert plan_vendor_to_payload(vendor, {"id": 3, **create.data}) is None
    approved = plan_vendor_to_payload(vendor, {"id": 3, **create.data, "status": "pending"})
    assert approved is not None and dict(approved.data) == {"status": "approved"}
    tenant = TenantRecord.from_mapping(
        {"id": "ten_1", "name": "Beta", "settings": {"locale": "de"}}
    )
    assert (
        plan_tenant_to_payload(
            tenant,
            {"id": 1, "medusaTenantId": "ten_1", "name": "Beta", "settings": {"locale": "de"}},
        )
        is None
    )
    order = Order(id="order_1", display_id=4, email="a@b.c", currency_code="eur", total=42)
    audit = plan_order_audit(order, "order.placed", None)
    assert audit is not None
    assert audit.data["key"] == "order_1:order.placed"
    assert plan_order_audit(order, "order.placed", {"id": 1}) is None  # append-only, once
