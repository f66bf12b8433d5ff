"""Reconcile 10,000 products against the in-memory fakes: time, peak RSS, request counts.

    python -m benchmarks.sync_reconcile [--products 10000] [--page-size 100]

Runs in a fresh process per scenario (so peak RSS is that scenario's): drift-free, then 10% of
products drifted (half in Medusa-owned fields, half in synced metadata). Baseline in the same
run: only walking both sides' pages with the same clients (the floor of any reconcile).
Targets (issue 5): <= 10 s and <= 150 MB peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from benchmarks._util import report


def _seed(products: int, drift: float) -> tuple[object, object]:
    from medusa_payload.payload.models import ProductContent
    from medusa_payload.sync.plans import content_metadata
    from medusa_payload.testing import FakeMedusa, FakePayload

    medusa, payload = FakeMedusa(), FakePayload()
    drifted = int(products * drift)
    for n in range(products):
        product = medusa.add_product(f"Product {n}", handle=f"p-{n}", description=f"Desc {n}")
        doc = payload.add_product_content(
            f"p-{n}",
            f"Product {n}" if n >= drifted // 2 else f"Edited {n}",
            medusa_product_id=product["id"],
            description=f"Desc {n}",
            features=[{"title": "Soft"}],
            specs=[{"key": "w", "value": "1"}],
            seo={"title": f"P{n}"},
        )
        metadata = content_metadata(ProductContent.model_validate(doc))
        if drifted // 2 <= n < drifted:
            metadata["seo"] = {"title": "hand edited"}
        medusa.products[product["id"]]["metadata"] = metadata
    return medusa, payload


def _scenario(products: int, drift: float, page_size: int) -> dict[str, object]:
    from medusa_payload import MedusaClient, PayloadClient
    from medusa_payload.sync import reconcile

    medusa, payload = _seed(products, drift)
    rss_seeded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with (
        MedusaClient(medusa.base_url, api_key=medusa.secret_key, transport=medusa.transport) as m,
        PayloadClient(payload.base_url, api_key=payload.api_key, transport=payload.transport) as p,
    ):
        started = time.perf_counter()
        walked = sum(
            1
            for _ in m.admin.products.list(
                limit=page_size, fields="id,handle,title,description,metadata"
            )
        )
        walked += sum(1 for _ in p.find("product-content", limit=page_size))
        walk_seconds = time.perf_counter() - started
        medusa.reset_requests()
        payload.reset_requests()
        started = time.perf_counter()
        result = reconcile(m, p, scope=("products",), page_size=page_size)
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reads = sum(n for r, n in medusa.counts().items() if r.startswith("GET")) + sum(
        n for r, n in payload.counts().items() if r.startswith("GET")
    )
    writes = sum(n for r, n in medusa.counts().items() if not r.startswith("GET")) + sum(
        n for r, n in payload.counts().items() if not r.startswith("GET")
    )
    return {
        "seconds": seconds,
        "walk_seconds": walk_seconds,
        "peak_rss_mb": peak,
        "rss_after_seeding_mb": rss_seeded,
        "reads": reads,
        "writes": writes,
        "drifted": result.drifted,
        "in_sync": result.in_sync,
        "walked": walked,
    }


def main() -> None:
    """Run both scenarios in child processes and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(_scenario(args.products, args.child, args.page_size)))
        return
    for drift in (0.0, 0.1):
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.sync_reconcile",
                "--products",
                str(args.products),
                "--page-size",
                str(args.page_size),
                "--child",
                str(drift),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        report(
            f"sync_reconcile.{int(drift * 100)}pct_drift",
            {
                "products": args.products,
                "reconcile seconds (target <= 10)": figures["seconds"],
                "walk-only seconds (baseline)": figures["walk_seconds"],
                "ratio reconcile/walk": figures["seconds"] / figures["walk_seconds"],
                "peak RSS MB, whole process incl. fakes (target <= 150)": figures["peak_rss_mb"],
                "RSS after seeding the fakes MB": figures["rss_after_seeding_mb"],
                "reads": figures["reads"],
                "writes": figures["writes"],
                "drifted found": figures["drifted"],
            },
        )


if __name__ == "__main__":
    main()
