"""A webhook receiver for Medusa and Payload, runnable as it is.

    export MEDUSA_WEBHOOK_SECRET=whsec_...      # the secret the Medusa subscriber signs with
    export PAYLOAD_WEBHOOK_SECRET=whsec_...     # the secret the Payload hook signs with
    export MEDUSA_PAYLOAD_STATS_TOKEN=...       # optional: enables GET /queue/stats
    python examples/webhook_receiver.py asgi --port 8080     # uvicorn (the [cli] extra)
    python examples/webhook_receiver.py wsgi --port 8080     # the stdlib wsgiref server

Both serve ``POST /webhooks/medusa``, ``POST /webhooks/payload`` and ``GET /queue/stats``. Jobs
go to an in-memory queue here, so they live as long as the process; a deployment passes a
``RedisQueue`` and runs ``Worker`` processes on the same Redis. Secrets may hold several
comma-separated values while one is being rotated.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Mapping
from typing import Any

from medusa_payload.webhooks import (
    LoggingAuditSink,
    WebhookASGIApp,
    WebhookEvent,
    WebhookReceiver,
    WebhookWSGIApp,
    create_asgi_app,
    create_wsgi_app,
)

log = logging.getLogger("webhook_receiver")


def invalidate(event: WebhookEvent) -> None:
    """Where caches would drop what changed: ``unified.invalidate_for_event(event)``."""
    log.info("invalidate %s %s %s", event.source, event.name, event.ids)


def build_receivers(
    queue: Any, environ: Mapping[str, str] | None = None
) -> tuple[WebhookReceiver, WebhookReceiver]:
    """One receiver per source, each verifying with its own secrets (from the environment)."""
    audit = LoggingAuditSink()
    common: dict[str, Any] = {"environ": environ, "audit": audit, "invalidate": invalidate}
    return (
        WebhookReceiver.from_env(queue, source="medusa", **common),
        WebhookReceiver.from_env(queue, source="payload", **common),
    )


def build_asgi(queue: Any, environ: Mapping[str, str] | None = None) -> WebhookASGIApp:
    """The ASGI app (for uvicorn, or to mount in FastAPI/Starlette)."""
    env = os.environ if environ is None else environ
    medusa, payload = build_receivers(queue, env)
    return create_asgi_app(medusa, payload, stats_token=env.get("MEDUSA_PAYLOAD_STATS_TOKEN"))


def build_wsgi(queue: Any, environ: Mapping[str, str] | None = None) -> WebhookWSGIApp:
    """The WSGI app (for gunicorn/wsgiref, or to mount in Flask)."""
    env = os.environ if environ is None else environ
    medusa, payload = build_receivers(queue, env)
    return create_wsgi_app(medusa, payload, stats_token=env.get("MEDUSA_PAYLOAD_STATS_TOKEN"))


def default_queue() -> Any:
    """The embedded in-memory queue (a deployment uses ``RedisQueue`` instead)."""
    from medusa_payload.queue import InMemoryQueue  # type: ignore[attr-defined]

    return InMemoryQueue()


def main() -> None:
    parser = argparse.ArgumentParser(description="Medusa + Payload webhook receiver")
    parser.add_argument("server", choices=["asgi", "wsgi"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    queue = default_queue()
    if args.server == "asgi":
        import uvicorn

        uvicorn.run(build_asgi(queue), host=args.host, port=args.port)
        return
    from wsgiref.simple_server import make_server

    app = build_wsgi(queue)
    with make_server(args.host, args.port, app) as server:
        log.info("serving on http://%s:%d", args.host, args.port)
        try:
            server.serve_forever()
        finally:
            app.close()


if __name__ == "__main__":
    main()
