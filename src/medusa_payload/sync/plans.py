"""Pure plans: the source record + the target's current state -> the exact patch, or ``None``.

No I/O, deterministic. The rule they implement (DESIGN.md, "who owns which field"):

- Medusa owns (only Medusa writes them): handle, title, plain description, variants, prices,
  images, status.
- Payload owns (only editors write them): richDescription, features, specs, seo, pages,
  store branding.

So Medusa -> Payload plans write only ``medusaProductId``, ``handle``, ``title``,
``description`` (plus ``status: draft`` on a new doc and ``archived``); Payload -> Medusa plans
write only their own metadata keys. Because a plan compares with the current state, a second
run plans ``None``, and our own write coming back as an event plans ``None``: no ping-pong.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import attrs

from ..medusa.models import Order, Product
from ..payload.models import CmsPage, ProductContent, Store
from ._config import DEFAULT_CONFIG, SyncConfig
from ._locales import LOCALE_KEY_PREFIX, is_locale_key, locale_key, localized_entries
from ._model import DocPatch, MetadataOwner, MetadataPatch

__all__ = [
    "CONTENT_HASH",
    "CONTENT_ID",
    "CONTENT_KEYS",
    "LOCALE_KEY_PREFIX",
    "MEDUSA_OWNED_CONTENT_FIELDS",
    "TenantRecord",
    "VendorRecord",
    "apply_doc_patch",
    "apply_metadata_patch",
    "canonical_hash",
    "content_metadata",
    "content_owned_fields",
    "is_content_key",
    "is_live",
    "locale_key",
    "localized_entries",
    "medusa_owned_fields",
    "page_key",
    "plan_content_to_metadata",
    "plan_order_audit",
    "plan_page_to_metadata",
    "plan_product_deleted",
    "plan_product_to_content",
    "plan_store_to_metadata",
    "plan_tenant_to_payload",
    "plan_vendor_to_payload",
]

CONTENT_ID = "payload_content_id"
CONTENT_HASH = "payload_content_hash"
CONTENT_KEYS: tuple[str, ...] = ("features", "specs", "seo", CONTENT_ID, CONTENT_HASH)
"""The product metadata keys Payload content owns (and nothing else is ever written)."""

MEDUSA_OWNED_CONTENT_FIELDS: Mapping[str, tuple[str, str]] = {
    "medusaProductId": ("id", "medusa_product_id"),
    "handle": ("handle", "handle"),
    "title": ("title", "title"),
    "description": ("description", "description"),
}
"""The one table of ownership on the content side: each product-content field Medusa owns ->
(the `Product` attribute it comes from, the `ProductContent` attribute that holds it). Every
other content field belongs to editors; plans and reconciliation read this table only."""

_MISSING: Any = object()


def canonical_hash(value: object) -> str:
    """SHA-256 of the canonical JSON of ``value`` (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------- Medusa -> Payload: products
def medusa_owned_fields(product: Product) -> dict[str, object]:
    """What Medusa says a product's content doc must hold (`MEDUSA_OWNED_CONTENT_FIELDS`)."""
    return {
        field: getattr(product, attr) for field, (attr, _) in MEDUSA_OWNED_CONTENT_FIELDS.items()
    }


def content_owned_fields(content: ProductContent) -> dict[str, object]:
    """What a content doc holds of the fields Medusa owns (`MEDUSA_OWNED_CONTENT_FIELDS`)."""
    return {
        field: getattr(content, attr) for field, (_, attr) in MEDUSA_OWNED_CONTENT_FIELDS.items()
    }


def plan_product_to_content(
    product: Product, content: ProductContent | None, *, config: SyncConfig = DEFAULT_CONFIG
) -> DocPatch | None:
    """Upsert the product's ``product-content`` doc (keyed by ``medusaProductId``).

    A new doc starts as a draft (editors publish it). An existing doc gets only the
    Medusa-owned fields that differ, and is un-archived if the product exists again.
    """
    desired = medusa_owned_fields(product)
    if content is None:
        return DocPatch(config.content_collection, None, {**desired, "status": "draft"})
    held = content_owned_fields(content)
    data = {k: v for k, v in desired.items() if held[k] != v}
    if content.archived:
        data["archived"] = False
    return DocPatch(config.content_collection, content.id, data) if data else None


def plan_product_deleted(
    content: ProductContent | None, *, config: SyncConfig = DEFAULT_CONFIG
) -> DocPatch | None:
    """A deleted product archives its content; editors' copy is never deleted."""
    if content is None or content.archived:
        return None
    return DocPatch(config.content_collection, content.id, {"archived": True})


# ---------------------------------------------------------------- Payload -> Medusa: content
def is_live(doc: ProductContent | CmsPage) -> bool:
    """Published and not archived: only such content leaves Payload."""
    return doc.is_published and not bool(getattr(doc, "archived", False))


def is_content_key(key: str) -> bool:
    """Whether a product metadata key is written by content sync (`CONTENT_KEYS` and the
    per-locale ``payload_content_<locale>`` keys)."""
    return key in CONTENT_KEYS or is_locale_key(key)


def content_metadata(
    content: ProductContent, localized: Mapping[str, object] | None = None
) -> dict[str, object]:
    """The product metadata a live content doc stands for (the keys of `CONTENT_KEYS`, and
    ``localized``: ``{payload_content_<locale>: translations}``, see `localized_entries`)."""
    synced: dict[str, Any] = {
        "features": [
            {"title": f.title, "description": f.description} for f in content.features or []
        ],
        "specs": [{"key": s.key, "value": s.value} for s in content.specs or []],
        "seo": (
            {
                "title": content.seo.title,
                "description": content.seo.description,
                "keywords": content.seo.keywords,
            }
            if content.seo is not None
            else None
        ),
    }
    return {
        **synced,
        **(localized or {}),
        CONTENT_ID: str(content.id),
        CONTENT_HASH: canonical_hash(synced),
    }


def plan_content_to_metadata(
    content: ProductContent | None,
    product_id: str,
    current: Mapping[str, object] | None,
    localized: Mapping[str, object] | None = None,
) -> MetadataPatch | None:
    """Published content -> the product's metadata; unpublished (or gone) -> our keys removed.

    Args:
        content: the content doc, or ``None`` when it was deleted.
        product_id: the Medusa product.
        current: the product's current metadata (only our keys, `is_content_key`, are
            looked at).
        localized: the doc's per-locale entries (`localized_entries`); a locale key the
            product holds but ``localized`` lacks is removed.
    """
    current = current or {}
    owner = MetadataOwner("product", product_id)
    if content is not None and is_live(content):
        desired = content_metadata(content, localized)
        changed = {k: v for k, v in desired.items() if current.get(k, _MISSING) != v}
        gone = tuple(sorted(k for k in current if is_locale_key(k) and k not in desired))
        return MetadataPatch(owner, set=changed, delete=gone) if changed or gone else None
    owned_by_other = (
        content is not None
        and current.get(CONTENT_ID) not in (None, "")
        and current.get(CONTENT_ID) != str(content.id)
    )
    if owned_by_other:
        return None  # another (live) doc writes this product's metadata
    present = tuple(k for k in current if is_content_key(k))
    return MetadataPatch(owner, delete=present) if present else None


# ---------------------------------------------------------------- Payload -> Medusa: stores, pages
def _store_entry(store: Store) -> dict[str, Any]:
    branding = store.branding
    return {
        "id": str(store.id),
        "name": store.name,
        "tenant": store.tenant,
        "branding": {
            "logo": branding.logo if branding else None,
            "primaryColor": branding.primary_color if branding else None,
            "secondaryColor": branding.secondary_color if branding else None,
            "theme": branding.theme if branding else None,
        },
    }


def _cms_patch(
    owner: MetadataOwner,
    current_cms: Mapping[str, Any] | None,
    section: str,
    key: str,
    entry: Any,
    config: SyncConfig,
) -> MetadataPatch | None:
    cms = copy.deepcopy(dict(current_cms or {}))
    entries = dict(cms.get(section) or {})
    if entry is None:
        if key not in entries:
            return None
        del entries[key]
    else:
        if entries.get(key) == entry:
            return None
        entries[key] = entry
    cms[section] = entries
    return MetadataPatch(owner, set={config.cms_key: cms})


def plan_store_to_metadata(
    store: Store,
    owner: MetadataOwner,
    current_cms: Mapping[str, object] | None,
    *,
    config: SyncConfig = DEFAULT_CONFIG,
) -> MetadataPatch | None:
    """A Payload store's branding -> ``metadata[cms_key]["stores"][handle]`` of its owner."""
    return _cms_patch(owner, current_cms, "stores", str(store.handle), _store_entry(store), config)


def page_key(page: CmsPage) -> str:
    """How a page is keyed in the owner's metadata: ``"<slug>@<tenant>"`` (tenant may be empty)."""
    return f"{page.slug}@{page.tenant or ''}"


def plan_page_to_metadata(
    page: CmsPage,
    owner: MetadataOwner,
    current_cms: Mapping[str, object] | None,
    *,
    config: SyncConfig = DEFAULT_CONFIG,
) -> MetadataPatch | None:
    """A published page -> an index entry ``metadata[cms_key]["pages"]["slug@tenant"]`` (id,
    title, content hash) on its owner; an unpublished page -> its entry removed.

    The page's content stays in Payload (storefronts read it with ``get_page``); Medusa gets
    what it needs to list and link pages."""
    entry = (
        {
            "id": str(page.id),
            "slug": page.slug,
            "title": page.title,
            "tenant": page.tenant,
            "hash": canonical_hash(page.content),
        }
        if is_live(page)
        else None
    )
    return _cms_patch(owner, current_cms, "pages", page_key(page), entry, config)


# ---------------------------------------------------------------- Medusa -> Payload: the rest
def _as_sent(value: object) -> Any:
    """A value of a JSON record, typed as its sender promised (not checked here)."""
    return value


@attrs.frozen
class VendorRecord:
    """A vendor as a Medusa vendor module (or the webhook) describes it."""

    id: str
    name: str | None = None
    handle: str | None = None
    status: str | None = None
    business_info: Mapping[str, object] | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> VendorRecord:
        """From a dict (``business_info`` also read from ``businessInfo``)."""
        return cls(
            id=str(data["id"]),
            name=_as_sent(data.get("name")),
            handle=_as_sent(data.get("handle")),
            status=_as_sent(data.get("status")),
            business_info=_as_sent(data.get("business_info") or data.get("businessInfo")),
        )


@attrs.frozen
class TenantRecord:
    """A tenant as the Medusa side describes it."""

    id: str
    name: str | None = None
    settings: Mapping[str, object] | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> TenantRecord:
        """From a dict."""
        return cls(
            id=str(data["id"]),
            name=_as_sent(data.get("name")),
            settings=_as_sent(data.get("settings")),
        )


def _upsert(
    collection: str, desired: Mapping[str, object], doc: Mapping[str, object] | None
) -> DocPatch | None:
    if doc is None:
        return DocPatch(collection, None, dict(desired))
    data = {k: v for k, v in desired.items() if doc.get(k) != v}
    return DocPatch(collection, _as_sent(doc["id"]), data) if data else None


def plan_vendor_to_payload(
    vendor: VendorRecord, doc: Mapping[str, object] | None, *, config: SyncConfig = DEFAULT_CONFIG
) -> DocPatch | None:
    """Upsert the ``vendors`` doc keyed by ``medusaVendorId`` (name, handle, status, business
    info). ``doc`` is the current doc in Payload's camelCase form, or ``None``."""
    desired = {
        "medusaVendorId": vendor.id,
        "name": vendor.name or vendor.handle or vendor.id,
        "handle": vendor.handle or vendor.id,
        "status": vendor.status,
        "businessInfo": dict(vendor.business_info) if vendor.business_info is not None else None,
    }
    return _upsert(config.vendors_collection, desired, doc)


def plan_tenant_to_payload(
    tenant: TenantRecord, doc: Mapping[str, object] | None, *, config: SyncConfig = DEFAULT_CONFIG
) -> DocPatch | None:
    """Upsert the ``tenants`` doc keyed by ``medusaTenantId`` (name, settings)."""
    desired = {
        "medusaTenantId": tenant.id,
        "name": tenant.name or tenant.id,
        "settings": dict(tenant.settings) if tenant.settings is not None else None,
    }
    return _upsert(config.tenants_collection, desired, doc)


def plan_order_audit(
    order: Order,
    event: str,
    existing: Mapping[str, object] | None,
    *,
    config: SyncConfig = DEFAULT_CONFIG,
) -> DocPatch | None:
    """One append-only ``order-audit`` record per (order, event): ``None`` once it exists."""
    if existing is not None:
        return None
    return DocPatch(
        config.order_audit_collection,
        None,
        {
            "key": f"{order.id}:{event}",
            "orderId": order.id,
            "event": event,
            "total": order.total,
            "currencyCode": order.currency_code,
            "email": order.email,
            "payload": {
                "display_id": order.display_id,
                "status": order.status,
                "items": len(order.items or []),
            },
        },
    )


# ---------------------------------------------------------------- applying, as the servers do
def apply_metadata_patch(
    metadata: Mapping[str, object] | None, patch: MetadataPatch
) -> dict[str, object]:
    """The metadata Medusa stores after ``patch`` (top-level merge; deleted keys removed)."""
    merged = copy.deepcopy(dict(metadata or {}))
    merged.update(copy.deepcopy(dict(patch.set)))
    for key in patch.delete:
        merged.pop(key, None)
    return merged


def apply_doc_patch(doc: Mapping[str, object] | None, patch: DocPatch) -> dict[str, object]:
    """The document Payload stores after ``patch`` (fields written, others kept)."""
    updated = copy.deepcopy(dict(doc or {}))
    updated.update(copy.deepcopy(dict(patch.data)))
    return updated
