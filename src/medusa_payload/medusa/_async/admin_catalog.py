"""Catalog admin resources: ``/admin/product-categories`` and ``/admin/collections``
(create, update, link products)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import pydantic
from typing_extensions import Unpack

from ..._core._async.pagination import AsyncPage
from ..._core._http import RequestOptions, encode_path
from .._params import StrOrList, query
from ..models import ProductCategory, ProductCollection
from ._resource import AsyncResource

__all__ = ["AsyncAdminCategories", "AsyncAdminCollections"]

M = TypeVar("M", bound=pydantic.BaseModel)


class _Grouping(AsyncResource, Generic[M]):
    """What categories and collections share: list, retrieve, create, update, delete, and
    adding / removing products."""

    route: ClassVar[str]
    key: ClassVar[str]
    list_key: ClassVar[str]
    model: type[M]

    async def list(
        self,
        *,
        id: StrOrList = None,
        handle: StrOrList = None,
        q: str | None = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        order: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPage[M]:
        """List them; iterate to walk pages."""
        params = query(
            lists={"id": id, "handle": handle},
            q=q,
            fields=fields,
            limit=limit,
            offset=offset,
            order=order,
        )
        return await self._list(self.route, self.list_key, self.model, params, options)

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> M:
        """One by id."""
        path = encode_path(self.route + "/{}", id)
        return await self._retrieve(path, self.key, self.model, query(fields=fields), options)

    async def create(
        self,
        body: Mapping[str, Any],
        *,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> M:
        """Create one. Not retried (a retry could create it twice)."""
        params = query(fields=fields)
        return await self._post(self.route, self.key, self.model, body, options, params=params)

    async def update(
        self,
        id: str,
        body: Mapping[str, Any],
        *,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> M:
        """Update fields of one. Not retried by default."""
        path = encode_path(self.route + "/{}", id)
        return await self._post(
            path, self.key, self.model, body, options, params=query(fields=fields)
        )

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete one."""
        await self._delete(encode_path(self.route + "/{}", id), options)

    async def update_products(
        self,
        id: str,
        *,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> M:
        """Link products (``add``) and unlink them (``remove``) by id. Linking twice leaves
        the same links, so the call is retried like a read.

        Raises:
            ValueError: nothing to add or remove, or one id in both.
        """
        if not add and not remove:
            raise ValueError("update_products needs product ids to add or remove")
        if set(add) & set(remove):
            raise ValueError("a product id is both added and removed")
        path = encode_path(self.route + "/{}/products", id)
        body = {"add": list(add), "remove": list(remove)}
        return await self._post(
            path, self.key, self.model, body, options, params=query(fields=fields), idempotent=True
        )


class AsyncAdminCategories(_Grouping[ProductCategory]):
    """``/admin/product-categories``: a category tree (``parent_category_id``)."""

    route = "/admin/product-categories"
    key = "product_category"
    list_key = "product_categories"
    model = ProductCategory


class AsyncAdminCollections(_Grouping[ProductCollection]):
    """``/admin/collections``: flat product groupings."""

    route = "/admin/collections"
    key = "collection"
    list_key = "collections"
    model = ProductCollection
