"""`seed_demo`: the same catalogue and content as the live stack, in the fakes."""

from __future__ import annotations

from typing import Any

from ._medusa import FakeMedusa
from ._payload import FakePayload

__all__ = ["seed_demo"]


def _paragraph(text: str) -> dict[str, Any]:
    return {
        "root": {
            "type": "root",
            "format": "",
            "indent": 0,
            "version": 1,
            "direction": "ltr",
            "children": [
                {
                    "type": "paragraph",
                    "format": "",
                    "indent": 0,
                    "version": 1,
                    "direction": "ltr",
                    "children": [{"type": "text", "text": text, "format": 0, "version": 1}],
                }
            ],
        }
    }


def seed_demo(medusa: FakeMedusa, payload: FakePayload) -> dict[str, Any]:
    """Seed ``live-tee`` and ``live-hoodie`` (sizes S/M, EUR and USD prices) with published
    content, ``live-plain`` without content, a draft-only content doc, the ``acme`` store with
    branding and an ``about`` page for tenant ``acme`` and one for tenant ``beta``.

    Returns the ids: ``{"products": {handle: id}, "store_id": ..., "page_ids": [...]}``.
    """
    products = {}
    for title, handle, eur, usd in (
        ("Live Tee", "live-tee", 10, 12),
        ("Live Hoodie", "live-hoodie", 30, 35),
        ("Live Plain", "live-plain", 5, 6),
    ):
        product = medusa.add_product(
            title,
            handle=handle,
            description=f"{title} from the live seed",
            options=[{"title": "Size", "values": ["S", "M"]}],
            variants=[
                {
                    "title": size,
                    "sku": f"{handle.upper()}-{size}",
                    "options": {"Size": size},
                    "manage_inventory": False,
                    "prices": [
                        {"currency_code": "eur", "amount": eur},
                        {"currency_code": "usd", "amount": usd},
                    ],
                }
                for size in ("S", "M")
            ],
            metadata={"source": "seed-live"},
        )
        products[handle] = product["id"]
    for handle, title in (("live-tee", "Live Tee"), ("live-hoodie", "Live Hoodie")):
        payload.add_product_content(
            handle,
            title,
            medusa_product_id=products[handle],
            description=f"{title} plain description",
            rich_description=_paragraph(f"{title} rich description"),
            features=[{"title": "Organic cotton", "description": "100% organic"}],
            specs=[{"key": "weight", "value": "180gsm"}],
            seo={
                "title": f"{title} | Acme",
                "description": f"Buy {title}",
                "keywords": "tee,cotton",
            },
        )
    payload.add_product_content("live-draft", "Live Draft", status="draft")
    store = payload.add_store(
        "acme",
        "Acme Store",
        tenant="acme",
        branding={
            "logo": "/logo.svg",
            "primaryColor": "#112233",
            "secondaryColor": "#ddeeff",
            "theme": "light",
        },
        sales_channel_id=medusa.sales_channel_id,
    )
    about = payload.add_page(
        "about", "About us", tenant="acme", store=store["id"], content=_paragraph("We sell tees.")
    )
    beta = payload.add_page("about", "About Beta", tenant="beta", content=_paragraph("Beta."))
    return {"products": products, "store_id": store["id"], "page_ids": [about["id"], beta["id"]]}
