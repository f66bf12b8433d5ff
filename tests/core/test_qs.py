"""The flat-query fast path gives exactly what qs-codec gives (and what qs decodes back)."""

from __future__ import annotations

import qs_codec
from hypothesis import given
from hypothesis import strategies as st

from medusa_payload._core import _qs
from medusa_payload._core._qs import encode_query

scalars = st.one_of(
    st.text().filter(lambda s: "\x00" not in s),
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
flat = st.dictionaries(
    st.text(alphabet=st.characters(categories=["L", "N"]) | st.sampled_from("_-"), min_size=1),
    st.one_of(scalars, st.lists(scalars, max_size=5)),
    max_size=6,
)


@given(flat)
def test_fast_path_equals_qs_codec(params: dict[str, object]) -> None:
    fast = _qs._encode_flat(params)
    assert fast is not None
    assert fast == str(qs_codec.encode(_qs._normalise(params), _qs._ENCODE))


# Keys are the SDK's own parameter names (never user text), so they are identifiers here.
names = st.text(alphabet=st.characters(categories=["L", "N"]) | st.sampled_from("_-"), min_size=1)


@given(
    st.dictionaries(
        names,
        st.lists(st.text().filter(lambda s: "\x00" not in s), min_size=1, max_size=4),
        max_size=4,
    )
)
def test_lists_round_trip_through_qs_decode(params: dict[str, list[str]]) -> None:
    decoded = qs_codec.decode(encode_query(params), qs_codec.DecodeOptions(list_limit=100))
    assert decoded == params


def test_nested_mappings_take_the_qs_codec_path() -> None:
    assert _qs._encode_flat({"where": {"a": {"equals": 1}}}) is None
    assert encode_query({"where": {"a": {"equals": 1}}, "depth": 0}) == (
        "where[a][equals]=1&depth=0"
    )
