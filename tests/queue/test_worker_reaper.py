"""The worker's own duties that only show when something goes wrong: its stalled-job reaper
puts back a job whose worker died, and a backend that cannot record how a try ended makes the
try count as lost (the job runs again), never crashes the worker or loses the job."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import pytest

from medusa_payload.queue import JobContext, JobOutcome, Lease, Queue, Unrecoverable, Worker
from tests.queue.conftest import Backend


async def test_the_worker_reaps_a_dead_workers_job_and_runs_it(backend: Backend) -> None:
    """Nobody else reaps here: without the worker's own reaper the job stays active forever
    and run_until_idle times out."""
    queue = backend.make(real_time=True, lock_duration=0.3)
    job = await queue.enqueue("job", {"n": 1})
    dead = await queue.reserve("dead-worker:1", lock_duration=0.3)  # then the worker died
    assert dead is not None and dead.job_id == job.id

    async def handle(ctx: JobContext) -> str:
        return f"done by try {ctx.attempt}"

    worker = Worker(queue, {"job": handle}, lock_duration=0.3, stalled_interval=0.2)
    stats = await worker.run_until_idle(timeout=15)
    assert (stats.completed, stats.lost) == (1, 0)
    info = await queue.get_job(job.id)
    assert info is not None and info.state == "completed"
    assert info.result == f"done by try {info.attempts}"


class RecordingFails:
    """The real queue, except that the first ``complete`` and the first ``fail`` raise, as a
    backend that dropped its connection at that moment would."""

    def __init__(self, inner: Queue) -> None:
        self.inner = inner
        self.raised: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def complete(self, lease: Lease, result: Any = None) -> None:
        self._maybe_raise("complete")
        await self.inner.complete(lease, result)

    async def complete_and_reserve(
        self, lease: Lease, result: Any = None, *, lock_duration: float | None = None
    ) -> Lease | None:
        self._maybe_raise("complete")
        return await self.inner.complete_and_reserve(  # type: ignore[attr-defined, no-any-return]
            lease, result, lock_duration=lock_duration
        )

    async def fail(self, lease: Lease, error: str, *, retryable: bool = True) -> None:
        self._maybe_raise("fail")
        await self.inner.fail(lease, error, retryable=retryable)

    def _maybe_raise(self, call: str) -> None:
        if not self.raised[call]:
            self.raised[call] += 1
            raise ConnectionError(f"backend dropped the connection during {call}")


async def test_a_backend_failing_to_record_the_end_makes_the_job_run_again(
    backend: Backend, caplog: pytest.LogCaptureFixture
) -> None:
    inner = backend.make(real_time=True, lock_duration=0.3)
    queue = RecordingFails(inner)
    ok = await inner.enqueue("ok", {})
    bad = await inner.enqueue("bad", {})
    runs: Counter[str] = Counter()
    outcomes: list[JobOutcome] = []

    async def succeed(ctx: JobContext) -> str:
        runs["ok"] += 1
        return "fine"

    async def refuse(ctx: JobContext) -> None:
        runs["bad"] += 1
        raise Unrecoverable("bad input")

    caplog.set_level(logging.ERROR, logger="medusa_payload.queue")
    worker = Worker(
        queue,  # type: ignore[arg-type]
        {"ok": succeed, "bad": refuse},
        lock_duration=0.3,
        stalled_interval=0.2,
        on_job_done=outcomes.append,
    )
    stats = await worker.run_until_idle(timeout=20)
    assert runs == {"ok": 2, "bad": 2}
    assert (stats.lost, stats.completed, stats.failed) == (2, 1, 1)
    assert sorted((o.name, o.status, o.error) for o in outcomes) == [
        ("bad", "failed", "Unrecoverable: bad input"),
        ("bad", "lost", "backend dropped the connection during fail"),
        ("ok", "completed", None),
        ("ok", "lost", "backend dropped the connection during complete"),
    ]
    assert "the completion could not be recorded" in caplog.text
    assert "the failure could not be recorded" in caplog.text
    done, refused = await inner.get_job(ok.id), await inner.get_job(bad.id)
    assert done is not None and (done.state, done.result) == ("completed", "fine")
    assert refused is not None and (refused.state, refused.error) == (
        "failed",
        "Unrecoverable: bad input",
    )
