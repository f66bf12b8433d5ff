"""Argument checks at the public boundary: a wrong type fails at once, saying what was expected.

Without them a product object passed as ``product_id`` ends in "product not found", and an async
client handed to the sync `UnifiedClient` in "'coroutine' object has no attribute 'items'".
"""

from __future__ import annotations

from typing import Any

__all__ = ["Expected", "check_sync_call", "check_types"]

Expected = type[Any] | tuple[type[Any], ...]


def _as_tuple(expected: Expected) -> tuple[type[Any], ...]:
    return expected if isinstance(expected, tuple) else (expected,)


def _names(expected: Expected) -> str:
    return " or ".join(t.__name__ for t in _as_tuple(expected))


def _what(value: object) -> str:
    name = type(value).__name__
    if isinstance(value, str | int | float | bool) or value is None:
        return f"{name} {value!r}"
    if hasattr(value, "__await__") and hasattr(value, "close"):
        return f"{name} (an un-awaited coroutine: add await)"
    return name


def _hints(
    call: str,
    name: str,
    value: object,
    expected: Expected,
    args: dict[str, tuple[object, Expected]],
) -> list[str]:
    hints = []
    got = type(value).__name__
    identifier = getattr(value, "id", None)
    if str in _as_tuple(expected) and isinstance(identifier, str | int):
        hints.append(f"pass its id: {name}={identifier!r}")
    for other, (_, other_expected) in args.items():
        if other != name and isinstance(value, other_expected):
            hints.append(f"{name} and {other} look swapped")
    is_class = call.isidentifier()  # a constructor: its twin can be named
    for kind in _as_tuple(expected):
        if got == f"Async{kind.__name__}":
            twin = f"Async{call}" if is_class else "the async API (with await)"
            hints.append(f"{got} is async: use {twin}, or pass a {kind.__name__}")
        elif kind.__name__ == f"Async{got}":
            twin = call.removeprefix("Async") if is_class else "the sync API"
            hints.append(f"{got} is sync: use {twin}, or pass an {kind.__name__}")
    return hints


def check_types(call: str, **args: tuple[object, Expected]) -> None:
    """Check each ``name=(value, expected type or types)`` of a public call.

    ``bool`` never passes for ``int`` (``True`` is not an id).

    Raises:
        TypeError: ``"<call>: <name> expects <types>, got <type>"`` with a hint when one
            applies (pass ``obj.id``; two arguments swapped; a sync/async client mix-up).
    """
    for name, (value, expected) in args.items():
        kinds = _as_tuple(expected)
        if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
            continue
        message = f"{call}: {name} expects {_names(expected)}, got {_what(value)}"
        hints = _hints(call, name, value, expected, args)
        raise TypeError("; ".join([message, *hints]))


def check_sync_call(
    call: str, medusa: object, payload: object, **ids: tuple[object, Expected]
) -> None:
    """`check_types` for the sync functions: a Medusa and a Payload client (either flavour;
    a sync/async mix is refused later) and the ids, e.g. ``product_id=(value, str)``.

    Raises:
        TypeError: as `check_types`.
    """
    from .medusa import AsyncMedusaClient, MedusaClient
    from .payload import AsyncPayloadClient, PayloadClient

    check_types(
        f"{call}()",
        **ids,
        medusa=(medusa, (MedusaClient, AsyncMedusaClient)),
        payload=(payload, (PayloadClient, AsyncPayloadClient)),
    )
