"""Jobs through a queue: the `Queue` protocol, two backends and one `Worker` for both.

```python
from medusa_payload.queue import InMemoryQueue, RedisQueue, Worker, queue_from_env

queue = queue_from_env()                       # RedisQueue if REDIS_URL is set, else in memory
await queue.enqueue("sync.product_to_payload", {"product_id": "prod_1"}, dedup_key="...")
await Worker(queue, handlers, concurrency=8).run()
```

`RedisQueue` needs the ``redis`` extra (``pip install 'medusa-payload[redis]'``); it is
imported lazily, so this package works without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import _config
from ..errors import LeaseLost, QueueError, Unrecoverable
from ._blocking import BlockingQueue, SyncQueue
from ._context import Handler, JobContext
from ._memory import InMemoryQueue
from ._protocol import (
    DEFAULT_QUEUE_TIMEOUT,
    Enqueued,
    FetchNextQueue,
    JobInfo,
    Lease,
    Queue,
    QueueStats,
    RetryPolicy,
)
from ._worker import DEFAULT_UNRECOVERABLE, JobOutcome, Worker, WorkerStats

if TYPE_CHECKING:
    from ._redis import RedisQueue

__all__ = [
    "DEFAULT_QUEUE_TIMEOUT",
    "DEFAULT_UNRECOVERABLE",
    "BlockingQueue",
    "Enqueued",
    "FetchNextQueue",
    "Handler",
    "InMemoryQueue",
    "JobContext",
    "JobInfo",
    "JobOutcome",
    "Lease",
    "LeaseLost",
    "Queue",
    "QueueError",
    "QueueStats",
    "RedisQueue",
    "RetryPolicy",
    "SyncQueue",
    "Unrecoverable",
    "Worker",
    "WorkerStats",
    "queue_from_env",
]


def __getattr__(name: str) -> Any:
    if name == "RedisQueue":
        from ._redis import RedisQueue

        return RedisQueue
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def queue_from_env(
    *,
    name: str = "medusa-payload",
    prefix: str = "bull",
    policy: RetryPolicy | None = None,
    settings: _config.Settings | None = None,
) -> Queue:
    """A `RedisQueue` on ``REDIS_URL`` when it is set, else an `InMemoryQueue`.

    The URL is ``settings.redis_url`` (default: `Settings.from_env()`)."""
    url = (settings if settings is not None else _config.Settings.from_env()).redis_url
    if url:
        from ._redis import RedisQueue

        return RedisQueue(url, name=name, prefix=prefix, policy=policy)
    return InMemoryQueue(policy=policy)
