"""Pricing, promotion and customer admin resources: ``/admin/price-lists`` (+ prices),
``/admin/promotions``, ``/admin/campaigns``, ``/admin/customers``, ``/admin/customer-groups``
(+ customers), and ``/admin/uploads``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from typing_extensions import Unpack

from ..._core._http import RequestOptions, api_request, encode_path
from ..._files import FileInput, file_part, multipart_body
from .._params import StrOrList
from ..models import (
    BatchResult,
    Campaign,
    Customer,
    CustomerGroup,
    Price,
    PriceList,
    Promotion,
    UploadedFile,
)
from ._crud import _Crud
from ._resource import AsyncResource

__all__ = [
    "AsyncAdminCampaigns",
    "AsyncAdminCustomerGroups",
    "AsyncAdminCustomers",
    "AsyncAdminPriceLists",
    "AsyncAdminPromotions",
    "AsyncAdminUploads",
]


class AsyncAdminPriceLists(_Crud[PriceList]):
    """``/admin/price-lists``: sales and overrides; their prices per variant."""

    route = "/admin/price-lists"
    key = "price_list"
    list_key = "price_lists"
    model = PriceList

    async def batch_prices(
        self,
        id: str,
        *,
        create: Sequence[Mapping[str, Any]] = (),
        update: Sequence[Mapping[str, Any]] = (),
        delete: Sequence[str] = (),
        **options: Unpack[RequestOptions],
    ) -> BatchResult[Price]:
        """Create (``{"variant_id", "amount", "currency_code"}``), update (with ``id``) and
        delete prices of a price list in one call. Not retried."""
        body = {"create": list(create), "update": list(update), "delete": list(delete)}
        path = encode_path(self.route + "/{}/prices/batch", id)
        return await self._post(path, None, BatchResult[Price], body, options)


class AsyncAdminPromotions(_Crud[Promotion]):
    """``/admin/promotions``: discount codes and automatic promotions."""

    route = "/admin/promotions"
    key = "promotion"
    list_key = "promotions"
    model = Promotion


class AsyncAdminCampaigns(_Crud[Campaign]):
    """``/admin/campaigns``: promotions grouped with a budget and dates."""

    route = "/admin/campaigns"
    key = "campaign"
    list_key = "campaigns"
    model = Campaign


class AsyncAdminCustomers(_Crud[Customer]):
    """``/admin/customers``."""

    route = "/admin/customers"
    key = "customer"
    list_key = "customers"
    model = Customer


class AsyncAdminCustomerGroups(_Crud[CustomerGroup]):
    """``/admin/customer-groups``: customers grouped for price lists and promotions."""

    route = "/admin/customer-groups"
    key = "customer_group"
    list_key = "customer_groups"
    model = CustomerGroup

    async def update_customers(
        self,
        id: str,
        *,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        fields: StrOrList = None,
        **options: Unpack[RequestOptions],
    ) -> CustomerGroup:
        """Add and remove customers by id; idempotent, so retried.

        Raises:
            ValueError: nothing to add or remove, or one id in both.
        """
        return await self._link(id, "customers", add, remove, fields, options)


class AsyncAdminUploads(AsyncResource):
    """``/admin/uploads``: files stored by Medusa's file module (product images...)."""

    async def create(
        self, files: Sequence[FileInput], **options: Unpack[RequestOptions]
    ) -> list[UploadedFile]:
        """Upload files (each bytes, a path, or ``(filename, bytes, content_type)``) as
        multipart ``files``; returns their ``id`` and ``url``. Not retried.

        Raises:
            TypeError: a file in none of those forms (before anything is sent).
            ValueError: no files.
        """
        if not files:
            raise ValueError("uploads.create needs at least one file")
        parts = [("files", file_part(f)) for f in files]
        content, headers = multipart_body({}, parts)
        request = api_request("POST", "/admin/uploads", options, content=content, headers=headers)
        response = await self._client.send_request(request)
        return [response.parse(UploadedFile, f) for f in response.require("files")]
