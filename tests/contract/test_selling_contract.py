"""Checkout as Medusa 2.21 answers it, held for FakeMedusa and the real server alike.

Each rule the SDK's retry policy relies on (a repeated call changes nothing) is shown here by
repeating the call on both servers.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from medusa_payload.errors import (
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    UnprocessableEntityError,
)
from medusa_payload.medusa import Cart, MedusaClient
from tests.contract.conftest import ADDRESS, CHECKOUT_KEYS, Target


@pytest.fixture
def ids(target: Target) -> dict[str, str]:
    missing = [k for k in CHECKOUT_KEYS if k not in target.checkout]
    if missing:
        pytest.fail(f"the stack lacks the checkout seed {missing}: restart it")
    return target.checkout


def _tee_variants(medusa: MedusaClient) -> list[str]:
    tee = medusa.store.products.retrieve_by_handle("live-tee")
    return [v.id for v in tee.variants or []]


def _ready_cart(target: Target, ids: dict[str, str]) -> Cart:
    """A guest cart with 2 lines, addresses and shipping: ready for a payment session."""
    medusa = target.medusa
    tee = _tee_variants(medusa)
    cart = medusa.store.carts.create(
        region_id=target.region_id,
        email=f"{uuid.uuid4().hex[:8]}@example.com",
        items=[{"variant_id": tee[0], "quantity": 2}],
    )
    medusa.store.carts.create_line_item(cart.id, variant_id=ids["in_stock_variant_id"], quantity=1)
    medusa.store.carts.update(cart.id, shipping_address=ADDRESS, billing_address=ADDRESS)
    return medusa.store.carts.add_shipping_method(cart.id, option_id=ids["shipping_option_id"])


def test_guest_checkout_and_the_calls_safe_to_repeat(target: Target, ids: dict[str, str]) -> None:
    medusa = target.medusa
    cart = _ready_cart(target, ids)
    assert cart.currency_code == "eur"
    assert sorted(i.quantity or 0 for i in cart.items or []) == [1, 2]
    assert cart.item_total == 2 * 10 + 20
    options = medusa.store.shipping_options.list(cart_id=cart.id)
    option = next(o for o in options.items if o.id == ids["shipping_option_id"])
    assert option.price_type == "flat"
    assert option.calculated_price and option.calculated_price["calculated_amount"] == 8
    again = medusa.store.carts.add_shipping_method(cart.id, option_id=ids["shipping_option_id"])
    assert len(again.shipping_methods or []) == 1  # replaced, not added
    assert (again.shipping_total, again.total) == (8, 48)
    providers = medusa.store.payment_providers.list(region_id=target.region_id)
    assert "pp_system_default" in [p.id for p in providers.items]
    first = medusa.store.payment_collections.initiate_session(
        cart.id, provider_id="pp_system_default"
    )
    second = medusa.store.payment_collections.initiate_session(
        cart.id, provider_id="pp_system_default"
    )
    assert second.id == first.id  # the cart's collection, not a new one
    assert len(second.payment_sessions or []) == 1  # the session was replaced
    assert second.amount == 48
    placed = medusa.store.carts.complete(cart.id)
    assert placed.type == "order" and placed.placed and placed.order
    assert placed.order.total == 48
    repeated = medusa.store.carts.complete(cart.id)
    assert repeated.order and repeated.order.id == placed.order.id  # same order, no second
    with pytest.raises(BadRequestError, match="already completed") as info:
        medusa.store.carts.create_line_item(
            cart.id, variant_id=_tee_variants(medusa)[0], quantity=1
        )
    assert info.value.type == "invalid_data"
    assert cart.id in str(info.value.request.url if info.value.request else "")


def test_a_cart_change_drops_the_payment_session(target: Target, ids: dict[str, str]) -> None:
    medusa = target.medusa
    cart = _ready_cart(target, ids)
    medusa.store.payment_collections.initiate_session(cart.id, provider_id="pp_system_default")
    line, other = sorted(cart.items or [], key=lambda i: i.quantity or 0, reverse=True)
    changed = medusa.store.carts.update_line_item(cart.id, line.id, quantity=3)
    repeated = medusa.store.carts.update_line_item(cart.id, line.id, quantity=3)
    quantities = {i.id: i.quantity for i in repeated.items or []}
    assert quantities[line.id] == 3  # set, not added
    assert changed.payment_collection and changed.payment_collection.payment_sessions == []
    assert repeated.payment_collection and repeated.payment_collection.amount == 3 * 10 + 20 + 8
    with pytest.raises(BadRequestError, match="Payment sessions are required"):
        medusa.store.carts.complete(cart.id)
    gone = medusa.store.carts.delete_line_item(cart.id, line.id)
    assert [i.id for i in gone.items or []] == [other.id]
    again = medusa.store.carts.delete_line_item(cart.id, line.id)  # repeating is harmless
    assert [i.id for i in again.items or []] == [other.id]
    emptied = medusa.store.carts.update_line_item(cart.id, other.id, quantity=0)
    assert emptied.items == []  # quantity 0 removes the line


def test_checkout_without_shipping_is_refused(target: Target, ids: dict[str, str]) -> None:
    medusa = target.medusa
    cart = medusa.store.carts.create(
        items=[{"variant_id": _tee_variants(medusa)[0], "quantity": 1}]
    )
    assert cart.region_id == target.region_id  # the default region
    assert cart.sales_channel_id == target.sales_channel_id  # the key's channel
    medusa.store.payment_collections.initiate_session(cart, provider_id="pp_system_default")
    with pytest.raises(BadRequestError, match="No shipping method selected") as info:
        medusa.store.carts.complete(cart.id)
    assert info.value.type == "invalid_data"
    empty = medusa.store.carts.create(region_id=target.region_id)
    with pytest.raises(BadRequestError, match="Cannot complete a cart with no items"):
        medusa.store.carts.complete(empty.id)
    unpaid = medusa.store.carts.create(
        items=[{"variant_id": _tee_variants(medusa)[0], "quantity": 1}]
    )
    with pytest.raises(BadRequestError, match="Payment collection has not been initiated"):
        medusa.store.carts.complete(unpaid.id)
    with pytest.raises(BadRequestError, match="Shipping Options are invalid"):
        medusa.store.carts.add_shipping_method(cart.id, option_id="so_unknown")
    with pytest.raises(BadRequestError, match="not enabled in the cart's region"):
        medusa.store.payment_collections.initiate_session(cart.id, provider_id="pp_unknown")


UNKNOWN_ERROR = {
    "code": "unknown_error",
    "type": "unknown_error",
    "message": "An unknown error occurred.",
}


def test_calculating_a_shipping_price(target: Target, ids: dict[str, str]) -> None:
    """Medusa asks the option's provider whatever its price type; the manual provider of the
    seeded flat option cannot price, and an unknown option or cart fails inside Medusa: all
    three are the same 500. Only the body is validated into a 400."""
    medusa = target.medusa
    cart = _ready_cart(target, ids)
    option_id = ids["shipping_option_id"]
    refused = [
        (option_id, cart.id, None),
        (option_id, cart.id, {"carrier": "ups"}),
        ("so_unknown", cart.id, None),
        (option_id, "cart_unknown", None),
    ]
    for refused_option, cart_id, data in refused:
        with pytest.raises(InternalServerError, match="An unknown error occurred") as info:
            medusa.store.shipping_options.calculate(refused_option, cart_id=cart_id, data=data)
        assert (info.value.status_code, info.value.type, info.value.code) == (
            500,
            "unknown_error",
            "unknown_error",
        )
        assert info.value.body == UNKNOWN_ERROR
    raw = target.medusa_http
    url = f"/store/shipping-options/{option_id}/calculate"
    bodies = {
        "{}": "Field 'cart_id' is required",
        '{"cart_id": 5}': "Expected type: 'string' for field 'cart_id', got: '5'",
        f'{{"cart_id": "{cart.id}", "data": 5}}': (
            "Expected type: 'record' for field 'data', got: '5'"
        ),
        f'{{"cart_id": "{cart.id}", "a": 1, "b": 2}}': "Unrecognized fields: 'a, b'",
        '{"a": 1}': "Field 'cart_id' is required; Unrecognized fields: 'a'",
    }
    headers = {**target.store_headers, "content-type": "application/json"}
    for content, message in bodies.items():
        response = raw.post(url, content=content, headers=headers)
        assert response.status_code == 400, (content, response.text)
        assert response.json() == {
            "type": "invalid_data",
            "message": f"Invalid request: {message}",
        }, content
    response = raw.post(url, headers=target.store_headers)  # no body at all
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid request: Field 'cart_id' is required"
    # Nothing changed: the cart still ships with the option at its flat price.
    after = medusa.store.carts.retrieve(cart.id)
    assert (after.shipping_total, after.total) == (8, 48)


def test_promotion_codes(target: Target, ids: dict[str, str]) -> None:
    medusa = target.medusa
    cart = _ready_cart(target, ids)
    code = ids["promotion_code"]
    discounted = medusa.store.carts.add_promotions(cart.id, [code])
    twice = medusa.store.carts.add_promotions(cart.id, [code])
    assert [p.code for p in twice.promotions or []] == [code]  # applied once
    assert discounted.discount_total == 4  # 10 % of the 40 of items, none off shipping
    assert discounted.total == 40 - 4 + 8
    with pytest.raises(BadRequestError, match="The promotion code NOPE is invalid") as info:
        medusa.store.carts.add_promotions(cart.id, ["NOPE"])
    assert info.value.type == "invalid_data"
    removed = medusa.store.carts.remove_promotions(cart.id, [code])
    assert removed.promotions == []
    assert (removed.discount_total, removed.total) == (0, 48)


@pytest.mark.parametrize(
    ("case", "status_type", "code", "message"),
    [
        ("zero", "invalid_data", None, "too small"),
        ("negative", "invalid_data", None, "too small"),
        ("sold_out", "not_allowed", "insufficient_inventory", "required inventory"),
        ("unknown", "invalid_data", None, "do not exist"),
    ],
)
def test_bad_line_items_are_typed_errors(
    target: Target,
    ids: dict[str, str],
    case: str,
    status_type: str,
    code: str | None,
    message: str,
) -> None:
    medusa = target.medusa
    variant, quantity = {
        "zero": (ids["in_stock_variant_id"], 0),
        "negative": (ids["in_stock_variant_id"], -1),
        "sold_out": (ids["sold_out_variant_id"], 1),
        "unknown": ("variant_unknown", 1),
    }[case]
    cart = medusa.store.carts.create(region_id=target.region_id)
    with pytest.raises(BadRequestError, match=message) as info:
        medusa.store.carts.create_line_item(cart.id, variant_id=variant, quantity=quantity)
    assert (info.value.type, info.value.code) == (status_type, code)
    assert medusa.store.carts.retrieve(cart.id).items == []  # nothing half-added
    with pytest.raises(BadRequestError) as at_create:
        medusa.store.carts.create(items=[{"variant_id": variant, "quantity": quantity}])
    assert at_create.value.type == status_type


def test_cart_currency_and_channel_rules(target: Target, ids: dict[str, str]) -> None:
    medusa = target.medusa
    with pytest.raises(BadRequestError, match="does not match the region's currency") as info:
        medusa.store.carts.create(region_id=target.region_id, currency_code="usd")
    assert info.value.type == "invalid_data"
    with pytest.raises(BadRequestError, match="request body contains errors"):
        medusa.store.carts.create(sales_channel_id=ids["other_sales_channel_id"])
    # Medusa 2.21.2 adds a variant of another sales channel when it does not manage its
    # inventory (no stock location of the cart's channel is asked): the SDK cannot tell.
    cart = medusa.store.carts.create(region_id=target.region_id)
    added = medusa.store.carts.create_line_item(
        cart.id, variant_id=ids["other_channel_variant_id"], quantity=1
    )
    assert [i.variant_id for i in added.items or []] == [ids["other_channel_variant_id"]]


def test_store_stock_of_variants(target: Target, ids: dict[str, str]) -> None:
    mug = target.medusa.store.products.retrieve_by_handle(
        "live-mug", fields="+variants.inventory_quantity"
    )
    stock = {v.id: v for v in mug.variants or []}
    assert stock[ids["sold_out_variant_id"]].inventory_quantity == 0
    assert stock[ids["sold_out_variant_id"]].in_stock is False
    assert (stock[ids["in_stock_variant_id"]].inventory_quantity or 0) > 0
    assert stock[ids["in_stock_variant_id"]].in_stock is True
    tee = target.medusa.store.products.retrieve_by_handle(
        "live-tee", fields="+variants.inventory_quantity"
    )
    assert all(v.in_stock for v in tee.variants or [])  # inventory not managed


def _register(medusa: MedusaClient, first_name: str) -> tuple[str, str, Any]:
    email = f"{first_name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    registration = medusa.auth.customer.register(email, "pw-123456")
    customer = medusa.store.customers.create(
        email=email, first_name=first_name, registration_token=registration
    )
    return email, customer.id, medusa.auth.customer.login(email, "pw-123456")


def test_customer_account_and_tokens(target: Target) -> None:
    medusa = target.medusa
    email = f"cee-{uuid.uuid4().hex[:8]}@example.com"
    registration = medusa.auth.customer.register(email, "pw-123456")
    with pytest.raises(AuthenticationError):  # a registration token is no customer yet
        medusa.with_customer(registration).store.customers.retrieve_me()
    created = medusa.store.customers.create(
        email=email, first_name="Cee", registration_token=registration
    )
    assert created.has_account is True
    with pytest.raises(UnprocessableEntityError) as duplicate:
        medusa.store.customers.create(email=email, registration_token=registration)
    assert duplicate.value.type == "duplicate_error"
    with pytest.raises(AuthenticationError, match="Identity with email already exists"):
        medusa.auth.customer.register(email, "pw-123456")  # taken once the customer exists
    with pytest.raises(AuthenticationError) as wrong:
        medusa.auth.customer.login(email, "wrong")
    assert wrong.value.type == "unauthorized"
    token = medusa.auth.customer.login(email, "pw-123456")
    me = medusa.with_customer(token)
    assert me.store.customers.retrieve_me().id == created.id
    assert me.store.customers.update_me(last_name="Dee").last_name == "Dee"
    for bad in ("not.a.token", None):
        client = medusa if bad is None else medusa.with_customer(bad)
        with pytest.raises(AuthenticationError):
            client.store.customers.retrieve_me()
    fresh = medusa.auth.customer.refresh(token)
    assert medusa.with_customer(fresh).store.customers.retrieve_me().id == created.id
    with pytest.raises(AuthenticationError):
        medusa.auth.customer.refresh("not.a.token")
    medusa.auth.customer.logout(token)
    # Medusa cannot revoke a JWT: the token works until it expires.
    assert me.store.customers.retrieve_me().id == created.id


def test_customer_address_book(target: Target) -> None:
    _, _, token = _register(target.medusa, "Addy")
    me = target.medusa.with_customer(token)
    customer = me.store.customers.addresses.create(
        {"address_name": "home", "address_1": "2 Side St", "city": "Paris", "country_code": "fr"}
    )
    (address,) = customer.addresses or []
    assert me.store.customers.addresses.retrieve(address.id).city == "Paris"
    updated = me.store.customers.addresses.update(address.id, {"city": "Lyon"})
    assert [a.city for a in updated.addresses or []] == ["Lyon"]
    assert [a.id for a in me.store.customers.addresses.list().items] == [address.id]
    me.store.customers.addresses.delete(address.id)
    assert me.store.customers.addresses.list().count == 0


def test_customer_orders_are_theirs_only(target: Target, ids: dict[str, str]) -> None:
    medusa = target.medusa
    _, ada_id, ada_token = _register(medusa, "Ada")
    _, _, bob_token = _register(medusa, "Bob")
    ada, bob = medusa.with_customer(ada_token), medusa.with_customer(bob_token)
    guest = _ready_cart(target, ids)
    assert guest.customer_id not in (None, ada_id)  # Medusa makes a guest customer of the email
    mine = ada.store.carts.transfer(guest.id)
    assert mine.customer_id == ada_id
    with pytest.raises(AuthenticationError):
        medusa.store.carts.transfer(guest.id)  # needs a customer
    ada.store.payment_collections.initiate_session(mine, provider_id="pp_system_default")
    order = ada.store.carts.complete(mine.id).order
    assert order is not None
    assert ada.store.orders.retrieve(order.id, fields="id,customer_id").customer_id == ada_id
    assert [o.id for o in ada.store.orders.list().items] == [order.id]
    assert order.id not in [o.id for o in bob.store.orders.list().items]
    assert medusa.store.orders.retrieve(order.id).total == order.total  # the id is the key
    with pytest.raises(AuthenticationError):
        medusa.store.orders.list()
    own_cart = ada.store.carts.create(region_id=target.region_id)
    assert own_cart.customer_id == ada_id  # a signed-in customer's new cart is theirs


def test_an_order_takes_its_quantity_off_the_store_stock(
    target: Target, ids: dict[str, str]
) -> None:
    medusa = target.medusa

    def stock() -> float:
        mug = medusa.store.products.retrieve_by_handle(
            "live-mug", fields="+variants.inventory_quantity"
        )
        variant = next(v for v in mug.variants or [] if v.id == ids["in_stock_variant_id"])
        return variant.inventory_quantity or 0

    before = stock()
    cart = medusa.store.carts.create(
        items=[{"variant_id": ids["in_stock_variant_id"], "quantity": 3}], shipping_address=ADDRESS
    )
    assert stock() == before  # a cart reserves nothing
    medusa.store.carts.add_shipping_method(cart.id, option_id=ids["shipping_option_id"])
    medusa.store.payment_collections.initiate_session(cart.id, provider_id="pp_system_default")
    assert medusa.store.carts.complete(cart.id).placed
    assert stock() == before - 3
