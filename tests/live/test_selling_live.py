"""Selling on the real Medusa 2.21.2: checkout, customers and their orders, bad input.

Needs the stack's checkout seed (stock location, shipping option, stock, ``LIVE10``): see
``tests/live/stack/medusa/src/scripts/seed-live.ts``. Every selling method of the client is
called here (``tests/test_live_tier_covers_clients.py`` checks it).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import uuid

import pytest
from pydantic import SecretStr

from medusa_payload import AsyncMedusaClient, MedusaClient, PayloadClient, UnifiedClient
from medusa_payload.errors import AuthenticationError, BadRequestError, InternalServerError
from medusa_payload.medusa import Cart
from tests.contract.conftest import ADDRESS
from tests.live._env import env_file

pytestmark = pytest.mark.live

#: The stack's Medusa log (``live-stack.sh`` writes it next to ``live.env``).
MEDUSA_LOG = env_file().parent / "logs" / "medusa.log"


@pytest.fixture
def seed(live_env: dict[str, str]) -> dict[str, str]:
    if "MEDUSA_SHIPPING_OPTION_ID" not in live_env:
        pytest.fail("live.env lacks the checkout seed: restart the stack with this branch")
    return live_env


def _tee(medusa: MedusaClient) -> list[str]:
    product = medusa.store.products.retrieve_by_handle("live-tee")
    return [v.id for v in product.variants or []]


def _fill(medusa: MedusaClient, cart: Cart, seed: dict[str, str]) -> Cart:
    """Two line items, addresses and the flat shipping option: ready to pay."""
    tee = _tee(medusa)
    medusa.store.carts.create_line_item(cart.id, variant_id=tee[0], quantity=2)
    medusa.store.carts.create_line_item(
        cart.id, variant_id=seed["MEDUSA_IN_STOCK_VARIANT_ID"], quantity=1
    )
    medusa.store.carts.update(
        cart.id, shipping_address=ADDRESS, billing_address=ADDRESS, email=cart.email
    )
    options = medusa.store.shipping_options.list(cart_id=cart.id)
    assert seed["MEDUSA_SHIPPING_OPTION_ID"] in [o.id for o in options.items]
    return medusa.store.carts.add_shipping_method(
        cart.id, option_id=seed["MEDUSA_SHIPPING_OPTION_ID"]
    )


def _register(medusa: MedusaClient, name: str) -> tuple[str, SecretStr]:
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
    registration = medusa.auth.customer.register(email, "pw-123456")
    customer = medusa.store.customers.create(
        email=email, first_name=name, registration_token=registration
    )
    return customer.id, medusa.auth.customer.login(email, "pw-123456")


def test_guest_checkout_order_matches_the_admin_api(
    medusa: MedusaClient, seed: dict[str, str], unique: str
) -> None:
    cart = medusa.store.carts.create(region_id=seed["MEDUSA_REGION_ID"], email=f"g-{unique}@x.io")
    cart = _fill(medusa, cart, seed)
    assert len(cart.items or []) == 2
    assert (cart.item_total, cart.shipping_total, cart.total) == (40, 8, 48)
    providers = medusa.store.payment_providers.list(region_id=seed["MEDUSA_REGION_ID"])
    assert "pp_system_default" in [p.id for p in providers.items]
    collection = medusa.store.payment_collections.initiate_session(
        cart.id, provider_id="pp_system_default"
    )
    assert collection.amount == 48
    assert [s.provider_id for s in collection.payment_sessions or []] == ["pp_system_default"]
    completion = medusa.store.carts.complete(cart.id)
    assert completion.order is not None and completion.cart is None
    order = medusa.admin.orders.retrieve(completion.order.id)
    assert order.total == completion.order.total == 48
    assert (order.subtotal, order.shipping_total, order.discount_total) == (48, 8, 0)
    assert sorted(i.quantity or 0 for i in order.items or []) == [1, 2]
    assert medusa.store.carts.retrieve(cart.id).completed_at is not None


def _medusa_log_since(offset: int, request_id: str) -> str:
    """The stack's Medusa log written after ``offset``, once it shows ``request_id`` (5 s)."""
    deadline = time.monotonic() + 5
    while True:
        with MEDUSA_LOG.open("rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
        if request_id in text or time.monotonic() > deadline:
            return text
        time.sleep(0.1)


def test_calculating_a_flat_options_price_is_refused(
    medusa: MedusaClient, seed: dict[str, str]
) -> None:
    """Medusa 2.21.2 asks the option's provider even for a flat option; the manual provider
    cannot price, so the call is a 500 the SDK does not retry, and the cart is unchanged."""
    cart = _fill(medusa, medusa.store.carts.create(region_id=seed["MEDUSA_REGION_ID"]), seed)
    option_id = seed["MEDUSA_SHIPPING_OPTION_ID"]
    options = medusa.store.shipping_options.list(cart_id=cart.id).items
    listed = next(o for o in options if o.id == option_id)
    assert (listed.price_type, listed.provider_id) == ("flat", "manual_manual")
    offset = MEDUSA_LOG.stat().st_size
    with pytest.raises(InternalServerError, match="An unknown error occurred") as info:
        medusa.store.shipping_options.calculate(option_id, cart_id=cart.id)
    assert (info.value.status_code, info.value.type, info.value.code) == (
        500,
        "unknown_error",
        "unknown_error",
    )
    assert info.value.request_id
    log = _medusa_log_since(offset, info.value.request_id)
    assert log.count(f'"request_id":"{info.value.request_id}"') == 1  # sent once, not retried
    assert "Manual fulfillment does not support price calculation" in log
    with pytest.raises(InternalServerError):
        medusa.store.shipping_options.calculate("so_does_not_exist", cart_id=cart.id)
    with pytest.raises(InternalServerError):
        medusa.store.shipping_options.calculate(option_id, cart_id="cart_does_not_exist")
    after = medusa.store.carts.retrieve(cart.id)
    assert (after.shipping_total, after.total) == (cart.shipping_total, cart.total) == (8, 48)


async def test_calculate_on_the_async_client(
    amedusa: AsyncMedusaClient, seed: dict[str, str]
) -> None:
    cart = await amedusa.store.carts.create(
        region_id=seed["MEDUSA_REGION_ID"],
        items=[{"variant_id": seed["MEDUSA_IN_STOCK_VARIANT_ID"], "quantity": 1}],
        shipping_address=ADDRESS,
    )
    with pytest.raises(InternalServerError) as info:
        await amedusa.store.shipping_options.calculate(
            seed["MEDUSA_SHIPPING_OPTION_ID"], cart_id=cart.id, data={"carrier": "ups"}
        )
    assert (info.value.status_code, info.value.type) == (500, "unknown_error")


def test_registered_customer_checkout_is_in_their_orders_only(
    medusa: MedusaClient, seed: dict[str, str]
) -> None:
    ada_id, ada_token = _register(medusa, "ada")
    _, bob_token = _register(medusa, "bob")
    ada = medusa.with_customer(ada_token)
    cart = ada.store.carts.create(region_id=seed["MEDUSA_REGION_ID"])
    assert cart.customer_id == ada_id
    cart = _fill(ada, cart, seed)
    ada.store.payment_collections.initiate_session(cart, provider_id="pp_system_default")
    order = ada.store.carts.complete(cart.id).order
    assert order is not None
    assert [o.id for o in ada.store.orders.list().items] == [order.id]
    bob_orders = medusa.with_customer(bob_token).store.orders.list()
    assert order.id not in [o.id for o in bob_orders.items]
    assert ada.store.orders.retrieve(order.id).total == order.total


def test_a_promotion_code_changes_the_totals(medusa: MedusaClient, seed: dict[str, str]) -> None:
    cart = _fill(medusa, medusa.store.carts.create(region_id=seed["MEDUSA_REGION_ID"]), seed)
    code = seed["MEDUSA_PROMOTION_CODE"]
    discounted = medusa.store.carts.add_promotions(cart.id, [code])
    assert (discounted.discount_total, discounted.total) == (4, 44)
    restored = medusa.store.carts.remove_promotions(cart.id, [code])
    assert (restored.discount_total, restored.total) == (0, 48)


@pytest.mark.parametrize(
    ("variant_key", "status_type", "code"),
    [
        ("MEDUSA_SOLD_OUT_VARIANT_ID", "not_allowed", "insufficient_inventory"),
        (None, "invalid_data", None),
    ],
)
def test_out_of_stock_or_unknown_variant(
    medusa: MedusaClient,
    seed: dict[str, str],
    variant_key: str | None,
    status_type: str,
    code: str | None,
) -> None:
    variant = seed[variant_key] if variant_key else "variant_does_not_exist"
    cart = medusa.store.carts.create(region_id=seed["MEDUSA_REGION_ID"])
    with pytest.raises(BadRequestError) as info:
        medusa.store.carts.create_line_item(cart.id, variant_id=variant, quantity=1)
    assert (info.value.status_code, info.value.type, info.value.code) == (400, status_type, code)
    assert cart.id in str(info.value.request.url if info.value.request else "")


def test_line_items_change_and_a_guest_cart_moves_to_a_customer(
    medusa: MedusaClient, seed: dict[str, str]
) -> None:
    cart = _fill(medusa, medusa.store.carts.create(region_id=seed["MEDUSA_REGION_ID"]), seed)
    big = max(cart.items or [], key=lambda i: i.quantity or 0)
    assert medusa.store.carts.update_line_item(cart.id, big.id, quantity=5).item_total == 70
    assert big.id not in [
        i.id for i in medusa.store.carts.delete_line_item(cart.id, big.id).items or []
    ]
    customer_id, token = _register(medusa, "mover")
    moved = medusa.with_customer(token).store.carts.transfer(cart.id)
    assert moved.customer_id == customer_id


def test_customer_profile_addresses_and_tokens(medusa: MedusaClient) -> None:
    customer_id, token = _register(medusa, "cee")
    me = medusa.with_customer(token)
    assert me.store.customers.retrieve_me().id == customer_id
    assert me.store.customers.update_me(last_name="Dee").last_name == "Dee"
    book = me.store.customers.addresses.create({**ADDRESS, "address_name": "home"})
    (address,) = book.addresses or []
    assert me.store.customers.addresses.retrieve(address.id).city == "Berlin"
    me.store.customers.addresses.update(address.id, {"city": "Hamburg"})
    assert [a.city for a in me.store.customers.addresses.list().items] == ["Hamburg"]
    me.store.customers.addresses.delete(address.id)
    assert me.store.customers.addresses.list().count == 0
    fresh = medusa.auth.customer.refresh(token)
    assert medusa.with_customer(fresh).store.customers.retrieve_me().id == customer_id
    medusa.auth.customer.logout(fresh)
    for foreign in (
        "eyJhbGciOiJIUzI1NiJ9.e30.forged",
        medusa.auth.login("admin@example.com", "supersecret"),
    ):
        with pytest.raises(AuthenticationError):
            medusa.with_customer(foreign).store.customers.retrieve_me()
    medusa.auth.logout()


def _resign(token: SecretStr, secret: str, exp: int) -> str:
    """The same JWT claims with another expiry, signed HS256 with the stack's secret."""
    header, payload, _ = token.get_secret_value().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["exp"] = exp
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    mac = hmac.new(secret.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def test_an_expired_customer_token_is_refused(
    medusa: MedusaClient, live_env: dict[str, str]
) -> None:
    secret = live_env.get("MEDUSA_JWT_SECRET", "live-stack-jwt")
    customer_id, token = _register(medusa, "exp")
    now = int(time.time())
    valid = medusa.with_customer(_resign(token, secret, now + 600))
    assert valid.store.customers.retrieve_me().id == customer_id  # the re-signing is right
    expired = medusa.with_customer(_resign(token, secret, now - 60))
    with pytest.raises(AuthenticationError) as info:
        expired.store.customers.retrieve_me()
    assert info.value.status_code == 401
    with pytest.raises(AuthenticationError):
        medusa.auth.customer.refresh(_resign(token, secret, now - 60))


async def test_concurrent_customers_on_one_async_client(
    amedusa: AsyncMedusaClient, seed: dict[str, str]
) -> None:
    """Five customers check out at once through one client: each sees only their own."""

    async def shop(n: int) -> tuple[str, str, list[str]]:
        email = f"async{n}-{uuid.uuid4().hex[:8]}@example.com"
        registration = await amedusa.auth.customer.register(email, "pw-123456")
        await amedusa.store.customers.create(email=email, registration_token=registration)
        me = amedusa.with_customer(await amedusa.auth.customer.login(email, "pw-123456"))
        cart = await me.store.carts.create(
            region_id=seed["MEDUSA_REGION_ID"],
            items=[{"variant_id": seed["MEDUSA_IN_STOCK_VARIANT_ID"], "quantity": n + 1}],
            shipping_address=ADDRESS,
        )
        await me.store.carts.add_shipping_method(
            cart.id, option_id=seed["MEDUSA_SHIPPING_OPTION_ID"]
        )
        await me.store.payment_collections.initiate_session(
            cart.id, provider_id="pp_system_default"
        )
        order = (await me.store.carts.complete(cart.id)).order
        assert order is not None
        return order.id, str(order.total), [o.id for o in (await me.store.orders.list()).items]

    results = await asyncio.gather(*(shop(n) for n in range(5)))
    for order_id, _, listed in results:
        assert listed == [order_id]
    assert [float(t) for _, t, _ in results] == [20.0 * (n + 1) + 8 for n in range(5)]


def test_unified_cart_in_a_stores_channel_with_content(
    medusa: MedusaClient, payload: PayloadClient, seed: dict[str, str], unique: str
) -> None:
    store = payload.create(
        "stores",
        {
            "handle": f"sell-{unique}",
            "name": "Selling",
            "salesChannelId": seed["MEDUSA_SALES_CHANNEL_ID"],
        },
    )
    elsewhere = payload.create(
        "stores",
        {
            "handle": f"other-{unique}",
            "name": "Other",
            "salesChannelId": seed["MEDUSA_OTHER_SALES_CHANNEL_ID"],
        },
    )
    try:
        with UnifiedClient(medusa=medusa, payload=payload) as shop:
            tee, hoodie = (
                medusa.store.products.retrieve_by_handle(h).variants or []
                for h in ("live-tee", "live-hoodie")
            )
            cart = shop.create_cart(
                store_id=f"sell-{unique}",
                region_id=seed["MEDUSA_REGION_ID"],
                items=[
                    {"variant_id": tee[0].id, "quantity": 1},
                    {"variant_id": hoodie[0].id, "quantity": 1},
                ],
            )
            assert cart.sales_channel_id == seed["MEDUSA_SALES_CHANNEL_ID"]
            unified = shop.get_cart(cart.id)
            titles = {line.item.product_handle: line for line in unified.items}
            assert titles["live-tee"].seo and titles["live-tee"].seo.title == "Live Tee | Acme"
            assert titles["live-hoodie"].content_status == "ok"
            with pytest.raises(BadRequestError):  # the key does not sell in that channel
                shop.create_cart(store_id=f"other-{unique}")
    finally:
        for doc in (store, elsewhere):
            payload.delete_by_id("stores", doc.id)


async def test_completing_one_cart_concurrently_places_one_order(
    amedusa: AsyncMedusaClient, seed: dict[str, str]
) -> None:
    """Why ``complete`` may be retried: repeats, even at the same moment, answer one order."""
    cart = await amedusa.store.carts.create(
        items=[{"variant_id": seed["MEDUSA_IN_STOCK_VARIANT_ID"], "quantity": 1}],
        shipping_address=ADDRESS,
    )
    await amedusa.store.carts.add_shipping_method(
        cart.id, option_id=seed["MEDUSA_SHIPPING_OPTION_ID"]
    )
    await amedusa.store.payment_collections.initiate_session(
        cart.id, provider_id="pp_system_default"
    )
    answers = await asyncio.gather(*(amedusa.store.carts.complete(cart.id) for _ in range(3)))
    orders = {a.order.id for a in answers if a.order is not None}
    assert len(orders) == 1 and all(a.placed for a in answers)
