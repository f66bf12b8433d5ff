"""A connection error names the service and the host it tried: a wrong or defaulted base URL
(``MEDUSA_URL`` set instead of ``MEDUSA_BACKEND_URL``) shows in the message."""

from __future__ import annotations

import socket

import httpx
import pytest

from medusa_payload import APIConnectionError, APITimeoutError, MedusaClient, PayloadClient


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_refused_connection_names_the_host() -> None:
    port = _closed_port()
    medusa = MedusaClient(f"http://127.0.0.1:{port}", max_retries=0)
    with medusa, pytest.raises(APIConnectionError) as raised:
        medusa.store.regions.list()
    message = str(raised.value)
    assert f"connection to medusa at http://127.0.0.1:{port} failed" in message
    assert raised.value.never_sent


def test_timeout_names_the_host_and_never_the_key() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("too slow", request=request)

    cms = PayloadClient(
        "https://cms.example:8443",
        api_key="secret-key",
        max_retries=0,
        transport=httpx.MockTransport(slow),
    )
    with cms, pytest.raises(APITimeoutError) as raised:
        cms.find("pages")
    message = str(raised.value)
    assert "request to payload at https://cms.example:8443 timed out (ReadTimeout)" in message
    assert "secret-key" not in message  # (credentials in base_url are refused outright)
