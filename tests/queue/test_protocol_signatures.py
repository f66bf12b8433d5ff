"""Every backend takes exactly what the `Queue` protocol says, so the worker and the receiver
can call any backend the same way (no signature inspection at run time)."""

from __future__ import annotations

import inspect

import pytest

from medusa_payload.queue import InMemoryQueue, Queue

CALLS = [
    name
    for name, member in vars(Queue).items()
    if inspect.iscoroutinefunction(member) and not name.startswith("_")
]


def _backends() -> list[type]:
    from medusa_payload.queue import RedisQueue

    return [InMemoryQueue, RedisQueue]


def test_the_protocol_lists_the_calls() -> None:
    assert sorted(CALLS) == sorted(
        [
            "enqueue",
            "reserve",
            "extend",
            "complete",
            "fail",
            "progress",
            "stats",
            "get_job",
            "reap_stalled",
            "close",
        ]
    )


@pytest.mark.parametrize("call", CALLS)
def test_every_backend_takes_what_the_protocol_says(call: str) -> None:
    expected = inspect.signature(getattr(Queue, call))
    for backend in _backends():
        assert inspect.signature(getattr(backend, call)) == expected, f"{backend.__name__}.{call}"
