"""`create_asgi_app`: the webhook endpoints as a plain ASGI 3 app (no framework needed).

Run it with any ASGI server (``uvicorn module:app``) or mount it in one (FastAPI / Starlette
``app.mount("/", webhooks_app)``). See `_app_core` for the routes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from medusa_payload.queue import Queue

from . import _app_core as core
from ._receiver import WebhookReceiver

__all__ = ["WebhookASGIApp", "create_asgi_app"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if bytes(key).lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The body, or ``None`` as soon as it grows over ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionError("client disconnected")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send(send: Send, response: core.Response, *, head: bool = False) -> None:
    body = response.body()
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers(body)]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


class WebhookASGIApp:
    """The ASGI callable made by `create_asgi_app`."""

    def __init__(self, app_core: core.AppCore) -> None:
        """Serve the routes of ``app_core``."""
        self.core = app_core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI 3 entry point (``http`` and ``lifespan`` scopes)."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            response, after = await self._respond(scope, receive)
        except ConnectionError:
            return
        await _send(send, response, head=scope.get("method") == "HEAD")
        if after is not None:  # the audit records, once the sender has its answer
            await after()

    async def _respond(
        self, scope: Scope, receive: Receive
    ) -> tuple[core.Response, Callable[[], Awaitable[None]] | None]:
        path = core.strip_root(scope.get("path", "/"), scope.get("root_path", ""))
        target = self.core.route(scope.get("method", "GET"), path)
        if isinstance(target, core.Response):
            return target, None
        if isinstance(target, str):
            return await self.core.answer(target, _header(scope, b"authorization")), None
        declared = core.declared_length(_header(scope, b"content-length"))
        body: bytes | None = None
        if declared is None or declared <= target.max_body_size:
            body = await _read_body(receive, target.max_body_size)
        return await self.core.webhook_deferred(target, body, scope.get("headers") or [])

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_asgi_app(
    medusa: WebhookReceiver | None = None,
    payload: WebhookReceiver | None = None,
    *,
    stats_token: str | None = None,
    stats_queue: Queue | None = None,
) -> WebhookASGIApp:
    """An ASGI app serving ``POST /webhooks/medusa``, ``POST /webhooks/payload`` and
    ``GET /queue/stats``.

    Args:
        medusa: the ``source="medusa"`` receiver (its route answers 404 when omitted).
        payload: the ``source="payload"`` receiver (likewise).
        stats_token: the bearer secret of ``GET /queue/stats``; without it that route is 404.
        stats_queue: the queue whose stats are served (default: the first receiver's queue).

    The receivers are driven with ``await receiver.ahandle(...)`` on the server's event loop.
    """
    return WebhookASGIApp(
        core.AppCore(
            medusa=medusa, payload=payload, stats_token=stats_token, stats_queue=stats_queue
        )
    )
