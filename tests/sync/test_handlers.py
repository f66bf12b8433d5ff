"""`job_handlers` through a real `Worker` and `InMemoryQueue`, sync and async clients."""

from __future__ import annotations

import inspect

import pytest

from medusa_payload import _jobs
from medusa_payload.errors import Unrecoverable
from medusa_payload.queue import InMemoryQueue, Worker
from medusa_payload.sync import AsyncSyncEngine, SyncEngine, job_handlers, make_engine, reconcile
from medusa_payload.sync._job_table import JOB_ARGUMENTS, job_call
from tests.helpers import resolve
from tests.sync.conftest import Pair

_IDS = {f"{kind}_id": f"{kind}_1" for kind in ("page", "store", "vendor", "tenant", "order")}
_IDS["event"] = "order.placed"


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


def test_the_job_table_names_a_method_of_both_engines_for_every_sync_job() -> None:
    sync_jobs = {name for name in _jobs.ALL_JOBS if name.startswith("sync.")}
    assert set(JOB_ARGUMENTS) == sync_jobs
    for name in sync_jobs:
        method, args, kwargs = job_call(name, {"product_id": "p", "content_id": 1, **_IDS})
        for engine in (SyncEngine, AsyncSyncEngine):
            params = inspect.signature(getattr(engine, method)).parameters
            assert len(args) + 1 + len(kwargs) + 1 == len(params), (name, list(params))
            assert set(kwargs) <= set(params), (name, kwargs)


def test_job_call_refuses_missing_or_empty_ids_as_unrecoverable() -> None:
    with pytest.raises(Unrecoverable, match="'event'"):
        job_call(_jobs.ORDER_AUDIT, {"order_id": "order_1", "event": ""})
    assert job_call(_jobs.CONTENT_TO_MEDUSA, {"content_id": 7, "product_id": "p"}) == (
        "content_to_medusa",
        ["7"],
        {"medusa_product_id": "p"},
    )


async def test_engine_methods_are_the_api_and_the_shorthands_agree(pair: Pair) -> None:
    engine = make_engine(pair.medusa, pair.payload)
    assert isinstance(engine, AsyncSyncEngine if pair.kind == "async" else SyncEngine)
    product_id = pair.ids["products"]["live-plain"]
    result = await resolve(engine.run_job(_jobs.PRODUCT_TO_PAYLOAD, {"product_id": product_id}))
    assert result.action == "created"
    report = await resolve(engine.reconcile(dry_run=True))
    again = await resolve(reconcile(pair.medusa, pair.payload, dry_run=True))
    assert report.to_dict()["items"] == again.to_dict()["items"]
