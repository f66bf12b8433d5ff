"""The demo: the whole two-way flow on the embedded defaults, in a few seconds, offline.

In-memory Medusa and Payload (`medusa_payload.testing`), an in-memory queue, the real webhook
receivers, worker, sync handlers, unified client and reconciliation. The senders (a Medusa
subscriber, a Payload hook) are played by signing the same bodies they send.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ._demo_text import NEXT_STEPS, WHAT_HAPPENED, explain_report
from .medusa import AsyncMedusaClient
from .payload import AsyncPayloadClient, ProductContent, Where
from .queue import InMemoryQueue, RetryPolicy, Worker
from .sync import job_handlers, reconcile
from .testing import FakeMedusa, FakePayload, seed_demo
from .unified import AsyncUnifiedClient
from .webhooks import WebhookReceiver, generate_secret, sign_headers

__all__ = ["DemoResult", "run_demo"]

Out = Callable[[str], object]


@attrs.define
class DemoResult:
    """What the demo did, for tests and scripts."""

    product_id: str = ""
    content_id: str = ""
    jobs_completed: int = 0
    cold_read_ms: float = 0.0
    warm_read_us: float = 0.0
    all_in_sync: bool = False
    seconds: float = 0.0
    steps: list[str] = attrs.Factory(list)


class _Demo:
    def __init__(self, out: Out) -> None:
        self.out = out
        self.result = DemoResult()
        self.medusa_fake, self.payload_fake = FakeMedusa(), FakePayload()
        seed_demo(self.medusa_fake, self.payload_fake)
        self.payload_fake.add_user("sync@example.com", password="sync", api_key="demo-sync-key")
        self.secrets = {"medusa": generate_secret(), "payload": generate_secret()}
        self.queue = InMemoryQueue(policy=RetryPolicy(initial_delay=0.05))
        m, p = self.medusa_fake, self.payload_fake
        self.admin = AsyncMedusaClient(m.base_url, api_key=m.secret_key, transport=m.transport)
        self.sync_user = AsyncPayloadClient(
            p.base_url, api_key="demo-sync-key", transport=p.transport
        )
        self.editor = AsyncPayloadClient(p.base_url, api_key=p.api_key, transport=p.transport)
        self.storefront = AsyncUnifiedClient(
            medusa=AsyncMedusaClient(
                m.base_url, publishable_key=m.publishable_key, transport=m.transport
            ),
            payload=AsyncPayloadClient(p.base_url, transport=p.transport),
        )
        self.receivers = {
            source: WebhookReceiver(
                self.queue,
                secret,
                source=source,  # type: ignore[arg-type]
                invalidate=self.storefront.invalidate_for_event,
            )
            for source, secret in self.secrets.items()
        }
        self.worker = Worker(self.queue, job_handlers(self.admin, self.sync_user), concurrency=4)

    def step(self, title: str) -> None:
        self.result.steps.append(title)
        self.out(f"\n== {len(self.result.steps)}. {title}")

    async def deliver(self, source: str, body: Mapping[str, Any]) -> str | None:
        """Send a webhook as the source's sender would: signed, then handled by the receiver.
        Returns the id of the job it enqueued."""
        raw = json.dumps(body).encode()
        receipt = await self.receivers[source].ahandle(raw, sign_headers(raw, self.secrets[source]))
        what = f"job {receipt.job_name} #{receipt.job_id}" if receipt.job_id else receipt.reason
        self.out(f"   webhook {body.get('event')} -> {receipt.status} ({what})")
        return receipt.job_id

    async def work(self) -> None:
        before = (self.worker.stats.completed, self.worker.stats.failed)
        stats = await self.worker.run_until_idle(timeout=30)
        self.result.jobs_completed = stats.completed
        self.out(
            f"   worker: {stats.completed - before[0]} job(s) done, "
            f"{stats.failed - before[1]} failed"
        )

    async def run(self) -> DemoResult:
        started = time.perf_counter()
        self.step("The seeded shop: 3 Medusa products, Payload copy for 2; reconcile pairs them")
        first = await reconcile(self.admin, self.sync_user)
        self.out(f"   {first.summary()}")
        self.explain(first)
        await self.product_created()
        await self.content_published()
        await self.storefront_reads()
        await self.reconciliation()
        stats = await self.queue.stats()
        self.step("Queue")
        self.out(f"   {json.dumps(stats.as_dict())}")
        for client in (
            self.admin,
            self.sync_user,
            self.editor,
            self.storefront.medusa,
            self.storefront.payload,
        ):
            await client.aclose()
        self.result.seconds = time.perf_counter() - started
        self.out(f"\nDone in {self.result.seconds:.2f} s: no server, no network.")
        self.out("\n".join(WHAT_HAPPENED))
        self.out("Try next:")
        width = max(len(command) for command, _ in NEXT_STEPS)
        for command, what in NEXT_STEPS:
            self.out(f"  {command:<{width}}  {what}")
        return self.result

    def explain(self, report: Any) -> None:
        """The report's counts in plain words, under its one-line summary."""
        for line in explain_report(report):
            self.out(f"     = {line}")

    async def product_created(self) -> None:
        self.step("Medusa: an admin creates a product; the subscriber sends product.created")
        product = await self.admin.admin.products.create(
            {
                "title": "Demo Jacket",
                "handle": "demo-jacket",
                "status": "published",
                "description": "A jacket for the demo",
                "options": [{"title": "Size", "values": ["M"]}],
                "variants": [
                    {
                        "title": "M",
                        "options": {"Size": "M"},
                        "manage_inventory": False,
                        "prices": [{"currency_code": "eur", "amount": 99}],
                    }
                ],
                "sales_channels": [{"id": self.medusa_fake.sales_channel_id}],
            }
        )
        self.result.product_id = product.id
        self.out(f"   product {product.id} ({product.handle})")
        await self.deliver("medusa", {"event": "product.created", "data": {"id": product.id}})
        await self.work()
        doc = (
            await self.editor.find(
                "product-content",
                where=Where.equals("medusaProductId", product.id),
                model=ProductContent,
            )
        ).items[0]
        self.result.content_id = str(doc.id)
        self.out(
            f"   Payload now has product-content #{doc.id}: title={doc.title!r}, "
            f"status={doc.status!r}"
        )

    async def content_published(self) -> None:
        self.step("Payload: an editor writes the copy and publishes; the hook sends it")
        doc_id = self.result.content_id
        await self.editor.update_by_id(
            "product-content",
            doc_id,
            {
                "features": [{"title": "Waterproof", "description": "10,000 mm"}],
                "specs": [{"key": "weight", "value": "450 g"}],
                "seo": {
                    "title": "Demo Jacket | Acme",
                    "description": "Stay dry",
                    "keywords": "jacket",
                },
                "status": "published",
            },
        )
        await self.deliver(
            "payload",
            {
                "event": "product-content.update",
                "collection": "product-content",
                "operation": "update",
                "id": doc_id,
                "status": "published",
                "previous_status": "draft",
                "doc": {"id": doc_id, "medusaProductId": self.result.product_id},
            },
        )
        await self.work()
        metadata = (await self.admin.admin.products.retrieve(self.result.product_id)).metadata or {}
        self.out(
            f"   Medusa metadata now: seo.title={metadata['seo']['title']!r}, "
            f"features={[f['title'] for f in metadata['features']]}"
        )
        self.out("   (our metadata write comes back as product.updated: its plan is empty)")
        await self.deliver(
            "medusa", {"event": "product.updated", "data": {"id": self.result.product_id}}
        )
        await self.work()
        info = await self.queue.get_job(str(len(self.queue._jobs)))  # the echo's job
        action = (info.result or {}).get("action") if info else None
        self.out(f"   echo job result: {action}")

    async def storefront_reads(self) -> None:
        self.step("Storefront: one merged product (Medusa + Payload), then from the cache")
        started = time.perf_counter()
        product = await self.storefront.get_product(
            "demo-jacket", region_id=self.medusa_fake.region_id
        )
        self.result.cold_read_ms = (time.perf_counter() - started) * 1000
        price = product.variants[0].calculated_price
        self.out(
            f"   {product.title}: {price.calculated_amount if price else '?'} EUR, "
            f"seo={product.seo.title if product.seo else None!r}, content={product.content_status}"
        )
        started = time.perf_counter()
        for _ in range(1000):
            await self.storefront.get_product("demo-jacket", region_id=self.medusa_fake.region_id)
        self.result.warm_read_us = (time.perf_counter() - started) * 1000
        self.out(
            f"   cold read {self.result.cold_read_ms:.1f} ms (2 requests at once); "
            f"cached read {self.result.warm_read_us:.1f} us"
        )

    async def reconciliation(self) -> None:
        self.step("Someone edits a Medusa-owned field in Payload by hand; reconcile repairs it")
        await self.editor.update_by_id(
            "product-content", self.result.content_id, {"title": "Hand-edited"}
        )
        dry = await reconcile(self.admin, self.sync_user, dry_run=True)
        self.out(f"   dry run: {dry.summary()}")
        self.explain(dry)
        for item in dry.items:
            label = item.product_id or item.key or item.content_id
            self.out(f"     {item.status:<9} {item.kind:<8} {label} {','.join(item.fields)}")
        fixed = await reconcile(self.admin, self.sync_user)
        self.out(f"   applied: {fixed.writes} write(s)")
        again = await reconcile(self.admin, self.sync_user)
        self.result.all_in_sync = again.all_in_sync
        self.out(f"   second run: all in sync = {again.all_in_sync} ({again.writes} writes)")


async def run_demo(out: Out = print) -> DemoResult:
    """Run the demo, printing each step with ``out``."""
    return await _Demo(out).run()
