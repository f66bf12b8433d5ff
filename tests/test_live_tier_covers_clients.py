"""The live tier calls every public method of both clients (issue: proven on the real servers).

A static check on the live test sources: adding a client method without a live test fails here.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from medusa_payload import MedusaClient, PayloadClient

LIVE = Path(__file__).resolve().parent / "live"
# Plumbing shared by every call (exercised by each of them), the context-manager exit, and
# from_settings (what from_env calls).
PLUMBING = {"send_request", "request_model", "close", "from_settings"}


def public_methods(obj: object, prefix: str = "", seen: set[int] | None = None) -> list[str]:
    """Dotted names of the public methods of a client, resources included."""
    seen = set() if seen is None else seen
    found = []
    for name in dir(obj):
        if name.startswith("_"):
            continue
        value = getattr(obj, name)
        if inspect.ismethod(value) or inspect.isfunction(value):
            found.append(prefix + name)
        elif type(value).__module__.startswith("medusa_payload.") and id(value) not in seen:
            seen.add(id(value))
            found.extend(public_methods(value, f"{prefix}{name}.", seen))
    return found


def _methods(client: MedusaClient | PayloadClient) -> list[str]:
    try:
        return [m for m in public_methods(client) if m not in PLUMBING]
    finally:
        client.close()


# Selling (carts, checkout, customers) is proven in its own live module.
SELLING = (
    "store.carts.",
    "store.shipping_options.",
    "store.payment_providers.",
    "store.payment_collections.",
    "store.customers.",
    "store.orders.",
    "auth.customer.",
    "with_customer",
)


def _medusa_module(method: str) -> str:
    return "test_selling_live.py" if method.startswith(SELLING) else "test_medusa_live.py"


CASES = [
    *[
        (_medusa_module(m), m)
        for m in _methods(MedusaClient("http://medusa.test", publishable_key="pk", api_key="sk"))
    ],
    *[("test_payload_live.py", m) for m in _methods(PayloadClient("http://payload.test"))],
]


def test_the_clients_have_the_expected_surface() -> None:
    names = {m for _, m in CASES}
    assert {"store.products.retrieve_by_handle", "admin.products.update_metadata"} <= names
    assert {"find", "update_where", "get_global", "logout"} <= names
    assert {"store.carts.complete", "auth.customer.login", "with_customer"} <= names
    assert {"store.customers.addresses.delete", "store.orders.list"} <= names
    assert {
        "find_versions",
        "find_version_by_id",
        "restore_version",
        "find_global_versions",
        "restore_global_version",
        "refresh_token",
        "forgot_password",
        "reset_password",
        "verify_email",
        "unlock",
        "absolute_url",
        "admin.products.list_variants",
        "admin.products.create_variant",
        "admin.products.update_variant",
        "admin.products.delete_variant",
        "admin.products.batch_variants",
        "admin.inventory_items.list",
        "admin.inventory_items.retrieve",
        "admin.inventory_items.list_levels",
        "admin.inventory_items.update_level",
        "admin.inventory_items.batch_levels",
        "admin.stock_locations.create",
        "admin.categories.update_products",
        "admin.collections.update_products",
        "admin.price_lists.batch_prices",
        "admin.promotions.create",
        "admin.campaigns.create",
        "admin.customers.create",
        "admin.customer_groups.update_customers",
        "admin.uploads.create",
    } <= names
    assert len(CASES) >= 65


@pytest.mark.parametrize(("module", "method"), CASES, ids=[f"{f}:{m}" for f, m in CASES])
def test_the_live_tier_calls(module: str, method: str) -> None:
    source = (LIVE / module).read_text()
    assert re.search(rf"\.{re.escape(method)}\(", source), f"{module} never calls .{method}("
