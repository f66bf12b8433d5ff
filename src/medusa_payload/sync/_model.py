"""Value types of the sync engine: patches (what a plan says to write) and results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import attrs

__all__ = [
    "Action",
    "DocPatch",
    "MetadataOwner",
    "MetadataPatch",
    "SyncResult",
]

OwnerKind = Literal["product", "sales_channel", "store"]


@attrs.frozen
class DocPatch:
    """A write to one Payload document: create it (``doc_id is None``) or update fields.

    Attributes:
        collection: the collection slug.
        doc_id: the document to update, or ``None`` to create one.
        data: exactly the fields to write (never a field the other side owns).
    """

    collection: str
    doc_id: int | str | None
    data: Mapping[str, object]

    @property
    def creates(self) -> bool:
        """Whether this patch creates a document."""
        return self.doc_id is None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"collection": self.collection, "doc_id": self.doc_id, "data": dict(self.data)}


@attrs.frozen
class MetadataOwner:
    """A Medusa record whose ``metadata`` receives CMS data: a product, a sales channel or
    the store record."""

    kind: OwnerKind
    id: str


@attrs.frozen
class MetadataPatch:
    """A metadata merge on one Medusa record: keys to set, keys to remove.

    Medusa merges the keys sent into the record's metadata and removes a key sent as ``""``
    (the clients' ``update_metadata(..., delete=...)``).
    """

    owner: MetadataOwner
    set: Mapping[str, object] = attrs.field(factory=dict)
    delete: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "owner": {"kind": self.owner.kind, "id": self.owner.id},
            "set": dict(self.set),
            "delete": list(self.delete),
        }


Action = Literal[
    "created",
    "updated",
    "archived",
    "metadata_set",
    "metadata_removed",
    "appended",
    "no_change",
    "skipped",
]


@attrs.frozen
class SyncResult:
    """What one applier did.

    Attributes:
        job: which sync ran (``"product_to_payload"``, ...).
        source_id: the id it was asked to sync.
        action: ``created`` / ``updated`` / ``archived`` / ``metadata_set`` /
            ``metadata_removed`` / ``appended`` / ``no_change`` / ``skipped``.
        target: what was written (``"product-content/12"``, ``"product/prod_1"``), if anything.
        fields: the fields or metadata keys written.
        reason: why nothing was written (``skipped``).
    """

    job: str
    source_id: str
    action: Action
    target: str | None = None
    fields: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return self.action not in ("no_change", "skipped")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (also what a worker job returns)."""
        return {
            "job": self.job,
            "source_id": self.source_id,
            "action": self.action,
            "changed": self.changed,
            "target": self.target,
            "fields": list(self.fields),
            "reason": self.reason,
        }
