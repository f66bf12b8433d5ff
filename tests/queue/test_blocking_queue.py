"""`BlockingQueue` is the new name of the blocking facade; `SyncQueue` stays as its alias."""

from __future__ import annotations

import pytest

from medusa_payload.queue import BlockingQueue, InMemoryQueue, SyncQueue


@pytest.mark.parametrize("cls", [BlockingQueue, SyncQueue])
def test_both_names_enqueue_from_blocking_code(cls: type[BlockingQueue]) -> None:
    with cls(InMemoryQueue()) as queue:
        first = queue.enqueue("sync.product_to_payload", {"product_id": "p1"}, dedup_key="e1")
        again = queue.enqueue("sync.product_to_payload", {"product_id": "p1"}, dedup_key="e1")
        assert again.duplicate and again.id == first.id
        assert queue.stats().waiting == 1
        with pytest.raises(AttributeError, match=f"{cls.__name__} has no 'reserve'"):
            queue.reserve  # noqa: B018 - workers use the async queue


def test_sync_queue_is_the_same_class() -> None:
    assert SyncQueue is BlockingQueue
