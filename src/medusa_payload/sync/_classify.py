"""Reconciliation's decisions, free of I/O: what one content doc's pair is and what to write.

`reconcile` streams Medusa products into `Mark`s, then for every content doc calls `classify`
and only then writes what the returned `Verdict` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

from ..medusa.models import Product
from ..payload.models import ProductContent
from ._config import SyncConfig
from ._model import DocPatch, MetadataPatch
from .plans import (
    CONTENT_ID,
    canonical_hash,
    content_metadata,
    content_owned_fields,
    is_content_key,
    is_live,
    medusa_owned_fields,
    plan_content_to_metadata,
    plan_product_deleted,
)

__all__ = ["Mark", "Verdict", "classify", "released_handle"]

Status = Literal["in_sync", "drifted", "orphaned", "conflict", "unpaired", "ignored"]


def _short_hash(value: object) -> str:
    return canonical_hash(value)[:16]


class _Hashed:
    """A held-back metadata value, known by its hash: equal to any value with that hash."""

    __slots__ = ("digest",)

    def __init__(self, digest: str) -> None:
        self.digest = digest

    def __eq__(self, other: object) -> bool:
        return _short_hash(other) == self.digest

    def __hash__(self) -> int:
        return hash(self.digest)


@attrs.define
class Mark:
    """What reconciliation keeps of one Medusa product: its handle and hashes (one of the
    owned fields, one per metadata key of ours, so drift is named per key and per locale)."""

    handle: str | None
    owned_hash: str
    meta_hash: str | None
    present: frozenset[str]
    content_id: str | None
    seen: bool = False
    key_hashes: dict[str, str] = attrs.field(factory=dict)

    @classmethod
    def of(cls, product: Product) -> Mark:
        """The mark of ``product`` (Medusa-owned fields and our metadata keys, hashed)."""
        metadata = product.metadata or {}
        ours = {k: v for k, v in metadata.items() if is_content_key(k)}
        content_id = metadata.get(CONTENT_ID)
        return cls(
            handle=product.handle,
            owned_hash=canonical_hash(medusa_owned_fields(product)),
            meta_hash=canonical_hash(ours) if ours else None,
            present=frozenset(ours),
            content_id=str(content_id) if content_id not in (None, "") else None,
            key_hashes={k: _short_hash(v) for k, v in ours.items()},
        )

    def held_metadata(self) -> dict[str, object]:
        """Metadata standing in for the product's (each value known by its hash, the content
        id as is), for `plan_content_to_metadata`."""
        held: dict[str, object] = {k: _Hashed(self.key_hashes[k]) for k in self.present}
        if self.content_id is not None:
            held[CONTENT_ID] = self.content_id
        return held


@attrs.frozen
class Verdict:
    """What one content doc's pair is, and what reconciliation writes for it.

    Attributes:
        status: ``in_sync``, ``drifted``, ``orphaned`` (content of a deleted product),
            ``conflict``, ``unpaired`` (names no product: left alone), or ``ignored`` (an
            archived orphan that is in nobody's way).
        product_id: the product of the pair, when there is one.
        patch: the write to make now (archive, release a handle, metadata), if any.
        owned_stale: the Medusa-owned fields differ (or the doc is archived): the product
            must be fetched and `plan_product_to_content` applied.
        note: why, for a ``conflict``, ``unpaired`` or a released handle.
    """

    status: Status
    product_id: str | None = None
    patch: DocPatch | MetadataPatch | None = None
    owned_stale: bool = False
    note: str | None = None


def released_handle(doc: ProductContent) -> str:
    """The handle an archived orphan takes to free its own for a live product."""
    return f"{doc.handle}--archived-{doc.id}"


def classify(
    doc: ProductContent,
    marks: Mapping[str, Mark],
    by_handle: Mapping[str, str],
    *,
    config: SyncConfig,
    localized: Mapping[str, object] | None = None,
) -> Verdict:
    """Pair ``doc`` with a product (by ``medusaProductId``, else by handle) and decide.

    Args:
        doc: a content doc.
        marks: product id -> `Mark` of every Medusa product (``seen`` set for paired ones).
        by_handle: handle -> product id of every Medusa product.
        config: collections.
        localized: the doc's per-locale metadata entries (`localized_entries`).
    """
    product_id = doc.medusa_product_id or (by_handle.get(doc.handle) if doc.handle else None)
    mark = marks.get(product_id) if product_id else None
    if mark is None or product_id is None:
        return _without_product(doc, by_handle, config)
    if mark.seen:
        return Verdict("conflict", product_id, note="a second content doc for this product")
    owned_stale = canonical_hash(content_owned_fields(doc)) != mark.owned_hash or bool(doc.archived)
    desired = content_metadata(doc, localized) if is_live(doc) else None
    desired_hash = canonical_hash(desired) if desired is not None else None
    meta_patch = None
    if desired_hash != mark.meta_hash:
        meta_patch = plan_content_to_metadata(doc, product_id, mark.held_metadata(), localized)
    if meta_patch is None and not owned_stale:
        return Verdict("in_sync", product_id)
    return Verdict("drifted", product_id, meta_patch, owned_stale)


def _without_product(
    doc: ProductContent, by_handle: Mapping[str, str], config: SyncConfig
) -> Verdict:
    if not doc.medusa_product_id:
        # Copy prepared before its product exists: reported, left alone.
        if doc.archived:
            return Verdict("ignored")
        note = "names no Medusa product and no product has its handle"
        return Verdict("unpaired", note=note)
    # Content of a deleted product: archived, never deleted.
    patch = plan_product_deleted(doc, config=config)
    holder = by_handle.get(doc.handle) if doc.handle else None
    if holder is None or holder == doc.medusa_product_id:
        if patch is None:
            return Verdict("ignored")
        return Verdict("orphaned", doc.medusa_product_id, patch)
    # Its handle now belongs to another (live) product, whose content could never be created
    # (handles are unique in Payload): the orphan gives the handle up, editors' copy stays.
    data = {**(patch.data if patch else {}), "handle": released_handle(doc)}
    note = f"handle {doc.handle!r} released for product {holder}"
    patch = DocPatch(config.content_collection, doc.id, data)
    return Verdict("orphaned", doc.medusa_product_id, patch, note=note)
