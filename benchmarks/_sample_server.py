"""A tiny ASGI server answering with the recorded Medusa/Payload bodies (benchmarks only).

python -m benchmarks._sample_server PORT [LATENCY_MS]
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import uvicorn

from benchmarks._util import FIXTURES

BODIES = {
    "/store/products": (FIXTURES / "medusa_store_products_by_handle.json").read_bytes(),
    "/api/product-content": (FIXTURES / "payload_product_content_by_handle.json").read_bytes(),
}
NOT_FOUND = json.dumps({"type": "not_found", "message": "no route"}).encode()


def make_app(latency: float) -> Callable[..., Awaitable[None]]:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if latency:
            await asyncio.sleep(latency)
        body = BODIES.get(scope["path"])
        status = 200 if body is not None else 404
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body or NOT_FOUND})

    return app


if __name__ == "__main__":
    port = int(sys.argv[1])
    latency_ms = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    uvicorn.run(
        make_app(latency_ms / 1000),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )
