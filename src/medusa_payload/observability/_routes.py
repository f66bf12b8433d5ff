"""Route templates: a request path without its ids, for metric labels and span attributes."""

from __future__ import annotations

import functools

__all__ = ["route_template"]


def _id_like(segment: str) -> bool:
    return len(segment) > 40 or any(c.isdigit() for c in segment)


@functools.lru_cache(maxsize=4096)
def route_template(path: str) -> str:
    """``/admin/products/prod_01H.../variants`` -> ``/admin/products/{id}/variants``.

    A segment holding a digit (every Medusa and Payload id does) or longer than 40 characters
    becomes ``{id}``; the query string is dropped.
    """
    path = path.split("?", 1)[0]
    return "/".join("{id}" if _id_like(part) else part for part in path.split("/"))
