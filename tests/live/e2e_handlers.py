"""Extra handlers for the end-to-end worker: a slow job to kill a worker in the middle of."""

from __future__ import annotations

import asyncio
from typing import Any


async def slow(ctx: Any) -> dict[str, Any]:
    await ctx.aprogress(10)
    await asyncio.sleep(float(ctx.data.get("seconds", 4)))
    await ctx.aprogress(100)
    return {"slept": ctx.data.get("seconds", 4), "attempt": ctx.attempt}


HANDLERS = {"e2e.slow": slow}
