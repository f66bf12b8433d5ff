"""``locale=`` on store calls and a per-call publishable key (a tenant's storefront)."""

from __future__ import annotations

import pytest

from medusa_payload import MedusaClient
from medusa_payload.errors import APIStatusError
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo


def _client(fake: FakeMedusa) -> MedusaClient:
    return MedusaClient(
        fake.base_url, publishable_key=fake.publishable_key, transport=fake.transport
    )


def test_locale_is_sent_as_the_medusa_header_and_bad_ones_are_refused() -> None:
    fake = FakeMedusa()
    seed_demo(fake, FakePayload())
    with _client(fake) as medusa:
        medusa.store.products.retrieve_by_handle("live-tee", locale="fr-FR")
        assert fake.requests[-1].headers["x-medusa-locale"] == "fr-FR"
        medusa.store.collections.list(locale="de")
        assert fake.requests[-1].headers["x-medusa-locale"] == "de"
        medusa.store.products.list(limit=1)
        assert "x-medusa-locale" not in fake.requests[-1].headers
        sent = len(fake.requests)
        with pytest.raises(TypeError, match="locale must be a non-empty str"):
            medusa.store.products.list(locale="")
        assert len(fake.requests) == sent


def test_a_per_call_publishable_key_wins_and_scopes_to_its_channels() -> None:
    fake = FakeMedusa()
    seed_demo(fake, FakePayload())
    other = fake.add_sales_channel("Other")
    key = fake.add_publishable_key([other["id"]])
    fake.add_product("Other Only", handle="other-only", sales_channel_ids=[other["id"]])
    with _client(fake) as medusa:
        mine = medusa.store.products.list(limit=50)
        assert "other-only" not in {p.handle for p in mine.items}
        theirs = medusa.store.products.list(extra_headers={"x-publishable-api-key": key})
        assert [p.handle for p in theirs.items] == ["other-only"]
        assert fake.requests[-1].headers["x-publishable-api-key"] == key
        with pytest.raises(APIStatusError):
            medusa.store.products.list(extra_headers={"x-publishable-api-key": "pk_unknown"})
