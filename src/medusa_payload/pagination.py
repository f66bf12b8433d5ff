"""Pages of list results: `Page` (sync), `AsyncPage` and `AsyncPaginator` (async).

A sync list call returns a `Page`. An async one returns an `AsyncPaginator`: ``await`` it for
the first `AsyncPage`, or ``async for`` over it (no ``await``) for every item of every page.
Iterating a page yields the items of that page and of every later page (one request per page,
fetched only as you go); ``items``, ``count``, ``offset`` and ``limit`` describe the page itself.
"""

from ._core._async.pagination import AsyncPage
from ._core._paginator import AsyncPaginator
from ._core._sync.pagination import Page

__all__ = ["AsyncPage", "AsyncPaginator", "Page"]
