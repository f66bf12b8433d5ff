"""`SyncConfig`: collections, metadata keys and where branding goes, in one value."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["BrandingTarget", "SyncConfig"]

BrandingTarget = Literal["auto", "sales_channel", "store"]


@attrs.frozen
class SyncConfig:
    """Settings of the sync engine (the defaults fit the stock collections and a stock Medusa).

    Attributes:
        content_collection: Payload collection of product copy (``product-content``).
        pages_collection: the CMS pages (``pages``).
        stores_collection: store branding (``stores``).
        vendors_collection: vendor mirror (``vendors``).
        tenants_collection: tenant mirror (``tenants``).
        order_audit_collection: append-only order events (``order-audit``).
        branding_target: where store branding and pages go in Medusa. ``"auto"`` (default):
            the sales channel a Payload store names in ``salesChannelId``, else the Medusa store
            record. ``"sales_channel"`` requires ``salesChannelId``; ``"store"`` always uses the
            store record. (Medusa has no vendor module; a shop with one passes its own
            ``metadata_owner`` resolver to the appliers.)
        cms_key: the one metadata key that holds branding and pages on the owner record.
        locales: the CMS's locale codes; when set, each non-default locale's translations of
            product content go to the product's ``payload_content_<locale>`` metadata key
            (see docs/locales.md). Empty (default): one language.
        default_locale: the CMS's default locale (default: the first of ``locales``).
    """

    content_collection: str = "product-content"
    pages_collection: str = "pages"
    stores_collection: str = "stores"
    vendors_collection: str = "vendors"
    tenants_collection: str = "tenants"
    order_audit_collection: str = "order-audit"
    branding_target: BrandingTarget = "auto"
    cms_key: str = "payload_cms"
    locales: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    default_locale: str | None = None

    @property
    def source_locale(self) -> str | None:
        """The default locale (``None`` without locales)."""
        return self.default_locale or (self.locales[0] if self.locales else None)


DEFAULT_CONFIG = SyncConfig()
