"""An httpx transport (sync and async) in front of an in-memory fake server.

It records every request, applies injected faults (latency, statuses, timeouts, refused
connections) and hands the rest to the fake's pure ``handle(FakeRequest) -> FakeResponse``.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import attrs
import httpx
import qs_codec

__all__ = ["FakeRequest", "FakeResponse", "FakeServer", "Fault", "RecordedRequest", "route_matches"]

_DECODE = qs_codec.DecodeOptions(list_limit=10_000, depth=20, parameter_limit=100_000)


@dataclass
class FakeRequest:
    """A request as the fake sees it.

    Attributes:
        method: HTTP method (``GET`` for a Payload method-override ``POST``).
        path: the raw path.
        segments: the path's segments, each percent-decoded on its own (as Express does), so
            ``/store/products/..%2Fadmin`` has the segment ``"../admin"``.
        query: the query decoded with ``qs`` (nested dicts, lists).
        headers: request headers.
        body: raw body.
    """

    method: str
    path: str
    segments: list[str]
    query: dict[str, Any]
    headers: httpx.Headers
    body: bytes

    def json(self) -> Any:
        """The JSON body (``None`` when empty)."""
        return json.loads(self.body) if self.body else None


@dataclass
class FakeResponse:
    """What a fake handler answers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def to_httpx(self, request: httpx.Request) -> httpx.Response:
        """As an `httpx.Response` (a ``str`` body is sent as HTML, like Express's 404 page;
        ``bytes`` as they are, e.g. an uploaded file)."""
        if self.body is None:
            return httpx.Response(self.status, headers=self.headers, request=request)
        if isinstance(self.body, str):
            headers = {"content-type": "text/html; charset=utf-8", **self.headers}
            return httpx.Response(self.status, text=self.body, headers=headers, request=request)
        if isinstance(self.body, bytes):
            return httpx.Response(
                self.status, content=self.body, headers=self.headers, request=request
            )
        content = json.dumps(self.body, separators=(",", ":")).encode()
        headers = {"content-type": "application/json; charset=utf-8", **self.headers}
        return httpx.Response(self.status, content=content, headers=headers, request=request)


@attrs.frozen
class RecordedRequest:
    """One request the fake received (faulted ones included)."""

    method: str
    path: str
    route: str
    query: Mapping[str, Any]
    headers: httpx.Headers
    body: bytes

    def json(self) -> Any:
        """The JSON body (``None`` when empty)."""
        return json.loads(self.body) if self.body else None


def route_matches(pattern: str | None, method: str, path: str, route: str) -> bool:
    """Whether a request matches ``pattern``: the route template (``"GET /store/products/{id}"``)
    or ``"METHOD /path"`` exactly, or either against shell-style wildcards (``"* /api/*"``,
    ``"GET /store/*"``). ``None`` matches every request."""
    if pattern is None:
        return True
    concrete = f"{method} {path}"
    if pattern in (route, concrete):
        return True
    return fnmatch.fnmatchcase(route, pattern) or fnmatch.fnmatchcase(concrete, pattern)


@attrs.define
class Fault:
    """An injected fault, for the requests matching ``route`` (see `route_matches`).

    Attributes:
        status: answer with this HTTP status (and ``body``) instead of the real answer.
        latency: seconds to wait before answering (real sleep: ``time.sleep`` for sync clients,
            ``asyncio.sleep`` for async ones, so concurrent async calls overlap).
        timeout: raise `httpx.ReadTimeout` (after ``latency``).
        refuse: raise `httpx.ConnectError` (connection refused).
        times: how many requests it applies to (``None``: until removed).
    """

    route: str | None = None
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = attrs.Factory(dict)
    latency: float = 0.0
    timeout: bool = False
    refuse: bool = False
    times: int | None = None
    hits: int = 0

    def matches(self, method: str, path: str, route: str) -> bool:
        """Whether this fault applies to a request."""
        if self.times is not None and self.hits >= self.times:
            return False
        return route_matches(self.route, method, path, route)


class FakeServer:
    """Base of `FakeMedusa` and `FakePayload`: transports, faults, recording, a lock."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.requests: list[RecordedRequest] = []
        self._faults: list[Fault] = []
        self._lock = threading.RLock()
        self.transport = _Transport(self)

    # ---- to override -------------------------------------------------------------------
    def handle(self, request: FakeRequest) -> FakeResponse:
        """Answer one request (pure; called under the fake's lock)."""
        raise NotImplementedError

    def route_of(self, method: str, segments: list[str]) -> str:
        """The route template of a request, e.g. ``GET /store/products/{id}``."""
        return f"{method} /" + "/".join(segments)

    # ---- faults -------------------------------------------------------------------------
    def inject(
        self,
        route: str | None = None,
        *,
        status: int | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        latency: float = 0.0,
        timeout: bool = False,
        refuse: bool = False,
        times: int | None = None,
    ) -> Fault:
        """Add a fault (see `Fault`); returns it so it can be removed with `remove_fault`.

        ```python
        fake.inject("GET /api/product-content", status=500, times=2)   # next two fail
        fake.inject(latency=0.05)                                      # every call +50 ms
        fake.inject("* /api/*", refuse=True)                           # CMS down
        ```
        """
        if status is not None and body is None:
            body = {"message": f"injected {status}"}
        fault = Fault(
            route=route,
            status=status,
            body=body,
            headers=dict(headers or {}),
            latency=latency,
            timeout=timeout,
            refuse=refuse,
            times=times,
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove_fault(self, fault: Fault) -> None:
        """Remove one injected fault."""
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        with self._lock:
            self._faults.clear()

    @contextmanager
    def faults(self, **kwargs: Any) -> Iterator[Fault]:
        """`inject` for the duration of a ``with`` block."""
        fault = self.inject(**kwargs)
        try:
            yield fault
        finally:
            self.remove_fault(fault)

    # ---- recording ----------------------------------------------------------------------
    def count(self, route: str | None = None) -> int:
        """Requests received: all, or those matching ``route`` (see `route_matches`)."""
        with self._lock:
            return sum(1 for r in self.requests if route_matches(route, r.method, r.path, r.route))

    def counts(self) -> Counter[str]:
        """Requests per route template."""
        with self._lock:
            return Counter(r.route for r in self.requests)

    def reset_requests(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self.requests.clear()

    # ---- dispatch -----------------------------------------------------------------------
    def _prepare(self, request: httpx.Request) -> tuple[FakeRequest, list[Fault]]:
        raw_path = request.url.raw_path.decode("ascii")
        path, _, query = raw_path.partition("?")
        segments = [unquote(part) for part in path.split("/") if part]
        body = request.read()
        method = request.method
        if method == "POST" and request.headers.get("x-payload-http-method-override") == "GET":
            method, query, body = "GET", body.decode(), b""
        fake_request = FakeRequest(
            method=method,
            path=path,
            segments=segments,
            query=dict(qs_codec.decode(query, _DECODE)) if query else {},
            headers=request.headers,
            body=body,
        )
        with self._lock:
            route = self.route_of(method, segments)
            self.requests.append(
                RecordedRequest(
                    method=method,
                    path=path,
                    route=route,
                    query=fake_request.query,
                    headers=request.headers,
                    body=body,
                )
            )
            faults = [f for f in self._faults if f.matches(method, path, route)]
            for fault in faults:
                fault.hits += 1
        return fake_request, faults

    def _answer(
        self, request: httpx.Request, fake_request: FakeRequest, faults: list[Fault]
    ) -> httpx.Response:
        for fault in faults:
            if fault.refuse:
                raise httpx.ConnectError("connection refused (injected)", request=request)
            if fault.timeout:
                raise httpx.ReadTimeout("read timed out (injected)", request=request)
            if fault.status is not None:
                return FakeResponse(fault.status, fault.body, fault.headers).to_httpx(request)
        with self._lock:
            response = self.handle(fake_request)
        return response.to_httpx(request)

    def handle_sync(self, request: httpx.Request) -> httpx.Response:
        """Serve one request for a sync client."""
        fake_request, faults = self._prepare(request)
        latency = sum(f.latency for f in faults)
        if latency:
            time.sleep(latency)
        return self._answer(request, fake_request, faults)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        """Serve one request for an async client."""
        fake_request, faults = self._prepare(request)
        latency = sum(f.latency for f in faults)
        if latency:
            await asyncio.sleep(latency)
        return self._answer(request, fake_request, faults)


class _Transport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Works for both `httpx.Client` and `httpx.AsyncClient`."""

    def __init__(self, server: FakeServer) -> None:
        self._server = server

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._server.handle_sync(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._server.handle_async(request)
