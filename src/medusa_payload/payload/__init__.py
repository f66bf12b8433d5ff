"""Payload 3 REST clients: `PayloadClient` and `AsyncPayloadClient`, `Where`, and models."""

from .._compat import renamed as _renamed
from ._async.client import AsyncPayloadClient
from ._sync.client import PayloadClient
from .models import (
    Branding,
    BulkResult,
    CmsPage,
    Document,
    Feature,
    GlobalDocument,
    LoginResult,
    MediaDocument,
    MeResult,
    OrderAudit,
    ProductContent,
    RefreshResult,
    ResetPasswordResult,
    Seo,
    Spec,
    Store,
    SyncJobLog,
    Tenant,
    Vendor,
    Version,
    WebhookLog,
)
from .where import Where

__all__ = [
    "AsyncPayloadClient",
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
    "PayloadClient",
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
    "Where",
]


def __getattr__(name: str) -> object:
    """``Page``: the old name of `CmsPage` (kept one release, with a DeprecationWarning)."""
    return _renamed(__name__, name, {"Page": ("CmsPage", CmsPage)})
