"""`BlockingQueue`: enqueue and read stats from blocking code (Flask, Django) without an event
loop. ``SyncQueue`` is its former name, kept as an alias ("sync" also means synchronisation in
this SDK, hence the new name)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from .._core._loop import BackgroundLoop
from ._protocol import Enqueued, JobData, JobInfo, Queue, QueueStats

__all__ = ["BlockingQueue", "SyncQueue"]


class BlockingQueue:
    """Blocking calls onto any `Queue`, run on a private event loop in a daemon thread.

    ```python
    queue = BlockingQueue(lambda: RedisQueue(os.environ["REDIS_URL"]))   # in a Flask app
    queue.enqueue("sync.product_to_payload", {"product_id": "prod_1"}, dedup_key="prod_1")
    ```

    Pass a factory (called on the private loop) for a queue whose connections belong to an
    event loop, such as `RedisQueue`; an `InMemoryQueue` can be passed as is and shared with an
    async worker.
    """

    def __init__(self, queue: Queue | Callable[[], Queue]) -> None:
        self._loop = BackgroundLoop("medusa-payload-blocking-queue")
        if callable(queue) and not isinstance(queue, Queue):
            factory = queue

            async def create() -> Queue:
                return factory()

            self.queue: Queue = self._loop.run(create())
        else:
            self.queue = queue

    def enqueue(
        self, name: str, data: JobData, *, dedup_key: str | None = None, delay: float = 0
    ) -> Enqueued:
        """Add a job (see `Queue.enqueue`)."""
        return self._loop.run(self.queue.enqueue(name, data, dedup_key=dedup_key, delay=delay))

    def stats(self) -> QueueStats:
        """Counts per state."""
        return self._loop.run(self.queue.stats())

    def get_job(self, job_id: str) -> JobInfo | None:
        """What the queue knows about a job."""
        return self._loop.run(self.queue.get_job(job_id))

    def close(self) -> None:
        """Close the queue and stop the private loop."""
        if self._loop.running:
            self._loop.run(self.queue.close())
        self._loop.close()

    def __enter__(self) -> BlockingQueue:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(
            f"{type(self).__name__} has no {name!r}; use the async queue for workers"
        )


SyncQueue = BlockingQueue
"""The former name of `BlockingQueue` (kept as an alias; new code should say BlockingQueue)."""
