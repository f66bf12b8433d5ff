"""What the unified client returns: a product with its content, and store branding."""

from __future__ import annotations

from typing import Any, Literal

import pydantic

from .._compat import renamed as _renamed
from ..medusa.models import Product, ProductImage, ProductOption, ProductVariant
from ..payload.models import CmsPage, Feature, ProductContent, Seo, Spec

__all__ = ["DEFAULT_BRANDING", "CmsPage", "ContentStatus", "StoreBranding", "UnifiedProduct"]

ContentStatus = Literal["ok", "missing", "unavailable"]
"""``ok``: content found (and published, unless preview); ``missing``: the CMS answered but
holds no (published) content for the product; ``unavailable``: the CMS did not answer."""


class UnifiedProduct(pydantic.BaseModel):
    """One product: Medusa's commerce data plus Payload's content.

    Attributes:
        product: the Medusa product (variants with ``calculated_price`` for the region, images,
            options, metadata).
        content: the Payload ``product-content`` doc, or ``None``.
        content_status: ``ok`` / ``missing`` / ``unavailable`` (see `ContentStatus`).
        locale: the locale the content was read in (``None``: no locale asked).
        fallbacks: ``{content field path: locale}`` of the fields that had no translation in
            ``locale`` and came from the fallback locale (``{"description": "en"}``).

    Cached values are shared between callers: treat them as read-only.
    """

    model_config = pydantic.ConfigDict(frozen=True)

    product: Product
    content: ProductContent | None = None
    content_status: ContentStatus = "missing"
    locale: str | None = None
    fallbacks: dict[str, str] = pydantic.Field(default_factory=dict)

    @property
    def id(self) -> str:
        """The Medusa product id."""
        return self.product.id

    @property
    def handle(self) -> str | None:
        """The product handle."""
        return self.product.handle

    @property
    def title(self) -> str | None:
        """Medusa's title (Medusa owns it)."""
        return self.product.title

    @property
    def description(self) -> str | None:
        """Medusa's plain description."""
        return self.product.description

    @property
    def variants(self) -> list[ProductVariant]:
        """The variants (prices for the region when one was given)."""
        return self.product.variants or []

    @property
    def images(self) -> list[ProductImage]:
        """The product images."""
        return self.product.images or []

    @property
    def options(self) -> list[ProductOption]:
        """The product options."""
        return self.product.options or []

    @property
    def rich_description(self) -> Any:
        """Editors' rich text (Lexical JSON), or ``None``."""
        return self.content.rich_description if self.content else None

    @property
    def features(self) -> list[Feature]:
        """Editors' feature list."""
        return (self.content.features or []) if self.content else []

    @property
    def specs(self) -> list[Spec]:
        """Editors' specification rows."""
        return (self.content.specs or []) if self.content else []

    @property
    def seo(self) -> Seo | None:
        """Editors' SEO fields."""
        return self.content.seo if self.content else None


class StoreBranding(pydantic.BaseModel):
    """A store's look: logo, colours, theme (documented defaults fill what is not set).

    Attributes:
        handle / name / tenant: the store.
        sales_channel_id: the Medusa sales channel the store names, if any.
        logo: an uploaded logo (``branding.logoMedia``) as an absolute URL on the CMS; else
            the ``logo`` text as set (default ``None``).
        primary_color: default ``"#111827"``. secondary_color: default ``"#f9fafb"``.
        theme: ``"light"`` (default) or ``"dark"``.
        source: ``"cms"`` (from Payload), ``"defaults"`` (the store sets no logo and no
            colours) or
            ``"unavailable"`` (the CMS did not answer and nothing was cached: all defaults).
    """

    model_config = pydantic.ConfigDict(frozen=True)

    handle: str
    name: str | None = None
    tenant: str | None = None
    sales_channel_id: str | None = None
    logo: str | None = None
    primary_color: str = "#111827"
    secondary_color: str = "#f9fafb"
    theme: str = "light"
    source: Literal["cms", "defaults", "unavailable"] = "cms"


DEFAULT_BRANDING = {
    "logo": None,
    "primary_color": "#111827",
    "secondary_color": "#f9fafb",
    "theme": "light",
}


def __getattr__(name: str) -> object:
    """``Page``: the old name of `CmsPage` (kept one release, with a DeprecationWarning)."""
    return _renamed(__name__, name, {"Page": ("CmsPage", CmsPage)})
