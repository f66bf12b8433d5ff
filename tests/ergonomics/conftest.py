"""Shared fixtures of the SDK-ergonomics tests: both clients, sync and async, on the fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from medusa_payload import AsyncMedusaClient, AsyncPayloadClient, MedusaClient, PayloadClient
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo
from tests.helpers import close


@pytest.fixture
def fakes() -> tuple[FakeMedusa, FakePayload]:
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    return medusa, payload


@pytest.fixture(params=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return bool(request.param == "async")


@pytest.fixture
async def medusa(fakes: tuple[FakeMedusa, FakePayload], is_async: bool) -> AsyncIterator[Any]:
    fake = fakes[0]
    cls = AsyncMedusaClient if is_async else MedusaClient
    client = cls(
        fake.base_url,
        publishable_key=fake.publishable_key,
        api_key=fake.secret_key,
        transport=fake.transport,
    )
    yield client
    await close(client)


@pytest.fixture
async def payload(fakes: tuple[FakeMedusa, FakePayload], is_async: bool) -> AsyncIterator[Any]:
    fake = fakes[1]
    cls = AsyncPayloadClient if is_async else PayloadClient
    client = cls(fake.base_url, api_key=fake.api_key, transport=fake.transport)
    yield client
    await close(client)
