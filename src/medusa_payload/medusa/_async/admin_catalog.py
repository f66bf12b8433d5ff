"""Catalog admin resources: ``/admin/product-categories`` and ``/admin/collections``
(create, update, link products)."""

from __future__ import annotations

from collections.abc import Sequence

from typing_extensions import Unpack

from ..._core._http import RequestOptions
from .._params import StrOrList
from ..models import ProductCategory, ProductCollection
from ._crud import M, _Crud

__all__ = ["AsyncAdminCategories", "AsyncAdminCollections"]


class _Grouping(_Crud[M]):
    """Categories and collections: records that group products (filter by handle with
    ``list(filters={"handle": [...]})``)."""

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
        return await self._link(id, "products", add, remove, fields, options)


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
