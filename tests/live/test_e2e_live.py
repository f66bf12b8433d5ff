"""End to end on the real stack: Medusa + Payload with the project's own senders, our webhook
receiver (``medusa-payload webhooks serve``) and a worker process (``medusa-payload worker``)
on a Redis queue.

The stack's echo receiver relays every delivery to our receiver (``WEBHOOK_RELAY_FILE``).
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from medusa_payload import MedusaClient, PayloadClient, Where
from medusa_payload.payload import ProductContent
from medusa_payload.queue import RedisQueue, SyncQueue
from medusa_payload.sync import reconcile
from tests.conftest import redis_url
from tests.live._procs import delete_prefix, sdk_env, spawn_cli, stop, wait_until
from tests.live._servers import free_port

pytestmark = pytest.mark.live

STATS_TOKEN = "e2e-stats-token"


class Stack:
    """Our receiver and worker processes around the live stack, on a private queue."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.prefix = f"e2e-{uuid.uuid4().hex[:8]}"
        self.port = free_port()
        self.logs = Path(f"/tmp/medusa-payload-e2e-{self.prefix}")
        self.logs.mkdir(parents=True, exist_ok=True)
        self.process_env = sdk_env(
            env, redis_url=redis_url(), queue="e2e", prefix=self.prefix, stats_token=STATS_TOKEN
        )
        self.receiver: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []

    def start_receiver(self) -> None:
        self.receiver = self._spawn("receiver", ["webhooks", "serve", "--port", str(self.port)])
        wait_until(self._receiver_up, 20, "the receiver answers")
        Path(self.env["WEBHOOK_RELAY_FILE"]).write_text(f"http://127.0.0.1:{self.port}/webhooks")

    def _receiver_up(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/queue/stats").status_code == 401
        except httpx.HTTPError:
            return False

    def start_worker(self) -> subprocess.Popen[bytes]:
        worker = self._spawn(
            f"worker{len(self.workers)}",
            [
                "worker",
                "--concurrency",
                "4",
                "--lock-duration",
                "3",
                "--stalled-interval",
                "1",
                "--handlers",
                "tests.live.e2e_handlers:HANDLERS",
            ],
        )
        self.workers.append(worker)
        return worker

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        return spawn_cli(args, self.logs / f"{name}.log", self.process_env)

    def queue(self) -> SyncQueue:
        return SyncQueue(lambda: RedisQueue(redis_url(), name="e2e", prefix=self.prefix))

    def deliveries(self) -> int:
        path = Path(self.env["WEBHOOK_LOG"])
        if not path.exists():
            return 0
        with path.open() as log:
            return sum(1 for _ in log)

    def drain(self, quiet: float = 3.0, timeout: float = 60.0) -> None:
        """Wait until the queue has been idle and no webhook arrived for ``quiet`` seconds."""
        with self.queue() as queue:
            deadline = time.monotonic() + timeout
            last = (self.deliveries(), queue.stats().completed)
            calm_since = time.monotonic()
            while time.monotonic() < deadline:
                time.sleep(0.3)
                stats = queue.stats()
                now = (self.deliveries(), stats.completed)
                busy = stats.waiting or stats.active or stats.delayed
                if busy or now != last:
                    last, calm_since = now, time.monotonic()
                elif time.monotonic() - calm_since >= quiet:
                    return
            raise AssertionError(f"queue not idle after {timeout} s")

    def stop(self) -> None:
        Path(self.env["WEBHOOK_RELAY_FILE"]).unlink(missing_ok=True)
        stop([*self.workers, self.receiver])
        delete_prefix(redis_url(), self.prefix)


@pytest.fixture(scope="module")
def stack(live_env: dict[str, str]) -> Iterator[Stack]:
    made = Stack(live_env)
    made.start_receiver()
    made.start_worker()
    yield made
    made.stop()


@pytest.fixture(scope="module")
def medusa_admin(live_env: dict[str, str]) -> Iterator[MedusaClient]:
    with MedusaClient(live_env["MEDUSA_URL"], api_key=live_env["MEDUSA_SECRET_API_KEY"]) as client:
        yield client


@pytest.fixture(scope="module")
def editor(live_env: dict[str, str]) -> Iterator[PayloadClient]:
    """An editor: the admin user, whose writes the Payload hook does send."""
    with PayloadClient(live_env["PAYLOAD_URL"], api_key=live_env["PAYLOAD_API_KEY"]) as client:
        yield client


@pytest.fixture(scope="module")
def product(medusa_admin: MedusaClient, live_env: dict[str, str], stack: Stack) -> Iterator[Any]:
    created = medusa_admin.admin.products.create(
        {
            "title": "E2E Jacket",
            "handle": f"e2e-{stack.prefix}",
            "status": "published",
            "description": "made by the e2e test",
            "options": [{"title": "Size", "values": ["M"]}],
            "variants": [
                {
                    "title": "M",
                    "options": {"Size": "M"},
                    "manage_inventory": False,
                    "prices": [{"currency_code": "eur", "amount": 99}],
                }
            ],
            "sales_channels": [{"id": live_env["MEDUSA_SALES_CHANNEL_ID"]}],
        }
    )
    yield created
    medusa_admin.admin.products.delete(created.id)


def content_of(client: PayloadClient, product_id: str) -> ProductContent | None:
    page = client.find(
        "product-content", where=Where.equals("medusaProductId", product_id), model=ProductContent
    )
    return page.items[0] if page.items else None


def test_1_a_new_product_reaches_payload(product: Any, editor: PayloadClient) -> None:
    started = time.monotonic()
    doc = wait_until(lambda: content_of(editor, product.id), 10, "the product-content doc")
    print(f"\nproduct-content appeared after {time.monotonic() - started:.1f} s")
    assert (doc.title, doc.handle, doc.status) == ("E2E Jacket", product.handle, "draft")


def test_2_published_content_reaches_medusa_and_a_draft_does_not(
    product: Any,
    editor: PayloadClient,
    medusa_admin: MedusaClient,
    stack: Stack,
    live_env: dict[str, str],
) -> None:
    doc = content_of(editor, product.id)
    assert doc is not None
    editor.update_by_id(
        "product-content",
        doc.id,
        {
            "features": [{"title": "Waterproof", "description": "10,000 mm"}],
            "specs": [{"key": "weight", "value": "450 g"}],
            "seo": {"title": "E2E Jacket | Acme", "description": "Stay dry", "keywords": "jacket"},
            "richDescription": {
                "root": {
                    "type": "root",
                    "children": [],
                    "direction": None,
                    "format": "",
                    "indent": 0,
                    "version": 1,
                }
            },
            "status": "published",
        },
    )
    started = time.monotonic()

    def synced() -> dict[str, Any] | None:
        meta = medusa_admin.admin.products.retrieve(product.id, fields="id,metadata").metadata or {}
        return (
            meta
            if meta.get("seo", {}) and meta["seo"].get("title") == "E2E Jacket | Acme"
            else None
        )

    meta = wait_until(synced, 10, "the metadata in Medusa")
    print(f"\nmetadata synced after {time.monotonic() - started:.1f} s")
    assert meta["features"] == [{"title": "Waterproof", "description": "10,000 mm"}]
    assert meta["specs"] == [{"key": "weight", "value": "450 g"}]
    # A draft saved by an editor changes nothing in Medusa and starts no job.
    stack.drain()
    before = stack.queue()
    with before as queue:
        jobs_before = queue.stats().total
    draft = editor.create(
        "product-content",
        {"handle": f"draft-{stack.prefix}", "title": "Draft", "seo": {"title": "never synced"}},
    )
    editor.update_by_id("product-content", draft.id, {"seo": {"title": "still a draft"}})
    stack.drain()
    with stack.queue() as queue:
        assert queue.stats().total == jobs_before
    editor.delete_by_id("product-content", draft.id)


def test_3_a_medusa_title_edit_follows_and_editors_copy_stays(
    product: Any, editor: PayloadClient, medusa_admin: MedusaClient
) -> None:
    medusa_admin.admin.products.update(product.id, {"title": "E2E Jacket Pro"})
    doc = wait_until(
        lambda: (d := content_of(editor, product.id)) and d.title == "E2E Jacket Pro" and d,
        10,
        "the new title in Payload",
    )
    assert doc.seo is not None and doc.seo.title == "E2E Jacket | Acme"
    assert doc.features and doc.features[0].title == "Waterproof"
    assert doc.rich_description is not None
    assert doc.status == "published"


def test_4_alternating_edits_stay_bounded(
    product: Any, editor: PayloadClient, medusa_admin: MedusaClient, stack: Stack
) -> None:
    stack.drain()
    doc = content_of(editor, product.id)
    assert doc is not None
    deliveries = stack.deliveries()
    with stack.queue() as queue:
        jobs = queue.stats().total
    for n in range(25):
        medusa_admin.admin.products.update(product.id, {"title": f"E2E Jacket v{n}"})
        editor.update_by_id("product-content", doc.id, {"seo": {"title": f"SEO v{n}"}})
    stack.drain(quiet=4)
    new_deliveries = stack.deliveries() - deliveries
    with stack.queue() as queue:
        new_jobs = queue.stats().total - jobs
    print(f"\n50 edits -> {new_deliveries} webhook deliveries, {new_jobs} jobs")
    # A Medusa edit is one event (our Payload write is by the sync user: no hook); a Payload edit
    # is one event plus one echo (our metadata write) that plans nothing. So 3 per pair of edits
    # (a few sender retries allowed), and the queue is quiet afterwards: no ping-pong.
    assert new_deliveries <= 3 * 25 + 5
    assert new_jobs <= new_deliveries
    final = content_of(editor, product.id)
    assert final is not None and final.title == "E2E Jacket v24"
    meta = medusa_admin.admin.products.retrieve(product.id, fields="id,metadata").metadata or {}
    assert meta["seo"]["title"] == "SEO v24"


def test_5_reconcile_repairs_both_sides_then_all_in_sync(
    product: Any,
    editor: PayloadClient,
    medusa_admin: MedusaClient,
    stack: Stack,
    live_env: dict[str, str],
) -> None:
    doc = content_of(editor, product.id)
    assert doc is not None
    editor.update_by_id("product-content", doc.id, {"title": "Hacked in Payload"})
    medusa_admin.admin.products.update_metadata(product.id, {"seo": {"title": "hacked in Medusa"}})
    stack.drain()
    with PayloadClient(live_env["PAYLOAD_URL"], api_key=live_env["PAYLOAD_SYNC_API_KEY"]) as sync:
        fixed = reconcile(medusa_admin, sync)
        assert fixed.errors == 0, fixed.to_json()
        assert content_of(editor, product.id).title == "E2E Jacket v24"  # type: ignore[union-attr]
        meta = medusa_admin.admin.products.retrieve(product.id, fields="id,metadata").metadata or {}
        assert meta["seo"]["title"] == "SEO v24"
        stack.drain()
        again = reconcile(medusa_admin, sync)
        assert again.all_in_sync, again.to_json()


def test_6_a_killed_worker_s_job_still_completes(stack: Stack) -> None:
    with stack.queue() as queue:
        job = queue.enqueue("e2e.slow", {"seconds": 4})
        wait_until(
            lambda: (queue.get_job(job.id) or None) and queue.get_job(job.id).state == "active",  # type: ignore[union-attr]
            10,
            "the slow job running",
        )
        victim = stack.workers[0]
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        killed_at = time.monotonic()
        stack.start_worker()
        done = wait_until(
            lambda: (info := queue.get_job(job.id)) and info.state == "completed" and info,
            3 + 2 * 1 + 4 + 10,
            "the job completed by another worker",
        )
        print(f"\nkilled mid-job; completed {time.monotonic() - killed_at:.1f} s later")
        assert done.result["slept"] == 4


def test_7_queue_stats_and_audit_records(stack: Stack, editor: PayloadClient) -> None:
    stack.drain()
    response = httpx.get(
        f"http://127.0.0.1:{stack.port}/queue/stats",
        headers={"authorization": f"Bearer {STATS_TOKEN}"},
    )
    assert response.status_code == 200
    counts = response.json()
    assert set(counts) == {"waiting", "active", "completed", "failed", "delayed", "total"}
    assert counts["completed"] > 0
    assert counts["failed"] == 0
    assert httpx.get(f"http://127.0.0.1:{stack.port}/queue/stats").status_code == 401
    logs = editor.count("webhook-logs", where=Where.exists("webhookId"))
    jobs = editor.count("sync-jobs", where=Where.equals("status", "completed"))
    assert logs > 0
    assert jobs > 0
    print(f"\nqueue stats {json.dumps(counts)}; audit: {logs} webhook-logs, {jobs} sync-jobs")
