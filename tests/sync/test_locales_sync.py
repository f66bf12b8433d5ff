"""Localized content reaches Medusa per locale; reconcile covers every configured locale."""

from __future__ import annotations

from typing import Any

from medusa_payload.payload.models import ProductContent
from medusa_payload.sync import SyncConfig, reconcile, sync_content_to_medusa
from medusa_payload.sync.plans import localized_entries, plan_content_to_metadata
from medusa_payload.testing import seed_locales
from tests.helpers import resolve
from tests.sync.conftest import Pair

CONFIG = SyncConfig(locales=("en", "fr", "de"))


def _writes(pair: Pair) -> int:
    return sum(n for route, n in pair.medusa_fake.counts().items() if not route.startswith("GET"))


async def _sync(pair: Pair, doc_id: int) -> Any:
    return await resolve(
        sync_content_to_medusa(doc_id, medusa=pair.medusa, payload=pair.payload, config=CONFIG)
    )


def test_entries_hold_each_locales_own_values_only() -> None:
    doc = {
        "id": 1,
        "handle": "tee",
        "title": {"en": "Tee", "fr": "Tee FR", "de": None},
        "description": {"en": "Plain", "fr": ""},
        "seo": {"title": {"en": "S", "fr": "S FR"}, "keywords": "a,b"},
        "features": [{"title": "x"}],
    }
    assert localized_entries(doc, ("en", "fr", "de"), "en") == {
        "payload_content_fr": {"title": "Tee FR", "seo": {"title": "S FR"}}
    }


def test_plan_removes_a_locale_that_lost_its_translations() -> None:
    content = ProductContent.model_validate(
        {"id": 1, "handle": "tee", "title": "Tee", "status": "published"}
    )
    current = {"payload_content_de": {"title": "Alt"}, "other": 1}
    patch = plan_content_to_metadata(content, "prod_1", current, {})
    assert patch is not None
    assert patch.delete == ("payload_content_de",)
    assert "other" not in patch.delete


async def test_each_locale_goes_to_its_own_key_and_a_second_run_writes_nothing(
    pair: Pair,
) -> None:
    seed_locales(pair.medusa_fake, pair.payload_fake)
    tee = pair.content("live-tee")
    result = await _sync(pair, tee["id"])
    assert result.action == "metadata_set"
    assert "payload_content_fr" in result.fields
    metadata = pair.metadata("live-tee")
    assert metadata["payload_content_fr"] == {
        "title": "Tee en direct",
        "description": "Tee en direct, description simple",
        "seo": {"title": "Tee en direct | Acme"},
    }
    assert "payload_content_de" not in metadata  # nothing translated: English, by fallback
    assert metadata["seo"]["title"] == "Live Tee | Acme"
    before = _writes(pair)
    again = await _sync(pair, tee["id"])
    assert again.action == "no_change"
    assert _writes(pair) == before


async def test_an_edit_in_one_locale_changes_only_that_locale(pair: Pair) -> None:
    seed_locales(pair.medusa_fake, pair.payload_fake)
    tee = pair.content("live-tee")
    await _sync(pair, tee["id"])
    await resolve(
        pair.payload.update_by_id(
            "product-content", tee["id"], {"seo": {"title": "Tee FR 2"}}, locale="fr"
        )
    )
    before = len(pair.medusa_fake.requests)
    await _sync(pair, tee["id"])
    writes = [r for r in pair.medusa_fake.requests[before:] if r.method == "POST"]
    assert len(writes) == 1
    assert set(writes[0].json()["metadata"]) == {"payload_content_fr"}
    assert pair.metadata("live-tee")["payload_content_fr"]["seo"] == {"title": "Tee FR 2"}
    assert pair.metadata("live-tee")["seo"]["title"] == "Live Tee | Acme"  # English untouched


async def test_reconcile_reports_drift_per_locale_and_repairs_it(pair: Pair) -> None:
    seed_locales(pair.medusa_fake, pair.payload_fake)
    first = await resolve(reconcile(pair.medusa, pair.payload, config=CONFIG))
    assert first.errors == 0, first.to_json()
    tee_id = pair.ids["products"]["live-tee"]
    assert pair.metadata("live-tee")["payload_content_fr"]["title"] == "Tee en direct"
    await resolve(
        pair.medusa.admin.products.update_metadata(tee_id, {"payload_content_fr": {"title": "x"}})
    )
    dry = await resolve(reconcile(pair.medusa, pair.payload, config=CONFIG, dry_run=True))
    drifted = [i for i in dry.items if i.status == "drifted" and i.product_id == tee_id]
    assert [i.fields for i in drifted] == [["payload_content_fr"]]
    fixed = await resolve(reconcile(pair.medusa, pair.payload, config=CONFIG))
    assert fixed.errors == 0
    assert pair.metadata("live-tee")["payload_content_fr"]["title"] == "Tee en direct"
    calm = await resolve(reconcile(pair.medusa, pair.payload, config=CONFIG, dry_run=True))
    assert not [i for i in calm.items if i.status == "drifted"], calm.to_json()
