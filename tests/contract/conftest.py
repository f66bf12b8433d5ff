"""The contract suite: every test runs against the fakes and (``-m live``) the real servers.

Where the real servers answer differently from the fakes, the fakes are wrong.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from medusa_payload import MedusaClient, PayloadClient
from medusa_payload.testing import FakeMedusa, FakePayload, seed_checkout, seed_demo
from tests.live._env import load_live_env


@dataclass
class Target:
    """One side of the contract: raw HTTP clients, SDK clients and the seeded values."""

    name: str
    medusa_http: httpx.Client
    payload_http: httpx.Client
    medusa: MedusaClient
    payload: PayloadClient
    publishable_key: str
    secret_key: str
    admin_email: str
    admin_password: str
    payload_api_key: str
    payload_email: str
    payload_password: str
    region_id: str
    sales_channel_id: str
    order_id: str
    checkout: dict[str, str] = field(default_factory=dict)
    cleanup: list[tuple[str, str]] = field(default_factory=list)

    @property
    def store_headers(self) -> dict[str, str]:
        return {"x-publishable-api-key": self.publishable_key}

    @property
    def admin_headers(self) -> dict[str, str]:
        token = base64.b64encode(f"{self.secret_key}:".encode()).decode()
        return {"authorization": f"Basic {token}"}

    @property
    def payload_headers(self) -> dict[str, str]:
        return {"authorization": f"users API-Key {self.payload_api_key}"}

    def unique(self, prefix: str) -> str:
        """A handle no earlier run used."""
        return f"{prefix}-{uuid.uuid4().hex[:10]}"

    def create_product(self, **body: Any) -> dict[str, Any]:
        """Create a product through the admin API (removed after the test)."""
        data = {
            "title": "Contract Product",
            "options": [{"title": "Size", "values": ["One"]}],
            "variants": [
                {
                    "title": "One",
                    "options": {"Size": "One"},
                    "manage_inventory": False,
                    "prices": [{"currency_code": "eur", "amount": 7}],
                }
            ],
            "sales_channels": [{"id": self.sales_channel_id}],
            **body,
        }
        response = self.medusa_http.post("/admin/products", json=data, headers=self.admin_headers)
        assert response.status_code == 200, response.text
        product: dict[str, Any] = response.json()["product"]
        self.cleanup.append(("product", product["id"]))
        return product

    def create_doc(self, collection: str, data: dict[str, Any]) -> dict[str, Any]:
        """Create a Payload document (removed after the test)."""
        response = self.payload_http.post(
            f"/api/{collection}", json=data, headers=self.payload_headers
        )
        assert response.status_code == 201, response.text
        doc: dict[str, Any] = response.json()["doc"]
        self.cleanup.append((collection, str(doc["id"])))
        return doc

    def close(self) -> None:
        for kind, ident in reversed(self.cleanup):
            if kind == "product":
                self.medusa_http.delete(f"/admin/products/{ident}", headers=self.admin_headers)
            else:
                self.payload_http.delete(f"/api/{kind}/{ident}", headers=self.payload_headers)
        for client in (self.medusa_http, self.payload_http, self.medusa, self.payload):
            client.close()


def _fake_target() -> Target:
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    order = medusa.add_order(items=[{"title": "Live Tee", "quantity": 1, "unit_price": 25}])
    checkout = seed_checkout(medusa)
    return Target(
        name="fake",
        medusa_http=httpx.Client(base_url=medusa.base_url, transport=medusa.transport),
        payload_http=httpx.Client(base_url=payload.base_url, transport=payload.transport),
        medusa=MedusaClient(
            medusa.base_url,
            publishable_key=medusa.publishable_key,
            api_key=medusa.secret_key,
            transport=medusa.transport,
        ),
        payload=PayloadClient(
            payload.base_url, api_key=payload.api_key, transport=payload.transport
        ),
        publishable_key=medusa.publishable_key,
        secret_key=medusa.secret_key,
        admin_email=medusa.admin_email,
        admin_password=medusa.admin_password,
        payload_api_key=payload.api_key,
        payload_email=payload.email,
        payload_password=payload.password,
        region_id=medusa.region_id,
        sales_channel_id=medusa.sales_channel_id,
        order_id=order["id"],
        checkout=checkout,
    )


# A shipping address inside the seeded service zone (Germany).
ADDRESS = {
    "first_name": "Ada",
    "last_name": "Buyer",
    "address_1": "1 Main St",
    "city": "Berlin",
    "country_code": "de",
    "postal_code": "10115",
}

CHECKOUT_KEYS = (
    "shipping_option_id",
    "other_sales_channel_id",
    "in_stock_variant_id",
    "sold_out_variant_id",
    "other_channel_variant_id",
    "promotion_code",
)


def checkout_ids(env: dict[str, str]) -> dict[str, str]:
    """The checkout ids of ``live.env`` (``MEDUSA_SHIPPING_OPTION_ID`` ...), as seed_checkout's.

    A stack seeded before checkout existed has none: the selling tests fail on that, no other.
    """
    return {k: env[f"MEDUSA_{k.upper()}"] for k in CHECKOUT_KEYS if f"MEDUSA_{k.upper()}" in env}


def _live_target() -> Target:
    env = load_live_env()
    return Target(
        name="live",
        medusa_http=httpx.Client(base_url=env["MEDUSA_URL"], timeout=30),
        payload_http=httpx.Client(base_url=env["PAYLOAD_URL"], timeout=30),
        medusa=MedusaClient(
            env["MEDUSA_URL"],
            publishable_key=env["MEDUSA_PUBLISHABLE_KEY"],
            api_key=env["MEDUSA_SECRET_API_KEY"],
        ),
        payload=PayloadClient(env["PAYLOAD_URL"], api_key=env["PAYLOAD_API_KEY"]),
        publishable_key=env["MEDUSA_PUBLISHABLE_KEY"],
        secret_key=env["MEDUSA_SECRET_API_KEY"],
        admin_email=env["MEDUSA_ADMIN_EMAIL"],
        admin_password=env["MEDUSA_ADMIN_PASSWORD"],
        payload_api_key=env["PAYLOAD_API_KEY"],
        payload_email=env.get("PAYLOAD_ADMIN_EMAIL", "admin@example.com"),
        payload_password=env.get("PAYLOAD_ADMIN_PASSWORD", "supersecret"),
        region_id=env["MEDUSA_REGION_ID"],
        sales_channel_id=env["MEDUSA_SALES_CHANNEL_ID"],
        order_id=env["MEDUSA_ORDER_ID"],
        checkout=checkout_ids(env),
    )


@pytest.fixture(params=["fake", pytest.param("live", marks=pytest.mark.live)])
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    """The server under contract: the in-memory fakes, or the real stack (``-m live``)."""
    made = _fake_target() if request.param == "fake" else _live_target()
    try:
        yield made
    finally:
        made.close()
