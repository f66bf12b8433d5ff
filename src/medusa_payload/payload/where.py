"""`Where`: a typed builder of Payload queries, encoded the way Payload parses them.

```python
from medusa_payload import Where

w = Where.equals("handle", "live-tee") | Where.in_("medusaProductId", ["prod_1", "prod_2"])
w = Where.and_(Where.equals("status", "published"), Where.like("title", "tee"))
w.to_dict()    # {"or": [{"handle": {"equals": "live-tee"}}, {"medusaProductId": {"in": [...]}}]}
w.to_query()   # where[or][0][handle][equals]=live-tee&where[or][1][medusaProductId][in][0]=...
```

Payload reads the query string with the ``qs`` library; we encode with ``qs-codec`` (a maintained
port of ``qs``) in bracket form with **indexed arrays** (``[in][0]=a&[in][1]=b``), so values with
commas, brackets, ``&``, ``=`` or any unicode survive exactly. A plain dict in Payload's own
form (``{"handle": {"equals": "x"}}``) is accepted wherever a `Where` is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._core._qs import encode_query

__all__ = ["Where", "WhereLike", "encode_query", "where_dict"]

OPERATORS = frozenset(
    {
        "equals",
        "not_equals",
        "in",
        "not_in",
        "all",
        "like",
        "not_like",
        "contains",
        "exists",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "near",
        "within",
        "intersects",
    }
)


class Where:
    """An immutable Payload ``where`` clause. Combine with ``&`` (and) and ``|`` (or)."""

    __slots__ = ("_clause",)

    def __init__(self, clause: Mapping[str, Any]) -> None:
        self._clause: dict[str, Any] = dict(clause)

    # ---- constructors, one per operator -------------------------------------------------
    @classmethod
    def field(cls, path: str, operator: str, value: Any) -> Where:
        """``{path: {operator: value}}`` for any Payload operator (dotted paths allowed)."""
        if operator not in OPERATORS:
            raise ValueError(f"unknown Payload operator {operator!r}; one of {sorted(OPERATORS)}")
        if not path:
            raise ValueError("a where clause needs a field path")
        return cls({path: {operator: value}})

    @classmethod
    def equals(cls, path: str, value: Any) -> Where:
        """Field equals value."""
        return cls.field(path, "equals", value)

    @classmethod
    def not_equals(cls, path: str, value: Any) -> Where:
        """Field differs from value."""
        return cls.field(path, "not_equals", value)

    @classmethod
    def in_(cls, path: str, values: Iterable[Any]) -> Where:
        """Field is one of ``values``."""
        return cls.field(path, "in", list(values))

    @classmethod
    def not_in(cls, path: str, values: Iterable[Any]) -> Where:
        """Field is none of ``values``."""
        return cls.field(path, "not_in", list(values))

    @classmethod
    def all(cls, path: str, values: Iterable[Any]) -> Where:
        """A has-many field holds all of ``values``."""
        return cls.field(path, "all", list(values))

    @classmethod
    def like(cls, path: str, value: str) -> Where:
        """Case-insensitive match of every word of ``value``."""
        return cls.field(path, "like", value)

    @classmethod
    def contains(cls, path: str, value: str) -> Where:
        """Case-insensitive substring match."""
        return cls.field(path, "contains", value)

    @classmethod
    def exists(cls, path: str, value: bool = True) -> Where:
        """Field is set (``True``) or not set (``False``)."""
        return cls.field(path, "exists", value)

    @classmethod
    def greater_than(cls, path: str, value: Any) -> Where:
        """Field > value."""
        return cls.field(path, "greater_than", value)

    @classmethod
    def greater_than_equal(cls, path: str, value: Any) -> Where:
        """Field >= value."""
        return cls.field(path, "greater_than_equal", value)

    @classmethod
    def less_than(cls, path: str, value: Any) -> Where:
        """Field < value."""
        return cls.field(path, "less_than", value)

    @classmethod
    def less_than_equal(cls, path: str, value: Any) -> Where:
        """Field <= value."""
        return cls.field(path, "less_than_equal", value)

    @classmethod
    def and_(cls, *clauses: WhereLike) -> Where:
        """All of ``clauses``."""
        return cls({"and": [where_dict(c) for c in clauses]})

    @classmethod
    def or_(cls, *clauses: WhereLike) -> Where:
        """Any of ``clauses``."""
        return cls({"or": [where_dict(c) for c in clauses]})

    @classmethod
    def from_dict(cls, clause: Mapping[str, Any]) -> Where:
        """Wrap a clause already in Payload's form."""
        return cls(clause)

    # ---- combination and output ---------------------------------------------------------
    def __and__(self, other: WhereLike) -> Where:
        return Where.and_(self, other)

    def __or__(self, other: WhereLike) -> Where:
        return Where.or_(self, other)

    def to_dict(self) -> dict[str, Any]:
        """The clause in Payload's JSON form (what the local API and GraphQL take)."""
        return {k: _copy(v) for k, v in self._clause.items()}

    def to_query(self) -> str:
        """The ``where[...]`` query string (brackets unescaped, values percent-encoded)."""
        return encode_query({"where": self._clause})

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Where):
            return self._clause == other._clause
        if isinstance(other, Mapping):
            return self._clause == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(repr(self._clause))

    def __repr__(self) -> str:
        return f"Where({self._clause!r})"


WhereLike = Where | Mapping[str, Any]


def where_dict(where: WhereLike) -> dict[str, Any]:
    """The Payload-form dict of a `Where` or a plain mapping."""
    if isinstance(where, Where):
        return where.to_dict()
    return {str(k): _copy(v) for k, v in where.items()}


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value
