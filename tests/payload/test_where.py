"""`Where`: the dict form, the qs encoding, and that any value survives the round trip."""

from __future__ import annotations

import pytest
import qs_codec
from hypothesis import given
from hypothesis import strategies as st

from medusa_payload import Where
from medusa_payload.payload.where import encode_query, where_dict


def test_operators_and_nesting() -> None:
    w = (Where.equals("handle", "tee") | Where.in_("medusaProductId", ["p1", "p2"])) & Where.exists(
        "seo.title"
    )
    assert w.to_dict() == {
        "and": [
            {"or": [{"handle": {"equals": "tee"}}, {"medusaProductId": {"in": ["p1", "p2"]}}]},
            {"seo.title": {"exists": True}},
        ]
    }
    assert w == w.to_dict()


def test_indexed_arrays_and_bracket_form() -> None:
    query = Where.in_("id", ["a", "b"]).to_query()
    assert query == "where[id][in][0]=a&where[id][in][1]=b"
    nested = Where.or_(Where.equals("a", 1), {"b": {"not_equals": "x"}}).to_query()
    assert nested == "where[or][0][a][equals]=1&where[or][1][b][not_equals]=x"


def test_booleans_and_none_are_sent_as_text() -> None:
    assert Where.exists("x", False).to_query() == "where[x][exists]=false"
    assert encode_query({"draft": True, "depth": 0, "limit": None}) == "draft=true&depth=0"


def test_every_operator_constructor() -> None:
    cases = {
        Where.not_equals("a", 1): "not_equals",
        Where.not_in("a", [1]): "not_in",
        Where.all("a", [1]): "all",
        Where.like("a", "x"): "like",
        Where.contains("a", "x"): "contains",
        Where.greater_than("a", 1): "greater_than",
        Where.greater_than_equal("a", 1): "greater_than_equal",
        Where.less_than("a", 1): "less_than",
        Where.less_than_equal("a", 1): "less_than_equal",
    }
    for where, operator in cases.items():
        assert next(iter(where.to_dict()["a"])) == operator


def test_unknown_operator_and_empty_path_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown Payload operator"):
        Where.field("a", "equal", 1)
    with pytest.raises(ValueError, match="field path"):
        Where.equals("", 1)


def test_plain_dicts_are_accepted_and_copied() -> None:
    original = {"handle": {"in": ["a"]}}
    copy = where_dict(original)
    copy["handle"]["in"].append("b")
    assert original == {"handle": {"in": ["a"]}}


@given(
    values=st.lists(st.text(min_size=1).filter(lambda s: "\x00" not in s), min_size=1, max_size=30)
)
def test_any_text_survives_qs_round_trip(values: list[str]) -> None:
    """What Payload decodes (qs) is exactly what was encoded: commas, brackets, unicode."""
    query = Where.in_("medusaProductId", values).to_query()
    decoded = qs_codec.decode(query, qs_codec.DecodeOptions(list_limit=1000))
    assert decoded == {"where": {"medusaProductId": {"in": values}}}
