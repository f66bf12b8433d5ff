"""Wrong types at the public boundary fail at once with a TypeError saying what was expected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medusa_payload import (
    AsyncMedusaClient,
    AsyncUnifiedClient,
    MedusaClient,
    PayloadClient,
    UnifiedClient,
)
from medusa_payload._guards import check_types
from medusa_payload.sync import (
    reconcile,
    sync_content_to_medusa,
    sync_order_audit,
    sync_product_to_payload,
)
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo


@pytest.fixture
def shop() -> Iterator[tuple[FakeMedusa, MedusaClient, PayloadClient]]:
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    m = MedusaClient(medusa.base_url, api_key=medusa.secret_key, transport=medusa.transport)
    p = PayloadClient(payload.base_url, api_key=payload.api_key, transport=payload.transport)
    with m, p:
        yield medusa, m, p


def test_a_product_object_for_product_id(
    shop: tuple[FakeMedusa, MedusaClient, PayloadClient],
) -> None:
    _, medusa, payload = shop
    product = medusa.admin.products.list().items[0]
    with pytest.raises(TypeError) as raised:
        sync_product_to_payload(product, medusa=medusa, payload=payload)  # type: ignore[call-overload]
    assert str(raised.value) == (
        "sync_product_to_payload(): product_id expects str, got Product; "
        f"pass its id: product_id={product.id!r}"
    )


def test_reconcile_with_the_clients_swapped(
    shop: tuple[FakeMedusa, MedusaClient, PayloadClient],
) -> None:
    _, medusa, payload = shop
    with pytest.raises(TypeError) as raised:
        reconcile(payload, medusa)  # type: ignore[call-overload]
    message = str(raised.value)
    assert message.startswith(
        "reconcile(): medusa expects MedusaClient or AsyncMedusaClient, got PayloadClient"
    )
    assert "medusa and payload look swapped" in message


async def test_sync_unified_client_given_an_async_client() -> None:
    medusa, payload = FakeMedusa(), FakePayload()
    async with AsyncMedusaClient(medusa.base_url, transport=medusa.transport) as async_medusa:
        cms = PayloadClient(payload.base_url, transport=payload.transport)
        with cms, pytest.raises(TypeError) as raised:
            UnifiedClient(medusa=async_medusa, payload=cms)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "UnifiedClient: medusa expects MedusaClient, got AsyncMedusaClient; "
        "AsyncMedusaClient is async: use AsyncUnifiedClient, or pass a MedusaClient"
    )


async def test_async_unified_client_given_a_sync_client() -> None:
    medusa, payload = FakeMedusa(), FakePayload()
    async with AsyncMedusaClient(medusa.base_url, transport=medusa.transport) as shop:
        cms = PayloadClient(payload.base_url, transport=payload.transport)
        with cms, pytest.raises(TypeError) as raised:
            AsyncUnifiedClient(medusa=shop, payload=cms)  # type: ignore[arg-type]
    assert "payload expects AsyncPayloadClient, got PayloadClient" in str(raised.value)
    assert "use UnifiedClient, or pass an AsyncPayloadClient" in str(raised.value)


def test_ids_of_the_wrong_type(shop: tuple[FakeMedusa, MedusaClient, PayloadClient]) -> None:
    _, medusa, payload = shop
    with pytest.raises(TypeError, match=r"content_id expects int or str, got bool True"):
        sync_content_to_medusa(True, medusa=medusa, payload=payload)
    with pytest.raises(TypeError, match=r"event expects str, got NoneType None"):
        sync_order_audit("order_1", None, medusa=medusa, payload=payload)  # type: ignore[arg-type]


def test_an_unawaited_coroutine_is_named() -> None:
    async def product_id() -> str:
        return "prod_1"

    pending = product_id()
    with pytest.raises(TypeError, match="an un-awaited coroutine: add await"):
        check_types("f()", product_id=(pending, str))
    pending.close()


def test_right_arguments_still_work(
    shop: tuple[FakeMedusa, MedusaClient, PayloadClient],
) -> None:
    fake, medusa, payload = shop
    product_id = next(iter(fake.products))
    assert sync_product_to_payload(product_id, medusa=medusa, payload=payload).action != "skipped"
    assert reconcile(medusa, payload, dry_run=True).products == len(fake.products)
