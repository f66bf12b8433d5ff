"""Pages of list results that walk every following page when iterated."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

__all__ = ["AsyncPage"]

T = TypeVar("T")


class AsyncPage(Generic[T]):
    """One page of a list call. Iterating it yields every item of this page and all later ones.

    ```python
    page = await client.store.products.list(limit=50)
    page.items, page.count          # this page's items, the total across pages
    async for product in page:      # walks page after page, one request each
        ...
    ```

    Attributes:
        items: the items of this page.
        count: the total number of items across all pages (Medusa ``count``, Payload
            ``totalDocs``).
        offset: index of the first item of this page in the whole list.
        limit: the page size asked for.
        page: the 1-based page number (Payload; derived from offset for Medusa).
        total_pages: number of pages.
        _request_id: the ``x-request-id`` of the response this page came from (``None`` for
            a page not read from a server).
    """

    def __init__(
        self,
        items: list[T],
        *,
        count: int,
        offset: int,
        limit: int,
        has_more: bool,
        fetch_next: Callable[[AsyncPage[T]], Awaitable[AsyncPage[T]]] | None = None,
        request_id: str | None = None,
    ) -> None:
        self.items = items
        self.count = count
        self.offset = offset
        self.limit = limit
        self._has_more = has_more
        self._fetch_next = fetch_next
        self._request_id = request_id

    @property
    def page(self) -> int:
        """The 1-based page number."""
        return self.offset // self.limit + 1 if self.limit else 1

    @property
    def total_pages(self) -> int:
        """How many pages of ``limit`` items the whole list has."""
        if not self.limit:
            return 1
        return max(1, -(-self.count // self.limit))

    def has_next_page(self) -> bool:
        """Whether another page follows this one."""
        return self._has_more and self._fetch_next is not None and bool(self.items)

    async def next_page(self) -> AsyncPage[T] | None:
        """Fetch the following page (one request), or ``None`` on the last page."""
        if not self.has_next_page() or self._fetch_next is None:
            return None
        return await self._fetch_next(self)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        """Yield this page, then each following page."""
        page: AsyncPage[T] | None = self
        while page is not None:
            yield page
            page = await page.next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(items={len(self.items)}, count={self.count}, "
            f"offset={self.offset}, limit={self.limit})"
        )
