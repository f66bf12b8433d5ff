"""`FakePayload`: an in-memory Payload 3 REST API, faithful to what Payload 3.90 answers."""

from __future__ import annotations

import base64
import copy
import email.utils
import json
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from http.cookies import SimpleCookie
from typing import Any

from ._common import MonotonicClock, object_id
from ._payload_editors import AUTH_FLOW_ROUTES, EditorRoutes, is_draft
from ._payload_locales import ALL, FakeLocalization, ReadLocale, Translations
from ._payload_schema import (
    CollectionSpec,
    FieldSpec,
    GlobalSpec,
    default_collections,
    default_globals,
)
from ._payload_schema import (
    InvalidError as _InvalidError,
)
from ._payload_uploads import UploadError
from ._transport import FakeRequest, FakeResponse, FakeServer
from ._where_eval import QueryError, matches

__all__ = ["FakePayload"]

FORBIDDEN = FakeResponse(
    403, {"errors": [{"message": "You are not allowed to perform this action."}]}
)
NOT_FOUND = FakeResponse(404, {"errors": [{"message": "Not Found"}]})
MISSING_WHERE = FakeResponse(400, {"errors": [{"message": "An unknown error occurred."}]})


class FakePayload(EditorRoutes, FakeServer):
    """An in-memory Payload 3 REST API, usable as an httpx transport by both client flavours.

    ```python
    fake = FakePayload()
    fake.add_product_content("tee", medusa_product_id="prod_1", seo={"title": "Tee"})
    with PayloadClient(fake.base_url, api_key=fake.api_key, transport=fake.transport) as p:
        p.find("product-content")
    ```

    Collections are those of the project's live stack (`default_collections`): product-content,
    pages, stores, vendors, tenants, order-audit, webhook-logs, sync-jobs, users. Reads are
    public, writes need a user (API key or JWT), as in the stack. Faithful details: numeric
    ids, ``depth`` population of relations, ``where`` operators with ``qs`` indexed arrays and
    dotted paths (``store.handle``), ``select``, ``sort``, page-number pagination, 201 on
    create, ``ValidationError`` with field paths, bulk writes answering 400 with ``{docs,
    errors}`` on partial failure, the method-override ``POST``, localized fields (``locale``,
    ``fallback-locale``, ``locale=all``; ``localization=None`` turns them off) as described in
    docs/locales.md; drafts and versions of ``articles`` and the ``site-settings`` global,
    uploads to ``media`` (see `EditorRoutes`).
    """

    def __init__(
        self,
        base_url: str = "http://payload.fake",
        *,
        api_prefix: str = "/api",
        collections: Sequence[CollectionSpec] | None = None,
        globals: Sequence[GlobalSpec] | None = None,
        api_key: str = "fake-payload-api-key",
        email: str = "admin@example.com",
        password: str = "supersecret",
        localization: FakeLocalization | None = FakeLocalization(),  # noqa: B008 (frozen)
    ) -> None:
        super().__init__(base_url)
        self.api_prefix = [p for p in api_prefix.split("/") if p]
        self.specs = {c.slug: c for c in (collections or default_collections())}
        self.global_specs = {g.slug: g for g in (globals or default_globals())}
        self._docs: dict[str, dict[int, dict[str, Any]]] = {slug: {} for slug in self.specs}
        self.localization = localization
        self._translations = (
            {slug: Translations(spec.fields, localization) for slug, spec in self.specs.items()}
            if localization is not None
            else {}
        )
        # Unique field values -> doc id, so a write checks uniqueness without a scan.
        self._unique: dict[tuple[str, str], dict[Any, int]] = {}
        self._globals: dict[str, dict[str, Any]] = {}
        self._next_id = dict.fromkeys(self.specs, 1)
        self._tokens: dict[str, int] = {}
        self._passwords: dict[int, str] = {}
        self._clock = MonotonicClock()
        self.api_key = api_key
        self.email = email
        self.password = password
        self._init_editors()
        self.admin = self.add_user(email, password=password, api_key=api_key)

    # ================================================================ seeding (public API)
    def add(
        self, collection: str, data: Mapping[str, Any], *, locale: str | None = None
    ) -> dict[str, Any]:
        """Create a document as an admin would (validated), bypassing HTTP; returns it
        (its localized fields written in ``locale``, default: the default locale)."""
        with self._lock:
            doc = self._create(self.specs[collection], data, locale=locale)
            return self._format(self.specs[collection], doc, depth=0, read=self._read(locale))

    def translate(
        self, collection: str, id: int, locale: str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Write ``data`` in ``locale`` to an existing document (as ``PATCH ?locale=``)."""
        with self._lock:
            spec = self.specs[collection]
            doc = self._update(spec, self._docs[collection][id], data, locale=locale)
            return self._format(spec, doc, depth=0, read=self._read(locale))

    def add_product_content(
        self,
        handle: str,
        title: str | None = None,
        *,
        medusa_product_id: str | None = None,
        status: str = "published",
        **fields: Any,
    ) -> dict[str, Any]:
        """A ``product-content`` doc with sensible defaults (published)."""
        data = {
            "handle": handle,
            "title": title or handle.replace("-", " ").title(),
            "medusaProductId": medusa_product_id,
            "status": status,
            **_camel(fields),
        }
        return self.add("product-content", data)

    def add_page(
        self,
        slug: str,
        title: str | None = None,
        *,
        tenant: str | None = None,
        store: int | None = None,
        status: str = "published",
        **fields: Any,
    ) -> dict[str, Any]:
        """A ``pages`` doc (published unless ``status`` says otherwise)."""
        data = {
            "slug": slug,
            "title": title or slug.title(),
            "tenant": tenant,
            "store": store,
            "status": status,
            **_camel(fields),
        }
        return self.add("pages", data)

    def add_store(
        self,
        handle: str,
        name: str | None = None,
        *,
        tenant: str | None = None,
        branding: Mapping[str, Any] | None = None,
        sales_channel_id: str | None = None,
    ) -> dict[str, Any]:
        """A ``stores`` doc."""
        data = {
            "handle": handle,
            "name": name or handle.title(),
            "tenant": tenant,
            "branding": dict(branding or {}),
            "salesChannelId": sales_channel_id,
        }
        return self.add("stores", data)

    def add_user(self, email: str, *, password: str, api_key: str | None = None) -> dict[str, Any]:
        """A user of the ``users`` auth collection, with an API key if given."""
        with self._lock:
            doc = self._create(
                self.specs["users"],
                {"email": email, "enableAPIKey": api_key is not None, "apiKey": api_key},
                raw_extra=("email", "enableAPIKey", "apiKey"),
            )
            self._passwords[int(doc["id"])] = password
            return self._user_view(doc, strategy=None)

    def docs(self, collection: str) -> list[dict[str, Any]]:
        """Every document of a collection (depth 0), oldest first."""
        with self._lock:
            spec = self.specs[collection]
            return [self._format(spec, d, depth=0) for d in self._docs[collection].values()]

    def get(self, collection: str, id: int) -> dict[str, Any] | None:
        """One document (depth 0) or ``None``."""
        with self._lock:
            doc = self._docs[collection].get(int(id))
            return None if doc is None else self._format(self.specs[collection], doc, depth=0)

    # ================================================================ routing
    def route_of(self, method: str, segments: list[str]) -> str:
        rest = segments[len(self.api_prefix) :]
        if rest[:1] == ["globals"] and len(rest) == 2:
            return f"{method} /api/globals/{rest[1]}"
        if rest[:1] == ["globals"] and len(rest) == 4:
            return f"{method} /api/globals/{rest[1]}/versions/{{id}}"
        if len(rest) == 3 and rest[1] in ("versions", "file"):
            return f"{method} /api/{rest[0]}/{rest[1]}/{{id}}"
        if len(rest) == 2 and rest[1] not in ("count", "login", "me", "logout", "versions"):
            return f"{method} /api/{rest[0]}/{{id}}"
        return f"{method} /api/" + "/".join(rest)

    def handle(self, request: FakeRequest) -> FakeResponse:
        segments = request.segments
        if segments[: len(self.api_prefix)] != self.api_prefix:
            return FakeResponse(404, {"message": f'Route not found "{request.path}"'})
        rest = segments[len(self.api_prefix) :]
        user = self._authenticate(request)
        try:
            if rest[:1] == ["globals"] and len(rest) == 2:
                return self._global(request, rest[1], user)
            if rest[:1] == ["globals"] and rest[2:3] == ["versions"] and len(rest) <= 4:
                spec_g = self.global_specs.get(rest[1])
                if spec_g is None:
                    return FakeResponse(404, {"message": f'Route not found "{request.path}"'})
                self._global_state(spec_g)
                return self._global_versions_route(request, spec_g, rest[3:], user)
            if not rest or rest[0] not in self.specs:
                return FakeResponse(404, {"message": f'Route not found "{request.path}"'})
            spec = self.specs[rest[0]]
            return self._collection(request, spec, rest[1:], user)
        except QueryError as exc:
            return FakeResponse(
                400,
                {
                    "errors": [
                        {"name": "QueryError", "data": [{"path": exc.path}], "message": str(exc)}
                    ]
                },
            )

    def _collection(
        self,
        request: FakeRequest,
        spec: CollectionSpec,
        rest: list[str],
        user: dict[str, Any] | None,
    ) -> FakeResponse:
        method = request.method
        if spec.versioned and rest[:1] == ["versions"] and len(rest) <= 2:
            return self._collection_versions(request, spec, rest[1:], user)
        if spec.upload and rest[:1] == ["file"] and len(rest) == 2 and method == "GET":
            return self._file_route(spec, rest[1])
        if spec.auth and rest == ["login"] and method == "POST":
            return self._login(request)
        if spec.auth and rest == ["me"] and method == "GET":
            return self._me(user)
        if spec.auth and rest == ["logout"] and method == "POST":
            return FakeResponse(200, {"message": "Logout successful."})
        if spec.auth and rest and rest[0] in AUTH_FLOW_ROUTES and method == "POST":
            return self._auth_flow(request, rest, user)
        can_read = spec.public_read or user is not None
        if rest == ["count"] and method == "GET":
            if not can_read:
                return FORBIDDEN
            return FakeResponse(200, {"totalDocs": len(self._query(spec, request.query))})
        if not rest:
            if method == "GET":
                return self._find(spec, request.query) if can_read else FORBIDDEN
            if method in ("PATCH", "DELETE") and not request.query.get("where"):
                # Payload refuses a bulk write without `where` before it checks access, and
                # hides the reason ("Missing 'where' query ...") behind its non-public error text.
                return MISSING_WHERE
            if user is None:
                return FORBIDDEN
            if method == "POST":
                return self._create_response(spec, request)
            if method == "PATCH":
                return self._bulk(spec, request, "update")
            if method == "DELETE":
                return self._bulk(spec, request, "delete")
        if len(rest) == 1:
            try:
                doc_id = int(rest[0])
            except ValueError:
                return FakeResponse(500, {"errors": [{"message": "An unknown error occurred."}]})
            if method == "GET":
                if not can_read:
                    return FORBIDDEN
                doc = self._docs[spec.slug].get(doc_id)
                if doc is None:
                    return NOT_FOUND
                if is_draft(request.query):
                    doc = self._draft_view(spec, doc)
                return FakeResponse(200, self._format(spec, doc, **self._read_args(request.query)))
            if user is None:
                return FORBIDDEN
            doc = self._docs[spec.slug].get(doc_id)
            if doc is None:
                return NOT_FOUND
            depth = self._depth(request.query)
            if method == "PATCH":
                try:
                    data = self._write_data(spec, request)
                    draft = spec.drafts and is_draft(request.query)
                    if draft:
                        updated = self._draft_update(spec, doc, data)
                    else:
                        updated = self._update(
                            spec, doc, data, locale=self._write_locale(request.query)
                        )
                        self._after_write(spec, updated)
                except UploadError as exc:
                    return _bad_upload(exc)
                except _InvalidError as exc:
                    return self._invalid(spec, exc.entries, doc_id)
                return FakeResponse(
                    200,
                    {
                        "doc": self._format(spec, updated, **self._read_args(request.query)),
                        "message": "Draft saved successfully."
                        if draft
                        else "Updated successfully.",
                    },
                )
            if method == "DELETE":
                self._store(spec, doc_id, None)
                self._drop_versions(spec, doc_id)
                return FakeResponse(
                    200,
                    {
                        "doc": self._format(spec, doc, depth=depth),
                        "message": "Deleted successfully.",
                    },
                )
        return FakeResponse(404, {"message": f'Route not found "{request.path}"'})

    # ================================================================ auth
    def _authenticate(self, request: FakeRequest) -> dict[str, Any] | None:
        header = request.headers.get("authorization", "")
        users = self._docs["users"]
        if " API-Key " in header:
            collection, _, key = header.partition(" API-Key ")
            if collection.strip() != "users":
                return None
            return next(
                (u for u in users.values() if u.get("enableAPIKey") and u.get("apiKey") == key),
                None,
            )
        for scheme in ("JWT ", "Bearer "):
            if header.startswith(scheme):
                user_id = self._tokens.get(header[len(scheme) :])
                return users.get(user_id) if user_id is not None else None
        # Like Payload, the cookie its login sets authenticates too.
        cookies = SimpleCookie(request.headers.get("cookie", ""))
        if "payload-token" in cookies:
            user_id = self._tokens.get(cookies["payload-token"].value)
            return users.get(user_id) if user_id is not None else None
        return None

    def _login(self, request: FakeRequest) -> FakeResponse:
        body = request.json() or {}
        user = next(
            (u for u in self._docs["users"].values() if u.get("email") == body.get("email")), None
        )
        if user is None or self._passwords.get(int(user["id"])) != body.get("password"):
            return FakeResponse(
                401, {"errors": [{"message": "The email or password provided is incorrect."}]}
            )
        token, exp = self._mint_token(user)
        expires = email.utils.formatdate(exp, usegmt=True)
        return FakeResponse(
            200,
            {
                "message": "Authentication Passed",
                "exp": exp,
                "token": token,
                "user": self._user_view(user, strategy="local-jwt"),
            },
            headers={
                "set-cookie": (
                    f"payload-token={token}; Expires={expires}; Path=/; HttpOnly=true; SameSite=Lax"
                )
            },
        )

    def _mint_token(self, user: Mapping[str, Any]) -> tuple[str, int]:
        exp = int(time.time()) + 7200
        token = _fake_jwt(
            {
                "id": user["id"],
                "collection": "users",
                "email": user["email"],
                "exp": exp,
                "jti": secrets.token_hex(4),
            }
        )
        self._tokens[token] = int(user["id"])
        return token, exp

    def _me(self, user: dict[str, Any] | None) -> FakeResponse:
        if user is None:
            return FakeResponse(200, {"user": None, "message": "Account"})
        strategy = "api-key" if user.get("enableAPIKey") else "local-jwt"
        return FakeResponse(
            200,
            {
                "user": self._user_view(user, strategy=strategy),
                "collection": "users",
                "strategy": strategy,
                "message": "Account",
            },
        )

    def _user_view(self, user: Mapping[str, Any], *, strategy: str | None) -> dict[str, Any]:
        view = {
            "id": user["id"],
            "updatedAt": user["updatedAt"],
            "createdAt": user["createdAt"],
            "enableAPIKey": bool(user.get("enableAPIKey")),
            "email": user.get("email"),
            "sessions": [],
            "collection": "users",
            "hasAPIKey": bool(user.get("apiKey")),
        }
        if strategy:
            view["_strategy"] = strategy
        return view

    # ================================================================ reads
    def _depth(self, query: Mapping[str, Any]) -> int:
        try:
            return int(query.get("depth", 2))
        except (TypeError, ValueError):
            return 2

    def _read_args(self, query: Mapping[str, Any]) -> dict[str, Any]:
        select = query.get("select")
        return {
            "depth": self._depth(query),
            "select": select if isinstance(select, Mapping) else None,
            "read": self._read_of(query),
        }

    def _read_of(self, query: Mapping[str, Any]) -> ReadLocale | None:
        """The locale a request reads in (``None`` without localization)."""
        return None if self.localization is None else self.localization.read_locale(query)

    def _read(self, locale: str | None) -> ReadLocale | None:
        return self._read_of({} if locale is None else {"locale": locale})

    def _write_locale(self, query: Mapping[str, Any]) -> str | None:
        return None if self.localization is None else self.localization.write_locale(query)

    def _view(
        self, spec: CollectionSpec, doc: Mapping[str, Any], read: ReadLocale | None
    ) -> Mapping[str, Any]:
        """The document as seen in ``read``'s locale (itself without localization)."""
        if read is None or spec.slug not in self._translations:
            return doc
        return self._translations[spec.slug].view(doc, read)

    def _resolve(self, collection: str, value: Any) -> dict[str, Any] | None:
        if isinstance(value, Mapping):
            value = value.get("id")
        try:
            return self._docs[collection].get(int(value))
        except (TypeError, ValueError):
            return None

    def _store(self, spec: CollectionSpec, doc_id: int, doc: dict[str, Any] | None) -> None:
        """Put (or, with ``None``, remove) a document and keep the unique index in step."""
        old = self._docs[spec.slug].pop(doc_id, None)
        for field in spec.fields:
            if not field.unique:
                continue
            index = self._unique.setdefault((spec.slug, field.name), {})
            if old is not None and old.get(field.name) not in (None, ""):
                index.pop(_hashable(old[field.name]), None)
            if doc is not None and doc.get(field.name) not in (None, ""):
                index[_hashable(doc[field.name])] = doc_id
        if doc is not None:
            self._docs[spec.slug][doc_id] = doc
        elif spec.slug in self._translations:
            self._translations[spec.slug].drop(doc_id)

    def _query(self, spec: CollectionSpec, query: Mapping[str, Any]) -> list[dict[str, Any]]:
        where = query.get("where") or {}
        if not isinstance(where, Mapping):
            where = {}
        read = self._read_of(query)
        if read is not None and read.locale == ALL:  # where matches the default locale
            read = ReadLocale(self.localization.default if self.localization else ALL, None)
        docs = [
            d
            for d in self._docs[spec.slug].values()
            if not where
            or matches(self._view(spec, d, read), where, spec, self.specs, self._resolve)
        ]
        sort = query.get("sort") or "-createdAt"
        keys = sort if isinstance(sort, list) else str(sort).split(",")
        # Stable sorts from the last key to the first give a multi-key sort.
        for key in reversed([str(k).strip() for k in keys if str(k).strip()]):
            docs.sort(key=_sort_by(key.lstrip("-")), reverse=key.startswith("-"))
        return docs

    def _find(self, spec: CollectionSpec, query: Mapping[str, Any]) -> FakeResponse:
        docs = self._query(spec, query)
        if is_draft(query):
            docs = [self._draft_view(spec, d) for d in docs]
        args = self._read_args(query)
        return self._paginate(docs, query, lambda d: self._format(spec, d, **args))

    def _paginate(
        self,
        docs: list[dict[str, Any]],
        query: Mapping[str, Any],
        view: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> FakeResponse:
        total = len(docs)
        paginate = str(query.get("pagination", "true")).lower() != "false"
        limit = _int(query.get("limit"), 10)
        page = max(1, _int(query.get("page"), 1))
        if not paginate or limit == 0:
            limit, page, chunk, pages = 0, 1, docs, 1
        else:
            pages = max(1, -(-total // limit))
            chunk = docs[(page - 1) * limit : page * limit]
        return FakeResponse(
            200,
            {
                "docs": [view(d) for d in chunk],
                "hasNextPage": page < pages,
                "hasPrevPage": page > 1,
                "limit": limit,
                "nextPage": page + 1 if page < pages else None,
                "page": page,
                "pagingCounter": (page - 1) * limit + 1 if limit else 1,
                "prevPage": page - 1 if page > 1 else None,
                "totalDocs": total,
                "totalPages": pages,
            },
        )

    # ================================================================ writes
    def _create_response(self, spec: CollectionSpec, request: FakeRequest) -> FakeResponse:
        draft = spec.drafts and is_draft(request.query)
        try:
            data = self._write_data(spec, request)
            if spec.upload and "filename" not in data:
                raise UploadError("No files were uploaded.")
            if draft:
                data["_status"] = "draft"
            doc = self._create(
                spec, data, validate=not draft, locale=self._write_locale(request.query)
            )
        except UploadError as exc:
            return _bad_upload(exc)
        except _InvalidError as exc:
            return self._invalid(spec, exc.entries, None)
        self._after_write(spec, doc)
        return FakeResponse(
            201,
            {
                "doc": self._format(spec, doc, **self._read_args(request.query)),
                "message": f"{spec.singular} successfully created.",
            },
        )

    def _create(
        self,
        spec: CollectionSpec,
        data: Mapping[str, Any],
        raw_extra: Iterable[str] = (),
        *,
        validate: bool = True,
        locale: str | None = None,
    ) -> dict[str, Any]:
        doc_id = self._next_id[spec.slug]
        now = self._clock.now()
        doc: dict[str, Any] = {"id": doc_id}
        for field in spec.fields:
            value = data.get(field.name, field.default) if field.name in data else field.default
            doc[field.name] = self._normalise(field, copy.deepcopy(value), None)
        for key in (*raw_extra, *(UPLOAD_FIELDS if spec.upload else ())):
            doc[key] = data.get(key)
        if validate:
            self._validate(spec, doc, doc_id)
        doc["createdAt"] = doc["updatedAt"] = now
        self._next_id[spec.slug] = doc_id + 1
        self._store(spec, doc_id, self._localize_write(spec, doc, None, locale))
        return self._docs[spec.slug][doc_id]

    def _localize_write(
        self,
        spec: CollectionSpec,
        written: dict[str, Any],
        original: Mapping[str, Any] | None,
        locale: str | None,
    ) -> dict[str, Any]:
        """A view written in a non-default locale: its localized values go to the
        translations, the stored document keeps the default locale's."""
        table = self._translations.get(spec.slug)
        if table is None or locale is None or locale == table.config.default:
            return written
        table.split(written, locale)
        table.restore(written, original)
        return written

    def _update(
        self,
        spec: CollectionSpec,
        doc: dict[str, Any],
        data: Mapping[str, Any],
        *,
        locale: str | None = None,
    ) -> dict[str, Any]:
        candidate = copy.deepcopy(dict(self._view(spec, doc, self._exact(locale))))
        for field in spec.fields:
            if field.name in data:
                candidate[field.name] = self._normalise(
                    field, copy.deepcopy(data[field.name]), candidate.get(field.name)
                )
        if spec.upload:
            candidate.update({k: data[k] for k in UPLOAD_FIELDS if k in data})
        self._validate(spec, candidate, doc["id"])
        candidate["updatedAt"] = self._clock.now()
        self._store(spec, doc["id"], self._localize_write(spec, candidate, doc, locale))
        return self._docs[spec.slug][doc["id"]]

    def _exact(self, locale: str | None) -> ReadLocale | None:
        """Read one locale's own values (no fallback): what a write in it starts from."""
        return None if locale is None else ReadLocale(locale, None)

    def _normalise(self, field: FieldSpec, value: Any, current: Any) -> Any:
        if field.type == "group":
            merged = dict(current or {})
            if isinstance(value, Mapping):
                for sub in field.fields:
                    if sub.name in value:
                        merged[sub.name] = self._normalise(
                            sub, value[sub.name], merged.get(sub.name)
                        )
            for sub in field.fields:
                if sub.name not in merged:
                    merged[sub.name] = sub.default
            return merged
        if field.type == "array":
            rows = []
            for row in value or []:
                if not isinstance(row, Mapping):
                    continue
                clean = {"id": row.get("id") or object_id()}
                for sub in field.fields:
                    clean[sub.name] = self._normalise(sub, row.get(sub.name, sub.default), None)
                rows.append(clean)
            return rows
        if field.type == "relationship" and isinstance(value, Mapping):
            return value.get("id")
        if field.type == "number" and isinstance(value, str):
            try:
                return float(value) if "." in value else int(value)
            except ValueError:
                return value
        return value

    def _validate(self, spec: CollectionSpec, doc: Mapping[str, Any], doc_id: Any) -> None:
        entries: list[dict[str, Any]] = []
        for field in spec.fields:
            entries.extend(self._field_errors(field, doc.get(field.name), field.name))
        for field in spec.fields:
            value = doc.get(field.name)
            if field.unique and value not in (None, ""):
                holder = self._unique.get((spec.slug, field.name), {}).get(_hashable(value))
                if holder is not None and holder != doc_id:
                    entries.append(
                        {
                            "message": "Value must be unique",
                            "path": field.name,
                            "tableName": spec.table_name,
                        }
                    )
        if entries:
            raise _InvalidError(entries)

    def _field_errors(self, field: FieldSpec, value: Any, path: str) -> list[dict[str, Any]]:
        if field.required and value in (None, ""):
            return [{"label": field.display, "message": "This field is required.", "path": path}]
        if field.type == "select" and value not in (None, "") and value not in field.options:
            return [
                {
                    "label": field.display,
                    "message": "This field has an invalid selection.",
                    "path": path,
                }
            ]
        errors: list[dict[str, Any]] = []
        if field.type == "array":
            for i, row in enumerate(value or []):
                for sub in field.fields:
                    errors.extend(
                        self._field_errors(sub, row.get(sub.name), f"{path}.{i}.{sub.name}")
                    )
        if field.type == "group" and isinstance(value, Mapping):
            for sub in field.fields:
                errors.extend(self._field_errors(sub, value.get(sub.name), f"{path}.{sub.name}"))
        return errors

    def _invalid(
        self, spec: CollectionSpec, entries: list[dict[str, Any]], doc_id: Any
    ) -> FakeResponse:
        names = [e.get("label") or e["path"] for e in entries]
        plural = "fields are" if len(names) > 1 else "field is"
        data: dict[str, Any] = {"collection": spec.slug, "errors": entries}
        if doc_id is not None:
            data = {"id": doc_id, **data}
        return FakeResponse(
            400,
            {
                "errors": [
                    {
                        "name": "ValidationError",
                        "data": data,
                        "message": f"The following {plural} invalid: {', '.join(names)}",
                    }
                ]
            },
        )

    def _bulk(self, spec: CollectionSpec, request: FakeRequest, verb: str) -> FakeResponse:
        targets = self._query(spec, request.query)
        data = request.json() or {} if verb == "update" else {}
        done: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for doc in targets:
            if verb == "delete":
                self._store(spec, doc["id"], None)
                done.append(doc)
                continue
            try:
                done.append(self._update(spec, doc, data, locale=self._write_locale(request.query)))
            except _InvalidError as exc:
                names = [e.get("label") or e["path"] for e in exc.entries]
                errors.append(
                    {
                        "id": doc["id"],
                        "isPublic": True,
                        "message": f"The following field is invalid: {', '.join(names)}",
                    }
                )
        total = len(done) + len(errors)
        label = spec.singular if total == 1 else spec.plural
        past = "Updated" if verb == "update" else "Deleted"
        if errors:
            message = f"Unable to {verb} {len(errors)} out of {total} {spec.plural}."
        else:
            message = f"{past} {len(done)} {label} successfully."
        return FakeResponse(
            400 if errors else 200,
            {
                "docs": [self._format(spec, d, **self._read_args(request.query)) for d in done],
                "errors": errors,
                "message": message,
            },
        )

    # ================================================================ globals
    def _global(self, request: FakeRequest, slug: str, user: dict[str, Any] | None) -> FakeResponse:
        spec = self.global_specs.get(slug)
        if spec is None:
            return FakeResponse(404, {"message": f'Route not found "{request.path}"'})
        current = self._global_state(spec)
        if request.method == "GET":
            return FakeResponse(200, copy.deepcopy(current))
        if request.method == "POST":
            if user is None:
                return FORBIDDEN
            data = request.json() or {}
            for field in spec.fields:
                if field.name in data:
                    current[field.name] = data[field.name]
            current["updatedAt"] = self._clock.now()
            self._record_global(spec, current)
            return FakeResponse(
                200, {"message": "Global saved successfully.", "result": copy.deepcopy(current)}
            )
        return FakeResponse(404, {"message": f'Route not found "{request.path}"'})

    def _global_state(self, spec: GlobalSpec) -> dict[str, Any]:
        current = self._globals.get(spec.slug)
        if current is None:
            now = self._clock.now()
            current = {f.name: f.default for f in spec.fields}
            current.update({"globalType": spec.slug, "createdAt": now, "updatedAt": now})
            self._globals[spec.slug] = current
        return current

    # ================================================================ output
    def _format(
        self,
        spec: CollectionSpec,
        doc: Mapping[str, Any],
        *,
        depth: int,
        select: Mapping[str, Any] | None = None,
        read: ReadLocale | None = None,
    ) -> dict[str, Any]:
        if spec.auth:
            return self._user_view(doc, strategy=None)
        doc = self._view(spec, doc, read)
        out: dict[str, Any] = {"id": doc["id"]}
        for field in spec.fields:
            if select is not None and not _selected(select, field.name):
                continue
            if field.localized and field.name not in doc:  # not in this locale
                continue
            sub_select = select.get(field.name) if select is not None else None
            out[field.name] = self._format_value(
                field,
                doc.get(field.name),
                depth,
                sub_select if isinstance(sub_select, Mapping) else None,
                read,
            )
        if spec.upload:
            out.update({k: doc.get(k) for k in UPLOAD_FIELDS})
        if select is None or _selected(select, "updatedAt"):
            out["updatedAt"] = doc["updatedAt"]
        if select is None or _selected(select, "createdAt"):
            out["createdAt"] = doc["createdAt"]
        return out

    def _format_value(
        self,
        field: FieldSpec,
        value: Any,
        depth: int,
        select: Mapping[str, Any] | None,
        read: ReadLocale | None = None,
    ) -> Any:
        if field.type == "group":
            value = value or {}
            return {
                sub.name: self._format_value(sub, value.get(sub.name), depth, None, read)
                for sub in field.fields
                if (select is None or _selected(select, sub.name))
                and not (sub.localized and sub.name not in value)
            }
        if field.type == "array":
            return [
                {"id": row.get("id"), **{s.name: row.get(s.name) for s in field.fields}}
                for row in value or []
            ]
        if field.type == "relationship" and field.relation_to and value is not None:
            if depth <= 0:
                return value
            related = self._resolve(field.relation_to, value)
            if related is None:
                return value
            return self._format(self.specs[field.relation_to], related, depth=depth - 1, read=read)
        return copy.deepcopy(value)


UPLOAD_FIELDS = (
    "filename",
    "mimeType",
    "filesize",
    "width",
    "height",
    "focalX",
    "focalY",
    "url",
    "thumbnailURL",
)


def _bad_upload(exc: UploadError) -> FakeResponse:
    return FakeResponse(400, {"errors": [{"message": str(exc)}]})


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value


def _selected(select: Mapping[str, Any], name: str) -> bool:
    value = select.get(name)
    return value not in (None, False, "false")


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _sort_by(name: str) -> Callable[[Mapping[str, Any]], tuple[int, Any]]:
    return lambda doc: _sort_key(doc.get(name))


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, bool | int | float):
        return (1, value)
    return (2, str(value))


def _camel(fields: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in fields.items():
        head, *tail = key.split("_")
        out[head + "".join(t[:1].upper() + t[1:] for t in tail)] = value
    return out


def _fake_jwt(claims: Mapping[str, Any]) -> str:
    def part(data: Mapping[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{secrets.token_urlsafe(32)}"
