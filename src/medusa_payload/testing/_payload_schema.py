"""Collection schemas of the fake Payload: the fields of the project's live stack collections.

A field spec is enough for what the REST API does with a field: defaults and nulls in the
answer, required/unique/select validation, relationships for ``depth``, array row ids, and
which paths ``where`` may query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CollectionSpec",
    "FieldSpec",
    "GlobalSpec",
    "InvalidError",
    "default_collections",
    "default_globals",
]


class InvalidError(Exception):
    """Field errors of a write (the fake answers them as Payload's ``ValidationError``)."""

    def __init__(self, entries: list[dict[str, Any]], doc_id: Any = None) -> None:
        super().__init__("invalid")
        self.entries = entries
        self.doc_id = doc_id


@dataclass(frozen=True)
class FieldSpec:
    """One Payload field."""

    name: str
    #: text, textarea, richText, select, relationship, array, group, json, checkbox, number
    type: str = "text"
    required: bool = False
    unique: bool = False
    default: Any = None
    options: Sequence[str] = ()
    relation_to: str | None = None
    fields: Sequence[FieldSpec] = ()
    label: str | None = None
    #: one value per locale (Payload's ``localized: true``)
    localized: bool = False

    @property
    def display(self) -> str:
        """The label Payload puts in messages (``"Medusa Product Id"`` for ``medusaProductId``)."""
        if self.label:
            return self.label
        words, current = [], ""
        for ch in self.name:
            if ch.isupper() and current:
                words.append(current)
                current = ch
            else:
                current += ch
        words.append(current)
        return " ".join(w[:1].upper() + w[1:] for w in words)


@dataclass(frozen=True)
class CollectionSpec:
    """One collection: its fields, labels, auth and access."""

    slug: str
    fields: Sequence[FieldSpec]
    singular: str
    plural: str
    auth: bool = False
    public_read: bool = True
    table: str | None = None
    #: Payload ``versions: { drafts: true }``: ``_status``, drafts, a version per save.
    drafts: bool = False
    #: Payload ``versions`` without drafts: a version per save, listed and restorable.
    versions: bool = False
    #: Payload ``upload``: multipart writes, ``filename``/``url``..., files served back.
    upload: bool = False

    def field(self, name: str) -> FieldSpec | None:
        """The top-level field called ``name``."""
        return next((f for f in self.fields if f.name == name), None)

    @property
    def versioned(self) -> bool:
        """Whether every save is kept as a version (drafts imply versions)."""
        return self.drafts or self.versions

    @property
    def table_name(self) -> str:
        """The SQL table name Payload reports in unique errors."""
        return self.table or self.slug.replace("-", "_")


@dataclass(frozen=True)
class GlobalSpec:
    """One global."""

    slug: str
    fields: Sequence[FieldSpec]
    #: Payload ``versions``: a version per save, listed and restorable.
    versions: bool = False


def _status() -> FieldSpec:
    return FieldSpec("status", "select", default="draft", options=("draft", "published"))


def default_collections() -> list[CollectionSpec]:
    """The collections of ``tests/live/stack/payload`` (keep the two in step)."""
    return [
        CollectionSpec("users", [], "User", "Users", auth=True, public_read=False),
        CollectionSpec(
            "stores",
            [
                FieldSpec("handle", required=True, unique=True),
                FieldSpec("name", required=True),
                FieldSpec("tenant"),
                FieldSpec("salesChannelId"),
                FieldSpec(
                    "branding",
                    "group",
                    fields=(
                        FieldSpec("logo"),
                        FieldSpec("logoMedia", "relationship", relation_to="media"),
                        FieldSpec("primaryColor"),
                        FieldSpec("secondaryColor"),
                        FieldSpec("theme", "select", default="light", options=("light", "dark")),
                    ),
                ),
            ],
            "Store",
            "Stores",
        ),
        CollectionSpec(
            "pages",
            [
                FieldSpec("slug", required=True),
                FieldSpec("title", required=True, localized=True),
                FieldSpec("content", "richText", localized=True),
                FieldSpec("tenant"),
                FieldSpec("store", "relationship", relation_to="stores"),
                _status(),
            ],
            "Page",
            "Pages",
        ),
        CollectionSpec(
            "product-content",
            [
                FieldSpec("medusaProductId"),
                FieldSpec("handle", required=True, unique=True),
                FieldSpec("title", required=True, localized=True),
                FieldSpec("description", "textarea", localized=True),
                FieldSpec("richDescription", "richText", localized=True),
                FieldSpec(
                    "features",
                    "array",
                    fields=(
                        FieldSpec("title", required=True),
                        FieldSpec("description", "textarea"),
                    ),
                ),
                FieldSpec(
                    "specs",
                    "array",
                    fields=(FieldSpec("key", required=True), FieldSpec("value")),
                ),
                FieldSpec(
                    "seo",
                    "group",
                    fields=(
                        FieldSpec("title", localized=True),
                        FieldSpec("description", "textarea", localized=True),
                        FieldSpec("keywords"),
                    ),
                ),
                _status(),
                FieldSpec("archived", "checkbox", default=False),
            ],
            "Product Content",
            "Product Contents",
            versions=True,
        ),
        CollectionSpec(
            "vendors",
            [
                FieldSpec("handle", required=True, unique=True),
                FieldSpec("name", required=True),
                FieldSpec("medusaVendorId", unique=True),
                FieldSpec("businessInfo", "json"),
                FieldSpec("status"),
            ],
            "Vendor",
            "Vendors",
        ),
        CollectionSpec(
            "tenants",
            [
                FieldSpec("medusaTenantId", required=True, unique=True),
                FieldSpec("name", required=True),
                FieldSpec("settings", "json"),
            ],
            "Tenant",
            "Tenants",
        ),
        CollectionSpec(
            "order-audit",
            [
                FieldSpec("key", required=True, unique=True),
                FieldSpec("orderId", required=True),
                FieldSpec("event", required=True),
                FieldSpec("total", "number"),
                FieldSpec("currencyCode"),
                FieldSpec("email"),
                FieldSpec("payload", "json"),
            ],
            "Order Audit",
            "Order Audits",
        ),
        CollectionSpec(
            "webhook-logs",
            [
                FieldSpec("requestId"),
                FieldSpec("source"),
                FieldSpec("status", "number"),
                FieldSpec("reason"),
                FieldSpec("receivedAt", "date"),
                FieldSpec("durationMs", "number"),
                FieldSpec("webhookId"),
                FieldSpec("event"),
                FieldSpec("jobId"),
                FieldSpec("jobName"),
                FieldSpec("duplicate", "checkbox"),
                FieldSpec("error"),
            ],
            "Webhook Log",
            "Webhook Logs",
        ),
        CollectionSpec(
            "sync-jobs",
            [
                FieldSpec("jobId"),
                FieldSpec("jobName"),
                FieldSpec("status"),
                FieldSpec("attempt", "number"),
                FieldSpec("startedAt", "date"),
                FieldSpec("finishedAt", "date"),
                FieldSpec("durationMs", "number"),
                FieldSpec("data", "json"),
                FieldSpec("error", "textarea"),
            ],
            "Sync Job",
            "Sync Jobs",
        ),
        CollectionSpec("media", [FieldSpec("alt")], "Media", "Media", upload=True),
        CollectionSpec(
            "articles",
            [
                FieldSpec("slug", required=True, unique=True),
                FieldSpec("title", required=True),
                FieldSpec("body", "textarea"),
                FieldSpec("cover", "relationship", relation_to="media"),
                FieldSpec("_status", "select", default="draft", options=("draft", "published")),
            ],
            "Article",
            "Articles",
            public_read=False,
            drafts=True,
        ),
    ]


def default_globals() -> list[GlobalSpec]:
    """The globals of the live stack."""
    return [
        GlobalSpec(
            "site-settings",
            [
                FieldSpec("siteName"),
                FieldSpec("defaultLocale"),
                FieldSpec("maintenance", "checkbox"),
            ],
            versions=True,
        )
    ]
