"""`job_handlers` through a real `Worker` and `InMemoryQueue`, sync and async clients."""

from __future__ import annotations

from medusa_payload import _jobs
from medusa_payload.queue import InMemoryQueue, Worker
from medusa_payload.sync import job_handlers
from tests.sync.conftest import Pair


async def test_every_job_name_has_a_handler_and_jobs_run(pair: Pair) -> None:
    handlers = job_handlers(pair.medusa, pair.payload)
    assert set(handlers) == set(_jobs.ALL_JOBS)
    queue = InMemoryQueue()
    order = pair.medusa_fake.add_order()
    tee = pair.content("live-tee")
    jobs = {
        _jobs.PRODUCT_TO_PAYLOAD: {"product_id": pair.ids["products"]["live-plain"]},
        _jobs.CONTENT_TO_MEDUSA: {"content_id": str(tee["id"])},
        _jobs.STORE_TO_MEDUSA: {"store_id": str(pair.ids["store_id"])},
        _jobs.PAGE_TO_MEDUSA: {"page_id": str(pair.ids["page_ids"][0])},
        _jobs.ORDER_AUDIT: {"order_id": order["id"], "event": "order.placed"},
        _jobs.VENDOR_TO_PAYLOAD: {"vendor_id": "ven_1", "vendor": {"name": "V"}},
        _jobs.INVENTORY_LOW: {"inventory_item_id": "iitem_1"},
    }
    ids = {name: (await queue.enqueue(name, data)).id for name, data in jobs.items()}
    bad = await queue.enqueue(_jobs.PRODUCT_TO_PAYLOAD, {"wrong": "data"})
    stats = await Worker(queue, handlers, concurrency=3).run_until_idle(timeout=30)
    assert (stats.completed, stats.failed) == (len(jobs), 1)
    for name, job_id in ids.items():
        info = await queue.get_job(job_id)
        assert info is not None and info.state == "completed", (name, info)
        if name != _jobs.INVENTORY_LOW:
            assert info.progress == 100
            assert info.result["changed"] is True
    failed = await queue.get_job(bad.id)
    assert failed is not None
    assert failed.error is not None and "no 'product_id'" in failed.error
    assert failed.attempts == 1  # bad job data is unrecoverable: no retries
