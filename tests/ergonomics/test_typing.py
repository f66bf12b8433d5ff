"""mypy --strict infers the item types at call sites: ``async for`` over a list call, the page
of ``await``, ``with_options``, the typed ``with_raw_response(call, ...)`` form, ``request``."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = """
from medusa_payload import AsyncMedusaClient, AsyncPayloadClient, MedusaClient, PayloadClient
from medusa_payload.payload import ProductContent


async def f(
    am: AsyncMedusaClient, ap: AsyncPayloadClient, m: MedusaClient, p: PayloadClient
) -> None:
    async for prod in am.store.products.list():
        reveal_type(prod)
    reveal_type(await am.store.products.list())
    async for doc in ap.find("x", model=ProductContent):
        reveal_type(doc)
    async for version in ap.find_versions("x"):
        reveal_type(version)
    reveal_type(m.store.products.list())
    reveal_type(am.with_options(timeout=1.0))
    reveal_type(await am.with_raw_response(am.store.products.retrieve, "x"))
    reveal_type(await am.with_raw_response(am.store.products.list, limit=1))
    # a generic call (Payload's model=) needs model= here: a ParamSpec drops TypeVar defaults
    reveal_type(p.with_raw_response(p.find, "x", model=ProductContent))
    reveal_type(await am.request("GET", "/x", cast_to=ProductContent))
    reveal_type(prod._request_id)
"""

EXPECTED = [
    "medusa_payload.medusa.models.Product",
    "medusa_payload._core._async.pagination.AsyncPage[medusa_payload.medusa.models.Product]",
    "medusa_payload.payload.models.ProductContent",
    "medusa_payload.payload.models.Version[medusa_payload.payload.models.Document]",
    "medusa_payload._core._sync.pagination.Page[medusa_payload.medusa.models.Product]",
    "medusa_payload.medusa._async.client.AsyncMedusaClient",
    "medusa_payload._core._raw.RawResponse[medusa_payload.medusa.models.Product]",
    "medusa_payload._core._raw.RawResponse[medusa_payload._core._async.pagination.AsyncPage["
    "medusa_payload.medusa.models.Product]]",
    "medusa_payload._core._raw.RawResponse[medusa_payload._core._sync.pagination.Page["
    "medusa_payload.payload.models.ProductContent]]",
    "medusa_payload.payload.models.ProductContent",
    "str | None",
]


def test_mypy_strict_sees_the_types(tmp_path: Path) -> None:
    source = tmp_path / "snippet.py"
    source.write_text(SNIPPET)
    out, err, status = api.run(
        ["--strict", "--cache-dir", str(ROOT / ".mypy_cache"), "--no-error-summary", str(source)]
    )
    revealed = re.findall(r'Revealed type is "([^"]+)"', out)
    assert revealed == EXPECTED, out + err
    assert "error:" not in out and status == 0, out
