"""Unified-client fixtures: seeded fakes, a movable clock, sync or async clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest

from medusa_payload import (
    AsyncMedusaClient,
    AsyncPayloadClient,
    AsyncUnifiedClient,
    MedusaClient,
    PayloadClient,
    RetryConfig,
    UnifiedClient,
)
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo
from medusa_payload.unified import CacheConfig
from tests.helpers import close

NO_WAIT = RetryConfig(initial_delay=0, jitter=0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@attrs.define
class Shop:
    kind: str
    medusa_fake: FakeMedusa
    payload_fake: FakePayload
    ids: dict[str, Any]
    clock: Clock
    unified: Any
    clients: list[Any]


def make_shop(
    kind: str,
    cache: CacheConfig | None = None,
    *,
    max_retries: int = 0,
    like: Shop | None = None,
    bus: Any = None,
    **options: Any,
) -> Shop:
    """A seeded shop; ``like=`` another one: a replica reading the same fakes, ``bus=`` its
    invalidation bus, ``options`` more `UnifiedClient` arguments (``locales=``, ``tenants=``)."""
    if like is None:
        medusa_fake, payload_fake = FakeMedusa(), FakePayload()
        ids = seed_demo(medusa_fake, payload_fake)
    else:
        medusa_fake, payload_fake, ids = like.medusa_fake, like.payload_fake, like.ids
    clock = Clock()
    kw = {"max_retries": max_retries, "retry": NO_WAIT}
    if kind == "sync":
        medusa: Any = MedusaClient(
            medusa_fake.base_url,
            publishable_key=medusa_fake.publishable_key,
            transport=medusa_fake.transport,
            **kw,
        )
        payload: Any = PayloadClient(payload_fake.base_url, transport=payload_fake.transport, **kw)
        unified: Any = UnifiedClient(
            medusa=medusa, payload=payload, cache=cache, clock=clock, bus=bus, **options
        )
    else:
        medusa = AsyncMedusaClient(
            medusa_fake.base_url,
            publishable_key=medusa_fake.publishable_key,
            transport=medusa_fake.transport,
            **kw,
        )
        payload = AsyncPayloadClient(payload_fake.base_url, transport=payload_fake.transport, **kw)
        unified = AsyncUnifiedClient(
            medusa=medusa, payload=payload, cache=cache, clock=clock, bus=bus, **options
        )
    return Shop(kind, medusa_fake, payload_fake, ids, clock, unified, [medusa, payload])


@pytest.fixture(params=["sync", "async"])
async def shop(request: pytest.FixtureRequest) -> AsyncIterator[Shop]:
    made = make_shop(request.param)
    yield made
    for client in made.clients:
        await close(client)
