"""Small helpers shared by the unit tests."""

from __future__ import annotations

import copy
import inspect
import json
from pathlib import Path
from typing import Any, TypeVar

from medusa_payload.testing import FakeMedusa, FakePayload

FIXTURES = Path(__file__).parent / "fixtures"

T = TypeVar("T")


def fixture(name: str) -> Any:
    """A real response body recorded from Medusa 2.21.2 / Payload 3.90.2 (tests/fixtures)."""
    return json.loads((FIXTURES / name).read_text())


async def resolve(value: Any) -> Any:
    """Await ``value`` if it is awaitable: lets one test body drive a sync or an async client."""
    if inspect.isawaitable(value):
        return await value
    return value


async def collect(page: Any) -> list[Any]:
    """Every item of a `Page` or `AsyncPage`, across pages."""
    if hasattr(page, "__aiter__"):
        return [item async for item in page]
    return list(page)


async def close(client: Any) -> None:
    """Close a sync or async client."""
    if hasattr(client, "aclose"):
        await client.aclose()
    else:
        client.close()


MEDUSA_TABLES = ("products", "regions", "collections", "categories", "sales_channels", "stores")


def fakes_state(medusa: FakeMedusa, payload: FakePayload) -> dict[str, Any]:
    """A deep copy of what both fakes hold and of every write request they received.

    Take it before and after a dry run: the two must be equal (nothing stored changed, no
    POST/PATCH/DELETE was sent), whatever the run's report says about itself.
    """
    return copy.deepcopy(
        {
            "medusa": {name: getattr(medusa, name) for name in (*MEDUSA_TABLES, "orders")},
            "payload": {slug: payload.docs(slug) for slug in payload.specs},
            "writes": [
                (r.method, r.path, r.body)
                for fake in (medusa, payload)
                for r in fake.requests
                if r.method != "GET"
            ],
        }
    )
