"""Which sync job an event starts (pure), and the queue dedup key of that job.

| event | job | data |
|---|---|---|
| ``product.created`` / ``product.updated`` | ``sync.product_to_payload`` | ``{"product_id"}`` |
| ``product.deleted`` | ``sync.product_deleted`` | ``{"product_id"}`` |
| ``order.placed`` / ``order.completed`` | ``sync.order_audit`` | ``{"order_id", "event"}`` |
| ``inventory.low`` | ``notify.inventory_low`` | ``{"inventory_item_id", other *_id}`` |
| ``vendor.created|updated|approved`` | ``sync.vendor_to_payload`` | ``{"vendor_id"}`` |
| ``tenant.created|updated`` | ``sync.tenant_to_payload`` | ``{"tenant_id"}`` |
| ``product-content.*`` | ``sync.content_to_medusa`` | ``{"content_id"}`` (+ ``product_id``) |
| ``pages.*`` | ``sync.page_to_medusa`` | ``{"page_id"}`` |
| ``stores.*`` | ``sync.store_to_medusa`` | ``{"store_id"}`` |

A Payload change starts a job when the doc is published now, **or** was published before (an
unpublish must remove what was synced), **or** is deleted, **or** its collection has no publish
state (``status`` is ``None``). A draft save of a never-published doc starts nothing: drafts never
leave Payload. Unknown event names, collections and operations start nothing either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import attrs

from medusa_payload import _jobs

from ._events import MedusaEvent, PayloadEvent, WebhookEvent

__all__ = ["Ignore", "JobRoute", "dedup_key", "route_event"]

_MEDUSA_JOBS = {
    "product.created": _jobs.PRODUCT_TO_PAYLOAD,
    "product.updated": _jobs.PRODUCT_TO_PAYLOAD,
    "product.deleted": _jobs.PRODUCT_DELETED,
    "order.placed": _jobs.ORDER_AUDIT,
    "order.completed": _jobs.ORDER_AUDIT,
    "inventory.low": _jobs.INVENTORY_LOW,
    "vendor.created": _jobs.VENDOR_TO_PAYLOAD,
    "vendor.updated": _jobs.VENDOR_TO_PAYLOAD,
    "vendor.approved": _jobs.VENDOR_TO_PAYLOAD,
    "tenant.created": _jobs.TENANT_TO_PAYLOAD,
    "tenant.updated": _jobs.TENANT_TO_PAYLOAD,
}

_PAYLOAD_JOBS = {
    "product-content": (_jobs.CONTENT_TO_MEDUSA, "content_id"),
    "pages": (_jobs.PAGE_TO_MEDUSA, "page_id"),
    "stores": (_jobs.STORE_TO_MEDUSA, "store_id"),
}


@attrs.frozen
class JobRoute:
    """The job an event starts: its name (from `medusa_payload._jobs`) and its ids-only data."""

    name: str
    data: Mapping[str, str]


@attrs.frozen
class Ignore:
    """An event that starts no job, and why (``"ignored: draft"``, ``"ignored: unknown ..."``)."""

    reason: str


def _route_medusa(event: MedusaEvent) -> JobRoute | Ignore:
    job = _MEDUSA_JOBS.get(event.name)
    if job is None:
        return Ignore(f"ignored: unknown event {event.name!r}")
    data: dict[str, str] = dict(event.ids)
    if job == _jobs.ORDER_AUDIT:
        data["event"] = event.name
    return JobRoute(job, data)


def _route_payload(event: PayloadEvent) -> JobRoute | Ignore:
    target = _PAYLOAD_JOBS.get(event.collection)
    if target is None:
        return Ignore(f"ignored: unknown collection {event.collection!r}")
    if not event.known:
        return Ignore(f"ignored: unknown operation {event.operation!r}")
    if event.operation != "delete" and event.is_draft and not event.was_published:
        return Ignore("ignored: draft")
    job, key = target
    data = {key: event.doc_id}
    product_id = event.ids.get("product_id")
    if job == _jobs.CONTENT_TO_MEDUSA and product_id:
        # Names the product even once the doc is deleted, so its metadata can be removed.
        data["product_id"] = product_id
    return JobRoute(job, data)


def route_event(event: WebhookEvent) -> JobRoute | Ignore:
    """The job ``event`` starts, or why it starts none. Pure: no I/O, no clock."""
    if isinstance(event, MedusaEvent):
        return _route_medusa(event)
    return _route_payload(event)


def _state(event: WebhookEvent) -> list[str | None]:
    if isinstance(event, PayloadEvent):
        return [event.operation, event.status, event.previous_status]
    return []


def _canonical(parts: list[str | None]) -> bytes:
    """Length-prefixed parts: no two different part lists give the same bytes."""
    return "".join("-" if p is None else f"{len(p)}:{p}" for p in parts).encode(
        "utf-8", "surrogatepass"
    )


def dedup_key(event: WebhookEvent, route: JobRoute, webhook_id: str) -> str:
    """The queue dedup key of one delivery's job.

    A SHA-256 over the source, the ``webhook-id``, the event name, the job name and data, and
    (for Payload) the operation and publish states. The ``webhook-id`` is the same on every retry
    of one event and different for every new event, so:

    - a sender retry (or a concurrent double delivery, or a retry landing on another receiver
      process that shares the queue) is a duplicate and is not enqueued twice;
    - two genuinely different changes of one record are two events with two ids: both are
      enqueued. Coalescing them by content alone would be unsafe, because the queue keeps
      answering "duplicate" for its whole dedup window, even after the first job ran, so a
      second edit made a minute later would never be synced.

    The event and job parts (the "payload hash") make a key match only the same job of the same
    delivery: where the replay store does not see every delivery (one in-memory store per
    process), a sender that reused a ``webhook-id`` for a different event still gets its job.
    """
    data = [str(item) for pair in sorted(route.data.items()) for item in pair]
    parts = [event.source, webhook_id, event.name, route.name, str(len(data)), *data]
    digest = hashlib.sha256(_canonical([*parts, *_state(event)])).hexdigest()
    return f"webhook:{event.source}:{digest}"
