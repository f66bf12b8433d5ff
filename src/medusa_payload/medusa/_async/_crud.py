"""`_Crud`: list / retrieve / create / update / delete of one admin route, typed by a model.

The admin resources that are plain records (categories, collections, price lists, promotions,
campaigns, customers, customer groups) are a route, two envelope keys and a model on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

import pydantic
from typing_extensions import Unpack

from ..._core._http import RequestOptions, encode_path
from ..._core._paginator import AsyncPaginator
from .._params import StrOrList, query
from ._resource import AsyncResource

__all__ = ["M", "_Crud"]

M = TypeVar("M", bound=pydantic.BaseModel)


class _Crud(AsyncResource, Generic[M]):
    """The five record calls of ``route``; the answer of one is under ``key``, of a list
    under ``list_key``."""

    route: ClassVar[str]
    key: ClassVar[str]
    list_key: ClassVar[str]
    model: type[M]

    def list(
        self,
        *,
        id: StrOrList = None,
        q: str | None = None,
        filters: Mapping[str, Any] | None = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        order: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[M]:
        """List them (``filters``: more of Medusa's query filters); iterate to walk pages."""
        params = query(
            lists={"id": id}, q=q, fields=fields, limit=limit, offset=offset, order=order
        )
        params.update({k: v for k, v in (filters or {}).items() if v is not None})
        return AsyncPaginator(self._list, self.route, self.list_key, self.model, params, options)

    async def retrieve(
        self, id: str, *, fields: StrOrList = None, **options: Unpack[RequestOptions]
    ) -> M:
        """One by id; `NotFoundError` when there is none."""
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
        params = query(fields=fields)
        return await self._post(path, self.key, self.model, body, options, params=params)

    async def delete(self, id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete one."""
        await self._delete(encode_path(self.route + "/{}", id), options)

    async def _link(
        self,
        id: str,
        relation: str,
        add: StrOrList,
        remove: StrOrList,
        fields: StrOrList,
        options: RequestOptions,
    ) -> M:
        """``POST <route>/<id>/<relation>`` with ``{add, remove}``: idempotent, so retried.

        Raises:
            ValueError: nothing to add or remove, or one id in both.
        """
        adding = [add] if isinstance(add, str) else list(add or [])
        removing = [remove] if isinstance(remove, str) else list(remove or [])
        if not adding and not removing:
            raise ValueError(f"update_{relation} needs ids to add or remove")
        if set(adding) & set(removing):
            raise ValueError("an id is both added and removed")
        path = encode_path(self.route + "/{}/" + relation, id)
        body = {"add": adding, "remove": removing}
        return await self._post(
            path, self.key, self.model, body, options, params=query(fields=fields), idempotent=True
        )
