"""Throughput of the webhook receiver: verify + parse + route + dedup + enqueue (in-memory queue).

    python benchmarks/webhooks_receiver.py [--n 20000] [--rounds 3]

Prints webhooks/s for:

- ``baseline``: raw Standard Webhooks verification (HMAC-SHA256 + base64 + constant-time
  compare) and ``json.loads`` only, the floor any receiver pays;
- ``ahandle``: `WebhookReceiver.ahandle` on one event loop (the ASGI path), every step of the
  pipeline including the replay store, the dedup key and the enqueue;
- ``handle``: the sync form (the WSGI path), which hands each delivery to the receiver's
  background loop thread;

and each one's ratio against the baseline measured in the same run. Target: >= 5,000/s for
``ahandle``. Deliveries are distinct (new ``webhook-id`` each) and signed before timing starts.

The queue is `medusa_payload.queue.InMemoryQueue`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import functools
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

from benchmarks._util import report
from medusa_payload.webhooks import WebhookReceiver, generate_secret, sign_headers
from medusa_payload.webhooks._signing import decode_secret

TARGET = 5000.0


def make_queue() -> tuple[Any, str]:
    from medusa_payload.queue import InMemoryQueue

    return InMemoryQueue(), "medusa_payload.queue.InMemoryQueue"


def deliveries(n: int, secret: str) -> list[tuple[bytes, dict[str, str]]]:
    out = []
    now = time.time()
    for i in range(n):
        body = json.dumps(
            {
                "event": "product.updated",
                "data": {"id": f"prod_{i:08d}"},
                "metadata": {"eventGroupId": f"grp_{i}", "created_at": "2026-11-23T22:57:27.080Z"},
                "sent_at": "2026-11-23T22:57:27.094Z",
            }
        ).encode()
        out.append((body, sign_headers(body, secret, msg_id=f"msg_{i:08d}", timestamp=now)))
    return out


def baseline(items: list[tuple[bytes, dict[str, str]]], key: bytes) -> None:
    for body, headers in items:
        message = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
        expected = hmac.digest(key, message, "sha256")
        given = base64.b64decode(headers["webhook-signature"].split(",", 1)[1])
        assert hmac.compare_digest(expected, given)
        json.loads(body)


def timed(run: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    run()
    return n / (time.perf_counter() - start)


def rate_ahandle(items: list[tuple[bytes, dict[str, str]]], secret: str) -> float:
    receiver = WebhookReceiver(make_queue()[0], secret, source="medusa")

    async def run() -> None:
        for body, headers in items:
            receipt = await receiver.ahandle(body, headers)
            assert receipt.status == 202, receipt

    return timed(lambda: asyncio.run(run()), len(items))


def rate_handle(items: list[tuple[bytes, dict[str, str]]], secret: str) -> float:
    with WebhookReceiver(make_queue()[0], secret, source="medusa") as receiver:

        def run() -> None:
            for body, headers in items:
                assert receiver.handle(body, headers).status == 202

        return timed(run, len(items))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="deliveries per round")
    parser.add_argument("--rounds", type=int, default=3, help="best of this many rounds")
    args = parser.parse_args()
    secret = generate_secret()
    key = decode_secret(secret)
    results = {"baseline": 0.0, "ahandle": 0.0, "handle": 0.0}
    for _ in range(args.rounds):
        items = deliveries(args.n, secret)  # fresh ids each round: nothing is a duplicate
        rates = {
            "baseline": timed(functools.partial(baseline, items, key), args.n),
            "ahandle": rate_ahandle(items, secret),
            "handle": rate_handle(items, secret),
        }
        results = {name: max(results[name], rate) for name, rate in rates.items()}

    print(f"queue: {make_queue()[1]}")
    print(f"deliveries: {args.n} per round, best of {args.rounds}")
    for name, rate in results.items():
        ratio = rate / results["baseline"]
        print(f"{name:>9}: {rate:>10,.0f} webhooks/s   ({ratio:.3f} x baseline)")
    verdict = "PASS" if results["ahandle"] >= TARGET else "FAIL"
    print(f"target >= {TARGET:,.0f}/s (ahandle): {verdict}")
    report(
        "webhooks.receiver",
        {
            "ahandle webhooks/s (target >= 5000)": results["ahandle"],
            "handle (sync) webhooks/s": results["handle"],
            "baseline (HMAC + json.loads) webhooks/s": results["baseline"],
            "ratio ahandle/baseline": results["ahandle"] / results["baseline"],
        },
    )
    raise SystemExit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
