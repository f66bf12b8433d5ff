"""Reconcile on the real stack at size: 1,000 products against the naive per-product walk.

    STACK_DIR=/tmp/stack-scale/stack python -m benchmarks.live_reconcile [--products 1000]

Needs a live stack of your own (``tests/live/stack/live-stack.sh all``; it reads
``$STACK_DIR/live.env``); without ``STACK_DIR`` it prints why and exits 0, so
``benchmarks.run_all`` passes on machines without one. Not in CI.

1. Seeds ``--products`` uniquely named products through Medusa's admin batch endpoint
   (``POST /admin/products/batch``, 100 per request).
2. ``reconcile(scope=("products",))``: the first run finds each new product without content
   and creates its ``product-content`` doc in Payload.
3. The baseline, same run: the naive walk, one Medusa ``GET /admin/products/{id}`` and one
   Payload ``find`` by ``medusaProductId`` per product (what a per-product check costs).
4. ``reconcile`` again, now drift-free: the like-for-like comparison with the walk.

Requests are counted by httpx event hooks on the clients' own connections. The seeded
products stay (the stack is a throwaway of your own).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from benchmarks._util import report, seed_products


def _env(stack_dir: str) -> dict[str, str]:
    values = {}
    for line in Path(stack_dir, "live.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
    return values


def _counting(counts: Counter[str], side: str, base_url: str) -> httpx.Client:
    def hook(request: httpx.Request) -> None:
        counts[f"{side} {request.method}"] += 1

    return httpx.Client(base_url=base_url, timeout=60, event_hooks={"request": [hook]})


_BREAKDOWN = "products / missing / drifted / in sync / errors"


def _breakdown(result: Any) -> str:
    parts = (result.products, result.missing, result.drifted, result.in_sync, result.errors)
    return " / ".join(str(n) for n in parts)


def main() -> int:
    """Seed, reconcile, walk, reconcile again; print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    stack_dir = os.environ.get("STACK_DIR")
    if not stack_dir or not Path(stack_dir, "live.env").exists():
        print("live_reconcile: skipped, no STACK_DIR with a live.env (see the docstring)")
        return 0
    from medusa_payload import MedusaClient, PayloadClient
    from medusa_payload.sync import reconcile

    env = _env(stack_dir)
    tag = uuid.uuid4().hex[:6]
    started = time.perf_counter()
    ids = seed_products(env, args.products, tag)
    seed_seconds = time.perf_counter() - started
    counts: Counter[str] = Counter()
    with (
        MedusaClient(
            env["MEDUSA_URL"],
            api_key=env["MEDUSA_SECRET_API_KEY"],
            http_client=_counting(counts, "medusa", env["MEDUSA_URL"]),
        ) as m,
        PayloadClient(
            env["PAYLOAD_URL"],
            api_key=env["PAYLOAD_API_KEY"],
            http_client=_counting(counts, "payload", env["PAYLOAD_URL"]),
        ) as p,
    ):
        figures: dict[str, Any] = {
            "products seeded (batch)": len(ids),
            "seed seconds": seed_seconds,
        }

        def timed(name: str, run: Any) -> Any:
            counts.clear()
            began = time.perf_counter()
            result = run()
            figures[f"{name}: seconds"] = time.perf_counter() - began
            figures[f"{name}: requests (GET / writes)"] = (
                f"{sum(n for k, n in counts.items() if k.endswith('GET'))} / "
                f"{sum(n for k, n in counts.items() if not k.endswith('GET'))}"
            )
            return result

        first = timed(
            "reconcile 1 (creates content)",
            lambda: reconcile(m, p, scope=("products",), page_size=args.page_size),
        )
        figures["reconcile 1: " + _BREAKDOWN] = _breakdown(first)

        def walk() -> int:
            found = 0
            for pid in ids:
                m.admin.products.retrieve(pid)
                where = {"medusaProductId": {"equals": pid}}
                found += (
                    next(iter(p.find("product-content", where=where, limit=1)), None) is not None
                )
            return found

        found = timed("naive walk (baseline)", walk)
        figures["naive walk: content docs found"] = found
        second = timed(
            "reconcile 2 (drift-free)",
            lambda: reconcile(m, p, scope=("products",), page_size=args.page_size),
        )
        figures["reconcile 2: " + _BREAKDOWN] = _breakdown(second)
        figures["ratio reconcile 2 / naive walk, seconds"] = (
            figures["reconcile 2 (drift-free): seconds"] / figures["naive walk (baseline): seconds"]
        )
    figures["load average (1 min)"] = os.getloadavg()[0]
    report("live_reconcile", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
