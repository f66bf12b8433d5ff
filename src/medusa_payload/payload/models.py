"""Typed, lenient models of Payload documents: the base `Document` and the collections of
DESIGN.md (product-content, pages, stores, vendors, tenants, order-audit, webhook-logs,
sync-jobs).

Field names follow Payload's camelCase on the wire and snake_case in Python
(``doc.medusa_product_id`` reads ``medusaProductId``); both names work when building a model.
A collection with Payload drafts enabled has ``_status``; ours may use a plain ``status``
select instead: `Document.publish_status` reads whichever is there. Every field but ``id`` is
optional, because ``select=`` can leave any of them out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Generic

import pydantic
from pydantic.alias_generators import to_camel
from typing_extensions import TypeVar

from .._compat import renamed as _renamed
from .._models import BaseModel

__all__ = [
    "Branding",
    "BulkResult",
    "CmsPage",
    "Document",
    "Feature",
    "GlobalDocument",
    "LoginResult",
    "MeResult",
    "MediaDocument",
    "OrderAudit",
    "ProductContent",
    "RefreshResult",
    "ResetPasswordResult",
    "Seo",
    "Spec",
    "Store",
    "SyncJobLog",
    "Tenant",
    "Vendor",
    "Version",
    "WebhookLog",
]

PublishStatus = str
"""``"draft"`` or ``"published"`` on the stock setup; kept as ``str`` so other values never fail."""


class _CamelModel(BaseModel):
    model_config = pydantic.ConfigDict(
        extra="allow", populate_by_name=True, alias_generator=to_camel
    )


class GlobalDocument(_CamelModel):
    """A Payload global (a singleton document without an ``id``)."""


class Document(_CamelModel):
    """Any Payload document: an ``id`` (number on SQL databases, string on MongoDB) and the rest.

    Unknown fields are kept (``doc.model_extra`` / ``doc.model_dump(by_alias=True)``).
    """

    collection: ClassVar[str | None] = None

    id: int | str
    draft_status: PublishStatus | None = pydantic.Field(default=None, alias="_status")
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def publish_status(self) -> str | None:
        """``"published"`` / ``"draft"`` from ``_status`` (Payload drafts) or ``status``."""
        if self.draft_status is not None:
            return self.draft_status
        status = getattr(self, "status", None)
        if status is None and self.model_extra:
            status = self.model_extra.get("status")
        return status if isinstance(status, str) else None

    @property
    def is_published(self) -> bool:
        """Whether the document is published (editors' drafts never leave Payload)."""
        return self.publish_status == "published"


class Feature(_CamelModel):
    """One product feature (a row of ``features``)."""

    id: str | None = None
    title: str | None = None
    description: str | None = None


class Spec(_CamelModel):
    """One specification row (``specs``): key and value."""

    id: str | None = None
    key: str | None = None
    value: str | None = None


class Seo(_CamelModel):
    """SEO group: title, description, keywords (comma-separated text)."""

    title: str | None = None
    description: str | None = None
    keywords: str | None = None


class ProductContent(Document):
    """``product-content``: editors' copy of a Medusa product, keyed by ``medusaProductId``.

    Medusa owns ``handle``, ``title`` and the plain ``description`` (synced in); editors own
    ``richDescription``, ``features``, ``specs`` and ``seo`` (synced out when published).
    """

    collection: ClassVar[str | None] = "product-content"

    medusa_product_id: str | None = None
    handle: str | None = None
    title: str | None = None
    description: str | None = None
    rich_description: Any = None
    features: list[Feature] | None = None
    specs: list[Spec] | None = None
    seo: Seo | None = None
    status: PublishStatus | None = None
    archived: bool | None = None


class Branding(_CamelModel):
    """Store branding: logo, colours and theme.

    ``logo_media`` is an uploaded logo (``logoMedia``): its id at ``depth=0``, the
    `MediaDocument` at ``depth>=1``; it wins over the ``logo`` path when set.
    """

    logo: str | None = None
    logo_media: int | str | MediaDocument | None = None
    primary_color: str | None = None
    secondary_color: str | None = None
    theme: str | None = None


class Store(Document):
    """``stores``: a storefront's branding, optionally tied to a Medusa sales channel."""

    collection: ClassVar[str | None] = "stores"

    handle: str | None = None
    name: str | None = None
    tenant: str | None = None
    sales_channel_id: str | None = None
    branding: Branding | None = None


class CmsPage(Document):
    """``pages``: a CMS page, optionally scoped to a tenant and a store."""

    collection: ClassVar[str | None] = "pages"

    slug: str | None = None
    title: str | None = None
    content: Any = None
    tenant: str | None = None
    store: int | str | Store | None = None
    status: PublishStatus | None = None


class Vendor(Document):
    """``vendors``: a marketplace vendor mirrored from Medusa."""

    collection: ClassVar[str | None] = "vendors"

    handle: str | None = None
    name: str | None = None
    medusa_vendor_id: str | None = None
    status: str | None = None


class Tenant(Document):
    """``tenants``: a tenant mirrored from Medusa."""

    collection: ClassVar[str | None] = "tenants"

    name: str | None = None
    medusa_tenant_id: str | None = None
    settings: Any = None


class OrderAudit(Document):
    """``order-audit``: one append-only record per (order, event)."""

    collection: ClassVar[str | None] = "order-audit"

    order_id: str | None = None
    event: str | None = None
    key: str | None = None


class WebhookLog(Document):
    """``webhook-logs``: one record per webhook received."""

    collection: ClassVar[str | None] = "webhook-logs"


class SyncJobLog(Document):
    """``sync-jobs``: one record per sync job run."""

    collection: ClassVar[str | None] = "sync-jobs"


D = TypeVar("D", bound=_CamelModel, default=Document)


class LoginResult(_CamelModel):
    """The answer of ``POST /api/<collection>/login``: the token (kept secret) and the user."""

    token: pydantic.SecretStr
    exp: int | None = None
    user: dict[str, Any] | None = None


class MeResult(_CamelModel):
    """The answer of ``GET /api/<collection>/me``: who the credentials belong to."""

    user: dict[str, Any] | None = None
    collection: str | None = None
    strategy: str | None = None
    exp: int | None = None


class BulkResult(pydantic.BaseModel, Generic[D]):
    """The answer of a bulk write (``PATCH``/``DELETE`` with ``where``).

    Attributes:
        docs: the documents written.
        errors: one entry per document that failed (``id``, ``message``), as Payload sent it.
    """

    docs: list[D]
    errors: list[dict[str, Any]] = []
    message: str | None = None

    @property
    def ok(self) -> bool:
        """Whether every matched document was written."""
        return not self.errors


class Version(_CamelModel, Generic[D]):
    """One saved version of a document or global (``/api/<collection>/versions``).

    Attributes:
        id: the version's own id (what `restore_version` takes).
        parent: the id of the document it belongs to (absent on globals' versions).
        version: the document as it was, parsed with the model of the call (Payload leaves
            its ``id`` out: it is filled from ``parent``).
        latest: whether this is the newest version.
        autosave: whether Payload saved it on its own (autosave drafts).
    """

    id: int | str
    parent: Any = None
    version: D
    latest: bool | None = None
    autosave: bool | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @pydantic.model_validator(mode="before")
    @classmethod
    def _id_from_parent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            version, parent = data.get("version"), data.get("parent")
            if isinstance(version, dict) and "id" not in version and parent is not None:
                parent_id = parent.get("id") if isinstance(parent, dict) else parent
                data = {**data, "version": {**version, "id": parent_id}}
        return data

    @property
    def status(self) -> str | None:
        """``"draft"`` or ``"published"`` (the version's ``_status``), if drafts are on."""
        value = (self.version.model_extra or {}).get("_status") or getattr(
            self.version, "draft_status", None
        )
        return value if isinstance(value, str) else None


class MediaDocument(Document):
    """A document of an upload collection: the stored file's name, type, size and ``url``.

    ``url`` is as Payload sends it (often a path such as ``/api/media/file/logo.png``);
    `PayloadClient.absolute_url` makes it one a browser can fetch.
    """

    filename: str | None = None
    mime_type: str | None = None
    filesize: int | None = None
    width: int | None = None
    height: int | None = None
    url: str | None = None
    alt: str | None = None


class RefreshResult(_CamelModel):
    """The answer of ``POST /api/<collection>/refresh-token``: a new token (kept secret)."""

    refreshed_token: pydantic.SecretStr
    exp: int | None = None
    user: dict[str, Any] | None = None


class ResetPasswordResult(_CamelModel):
    """The answer of ``POST /api/<collection>/reset-password``: the user and a fresh token."""

    token: pydantic.SecretStr | None = None
    user: dict[str, Any] | None = None


def __getattr__(name: str) -> object:
    """``Page``: the old name of `CmsPage` (kept one release, with a DeprecationWarning)."""
    return _renamed(__name__, name, {"Page": ("CmsPage", CmsPage)})


Branding.model_rebuild()
