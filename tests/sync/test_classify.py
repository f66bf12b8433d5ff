"""`classify`: reconciliation's decision for one content doc, with no I/O (case by case)."""

from __future__ import annotations

from medusa_payload.medusa.models import Product
from medusa_payload.payload.models import ProductContent
from medusa_payload.sync import DocPatch, MetadataPatch, SyncConfig, content_metadata
from medusa_payload.sync._classify import Mark, Verdict, classify
from medusa_payload.sync.plans import (
    MEDUSA_OWNED_CONTENT_FIELDS,
    content_owned_fields,
    medusa_owned_fields,
)

CONFIG = SyncConfig()
DOC = ProductContent.model_validate(
    {
        "id": 7,
        "medusaProductId": "prod_1",
        "handle": "tee",
        "title": "Tee",
        "description": "Plain",
        "seo": {"title": "Tee | Shop"},
        "status": "published",
    }
)
PRODUCT = Product(
    id="prod_1", handle="tee", title="Tee", description="Plain", metadata=content_metadata(DOC)
)


def _classify(doc: ProductContent, *products: Product) -> Verdict:
    marks = {p.id: Mark.of(p) for p in products}
    by_handle = {p.handle: p.id for p in products if p.handle}
    return classify(doc, marks, by_handle, config=CONFIG)


def test_the_ownership_table_drives_both_sides() -> None:
    assert set(medusa_owned_fields(PRODUCT)) == set(MEDUSA_OWNED_CONTENT_FIELDS)
    assert content_owned_fields(DOC) == medusa_owned_fields(PRODUCT)


def test_a_matching_pair_is_in_sync_and_writes_nothing() -> None:
    verdict = _classify(DOC, PRODUCT)
    assert (verdict.status, verdict.product_id, verdict.patch) == ("in_sync", "prod_1", None)


def test_owned_field_drift_asks_for_the_product_and_metadata_drift_gets_its_patch() -> None:
    renamed = DOC.model_copy(update={"title": "Hacked"})
    verdict = _classify(renamed, PRODUCT)
    assert (verdict.status, verdict.owned_stale, verdict.patch) == ("drifted", True, None)
    bare = PRODUCT.model_copy(update={"metadata": {}})
    verdict = _classify(DOC, bare)
    assert (verdict.status, verdict.owned_stale) == ("drifted", False)
    assert isinstance(verdict.patch, MetadataPatch)
    assert verdict.patch.set == content_metadata(DOC)


def test_a_second_doc_for_a_seen_product_is_a_conflict() -> None:
    mark = Mark.of(PRODUCT)
    mark.seen = True
    verdict = classify(DOC, {"prod_1": mark}, {"tee": "prod_1"}, config=CONFIG)
    assert verdict.status == "conflict" and verdict.patch is None


def test_docs_without_a_product() -> None:
    copy_first = DOC.model_copy(update={"medusa_product_id": None, "handle": "soon"})
    assert _classify(copy_first, PRODUCT).status == "unpaired"
    orphan = DOC.model_copy(update={"medusa_product_id": "prod_gone", "handle": "gone"})
    verdict = _classify(orphan, PRODUCT)
    assert (verdict.status, verdict.product_id) == ("orphaned", "prod_gone")
    assert verdict.patch == DocPatch("product-content", 7, {"archived": True})
    archived = orphan.model_copy(update={"archived": True})
    assert _classify(archived, PRODUCT).status == "ignored"


def test_an_orphan_gives_up_a_handle_a_live_product_holds() -> None:
    archived = DOC.model_copy(update={"medusa_product_id": "prod_gone", "archived": True})
    verdict = _classify(archived, PRODUCT.model_copy(update={"id": "prod_new"}))
    assert verdict.status == "orphaned"
    assert verdict.patch == DocPatch("product-content", 7, {"handle": "tee--archived-7"})
    assert verdict.note == "handle 'tee' released for product prod_new"
    live = archived.model_copy(update={"archived": False})
    verdict = _classify(live, PRODUCT.model_copy(update={"id": "prod_new"}))
    assert verdict.patch == DocPatch(
        "product-content", 7, {"archived": True, "handle": "tee--archived-7"}
    )
