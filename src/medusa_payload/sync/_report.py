"""`ReconcileReport`: what reconciliation found and did, JSON-serialisable."""

from __future__ import annotations

import json
from typing import Literal

import attrs

from ..observability import _instruments

__all__ = ["ReconcileItem", "ReconcileReport"]

ItemStatus = Literal["missing", "orphaned", "drifted", "conflict", "error", "unpaired"]


@attrs.define
class ReconcileItem:
    """One pair that was not in sync (pairs in sync are only counted).

    Attributes:
        kind: ``product``, ``store`` or ``page``.
        status: ``missing`` (no content doc), ``orphaned`` (content of a deleted product),
            ``drifted`` (fields differ), ``conflict`` (cannot be paired safely), ``error``, or
            ``unpaired`` (content that names no product yet: reported, left alone, not a
            failure).
        product_id / content_id / key: the records concerned.
        fields: what differed (and was, or would be, written).
        applied: whether the repair was written (``False`` in a dry run).
        error: the error of a failed repair.
        note: why an item was left alone (``conflict``, ``unpaired``).
    """

    kind: str
    status: ItemStatus
    product_id: str | None = None
    content_id: str | None = None
    key: str | None = None
    fields: list[str] = attrs.Factory(list)
    applied: bool = False
    error: str | None = None
    note: str | None = None


@attrs.define
class ReconcileReport:
    """Counts, per-item details and request figures of one `reconcile` run."""

    dry_run: bool
    products: int = 0
    contents: int = 0
    in_sync: int = 0
    missing: int = 0
    orphaned: int = 0
    drifted: int = 0
    conflicts: int = 0
    errors: int = 0
    unpaired: int = 0
    writes: int = 0
    reads: int = 0
    seconds: float = 0.0
    items: list[ReconcileItem] = attrs.Factory(list)

    @property
    def all_in_sync(self) -> bool:
        """Whether nothing needed repair."""
        return not (self.missing or self.orphaned or self.drifted or self.conflicts or self.errors)

    def add(self, item: ReconcileItem) -> None:
        """Count and keep one item."""
        _instruments.ACTIVE.reconcile_item(item.kind, item.status)
        counters = {
            "missing": "missing",
            "orphaned": "orphaned",
            "drifted": "drifted",
            "conflict": "conflicts",
            "error": "errors",
            "unpaired": "unpaired",
        }
        name = counters[item.status]
        setattr(self, name, getattr(self, name) + 1)
        self.items.append(item)

    def to_dict(self) -> dict[str, object]:
        """The report as plain JSON types."""
        return attrs.asdict(self) | {"all_in_sync": self.all_in_sync}

    def to_json(self) -> str:
        """The report as JSON text."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    def summary(self) -> str:
        """One line for logs and terminals."""
        mode = "dry run" if self.dry_run else "applied"
        return (
            f"reconcile ({mode}): {self.products} products, {self.contents} content docs; "
            f"{self.in_sync} in sync, {self.missing} missing, {self.orphaned} orphaned, "
            f"{self.drifted} drifted, {self.conflicts} conflicts, {self.errors} errors, "
            f"{self.unpaired} unpaired; "
            f"{self.reads} reads, {self.writes} writes in {self.seconds:.1f} s"
        )
