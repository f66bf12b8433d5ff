"""A Medusa key passed in the other key's place gets a hint at once, not a bare 401 later."""

from __future__ import annotations

import pytest

from medusa_payload import AsyncMedusaClient, ConfigurationError, MedusaClient


@pytest.mark.parametrize("client", [MedusaClient, AsyncMedusaClient])
def test_publishable_key_as_api_key(client: type[MedusaClient]) -> None:
    with pytest.raises(ConfigurationError) as raised:
        client("http://localhost:9000", api_key="pk_0123456789")
    message = str(raised.value)
    assert "publishable key" in message and "publishable_key" in message
    assert "0123456789" not in message


def test_secret_key_as_publishable_key_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDUSA_PUBLISHABLE_KEY", "sk_0123456789")
    with pytest.raises(ConfigurationError, match=r"MEDUSA_PUBLISHABLE_KEY\) got a secret key"):
        MedusaClient.from_env()


def test_keys_in_their_places_are_accepted() -> None:
    with MedusaClient("http://localhost:9000", publishable_key="pk_1", api_key="sk_2") as medusa:
        assert medusa.publishable_key == "pk_1"
