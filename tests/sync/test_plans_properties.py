"""Property tests of the pure plans: idempotence, ownership, no ping-pong."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from medusa_payload.medusa.models import Product
from medusa_payload.payload.models import CmsPage, ProductContent, Store
from medusa_payload.sync import (
    CONTENT_KEYS,
    MetadataOwner,
    apply_doc_patch,
    apply_metadata_patch,
    plan_content_to_metadata,
    plan_page_to_metadata,
    plan_product_deleted,
    plan_product_to_content,
    plan_store_to_metadata,
)

MEDUSA_WRITABLE = {"medusaProductId", "handle", "title", "description", "status", "archived"}
PAYLOAD_OWNED = {"richDescription", "features", "specs", "seo"}

text = st.text(max_size=12)
maybe_text = st.none() | text
products = st.builds(
    Product,
    id=st.sampled_from(["prod_a", "prod_b"]),
    handle=st.sampled_from(["tee", "hoodie", "t é/x"]),
    title=text,
    description=maybe_text,
)
features = st.lists(st.fixed_dictionaries({"title": text, "description": maybe_text}), max_size=3)
specs = st.lists(st.fixed_dictionaries({"key": text, "value": maybe_text}), max_size=3)
seo = st.none() | st.fixed_dictionaries(
    {"title": maybe_text, "description": maybe_text, "keywords": maybe_text}
)
content_docs = st.fixed_dictionaries(
    {
        "id": st.integers(1, 5),
        "medusaProductId": st.none() | st.sampled_from(["prod_a", "prod_b"]),
        "handle": st.sampled_from(["tee", "hoodie", "t é/x"]),
        "title": text,
        "description": maybe_text,
        "richDescription": st.none() | st.just({"root": {"children": []}}),
        "features": features,
        "specs": specs,
        "seo": seo,
        "status": st.sampled_from(["draft", "published"]),
        "archived": st.booleans(),
    }
)
metadata = st.dictionaries(
    st.sampled_from([*CONTENT_KEYS, "source", "other"]),
    st.none() | text | st.integers() | st.lists(text, max_size=2),
    max_size=6,
)


def doc(data: dict[str, Any]) -> ProductContent:
    return ProductContent.model_validate(data)


@given(products, st.none() | content_docs)
def test_product_plan_is_idempotent_and_only_writes_medusa_fields(
    product: Product, current: dict[str, Any] | None
) -> None:
    content = doc(current) if current else None
    patch = plan_product_to_content(product, content)
    if patch is None:
        return
    assert set(patch.data) <= MEDUSA_WRITABLE
    assert not set(patch.data) & PAYLOAD_OWNED
    if content is not None:
        assert "status" not in patch.data  # editors publish; Medusa never does
    after = doc(apply_doc_patch(current or {"id": 99}, patch))
    assert plan_product_to_content(product, after) is None
    if current is not None:
        for field in PAYLOAD_OWNED | {"status"}:
            assert after.model_dump(by_alias=True).get(field) == doc(current).model_dump(
                by_alias=True
            ).get(field)


@given(content_docs)
def test_delete_plan_archives_once_and_never_deletes(current: dict[str, Any]) -> None:
    patch = plan_product_deleted(doc(current))
    if current["archived"]:
        assert patch is None
        return
    assert patch is not None
    assert dict(patch.data) == {"archived": True}
    assert plan_product_deleted(doc(apply_doc_patch(current, patch))) is None


@given(st.none() | content_docs, metadata)
def test_content_plan_is_idempotent_and_keeps_other_keys(
    current: dict[str, Any] | None, meta: dict[str, Any]
) -> None:
    content = doc(current) if current else None
    patch = plan_content_to_metadata(content, "prod_a", meta)
    if patch is None:
        return
    assert set(patch.set) | set(patch.delete) <= set(CONTENT_KEYS)
    after = apply_metadata_patch(meta, patch)
    for key, value in meta.items():
        if key not in CONTENT_KEYS:
            assert after[key] == value  # Medusa's own keys untouched
    assert plan_content_to_metadata(content, "prod_a", after) is None


@given(products, content_docs, metadata)
@settings(max_examples=300)
def test_no_ping_pong(product: Product, current: dict[str, Any], meta: dict[str, Any]) -> None:
    """Run both directions to a fixed point; then our own writes, coming back as events,
    plan nothing in either direction."""
    current = {**current, "medusaProductId": product.id}
    content = doc(current)
    to_payload = plan_product_to_content(product, content)
    if to_payload is not None:
        content = doc(apply_doc_patch(current, to_payload))
    to_medusa = plan_content_to_metadata(content, product.id, meta)
    synced_meta = apply_metadata_patch(meta, to_medusa) if to_medusa else meta
    echoed_product = product.model_copy(update={"metadata": synced_meta})
    # product.updated (our metadata write) -> content plan: nothing.
    assert plan_product_to_content(echoed_product, content) is None
    # product-content.update (our Medusa-field write) -> metadata plan: nothing.
    assert plan_content_to_metadata(content, product.id, synced_meta) is None


@given(
    st.fixed_dictionaries(
        {
            "id": st.integers(1, 3),
            "handle": st.sampled_from(["acme", "beta"]),
            "name": text,
            "tenant": maybe_text,
            "branding": st.none()
            | st.fixed_dictionaries({"logo": maybe_text, "primaryColor": maybe_text}),
        }
    ),
    st.none() | st.dictionaries(st.sampled_from(["stores", "pages"]), st.just({})),
)
def test_store_plan_is_idempotent(store: dict[str, Any], cms: dict[str, Any] | None) -> None:
    owner = MetadataOwner("sales_channel", "sc_1")
    patch = plan_store_to_metadata(Store.model_validate(store), owner, cms)
    assert patch is not None
    assert set(patch.set) == {"payload_cms"}
    after = apply_metadata_patch({"payload_cms": cms} if cms is not None else {}, patch)
    assert plan_store_to_metadata(Store.model_validate(store), owner, after["payload_cms"]) is None


@given(st.sampled_from(["draft", "published"]), st.sampled_from(["draft", "published"]))
def test_page_publish_then_unpublish(first: str, second: str) -> None:
    owner = MetadataOwner("store", "store_1")
    page = {"id": 1, "slug": "about", "title": "About", "tenant": "acme", "status": first}
    meta: dict[str, Any] = {}
    for status in (first, second):
        current = CmsPage.model_validate({**page, "status": status})
        patch = plan_page_to_metadata(current, owner, meta.get("payload_cms"))
        if patch is not None:
            meta = apply_metadata_patch(meta, patch)
        assert plan_page_to_metadata(current, owner, meta.get("payload_cms")) is None
        pages = (meta.get("payload_cms") or {}).get("pages") or {}
        assert ("about@acme" in pages) is (status == "published")
