"""``async for x in client.<list call>()`` without ``await``; ``await`` still gives the page."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

from medusa_payload import AsyncMedusaClient, AsyncPayloadClient, MedusaClient, PayloadClient, Where
from medusa_payload.pagination import AsyncPage, AsyncPaginator, Page
from medusa_payload.testing import FakeMedusa, FakePayload
from tests.test_live_tier_covers_clients import public_methods

ROOT = Path(__file__).resolve().parents[2]


async def test_async_for_walks_every_page_without_await(
    fakes: tuple[FakeMedusa, FakePayload],
) -> None:
    fake = fakes[0]
    async with AsyncMedusaClient(
        fake.base_url, publishable_key=fake.publishable_key, transport=fake.transport
    ) as m:
        fake.reset_requests()
        listing = m.store.products.list(limit=1)
        assert isinstance(listing, AsyncPaginator)
        assert fake.count("GET /store/products") == 0  # nothing sent before it is used
        handles = [p.handle async for p in listing]
        assert handles == ["live-tee", "live-hoodie", "live-plain"]
        assert fake.count("GET /store/products") == 3  # one request per page


async def test_await_still_gives_the_first_page(fakes: tuple[FakeMedusa, FakePayload]) -> None:
    fake = fakes[0]
    async with AsyncMedusaClient(
        fake.base_url, publishable_key=fake.publishable_key, transport=fake.transport
    ) as m:
        page = await m.store.products.list(limit=2)
        assert isinstance(page, AsyncPage)
        assert [p.handle for p in page.items] == ["live-tee", "live-hoodie"]
        assert page.count == 3 and page.has_next_page()
        assert [p.handle async for p in page] == ["live-tee", "live-hoodie", "live-plain"]


async def test_payload_find_and_find_versions_iterate_without_await(
    fakes: tuple[FakeMedusa, FakePayload],
) -> None:
    fake = fakes[1]
    async with AsyncPayloadClient(
        fake.base_url, api_key=fake.api_key, transport=fake.transport
    ) as p:
        slugs = [d.model_extra["handle"] async for d in p.find("product-content", limit=1)]
        assert len(slugs) == len((await p.find("product-content", pagination=False)).items)
        doc = await p.create("articles", {"slug": "s", "title": "one"}, draft=True)
        await p.update_by_id("articles", doc.id, {"title": "two"}, draft=True)
        where = Where.equals("parent", doc.id)
        versions = [v async for v in p.find_versions("articles", where=where, limit=1)]
        assert len(versions) == 2


def test_sync_list_calls_still_return_pages(fakes: tuple[FakeMedusa, FakePayload]) -> None:
    fake = fakes[0]
    with MedusaClient(
        fake.base_url, publishable_key=fake.publishable_key, transport=fake.transport
    ) as m:
        page = m.store.products.list(limit=1)
        assert isinstance(page, Page)
        assert [p.handle for p in page] == ["live-tee", "live-hoodie", "live-plain"]


def _list_calls(client: Any) -> list[str]:
    names = []
    for name in public_methods(client):
        target = client
        for part in name.split("."):
            target = getattr(target, part)
        annotation = inspect.signature(target).return_annotation
        if re.match(r"(AsyncPaginator|AsyncPage|Page)\[", str(annotation)):
            names.append(name)
    return names


async def test_every_async_list_call_returns_a_paginator_and_every_sync_one_a_page() -> None:
    pairs = [
        (AsyncMedusaClient("http://m.test"), MedusaClient("http://m.test")),
        (AsyncPayloadClient("http://p.test"), PayloadClient("http://p.test")),
    ]
    seen = 0
    for async_client, sync_client in pairs:
        async_lists, sync_lists = _list_calls(async_client), _list_calls(sync_client)
        assert async_lists == sync_lists
        for name in async_lists:
            a, s = async_client, sync_client
            for part in name.split("."):
                a, s = getattr(a, part), getattr(s, part)
            assert not inspect.iscoroutinefunction(a), name
            assert str(inspect.signature(a).return_annotation).startswith("AsyncPaginator["), name
            assert str(inspect.signature(s).return_annotation).startswith("Page["), name
            seen += 1
        sync_client.close()
        await async_client.aclose()
    assert seen >= 25  # every list call of both clients (find, find_versions, ... included)


def _gen_sync() -> Any:
    spec = importlib.util.spec_from_file_location("gen_sync", ROOT / "scripts" / "gen_sync.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "def list(self) -> AsyncPaginator[Product]:\n"
            '    return AsyncPaginator(self._list, "/p", {"a": (1, 2)}, options)\n',
            "def list(self) -> AsyncPage[Product]:\n"
            '    return self._list("/p", {"a": (1, 2)}, options)\n',
        ),
        (
            "x = AsyncPaginator(\n    self._find_page,\n    path,\n    f(a, b),\n)\n",
            "x = self._find_page(path,\n    f(a, b))\n",
        ),
        ("AsyncPaginator(fetch)", "fetch()"),
        (
            "from ..._core._paginator import AsyncPaginator\n",
            "from ..._core._sync.pagination import AsyncPage\n",
        ),
    ],
)
def test_gen_sync_turns_a_paginator_into_its_page(source: str, expected: str) -> None:
    assert _gen_sync()._paginator_to_page(source) == expected


async def test_awaiting_or_iterating_again_sends_again_and_leaving_early_sends_nothing_more(
    fakes: tuple[FakeMedusa, FakePayload],
) -> None:
    fake = fakes[0]
    async with AsyncMedusaClient(
        fake.base_url, publishable_key=fake.publishable_key, transport=fake.transport
    ) as m:
        paginator = m.store.products.list(limit=1)
        fake.reset_requests()
        assert (await paginator).items[0].handle == (await paginator).items[0].handle
        assert [p.handle async for p in paginator] == [p.handle async for p in paginator]
        assert len(fake.requests) == 2 + 2 * 3
        fake.reset_requests()
        async for _ in paginator:
            break
        await asyncio.sleep(0)
        assert len(fake.requests) == 1
        pages = await asyncio.gather(paginator, asyncio.wait_for(paginator, 5))
        assert [page.count for page in pages] == [3, 3]
        assert (await asyncio.ensure_future(paginator)).count == 3
        with pytest.raises(TypeError, match="coroutine"):
            asyncio.get_running_loop().create_task(paginator)  # type: ignore[arg-type]
