"""Helpers shared by the benchmarks: a sample-body server in its own process, timing, output."""

from __future__ import annotations

import contextlib
import json
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def sample_server(latency_ms: float = 0.0) -> Iterator[str]:
    """Serve the recorded bodies of tests/fixtures from a separate process; yields its URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks._sample_server", str(port), str(latency_ms)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError(f"sample server did not start: {err}") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def per_call_us(fn: Callable[[], object], calls: int) -> float:
    """Mean microseconds per call of ``fn`` over ``calls`` calls."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls * 1e6


def report(name: str, figures: dict[str, float | int | str]) -> None:
    """Print one result line per figure and a JSON line for tooling."""
    print(f"== {name}")
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"   {key:<40} {shown}")
    print("   json " + json.dumps({"benchmark": name, **figures}))


def median(values: list[float]) -> float:
    """The median."""
    return float(statistics.median(values))


def product_body(name: str, tag: str, n: int) -> dict[str, object]:
    """The create body of benchmark product ``n``: ``<Name> <tag> <n>``, handle
    ``<name>-<tag>-<n>``, published, one variant at EUR 10 without inventory."""
    return {
        "title": f"{name.title()} {tag} {n}",
        "handle": f"{name}-{tag}-{n}",
        "description": f"Benchmark product {n}",
        "status": "published",
        "options": [{"title": "Size", "values": ["One"]}],
        "variants": [
            {
                "title": "One",
                "options": {"Size": "One"},
                "manage_inventory": False,
                "prices": [{"currency_code": "eur", "amount": 10}],
            }
        ],
    }


def seed_products(
    env: Mapping[str, str], products: int, tag: str, *, name: str = "scale", batch: bool = True
) -> list[str]:
    """Create ``products`` products (`product_body`) through Medusa's admin batch endpoint, 100
    per request (``batch=False``: one ``POST /admin/products`` each, for servers without the
    batch endpoint such as the fakes); their ids."""
    ids: list[str] = []
    with httpx.Client(
        base_url=env["MEDUSA_URL"], auth=(env["MEDUSA_SECRET_API_KEY"], ""), timeout=120
    ) as http:
        if not batch:
            for n in range(products):
                response = http.post(
                    "/admin/products", json=product_body(name, tag, n), params={"fields": "id"}
                )
                response.raise_for_status()
                ids.append(response.json()["product"]["id"])
            return ids
        for start in range(0, products, 100):
            create = [product_body(name, tag, n) for n in range(start, min(start + 100, products))]
            response = http.post("/admin/products/batch", json={"create": create})
            response.raise_for_status()
            ids += [p["id"] for p in response.json()["created"]]
    return ids


def delete_products(env: Mapping[str, str], ids: list[str], *, batch: bool = True) -> None:
    """Delete products through Medusa's admin batch endpoint, 100 per request (``batch=False``:
    one ``DELETE /admin/products/{id}`` each)."""
    with httpx.Client(
        base_url=env["MEDUSA_URL"], auth=(env["MEDUSA_SECRET_API_KEY"], ""), timeout=120
    ) as http:
        if not batch:
            for pid in ids:
                http.delete(f"/admin/products/{pid}").raise_for_status()
            return
        for start in range(0, len(ids), 100):
            response = http.post("/admin/products/batch", json={"delete": ids[start : start + 100]})
            response.raise_for_status()
