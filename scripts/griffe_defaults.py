"""A Griffe extension for the docs: show a default's value, not the constant's name.

``timeout=DEFAULT_TIMEOUT`` in a signature tells a reader nothing; with this extension the API
reference shows ``timeout=Timeout(connect=5.0, read=30.0, write=30.0, pool=30.0)``. Only
UPPER_CASE names of our own package are replaced, by the ``repr`` of their value at build time.
Loaded by ``mkdocs.yml`` (``extensions: [scripts/griffe_defaults.py]``).
"""

from __future__ import annotations

import importlib
from typing import Any

import griffe


def _value(path: str) -> str | None:
    module_name, _, name = path.rpartition(".")
    if not module_name.startswith("medusa_payload") or not name.isupper():
        return None
    try:
        return repr(getattr(importlib.import_module(module_name), name))
    except (ImportError, AttributeError):
        return None


class ConstantDefaults(griffe.Extension):
    """Replace ``DEFAULT_...`` defaults of functions by their values."""

    def on_function_instance(self, *, func: griffe.Function, **kwargs: Any) -> None:
        """Rewrite each parameter default that names one of our constants."""
        for parameter in func.parameters:
            default = parameter.default
            if isinstance(default, griffe.ExprName):
                try:
                    shown = _value(default.canonical_path)
                except Exception:  # an unresolvable name stays as written
                    shown = None
                if shown is not None:
                    parameter.default = shown
