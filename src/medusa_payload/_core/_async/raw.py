"""``client.with_raw_response``: the same calls, answering a `RawResponse`.

The async form is the source; the sync twin is generated from it by ``scripts/gen_sync.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from typing_extensions import ParamSpec

from .._raw import (
    RawResponse,
    async_outcome,
    capture_responses,
    no_request_error,
    refuse_plain_attribute,
)

__all__ = ["AsyncRawResponseView"]

P = ParamSpec("P")
R = TypeVar("R")


class AsyncRawResponseView:
    """A view of a client (or one of its resources) whose calls return `RawResponse`.

    ```python
    raw = await client.with_raw_response.store.products.retrieve("prod_1")
    raw.status_code, raw.headers["content-type"], raw.request_id
    product = raw.parse()                 # the Product the plain call returns
    ```

    Attribute access is dynamic, so a type checker sees ``Any`` for
    ``view.<resource>.<call>(...)``. Calling the view with the bound method keeps the types:
    ``raw = await client.with_raw_response(client.store.products.retrieve, "prod_1")`` is a
    ``RawResponse[Product]``.
    """

    __slots__ = ("_target",)

    def __init__(self, target: object) -> None:
        self._target = target

    async def __call__(
        self, call: Callable[P, Awaitable[R]], *args: P.args, **kwargs: P.kwargs
    ) -> RawResponse[R]:
        """Run ``call(*args, **kwargs)`` and return its last HTTP answer with its value.

        Raises:
            InvalidArgumentError: the call sent no request (``logout``, ``with_options`` ...).
        """
        with capture_responses() as captured:
            parsed: R = await async_outcome(call, call(*args, **kwargs))
        if not captured:
            raise no_request_error(call)
        return RawResponse(captured[-1], parsed)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._target, name)
        if not callable(value):
            refuse_plain_attribute(self._target, name, value)
            return AsyncRawResponseView(value)

        async def raw_call(*args: Any, **kwargs: Any) -> RawResponse[Any]:
            return await self(value, *args, **kwargs)

        raw_call.__name__ = raw_call.__qualname__ = name
        raw_call.__doc__ = getattr(value, "__doc__", None)
        return raw_call

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._target!r})"
