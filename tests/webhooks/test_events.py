"""Typed events: the contract's bodies, the recorded live deliveries, and refused shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medusa_payload.webhooks import (
    MEDUSA_EVENTS,
    MedusaEvent,
    PayloadEvent,
    WebhookPayloadError,
    parse_event,
    parse_medusa_event,
    parse_payload_event,
)
from tests.webhooks.helpers import medusa_body, payload_body

SAMPLES = Path(__file__).parents[1] / "live" / "stack" / "samples"

CONTRACT_MEDUSA = b"""{"event": "product.updated", "data": {"id": "prod_01"},
 "metadata": {"eventGroupId": "g1", "created_at": "2026-11-23T22:57:27.080Z"},
 "sent_at": "2026-11-23T22:57:27.094Z"}"""

CONTRACT_PAYLOAD = b"""{"event": "product-content.update", "collection": "product-content",
 "operation": "update", "id": "12", "status": "published", "previous_status": "draft",
 "doc": {"id": 12, "handle": "live-tee", "medusaProductId": "prod_01"},
 "sent_at": "2026-11-23T22:57:27.094Z"}"""


def test_contract_medusa_body() -> None:
    event = parse_medusa_event(CONTRACT_MEDUSA)
    assert isinstance(event, MedusaEvent)
    assert (event.source, event.name, event.entity_id) == ("medusa", "product.updated", "prod_01")
    assert (event.resource, event.action, event.known) == ("product", "updated", True)
    assert event.ids == {"product_id": "prod_01"}
    assert event.metadata == {"eventGroupId": "g1", "created_at": "2026-11-23T22:57:27.080Z"}
    assert event.sent_at == "2026-11-23T22:57:27.094Z"
    assert (event.collection, event.handle, event.slug) == (None, None, None)


def test_recorded_live_medusa_bodies_parse() -> None:
    lines = (SAMPLES / "medusa_webhook_deliveries.jsonl").read_text().splitlines()
    assert lines
    for line in lines:
        event = parse_medusa_event(json.dumps(json.loads(line)["body"]).encode())
        assert event.known
        assert event.entity_id.startswith("prod_")


def test_contract_payload_body() -> None:
    event = parse_payload_event(CONTRACT_PAYLOAD)
    assert isinstance(event, PayloadEvent)
    assert (event.source, event.name, event.collection) == (
        "payload",
        "product-content.update",
        "product-content",
    )
    assert (event.operation, event.doc_id, event.status, event.previous_status) == (
        "update",
        "12",
        "published",
        "draft",
    )
    assert (event.published, event.was_published, event.is_draft, event.known) == (
        True,
        False,
        False,
        True,
    )
    assert event.ids == {"content_id": "12", "product_id": "prod_01"}
    assert event.handle == "live-tee"


def test_payload_ids_handle_and_slug_per_collection() -> None:
    page = parse_payload_event(payload_body("pages", doc_id=5, slug="about"))
    store = parse_payload_event(payload_body("stores", doc_id="s1", status=None, handle="acme"))
    other = parse_payload_event(payload_body("media", doc_id=9))
    assert (page.ids, page.slug, page.doc_id) == ({"page_id": "5"}, "about", "5")
    assert (store.ids, store.handle, store.is_draft) == ({"store_id": "s1"}, "acme", False)
    assert (other.ids, other.known) == ({"doc_id": "9"}, False)


def test_payload_event_name_defaults_from_collection_and_operation() -> None:
    body = json.loads(payload_body())
    del body["event"]
    assert parse_payload_event(body).name == "product-content.update"


def test_inventory_low_keeps_other_ids() -> None:
    body = medusa_body("inventory.low", "iitem_1")
    data = json.loads(body)
    data["data"].update(location_id="sloc_1", stocked_quantity=2, handle="tee")
    event = parse_medusa_event(data)
    assert event.ids == {"inventory_item_id": "iitem_1", "location_id": "sloc_1"}
    assert event.handle == "tee"


def test_unknown_names_still_parse() -> None:
    event = parse_medusa_event(medusa_body("cart.created", "cart_1"))
    assert not event.known
    assert event.ids == {"cart_id": "cart_1"}
    assert "cart.created" not in MEDUSA_EVENTS


def test_new_fields_never_break_parsing() -> None:
    event = parse_medusa_event(medusa_body(future_field={"a": 1}, source="x"))
    assert event.model_extra == {"future_field": {"a": 1}, "source": "x"}
    assert event.source == "medusa"


def test_parse_event_dispatches_on_source() -> None:
    assert isinstance(parse_event("medusa", CONTRACT_MEDUSA), MedusaEvent)
    assert isinstance(parse_event("payload", CONTRACT_PAYLOAD), PayloadEvent)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\xff\xfe{}", "body is not UTF-8"),
        ('{"event": "é"}'.encode("utf-16"), "body is not UTF-8"),
        (b"", "body is not valid JSON"),
        (b"{", "body is not valid JSON"),
        (b'{"a": NaN}', "body is not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "body is not valid JSON"),
        (b"\xef\xbb\xbf{}", "body is not valid JSON"),
        (b"[]", "body is not a JSON object"),
        (b'"product.updated"', "body is not a JSON object"),
        (b"null", "body is not a JSON object"),
    ],
)
def test_bodies_that_are_not_json_objects_are_400(body: bytes, reason: str) -> None:
    for parse in (parse_medusa_event, parse_payload_event):
        with pytest.raises(WebhookPayloadError) as info:
            parse(body)
        assert (info.value.status, info.value.reason) == (400, reason)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({}, "event"),
        ({"event": "product.updated"}, "data"),
        ({"event": "product.updated", "data": {}}, "data.id"),
        ({"event": "product.updated", "data": {"id": 5}}, "data.id"),
        ({"event": "product.updated", "data": {"id": ""}}, "data.id"),
        ({"event": "product.updated", "data": "prod_1"}, "data"),
        ({"event": 3, "data": {"id": "p"}}, "event"),
        ({"event": "", "data": {"id": "p"}}, "event"),
        ({"event": "x" * 300, "data": {"id": "p"}}, "event"),
        ({"event": "product.updated", "data": {"id": "p"}, "metadata": []}, "metadata"),
    ],
)
def test_invalid_medusa_events_are_422(body: dict[str, Any], where: str) -> None:
    with pytest.raises(WebhookPayloadError) as info:
        parse_medusa_event(json.dumps(body).encode())
    assert info.value.status == 422
    assert info.value.reason.startswith(f"invalid medusa event: {where}")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"collection": None}, "collection"),
        ({"operation": 7}, "operation"),
        ({"id": None}, "id"),
        ({"id": True}, "id"),
        ({"id": ""}, "id"),
        ({"id": 1.5}, "id"),
        ({"event": "pages.update"}, "body"),
        ({"status": 1}, "status"),
        ({"doc": "12"}, "doc"),
    ],
)
def test_invalid_payload_events_are_422(change: dict[str, Any], where: str) -> None:
    body = {**json.loads(payload_body()), **change}
    with pytest.raises(WebhookPayloadError) as info:
        parse_payload_event(json.dumps(body).encode())
    assert info.value.status == 422
    assert info.value.reason.startswith(f"invalid payload event: {where}")


def test_reason_does_not_echo_the_input() -> None:
    with pytest.raises(WebhookPayloadError) as info:
        parse_medusa_event(json.dumps({"event": "product.updated", "data": {"id": 123456789}}))
    assert "123456789" not in info.value.reason
