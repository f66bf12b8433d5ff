"""`AsyncPaginator`: what an async list call returns, awaitable AND async-iterable.

Async only, so it lives outside ``_async/``: ``scripts/gen_sync.py`` turns
``AsyncPaginator(fetch, *args)`` into ``fetch(*args)`` and ``AsyncPaginator[T]`` into ``Page[T]``
in the sync twins, whose list calls return the (already iterable) `Page` directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Generator
from typing import Any, Generic, TypeVar

from typing_extensions import ParamSpec

from ._async.pagination import AsyncPage

__all__ = ["AsyncPaginator"]

T = TypeVar("T")
P = ParamSpec("P")


class AsyncPaginator(Generic[T]):
    """The result of an async list call: await it for the first page, or iterate it for items.

    ```python
    page = await client.store.products.list(limit=50)   # the first AsyncPage, as before
    async for product in client.store.products.list():  # every item of every page, no await
        ...
    ```

    Nothing is sent until it is awaited or iterated; each ``await`` (and each ``async for``)
    sends the call again.
    """

    __slots__ = ("_args", "_fetch", "_kwargs")

    def __init__(
        self,
        fetch: Callable[P, Coroutine[Any, Any, AsyncPage[T]]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        self._fetch: Callable[..., Coroutine[Any, Any, AsyncPage[T]]] = fetch
        self._args = args
        self._kwargs = kwargs

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._fetch(*self._args, **self._kwargs).__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self._fetch(*self._args, **self._kwargs)
        async for item in page:
            yield item

    def __repr__(self) -> str:
        return f"{type(self).__name__}({getattr(self._fetch, '__qualname__', self._fetch)!r})"
