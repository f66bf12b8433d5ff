"""Fuzzing the receiver with hypothesis: random bodies, headers, encodings and sizes.

For every generated delivery: no exception escapes, the receipt is 4xx with a reason, and the
queue stays empty. Four families of deliveries (random, signed junk, tampered, other encodings)
make 10,000 cases in the default run; each test counts the deliveries it checked and fails when
hypothesis ran fewer.

Hypothesis spends about 2-3 ms generating one structured example on a small CI machine, so the
default run draws each example as a batch of ``BATCH`` deliveries (2,000 examples, 10,000
deliveries, about 15 s). ``-m slow`` runs every family unbatched: 10,000 examples each.

Each example gets a fresh :class:`Rig` (receivers and queue), so a failing example replays alone
and shrinks: no state leaks from one example into the next. The suite's Hypothesis profile
(``tests/conftest.py``) applies; only the example count is set here.
"""

from __future__ import annotations

import base64
import json
import string
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medusa_payload.webhooks import (
    MEDUSA_EVENTS,
    PAYLOAD_COLLECTIONS,
    WebhookReceiver,
    generate_secret,
    sign,
    sign_headers,
)
from tests.webhooks.helpers import MEDUSA_SECRET, NOW, PAYLOAD_SECRET, Clock, FakeQueue

LIMIT = 4096
SECRETS = {"medusa": MEDUSA_SECRET, "payload": PAYLOAD_SECRET}


class Rig:
    def __init__(self) -> None:
        self.queue = FakeQueue()
        self.receivers = {
            source: WebhookReceiver(
                self.queue,
                secret,
                source=source,
                clock=Clock(NOW),
                max_body_size=LIMIT,  # type: ignore[arg-type]
            )
            for source, secret in SECRETS.items()
        }

    def check_refused(self, source: str, body: Any, headers: Any) -> None:
        receipt = self.receivers[source].handle(body, headers)
        assert 400 <= receipt.status < 500, receipt
        assert isinstance(receipt.reason, str), receipt
        assert receipt.reason.strip(), receipt
        assert receipt.job_id is None, receipt
        assert not receipt.duplicate, receipt
        assert self.queue.jobs == [], receipt

    def check_no_failures(self) -> None:
        for receiver in self.receivers.values():
            assert receiver.counters["failed"] == 0

    def close(self) -> None:
        for receiver in self.receivers.values():
            receiver.close()


BATCH = 5


def run_counted(
    cases: int, strategy: st.SearchStrategy[Any], check: Callable[..., None], batch: int
) -> None:
    """Check ``cases`` deliveries from ``strategy``, ``batch`` per example, each on a new rig."""
    checked = 0

    @settings(max_examples=-(-cases // batch))
    @given(st.lists(strategy, min_size=batch, max_size=batch))
    def run(deliveries: list[Any]) -> None:
        nonlocal checked
        rig = Rig()
        try:
            for case in deliveries:
                check(rig, *case)
            rig.check_no_failures()
        finally:
            rig.close()
        checked += len(deliveries)

    run()
    assert checked >= cases


# -- strategies --------------------------------------------------------------------------------

sources = st.sampled_from(sorted(SECRETS))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
non_strings = st.sampled_from([None, True, False, 0, -1, 2**70, 1.5, [], [1], {}, {"id": 1}])
ids = st.text(string.ascii_letters + string.digits + "_", min_size=1, max_size=20)

header_names = st.sampled_from(
    [
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "Webhook-Signature",
        "WEBHOOK-ID",
        "x-request-id",
    ]
) | st.text(max_size=12)
header_values = (
    st.sampled_from(
        [
            "",
            " ",
            "v1,",
            "v1,AAAA",
            "v1a,xyz",
            "v1,=== v2,x",
            "msg_1",
            str(int(NOW)),
            str(int(NOW) - 10**6),
            "1e9",
            "-5",
        ]
    )
    | st.text(max_size=30)
    | st.binary(min_size=1, max_size=40).map(lambda b: "v1," + base64.b64encode(b).decode())
)
headers_any = (
    st.dictionaries(header_names, header_values, max_size=4)
    | st.lists(st.tuples(header_names, header_values), max_size=4)
    | st.lists(st.tuples(st.binary(max_size=12), st.binary(max_size=40)), max_size=3)
    | st.sampled_from(
        [None, 42, "webhook-id: x", b"raw", [("one",)], [(1, 2)], {1: 2}, {"webhook-id": None}]
    )
)
bodies_any = (
    st.binary(max_size=300)
    | st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass"))
    | st.text(max_size=100)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.integers(LIMIT + 1, 3 * LIMIT).map(lambda n: b"{" * n)
    | st.sampled_from(
        [None, 42, 1.5, ["list"], {"event": "product.updated"}, bytearray(b"{}"), memoryview(b"[]")]
    )
)


def _medusa_junk() -> st.SearchStrategy[Any]:
    bad_event = st.fixed_dictionaries(
        {
            "event": non_strings | st.just("") | st.text(min_size=257, max_size=300),
            "data": st.fixed_dictionaries({"id": ids}),
        }
    )
    bad_data = st.fixed_dictionaries(
        {
            "event": st.sampled_from(sorted(MEDUSA_EVENTS)) | ids,
            "data": non_strings.filter(lambda v: not isinstance(v, dict))
            | st.fixed_dictionaries({"id": non_strings | st.just("")})
            | st.dictionaries(
                st.text(max_size=5).filter(lambda k: k != "id"), json_values, max_size=3
            ),
        }
    )
    bad_meta = st.fixed_dictionaries(
        {
            "event": st.sampled_from(sorted(MEDUSA_EVENTS)),
            "data": st.fixed_dictionaries({"id": ids}),
            "metadata": non_strings.filter(lambda v: v is not None and not isinstance(v, dict))
            | st.text(),
        }
    )
    shapeless = st.dictionaries(st.text(max_size=10), json_values, max_size=5).filter(
        lambda d: not {"event", "data"} <= d.keys()
    )
    return bad_event | bad_data | bad_meta | shapeless


def _payload_junk() -> st.SearchStrategy[Any]:
    base = {
        "collection": "product-content",
        "operation": "update",
        "id": "12",
        "status": "published",
        "previous_status": None,
        "doc": {},
    }
    bad_values = {
        "collection": non_strings | st.just(""),
        "operation": non_strings | st.just("") | st.text(min_size=33, max_size=40),
        "id": st.sampled_from([None, True, False, 1.5, "", [], [1], {}]),
        "event": ids.filter(lambda e: e != "product-content.update")
        | non_strings.filter(lambda v: v is not None),
        "status": non_strings.filter(lambda v: v is not None),
        "doc": non_strings.filter(lambda v: v is not None and not isinstance(v, dict))
        | st.text(max_size=10),
    }
    broken = st.one_of(
        [values.map(lambda v, f=field: {**base, f: v}) for field, values in bad_values.items()]  # type: ignore[misc]
    )
    shapeless = st.dictionaries(st.text(max_size=10), json_values, max_size=5).filter(
        lambda d: not {"collection", "operation", "id"} <= d.keys()
    )
    return broken | shapeless


VALID = {
    "medusa": st.fixed_dictionaries(
        {
            "event": st.sampled_from(sorted(MEDUSA_EVENTS)),
            "data": st.fixed_dictionaries({"id": ids}),
        }
    ),
    "payload": st.fixed_dictionaries(
        {
            "collection": st.sampled_from(sorted(PAYLOAD_COLLECTIONS)),
            "operation": st.sampled_from(["create", "update", "delete"]),
            "id": ids | st.integers(0, 10**9),
            "status": st.just("published"),
            "doc": st.just({"title": "Café"}),
        }
    ),
}


def per_source(*rest: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[Any, ...]]:
    """``(source, valid body of that source, *rest)`` without a (slow) flatmap."""
    return st.one_of([st.tuples(st.just(source), VALID[source], *rest) for source in sorted(VALID)])


def _signed(body: bytes, source: str) -> dict[str, str]:
    return sign_headers(body, SECRETS[source], msg_id=f"msg_{uuid.uuid4().hex}", timestamp=NOW)


# -- the four families --------------------------------------------------------------------------


def _signed_junk() -> st.SearchStrategy[Any]:
    """Authentic signatures over bodies that are not valid events (400/422)."""
    return st.one_of(
        st.tuples(st.just("medusa"), _medusa_junk().map(json.dumps)),
        st.tuples(st.just("payload"), _payload_junk().map(json.dumps)),
        st.tuples(sources, st.binary(max_size=300)),
        st.tuples(sources, json_values.filter(lambda v: not isinstance(v, dict)).map(json.dumps)),
    )


def check_signed_junk(rig: Rig, source: str, text: str | bytes) -> None:
    body = text.encode() if isinstance(text, str) else text
    rig.check_refused(source, body, _signed(body, source))


MUTATIONS = [
    "flip",
    "append",
    "id",
    "timestamp",
    "truncate",
    "wrong-secret",
    "stale",
    "future",
    "drop",
]


def check_tampered(
    rig: Rig, source: str, value: dict[str, Any], mutation: str, n: int, xor: int
) -> None:
    """A valid event whose body, headers, secret or timing were tampered with (401/400)."""
    body = json.dumps(value).encode()
    headers = _signed(body, source)
    if mutation == "flip":
        i = n % len(body)
        body = body[:i] + bytes([body[i] ^ xor]) + body[i + 1 :]
    elif mutation == "append":
        body += b" " * (1 + n % 5)
    elif mutation == "id":
        headers["webhook-id"] += "x"
    elif mutation == "timestamp":
        headers["webhook-timestamp"] = str(int(NOW) + 1 + n % 200)
    elif mutation == "truncate":
        headers["webhook-signature"] = headers["webhook-signature"][: 3 + n % 40]
    elif mutation == "wrong-secret":
        headers["webhook-signature"] = sign(
            body, generate_secret(), msg_id=headers["webhook-id"], timestamp=NOW
        )
    elif mutation in ("stale", "future"):
        ts = NOW - 301 - n if mutation == "stale" else NOW + 301 + n
        headers = sign_headers(
            body, SECRETS[source], msg_id=f"msg_{uuid.uuid4().hex}", timestamp=ts
        )
    else:
        del headers[("webhook-id", "webhook-timestamp", "webhook-signature")[n % 3]]
    rig.check_refused(source, body, headers)


ENCODINGS = ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "latin-1", "cp1252"]


def check_encoded(rig: Rig, source: str, value: dict[str, Any], encoding: str) -> None:
    """A valid event encoded as UTF-16/32, with a BOM, or Latin-1, then signed (400)."""
    body = json.dumps({**value, "title": "Café"}, ensure_ascii=False).encode(encoding)
    rig.check_refused(source, body, _signed(body, source))


FAMILIES: dict[str, tuple[int, st.SearchStrategy[Any], Callable[..., None]]] = {
    "random": (4000, st.tuples(sources, bodies_any, headers_any), Rig.check_refused),
    "signed-junk": (3000, _signed_junk(), check_signed_junk),
    "tampered": (
        2000,
        per_source(st.sampled_from(MUTATIONS), st.integers(0, 10**6), st.integers(1, 255)),
        check_tampered,
    ),
    "encodings": (1000, per_source(st.sampled_from(ENCODINGS)), check_encoded),
}
assert sum(cases for cases, _, _ in FAMILIES.values()) == 10_000


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_fuzz(family: str) -> None:
    cases, strategy, check = FAMILIES[family]
    run_counted(cases, strategy, check, batch=BATCH)


@pytest.mark.slow
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_fuzz_unbatched(family: str) -> None:
    _, strategy, check = FAMILIES[family]
    run_counted(10_000, strategy, check, batch=1)
