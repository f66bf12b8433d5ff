"""Sync-engine fixtures: seeded fakes and a pair of clients, sync or async."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import attrs
import pytest

from medusa_payload import AsyncMedusaClient, AsyncPayloadClient, MedusaClient, PayloadClient
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo
from tests.helpers import close


@attrs.define
class Pair:
    """Fakes, their seed ids and clients of one flavour."""

    kind: str
    medusa_fake: FakeMedusa
    payload_fake: FakePayload
    ids: dict[str, Any]
    medusa: Any
    payload: Any

    def content(self, handle: str) -> dict[str, Any]:
        return next(d for d in self.payload_fake.docs("product-content") if d["handle"] == handle)

    def metadata(self, handle: str) -> dict[str, Any]:
        product = self.medusa_fake.product(self.ids["products"][handle])
        assert product is not None
        return product["metadata"] or {}


@pytest.fixture(params=["sync", "async"])
async def pair(request: pytest.FixtureRequest) -> AsyncIterator[Pair]:
    medusa_fake, payload_fake = FakeMedusa(), FakePayload()
    ids = seed_demo(medusa_fake, payload_fake)
    if request.param == "sync":
        medusa: Any = MedusaClient(
            medusa_fake.base_url, api_key=medusa_fake.secret_key, transport=medusa_fake.transport
        )
        payload: Any = PayloadClient(
            payload_fake.base_url, api_key=payload_fake.api_key, transport=payload_fake.transport
        )
    else:
        medusa = AsyncMedusaClient(
            medusa_fake.base_url, api_key=medusa_fake.secret_key, transport=medusa_fake.transport
        )
        payload = AsyncPayloadClient(
            payload_fake.base_url, api_key=payload_fake.api_key, transport=payload_fake.transport
        )
    yield Pair(request.param, medusa_fake, payload_fake, ids, medusa, payload)
    await close(medusa)
    await close(payload)
