"""Evaluate a decoded Payload ``where`` against in-memory documents (the fake's query engine)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._payload_schema import CollectionSpec, FieldSpec

__all__ = ["QueryError", "matches"]

SYSTEM_FIELDS = {"id": "number", "createdAt": "date", "updatedAt": "date"}
Resolve = Callable[[str, Any], Mapping[str, Any] | None]


class QueryError(Exception):
    """A ``where`` path that cannot be queried (Payload answers 400)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"The following path cannot be queried: {path}")
        self.path = path


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, Mapping):  # qs turns sparse/huge arrays into {"0": .., "1": ..}
        return [value[k] for k in sorted(value, key=lambda k: int(k) if str(k).isdigit() else 0)]
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def matches(
    doc: Mapping[str, Any],
    where: Mapping[str, Any],
    spec: CollectionSpec,
    specs: Mapping[str, CollectionSpec],
    resolve: Resolve,
) -> bool:
    """Whether ``doc`` satisfies ``where`` (every key must hold: an implicit ``and``)."""
    for key, condition in where.items():
        if key == "and":
            if not all(matches(doc, c, spec, specs, resolve) for c in _as_list(condition)):
                return False
        elif key == "or":
            if not any(matches(doc, c, spec, specs, resolve) for c in _as_list(condition)):
                return False
        else:
            if not isinstance(condition, Mapping):
                raise QueryError(key)
            values, ftype = _values_at(doc, key.split("."), spec, specs, resolve, key)
            for operator, expected in condition.items():
                if not _test(operator, values, expected, ftype):
                    return False
    return True


def _values_at(
    doc: Mapping[str, Any],
    parts: Sequence[str],
    spec: CollectionSpec,
    specs: Mapping[str, CollectionSpec],
    resolve: Resolve,
    full: str,
) -> tuple[list[Any], str]:
    name, rest = parts[0], parts[1:]
    if name in SYSTEM_FIELDS and not rest:
        return [doc.get(name)], SYSTEM_FIELDS[name]
    field = spec.field(name)
    if field is None:
        raise QueryError(full)
    return _descend([doc.get(name)], field, rest, specs, resolve, full)


def _descend(
    values: list[Any],
    field: FieldSpec,
    rest: Sequence[str],
    specs: Mapping[str, CollectionSpec],
    resolve: Resolve,
    full: str,
) -> tuple[list[Any], str]:
    if not rest:
        if field.type == "array":
            return [row for v in values for row in (v or [])], "array"
        return values, field.type
    if field.type in ("group", "array"):
        child = next((f for f in field.fields if f.name == rest[0]), None)
        if child is None:
            raise QueryError(full)
        rows = [r for v in values for r in (v if field.type == "array" else [v]) if r]
        return _descend([r.get(rest[0]) for r in rows], child, rest[1:], specs, resolve, full)
    if field.type == "relationship" and field.relation_to:
        target = specs[field.relation_to]
        related = [resolve(field.relation_to, v) for v in values if v is not None]
        docs = [d for d in related if d is not None]
        if rest[0] in SYSTEM_FIELDS and len(rest) == 1:
            return [d.get(rest[0]) for d in docs], SYSTEM_FIELDS[rest[0]]
        child = target.field(rest[0])
        if child is None:
            raise QueryError(full)
        return _descend([d.get(rest[0]) for d in docs], child, rest[1:], specs, resolve, full)
    if field.type == "json":
        nested = [v.get(rest[0]) if isinstance(v, Mapping) else None for v in values]
        return _descend(nested, FieldSpec(rest[0], "json"), rest[1:], specs, resolve, full)
    raise QueryError(full)


def _coerce(value: Any, ftype: str) -> Any:
    if isinstance(value, str):
        if ftype in ("number", "relationship"):
            try:
                return int(value)
            except ValueError:
                try:
                    return float(value)
                except ValueError:
                    return value
        if ftype == "checkbox":
            return value.lower() == "true"
        if value == "null":
            return None
    return value


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    return a is not None and b is not None and str(a) == str(b)


def _test(operator: str, values: list[Any], expected: Any, ftype: str) -> bool:
    if operator == "exists":
        want = str(expected).lower() == "true"
        present = any(v is not None and v != [] for v in values)
        return present if want else not present
    if operator in ("in", "not_in", "all"):
        items = _as_list(expected)
        if len(items) == 1 and isinstance(items[0], str) and "," in items[0]:
            items = items[0].split(",")
        wanted = [_coerce(i, ftype) for i in items]
        if operator == "all":
            return all(any(_same(v, w) for v in values) for w in wanted)
        hit = any(_same(v, w) for v in values for w in wanted)
        return hit if operator == "in" else not hit
    want = _coerce(expected, ftype)
    if operator == "equals":
        return any(_same(v, want) for v in values)
    if operator == "not_equals":
        return not any(_same(v, want) for v in values)
    if operator in ("like", "not_like"):
        words = str(want).lower().split()
        hit = any(v is not None and all(w in str(v).lower() for w in words) for v in values)
        return hit if operator == "like" else not hit
    if operator == "contains":
        return any(v is not None and str(want).lower() in str(v).lower() for v in values)
    comparisons: dict[str, Callable[[Any, Any], bool]] = {
        "greater_than": lambda a, b: a > b,
        "greater_than_equal": lambda a, b: a >= b,
        "less_than": lambda a, b: a < b,
        "less_than_equal": lambda a, b: a <= b,
    }
    compare = comparisons.get(operator)
    if compare is None:
        raise QueryError(f"{operator} (operator not supported by FakePayload)")
    for v in values:
        if v is None:
            continue
        try:
            if compare(v, want):
                return True
        except TypeError:
            if compare(str(v), str(want)):
                return True
    return False
