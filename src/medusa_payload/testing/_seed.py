"""`seed_demo`: the same catalogue and content as the live stack, in the fakes."""

from __future__ import annotations

from typing import Any

from ._medusa import FakeMedusa
from ._payload import FakePayload

__all__ = ["seed_checkout", "seed_demo"]


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

    Checkout data (stock, a promotion) is `seed_checkout`'s.

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
    return {
        "products": products,
        "store_id": store["id"],
        "page_ids": [about["id"], beta["id"]],
    }


def seed_checkout(medusa: FakeMedusa) -> dict[str, str]:
    """Seed what the live stack adds for checkout.

    ``live-mug`` (variant ``LIVE-MUG-IN`` with 1000 in stock, ``LIVE-MUG-OUT`` sold out, both
    managed), ``live-elsewhere`` only in another sales channel, and the promotion code
    ``LIVE10`` (10 % off the items). The fake's shipping option is always there.

    Returns the ids the live stack's ``live.env`` names: ``shipping_option_id``,
    ``other_sales_channel_id``, ``in_stock_variant_id``, ``sold_out_variant_id``,
    ``other_channel_variant_id``, ``promotion_code``.
    """

    def variant(title: str, sku: str, manage: bool) -> dict[str, Any]:
        return {
            "title": title,
            "sku": sku,
            "options": {"Kind": title},
            "manage_inventory": manage,
            "prices": [{"currency_code": "eur", "amount": 20}],
        }

    mug = medusa.add_product(
        "Live Mug",
        handle="live-mug",
        options=[{"title": "Kind", "values": ["In stock", "Sold out"]}],
        variants=[
            variant("In stock", "LIVE-MUG-IN", True),
            variant("Sold out", "LIVE-MUG-OUT", True),
        ],
        metadata={"source": "seed-live"},
    )
    ids = {v["sku"]: v["id"] for v in mug["variants"]}
    medusa.set_stock(ids["LIVE-MUG-IN"], 1000)
    other = medusa.add_sales_channel("Live Other Channel")
    elsewhere = medusa.add_product(
        "Live Elsewhere",
        handle="live-elsewhere",
        options=[{"title": "Kind", "values": ["Only"]}],
        variants=[variant("Only", "LIVE-ELSEWHERE", False)],
        sales_channel_ids=[other["id"]],
        metadata={"source": "seed-live"},
    )
    medusa.add_promotion("LIVE10", percentage=10)
    return {
        "shipping_option_id": medusa.shipping_option_id,
        "other_sales_channel_id": other["id"],
        "in_stock_variant_id": ids["LIVE-MUG-IN"],
        "sold_out_variant_id": ids["LIVE-MUG-OUT"],
        "other_channel_variant_id": elsewhere["variants"][0]["id"],
        "promotion_code": "LIVE10",
    }
