"""A caller's query key can never add a parameter (issue 12: ``where[handle]&depth=9``)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import qs_codec

from medusa_payload import PayloadClient, Where
from medusa_payload._core._qs import encode_key, encode_query
from medusa_payload.payload._query import find_query

HOSTILE = ["a&depth=9", "a=b", "a#frag", "a%26b", "a+b c", "tée", "a&depth", "seo.title"]
BRACKETED = "handle]&depth=9&x["


def _decode(query: str) -> dict[str, Any]:
    decoded: dict[str, Any] = qs_codec.decode(query, qs_codec.DecodeOptions(depth=10))
    return decoded


@pytest.mark.parametrize("key", HOSTILE)
def test_where_field_paths_stay_inside_where(key: str) -> None:
    query = find_query(where=Where.equals(key, "v"), depth=0)
    assert _decode(query) == {"where": {key: {"equals": "v"}}, "depth": "0"}


@pytest.mark.parametrize("key", HOSTILE)
def test_select_and_extra_query_keys_stay_one_key(key: str) -> None:
    query = find_query(select=[key], depth=0, extra={key: "1"})
    decoded = _decode(query)
    assert decoded["depth"] == "0"
    assert decoded["select"] == {key: "true"}
    assert decoded[key] == "1"
    assert set(decoded) == {"depth", "select", key}


@pytest.mark.parametrize("key", HOSTILE)
def test_flat_queries_encode_keys_too(key: str) -> None:
    decoded = _decode(encode_query({key: "v", "limit": 5}))
    assert decoded == {key: "v", "limit": "5"}


def test_a_bracket_in_a_key_cannot_close_its_parameter() -> None:
    assert encode_key(BRACKETED) == "handle%5D%26depth%3D9%26x%5B"
    query = find_query(where=Where.equals(BRACKETED, "v"), select=[BRACKETED], depth=0)
    assert query.count("&") == 2  # where, depth, select: nothing more
    assert set(_decode(query)) == {"where", "depth", "select"}
    assert _decode(query)["depth"] == "0"


def test_readable_keys_are_unchanged() -> None:
    assert encode_key("fallback-locale") == "fallback-locale"
    assert encode_key("$gte") == "$gte"
    assert encode_query({"where": {"seo.title": {"equals": "x"}}}) == ("where[seo.title][equals]=x")


def test_a_hostile_where_path_sends_no_extra_parameter() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"docs": [], "totalDocs": 0, "limit": 10, "page": 1})

    with PayloadClient("http://payload.test", transport=httpx.MockTransport(handler)) as payload:
        payload.find(
            "pages",
            where=Where.equals("handle]&depth=9&x[", "v"),
            extra_query={"limit&depth=5": 1},
        )
    params = sent[0].url.params
    assert params.get_list("depth") == ["0"]
    assert sorted(params.keys()) == ["depth", "limit&depth=5", "where[handle]&depth=9&x[][equals]"]
    assert "where[handle%5D%26depth%3D9%26x%5B][equals]=v" in str(sent[0].url)
