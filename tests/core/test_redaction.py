"""Secrets in headers never reach a log line, whatever the header is called (issue 12)."""

from __future__ import annotations

import logging

import httpx
import pytest

from medusa_payload import PayloadClient
from medusa_payload._core._http import is_secret_header, redact_headers


@pytest.mark.parametrize(
    "name",
    [
        "Authorization",
        "proxy-authorization",
        "Cookie",
        "set-cookie",
        "x-api-key",
        "X-Publishable-Api-Key",
        "x-shop-token",
        "X-Client-Secret",
        "x-db-password",
        "x-session-id",
        "x-credentials",
    ],
)
def test_credential_headers_are_secret_by_rule(name: str) -> None:
    assert is_secret_header(name)
    assert redact_headers({name: "s3cr3t", "accept": "application/json"}) == {
        name: "[redacted]",
        "accept": "application/json",
    }


@pytest.mark.parametrize("name", ["accept", "content-type", "x-request-id", "user-agent", "etag"])
def test_ordinary_headers_are_logged(name: str) -> None:
    assert not is_secret_header(name)


def test_default_headers_secrets_never_reach_the_debug_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"docs": []}))
    secrets = {"x-api-key": "VAL-api", "x-shop-token": "VAL-token", "x-session": "VAL-session"}
    caplog.set_level(logging.DEBUG)
    with PayloadClient(
        "http://payload.test", api_key="VAL-key", default_headers=secrets, transport=transport
    ) as payload:
        payload.get_global("settings")
    assert "GET /api/globals/settings" in caplog.text
    assert "'x-api-key': '[redacted]'" in caplog.text
    assert "VAL-" not in caplog.text
