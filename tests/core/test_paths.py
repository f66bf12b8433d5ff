"""A caller's id can never change which endpoint is called (issue 12, defect 1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from medusa_payload import MedusaClient, PayloadClient, Where
from medusa_payload._core._http import MAX_PATH_SEGMENT_LENGTH, encode_path, encode_segment
from medusa_payload.errors import InvalidArgumentError, InvalidPathSegmentError
from medusa_payload.testing import FakePayload


@pytest.mark.parametrize("segment", ["", ".", ".."])
def test_dot_and_empty_segments_are_refused(segment: str) -> None:
    with pytest.raises(InvalidPathSegmentError) as info:
        encode_path("/admin/products/{}", segment)
    assert info.value.segment == segment
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        ("...", "..."),  # not a dot segment: resolution keeps it
        ("%2e%2e", "%252e%252e"),  # a server decodes this once, back to the text "%2e%2e"
        ("．．", "%EF%BC%8E%EF%BC%8E"),  # fullwidth dots stay one opaque segment
        ("a\u202eb", "a%E2%80%AEb"),  # right-to-left override
        ("\x00\r\n", "%00%0D%0A"),  # no header or request-line injection
        (".\u200b.", ".%E2%80%8B."),  # zero-width space between dots
    ],
)
def test_hostile_unicode_stays_one_encoded_segment(segment: str, expected: str) -> None:
    assert encode_segment(segment) == expected
    url = httpx.URL("http://x.test").join(encode_path("/admin/products/{}", segment))
    assert url.raw_path.decode() == f"/admin/products/{expected}"


def test_huge_ids_are_refused_before_any_request() -> None:
    longest = "a" * MAX_PATH_SEGMENT_LENGTH
    assert encode_segment(longest) == longest
    with pytest.raises(InvalidPathSegmentError, match="longer than 1024"):
        encode_segment(longest + "a")
    # The cap applies after encoding: 342 three-byte characters encode to 3,078 characters.
    with pytest.raises(InvalidPathSegmentError) as info:
        encode_segment("€" * 342)
    assert len(info.value.segment) == 100


def _recording() -> tuple[list[httpx.Request], httpx.MockTransport]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    return sent, httpx.MockTransport(handler)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.admin.products.delete(".."),
        lambda m: m.admin.products.delete("."),
        lambda m: m.admin.products.delete(""),
        lambda m: m.admin.products.update(".", {"title": "x"}),
        lambda m: m.admin.products.retrieve(".."),
        lambda m: m.store.products.retrieve("."),
        lambda m: m.admin.products.delete("x" * 5000),
    ],
)
def test_medusa_calls_refuse_dot_ids_without_sending(call: Callable[[MedusaClient], Any]) -> None:
    sent, transport = _recording()
    with (
        MedusaClient(
            "http://medusa.test", publishable_key="pk", api_key="sk", transport=transport
        ) as medusa,
        pytest.raises(InvalidPathSegmentError),
    ):
        call(medusa)
    assert sent == []


@pytest.mark.parametrize("bad", [".", "..", ""])
def test_payload_delete_by_id_with_a_dot_deletes_nothing(bad: str) -> None:
    fake = FakePayload()
    fake.add_page("home", "Home")
    fake.add_page("about", "About")
    with PayloadClient(fake.base_url, api_key=fake.api_key, transport=fake.transport) as payload:
        with pytest.raises(InvalidPathSegmentError):
            payload.delete_by_id("pages", bad)
        with pytest.raises(InvalidPathSegmentError):
            payload.update_by_id("pages", bad, {"title": "gone"})
        with pytest.raises(InvalidPathSegmentError):
            payload.find("..")
    assert sorted(d["title"] for d in fake.docs("pages")) == ["About", "Home"]


@pytest.mark.parametrize("where", [{}, Where.from_dict({}), None])
def test_a_bulk_write_without_conditions_is_refused_before_sending(where: Any) -> None:
    sent, transport = _recording()
    with PayloadClient("http://payload.test", api_key="k", transport=transport) as payload:
        with pytest.raises(InvalidArgumentError, match="non-empty where"):
            payload.delete_where("pages", where)
        with pytest.raises(InvalidArgumentError, match="non-empty where"):
            payload.update_where("pages", where, {"title": "everyone"})
    assert sent == []
    assert issubclass(InvalidPathSegmentError, InvalidArgumentError)
