"""Reconciliation: classify, repair, report; bounded reads; dry runs write nothing."""

from __future__ import annotations

import json
import math

from medusa_payload.sync import reconcile
from tests.helpers import fakes_state, resolve
from tests.sync.conftest import Pair


def _writes(pair: Pair) -> int:
    medusa = sum(n for route, n in pair.medusa_fake.counts().items() if not route.startswith("GET"))
    payload = sum(
        n for route, n in pair.payload_fake.counts().items() if not route.startswith("GET")
    )
    return medusa + payload


async def _converge(pair: Pair) -> None:
    report = await resolve(reconcile(pair.medusa, pair.payload))
    assert report.errors == 0, report.to_json()


async def test_breaks_on_both_sides_are_repaired_then_all_in_sync(pair: Pair) -> None:
    await _converge(pair)
    tee, hoodie = pair.content("live-tee"), pair.content("live-hoodie")
    plain_id = pair.ids["products"]["live-plain"]
    # Break Payload: an editor renames a Medusa-owned field; the live-plain doc vanishes.
    await resolve(pair.payload.update_by_id("product-content", tee["id"], {"title": "Hacked"}))
    plain = pair.content("live-plain")
    await resolve(pair.payload.delete_by_id("product-content", plain["id"]))
    # Break Medusa: someone edits synced SEO by hand; a product is deleted.
    await resolve(
        pair.medusa.admin.products.update_metadata(pair.ids["products"]["live-tee"], {"seo": None})
    )
    await resolve(pair.medusa.admin.products.delete(pair.ids["products"]["live-hoodie"]))

    before = fakes_state(pair.medusa_fake, pair.payload_fake)
    dry = await resolve(reconcile(pair.medusa, pair.payload, dry_run=True))
    assert fakes_state(pair.medusa_fake, pair.payload_fake) == before  # a dry run writes nothing
    assert dry.writes == 0
    assert (dry.missing, dry.orphaned, dry.drifted) == (1, 1, 1)
    assert not dry.all_in_sync
    by_status = {i.status: i for i in dry.items if i.kind == "product"}
    assert by_status["missing"].product_id == plain_id
    assert by_status["orphaned"].content_id == str(hoodie["id"])
    assert set(by_status["drifted"].fields) >= {"title", "seo"}
    json.loads(dry.to_json())

    fixed = await resolve(reconcile(pair.medusa, pair.payload))
    assert (fixed.missing, fixed.orphaned, fixed.drifted, fixed.errors) == (1, 1, 1, 0)
    assert all(item.applied for item in fixed.items if item.status != "unpaired")
    assert pair.content("live-tee")["title"] == "Live Tee"
    assert pair.metadata("live-tee")["seo"]["title"] == "Live Tee | Acme"
    assert pair.content("live-hoodie")["archived"] is True
    assert pair.content("live-plain")["medusaProductId"] == plain_id

    again = await resolve(reconcile(pair.medusa, pair.payload))
    assert again.all_in_sync, again.to_json()
    assert again.writes == 0
    assert again.unpaired == 1  # live-draft: copy prepared before its product exists


async def test_reads_are_two_per_page_pair_when_nothing_drifts(pair: Pair) -> None:
    for n in range(137):
        product = pair.medusa_fake.add_product(f"Bulk {n}", handle=f"bulk-{n}")
        pair.payload_fake.add_product_content(
            f"bulk-{n}",
            f"Bulk {n}",
            medusa_product_id=product["id"],
            description=None,
            status="draft",
        )
    await _converge(pair)
    pair.medusa_fake.reset_requests()
    pair.payload_fake.reset_requests()
    report = await resolve(reconcile(pair.medusa, pair.payload, scope=("products",), page_size=25))
    assert report.all_in_sync, report.summary()
    products = pair.medusa_fake.count("GET /admin/products")
    contents = pair.payload_fake.count("GET /api/product-content")
    assert products == math.ceil(140 / 25)
    assert contents == math.ceil(141 / 25)  # + live-draft
    assert report.reads == products + contents
    assert _writes(pair) == 0


async def test_branding_entries_of_deleted_stores_are_removed(pair: Pair) -> None:
    await _converge(pair)
    extra = pair.payload_fake.add_store(
        "gone", "Gone Store", sales_channel_id=pair.medusa_fake.sales_channel_id
    )
    await _converge(pair)
    cms = pair.medusa_fake.sales_channels[pair.medusa_fake.sales_channel_id]["metadata"][
        "payload_cms"
    ]
    assert set(cms["stores"]) == {"acme", "gone"}
    await resolve(pair.payload.delete_by_id("stores", extra["id"]))
    report = await resolve(reconcile(pair.medusa, pair.payload, scope=("stores",)))
    assert report.orphaned == 1
    cms = pair.medusa_fake.sales_channels[pair.medusa_fake.sales_channel_id]["metadata"][
        "payload_cms"
    ]
    assert set(cms["stores"]) == {"acme"}
    assert (await resolve(reconcile(pair.medusa, pair.payload))).all_in_sync


async def test_an_orphan_holding_a_live_products_handle_gives_it_up_and_keeps_its_copy(
    pair: Pair,
) -> None:
    """Issue 12: a product whose handle an orphan content doc holds (archived or not) failed
    with a unique-handle error on every run. The orphan now gives up its handle; editors' copy
    stays on it (archived), and the product gets its own draft."""
    await _converge(pair)
    archived = pair.payload_fake.add_product_content(
        "reborn", medusa_product_id="prod_deleted_long_ago", archived=True, seo={"title": "Old"}
    )
    pending = pair.payload_fake.add_product_content(
        "relaunch", medusa_product_id="prod_deleted_just_now", seo={"title": "Keep me"}
    )
    reborn = pair.medusa_fake.add_product("Reborn", handle="reborn")
    relaunch = pair.medusa_fake.add_product("Relaunch", handle="relaunch")

    dry = await resolve(reconcile(pair.medusa, pair.payload, dry_run=True))
    assert (dry.orphaned, dry.missing, dry.errors, dry.writes) == (2, 2, 0, 0)
    assert pair.content("reborn")["id"] == archived["id"]  # nothing written

    report = await resolve(reconcile(pair.medusa, pair.payload))
    assert (report.orphaned, report.missing, report.errors) == (2, 2, 0), report.to_json()
    released = {i.content_id: i for i in report.items if i.status == "orphaned"}
    assert (
        released[str(archived["id"])].note == f"handle 'reborn' released for product {reborn['id']}"
    )
    assert released[str(archived["id"])].fields == ["handle"]
    assert released[str(pending["id"])].fields == ["archived", "handle"]
    old = pair.payload_fake.get("product-content", archived["id"])
    assert old is not None
    assert (old["handle"], old["archived"], old["seo"]["title"]) == (
        f"reborn--archived-{archived['id']}",
        True,
        "Old",
    )
    old = pair.payload_fake.get("product-content", pending["id"])
    assert old is not None
    assert (old["archived"], old["seo"]["title"]) == (True, "Keep me")
    for product in (reborn, relaunch):
        fresh = pair.content(product["handle"])
        assert (fresh["medusaProductId"], fresh["status"]) == (product["id"], "draft")
    assert (await resolve(reconcile(pair.medusa, pair.payload))).all_in_sync


async def test_an_archived_orphan_in_nobodys_way_is_left_alone(pair: Pair) -> None:
    await _converge(pair)
    pair.payload_fake.add_product_content(
        "gone-for-good", medusa_product_id="prod_x", archived=True
    )
    report = await resolve(reconcile(pair.medusa, pair.payload))
    assert report.all_in_sync and report.writes == 0, report.to_json()
    assert pair.content("gone-for-good")["handle"] == "gone-for-good"
