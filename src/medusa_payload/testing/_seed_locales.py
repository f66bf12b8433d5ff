"""The live stack's languages and second tenant, on the fakes (`seed_locales`)."""

from __future__ import annotations

from typing import Any

from ._medusa import FakeMedusa
from ._payload import FakePayload

__all__ = ["seed_locales"]


def seed_locales(medusa: FakeMedusa, payload: FakePayload) -> dict[str, Any]:
    """After `seed_demo`, what the live stack's seeds add for languages and tenants.

    French copy of ``live-tee`` (title, description, SEO title; ``live-hoodie`` has none, so
    it falls back to English), a French title of acme's ``about`` page, tenant ``beta``'s
    store with its own branding, and a second Medusa sales channel with its own publishable
    key and one product, ``live-beta-only``, sold only there.

    Returns ``{"beta_sales_channel_id": ..., "beta_publishable_key": ...}``.
    """
    tee = next(d for d in payload.docs("product-content") if d["handle"] == "live-tee")
    payload.translate(
        "product-content",
        tee["id"],
        "fr",
        {
            "title": "Tee en direct",
            "description": "Tee en direct, description simple",
            "seo": {"title": "Tee en direct | Acme"},
        },
    )
    about = next(d for d in payload.docs("pages") if d["tenant"] == "acme")
    payload.translate("pages", about["id"], "fr", {"title": "À propos"})
    payload.add_store(
        "beta",
        "Beta Store",
        tenant="beta",
        branding={
            "logo": "/beta.svg",
            "primaryColor": "#445566",
            "secondaryColor": "#ffeedd",
            "theme": "dark",
        },
    )
    channel = medusa.add_sales_channel("Beta Sales Channel")
    key = medusa.add_publishable_key([channel["id"]])
    medusa.add_product(
        "Beta Only",
        handle="live-beta-only",
        prices={"eur": 7},
        sales_channel_ids=[channel["id"]],
    )
    return {"beta_sales_channel_id": channel["id"], "beta_publishable_key": key}
