"""Invalidation fan-out: a signed webhook sent -> the last of 4 replica processes dropped it.

    python -m benchmarks.bus_fanout [--invalidations 1000] [--replicas 4]

Real processes on loopback: the fakes served over HTTP (this process), 4 storefront replicas
(`AsyncUnifiedClient` with `RedisBus`) and 1 receiver (uvicorn, `WebhookReceiver(bus=...)`),
from tests/unified/bus_fleet.py, on the Redis at ``REDIS_URL``. Each invalidation is one
``product.updated`` webhook, sent one after the other; its fan-out time runs from just before
the POST (so it includes the receipt) to the latest drop among the replicas (each replica
stamps the moment it applied the message). Baseline, same run and same deliveries: the POST's
own round trip (verify, enqueue, publish, answer 202). Target (issue 15): p99 <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import uuid

import httpx
import redis
from tests.unified.bus_fleet import Fleet

from benchmarks._util import report
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo, serve_http
from medusa_payload.webhooks import sign_headers

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(invalidations: int, replicas: int) -> dict[str, float | int | str]:
    """Send ``invalidations`` webhooks through the fleet; the figures in milliseconds."""
    medusa_fake, payload_fake = FakeMedusa(), FakePayload()
    seed_demo(medusa_fake, payload_fake)
    stream = f"bench-bus:{uuid.uuid4().hex[:8]}"
    acks_key = f"{stream}:acks"
    client = redis.Redis.from_url(URL)
    fanout, posts = [], []
    with serve_http(medusa_fake) as medusa_url, serve_http(payload_fake) as payload_url:
        fleet = Fleet(medusa_fake, (medusa_url, payload_url), URL, stream)
        try:
            fleet.start(replicas)
            with httpx.Client(timeout=10) as http:
                for n in range(invalidations + 20):  # the first 20 warm up, not counted
                    body = json.dumps(
                        {"event": "product.updated", "data": {"id": f"prod_bench_{n}"}}
                    ).encode()
                    headers = sign_headers(body, fleet.secret)
                    sent = time.time()
                    answer = http.post(fleet.webhook_url, content=body, headers=headers)
                    answered = time.time()
                    if answer.status_code != 202:
                        raise RuntimeError(f"webhook answered {answer.status_code}")
                    last = 0.0
                    for _ in range(replicas):
                        item = client.blpop([acks_key], timeout=10)
                        if item is None:
                            raise RuntimeError("a replica did not drop within 10 s")
                        ack = json.loads(item[1])
                        if ack["product"] != f"prod_bench_{n}":
                            raise RuntimeError(f"unexpected ack {ack}")
                        last = max(last, ack["at"])
                    if n >= 20:
                        fanout.append((last - sent) * 1000)
                        posts.append((answered - sent) * 1000)
        finally:
            fleet.stop()
            client.delete(stream, f"{stream}:seq", acks_key)
            client.close()
    return {
        "invalidations": invalidations,
        "replicas": replicas,
        "fanout_p50_ms": _percentile(fanout, 0.50),
        "fanout_p99_ms": _percentile(fanout, 0.99),
        "fanout_max_ms": max(fanout),
        "baseline_webhook_p50_ms": _percentile(posts, 0.50),
        "baseline_webhook_p99_ms": _percentile(posts, 0.99),
        "ratio_p50": _percentile(fanout, 0.50) / _percentile(posts, 0.50),
        "target": "fanout p99 <= 50 ms",
    }


def main() -> None:
    """Run and report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--invalidations", type=int, default=1000)
    parser.add_argument("--replicas", type=int, default=4)
    args = parser.parse_args()
    report("bus_fanout", run(args.invalidations, args.replicas))


if __name__ == "__main__":
    main()
