"""`InMemoryQueue` forgets dedup keys once their window has passed: memory stays bounded."""

from __future__ import annotations

from medusa_payload.queue import InMemoryQueue, RetryPolicy
from tests.queue.conftest import FakeClock


def test_dedup_keys_are_forgotten_after_their_window() -> None:
    clock = FakeClock()
    queue = InMemoryQueue(policy=RetryPolicy(dedup_window=60, keep_completed=0), clock=clock)
    for n in range(5000):
        queue.enqueue_nowait("sync", {"n": n}, dedup_key=f"evt-{n}")
        clock.now += 0.01  # 50 s of webhooks, all inside one window
    assert len(queue._dedup) == 5000
    assert queue.enqueue_nowait("sync", {}, dedup_key="evt-4999").duplicate
    clock.now += 60  # every window has passed
    fresh = queue.enqueue_nowait("sync", {}, dedup_key="evt-0")
    assert not fresh.duplicate
    assert list(queue._dedup) == ["evt-0"]  # the 4,999 expired keys are gone


def test_a_key_renewed_after_its_window_keeps_the_others_in_order() -> None:
    clock = FakeClock()
    queue = InMemoryQueue(policy=RetryPolicy(dedup_window=10), clock=clock)
    queue.enqueue_nowait("sync", {}, dedup_key="a")
    clock.now += 6
    queue.enqueue_nowait("sync", {}, dedup_key="b")
    clock.now += 5  # a expired, b has 5 s left
    again = queue.enqueue_nowait("sync", {}, dedup_key="a")
    assert not again.duplicate
    assert list(queue._dedup) == ["b", "a"]
    clock.now += 6  # b expired, a (renewed) has 4 s left
    assert queue.enqueue_nowait("sync", {}, dedup_key="a").duplicate
    assert list(queue._dedup) == ["a"]
