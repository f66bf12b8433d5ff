"""Localized fields (Payload 3.90) and the Medusa locale header, held for fake and real alike."""

from __future__ import annotations

from typing import Any

from medusa_payload.payload.models import ProductContent
from tests.contract.conftest import Target


def _tee(target: Target, handle: str) -> dict[str, Any]:
    doc = target.create_doc(
        "product-content",
        {"handle": handle, "title": "Tee", "description": "English", "seo": {"title": "Tee SEO"}},
    )
    r = target.payload_http.patch(
        f"/api/product-content/{doc['id']}?locale=fr",
        json={"title": "Tee FR", "seo": {"title": "Tee SEO FR"}},
        headers=target.payload_headers,
    )
    assert r.status_code == 200, r.text
    assert r.json()["doc"]["title"] == "Tee FR"
    return doc


def _get(target: Target, doc_id: int, query: str) -> dict[str, Any]:
    r = target.payload_http.get(f"/api/product-content/{doc_id}?depth=0&{query}")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_each_locale_reads_its_own_copy(target: Target) -> None:
    doc = _tee(target, target.unique("c-loc"))
    en, fr = _get(target, doc["id"], "locale=en"), _get(target, doc["id"], "locale=fr")
    assert (en["title"], en["seo"]["title"]) == ("Tee", "Tee SEO")
    assert (fr["title"], fr["seo"]["title"]) == ("Tee FR", "Tee SEO FR")
    assert _get(target, doc["id"], "")["title"] == "Tee"  # no locale: the default one


def test_missing_translation_falls_back_unless_told_not_to(target: Target) -> None:
    doc = _tee(target, target.unique("c-fb"))
    fr = _get(target, doc["id"], "locale=fr")
    assert fr["description"] == "English"  # fallback to the default locale
    strict = _get(target, doc["id"], "locale=fr&fallback-locale=none")
    assert strict["title"] == "Tee FR"
    assert strict["description"] is None
    de = _get(target, doc["id"], "locale=de&fallback-locale=fr")
    assert de["title"] == "Tee FR"
    # Non-localized fields are the same in every locale.
    assert fr["handle"] == strict["handle"] == de["handle"] == doc["handle"]


def test_locale_all_answers_a_map_per_localized_field(target: Target) -> None:
    doc = _tee(target, target.unique("c-all"))
    body = _get(target, doc["id"], "locale=all")
    assert body["title"] == {"en": "Tee", "fr": "Tee FR"}
    assert body["description"] == {"en": "English", "fr": None}  # a locale row per write
    assert body["seo"]["title"] == {"en": "Tee SEO", "fr": "Tee SEO FR"}
    assert body["handle"] == doc["handle"]


def test_where_matches_in_the_asked_locale(target: Target) -> None:
    handle = target.unique("c-wh")
    _tee(target, handle)
    found = target.payload.find(
        "product-content",
        where={"and": [{"title": {"equals": "Tee FR"}}, {"handle": {"equals": handle}}]},
        locale="fr",
        model=ProductContent,
    )
    assert [d.handle for d in found.items] == [handle]
    none = target.payload.find(
        "product-content",
        where={"and": [{"title": {"equals": "Tee FR"}}, {"handle": {"equals": handle}}]},
        locale="en",
    )
    assert none.items == []


def test_sdk_locale_and_fallback_arguments(target: Target) -> None:
    doc = _tee(target, target.unique("c-sdk"))
    fr = target.payload.find_by_id("product-content", doc["id"], locale="fr", model=ProductContent)
    assert fr.title == "Tee FR"
    strict = target.payload.find_by_id(
        "product-content", doc["id"], locale="fr", fallback_locale="none", model=ProductContent
    )
    assert (strict.title, strict.description) == ("Tee FR", None)
    every = target.payload.find(
        "product-content", where={"handle": {"equals": doc["handle"]}}, locale="all", depth=0
    )
    assert (every.items[0].model_extra or {})["title"] == {"en": "Tee", "fr": "Tee FR"}


def test_medusa_locale_header_leaves_products_as_stored_without_translations(
    target: Target,
) -> None:
    """Medusa 2.21 reads ``x-medusa-locale`` (and ``?locale=``) on every store route; with its
    translation module off (the default: feature flag ``translation``) the answer is the same."""
    product = target.create_product(
        handle=target.unique("c-mloc"), title="Loc Product", status="published"
    )
    plain = target.medusa.store.products.retrieve_by_handle(product["handle"])
    french = target.medusa.store.products.retrieve_by_handle(product["handle"], locale="fr-FR")
    assert french.title == plain.title == "Loc Product"
    r = target.medusa_http.get(
        f"/store/products?handle={product['handle']}&locale=fr-FR", headers=target.store_headers
    )
    assert r.status_code == 200
    assert r.json()["products"][0]["title"] == "Loc Product"


def test_a_locale_without_its_required_fields_cannot_be_written(target: Target) -> None:
    """Payload validates a write in a locale against that locale's own values: a first write
    in ``de`` must carry the required ``title``."""
    doc = _tee(target, target.unique("c-req"))
    r = target.payload_http.patch(
        f"/api/product-content/{doc['id']}?locale=de",
        json={"seo": {"title": "SEO DE"}},
        headers=target.payload_headers,
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["data"]["errors"][0]["path"] == "title"
    german = _get(target, doc["id"], "locale=de&fallback-locale=none")
    # Never written in German: Payload leaves its localized fields out.
    assert "title" not in german and "title" not in german["seo"]
    assert german["handle"] == doc["handle"]
