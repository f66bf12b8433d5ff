"""`create_wsgi_app`: the webhook endpoints as a plain WSGI app (no framework needed).

The queue is async, and a WSGI server has no event loop for it: the app owns one private
`BackgroundLoop` (a daemon thread) and runs every receiver call and every stats call on it, so
loop-bound queue resources always see the same loop. Mount it in Flask with
``DispatcherMiddleware`` or serve it directly (``gunicorn module:app``).
"""

from __future__ import annotations

import http
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from medusa_payload.queue import Queue

from .._core._loop import BackgroundLoop
from . import _app_core as core
from ._receiver import WebhookReceiver

__all__ = ["WebhookWSGIApp", "create_wsgi_app"]

StartResponse = Callable[..., Any]
_CHUNK = 64 * 1024


def _headers(environ: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs = [
        (k[5:].replace("_", "-").lower(), str(v))
        for k, v in environ.items()
        if k.startswith("HTTP_")
    ]
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            pairs.append((key.replace("_", "-").lower(), str(environ[key])))
    return pairs


def _read_body(environ: Mapping[str, Any], declared: int | None, limit: int) -> bytes | None:
    """The body, or ``None`` when it is over ``limit``."""
    stream: IO[bytes] = environ["wsgi.input"]
    if declared is not None:
        return stream.read(declared) if declared <= limit else None
    if not environ.get("wsgi.input_terminated"):
        return b""  # PEP 3333: without Content-Length, the app must not read
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class WebhookWSGIApp:
    """The WSGI callable made by `create_wsgi_app`; `close` stops its event-loop thread."""

    def __init__(self, app_core: core.AppCore) -> None:
        """Serve the routes of ``app_core``."""
        self.core = app_core
        self.loop = BackgroundLoop("medusa-payload-webhooks-wsgi")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """WSGI entry point."""
        response = self._respond(environ)
        body = response.body()
        status = f"{response.status} {http.HTTPStatus(response.status).phrase}"
        start_response(status, response.headers(body))
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]

    def _respond(self, environ: dict[str, Any]) -> core.Response:
        target = self.core.route(
            environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO") or "/"
        )
        if isinstance(target, core.Response):
            return target
        if isinstance(target, str):
            return self.loop.run(self.core.answer(target, environ.get("HTTP_AUTHORIZATION")))
        declared = core.declared_length(environ.get("CONTENT_LENGTH"))
        body = _read_body(environ, declared, target.max_body_size)
        return self.loop.run(self.core.webhook(target, body, _headers(environ)))

    def close(self) -> None:
        """Stop the app's event-loop thread (the receivers and the queue stay open)."""
        self.loop.close()


def create_wsgi_app(
    medusa: WebhookReceiver | None = None,
    payload: WebhookReceiver | None = None,
    *,
    stats_token: str | None = None,
    stats_queue: Queue | None = None,
) -> WebhookWSGIApp:
    """A WSGI app serving ``POST /webhooks/medusa``, ``POST /webhooks/payload`` and
    ``GET /queue/stats``; arguments as for `create_asgi_app`.

    Every receiver call runs as ``await receiver.ahandle(...)`` on the app's own background
    event loop (one thread for the app), never on a loop of the host.
    """
    return WebhookWSGIApp(
        core.AppCore(
            medusa=medusa, payload=payload, stats_token=stats_token, stats_queue=stats_queue
        )
    )
