"""Fault injection and request recording of the fakes, seen through the real clients."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from medusa_payload import (
    APIConnectionError,
    APITimeoutError,
    AsyncPayloadClient,
    MedusaClient,
    PayloadClient,
    RetryConfig,
)
from medusa_payload.errors import InternalServerError
from medusa_payload.testing import FakeMedusa, FakePayload, serve_http

NO_WAIT = RetryConfig(initial_delay=0, jitter=0)


def test_status_fault_for_the_next_n_calls_then_recovers(fake_payload: FakePayload) -> None:
    fault = fake_payload.inject("GET /api/product-content", status=503, times=2)
    with PayloadClient(
        fake_payload.base_url, transport=fake_payload.transport, retry=NO_WAIT, max_retries=2
    ) as client:
        page = client.find("product-content")  # two 503s, then the real answer
    assert page.count == 3
    assert fault.hits == 2
    assert fake_payload.count("GET /api/product-content") == 3


def test_status_fault_beyond_retries_raises(fake_payload: FakePayload) -> None:
    fake_payload.inject("GET /api/pages", status=500)
    with PayloadClient(fake_payload.base_url, transport=fake_payload.transport) as client:
        with pytest.raises(InternalServerError):
            client.find("pages")
        assert client.count("product-content") == 3  # other routes unaffected
    assert fake_payload.count("GET /api/pages") == 1  # 500 is not retried


def test_timeout_and_refused(fake_medusa: FakeMedusa, fake_payload: FakePayload) -> None:
    fake_medusa.inject(timeout=True, times=1)
    with MedusaClient(
        fake_medusa.base_url,
        publishable_key=fake_medusa.publishable_key,
        transport=fake_medusa.transport,
        retry=NO_WAIT,
    ) as client:
        assert client.store.regions.list().count == 1  # timed out once, retried
        fake_medusa.inject("GET /store/regions", refuse=True)
        with pytest.raises(APIConnectionError) as info:
            client.store.regions.list()
        assert info.value.never_sent
        fake_medusa.clear_faults()
        fake_medusa.inject(timeout=True)
        with pytest.raises(APITimeoutError):
            client.store.regions.list(max_retries=0)


async def test_latency_overlaps_for_async_clients(fake_payload: FakePayload) -> None:
    import asyncio

    with fake_payload.faults(latency=0.2):
        async with AsyncPayloadClient(fake_payload.base_url, transport=fake_payload.transport) as c:
            started = time.perf_counter()
            await asyncio.gather(*(c.count("pages") for _ in range(10)))
            elapsed = time.perf_counter() - started
    # Ten 200 ms calls that overlap take far less than 2 s (a loose bound, not a benchmark).
    assert elapsed < 1.5
    assert fake_payload.count("GET /api/pages/count") == 10


def test_recording_routes_and_bodies(fake_medusa: FakeMedusa, medusa_client: MedusaClient) -> None:
    fake_medusa.reset_requests()
    product = medusa_client.store.products.retrieve_by_handle("live-tee")
    medusa_client.admin.products.update_metadata(product.id, {"k": "v"})
    medusa_client.store.products.retrieve(product.id)
    assert fake_medusa.counts() == {
        "GET /store/products": 1,
        "POST /admin/products/{id}": 1,
        "GET /store/products/{id}": 1,
    }
    update = fake_medusa.requests[1]
    assert update.json() == {"metadata": {"k": "v"}}
    assert update.query == {}
    assert fake_medusa.requests[0].query == {"handle": ["live-tee"], "limit": "1"}
    assert "authorization" not in fake_medusa.requests[0].headers
    assert fake_medusa.product(product.id)["metadata"] == {"source": "seed-live", "k": "v"}


def test_pytest_plugin_fixtures_are_seeded(
    medusa_client: MedusaClient, payload_client: PayloadClient
) -> None:
    handles = {p.handle for p in medusa_client.store.products.list()}
    assert handles == {"live-tee", "live-hoodie", "live-plain"}
    assert payload_client.count("pages") == 2


def test_serve_http_speaks_real_http(fake_medusa: FakeMedusa) -> None:
    with serve_http(fake_medusa) as url:
        response = httpx.get(
            f"{url}/store/products",
            params={"handle": "live-tee"},
            headers={"x-publishable-api-key": fake_medusa.publishable_key},
        )
        assert response.status_code == 200
        assert response.json()["products"][0]["handle"] == "live-tee"
        missing = httpx.get(f"{url}/store/products")
        assert missing.status_code == 400
        with MedusaClient(url, publishable_key=fake_medusa.publishable_key) as client:
            assert client.store.products.retrieve_by_handle("live-hoodie").title == "Live Hoodie"


def test_module_serve_command_prints_the_env() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "medusa_payload.testing",
            "serve",
            "--medusa-port",
            "0",
            "--payload-port",
            "0",
            "--seed",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = dict(proc.stdout.readline().strip().split("=", 1) for _ in range(6))
        products = httpx.get(
            f"{lines['MEDUSA_BACKEND_URL']}/store/products",
            headers={"x-publishable-api-key": lines["MEDUSA_PUBLISHABLE_KEY"]},
        ).json()
        assert products["count"] == 3
        with PayloadClient(lines["PAYLOAD_CMS_URL"], api_key=lines["PAYLOAD_API_KEY"]) as client:
            assert client.me().user is not None
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
