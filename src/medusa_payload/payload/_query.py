"""Sans-I/O helpers of the Payload client: query strings, auth header, list and bulk parsing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import SecretStr
from typing_extensions import TypeVar

from .._core._http import APIResponse
from ..errors import InvalidArgumentError, PartialFailureError
from .models import BulkResult, Document, _CamelModel
from .where import WhereLike, encode_query, where_dict

__all__ = [
    "METHOD_OVERRIDE_HEADERS",
    "METHOD_OVERRIDE_THRESHOLD",
    "bulk_result",
    "find_query",
    "is_bulk_body",
    "payload_auth_headers",
    "require_where",
    "select_dict",
]

D = TypeVar("D", bound=_CamelModel, default=Document)

#: Above this many characters of query string, `find` sends ``POST`` with
#: ``X-Payload-HTTP-Method-Override: GET`` and the query as a form body, so a long
#: ``where[id][in]`` list never hits a server's URL length limit (Node's is 16 KiB of headers).
METHOD_OVERRIDE_THRESHOLD = 6000

METHOD_OVERRIDE_HEADERS = {
    "x-payload-http-method-override": "GET",
    "content-type": "application/x-www-form-urlencoded",
}

Select = Mapping[str, Any] | Sequence[str] | None
Sort = str | Sequence[str] | None


def select_dict(select: Select) -> dict[str, Any] | None:
    """``["title", "seo"]`` -> ``{"title": True, "seo": True}``; a mapping is kept."""
    if select is None:
        return None
    if isinstance(select, Mapping):
        return dict(select)
    return dict.fromkeys(select, True)


def find_query(
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
    extra: Mapping[str, Any] | None = None,
) -> str:
    """The qs-encoded query string of a Payload REST call (``None`` values are left out)."""
    params: dict[str, Any] = {
        "where": where_dict(where) if where is not None else None,
        "depth": depth,
        "limit": limit,
        "page": page,
        "sort": sort if sort is None or isinstance(sort, str) else ",".join(sort),
        "locale": locale,
        "fallback-locale": fallback_locale,
        "draft": draft,
        "select": select_dict(select),
        "pagination": pagination,
        "populate": dict(populate) if populate is not None else None,
        "joins": dict(joins) if isinstance(joins, Mapping) else joins,
        "trash": trash,
    }
    if extra:
        params.update(extra)
    return encode_query(params)


def require_where(where: WhereLike | None, verb: str) -> None:
    """Refuse a bulk write without conditions (`InvalidArgumentError`, before any request).

    Payload answers one with a bare 400 ("An unknown error occurred."); an empty ``where`` is
    almost always a bug that meant to touch a few documents, not every one.
    """
    if where is None or not where_dict(where):
        raise InvalidArgumentError(
            f"bulk {verb} needs a non-empty where (Payload refuses a bulk {verb} without one)"
        )


def payload_auth_headers(
    *, api_key: SecretStr | None, api_key_collection: str, token: SecretStr | None
) -> dict[str, str]:
    """``Authorization`` for Payload: a JWT if logged in, else ``<collection> API-Key <key>``."""
    if token is not None:
        return {"authorization": f"JWT {token.get_secret_value()}"}
    if api_key is not None:
        return {"authorization": f"{api_key_collection} API-Key {api_key.get_secret_value()}"}
    return {}


def is_bulk_body(body: object) -> bool:
    """Whether ``body`` is Payload's bulk answer (``docs`` and ``errors`` lists)."""
    return (
        isinstance(body, Mapping)
        and isinstance(body.get("docs"), list)
        and isinstance(body.get("errors"), list)
    )


def bulk_result(
    response: APIResponse, model: type[D], *, raise_on_error: bool, verb: str
) -> BulkResult[D]:
    """A `BulkResult` from a bulk answer; `PartialFailureError` if some failed and we raise."""
    result = BulkResult[D](
        docs=[response.parse(model, doc) for doc in response.require("docs")],
        errors=[e for e in response.data.get("errors") or [] if isinstance(e, Mapping)],
        message=response.data.get("message"),
    )
    if result.errors and raise_on_error:
        failures = "; ".join(f"id {e.get('id')}: {e.get('message')}" for e in result.errors[:5])
        raise PartialFailureError(
            f"[payload] bulk {verb}: {len(result.docs)} written, {len(result.errors)} failed: "
            f"{failures} (request_id={response.request_id})",
            docs=result.docs,
            errors=result.errors,
        )
    return result
