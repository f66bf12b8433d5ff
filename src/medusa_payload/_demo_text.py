"""The demo's words for a newcomer: what a reconcile summary means, what happened, what next."""

from __future__ import annotations

from .sync import ReconcileReport

__all__ = ["NEXT_STEPS", "WHAT_HAPPENED", "explain_report"]

# count attribute -> (what such a pair is, what was done, what a dry run would do)
_MEANINGS = {
    "in_sync": ("already the same on both sides", "nothing to do", "nothing to do"),
    "missing": (
        "a Medusa product with no content doc in Payload",
        "a draft content doc was created",
        "a draft content doc would be created",
    ),
    "drifted": (
        "a field that one side owns differs on the other side",
        "the owner's value was written over it",
        "the owner's value would be written over it",
    ),
    "orphaned": (
        "content whose Medusa product was deleted",
        "it was archived (editors' copy is never deleted)",
        "it would be archived (editors' copy is never deleted)",
    ),
    "conflicts": (
        "two content docs claim the same product",
        "left alone for a person to decide",
        "left alone for a person to decide",
    ),
    "unpaired": (
        "a record that names no Medusa product (yet)",
        "left alone: not an error",
        "left alone: not an error",
    ),
    "errors": (
        "a repair failed",
        "see the report's items for the error",
        "see the report's items for the error",
    ),
}

WHAT_HAPPENED = (
    "What happened:",
    "  - a product created in Medusa reached Payload through a signed webhook, the queue and "
    "the worker;",
    "  - copy published in Payload went back into the product's Medusa metadata; our own write, "
    "coming back as a webhook, changed nothing (no ping-pong);",
    "  - the storefront read Medusa and Payload at once, then served the product from its cache;",
    "  - reconcile found a field edited by hand on the wrong side and repaired it; a second run "
    "found nothing to do.",
)

#: (command, what it does): every command is checked by tests/test_demo_text.py
NEXT_STEPS = (
    ("python -m medusa_payload.testing serve --seed", "the same fake servers over HTTP"),
    (
        "medusa-payload reconcile --dry-run",
        "compare your own servers (MEDUSA_BACKEND_URL, MEDUSA_API_KEY, PAYLOAD_CMS_URL, "
        "PAYLOAD_API_KEY); writes nothing",
    ),
    ("medusa-payload worker --help", "run the sync jobs of your webhooks"),
)


def explain_report(report: ReconcileReport) -> list[str]:
    """One plain sentence for each kind of pair a reconcile run counted (none for zeros)."""
    lines = []
    for attribute, (meaning, done, would) in _MEANINGS.items():
        count = getattr(report, attribute)
        if count:
            outcome = would if report.dry_run else done
            lines.append(f"{count} {attribute.replace('_', ' ')}: {meaning}; {outcome}")
    return lines
