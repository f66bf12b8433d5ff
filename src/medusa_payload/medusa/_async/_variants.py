"""Product variants (``/admin/products/{id}/variants``): a base of `AsyncAdminProducts`.

Medusa answers a variant write with the whole product; these calls return it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from typing_extensions import Unpack

from ..._core._http import RequestOptions, encode_path
from ..._core._paginator import AsyncPaginator
from .._params import StrOrList, query
from .._params_time import Instant, updated_filter
from ..models import BatchResult, Product, ProductVariant
from ._resource import AsyncResource

__all__ = ["AsyncProductVariantCalls"]


class AsyncProductVariantCalls(AsyncResource):
    """Variant calls of ``client.admin.products``."""

    def list_variants(
        self,
        product_id: str | None = None,
        *,
        id: StrOrList = None,
        sku: StrOrList = None,
        q: str | None = None,
        updated_after: Instant = None,
        fields: StrOrList = None,
        limit: int | None = None,
        offset: int | None = None,
        order: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[ProductVariant]:
        """A product's variants, or with ``product_id=None`` every product's
        (``GET /admin/product-variants``). ``updated_after`` keeps those changed after a
        moment (``updated_at[$gt]``); iterate the page to walk them all."""
        path = (
            "/admin/product-variants"
            if product_id is None
            else encode_path("/admin/products/{}/variants", product_id)
        )
        params = query(
            lists={"id": id, "sku": sku},
            q=q,
            fields=fields,
            limit=limit,
            offset=offset,
            order=order,
            **updated_filter(updated_after),
        )
        return AsyncPaginator(self._list, path, "variants", ProductVariant, params, options)

    async def create_variant(
        self,
        product_id: str,
        body: Mapping[str, Any],
        *,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Product:
        """Add a variant (``{"title", "options": {"Size": "L"}, "prices": [...]}``); each
        option value must already exist on the product. Returns the product. Not retried."""
        path = encode_path("/admin/products/{}/variants", product_id)
        params = query(fields=fields)
        return await self._post(path, "product", Product, body, options, params=params)

    async def update_variant(
        self,
        product_id: str,
        variant_id: str,
        body: Mapping[str, Any],
        *,
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> Product:
        """Update fields of a variant; returns the product. Not retried by default."""
        path = encode_path("/admin/products/{}/variants/{}", product_id, variant_id)
        params = query(fields=fields)
        return await self._post(path, "product", Product, body, options, params=params)

    async def delete_variant(
        self, product_id: str, variant_id: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Delete (soft-delete) a variant."""
        await self._delete(
            encode_path("/admin/products/{}/variants/{}", product_id, variant_id), options
        )

    async def batch_variants(
        self,
        product_id: str,
        *,
        create: Sequence[Mapping[str, Any]] = (),
        update: Sequence[Mapping[str, Any]] = (),
        delete: Sequence[str] = (),
        **options: Unpack[RequestOptions],
    ) -> BatchResult[ProductVariant]:
        """Create, update (each with its ``id``) and delete variants in one call.

        Medusa emits no ``product.updated`` event for it (medusa #14055): the watcher
        (`medusa_payload.sync.watch`) catches such changes. Not retried.
        """
        body = {"create": list(create), "update": list(update), "delete": list(delete)}
        path = encode_path("/admin/products/{}/variants/batch", product_id)
        return await self._post(path, None, BatchResult[ProductVariant], body, options)
