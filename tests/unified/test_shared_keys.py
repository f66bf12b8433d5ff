"""The shared cache's names (no Redis): keys never collide, tags agree with ``touches``."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from medusa_payload.unified import Invalidation
from medusa_payload.unified._keys import (
    CacheKey,
    ListKey,
    PageKey,
    ProductKey,
    ProductListKey,
    Scope,
    StoreKey,
    StoreListKey,
)
from medusa_payload.unified._shared import change_tags, entry_tags, key_text

ASCII_KEY = re.compile(r"[\x20-\x7e]+")  # printable ASCII
ASCII_TAG = re.compile(r"[\x21-\x7e]+")  # no space either: tags are space-separated

hostile = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=':[]",\\#= \n\u00e9\U0001f389\ud800', max_size=12),
    st.text(min_size=190, max_size=400),
)
maybe = st.none() | hostile

product_keys = st.builds(
    ProductKey,
    handle=hostile,
    region_id=maybe,
    tenant_id=maybe,
    store=st.none() | hostile | st.integers(),
    draft=st.booleans(),
    locale=maybe,
)
page_keys = st.builds(
    PageKey, slug=hostile, tenant_id=maybe, store=maybe, draft=st.booleans(), locale=maybe
)
any_key = st.one_of(
    product_keys,
    page_keys,
    st.builds(StoreKey, store=hostile, tenant_id=maybe),
    st.builds(StoreListKey, tenant_id=maybe),
    st.builds(ListKey, resource=hostile, locale=maybe),
)


@given(any_key, any_key)
def test_distinct_keys_have_distinct_names(first: CacheKey, second: CacheKey) -> None:
    assert (key_text(first) == key_text(second)) == (first == second)
    assert ASCII_KEY.fullmatch(key_text(first))
    assert len(key_text(first)) <= 200


def test_fields_never_run_into_each_other() -> None:
    a = ProductKey("a:b", "c", None, None, False)
    b = ProductKey("a", "b:c", None, None, False)
    c = ProductKey("a", "b", "c", None, False)
    assert len({key_text(a), key_text(b), key_text(c)}) == 3
    assert key_text(ProductKey("1", None, None, 1, False)) == key_text(
        ProductKey("1", None, None, "1", False)  # one store, as `touches` sees it
    )
    assert key_text(ListKey("regions")) != key_text(StoreListKey(None))


ids = st.sampled_from(["prod_1", "prod_2", "tee", "hoodie", "a:b", "é", "x" * 300])
stores = st.sampled_from(["acme", "1", "2", "b:c"])

changes = st.builds(
    Invalidation,
    product=st.none() | ids,
    handle=st.none() | ids,
    page=st.none() | ids,
    store=st.none() | stores,
    resources=st.lists(st.sampled_from(["products", "pages", "branding"]), max_size=2),
    everything=st.booleans(),
)
touchable = st.one_of(
    st.tuples(
        st.builds(
            ProductKey,
            handle=ids,
            region_id=st.none(),
            tenant_id=st.none(),
            store=st.none() | stores,
            draft=st.booleans(),
        ),
        st.just("products"),
    ),
    st.tuples(
        st.builds(
            ProductListKey,
            limit=st.just(20),
            offset=st.just(0),
            q=st.none(),
            category_id=st.none(),
            collection_id=st.none(),
            region_id=st.none(),
            sales_channel_id=st.none(),
            tenant_id=st.none(),
            store=st.none() | stores,
            order=st.none(),
            draft=st.booleans(),
        ),
        st.just("products"),
    ),
    st.tuples(
        st.builds(
            PageKey, slug=ids, tenant_id=st.none(), store=st.none() | stores, draft=st.just(False)
        ),
        st.just("pages"),
    ),
    st.tuples(st.builds(StoreKey, store=stores, tenant_id=st.none()), st.just("branding")),
    st.tuples(st.builds(StoreListKey, tenant_id=st.none()), st.just("branding")),
)

# What the replica knows of stores: handle "acme" is id "1" (its branding cache).
ALIASES = {"acme": frozenset({"acme", "1"}), "1": frozenset({"acme", "1"})}


def store_names(store: str | None) -> frozenset[str]:
    if store is None:
        return frozenset()
    return ALIASES.get(store, frozenset({store}))


def value_of(key: Any, product_id: str) -> Any:
    if isinstance(key, StoreKey):
        names = sorted(store_names(key.store))
        return SimpleNamespace(handle=names[-1], id=names[0])
    return SimpleNamespace(id=product_id)


@given(touchable, changes, ids)
def test_every_change_that_touches_an_entry_shares_a_tag_with_it(
    entry: tuple[Any, str], change: Invalidation, product_id: str
) -> None:
    key, resource = entry
    value = value_of(key, product_id)
    scope = Scope(change, store_names(change.store))
    dropped_locally = change.everything or resource in change.resources or key.touches(scope, value)
    shared = set(entry_tags(resource, key, value, store_names)) & set(
        change_tags(change, scope.stores)
    )
    if dropped_locally:
        assert shared, (key, change)
    for tag in entry_tags(resource, key, value, store_names):
        assert ASCII_TAG.fullmatch(tag)
