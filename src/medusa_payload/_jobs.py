"""Names of the sync jobs, shared by the webhook router, the worker handlers and the CLI.

A job's ``data`` is a small JSON mapping of ids (never a whole record: the worker fetches the
current state, so a late or repeated job still writes the right thing).

| job name | data | what the handler does |
|---|---|---|
| ``sync.product_to_payload`` | ``{"product_id"}`` | upsert the product's ``product-content`` doc |
| ``sync.product_deleted`` | ``{"product_id"}`` | archive the product's content (never delete it) |
| ``sync.content_to_medusa`` | ``{"content_id", "product_id"?}`` | published content -> product metadata (or remove it) |
| ``sync.page_to_medusa`` | ``{"page_id"}`` | published page -> metadata of its store record |
| ``sync.store_to_medusa`` | ``{"store_id"}`` | store branding -> metadata of its store record |
| ``sync.vendor_to_payload`` | ``{"vendor_id"}`` | upsert the ``vendors`` doc |
| ``sync.tenant_to_payload`` | ``{"tenant_id"}`` | upsert the ``tenants`` doc |
| ``sync.order_audit`` | ``{"order_id", "event"}`` | append one ``order-audit`` record per (order, event) |
| ``notify.inventory_low`` | ``{"inventory_item_id", ...}`` | hand a low-stock signal to the host's handler |
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ALL_JOBS",
    "CONTENT_TO_MEDUSA",
    "INVENTORY_LOW",
    "ORDER_AUDIT",
    "PAGE_TO_MEDUSA",
    "PRODUCT_DELETED",
    "PRODUCT_TO_PAYLOAD",
    "STORE_TO_MEDUSA",
    "TENANT_TO_PAYLOAD",
    "VENDOR_TO_PAYLOAD",
]

PRODUCT_TO_PAYLOAD: Final = "sync.product_to_payload"
PRODUCT_DELETED: Final = "sync.product_deleted"
CONTENT_TO_MEDUSA: Final = "sync.content_to_medusa"
PAGE_TO_MEDUSA: Final = "sync.page_to_medusa"
STORE_TO_MEDUSA: Final = "sync.store_to_medusa"
VENDOR_TO_PAYLOAD: Final = "sync.vendor_to_payload"
TENANT_TO_PAYLOAD: Final = "sync.tenant_to_payload"
ORDER_AUDIT: Final = "sync.order_audit"
INVENTORY_LOW: Final = "notify.inventory_low"

ALL_JOBS: Final = frozenset(
    {
        PRODUCT_TO_PAYLOAD,
        PRODUCT_DELETED,
        CONTENT_TO_MEDUSA,
        PAGE_TO_MEDUSA,
        STORE_TO_MEDUSA,
        VENDOR_TO_PAYLOAD,
        TENANT_TO_PAYLOAD,
        ORDER_AUDIT,
        INVENTORY_LOW,
    }
)
