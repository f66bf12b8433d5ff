"""Versions, drafts, uploads and the auth flow of the Payload client, on FakePayload.

The same calls run against the real Payload 3.90 in tests/live/test_payload_live.py; the
fake's answers were taken from it.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from medusa_payload import AsyncPayloadClient, PayloadClient, Where
from medusa_payload.errors import APIStatusError, NotFoundError, PermissionDeniedError
from medusa_payload.payload import MediaDocument, Version
from medusa_payload.testing import FakePayload


def tiny_png() -> bytes:
    """A valid 1x1 PNG (Payload reads image sizes, so junk bytes are refused)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def fake() -> FakePayload:
    return FakePayload()


@pytest.fixture
def payload(fake: FakePayload) -> Iterator[PayloadClient]:
    with PayloadClient(fake.base_url, api_key=fake.api_key, transport=fake.transport) as client:
        yield client


def test_draft_publish_change_restore(payload: PayloadClient) -> None:
    first = payload.create("articles", {"slug": "a1", "title": "First"}, draft=True)
    assert first.publish_status == "draft"
    published = payload.update_by_id(
        "articles", first.id, {"title": "Published", "_status": "published"}
    )
    assert published.is_published
    draft = payload.update_by_id("articles", first.id, {"title": "Draft 2"}, draft=True)
    assert (draft.model_extra or {})["title"] == "Draft 2"
    # The document itself stays published; a draft read sees the newest version.
    current = payload.find_by_id("articles", first.id)
    assert (current.model_extra or {})["title"] == "Published"
    newest = payload.find_by_id("articles", first.id, draft=True)
    assert (newest.model_extra or {})["title"] == "Draft 2"
    assert payload.find("articles", draft=True).items[0].publish_status == "draft"

    history = payload.find_versions("articles", where=Where.equals("parent", first.id))
    assert [v.status for v in history.items] == ["draft", "published", "draft"]
    assert [v.latest for v in history.items] == [True, False, False]
    assert all(isinstance(v, Version) and v.parent == first.id for v in history.items)
    oldest = history.items[-1]
    assert payload.find_version_by_id("articles", oldest.id).version.model_extra == (
        oldest.version.model_extra
    )

    restored = payload.restore_version("articles", history.items[1].id)
    assert (restored.model_extra or {})["title"] == "Published"
    assert "message" not in (restored.model_extra or {})
    assert payload.find_versions("articles", where=Where.equals("parent", first.id)).count == 4
    # Restoring the first (draft) version unpublishes the document, as Payload does.
    assert payload.restore_version("articles", oldest.id).publish_status == "draft"


def test_draft_saves_skip_validation_but_publishing_does_not(payload: PayloadClient) -> None:
    draft = payload.create("articles", {"slug": "only-slug"}, draft=True)
    assert draft.publish_status == "draft"
    with pytest.raises(APIStatusError) as err:
        payload.create("articles", {"slug": "no-title", "_status": "published"})
    assert err.value.status_code == 400


def test_versions_need_credentials_and_unknown_ids_are_not_found(fake: FakePayload) -> None:
    with (
        PayloadClient(fake.base_url, transport=fake.transport) as anonymous,
        pytest.raises(PermissionDeniedError),
    ):
        anonymous.find_versions("articles")
    with PayloadClient(fake.base_url, api_key=fake.api_key, transport=fake.transport) as p:
        with pytest.raises(NotFoundError):
            p.find_version_by_id("articles", 999)
        with pytest.raises(NotFoundError):
            p.restore_version("articles", 999)


def test_global_versions_and_restore(payload: PayloadClient) -> None:
    payload.update_global("site-settings", {"siteName": "One"})
    payload.update_global("site-settings", {"siteName": "Two"})
    versions = payload.find_global_versions("site-settings")
    names = [(v.version.model_extra or {})["siteName"] for v in versions.items]
    assert names == ["Two", "One"]
    assert versions.items[0].parent is None
    restored = payload.restore_global_version("site-settings", versions.items[1].id)
    assert (restored.version.model_extra or {})["siteName"] == "One"
    assert (payload.get_global("site-settings").model_extra or {})["siteName"] == "One"
    assert payload.find_global_versions("site-settings").count == 3


def test_upload_from_bytes_path_and_tuple(payload: PayloadClient, tmp_path: Path) -> None:
    png = tiny_png()
    logo = tmp_path / "logo.png"
    logo.write_bytes(png)
    from_path = payload.create("media", {"alt": "Logo"}, file=logo, model=MediaDocument)
    assert (from_path.filename, from_path.mime_type, from_path.filesize) == (
        "logo.png",
        "image/png",
        len(png),
    )
    assert (from_path.width, from_path.height, from_path.alt) == (1, 1, "Logo")
    assert from_path.url == "/api/media/file/logo.png"
    again = payload.create("media", {}, file=("logo.png", png, "image/png"), model=MediaDocument)
    assert again.filename == "logo-1.png"  # Payload never overwrites a stored file
    raw = payload.create("media", {}, file=b"hello", model=MediaDocument)
    assert (raw.filename, raw.mime_type) == ("upload", "application/octet-stream")
    replaced = payload.update_by_id(
        "media", raw.id, {"alt": "New"}, file=("new.txt", b"hi", "text/plain"), model=MediaDocument
    )
    assert (replaced.filename, replaced.alt, replaced.filesize) == ("new.txt", "New", 2)
    served = payload._http.get(payload.absolute_url(from_path.url) or "")
    assert (served.status_code, served.content) == (200, png)


def test_upload_relations_populate_with_depth(payload: PayloadClient) -> None:
    media = payload.create("media", {"alt": "c"}, file=("c.png", tiny_png(), "image/png"))
    article = payload.create("articles", {"slug": "with-cover", "title": "T", "cover": media.id})
    shallow = payload.find_by_id("articles", article.id, depth=0)
    assert (shallow.model_extra or {})["cover"] == media.id
    deep = payload.find_by_id("articles", article.id, depth=1)
    assert (deep.model_extra or {})["cover"]["url"] == "/api/media/file/c.png"


def test_bad_files_raise_typed_errors_before_any_request(
    fake: FakePayload, payload: PayloadClient, tmp_path: Path
) -> None:
    before = len(fake.requests)
    with pytest.raises(TypeError, match="file must be bytes"):
        payload.create("media", {}, file=123)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        payload.create("media", {}, file=("a.png", "not bytes", "image/png"))  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        payload.create("media", {}, file=tmp_path / "missing.png")
    assert len(fake.requests) == before
    with pytest.raises(APIStatusError) as err:
        payload.create("media", {"alt": "no file"})
    assert err.value.status_code == 400


def test_absolute_url(payload: PayloadClient) -> None:
    assert (
        payload.absolute_url("/api/media/file/a.png") == "http://payload.fake/api/media/file/a.png"
    )
    assert payload.absolute_url("https://cdn.example/a.png") == "https://cdn.example/a.png"
    assert payload.absolute_url(None) is None


def test_auth_flow(fake: FakePayload, payload: PayloadClient) -> None:
    fake.add_user("editor@example.com", password="old-password")
    assert payload.forgot_password("users", "editor@example.com") == "Success"
    assert payload.forgot_password("users", "nobody@example.com") == "Success"
    token = fake.reset_token("editor@example.com")
    assert token
    reset = payload.reset_password("users", token, "new-password")
    assert reset.user and reset.user["email"] == "editor@example.com"
    with pytest.raises(APIStatusError):
        payload.reset_password("users", token, "again")  # a used token is gone
    with PayloadClient(fake.base_url, transport=fake.transport) as editor:
        editor.login("editor@example.com", "new-password")
        refreshed = editor.refresh_token()
        assert editor.token == refreshed.refreshed_token  # the client sends the new one
        assert editor.me().user is not None
    with pytest.raises(PermissionDeniedError):
        payload.refresh_token()  # an API key has no token to refresh
    verify = fake.verification_token("editor@example.com")
    assert payload.verify_email("users", verify) == "Email verified successfully."
    with pytest.raises(APIStatusError):
        payload.verify_email("users", verify)
    assert payload.unlock("users", "editor@example.com") == "Success"
    with (
        PayloadClient(fake.base_url, transport=fake.transport) as anonymous,
        pytest.raises(PermissionDeniedError),
    ):
        anonymous.unlock("users", "editor@example.com")


def test_find_sends_populate_joins_and_trash(fake: FakePayload, payload: PayloadClient) -> None:
    payload.find("articles", populate={"media": {"url": True}}, joins=False, trash=True, draft=True)
    query = fake.requests[-1].query
    assert query["populate"] == {"media": {"url": "true"}}
    assert (query["joins"], query["trash"], query["draft"]) == ("false", "true", "true")


async def test_async_twin_restores_a_version(fake: FakePayload) -> None:
    async with AsyncPayloadClient(
        fake.base_url, api_key=fake.api_key, transport=fake.transport
    ) as p:
        doc = await p.create("articles", {"slug": "x", "title": "One", "_status": "published"})
        await p.update_by_id("articles", doc.id, {"title": "Two"})
        versions = await p.find_versions("articles", sort="createdAt")
        first = versions.items[0]
        restored = await p.restore_version("articles", first.id)
        assert (restored.model_extra or {})["title"] == "One"
        page = await p.find_global_versions("site-settings")
        assert page.count == 0
