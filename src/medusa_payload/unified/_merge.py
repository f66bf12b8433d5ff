"""Pure rules of the unified reads: which content goes with which product, cache keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urljoin

from ..medusa.models import Product
from ..payload.models import Branding, MediaDocument, ProductContent, Store
from ..payload.where import Where
from ._locales import LocalizedDocs
from .models import DEFAULT_BRANDING, ContentStatus, StoreBranding, UnifiedProduct

__all__ = [
    "branding_from",
    "content_query",
    "merge",
    "merge_localized",
    "pick_content",
    "product_fields",
    "store_lookup",
]

MAX_STORE_ID_DIGITS = 18
"""Longest numeric store id (fits a 64-bit integer); longer digit strings are handles."""


def product_fields(region_id: str | None) -> list[str]:
    """Medusa ``fields`` of a storefront product: prices only with a region (Medusa answers
    400 when prices are asked for without one), metadata always."""
    fields = ["+metadata"]
    if region_id:
        fields.insert(0, "*variants.calculated_price")
    return fields


def content_query(
    ids: Sequence[str], handles: Sequence[str], *, tenant_field: str | None, tenant_id: str | None
) -> Where:
    """One Payload query for the content of many products: by id or by handle."""
    clauses = []
    if ids:
        clauses.append(Where.in_("medusaProductId", list(ids)))
    if handles:
        clauses.append(Where.in_("handle", list(handles)))
    where = clauses[0] if len(clauses) == 1 else Where.or_(*clauses)
    if tenant_field and tenant_id:
        where = where & Where.equals(tenant_field, tenant_id)
    return where


def _visible(doc: ProductContent, draft: bool) -> bool:
    if doc.archived:
        return False
    return draft or doc.is_published


def pick_content(
    product: Product, docs: Iterable[ProductContent], *, draft: bool
) -> ProductContent | None:
    """The product's content: matched by ``medusaProductId`` first, then by ``handle`` (a doc
    that names another product never matches). Only published docs unless ``draft``; in
    preview the newest doc wins."""
    candidates = [d for d in docs if _visible(d, draft)]
    by_id = [d for d in candidates if d.medusa_product_id == product.id]
    by_handle = [d for d in candidates if d.handle == product.handle and not d.medusa_product_id]
    for group in (by_id, by_handle):
        if group:
            return max(
                group, key=lambda d: (d.updated_at is not None, d.updated_at or 0, str(d.id))
            )
    return None


def merge(
    product: Product, docs: Iterable[ProductContent] | BaseException, *, draft: bool
) -> UnifiedProduct:
    """Product + content; ``docs`` is the exception when the CMS failed (degraded answer)."""
    if isinstance(docs, BaseException):
        return UnifiedProduct(product=product, content=None, content_status="unavailable")
    content = pick_content(product, docs, draft=draft)
    status: ContentStatus = "ok" if content is not None else "missing"
    return UnifiedProduct(product=product, content=content, content_status=status)


def merge_localized(
    product: Product, docs: LocalizedDocs | BaseException, draft: bool, locale: str | None
) -> UnifiedProduct:
    """`merge` of content read in ``locale``: the result names the locale and the fields
    that fell back (``fallbacks``)."""
    if isinstance(docs, BaseException):
        return merge(product, docs, draft=draft)
    result = merge(product, docs.docs, draft=draft)
    if locale is None:
        return result
    fallbacks = docs.fallbacks.get(str(result.content.id)) if result.content else None
    return result.model_copy(update={"locale": locale, "fallbacks": dict(fallbacks or {})})


def _logo(branding: Branding | None, media_base: str | None) -> str | None:
    """An uploaded logo's URL made absolute on the CMS (Payload serves it), else ``logo``."""
    if branding is None:
        return None
    media = branding.logo_media
    if isinstance(media, MediaDocument) and media.url:
        return urljoin(media_base.rstrip("/") + "/", media.url) if media_base else media.url
    return branding.logo


def branding_from(
    store: Store | None, handle: str, *, unavailable: bool = False, media_base: str | None = None
) -> StoreBranding:
    """A store's branding with documented defaults for what it does not set; an uploaded logo
    (``logoMedia``) as an absolute URL on ``media_base`` (the CMS root)."""
    if store is None:
        return StoreBranding(
            handle=handle, source="unavailable" if unavailable else "defaults", **DEFAULT_BRANDING
        )
    branding = store.branding
    values: Mapping[str, Any] = {
        "logo": _logo(branding, media_base),
        "primary_color": branding.primary_color if branding else None,
        "secondary_color": branding.secondary_color if branding else None,
        "theme": branding.theme if branding else None,
    }
    filled = {k: v if v not in (None, "") else DEFAULT_BRANDING[k] for k, v in values.items()}
    # The stock schema gives `theme` a default, so a store "sets no branding" when it has no
    # logo and no colours.
    has_any = any(values[k] not in (None, "") for k in ("logo", "primary_color", "secondary_color"))
    return StoreBranding(
        handle=store.handle or handle,
        name=store.name,
        tenant=store.tenant,
        sales_channel_id=store.sales_channel_id,
        source="cms" if has_any else "defaults",
        **filled,
    )


def store_lookup(store: str | int) -> Where:
    """How to find a store: by id when ``store`` is an int or ASCII decimal digits of sane
    length (``"12"``), else by handle (``"acme"``, ``"²"``, ``"١٢"``, 5,000 digits)."""
    if isinstance(store, int) and not isinstance(store, bool):
        return Where.equals("id", store)
    text = str(store)
    if text.isascii() and text.isdecimal() and len(text) <= MAX_STORE_ID_DIGITS:
        return Where.equals("id", int(text))
    return Where.equals("handle", text)
