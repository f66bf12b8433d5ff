"""Pure parts of the watcher: which job a change starts, its dedup key, and the report."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from .. import _jobs
from ..medusa._params_time import iso_instant

__all__ = ["WatchJob", "WatchReport", "before", "dedup_key", "stamp"]


def stamp(moment: datetime | None) -> str | None:
    """A record's ``updated_at`` as Medusa writes it (ISO-8601, milliseconds, ``Z``)."""
    return None if moment is None else iso_instant(moment)


def before(mark: str) -> str:
    """One millisecond before ``mark``: ``updated_at[$gt]`` of it includes ``mark`` itself."""
    moment = datetime.fromisoformat(mark.replace("Z", "+00:00"))
    return iso_instant(moment - timedelta(milliseconds=1))


def dedup_key(kind: str, record_id: str, updated_at: str) -> str:
    """The queue dedup key of one change: the record and the moment it changed. Two polls
    that see the same change (a restart before the state was saved) enqueue it once."""
    return f"watch:{kind}:{record_id}:{updated_at}"


@attrs.frozen
class WatchJob:
    """A job the watcher enqueues: name, ids-only data and the dedup key of its change."""

    name: str
    data: dict[str, str]
    dedup_key: str


def product_job(product_id: str, updated_at: str) -> WatchJob:
    """A product changed (what ``product.updated`` would start)."""
    return WatchJob(
        _jobs.PRODUCT_TO_PAYLOAD,
        {"product_id": product_id},
        dedup_key("product", product_id, updated_at),
    )


def variant_job(variant_id: str, product_id: str, updated_at: str) -> WatchJob:
    """A variant changed: its product is synced again (a variants batch announces nothing)."""
    return WatchJob(
        _jobs.PRODUCT_TO_PAYLOAD,
        {"product_id": product_id},
        dedup_key("variant", variant_id, updated_at),
    )


def low_stock_job(level_id: str, item_id: str, location_id: str, updated_at: str) -> WatchJob:
    """A level changed to below the threshold (what the seed's ``inventory.low`` would start)."""
    return WatchJob(
        _jobs.INVENTORY_LOW,
        {"inventory_item_id": item_id, "location_id": location_id, "inventory_level_id": level_id},
        dedup_key("inventory_low", level_id, updated_at),
    )


@attrs.define
class WatchReport:
    """What one poll saw and did.

    Attributes:
        baseline: the first poll without saved state: it records where each stream stands
            and enqueues nothing (changes before the watcher started are reconcile's job).
        products / variants / levels: changes seen per stream.
        enqueued: jobs added to the queue; duplicates: jobs the queue already had.
    """

    baseline: bool = False
    products: int = 0
    variants: int = 0
    levels: int = 0
    enqueued: int = 0
    duplicates: int = 0
    jobs: list[WatchJob] = attrs.field(factory=list)
