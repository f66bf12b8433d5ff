"""Requests per guest checkout, against the fewest Medusa's store API allows.

    python -m benchmarks.selling_checkout

On the in-memory FakeMedusa (request counts come from its counters), a guest buys 2 line
items, shipped to an address, paid with the system provider:

1. the step-by-step flow of docs/selling.md (create, add a line, set the addresses, list
   shipping options, choose one, start the payment session, complete);
2. the shortest flow the SDK offers (items and addresses given to ``carts.create``);
3. the fewest the API allows: ``POST /store/carts`` (items, addresses), ``GET
   /store/shipping-options``, ``POST .../shipping-methods``, ``POST /store/payment-collections``,
   ``POST .../payment-sessions``, ``POST .../complete`` = 6 (5 when the shipping option id is
   already known);
4. a second payment session for a cart that already shows its collection (``Cart`` passed to
   ``initiate_session``): 1 request (the js-sdk's way; a cart id alone costs 2).
"""

from __future__ import annotations

from typing import Any

from benchmarks._util import report
from medusa_payload import MedusaClient
from medusa_payload.testing import FakeMedusa, FakePayload, seed_checkout, seed_demo

FEWEST = 6
ADDRESS = {"address_1": "1 Main St", "city": "Berlin", "country_code": "de", "postal_code": "1"}


def _client() -> tuple[FakeMedusa, MedusaClient, dict[str, str], list[str]]:
    fake = FakeMedusa()
    seed_demo(fake, FakePayload())
    ids = seed_checkout(fake)
    client = MedusaClient(
        fake.base_url, publishable_key=fake.publishable_key, transport=fake.transport
    )
    tee = client.store.products.retrieve_by_handle("live-tee")
    return fake, client, ids, [v.id for v in tee.variants or []]


def step_by_step() -> int:
    fake, m, ids, tee = _client()
    fake.reset_requests()
    cart = m.store.carts.create(region_id=fake.region_id, email="a@example.com")
    m.store.carts.create_line_item(cart.id, variant_id=tee[0], quantity=2)
    m.store.carts.create_line_item(cart.id, variant_id=ids["in_stock_variant_id"], quantity=1)
    m.store.carts.update(cart.id, shipping_address=ADDRESS, billing_address=ADDRESS)
    option = m.store.shipping_options.list(cart_id=cart.id).items[0]
    m.store.carts.add_shipping_method(cart.id, option_id=option.id)
    m.store.payment_collections.initiate_session(cart.id, provider_id="pp_system_default")
    assert m.store.carts.complete(cart.id).placed
    m.close()
    return fake.count()


def shortest() -> tuple[int, int]:
    fake, m, ids, tee = _client()
    fake.reset_requests()
    cart = m.store.carts.create(
        region_id=fake.region_id,
        email="a@example.com",
        items=[
            {"variant_id": tee[0], "quantity": 2},
            {"variant_id": ids["in_stock_variant_id"], "quantity": 1},
        ],
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
    )
    option = m.store.shipping_options.list(cart_id=cart.id).items[0]
    cart = m.store.carts.add_shipping_method(cart.id, option_id=option.id)
    m.store.payment_collections.initiate_session(cart.id, provider_id="pp_system_default")
    assert m.store.carts.complete(cart.id).placed
    total = fake.count()
    # A second session, the cart (with its collection) in hand: one request.
    again = m.store.carts.create(items=[{"variant_id": tee[0], "quantity": 1}])
    m.store.payment_collections.initiate_session(again.id, provider_id="pp_system_default")
    again = m.store.carts.retrieve(again.id)
    fake.reset_requests()
    m.store.payment_collections.initiate_session(again, provider_id="pp_system_default")
    m.close()
    return total, fake.count()


def main() -> None:
    """Count and print."""
    steps = step_by_step()
    short, session = shortest()
    figures: dict[str, Any] = {
        "requests, step-by-step checkout": steps,
        "requests, shortest SDK checkout": short,
        f"fewest the API allows (target {FEWEST})": FEWEST,
        "shortest / fewest (target 1.0)": short / FEWEST,
        "requests, session with the Cart in hand (target 1)": session,
    }
    report("selling.guest_checkout", figures)


if __name__ == "__main__":
    main()
