"""Pages of list results: `Page` (sync) and `AsyncPage` (async).

Every list call returns one. Iterating it yields the items of that page and of every later page
(one request per page, fetched only as you go); ``items``, ``count``, ``offset`` and ``limit``
describe the page itself.
"""

from ._core._async.pagination import AsyncPage
from ._core._sync.pagination import Page

__all__ = ["AsyncPage", "Page"]
