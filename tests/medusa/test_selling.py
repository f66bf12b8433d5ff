"""Selling on the clients (sync and async) against FakeMedusa: retry rules, customer tokens.

What Medusa itself answers is held by tests/contract/test_selling_contract.py (fake and live).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pytest_httpx import HTTPXMock

from medusa_payload import AsyncMedusaClient, MedusaClient, RetryConfig
from medusa_payload.errors import (
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    MissingCredentialsError,
)
from medusa_payload.medusa import Cart
from medusa_payload.testing import FakeMedusa, FakePayload, seed_checkout, seed_demo
from tests.contract.conftest import ADDRESS
from tests.helpers import close, resolve

NO_WAIT = RetryConfig(initial_delay=0, jitter=0)
Client = MedusaClient | AsyncMedusaClient


@pytest.fixture
def fake() -> FakeMedusa:
    medusa = FakeMedusa()
    seed_demo(medusa, FakePayload())
    return medusa


@pytest.fixture
def ids(fake: FakeMedusa) -> dict[str, str]:
    return seed_checkout(fake)


@pytest.fixture(params=["sync", "async"])
async def medusa(request: pytest.FixtureRequest, fake: FakeMedusa) -> AsyncIterator[Client]:
    cls = MedusaClient if request.param == "sync" else AsyncMedusaClient
    client = cls(
        fake.base_url,
        publishable_key=fake.publishable_key,
        transport=fake.transport,
        retry=NO_WAIT,
    )
    yield client
    await close(client)


async def _ready(medusa: Client, ids: dict[str, str]) -> Cart:
    cart: Cart = await resolve(
        medusa.store.carts.create(
            items=[{"variant_id": ids["in_stock_variant_id"], "quantity": 1}],
            shipping_address=ADDRESS,
        )
    )
    return await resolve(
        medusa.store.carts.add_shipping_method(cart.id, option_id=ids["shipping_option_id"])
    )


Call = Callable[[Client, Cart, dict[str, str]], Any]

SAFE_TO_REPEAT: list[tuple[str, str, Call]] = [
    ("update", "POST /store/carts/*", lambda m, c, i: m.store.carts.update(c.id, email="a@b.c")),
    (
        "update_line_item",
        "POST /store/carts/*/line-items/*",
        lambda m, c, i: m.store.carts.update_line_item(c.id, (c.items or [])[0].id, quantity=2),
    ),
    (
        "delete_line_item",
        "DELETE /store/carts/*/line-items/*",
        lambda m, c, i: m.store.carts.delete_line_item(c.id, (c.items or [])[0].id),
    ),
    (
        "add_shipping_method",
        "POST /store/carts/*/shipping-methods",
        lambda m, c, i: m.store.carts.add_shipping_method(c.id, option_id=i["shipping_option_id"]),
    ),
    (
        "add_promotions",
        "POST /store/carts/*/promotions",
        lambda m, c, i: m.store.carts.add_promotions(c.id, [i["promotion_code"]]),
    ),
    (
        "remove_promotions",
        "DELETE /store/carts/*/promotions",
        lambda m, c, i: m.store.carts.remove_promotions(c.id, [i["promotion_code"]]),
    ),
    (
        "initiate_session",
        "POST /store/payment-collections*",
        lambda m, c, i: m.store.payment_collections.initiate_session(
            c.id, provider_id="pp_system_default"
        ),
    ),
]


@pytest.mark.parametrize(
    ("name", "route", "call"), SAFE_TO_REPEAT, ids=[c[0] for c in SAFE_TO_REPEAT]
)
async def test_calls_that_set_state_are_retried(
    medusa: Client, fake: FakeMedusa, ids: dict[str, str], name: str, route: str, call: Call
) -> None:
    cart = await _ready(medusa, ids)
    fake.reset_requests()
    fake.inject(route, status=503, times=1)
    await resolve(call(medusa, cart, ids))
    assert fake.count(route) >= 2  # the 503, then the retry that answered


async def test_complete_is_retried_and_answers_one_order(
    medusa: Client, fake: FakeMedusa, ids: dict[str, str]
) -> None:
    cart = await _ready(medusa, ids)
    await resolve(
        medusa.store.payment_collections.initiate_session(cart.id, provider_id="pp_system_default")
    )
    orders_before = len(fake.orders)
    fake.inject("POST /store/carts/*/complete", timeout=True, times=1)
    completion = await resolve(medusa.store.carts.complete(cart.id))
    assert completion.placed
    assert len(fake.orders) == orders_before + 1
    assert fake.count("POST /store/carts/*/complete") == 2


@pytest.mark.parametrize("fault", ["status", "timeout"])
async def test_calls_that_add_are_never_retried(
    medusa: Client, fake: FakeMedusa, ids: dict[str, str], fault: str
) -> None:
    cart = await _ready(medusa, ids)
    kwargs: dict[str, Any] = {"status": 503} if fault == "status" else {"timeout": True}
    fake.reset_requests()
    fake.inject("POST /store/carts/*/line-items", times=1, **kwargs)
    with pytest.raises(InternalServerError if fault == "status" else APITimeoutError):
        await resolve(
            medusa.store.carts.create_line_item(
                cart.id, variant_id=ids["in_stock_variant_id"], quantity=1
            )
        )
    assert fake.count("POST /store/carts/*/line-items") == 1
    fake.inject("POST /store/carts", times=1, **kwargs)
    with pytest.raises(InternalServerError if fault == "status" else APITimeoutError):
        await resolve(medusa.store.carts.create())
    assert fake.count("POST /store/carts") == 1
    fake.inject("POST /auth/customer/emailpass/register", times=1, **kwargs)
    with pytest.raises(InternalServerError if fault == "status" else APITimeoutError):
        await resolve(medusa.auth.customer.register("x@example.com", "pw"))
    assert fake.count("POST /auth/customer/emailpass/register") == 1


async def test_with_customer_shares_the_pool_and_leaves_the_client_alone(
    medusa: Client, fake: FakeMedusa
) -> None:
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    registration = await resolve(medusa.auth.customer.register(email, "pw-123456"))
    await resolve(medusa.store.customers.create(email=email, registration_token=registration))
    token = await resolve(medusa.auth.customer.login(email, "pw-123456"))
    me = medusa.with_customer(token)
    assert me._http is medusa._http
    assert medusa.customer_token is None
    assert (await resolve(me.store.customers.retrieve_me())).email == email
    with pytest.raises(AuthenticationError):
        await resolve(medusa.store.customers.retrieve_me())
    sent = [r for r in fake.requests if r.path == "/store/customers/me"]
    assert sent[0].headers["authorization"] == f"Bearer {token.get_secret_value()}"
    assert "authorization" not in sent[1].headers
    one_call = await resolve(
        medusa.store.customers.retrieve_me(
            extra_headers={"authorization": f"Bearer {token.get_secret_value()}"}
        )
    )
    assert one_call.email == email  # a token on one call, the client unchanged
    with pytest.raises(MissingCredentialsError):
        await resolve(me.admin.products.list())  # no admin credentials on a customer's client
    await close(me)
    assert not medusa.is_closed  # the pool is the parent's
    assert token.get_secret_value() not in repr(me)


async def test_fifty_concurrent_customers_never_see_each_other(
    fake: FakeMedusa, ids: dict[str, str]
) -> None:
    fake.set_stock(ids["in_stock_variant_id"], 10_000)
    fake.inject("* /store/*", latency=0.001)  # interleave the customers' calls
    async with AsyncMedusaClient(
        fake.base_url, publishable_key=fake.publishable_key, transport=fake.transport
    ) as medusa:

        async def shop(n: int) -> tuple[str, str, list[str], list[float]]:
            email = f"c{n}-{uuid.uuid4().hex[:6]}@example.com"
            registration = await medusa.auth.customer.register(email, "pw-123456")
            customer = await medusa.store.customers.create(
                email=email, registration_token=registration
            )
            me = medusa.with_customer(await medusa.auth.customer.login(email, "pw-123456"))
            cart = await me.store.carts.create(
                items=[{"variant_id": ids["in_stock_variant_id"], "quantity": n + 1}],
                shipping_address=ADDRESS,
            )
            await me.store.carts.add_shipping_method(cart.id, option_id=ids["shipping_option_id"])
            await me.store.payment_collections.initiate_session(
                cart.id, provider_id="pp_system_default"
            )
            seen = await me.store.carts.retrieve(cart.id)
            order = (await me.store.carts.complete(cart.id)).order
            assert order is not None and (await me.store.customers.retrieve_me()).id == customer.id
            listed = [o.id for o in (await me.store.orders.list()).items]
            return customer.id, order.id, listed, [i.quantity or 0 for i in seen.items or []]

        results = await asyncio.gather(*(shop(n) for n in range(50)))
    for n, (customer_id, order_id, listed, quantities) in enumerate(results):
        assert listed == [order_id]
        assert quantities == [n + 1]
        assert fake.orders[order_id]["customer_id"] == customer_id
    assert len({r[1] for r in results}) == 50


async def test_a_completion_kept_as_a_cart_carries_the_reason(httpx_mock: HTTPXMock) -> None:
    """Medusa answers 200 ``type: cart`` when the payment needs more (no fake provider does)."""
    httpx_mock.add_response(
        json={
            "type": "cart",
            "cart": {"id": "cart_1", "total": 48},
            "error": {
                "message": "Payment authorization failed",
                "name": "Error",
                "type": "payment_authorization_error",
            },
        }
    )
    async with AsyncMedusaClient("http://medusa.test", publishable_key="pk") as medusa:
        completion = await medusa.store.carts.complete("cart_1")
    assert not completion.placed and completion.order is None
    assert completion.cart and completion.cart.id == "cart_1"
    assert completion.error and completion.error.type == "payment_authorization_error"


async def test_calculate_on_a_manual_option_is_one_500_and_a_503_is_retried(
    medusa: Client, fake: FakeMedusa, ids: dict[str, str]
) -> None:
    """The fake answers like Medusa 2.21.2 for its manual provider: a 500 the SDK does not
    retry (it would fail again); a 503 is retried, as the call changes nothing."""
    cart = await _ready(medusa, ids)
    route = "POST /store/shipping-options/*/calculate"
    fake.reset_requests()
    with pytest.raises(InternalServerError) as info:
        await resolve(
            medusa.store.shipping_options.calculate(
                ids["shipping_option_id"], cart_id=cart.id, fields="+metadata"
            )
        )
    assert (info.value.status_code, info.value.type) == (500, "unknown_error")
    assert fake.count(route) == 1
    sent = fake.requests[-1]
    assert sent.path == f"/store/shipping-options/{ids['shipping_option_id']}/calculate"
    assert sent.json() == {"cart_id": cart.id}  # no data: left out, not null
    assert sent.query == {"fields": "+metadata"}
    fake.reset_requests()
    fake.inject(route, status=503, times=1)
    with pytest.raises(InternalServerError) as info:
        await resolve(
            medusa.store.shipping_options.calculate(
                ids["shipping_option_id"], cart_id=cart.id, data={"carrier": "ups"}
            )
        )
    assert info.value.status_code == 500  # the retry reached the provider's refusal
    assert fake.count(route) == 2
    assert fake.requests[-1].json() == {"cart_id": cart.id, "data": {"carrier": "ups"}}


async def test_calculate_reads_a_calculated_price(httpx_mock: HTTPXMock) -> None:
    """What Medusa's route answers when a provider can price (none on the stack or fake):
    the option's fields plus the provider's price in three places."""
    httpx_mock.add_response(
        method="POST",
        url="http://medusa.test/store/shipping-options/so_1/calculate",
        match_json={"cart_id": "cart_1", "data": {"carrier": "ups"}},
        json={
            "shipping_option": {
                "id": "so_1",
                "name": "Express",
                "price_type": "calculated",
                "service_zone_id": "serzo_1",
                "shipping_profile_id": "sp_1",
                "provider_id": "carrier_carrier",
                "shipping_option_type_id": "sotype_1",
                "metadata": None,
                "calculated_price": {
                    "calculated_amount": 12.5,
                    "is_calculated_price_tax_inclusive": True,
                },
                "amount": 12.5,
                "is_tax_inclusive": True,
            }
        },
    )
    async with AsyncMedusaClient("http://medusa.test", publishable_key="pk") as medusa:
        option = await medusa.store.shipping_options.calculate(
            "so_1", cart_id="cart_1", data={"carrier": "ups"}
        )
    assert (option.id, option.price_type, option.amount, option.is_tax_inclusive) == (
        "so_1",
        "calculated",
        12.5,
        True,
    )
    assert option.calculated_price == {
        "calculated_amount": 12.5,
        "is_calculated_price_tax_inclusive": True,
    }
    assert option.shipping_option_type_id == "sotype_1"
