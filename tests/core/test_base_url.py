"""Credentials never ride in ``base_url`` (issue 12, defect 8)."""

from __future__ import annotations

import pytest

from medusa_payload import (
    AsyncMedusaClient,
    AsyncPayloadClient,
    ConfigurationError,
    MedusaClient,
    PayloadClient,
)

CLIENTS = [MedusaClient, AsyncMedusaClient, PayloadClient, AsyncPayloadClient]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    "url",
    [
        "https://admin:hunter2-secret@shop.test",
        "http://hunter2-secret@shop.test:9000/",
        "http://admin:hunter2-secret@shop.test/base?x=1",
        "http://:hunter2-secret@shop.test",
    ],
)
def test_userinfo_in_base_url_is_refused_without_repeating_it(cls: type, url: str) -> None:
    with pytest.raises(ConfigurationError, match="must not contain credentials") as info:
        cls(url)
    assert "hunter2" not in str(info.value)
    assert "shop.test" in str(info.value)


@pytest.mark.parametrize(
    "url", ["admin:hunter2-secret@shop.test", "hunter2-secret@shop.test", "localhost:9000"]
)
def test_a_malformed_base_url_is_not_echoed_when_it_may_hold_a_password(url: str) -> None:
    with pytest.raises(ConfigurationError, match="absolute http") as info:
        MedusaClient(url)
    assert "hunter2" not in str(info.value)
    assert ("localhost:9000" in str(info.value)) is ("@" not in url)


def test_a_plain_base_url_still_works() -> None:
    with MedusaClient("http://shop.test:9000") as medusa:
        assert str(medusa.base_url) == "http://shop.test:9000"
        assert "@" not in repr(medusa)
