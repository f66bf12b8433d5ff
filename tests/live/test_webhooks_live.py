"""Real senders -> our receiver -> the queue: the project's Medusa subscriber and Payload
plugin, installed in the live stack, deliver to `WebhookReceiver` (through the stack's echo
receiver, which relays to the URL in its relay file)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medusa_payload import MedusaClient, PayloadClient, _jobs
from medusa_payload.queue import InMemoryQueue
from medusa_payload.webhooks import WebhookReceiver, create_asgi_app
from tests.live._servers import serve_asgi

pytestmark = pytest.mark.live


class Pipeline:
    """Receivers on an in-memory queue, served over HTTP, wired behind the stack's senders."""

    def __init__(self, queue: InMemoryQueue, receivers: list[WebhookReceiver]) -> None:
        self.queue = queue
        self.receivers = receivers

    def jobs(self) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for n in range(1, 10_000):
            info = asyncio.run(self.queue.get_job(str(n)))
            if info is None:
                break
            found.append((info.name, dict(info.data)))
        return found

    def wait_for(self, name: str, key: str, value: str, timeout: float = 20) -> list[Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hits = [d for n, d in self.jobs() if n == name and d.get(key) == value]
            if hits:
                return hits
            time.sleep(0.2)
        raise AssertionError(f"no {name} job for {key}={value}; jobs: {self.jobs()}")


@pytest.fixture
def pipeline(live_env: dict[str, str]) -> Iterator[Pipeline]:
    queue = InMemoryQueue()
    medusa = WebhookReceiver(queue, live_env["MEDUSA_WEBHOOK_SECRET"], source="medusa")
    payload = WebhookReceiver(queue, live_env["PAYLOAD_WEBHOOK_SECRET"], source="payload")
    relay = Path(live_env["WEBHOOK_RELAY_FILE"])
    with serve_asgi(create_asgi_app(medusa, payload)) as url:
        relay.write_text(f"{url}/webhooks")
        try:
            yield Pipeline(queue, [medusa, payload])
        finally:
            relay.unlink(missing_ok=True)


def test_medusa_product_events_become_one_job_each(
    pipeline: Pipeline, medusa: MedusaClient, live_env: dict[str, str], unique: str
) -> None:
    product = medusa.admin.products.create(
        {
            "title": "Hook Tee",
            "handle": f"hook-{unique}",
            "status": "published",
            "options": [{"title": "Size", "values": ["One"]}],
            "variants": [
                {
                    "title": "One",
                    "options": {"Size": "One"},
                    "manage_inventory": False,
                    "prices": [{"currency_code": "eur", "amount": 5}],
                }
            ],
        }
    )
    try:
        created = pipeline.wait_for(_jobs.PRODUCT_TO_PAYLOAD, "product_id", product.id)
        medusa.admin.products.update(product.id, {"title": "Hook Tee 2"})
        deadline = time.monotonic() + 20
        while len([j for n, j in pipeline.jobs() if j.get("product_id") == product.id]) < 2:
            assert time.monotonic() < deadline, pipeline.jobs()
            time.sleep(0.2)
        assert len(created) >= 1
    finally:
        medusa.admin.products.delete(product.id)
    pipeline.wait_for(_jobs.PRODUCT_DELETED, "product_id", product.id)
    mine = [n for n, d in pipeline.jobs() if d.get("product_id") == product.id]
    # One job per event: create, update(s) Medusa emits for it, delete; never duplicates of one.
    assert mine.count(_jobs.PRODUCT_DELETED) == 1


def test_payload_publish_is_one_job_and_a_draft_none(
    pipeline: Pipeline, live_env: dict[str, str], unique: str
) -> None:
    # An editor (the admin user, not the sync user) works in Payload.
    with PayloadClient(live_env["PAYLOAD_URL"], api_key=live_env["PAYLOAD_API_KEY"]) as editor:
        draft = editor.create("product-content", {"handle": f"hook-{unique}", "title": "Draft"})
        time.sleep(2)  # give the sender time: a draft must start nothing
        assert not [d for n, d in pipeline.jobs() if d.get("content_id") == str(draft.id)]
        editor.update_by_id("product-content", draft.id, {"status": "published"})
        jobs = pipeline.wait_for(_jobs.CONTENT_TO_MEDUSA, "content_id", str(draft.id))
        assert len(jobs) == 1
        editor.delete_by_id("product-content", draft.id)
        deadline = time.monotonic() + 20
        while len([d for n, d in pipeline.jobs() if d.get("content_id") == str(draft.id)]) < 2:
            assert time.monotonic() < deadline, pipeline.jobs()
            time.sleep(0.2)


def test_sync_user_writes_do_not_echo(
    pipeline: Pipeline, live_env: dict[str, str], unique: str
) -> None:
    with PayloadClient(live_env["PAYLOAD_URL"], api_key=live_env["PAYLOAD_SYNC_API_KEY"]) as sync:
        doc = sync.create(
            "product-content", {"handle": f"echo-{unique}", "title": "Sync", "status": "published"}
        )
        sync.update_by_id("product-content", doc.id, {"title": "Sync 2"})
        time.sleep(3)
        assert not [d for n, d in pipeline.jobs() if d.get("content_id") == str(doc.id)]
        sync.delete_by_id("product-content", doc.id)
