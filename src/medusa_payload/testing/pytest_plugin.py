"""pytest fixtures for testing your own code against the fakes.

Enable in your ``conftest.py``::

    pytest_plugins = ["medusa_payload.testing.pytest_plugin"]

Fixtures: ``fake_medusa`` and ``fake_payload`` (fresh for each test, seeded together with
`seed_demo`), ``demo_ids`` (what the seed created), and clients wired to them:
``medusa_client``, ``payload_client`` (sync) and ``async_medusa_client``,
``async_payload_client``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from .. import AsyncMedusaClient, AsyncPayloadClient, MedusaClient, PayloadClient
from ._medusa import FakeMedusa
from ._payload import FakePayload
from ._seed import seed_demo

__all__ = [
    "async_medusa_client",
    "async_payload_client",
    "demo_ids",
    "fake_medusa",
    "fake_payload",
    "medusa_client",
    "payload_client",
]


@pytest.fixture
def _fake_servers() -> tuple[FakeMedusa, FakePayload, dict[str, Any]]:
    medusa, payload = FakeMedusa(), FakePayload()
    return medusa, payload, seed_demo(medusa, payload)


@pytest.fixture
def fake_medusa(_fake_servers: tuple[FakeMedusa, FakePayload, dict[str, Any]]) -> FakeMedusa:
    """A fresh in-memory Medusa with the demo catalogue (`seed_demo`)."""
    return _fake_servers[0]


@pytest.fixture
def fake_payload(_fake_servers: tuple[FakeMedusa, FakePayload, dict[str, Any]]) -> FakePayload:
    """A fresh in-memory Payload with the demo content (`seed_demo`)."""
    return _fake_servers[1]


@pytest.fixture
def demo_ids(_fake_servers: tuple[FakeMedusa, FakePayload, dict[str, Any]]) -> dict[str, Any]:
    """What `seed_demo` created: ``{"products": {handle: id}, "store_id", "page_ids"}``."""
    return _fake_servers[2]


@pytest.fixture
def medusa_client(fake_medusa: FakeMedusa) -> Iterator[MedusaClient]:
    """A `MedusaClient` on ``fake_medusa`` (publishable and secret keys set)."""
    with MedusaClient(
        fake_medusa.base_url,
        publishable_key=fake_medusa.publishable_key,
        api_key=fake_medusa.secret_key,
        transport=fake_medusa.transport,
    ) as client:
        yield client


@pytest.fixture
def payload_client(fake_payload: FakePayload) -> Iterator[PayloadClient]:
    """A `PayloadClient` on ``fake_payload`` (API key set)."""
    with PayloadClient(
        fake_payload.base_url, api_key=fake_payload.api_key, transport=fake_payload.transport
    ) as client:
        yield client


@pytest.fixture
async def async_medusa_client(fake_medusa: FakeMedusa) -> AsyncIterator[AsyncMedusaClient]:
    """An `AsyncMedusaClient` on ``fake_medusa``."""
    async with AsyncMedusaClient(
        fake_medusa.base_url,
        publishable_key=fake_medusa.publishable_key,
        api_key=fake_medusa.secret_key,
        transport=fake_medusa.transport,
    ) as client:
        yield client


@pytest.fixture
async def async_payload_client(fake_payload: FakePayload) -> AsyncIterator[AsyncPayloadClient]:
    """An `AsyncPayloadClient` on ``fake_payload``."""
    async with AsyncPayloadClient(
        fake_payload.base_url, api_key=fake_payload.api_key, transport=fake_payload.transport
    ) as client:
        yield client
