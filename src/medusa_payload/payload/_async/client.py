"""`AsyncPayloadClient`: the Payload 3 REST API, any collection or global.

The sync `PayloadClient` is generated from this file by ``scripts/gen_sync.py``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, cast
from urllib.parse import urljoin

import httpx
from pydantic import SecretStr
from typing_extensions import TypeVar, Unpack

from ..._config import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAYLOAD_API_KEY_COLLECTION,
    DEFAULT_PAYLOAD_API_PREFIX,
    DEFAULT_PAYLOAD_DEPTH,
    DEFAULT_TIMEOUT,
    RetryConfig,
    Settings,
)
from ..._core._async.pagination import AsyncPage
from ..._core._http import (
    APIRequest,
    APIResponse,
    ErrorFields,
    RequestOptions,
    api_request,
    encode_path,
)
from ..._core._paginator import AsyncPaginator
from ..._core._raw import record_response
from ..._files import FileInput, file_part, multipart_body
from ...errors import APIStatusError, Service
from .._errors import payload_error_fields
from .._query import (
    METHOD_OVERRIDE_HEADERS,
    METHOD_OVERRIDE_THRESHOLD,
    Select,
    Sort,
    bulk_result,
    find_query,
    is_bulk_body,
    payload_auth_headers,
    require_where,
)
from ..models import BulkResult, Document, GlobalDocument, LoginResult, MeResult, _CamelModel
from ..where import WhereLike
from ._editors import AsyncPayloadEditorCalls

__all__ = ["AsyncPayloadClient"]

D = TypeVar("D", bound=_CamelModel, default=Document)
G = TypeVar("G", bound=_CamelModel, default=GlobalDocument)


def _doc_model(model: type[D] | None) -> type[D]:
    return model if model is not None else cast("type[D]", Document)


def _global_model(model: type[G] | None) -> type[G]:
    return model if model is not None else cast("type[G]", GlobalDocument)


def _as_secret(value: str | SecretStr | None) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(value)


class AsyncPayloadClient(AsyncPayloadEditorCalls):
    """Typed client of the Payload 3 REST API.

    ```python
    async with AsyncPayloadClient("http://localhost:3000", api_key="...") as payload:
        page = await payload.find("product-content", where=Where.equals("handle", "tee"),
                                  model=ProductContent)
    ```

    Args:
        base_url: the Payload server root (``http://localhost:3000``); REST lives under
            ``api_prefix``.
        api_key: an API key of a user in ``api_key_collection``, sent as
            ``Authorization: <collection> API-Key <key>``.
        api_key_collection: the auth collection the key belongs to (default ``users``).
        token: a JWT instead of ``api_key`` (see `login`).
        api_prefix: the REST route prefix (default ``/api``).
        default_depth: ``depth`` sent when a call does not give one (default 0). It is always
            sent, so answers never depend on the server's own default.
        timeout: seconds or an `httpx.Timeout` (default: connect 5 s, read 30 s).
        max_retries: retries of idempotent calls (default 2).
        retry: backoff settings (`RetryConfig`).
        transport: an httpx transport (e.g. ``FakePayload().transport`` in tests).
        http_client: an httpx client to use instead of creating one (it is not closed by us,
            and its cookie jar is its own: the client we create keeps no cookies).
        default_headers: headers sent with every request (secret-looking ones are never
            logged: see `is_secret_header`).
        deadline: seconds a whole call may take, every retry and body read included (default
            120; ``None``: no deadline). ``timeout`` bounds one network operation only.
        max_response_bytes: the largest (decoded) response body read, else
            `ResponseTooLargeError` (default 100 MiB; ``None``: no cap).
    """

    service: ClassVar[Service] = "payload"

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | SecretStr | None = None,
        api_key_collection: str = DEFAULT_PAYLOAD_API_KEY_COLLECTION,
        token: str | SecretStr | None = None,
        api_prefix: str = DEFAULT_PAYLOAD_API_PREFIX,
        default_depth: int = DEFAULT_PAYLOAD_DEPTH,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        retry: RetryConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(
            base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            transport=transport,
            http_client=http_client,
            default_headers=default_headers,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
        )
        self.api_key = _as_secret(api_key)
        self.api_key_collection = api_key_collection
        self.token = _as_secret(token)
        self.api_prefix = "/" + api_prefix.strip("/") if api_prefix.strip("/") else ""
        self.default_depth = default_depth

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> AsyncPayloadClient:
        """Build a client from `Settings`; keyword arguments override single values."""
        kwargs: dict[str, Any] = {
            "api_key": settings.payload_api_key,
            "api_key_collection": settings.payload_api_key_collection,
            **settings.http_options(),
        }
        kwargs.update(overrides)
        return cls(settings.payload_cms_url, **kwargs)

    @classmethod
    def from_env(cls, **overrides: Any) -> AsyncPayloadClient:
        """Build a client from ``PAYLOAD_CMS_URL``, ``PAYLOAD_API_KEY``, ... ."""
        return cls.from_settings(Settings.from_env(), **overrides)

    def _error_fields(self, body: object) -> ErrorFields:
        return payload_error_fields(body)

    def _auth_headers(self, request: APIRequest) -> Mapping[str, str]:
        return payload_auth_headers(
            api_key=self.api_key, api_key_collection=self.api_key_collection, token=self.token
        )

    def _path(self, template: str, *segments: str | int) -> str:
        return self.api_prefix + encode_path(template, *segments)

    def _depth(self, depth: int | None) -> int:
        return self.default_depth if depth is None else depth

    def absolute_url(self, url: str | None) -> str | None:
        """A URL a browser can fetch: Payload's relative media paths (``/api/media/file/x.png``)
        joined to the server's root; absolute URLs and ``None`` are returned as they are."""
        if not url:
            return url
        return urljoin(str(self.base_url).rstrip("/") + "/", url)

    def _write_body(self, data: Mapping[str, Any], file: FileInput | None) -> dict[str, Any]:
        """JSON, or with a ``file`` the multipart form Payload's uploads read: the file in
        ``file`` and the other fields as JSON in ``_payload``."""
        if file is None:
            return {"json": dict(data)}
        content, headers = multipart_body(
            {"_payload": json.dumps(dict(data))}, [("file", file_part(file))]
        )
        return {"content": content, "headers": headers}

    # ---- reads ------------------------------------------------------------------------
    def find(
        self,
        collection: str,
        *,
        where: WhereLike | None = None,
        depth: int | None = None,
        limit: int | None = None,
        page: int | None = None,
        sort: Sort = None,
        locale: str | None = None,
        fallback_locale: str | None = None,
        draft: bool | None = None,
        select: Select = None,
        pagination: bool | None = None,
        populate: Mapping[str, Any] | None = None,
        joins: Mapping[str, Any] | bool | None = None,
        trash: bool | None = None,
        model: type[D] | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[D]:
        """Query a collection; iterate the result to walk every page.

        Args:
            collection: the collection slug (``"product-content"``).
            where: a `Where` or a dict in Payload's form.
            depth: relation population depth (default: the client's ``default_depth``).
            limit: page size (Payload's default is 10).
            page: 1-based page number.
            sort: field name, ``-`` prefix for descending; a sequence sorts by several.
            locale: locale of localized fields (``"all"``: a ``{locale: value}`` map per
                localized field).
            fallback_locale: where a missing translation comes from (default: Payload's
                default locale when its ``fallback`` is on; ``"none"``: no fallback).
            draft: read the newest drafts (collections with Payload drafts enabled).
            select: only these fields (``["title"]`` or ``{"seo": {"title": True}}``).
            pagination: ``False`` returns every match in one page.
            populate: which fields of populated relations to return, per collection
                (``{"media": {"url": True}}``).
            joins: per join field ``{"limit": ..., "sort": ...}``; ``False`` skips joins.
            trash: include trashed documents (collections with ``trash`` enabled).
            model: the model of each document (default `Document`).
            **options: `RequestOptions`.
        """
        args = {
            "where": where,
            "depth": self._depth(depth),
            "limit": limit,
            "sort": sort,
            "locale": locale,
            "fallback_locale": fallback_locale,
            "draft": draft,
            "select": select,
            "pagination": pagination,
            "populate": populate,
            "joins": joins,
            "trash": trash,
            "extra": options.get("extra_query"),
        }
        path = self._path("/{}", collection)
        return AsyncPaginator(self._find_page, path, _doc_model(model), args, page, options)

    async def _find_page(
        self,
        path: str,
        model: type[D],
        args: dict[str, Any],
        page: int | None,
        options: RequestOptions,
    ) -> AsyncPage[D]:
        qs = find_query(page=page, **args)
        if len(qs) > METHOD_OVERRIDE_THRESHOLD:
            request = api_request(
                "POST",
                path,
                options,
                content=qs.encode(),
                headers=METHOD_OVERRIDE_HEADERS,
                idempotent=True,
            )
        else:
            request = api_request("GET", path, options, params=qs)
        response = await self.send_request(request)
        docs = [response.parse(model, doc) for doc in response.require("docs")]
        data = response.data
        limit = int(data.get("limit") or len(docs) or 1)
        number = int(data.get("page") or 1)

        def fetch_next(current: AsyncPage[D]) -> AsyncPaginator[D]:
            return AsyncPaginator(self._find_page, path, model, args, number + 1, options)

        return AsyncPage(
            docs,
            count=int(data.get("totalDocs", len(docs))),
            offset=(number - 1) * limit,
            limit=limit,
            has_more=bool(data.get("hasNextPage")),
            fetch_next=fetch_next,
            request_id=response.request_id,
        )

    async def find_by_id(
        self,
        collection: str,
        id: int | str,
        *,
        depth: int | None = None,
        locale: str | None = None,
        fallback_locale: str | None = None,
        draft: bool | None = None,
        select: Select = None,
        model: type[D] | None = None,
        **options: Unpack[RequestOptions],
    ) -> D:
        """One document by id; `NotFoundError` when there is none."""
        qs = find_query(
            depth=self._depth(depth),
            locale=locale,
            fallback_locale=fallback_locale,
            draft=draft,
            select=select,
            extra=options.get("extra_query"),
        )
        request = api_request("GET", self._path("/{}/{}", collection, id), options, params=qs)
        return await self.request_model(request, _doc_model(model), key=None)

    async def count(
        self,
        collection: str,
        *,
        where: WhereLike | None = None,
        locale: str | None = None,
        draft: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> int:
        """How many documents match ``where`` (``GET /api/<collection>/count``)."""
        qs = find_query(where=where, locale=locale, draft=draft, extra=options.get("extra_query"))
        request = api_request("GET", self._path("/{}/count", collection), options, params=qs)
        response = await self.send_request(request)
        return int(response.require("totalDocs"))

    # ---- writes -----------------------------------------------------------------------
    async def create(
        self,
        collection: str,
        data: Mapping[str, Any],
        *,
        depth: int | None = None,
        locale: str | None = None,
        draft: bool | None = None,
        file: FileInput | None = None,
        model: type[D] | None = None,
        **options: Unpack[RequestOptions],
    ) -> D:
        """Create a document (``201 {doc, message}``); returns the created document.

        ``draft=True`` saves a draft (collections with drafts enabled). ``file`` (bytes, a
        path, or ``(filename, bytes, content_type)``) uploads it to an upload collection as
        multipart form data. Not retried after a response or timeout (a retry could create
        it twice).

        Raises:
            BadRequestError: Payload's ValidationError; ``field_errors`` name the fields.
        """
        qs = find_query(
            depth=self._depth(depth), locale=locale, draft=draft, extra=options.get("extra_query")
        )
        request = api_request(
            "POST",
            self._path("/{}", collection),
            options,
            params=qs,
            **self._write_body(data, file),
        )
        return await self.request_model(request, _doc_model(model), key="doc")

    async def update_by_id(
        self,
        collection: str,
        id: int | str,
        data: Mapping[str, Any],
        *,
        depth: int | None = None,
        locale: str | None = None,
        draft: bool | None = None,
        file: FileInput | None = None,
        model: type[D] | None = None,
        **options: Unpack[RequestOptions],
    ) -> D:
        """Update fields of one document (``PATCH``; idempotent, so retried like a read).

        ``draft=True`` saves the change as a draft, leaving the published state as it is;
        ``file`` replaces the stored file of an upload collection (see `create`).
        """
        qs = find_query(
            depth=self._depth(depth), locale=locale, draft=draft, extra=options.get("extra_query")
        )
        request = api_request(
            "PATCH",
            self._path("/{}/{}", collection, id),
            options,
            params=qs,
            idempotent=True,
            **self._write_body(data, file),
        )
        return await self.request_model(request, _doc_model(model), key="doc")

    async def update_where(
        self,
        collection: str,
        where: WhereLike,
        data: Mapping[str, Any],
        *,
        depth: int | None = None,
        locale: str | None = None,
        draft: bool | None = None,
        model: type[D] | None = None,
        raise_on_error: bool = True,
        **options: Unpack[RequestOptions],
    ) -> BulkResult[D]:
        """Update every document matching ``where`` (``PATCH`` with ``where``).

        Raises:
            PartialFailureError: some documents failed (with ``raise_on_error``, the default);
                it carries the written ``docs`` and the ``errors``. Pass
                ``raise_on_error=False`` to get them in the `BulkResult` instead. (Payload
                itself answers such a partial write with HTTP 400 and both lists.)
            InvalidArgumentError: ``where`` is empty (before any request).
        """
        require_where(where, "update")
        qs = find_query(
            where=where,
            depth=self._depth(depth),
            locale=locale,
            draft=draft,
            extra=options.get("extra_query"),
        )
        request = api_request(
            "PATCH",
            self._path("/{}", collection),
            options,
            params=qs,
            json=dict(data),
            idempotent=True,
        )
        return await self._bulk(request, model, raise_on_error, "update")

    async def delete_by_id(
        self,
        collection: str,
        id: int | str,
        *,
        depth: int | None = None,
        model: type[D] | None = None,
        **options: Unpack[RequestOptions],
    ) -> D:
        """Delete one document; returns it as it was. Not retried (a retry would 404)."""
        qs = find_query(depth=self._depth(depth), extra=options.get("extra_query"))
        request = api_request("DELETE", self._path("/{}/{}", collection, id), options, params=qs)
        return await self.request_model(request, _doc_model(model), key="doc")

    async def delete_where(
        self,
        collection: str,
        where: WhereLike,
        *,
        depth: int | None = None,
        model: type[D] | None = None,
        raise_on_error: bool = True,
        **options: Unpack[RequestOptions],
    ) -> BulkResult[D]:
        """Delete every document matching ``where``; see `update_where` for partial failures.

        Raises:
            InvalidArgumentError: ``where`` is empty (before any request).
        """
        require_where(where, "delete")
        qs = find_query(where=where, depth=self._depth(depth), extra=options.get("extra_query"))
        request = api_request("DELETE", self._path("/{}", collection), options, params=qs)
        return await self._bulk(request, model, raise_on_error, "delete")

    async def _bulk(
        self,
        request: APIRequest,
        model: type[D] | None,
        raise_on_error: bool,
        verb: str,
    ) -> BulkResult[D]:
        try:
            response = await self.send_request(request)
        except APIStatusError as exc:
            # Payload answers a partial failure with 400 and the usual {docs, errors} body:
            # the documents in ``docs`` WERE written, so this is not a plain failure.
            if not is_bulk_body(exc.body):
                raise
            response = APIResponse(self.service, exc.response, exc.request_id or "", exc.body)
            record_response(response)  # what ``with_raw_response`` reports for this call
        return bulk_result(response, _doc_model(model), raise_on_error=raise_on_error, verb=verb)

    # ---- globals ----------------------------------------------------------------------
    async def get_global(
        self,
        slug: str,
        *,
        depth: int | None = None,
        locale: str | None = None,
        fallback_locale: str | None = None,
        draft: bool | None = None,
        model: type[G] | None = None,
        **options: Unpack[RequestOptions],
    ) -> G:
        """Read a global (``GET /api/globals/<slug>``), its localized fields in ``locale``
        (``"all"``: a ``{locale: value}`` map per field), missing ones from
        ``fallback_locale`` (``"none"``: no fallback)."""
        qs = find_query(
            depth=self._depth(depth),
            locale=locale,
            fallback_locale=fallback_locale,
            draft=draft,
            extra=options.get("extra_query"),
        )
        request = api_request("GET", self._path("/globals/{}", slug), options, params=qs)
        return await self.request_model(request, _global_model(model), key=None)

    async def update_global(
        self,
        slug: str,
        data: Mapping[str, Any],
        *,
        depth: int | None = None,
        locale: str | None = None,
        draft: bool | None = None,
        model: type[G] | None = None,
        **options: Unpack[RequestOptions],
    ) -> G:
        """Update a global (``POST /api/globals/<slug>``; idempotent, so retried)."""
        qs = find_query(
            depth=self._depth(depth), locale=locale, draft=draft, extra=options.get("extra_query")
        )
        request = api_request(
            "POST",
            self._path("/globals/{}", slug),
            options,
            params=qs,
            json=dict(data),
            idempotent=True,
        )
        return await self.request_model(request, _global_model(model), key="result")

    # ---- auth -------------------------------------------------------------------------
    async def login(
        self,
        email: str,
        password: str,
        *,
        collection: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> LoginResult:
        """Log in (``POST /api/<collection>/login``); the client then sends the token.

        Raises:
            AuthenticationError: wrong email or password.
        """
        request = api_request(
            "POST",
            self._path("/{}/login", collection or self.api_key_collection),
            options,
            json={"email": email, "password": password},
        )
        result = await self.request_model(request, LoginResult, key=None)
        self.token = result.token
        return result

    def logout(self) -> None:
        """Forget the token (calls fall back to the API key, if any)."""
        self.token = None

    async def me(
        self, *, collection: str | None = None, **options: Unpack[RequestOptions]
    ) -> MeResult:
        """Who the current credentials belong to (``user`` is ``None`` when anonymous)."""
        request = api_request(
            "GET", self._path("/{}/me", collection or self.api_key_collection), options
        )
        return await self.request_model(request, MeResult, key=None)

    def __repr__(self) -> str:
        auth = "token" if self.token else ("api_key" if self.api_key else "none")
        return f"{type(self).__name__}(base_url={str(self.base_url)!r}, auth={auth})"
