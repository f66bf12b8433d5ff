"""The editors' flow of tests/live/test_sync_live.py on the fakes: draft, publish, change,
restore; Medusa's metadata follows only the published states."""

from __future__ import annotations

from medusa_payload import MedusaClient, PayloadClient
from medusa_payload.testing import FakeMedusa, FakePayload
from tests.live.test_sync_live import editor_flow


def test_editor_flow_on_the_fakes() -> None:
    medusa_fake, payload_fake = FakeMedusa(), FakePayload()
    with (
        MedusaClient(
            medusa_fake.base_url, api_key=medusa_fake.secret_key, transport=medusa_fake.transport
        ) as medusa,
        PayloadClient(
            payload_fake.base_url, api_key=payload_fake.api_key, transport=payload_fake.transport
        ) as payload,
    ):
        editor_flow(medusa, payload, medusa_fake.sales_channel_id, "fake")
