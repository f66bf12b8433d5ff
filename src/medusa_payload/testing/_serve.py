"""Run the fakes as real HTTP servers on loopback (for benchmarks, demos, non-Python tools).

python -m medusa_payload.testing serve [--medusa-port 9000] [--payload-port 3000] [--seed]
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from ._medusa import FakeMedusa
from ._payload import FakePayload
from ._seed import seed_demo
from ._transport import FakeServer

__all__ = ["main", "serve_http"]


def _handler_for(fake: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            request = httpx.Request(
                self.command,
                f"http://{self.headers.get('host', 'localhost')}{self.path}",
                headers=list(self.headers.items()),
                content=body,
            )
            try:
                response = fake.handle_sync(request)
            except httpx.ConnectError:
                self.close_connection = True
                return
            except httpx.TimeoutException:
                self.close_connection = True
                return
            content = response.read()
            self.send_response(response.status_code)
            for key, value in response.headers.items():
                if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(key, value)
            self.send_header("content-length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve  # noqa: N815 - stdlib names

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


@contextmanager
def serve_http(fake: FakeServer, port: int = 0, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``fake`` over HTTP on ``host:port`` (0 = any free port) in a thread; yields its URL."""
    server = ThreadingHTTPServer((host, port), _handler_for(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="fake-http", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    """``serve``: run FakeMedusa and FakePayload until interrupted, print the env to use."""
    parser = argparse.ArgumentParser(prog="python -m medusa_payload.testing")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the fakes over HTTP on loopback")
    serve.add_argument("--medusa-port", type=int, default=9000)
    serve.add_argument("--payload-port", type=int, default=3000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--seed", action="store_true", help="seed the live stack's demo data")
    args = parser.parse_args(argv)
    medusa, payload = FakeMedusa(), FakePayload()
    if args.seed:
        seed_demo(medusa, payload)
    with (
        serve_http(medusa, args.medusa_port, args.host) as medusa_url,
        serve_http(payload, args.payload_port, args.host) as payload_url,
    ):
        print(f"MEDUSA_BACKEND_URL={medusa_url}")
        print(f"MEDUSA_PUBLISHABLE_KEY={medusa.publishable_key}")
        print(f"MEDUSA_API_KEY={medusa.secret_key}")
        print(f"MEDUSA_REGION_ID={medusa.region_id}")
        print(f"PAYLOAD_CMS_URL={payload_url}")
        print(f"PAYLOAD_API_KEY={payload.api_key}")
        print(f"MEDUSA_ADMIN_EMAIL={medusa.admin_email}")
        print(f"MEDUSA_ADMIN_PASSWORD={medusa.admin_password}", flush=True)
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0
