"""What Payload 3.90 answers, held for the fake and the real server alike."""

from __future__ import annotations

from typing import Any

import pytest

from medusa_payload import Where
from medusa_payload.errors import BadRequestError, NotFoundError
from tests.contract.conftest import Target

PAGE_KEYS = {
    "docs",
    "hasNextPage",
    "hasPrevPage",
    "limit",
    "nextPage",
    "page",
    "pagingCounter",
    "prevPage",
    "totalDocs",
    "totalPages",
}


def _find(target: Target, collection: str, query: str) -> dict[str, Any]:
    r = target.payload_http.get(f"/api/{collection}?{query}")
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_find_shape_and_empty_result(target: Target) -> None:
    body = _find(target, "product-content", "where[handle][equals]=live-tee&depth=0")
    assert set(body) == PAGE_KEYS
    assert (body["totalDocs"], body["limit"], body["page"], body["totalPages"]) == (1, 10, 1, 1)
    doc = body["docs"][0]
    assert next(iter(doc)) == "id"
    assert isinstance(doc["id"], int)
    assert {
        "handle",
        "title",
        "features",
        "specs",
        "seo",
        "status",
        "createdAt",
        "updatedAt",
    } <= set(doc)
    empty = _find(target, "product-content", "where[handle][equals]=nothing-here")
    assert {k: empty[k] for k in ("docs", "totalDocs", "totalPages", "page", "hasNextPage")} == {
        "docs": [],
        "totalDocs": 0,
        "totalPages": 1,
        "page": 1,
        "hasNextPage": False,
    }


def test_find_by_id(target: Target) -> None:
    listed = _find(target, "product-content", "where[handle][equals]=live-tee")["docs"]
    assert len(listed) == 1
    doc_id = listed[0]["id"]
    r = target.payload_http.get(f"/api/product-content/{doc_id}")
    assert r.status_code == 200
    assert r.json() == listed[0]  # the document itself, not wrapped, same as in a find
    depth0 = target.payload_http.get(f"/api/product-content/{doc_id}?depth=0")
    assert depth0.json() == listed[0]
    selected = target.payload_http.get(f"/api/product-content/{doc_id}?select[handle]=true")
    assert selected.json() == {"id": doc_id, "handle": "live-tee"}
    for collection in ("product-content", "pages"):
        missing = target.payload_http.get(f"/api/{collection}/987654321")
        assert (missing.status_code, missing.json()) == (
            404,
            {"errors": [{"message": "Not Found"}]},
        )
    sdk = target.payload.find_by_id("product-content", doc_id)
    assert (sdk.id, sdk.handle) == (doc_id, "live-tee")
    with pytest.raises(NotFoundError):
        target.payload.find_by_id("product-content", 987654321)


def test_create_201_and_doc_defaults(target: Target) -> None:
    handle = target.unique("c-create")
    r = target.payload_http.post(
        "/api/product-content",
        json={"handle": handle, "title": "T", "seo": {"title": "S"}, "unknownField": 1},
        headers=target.payload_headers,
    )
    assert r.status_code == 201
    body = r.json()
    assert body["message"] == "Product Content successfully created."
    doc = body["doc"]
    target.cleanup.append(("product-content", str(doc["id"])))
    assert doc["status"] == "draft"  # select default
    assert doc["richDescription"] is None
    assert doc["medusaProductId"] is None
    assert doc["features"] == []
    assert doc["seo"] == {"title": "S", "description": None, "keywords": None}
    assert "unknownField" not in doc


def test_writes_need_auth(target: Target) -> None:
    r = target.payload_http.post("/api/product-content", json={"handle": "x", "title": "x"})
    assert (r.status_code, r.json()) == (
        403,
        {"errors": [{"message": "You are not allowed to perform this action."}]},
    )
    assert target.payload_http.get("/api/users").status_code == 403
    anonymous = target.payload_http.get("/api/users/me").json()
    assert anonymous == {"user": None, "message": "Account"}
    me = target.payload_http.get("/api/users/me", headers=target.payload_headers).json()
    assert (me["user"]["email"], me["collection"], me["strategy"]) == (
        target.payload_email,
        "users",
        "api-key",
    )


def test_validation_errors_have_field_paths(target: Target) -> None:
    r = target.payload_http.post(
        "/api/product-content", json={"title": "no handle"}, headers=target.payload_headers
    )
    assert r.status_code == 400
    error = r.json()["errors"][0]
    assert error["message"] == "The following field is invalid: Handle"
    assert error["data"]["collection"] == "product-content"
    assert error["data"]["errors"] == [
        {"label": "Handle", "message": "This field is required.", "path": "handle"}
    ]
    handle = target.unique("c-dup")
    target.create_doc("product-content", {"handle": handle, "title": "one"})
    dup = target.payload_http.post(
        "/api/product-content",
        json={"handle": handle, "title": "two"},
        headers=target.payload_headers,
    )
    assert dup.status_code == 400
    entry = dup.json()["errors"][0]["data"]["errors"][0]
    assert (entry["path"], entry["message"]) == ("handle", "Value must be unique")
    doc = target.create_doc("product-content", {"handle": target.unique("c-sel"), "title": "t"})
    bad = target.payload_http.patch(
        f"/api/product-content/{doc['id']}",
        json={"status": "bogus"},
        headers=target.payload_headers,
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["data"]["errors"] == [
        {"label": "Status", "message": "This field has an invalid selection.", "path": "status"}
    ]


def test_where_operators(target: Target) -> None:
    tag = target.unique("c-where")
    docs = [
        target.create_doc(
            "product-content",
            {
                "handle": f"{tag}-{i}, [x] & ü",
                "title": f"Alpha Beta {i}",
                "medusaProductId": f"{tag}-p{i}" if i else None,
                "status": "published" if i % 2 == 0 else "draft",
            },
        )
        for i in range(4)
    ]
    ids = [d["id"] for d in docs]
    mine = Where.contains("handle", tag)

    def find(where: Where | dict[str, Any]) -> list[int]:
        page = target.payload.find("product-content", where=where, sort="id", pagination=False)
        return [int(d.id) for d in page.items]

    assert find(mine) == ids
    assert find(mine & Where.equals("handle", docs[2]["handle"])) == [ids[2]]
    assert find(mine & Where.not_equals("status", "draft")) == [ids[0], ids[2]]
    assert find(Where.in_("medusaProductId", [f"{tag}-p1", f"{tag}-p3"])) == [ids[1], ids[3]]
    assert find(mine & Where.not_in("id", ids[:2])) == ids[2:]
    assert find(mine & Where.exists("medusaProductId", False)) == [ids[0]]
    assert find(mine & Where.exists("medusaProductId")) == ids[1:]
    assert find(mine & Where.like("title", "beta ALPHA")) == ids
    assert find(mine & Where.greater_than("id", ids[1])) == ids[2:]
    assert find(mine & Where.less_than_equal("id", ids[1])) == ids[:2]
    either = Where.or_(Where.equals("id", ids[0]), Where.equals("id", ids[3]))
    assert find(mine & either) == [ids[0], ids[3]]
    comma = _find(target, "product-content", f"where[medusaProductId][in]={tag}-p1,{tag}-p2")
    assert sorted(d["id"] for d in comma["docs"]) == [ids[1], ids[2]]
    bad = target.payload_http.get("/api/product-content?where[nope][equals]=1")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["message"] == "The following path cannot be queried: nope"


def test_relationship_depth_and_dotted_paths(target: Target) -> None:
    flat = _find(target, "pages", "where[slug][equals]=about&where[tenant][equals]=acme&depth=0")
    deep = _find(target, "pages", "where[slug][equals]=about&where[tenant][equals]=acme&depth=1")
    assert isinstance(flat["docs"][0]["store"], int)
    assert deep["docs"][0]["store"]["handle"] == "acme"
    assert deep["docs"][0]["store"]["branding"]["primaryColor"] == "#112233"
    by_store = _find(target, "pages", "where[store.handle][equals]=acme&depth=0")
    assert [d["slug"] for d in by_store["docs"]] == ["about"]
    group = _find(target, "product-content", "where[seo.title][equals]=Live%20Tee%20%7C%20Acme")
    assert [d["handle"] for d in group["docs"]] == ["live-tee"]


def test_pagination_sort_select_count(target: Target) -> None:
    tag = target.unique("c-page")
    ids = [
        target.create_doc("product-content", {"handle": f"{tag}-{i}", "title": f"T{i}"})["id"]
        for i in range(5)
    ]
    q = f"where[handle][contains]={tag}"
    first = _find(target, "product-content", f"{q}&limit=2&sort=title")
    assert [d["id"] for d in first["docs"]] == ids[:2]
    assert (first["totalDocs"], first["totalPages"], first["hasNextPage"], first["nextPage"]) == (
        5,
        3,
        True,
        2,
    )
    last = _find(target, "product-content", f"{q}&limit=2&page=3&sort=title")
    assert [d["id"] for d in last["docs"]] == ids[4:]
    assert (last["hasNextPage"], last["prevPage"], last["pagingCounter"]) == (False, 2, 5)
    newest = _find(target, "product-content", q)  # default sort: newest first
    assert [d["id"] for d in newest["docs"]] == list(reversed(ids))
    everything = _find(target, "product-content", f"{q}&pagination=false")
    assert (len(everything["docs"]), everything["limit"], everything["totalPages"]) == (5, 0, 1)
    selected = _find(target, "product-content", f"{q}&select[title]=true&limit=1")
    assert set(selected["docs"][0]) == {"id", "title"}
    count = target.payload_http.get(f"/api/product-content/count?{q}").json()
    assert count == {"totalDocs": 5}


def test_update_group_merge_and_bulk_partial_failure(target: Target) -> None:
    tag = target.unique("c-bulk")
    a = target.create_doc(
        "product-content",
        {"handle": f"{tag}-a", "title": "A", "seo": {"title": "t", "keywords": "k"}},
    )
    b = target.create_doc("product-content", {"handle": f"{tag}-b", "title": "B"})
    patched = target.payload_http.patch(
        f"/api/product-content/{a['id']}",
        json={"seo": {"title": "t2"}},
        headers=target.payload_headers,
    )
    assert patched.json()["message"] == "Updated successfully."
    assert patched.json()["doc"]["seo"] == {"title": "t2", "description": None, "keywords": "k"}
    ok = target.payload_http.patch(
        f"/api/product-content?where[handle][contains]={tag}",
        json={"description": "d"},
        headers=target.payload_headers,
    )
    assert ok.status_code == 200
    assert ok.json()["errors"] == []
    assert ok.json()["message"] == "Updated 2 Product Contents successfully."
    clash = target.payload_http.patch(
        f"/api/product-content?where[id][in][0]={a['id']}&where[id][in][1]={b['id']}",
        json={"handle": f"{tag}-same"},
        headers=target.payload_headers,
    )
    assert clash.status_code == 400
    body = clash.json()
    assert len(body["docs"]) == 1
    assert len(body["errors"]) == 1
    assert body["errors"][0]["isPublic"] is True
    assert body["message"] == "Unable to update 1 out of 2 Product Contents."


def test_delete_by_id_and_where(target: Target) -> None:
    tag = target.unique("c-del")
    one = target.create_doc("product-content", {"handle": f"{tag}-1", "title": "x"})
    target.create_doc("product-content", {"handle": f"{tag}-2", "title": "x"})
    r = target.payload_http.delete(
        f"/api/product-content/{one['id']}", headers=target.payload_headers
    )
    assert (r.status_code, r.json()["message"], r.json()["doc"]["id"]) == (
        200,
        "Deleted successfully.",
        one["id"],
    )
    gone = target.payload_http.get(f"/api/product-content/{one['id']}")
    assert (gone.status_code, gone.json()) == (404, {"errors": [{"message": "Not Found"}]})
    bulk = target.payload_http.delete(
        f"/api/product-content?where[handle][contains]={tag}", headers=target.payload_headers
    )
    assert bulk.status_code == 200
    assert len(bulk.json()["docs"]) == 1
    assert bulk.json()["message"] == "Deleted 1 Product Content successfully."


def test_bulk_write_without_where_is_refused_and_writes_nothing(target: Target) -> None:
    doc = target.create_doc("product-content", {"handle": target.unique("c-nowhere"), "title": "t"})
    refused = (400, {"errors": [{"message": "An unknown error occurred."}]})
    for headers in (target.payload_headers, {}):
        r = target.payload_http.delete("/api/product-content?depth=0", headers=headers)
        assert (r.status_code, r.json()) == refused
        r = target.payload_http.patch(
            "/api/product-content", json={"title": "everyone"}, headers=headers
        )
        assert (r.status_code, r.json()) == refused
    kept = target.payload_http.get(f"/api/product-content/{doc['id']}?depth=0")
    assert (kept.status_code, kept.json()["title"]) == (200, "t")


def test_login_and_method_override(target: Target) -> None:
    bad = target.payload_http.post(
        "/api/users/login", json={"email": target.payload_email, "password": "wrong"}
    )
    assert (bad.status_code, bad.json()) == (
        401,
        {"errors": [{"message": "The email or password provided is incorrect."}]},
    )
    good = target.payload_http.post(
        "/api/users/login",
        json={"email": target.payload_email, "password": target.payload_password},
    ).json()
    assert good["message"] == "Authentication Passed"
    assert good["user"]["email"] == target.payload_email
    me = target.payload_http.get("/api/users/me", headers={"authorization": f"JWT {good['token']}"})
    assert me.json()["user"]["email"] == target.payload_email
    # Login also sets the token as a cookie, which authenticates on its own (why our clients
    # keep no cookies: see tests/payload/test_client.py::test_logout_leaves_no_session_behind).
    login = target.payload_http.post(
        "/api/users/login",
        json={"email": target.payload_email, "password": target.payload_password},
    )
    cookie = login.headers["set-cookie"]
    assert cookie.startswith(f"payload-token={login.json()['token']};")
    assert "HttpOnly" in cookie and "Path=/" in cookie
    by_cookie = target.payload_http.get(
        "/api/users/me", headers={"cookie": f"payload-token={login.json()['token']}"}
    )
    assert by_cookie.json()["user"]["email"] == target.payload_email
    target.payload_http.cookies.clear()  # this raw client keeps cookies: leave it anonymous
    override = target.payload_http.post(
        "/api/product-content",
        content=b"where[handle][equals]=live-tee&depth=0",
        headers={
            "x-payload-http-method-override": "GET",
            "content-type": "application/x-www-form-urlencoded",
        },
    )
    assert override.status_code == 200
    assert [d["handle"] for d in override.json()["docs"]] == ["live-tee"]


def test_unknown_routes(target: Target) -> None:
    r = target.payload_http.get("/api/no-such-collection")
    assert (r.status_code, r.json()) == (
        404,
        {"message": 'Route not found "/api/no-such-collection"'},
    )


def test_a_hostile_where_path_arrives_as_one_field_path(target: Target) -> None:
    with pytest.raises(BadRequestError) as info:
        target.payload.find("product-content", where=Where.equals("a&depth=9", "x"))
    assert info.value.errors[0]["data"] == [{"path": "a&depth=9"}]
    assert info.value.message == "The following path cannot be queried: a&depth=9"


def test_versions_drafts_and_restore_shapes(target: Target) -> None:
    h = target.payload_headers
    created = target.payload_http.post(
        "/api/articles?draft=true&depth=0",
        json={"slug": target.unique("c-article")},  # a draft may lack required fields
        headers=h,
    )
    assert created.status_code == 201, created.text
    doc = created.json()["doc"]
    target.cleanup.append(("articles", str(doc["id"])))
    assert doc["_status"] == "draft"
    saved = target.payload_http.patch(
        f"/api/articles/{doc['id']}?draft=true&depth=0", json={"title": "D"}, headers=h
    )
    assert saved.json()["message"] == "Draft saved successfully."
    listed = target.payload_http.get(
        f"/api/articles/versions?where[parent][equals]={doc['id']}&depth=0", headers=h
    ).json()
    assert set(listed) == PAGE_KEYS
    entry = listed["docs"][0]
    # (with localization on, as on the stack, a drafts collection's versions carry two more)
    assert set(entry) == {
        "id",
        "parent",
        "version",
        "createdAt",
        "updatedAt",
        "latest",
        "snapshot",
        "publishedLocale",
    }
    assert (entry["snapshot"], entry["publishedLocale"]) == (None, None)
    assert "id" not in entry["version"]
    assert (entry["parent"], entry["latest"], entry["version"]["title"]) == (doc["id"], True, "D")
    # Restoring validates: the first draft has no title.
    invalid = target.payload_http.post(
        f"/api/articles/versions/{listed['docs'][1]['id']}?depth=0", headers=h
    )
    assert invalid.status_code == 400
    error = invalid.json()["errors"][0]
    assert error["message"] == "The following field is invalid: Title"
    assert error["data"]["errors"][0]["path"] == "title"
    restored = target.payload_http.post(
        f"/api/articles/versions/{entry['id']}?depth=0", headers=h
    ).json()
    assert restored["message"] == "Restored Successfully."
    assert (restored["id"], restored["title"], restored["_status"]) == (doc["id"], "D", "draft")
    anonymous = target.payload_http.get("/api/articles/versions")
    assert anonymous.status_code == 403


def test_upload_doc_shape_and_file_route(target: Target) -> None:
    name = target.unique("c-file") + ".txt"
    r = target.payload_http.post(
        "/api/media?depth=0",
        files={"file": (name, b"hello", "text/plain")},
        data={"_payload": '{"alt": "A"}'},
        headers=target.payload_headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["message"] == "Media successfully created."
    doc = body["doc"]
    target.cleanup.append(("media", str(doc["id"])))
    assert {k: doc[k] for k in ("alt", "filename", "mimeType", "filesize", "url", "width")} == {
        "alt": "A",
        "filename": name,
        "mimeType": "text/plain",
        "filesize": 5,
        "url": f"/api/media/file/{name}",
        "width": None,
    }
    served = target.payload_http.get(doc["url"])
    assert (served.status_code, served.content) == (200, b"hello")
    empty = target.payload_http.post(
        "/api/media", json={"alt": "x"}, headers=target.payload_headers
    )
    assert (empty.status_code, empty.json()) == (
        400,
        {"errors": [{"message": "No files were uploaded."}]},
    )
