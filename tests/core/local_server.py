"""A tiny threaded HTTP server on loopback that misbehaves on purpose (slow drips, huge bodies,
long Retry-After), for tests of the HTTP core's bounds against a real socket."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CHUNK = b"x" * 65536


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        self.server.hits[url.path] += 1
        getattr(self, "_" + url.path.strip("/").replace("-", "_"))(query)

    def _headers(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client gave up: what the tests want
            return False
        return True

    def _drip(self, q: dict[str, str]) -> None:
        """``n`` bytes of a JSON string, one every ``every`` seconds (content-length honest)."""
        n, every = int(q.get("n", "50")), float(q.get("every", "0.2"))
        body = b'"' + b"a" * (n - 2) + b'"'
        self._headers(200, {"content-type": "application/json", "content-length": str(n)})
        for i in range(n):
            if self.server.stopping.is_set() or not self._write(body[i : i + 1]):
                return
            time.sleep(every)

    def _stall(self, q: dict[str, str]) -> None:
        """Headers at once, then nothing for ``seconds``, then the body."""
        self._headers(200, {"content-type": "application/json", "content-length": "2"})
        self.server.stopping.wait(float(q.get("seconds", "10")))
        self._write(b"{}")

    def _big(self, q: dict[str, str]) -> None:
        """``mib`` MiB; with ``length=1`` a content-length, else delimited by closing."""
        size = int(float(q.get("mib", "1")) * 1024 * 1024)
        headers = {"content-type": "application/json", "connection": "close"}
        if q.get("length") == "1":
            headers["content-length"] = str(size)
        self._headers(int(q.get("status", "200")), headers)
        sent = 0
        while sent < size and not self.server.stopping.is_set():
            part = CHUNK[: size - sent]
            if not self._write(part):
                return
            sent += len(part)
        self.server.sent[self.path] = sent
        self.close_connection = True

    def _bomb(self, q: dict[str, str]) -> None:
        """``mib`` MiB of zeros, gzip-compressed (a few KiB on the wire)."""
        body = gzip.compress(b"0" * int(float(q.get("mib", "1")) * 1024 * 1024))
        self._headers(
            200,
            {"content-encoding": "gzip", "content-length": str(len(body))},
        )
        self._write(body)

    def _status(self, q: dict[str, str]) -> None:
        """An error status with an optional Retry-After."""
        headers = {"content-type": "application/json", "content-length": "2"}
        if "after" in q:
            headers["retry-after"] = q["after"]
        self._headers(int(q.get("code", "429")), headers)
        self._write(b"{}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: Counter[str] = Counter()
        self.sent: dict[str, int] = {}
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def local_server() -> Iterator[_Server]:
    """A running misbehaving server; stopped (drips cut short) on exit."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
