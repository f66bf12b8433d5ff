"""The `Queue` contract, held by `InMemoryQueue` and `RedisQueue` alike."""

from __future__ import annotations

import asyncio

import attrs
import pytest

from medusa_payload.queue import LeaseLost
from tests.queue.conftest import Backend


async def test_fifo_reserve_complete_and_stats(backend: Backend) -> None:
    queue = backend.make()
    ids = [(await queue.enqueue("job", {"n": i})).id for i in range(3)]
    assert (await queue.stats()).as_dict() == {
        "waiting": 3,
        "active": 0,
        "completed": 0,
        "failed": 0,
        "delayed": 0,
        "total": 3,
    }
    lease = await queue.reserve("t1")
    assert lease is not None
    assert (lease.job_id, lease.name, dict(lease.data), lease.attempt) == (
        ids[0],
        "job",
        {"n": 0},
        1,
    )
    assert lease.max_attempts == 4
    assert (await queue.stats()).active == 1
    await queue.complete(lease, {"ok": True})
    info = await queue.get_job(ids[0])
    assert info is not None
    assert (info.state, info.result, info.attempts) == ("completed", {"ok": True}, 1)
    second = await queue.reserve("t2")
    assert second is not None and second.job_id == ids[1]
    stats = await queue.stats()
    assert (stats.waiting, stats.active, stats.completed) == (1, 1, 1)


async def test_empty_reserve_and_waiting_for_a_job(backend: Backend) -> None:
    queue = backend.make()
    assert await queue.reserve("t") is None

    async def later() -> None:
        await asyncio.sleep(0.2)
        await queue.enqueue("late", {})

    producer = asyncio.create_task(later())
    lease = await queue.reserve("t", timeout=3)
    await producer
    assert lease is not None and lease.name == "late"


async def test_delayed_job_waits_its_turn(backend: Backend) -> None:
    queue = backend.make()
    await queue.enqueue("later", {}, delay=0.5)
    assert (await queue.stats()).delayed == 1
    assert await queue.reserve("t") is None
    await backend.advance(0.6)
    lease = await queue.reserve("t", timeout=1)
    assert lease is not None and lease.name == "later"


async def test_retries_back_off_then_fail_for_good(backend: Backend) -> None:
    queue = backend.make(initial_delay=0.2, max_retries=2)
    job = await queue.enqueue("flaky", {})
    delays_ok = []
    for attempt in (1, 2, 3):
        lease = await queue.reserve("t", timeout=0 if backend.kind == "memory" else 2)
        assert lease is not None
        assert lease.attempt == attempt
        await queue.fail(lease, f"boom {attempt}")
        if attempt < 3:
            stats = await queue.stats()
            assert stats.delayed == 1
            # Not before the backoff (0.2 s, then 0.4 s) ...
            assert await queue.reserve("early") is None
            await backend.advance(0.2 * 2 ** (attempt - 1) + 0.05)
            delays_ok.append(attempt)
    info = await queue.get_job(job.id)
    assert info is not None
    assert (info.state, info.error, info.attempts) == ("failed", "boom 3", 3)
    assert delays_ok == [1, 2]
    assert (await queue.stats()).failed == 1


async def test_not_retryable_fails_at_once(backend: Backend) -> None:
    queue = backend.make()
    job = await queue.enqueue("bad", {})
    lease = await queue.reserve("t")
    assert lease is not None
    await queue.fail(lease, "422 invalid", retryable=False)
    info = await queue.get_job(job.id)
    assert info is not None
    assert (info.state, info.attempts) == ("failed", 1)
    assert (await queue.stats()).delayed == 0


async def test_lease_checks_the_token(backend: Backend) -> None:
    queue = backend.make()
    await queue.enqueue("job", {})
    lease = await queue.reserve("mine")
    assert lease is not None
    stolen = (
        type(lease)(**{**lease.__dict__, "token": "theirs"}) if hasattr(lease, "__dict__") else None
    )

    stolen = attrs.evolve(lease, token="theirs")
    with pytest.raises(LeaseLost):
        await queue.complete(stolen)
    with pytest.raises(LeaseLost):
        await queue.extend(stolen)
    await queue.complete(lease)
    with pytest.raises(LeaseLost):
        await queue.complete(lease)  # twice


async def test_expired_lease_is_reaped_and_late_completion_rejected(backend: Backend) -> None:
    queue = backend.make(lock_duration=0.3)
    job = await queue.enqueue("slow", {})
    first = await queue.reserve("dead-worker")
    assert first is not None
    await backend.advance(0.4)
    assert await backend.reap(queue) == 1
    again = await queue.reserve("other-worker")
    assert again is not None and again.job_id == job.id
    with pytest.raises(LeaseLost):
        await queue.complete(first, "late")
    await queue.complete(again, "on time")
    info = await queue.get_job(job.id)
    assert info is not None
    assert (info.state, info.result) == ("completed", "on time")


async def test_extend_keeps_the_job(backend: Backend) -> None:
    queue = backend.make(lock_duration=0.4)
    await queue.enqueue("long", {})
    lease = await queue.reserve("t")
    assert lease is not None
    for _ in range(3):
        await backend.advance(0.25)
        lease = await queue.extend(lease)
    assert await backend.reap(queue) == 0
    await queue.complete(lease)
    assert (await queue.stats()).completed == 1


async def test_retention_keeps_the_last_n(backend: Backend) -> None:
    queue = backend.make(keep_completed=2, keep_failed=1)
    ids = [(await queue.enqueue("j", {"i": i})).id for i in range(4)]
    for _ in ids:
        lease = await queue.reserve("t")
        assert lease is not None
        await queue.complete(lease)
    assert (await queue.stats()).completed == 2
    assert await queue.get_job(ids[0]) is None
    assert await queue.get_job(ids[3]) is not None
    for i in range(2):
        await queue.enqueue("f", {"i": i})
        lease = await queue.reserve("t")
        assert lease is not None
        await queue.fail(lease, "x", retryable=False)
    assert (await queue.stats()).failed == 1


async def test_dedup_answers_across_the_job_lifecycle(backend: Backend) -> None:
    queue = backend.make(dedup_window=1.0, keep_completed=0)
    first = await queue.enqueue("sync", {"id": 1}, dedup_key="hash-1")
    assert not first.duplicate
    waiting = await queue.enqueue("sync", {"id": 1}, dedup_key="hash-1")
    assert (waiting.id, waiting.duplicate) == (first.id, True)
    lease = await queue.reserve("t")
    assert lease is not None
    active = await queue.enqueue("sync", {"id": 1}, dedup_key="hash-1")
    assert (active.id, active.duplicate) == (first.id, True)
    await queue.complete(lease)  # keep_completed=0: trimmed right away
    assert await queue.get_job(first.id) is None
    trimmed = await queue.enqueue("sync", {"id": 1}, dedup_key="hash-1")
    assert (trimmed.id, trimmed.duplicate) == (first.id, True)
    other = await queue.enqueue("sync", {"id": 2}, dedup_key="hash-2")
    assert not other.duplicate
    await backend.advance(1.1)
    fresh = await queue.enqueue("sync", {"id": 1}, dedup_key="hash-1")
    assert not fresh.duplicate
    assert fresh.id != first.id
    assert (await queue.stats()).waiting == 2


async def test_progress_is_recorded(backend: Backend) -> None:
    queue = backend.make()
    job = await queue.enqueue("p", {})
    lease = await queue.reserve("t")
    assert lease is not None
    for percent in (10, 30, 50, 90):
        await queue.progress(lease, percent)
    info = await queue.get_job(job.id)
    assert info is not None and info.progress == 90


async def test_a_job_that_keeps_stalling_fails(backend: Backend) -> None:
    queue = backend.make(lock_duration=0.2, max_stalled=1)
    job = await queue.enqueue("poison", {})
    for _ in range(2):
        lease = await queue.reserve("t", timeout=0 if backend.kind == "memory" else 1)
        assert lease is not None
        await backend.advance(0.3)
        await backend.reap(queue)
    # BullMQ marks it and fails it when it is next taken; in memory it fails at once.
    await queue.reserve("t")
    info = await queue.get_job(job.id)
    assert info is not None
    assert info.state == "failed"
    assert info.error == "job stalled more than allowable limit"
