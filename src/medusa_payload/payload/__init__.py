"""Payload 3 REST clients: `PayloadClient` and `AsyncPayloadClient`, `Where`, and models."""

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
    MeResult,
    OrderAudit,
    Page,
    ProductContent,
    Seo,
    Spec,
    Store,
    SyncJobLog,
    Tenant,
    Vendor,
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
    "OrderAudit",
    "Page",
    "PayloadClient",
    "ProductContent",
    "Seo",
    "Spec",
    "Store",
    "SyncJobLog",
    "Tenant",
    "Vendor",
    "WebhookLog",
    "Where",
]
