"""Old public names kept for one release, each with a `DeprecationWarning` naming the new one."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

__all__ = ["renamed"]


def renamed(module: str, name: str, aliases: Mapping[str, tuple[str, object]]) -> object:
    """The value of an old name of ``module`` (for its module-level ``__getattr__``).

    Args:
        module: the module's ``__name__``.
        name: the attribute looked up.
        aliases: old name -> (new name, value).

    Raises:
        AttributeError: ``name`` is not an old name either.
    """
    if name not in aliases:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    new, value = aliases[name]
    warnings.warn(
        f"{module}.{name} is now {module}.{new}; the old name goes in the next release",
        DeprecationWarning,
        stacklevel=3,
    )
    return value
