"""What editors do on the fake Payload: drafts, versions (collections and globals), uploads.

A base of `FakePayload`, kept apart so the core fake stays about documents and queries.
Faithful to Payload 3.90: a drafts-enabled collection saves a version on every write; a draft
save (``?draft=true``) skips validation and leaves the document itself alone; reads with
``draft=true`` see the newest version; version routes need a user; restoring makes a version
the document again (as a new version); uploads are ``multipart/form-data`` with the fields as
JSON in ``_payload`` and the file in ``file``, served back at ``/api/<slug>/file/<name>``.
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ._common import MonotonicClock
from ._payload_schema import CollectionSpec, GlobalSpec, InvalidError
from ._payload_uploads import UploadError, file_fields, parse_multipart, unique_filename
from ._payload_versions import VersionLog, versions_spec
from ._transport import FakeRequest, FakeResponse
from ._where_eval import matches

__all__ = ["AUTH_FLOW_ROUTES", "EditorRoutes", "is_draft"]

AUTH_FLOW_ROUTES = frozenset(
    {"refresh-token", "forgot-password", "reset-password", "verify", "unlock"}
)
#: What Payload 3.90 answers a bad reset or verification token (an unhandled error: 500).
RESTORED = "Restored Successfully."
UNKNOWN_ERROR = FakeResponse(500, {"errors": [{"message": "An unknown error occurred."}]})

FORBIDDEN = FakeResponse(
    403, {"errors": [{"message": "You are not allowed to perform this action."}]}
)
NOT_FOUND = FakeResponse(404, {"errors": [{"message": "Not Found"}]})


def is_draft(query: Mapping[str, Any]) -> bool:
    """Whether a request asks for drafts (``?draft=true``)."""
    return str(query.get("draft", "")).lower() == "true"


class EditorRoutes:
    """Drafts, versions and uploads of `FakePayload` (which provides the document store)."""

    specs: dict[str, CollectionSpec]
    global_specs: dict[str, GlobalSpec]
    _docs: dict[str, dict[int, dict[str, Any]]]
    _globals: dict[str, dict[str, Any]]
    _clock: MonotonicClock
    api_prefix: list[str]
    _resolve: Callable[[str, Any], dict[str, Any] | None]
    _format: Callable[..., dict[str, Any]]
    _depth: Callable[[Mapping[str, Any]], int]
    _passwords: dict[int, str]
    _tokens: dict[str, int]
    _mint_token: Callable[[Mapping[str, Any]], tuple[str, int]]
    _user_view: Callable[..., dict[str, Any]]
    _validate: Callable[[CollectionSpec, Mapping[str, Any], Any], None]
    _invalid: Callable[[CollectionSpec, list[dict[str, Any]], Any], FakeResponse]
    _store: Callable[[CollectionSpec, int, dict[str, Any] | None], None]
    _paginate: Callable[[list[dict[str, Any]], Mapping[str, Any], Callable[..., Any]], FakeResponse]

    def _init_editors(self) -> None:
        localized = getattr(self, "localization", None) is not None
        self._versions = {
            s.slug: VersionLog(self._clock, localized_drafts=localized and s.drafts)
            for s in self.specs.values()
            if s.versioned
        }
        self._global_versions = {
            g.slug: VersionLog(self._clock) for g in self.global_specs.values() if g.versions
        }
        self._files: dict[tuple[str, str], tuple[bytes, str]] = {}
        self._reset_tokens: dict[str, int] = {}
        self._verify_tokens: dict[str, int] = {}

    # ---- auth flow ---------------------------------------------------------------------
    def reset_token(self, email: str) -> str | None:
        """The token of the newest password-reset email sent to ``email`` (as a test reads
        its mailbox), or ``None``."""
        user = self._user_by_email(email)
        tokens = [t for t, uid in self._reset_tokens.items() if user and uid == user["id"]]
        return tokens[-1] if tokens else None

    def verification_token(self, email: str) -> str:
        """Start a verification of ``email`` and return the token its email would carry."""
        user = self._user_by_email(email)
        if user is None:
            raise KeyError(email)
        token = secrets.token_hex(20)
        self._verify_tokens[token] = int(user["id"])
        user["_verified"] = False
        return token

    def _user_by_email(self, email: str) -> dict[str, Any] | None:
        return next((u for u in self._docs["users"].values() if u.get("email") == email), None)

    def _auth_flow(
        self, request: FakeRequest, rest: list[str], user: dict[str, Any] | None
    ) -> FakeResponse:
        route = rest[0]
        body = request.json() if request.body else {}
        body = body if isinstance(body, Mapping) else {}
        if route == "refresh-token":
            jwt_user = (
                user
                if user is not None
                and not request.headers.get("authorization", "").count(" API-Key ")
                else None
            )
            if jwt_user is None:
                return FORBIDDEN
            token, exp = self._mint_token(jwt_user)
            view = self._user_view(jwt_user, strategy="local-jwt")
            return FakeResponse(
                200,
                {
                    "message": "Token refresh successful.",
                    "exp": exp,
                    "refreshedToken": token,
                    "user": view,
                },
            )
        if route == "forgot-password":
            target = self._user_by_email(str(body.get("email", "")))
            if target is not None:
                self._reset_tokens[secrets.token_hex(20)] = int(target["id"])
            return FakeResponse(200, {"message": "Success"})
        if route == "reset-password":
            user_id = self._reset_tokens.pop(str(body.get("token", "")), None)
            target = self._docs["users"].get(user_id) if user_id is not None else None
            if target is None:
                return UNKNOWN_ERROR
            self._passwords[user_id] = str(body.get("password", ""))  # type: ignore[index]
            token, _ = self._mint_token(target)
            return FakeResponse(
                200,
                {
                    "message": "Password reset successfully.",
                    "token": token,
                    "user": self._user_view(target, strategy=None),
                },
            )
        if route == "verify" and len(rest) == 2:
            user_id = self._verify_tokens.pop(rest[1], None)
            if user_id is None:
                return UNKNOWN_ERROR
            self._docs["users"][user_id]["_verified"] = True
            return FakeResponse(200, {"message": "Email verified successfully."})
        if route == "unlock":
            if user is None:
                return FORBIDDEN
            return FakeResponse(200, {"message": "Success"})
        return FakeResponse(404, {"message": f'Route not found "{request.path}"'})

    # ---- writes of versioned / upload collections -----------------------------------
    def _write_data(self, spec: CollectionSpec, request: FakeRequest) -> dict[str, Any]:
        """The fields a create or update carries: JSON, or multipart with a file to store.

        Raises:
            UploadError: a multipart body without ``file`` on create is answered 400 upstream.
        """
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            body = request.json() or {}
            return dict(body) if isinstance(body, Mapping) else {}
        data, file = parse_multipart(content_type, request.body)
        if file is not None:
            if not spec.upload:
                raise UploadError(f"{spec.slug} is not an upload collection")
            name, content, mime = file
            taken = {n for (slug, n) in self._files if slug == spec.slug}
            name = unique_filename(name, taken)
            self._files[(spec.slug, name)] = (content, mime)
            prefix = "/" + "/".join(self.api_prefix) if self.api_prefix else ""
            data.update(file_fields(prefix, spec.slug, name, content, mime))
        return data

    def _after_write(self, spec: CollectionSpec, doc: Mapping[str, Any]) -> None:
        if spec.slug in self._versions:
            self._versions[spec.slug].record(int(doc["id"]), doc)

    def _draft_update(
        self, spec: CollectionSpec, doc: Mapping[str, Any], data: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Save ``data`` as a new draft version of ``doc``; the document itself is unchanged."""
        log = self._versions[spec.slug]
        latest = log.latest(int(doc["id"]))
        state = {"id": doc["id"], **(VersionLog.state(latest) if latest else copy.deepcopy(doc))}
        for field in spec.fields:
            if field.name in data:
                state[field.name] = copy.deepcopy(data[field.name])
        state["_status"] = "draft"
        state["createdAt"] = doc["createdAt"]
        state["updatedAt"] = self._clock.now()
        log.record(int(doc["id"]), state)
        return state

    def _draft_view(self, spec: CollectionSpec, doc: dict[str, Any]) -> dict[str, Any]:
        """What ``draft=true`` reads: the newest version, if any, else the document."""
        log = self._versions.get(spec.slug)
        latest = log.latest(int(doc["id"])) if log else None
        if latest is None:
            return doc
        return {"id": doc["id"], **copy.deepcopy(latest["version"])}

    def _drop_versions(self, spec: CollectionSpec, doc_id: int) -> None:
        if spec.slug in self._versions:
            self._versions[spec.slug].drop(doc_id)

    # ---- routes ------------------------------------------------------------------------
    def _file_route(self, spec: CollectionSpec, filename: str) -> FakeResponse:
        stored = self._files.get((spec.slug, filename))
        if stored is None:
            return NOT_FOUND
        content, mime = stored
        return FakeResponse(200, content, headers={"content-type": mime})

    def _versions_route(
        self,
        request: FakeRequest,
        log: VersionLog,
        vspec: CollectionSpec,
        rest: list[str],
        user: dict[str, Any] | None,
        restore: Callable[[dict[str, Any], int], FakeResponse],
    ) -> FakeResponse:
        """``GET versions``, ``GET versions/<id>``, ``POST versions/<id>`` (restore)."""
        if user is None:
            return FORBIDDEN
        depth = self._depth(request.query)
        if not rest and request.method == "GET":
            where = request.query.get("where") or {}
            entries = [
                e
                for e in log.entries()
                if not isinstance(where, Mapping)
                or matches(e, where, vspec, self.specs, self._resolve)
            ]
            sort = str(request.query.get("sort") or "-createdAt")
            key = sort.lstrip("-")
            entries.sort(key=lambda e: str(e.get(key)), reverse=sort.startswith("-"))
            return self._paginate(entries, request.query, lambda e: self._version_view(e))
        if len(rest) == 1:
            entry = log.get(rest[0])
            if entry is None:
                return NOT_FOUND
            if request.method == "GET":
                return FakeResponse(200, self._version_view(entry))
            if request.method == "POST":
                return restore(entry, depth)
        return FakeResponse(404, {"message": f'Route not found "{request.path}"'})

    def _version_view(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        return copy.deepcopy(dict(entry))

    def _collection_versions(
        self, request: FakeRequest, spec: CollectionSpec, rest: list[str], user: Any
    ) -> FakeResponse:
        def restore(entry: dict[str, Any], depth: int) -> FakeResponse:
            doc = self._docs[spec.slug].get(int(entry["parent"]))
            if doc is None:
                return NOT_FOUND
            try:
                restored = self._restore_doc(spec, doc, VersionLog.state(entry))
            except InvalidError as exc:
                return self._invalid(spec, exc.entries, doc["id"])
            # Payload 3.90 answers the document itself with the message beside its fields.
            body = {**self._format(spec, restored, depth=depth), "message": RESTORED}
            return FakeResponse(200, body)

        vspec = versions_spec(spec.slug, spec.fields)
        return self._versions_route(request, self._versions[spec.slug], vspec, rest, user, restore)

    def _restore_doc(
        self, spec: CollectionSpec, doc: dict[str, Any], state: Mapping[str, Any]
    ) -> dict[str, Any]:
        restored = copy.deepcopy(doc)
        for field in spec.fields:
            if field.name in state:
                restored[field.name] = copy.deepcopy(state[field.name])
        self._validate(spec, restored, doc["id"])  # restoring validates, even a draft
        restored["updatedAt"] = self._clock.now()
        self._store(spec, int(doc["id"]), restored)
        self._after_write(spec, restored)
        return restored

    def _global_versions_route(
        self, request: FakeRequest, spec: GlobalSpec, rest: list[str], user: Any
    ) -> FakeResponse:
        log = self._global_versions.get(spec.slug)
        if log is None:
            return FakeResponse(404, {"message": f'Route not found "{request.path}"'})

        def restore(entry: dict[str, Any], depth: int) -> FakeResponse:
            current = self._globals[spec.slug]
            current.update(VersionLog.state(entry))
            current["updatedAt"] = self._clock.now()
            # Here Payload answers the new version entry, not the global.
            created = log.record(None, current)
            return FakeResponse(200, {"doc": copy.deepcopy(created), "message": RESTORED})

        vspec = versions_spec(spec.slug, spec.fields)
        return self._versions_route(request, log, vspec, rest, user, restore)

    def _record_global(self, spec: GlobalSpec, current: Mapping[str, Any]) -> None:
        if spec.slug in self._global_versions:
            self._global_versions[spec.slug].record(None, current)

    def stored_files(self, collection: str) -> Iterable[str]:
        """The names of the files stored in an upload collection."""
        return [name for (slug, name) in self._files if slug == collection]
