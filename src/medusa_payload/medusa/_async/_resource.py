"""What every Medusa resource does: GET one, GET a page, POST, DELETE, with typed results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic

from ..._core._async.pagination import AsyncPage
from ..._core._http import RequestOptions, api_request, list_envelope
from ..._models import set_request_id

if TYPE_CHECKING:
    from .client import AsyncMedusaClient

__all__ = ["AsyncResource"]

M = TypeVar("M", bound=pydantic.BaseModel)


class AsyncResource:
    """Base of the Medusa resources: holds the client, sends typed requests."""

    def __init__(self, client: AsyncMedusaClient) -> None:
        self._client = client

    async def _retrieve(
        self,
        path: str,
        key: str,
        model: type[M],
        params: Mapping[str, Any],
        options: RequestOptions,
    ) -> M:
        request = api_request("GET", path, options, params=params)
        return await self._client.request_model(request, model, key=key)

    async def _list(
        self,
        path: str,
        key: str,
        model: type[M],
        params: Mapping[str, Any],
        options: RequestOptions,
    ) -> AsyncPage[M]:
        request = api_request("GET", path, options, params=params)
        response = await self._client.send_request(request)
        envelope: Any = response.parse_json(list_envelope(model, key))
        items: list[M] = envelope.items
        set_request_id(items, response.request_id)
        count = len(items) if envelope.count is None else envelope.count
        offset = envelope.offset if envelope.offset is not None else params.get("offset") or 0
        limit = envelope.limit or params.get("limit") or len(items) or 1

        async def fetch_next(page: AsyncPage[M]) -> AsyncPage[M]:
            return await self._list(
                path, key, model, {**params, "offset": page.offset + page.limit}, options
            )

        return AsyncPage(
            items,
            count=count,
            offset=offset,
            limit=limit,
            has_more=offset + len(items) < count,
            fetch_next=fetch_next,
            request_id=response.request_id,
        )

    async def _post(
        self,
        path: str,
        key: str | None,
        model: type[M],
        body: Mapping[str, Any],
        options: RequestOptions,
        *,
        params: Mapping[str, Any] | None = None,
        idempotent: bool = False,
    ) -> M:
        request = api_request(
            "POST", path, options, params=params, json=dict(body), idempotent=idempotent
        )
        return await self._client.request_model(request, model, key=key)

    async def _delete(self, path: str, options: RequestOptions) -> Any:
        request = api_request("DELETE", path, options)
        return (await self._client.send_request(request)).data
