"""Extra job handlers loaded by ``medusa-payload worker --handlers`` in tests/test_cli.py."""

from __future__ import annotations

from typing import Any


async def hello(ctx: Any) -> dict[str, str]:
    return {"hello": str(ctx.data["who"])}


HANDLERS = {"custom.hello": hello}
