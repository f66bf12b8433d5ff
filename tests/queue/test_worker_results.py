"""What a handler returns is normalised in one place: both backends record the same value, and
a value that cannot be recorded completes the job once, with a note, instead of running it again."""

from __future__ import annotations

import datetime
import math
from collections import Counter
from typing import Any

import attrs

from medusa_payload.queue import JobContext, JobOutcome, Worker
from tests.queue.conftest import Backend

WHEN = datetime.datetime(2026, 12, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


@attrs.define
class Synced:
    product_id: str
    at: datetime.datetime


class Report:
    def to_dict(self) -> dict[str, Any]:
        return {"when": WHEN, "items": (1, 2)}


def _circular() -> list[Any]:
    items: list[Any] = [1]
    items.append(items)
    return items


RESULTS: dict[str, Any] = {
    "nan": lambda: math.nan,
    "inf_inside": lambda: {"ratio": math.inf},
    "attrs_with_datetime": lambda: Synced("prod_1", WHEN),
    "to_dict_with_datetime": Report,
    "circular": _circular,
}


async def test_every_result_is_recorded_once_and_alike(backend: Backend) -> None:
    queue = backend.make(real_time=True, initial_delay=0)
    runs: Counter[str] = Counter()
    outcomes: list[JobOutcome] = []

    def handler(ctx: JobContext) -> Any:
        runs[ctx.name] += 1
        return RESULTS[ctx.name]()

    ids = {name: (await queue.enqueue(name, {})).id for name in RESULTS}
    worker = Worker(
        queue, dict.fromkeys(RESULTS, handler), on_job_done=outcomes.append, stalled_interval=0.2
    )
    stats = await worker.run_until_idle(timeout=30)
    assert runs == dict.fromkeys(RESULTS, 1)
    assert (stats.completed, stats.retried, stats.failed, stats.lost) == (5, 0, 0, 0)
    recorded = {}
    for name, job_id in ids.items():
        info = await queue.get_job(job_id)
        assert info is not None and info.state == "completed", name
        recorded[name] = info.result
    assert recorded["attrs_with_datetime"] == {"product_id": "prod_1", "at": WHEN.isoformat()}
    assert recorded["to_dict_with_datetime"] == {"when": WHEN.isoformat(), "items": [1, 2]}
    for name in ("nan", "inf_inside", "circular"):
        note = recorded[name]["note"]
        assert note.startswith("the handler's result could not be recorded"), name
    assert "nan" in recorded["nan"]["note"]
    assert "inf" in recorded["inf_inside"]["note"]
    assert "circular reference" in recorded["circular"]["note"]
    by_name = {o.name: o.result for o in outcomes}
    assert by_name == recorded  # the hook sees what the queue recorded
