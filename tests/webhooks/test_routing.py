"""Routing (pure) and the dedup key."""

from __future__ import annotations

import pytest

from medusa_payload import _jobs
from medusa_payload.webhooks import (
    MEDUSA_EVENTS,
    Ignore,
    JobRoute,
    dedup_key,
    parse_medusa_event,
    parse_payload_event,
    route_event,
)
from tests.webhooks.helpers import medusa_body, payload_body


@pytest.mark.parametrize(
    ("name", "job", "data"),
    [
        ("product.created", _jobs.PRODUCT_TO_PAYLOAD, {"product_id": "x_1"}),
        ("product.updated", _jobs.PRODUCT_TO_PAYLOAD, {"product_id": "x_1"}),
        ("product.deleted", _jobs.PRODUCT_DELETED, {"product_id": "x_1"}),
        ("order.placed", _jobs.ORDER_AUDIT, {"order_id": "x_1", "event": "order.placed"}),
        ("order.completed", _jobs.ORDER_AUDIT, {"order_id": "x_1", "event": "order.completed"}),
        ("inventory.low", _jobs.INVENTORY_LOW, {"inventory_item_id": "x_1"}),
        ("vendor.created", _jobs.VENDOR_TO_PAYLOAD, {"vendor_id": "x_1"}),
        ("vendor.updated", _jobs.VENDOR_TO_PAYLOAD, {"vendor_id": "x_1"}),
        ("vendor.approved", _jobs.VENDOR_TO_PAYLOAD, {"vendor_id": "x_1"}),
        ("tenant.created", _jobs.TENANT_TO_PAYLOAD, {"tenant_id": "x_1"}),
        ("tenant.updated", _jobs.TENANT_TO_PAYLOAD, {"tenant_id": "x_1"}),
    ],
)
def test_medusa_routes(name: str, job: str, data: dict[str, str]) -> None:
    assert route_event(parse_medusa_event(medusa_body(name, "x_1"))) == JobRoute(job, data)


def test_every_known_medusa_event_is_routed_to_a_known_job() -> None:
    for name in MEDUSA_EVENTS:
        route = route_event(parse_medusa_event(medusa_body(name)))
        assert isinstance(route, JobRoute)
        assert route.name in _jobs.ALL_JOBS


@pytest.mark.parametrize(
    "name", ["cart.created", "product", "product.updated.v2", "PRODUCT.UPDATED"]
)
def test_unknown_medusa_events_are_ignored(name: str) -> None:
    route = route_event(parse_medusa_event(medusa_body(name)))
    assert route == Ignore(f"ignored: unknown event {name!r}")


PUBLISHED, DRAFT = "published", "draft"


@pytest.mark.parametrize(
    ("operation", "status", "previous", "routed"),
    [
        ("create", PUBLISHED, None, True),  # created published
        ("create", DRAFT, None, False),  # created as a draft: drafts never leave Payload
        ("update", DRAFT, DRAFT, False),  # draft save of a never-published doc
        ("update", DRAFT, None, False),
        ("update", PUBLISHED, DRAFT, True),  # publish
        ("update", PUBLISHED, PUBLISHED, True),  # edit of a published doc
        ("update", DRAFT, PUBLISHED, True),  # unpublish: the metadata must be removed
        ("delete", DRAFT, DRAFT, True),  # delete always syncs (the handler removes metadata)
        ("delete", PUBLISHED, PUBLISHED, True),
        ("update", None, None, True),  # a collection without drafts
    ],
)
@pytest.mark.parametrize(
    ("collection", "job", "key"),
    [
        ("product-content", _jobs.CONTENT_TO_MEDUSA, "content_id"),
        ("pages", _jobs.PAGE_TO_MEDUSA, "page_id"),
        ("stores", _jobs.STORE_TO_MEDUSA, "store_id"),
    ],
)
def test_payload_routes(
    collection: str,
    job: str,
    key: str,
    operation: str,
    status: str | None,
    previous: str | None,
    routed: bool,
) -> None:
    event = parse_payload_event(payload_body(collection, operation, 12, status, previous))
    expected = JobRoute(job, {key: "12"}) if routed else Ignore("ignored: draft")
    assert route_event(event) == expected


def test_unknown_payload_collections_and_operations_are_ignored() -> None:
    media = parse_payload_event(payload_body("media"))
    read = parse_payload_event(payload_body("pages", "read"))
    assert route_event(media) == Ignore("ignored: unknown collection 'media'")
    assert route_event(read) == Ignore("ignored: unknown operation 'read'")


def _key(body: bytes, webhook_id: str = "msg_1", *, payload: bool = False) -> str:
    event = parse_payload_event(body) if payload else parse_medusa_event(body)
    route = route_event(event)
    assert isinstance(route, JobRoute)
    return dedup_key(event, route, webhook_id)


def test_dedup_key_is_stable_for_a_retry_even_when_the_body_is_rebuilt() -> None:
    first = _key(medusa_body(sent_at="2026-11-23T22:57:27.094Z"))
    retry = _key(medusa_body(sent_at="2026-11-23T22:58:00.000Z"))
    assert first == retry
    assert first.startswith("webhook:medusa:")
    assert len(first) == len("webhook:medusa:") + 64


def test_dedup_key_differs_for_two_real_changes_of_one_record() -> None:
    assert _key(medusa_body(), "msg_1") != _key(medusa_body(), "msg_2")


def test_dedup_key_differs_for_two_jobs_under_one_reused_id() -> None:
    assert _key(medusa_body("product.created")) != _key(medusa_body("product.updated"))
    assert _key(medusa_body(entity_id="p1")) != _key(medusa_body(entity_id="p2"))
    publish = _key(payload_body(status="published", previous_status="draft"), payload=True)
    unpublish = _key(payload_body(status="draft", previous_status="published"), payload=True)
    assert publish != unpublish


def test_dedup_key_separates_sources() -> None:
    medusa = parse_medusa_event(medusa_body())
    payload = parse_payload_event(payload_body())
    route = JobRoute("same", {"id": "1"})
    assert dedup_key(medusa, route, "m") != dedup_key(payload, route, "m")
