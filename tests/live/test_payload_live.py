"""Every public method of PayloadClient / AsyncPayloadClient against a real Payload 3.90.2."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from medusa_payload import AsyncPayloadClient, PayloadClient, Where
from medusa_payload.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    InvalidArgumentError,
    InvalidPathSegmentError,
    NotFoundError,
    PartialFailureError,
    PermissionDeniedError,
)
from medusa_payload.payload import CmsPage, MediaDocument, ProductContent, Store
from tests.live._env import env_file
from tests.payload.test_editors import tiny_png

pytestmark = pytest.mark.live


@pytest.fixture
def docs(payload: PayloadClient, unique: str) -> Iterator[list[ProductContent]]:
    """Five product-content docs of this test (handles with special characters), removed after."""
    created = [
        payload.create(
            "product-content",
            {
                "handle": f"live-{unique}-{i}, [ü] & =?",
                "title": f"Doc {i}",
                "medusaProductId": f"prod_{unique}_{i}",
                "features": [{"title": f"f{i}"}],
                "seo": {"title": f"seo {i}"},
                "status": "published" if i % 2 == 0 else "draft",
            },
            model=ProductContent,
        )
        for i in range(5)
    ]
    yield created
    payload.delete_where("product-content", Where.contains("handle", f"live-{unique}-"))


def test_find_where_special_characters_and_models(
    payload: PayloadClient, docs: list[ProductContent]
) -> None:
    target = docs[2]
    page = payload.find(
        "product-content", where=Where.equals("handle", target.handle), model=ProductContent
    )
    assert [d.id for d in page.items] == [target.id]
    found = page.items[0]
    assert found.handle == target.handle
    assert found.is_published
    assert found.features and found.features[0].title == "f2"
    ids = [d.medusa_product_id for d in docs[:3]]
    by_ids = payload.find(
        "product-content", where=Where.in_("medusaProductId", ids), sort="medusaProductId"
    )
    assert [d.id for d in by_ids.items] == [d.id for d in docs[:3]]


def test_pagination_sort_select_count(
    payload: PayloadClient, docs: list[ProductContent], unique: str
) -> None:
    mine = Where.contains("handle", f"live-{unique}-")
    assert payload.count("product-content", where=mine) == 5
    assert payload.count("product-content", where=mine & Where.equals("status", "draft")) == 2
    page = payload.find("product-content", where=mine, limit=2, sort="-title", model=ProductContent)
    assert (page.count, page.total_pages, len(page.items)) == (5, 3, 2)
    assert page.has_next_page()
    titles = [d.title for d in page]
    assert titles == ["Doc 4", "Doc 3", "Doc 2", "Doc 1", "Doc 0"]
    second = payload.find("product-content", where=mine, limit=2, page=2, sort="title")
    assert [d.id for d in second.items] == [docs[2].id, docs[3].id]
    selected = payload.find(
        "product-content", where=mine, select=["title"], limit=1, model=ProductContent
    )
    assert selected.items[0].title is not None
    assert selected.items[0].handle is None  # not selected
    everything = payload.find("product-content", where=mine, pagination=False)
    assert len(everything.items) == 5


def test_long_in_list_goes_through_method_override(
    payload: PayloadClient, docs: list[ProductContent]
) -> None:
    ids = [f"prod_padding_{i:030d}" for i in range(400)] + [docs[4].medusa_product_id]
    page = payload.find("product-content", where=Where.in_("medusaProductId", ids))
    assert [d.id for d in page.items] == [docs[4].id]


def test_find_by_id_depth_and_not_found(payload: PayloadClient, docs: list[ProductContent]) -> None:
    doc = payload.find_by_id("product-content", docs[0].id, model=ProductContent)
    assert doc.title == "Doc 0"
    with pytest.raises(NotFoundError):
        payload.find_by_id("product-content", 987654321)
    acme = Where.equals("slug", "about") & Where.equals("tenant", "acme")
    flat = payload.find("pages", where=acme, model=CmsPage)
    deep = payload.find("pages", where=acme, depth=1, model=CmsPage)
    assert isinstance(flat.items[0].store, int | str)
    assert isinstance(deep.items[0].store, Store)


def test_update_by_id_update_where_and_partial_failure(
    payload: PayloadClient, docs: list[ProductContent], unique: str
) -> None:
    updated = payload.update_by_id(
        "product-content", docs[1].id, {"status": "published"}, model=ProductContent
    )
    assert updated.is_published
    mine = Where.contains("handle", f"live-{unique}-")
    result = payload.update_where("product-content", mine, {"seo": {"keywords": "k"}})
    assert result.ok
    assert len(result.docs) == 5
    # Two docs cannot share a unique handle: one write succeeds, one fails, and we are told.
    pair = Where.in_("id", [docs[3].id, docs[4].id])
    with pytest.raises(PartialFailureError) as info:
        payload.update_where("product-content", pair, {"handle": f"live-{unique}-same"})
    assert len(info.value.docs) == 1
    assert len(info.value.errors) == 1


def test_validation_error_and_forbidden(payload: PayloadClient, live_env: dict[str, str]) -> None:
    with pytest.raises(BadRequestError) as info:
        payload.create("product-content", {"title": "no handle"})
    assert [f.path for f in info.value.field_errors] == ["handle"]
    with pytest.raises(BadRequestError) as info:
        payload.find("product-content", where=Where.equals("no_such_field", 1))
    assert "cannot be queried" in info.value.message
    with PayloadClient(live_env["PAYLOAD_URL"]) as anonymous:
        assert anonymous.count("pages") >= 1  # reads are public
        with pytest.raises(PermissionDeniedError):
            anonymous.create("product-content", {"handle": "x", "title": "x"})
        assert anonymous.me().user is None
    with PayloadClient(live_env["PAYLOAD_URL"], api_key="wrong-key") as wrong:
        assert wrong.me().user is None
        with pytest.raises(PermissionDeniedError):
            wrong.create("product-content", {"handle": "x", "title": "x"})


def test_delete_by_id_and_delete_where(payload: PayloadClient, unique: str) -> None:
    one = payload.create("product-content", {"handle": f"del-{unique}-1", "title": "d"})
    two = payload.create("product-content", {"handle": f"del-{unique}-2", "title": "d"})
    deleted = payload.delete_by_id("product-content", one.id)
    assert deleted.id == one.id
    with pytest.raises(NotFoundError):
        payload.delete_by_id("product-content", one.id)
    result = payload.delete_where("product-content", Where.equals("id", two.id))
    assert [d.id for d in result.docs] == [two.id]
    assert payload.count("product-content", where=Where.contains("handle", f"del-{unique}")) == 0


def test_login_me_and_api_key(payload: PayloadClient, live_env: dict[str, str]) -> None:
    me = payload.me()
    assert me.user and me.user["email"] == live_env.get("PAYLOAD_ADMIN_EMAIL", "admin@example.com")
    assert me.strategy == "api-key"
    with PayloadClient(live_env["PAYLOAD_URL"]) as client:
        result = client.login(
            live_env.get("PAYLOAD_ADMIN_EMAIL", "admin@example.com"),
            live_env.get("PAYLOAD_ADMIN_PASSWORD", "supersecret"),
        )
        assert result.token.get_secret_value().count(".") == 2
        assert client.me().user is not None
        created = client.create("product-content", {"handle": f"jwt-{result.exp}", "title": "j"})
        client.delete_by_id("product-content", created.id)
        client.logout()
        assert client.me().user is None  # no token and no API key: anonymous again
        with pytest.raises(AuthenticationError):
            client.login("admin@example.com", "wrong-password")


def test_from_env(live_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYLOAD_CMS_URL", live_env["PAYLOAD_URL"])
    monkeypatch.setenv("PAYLOAD_API_KEY", live_env["PAYLOAD_API_KEY"])
    with PayloadClient.from_env() as client:
        assert client.me().strategy == "api-key"


async def test_async_client(apayload: AsyncPayloadClient, docs: list[ProductContent]) -> None:
    page = await apayload.find(
        "product-content",
        where=Where.in_("id", [d.id for d in docs]),
        limit=2,
        sort="id",
        model=ProductContent,
    )
    assert [d.id async for d in page] == [d.id for d in docs]
    assert await apayload.count("product-content", where=Where.in_("id", [docs[0].id])) == 1
    doc = await apayload.update_by_id("product-content", docs[0].id, {"title": "Async"})
    assert doc.model_extra is not None or doc.id == docs[0].id
    assert (
        await apayload.find_by_id("product-content", docs[0].id, model=ProductContent)
    ).title == "Async"
    with pytest.raises(NotFoundError):
        await apayload.find_by_id("product-content", 987654321)
    me = await apayload.me()
    assert me.user is not None


def test_globals(payload: PayloadClient, unique: str) -> None:
    updated = payload.update_global("site-settings", {"siteName": f"Acme {unique}"})
    assert updated.model_extra is not None
    assert updated.model_extra["siteName"] == f"Acme {unique}"
    current = payload.get_global("site-settings")
    assert current.model_extra is not None
    assert (current.model_extra["siteName"], current.model_extra["globalType"]) == (
        f"Acme {unique}",
        "site-settings",
    )


# ---- editors: drafts, versions, uploads, the auth flow --------------------------------------
def _title(doc: object) -> object:
    return (getattr(doc, "model_extra", None) or {}).get("title")


def test_draft_publish_change_restore_versions(payload: PayloadClient, unique: str) -> None:
    first = payload.create("articles", {"slug": f"a-{unique}", "title": "First"}, draft=True)
    try:
        assert first.publish_status == "draft"
        payload.update_by_id("articles", first.id, {"title": "Published", "_status": "published"})
        draft = payload.update_by_id("articles", first.id, {"title": "Draft 2"}, draft=True)
        assert _title(draft) == "Draft 2"
        assert _title(payload.find_by_id("articles", first.id)) == "Published"
        assert _title(payload.find_by_id("articles", first.id, draft=True)) == "Draft 2"
        history = payload.find_versions("articles", where=Where.equals("parent", first.id))
        assert [v.status for v in history.items] == ["draft", "published", "draft"]
        assert [v.latest for v in history.items] == [True, False, False]
        assert all(v.parent == first.id and v.version.id == first.id for v in history.items)
        oldest = payload.find_version_by_id("articles", history.items[-1].id)
        assert _title(oldest.version) == "First"
        restored = payload.restore_version("articles", history.items[1].id)
        assert (_title(restored), restored.publish_status) == ("Published", "published")
        assert "message" not in (restored.model_extra or {})
        assert payload.restore_version("articles", oldest.id).publish_status == "draft"
        assert payload.find_versions("articles", where=Where.equals("parent", first.id)).count == 5
        with pytest.raises(NotFoundError):
            payload.find_version_by_id("articles", 987654321)
    finally:
        payload.delete_by_id("articles", first.id)


def test_global_versions_and_restore(payload: PayloadClient, unique: str) -> None:
    payload.update_global("site-settings", {"siteName": f"one-{unique}"})
    payload.update_global("site-settings", {"siteName": f"two-{unique}"})
    versions = payload.find_global_versions("site-settings", limit=2)
    names = [(v.version.model_extra or {}).get("siteName") for v in versions.items]
    assert names == [f"two-{unique}", f"one-{unique}"]
    restored = payload.restore_global_version("site-settings", versions.items[1].id)
    assert (restored.version.model_extra or {})["siteName"] == f"one-{unique}"
    assert (payload.get_global("site-settings").model_extra or {})["siteName"] == f"one-{unique}"


def test_uploads_multipart_from_bytes_path_and_tuple(
    payload: PayloadClient, unique: str, tmp_path: Path
) -> None:
    png = tiny_png()
    logo = tmp_path / f"logo-{unique}.png"
    logo.write_bytes(png)
    made = [
        payload.create("media", {"alt": "Logo"}, file=logo, model=MediaDocument),
        payload.create("media", {}, file=(logo.name, png, "image/png"), model=MediaDocument),
        payload.create("media", {}, file=b"hello", model=MediaDocument),
    ]
    try:
        first, second, raw = made
        assert (first.filename, first.mime_type, first.width, first.alt) == (
            logo.name,
            "image/png",
            1,
            "Logo",
        )
        assert second.filename == f"logo-{unique}-1.png"
        assert raw.mime_type == "application/octet-stream"
        replaced = payload.update_by_id(
            "media",
            raw.id,
            {"alt": "New"},
            file=(f"new-{unique}.txt", b"hi", "text/plain"),
            model=MediaDocument,
        )
        assert (replaced.filename, replaced.alt, replaced.filesize) == (
            f"new-{unique}.txt",
            "New",
            2,
        )
        url = payload.absolute_url(first.url)
        assert url and url.startswith("http")
        served = httpx.get(url, timeout=10)
        assert (served.status_code, served.content) == (200, png)
        article = payload.create(
            "articles", {"slug": f"c-{unique}", "title": "T", "cover": first.id}
        )
        made_article = article.id
        deep = payload.find(
            "articles", where=Where.equals("id", made_article), depth=1, populate=None, joins=False
        )
        assert deep.items[0].model_extra and deep.items[0].model_extra["cover"]["url"] == first.url
        payload.delete_by_id("articles", made_article)
    finally:
        for doc in made:
            payload.delete_by_id("media", doc.id)


def test_auth_flow_forgot_reset_refresh_verify_unlock(
    payload: PayloadClient, live_env: dict[str, str], unique: str
) -> None:
    email = f"editor-{unique}@example.com"
    user = payload.create("users", {"email": email, "password": "old-password-1"})
    try:
        assert payload.forgot_password("users", email) == "Success"
        token = _reset_token_of(email)
        reset = payload.reset_password("users", token, "new-password-2")
        assert reset.user and reset.user["email"] == email and reset.token is not None
        with pytest.raises(APIStatusError):
            payload.reset_password("users", token, "again-3")
        with PayloadClient(live_env["PAYLOAD_URL"]) as editor:
            editor.login(email, "new-password-2", collection="users")
            refreshed = editor.refresh_token()
            assert editor.token == refreshed.refreshed_token  # the client sends the new one
            assert editor.me().user is not None
        with pytest.raises(PermissionDeniedError):
            payload.refresh_token()
        with pytest.raises(APIStatusError):
            payload.verify_email("users", f"not-a-token-{unique}")
        assert payload.unlock("users", email) == "Success"
    finally:
        payload.delete_by_id("users", user.id)


def _reset_token_of(email: str) -> str:
    """The token of the reset email: the stack has no mailer, so read it where Payload keeps it."""
    db = env_file().parent / "payload" / "payload.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "select reset_password_token from users where email = ?", (email,)
        ).fetchone()
    assert row and row[0], "no reset token stored"
    return str(row[0])


# ---- SDK ergonomics: paginator, with_options, raw responses, request(), extra_body ---------
def test_ergonomics_sync(payload: PayloadClient, docs: list[ProductContent], unique: str) -> None:
    where = Where.in_("id", [d.id for d in docs])
    fast = payload.with_options(timeout=10.0, max_retries=0)
    assert fast.count("product-content", where=where) == 5
    fast.close()
    assert not payload.is_closed

    raw = payload.with_raw_response.find("product-content", where=where, limit=2)
    assert raw.status_code == 200 and raw.request_id
    page = raw.parse()
    assert page.count == 5 and page._request_id == raw.request_id
    assert page.items[0]._request_id == raw.request_id

    data = payload.request("GET", "/api/product-content", params={"limit": 1})
    assert data["limit"] == 1 and data["totalDocs"] >= 5
    one = payload.request("GET", f"/api/product-content/{docs[0].id}", cast_to=ProductContent)
    assert one.id == docs[0].id and one._request_id
    with pytest.raises(InvalidPathSegmentError):
        payload.request("GET", "/api/product-content/../users")
    with pytest.raises(InvalidArgumentError):
        payload.request("GET", "http://evil.example/api/users")

    created = payload.create(
        "product-content",
        {"handle": f"live-{unique}-extra", "medusaProductId": f"prod_{unique}_x"},
        extra_body={"title": "From extra_body"},
        model=ProductContent,
    )
    assert created.title == "From extra_body"  # cleaned up by the `docs` fixture (same prefix)


async def test_ergonomics_async(apayload: AsyncPayloadClient, docs: list[ProductContent]) -> None:
    where = Where.in_("id", [d.id for d in docs])
    # no await: the paginator walks every page, one request each
    ids = [d.id async for d in apayload.find("product-content", where=where, limit=2, sort="id")]
    assert ids == [d.id for d in docs]
    fast = apayload.with_options(timeout=10.0, deadline=30.0)
    raw = await fast.with_raw_response.find_by_id("product-content", docs[0].id)
    assert raw.status_code == 200 and raw.parse().id == docs[0].id
    data = await fast.request("GET", "/api/product-content", params={"limit": 1})
    assert data["limit"] == 1
    await fast.aclose()
    assert not apayload.is_closed
