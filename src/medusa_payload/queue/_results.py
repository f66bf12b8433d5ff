"""The one place where a handler's return value becomes what a queue records (plain JSON).

Every backend then records the same value: `InMemoryQueue` keeps it as is, `RedisQueue` stores
it as JSON. A value that cannot become JSON (NaN or infinity, a circular structure) is replaced
by a note, so the job still completes once and the backends agree.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["recordable_result"]


def recordable_result(value: Any) -> tuple[Any, str | None]:
    """``(json_value, None)``, or ``({"note": ...}, reason)`` when ``value`` cannot be recorded.

    Pydantic models, attrs classes and objects with ``to_dict()`` become dicts, dates and times
    ISO 8601 strings, tuples and sets lists, mapping keys strings, anything else ``str(value)``.
    Never raises.
    """
    if value is None or type(value) in (str, int, bool):
        return value, None  # the common answers, without a walk
    try:
        return _plain(value, set()), None
    except (ValueError, TypeError, RecursionError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a to_dict()/model_dump() that raised
        reason = f"{type(exc).__name__} while converting: {exc}"
    return {"note": f"the handler's result could not be recorded ({reason})"}, reason


def _plain(value: Any, path: set[int]) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a JSON number")
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return _nested(value, value.model_dump(mode="json"), path)
    if attrs.has(type(value)):
        return _nested(value, attrs.asdict(value, recurse=False), path)
    if hasattr(value, "to_dict"):
        return _nested(value, value.to_dict(), path)
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        return _nested(value, value, path)
    return str(value)


def _nested(owner: Any, inner: Any, path: set[int]) -> Any:
    """Convert a container, refusing one that contains itself."""
    if id(owner) in path:
        raise ValueError(f"circular reference through a {type(owner).__name__}")
    path.add(id(owner))
    try:
        if isinstance(inner, Mapping):
            return {str(key): _plain(item, path) for key, item in inner.items()}
        if isinstance(inner, list | tuple | set | frozenset):
            return [_plain(item, path) for item in inner]
        return _plain(inner, path)
    finally:
        path.discard(id(owner))
