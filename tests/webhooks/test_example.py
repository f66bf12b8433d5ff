"""``examples/webhook_receiver.py`` builds working ASGI and WSGI apps from the environment."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from medusa_payload import _jobs
from medusa_payload.webhooks import sign_headers
from tests.webhooks.helpers import (
    MEDUSA_SECRET,
    PAYLOAD_SECRET,
    FakeQueue,
    ids_of,
    medusa_body,
    payload_body,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "webhook_receiver.py"
ENV = {
    "MEDUSA_WEBHOOK_SECRET": MEDUSA_SECRET,
    "PAYLOAD_WEBHOOK_SECRET": f"whsec_b2xkLXJldGlyZWQtc2VjcmV0,{PAYLOAD_SECRET}",
    "MEDUSA_PAYLOAD_STATS_TOKEN": "tok",
}


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webhook_receiver_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_example_asgi_app(example: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    queue = FakeQueue()
    app = example.build_asgi(queue, ENV)
    body = medusa_body("product.created", "prod_7")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        accepted = await c.post(
            "/webhooks/medusa", content=body, headers=sign_headers(body, MEDUSA_SECRET)
        )
        stats = await c.get("/queue/stats", headers={"authorization": "Bearer tok"})
    assert accepted.status_code == 202
    assert stats.json()["waiting"] == 1
    assert (queue.jobs[0][0], ids_of(queue.jobs[0][1])) == (
        _jobs.PRODUCT_TO_PAYLOAD,
        {"product_id": "prod_7"},
    )
    assert "invalidate medusa product.created {'product_id': 'prod_7'}" in caplog.text
    assert "webhook medusa product.created" in caplog.text  # the logging audit sink


def test_example_wsgi_app(example: ModuleType) -> None:
    queue = FakeQueue()
    app = example.build_wsgi(queue, ENV)
    body = payload_body("stores", "update", 3, None, None, handle="acme")
    try:
        with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://x") as c:
            answer = c.post(
                "/webhooks/payload", content=body, headers=sign_headers(body, PAYLOAD_SECRET)
            )
    finally:
        app.close()
    assert answer.status_code == 202
    assert (queue.jobs[0][0], ids_of(queue.jobs[0][1])) == (
        _jobs.STORE_TO_MEDUSA,
        {"store_id": "3"},
    )
