"""Client overhead: ``store.products.retrieve_by_handle`` against raw httpx, same server, same run.

    python -m benchmarks.client_overhead [--rounds 15] [--calls 200]

Both sides make the same request to the same local server (recorded Medusa body, separate
process) and decode the JSON; the SDK also builds its request (qs encoding, auth placement,
request id), runs its retry wrapper and validates the body into a typed `Product`. Rounds
alternate raw and SDK so drift in machine load hits both; the figure is the median of the
per-round ratios. Target (issue 2): median ratio <= 1.15.

The ratio moves with the server's speed, and on a loaded machine the server's jitter swamps a
difference of microseconds. So the benchmark also measures what the SDK adds per typed call
with the server taken out: both sides on one in-process ``httpx.MockTransport`` answering the
same recorded body (same httpx client machinery, no socket), alternating rounds. The figure
is the fastest SDK round minus the fastest raw round (the rounds least disturbed by other
processes, as ``timeit`` advises); the median of the per-round differences is printed beside
it. Target (issue 17): <= 100 us.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import httpx

from benchmarks._sample_server import BODIES
from benchmarks._util import median, per_call_us, report, sample_server
from medusa_payload import MedusaClient

KEY = "pk_bench"


def _rounds(
    raw_call: Callable[[], object], sdk_call: Callable[[], object], rounds: int, calls: int
) -> tuple[list[float], list[float]]:
    """Per-round microseconds per call of each side, alternating, after a warm-up."""
    for _ in range(100):  # warm up pools, caches and the server
        raw_call()
        sdk_call()
    raw_us, sdk_us = [], []
    for _ in range(rounds):
        raw_us.append(per_call_us(raw_call, calls))
        sdk_us.append(per_call_us(sdk_call, calls))
    return raw_us, sdk_us


def _pair(raw: httpx.Client, sdk: MedusaClient) -> tuple[Callable[[], object], ...]:
    def raw_call() -> object:
        response = raw.get(
            "/store/products",
            params={"handle": "live-tee", "limit": 1},
            headers={"x-publishable-api-key": KEY},
        )
        response.raise_for_status()
        return response.json()["products"][0]

    def sdk_call() -> object:
        return sdk.store.products.retrieve_by_handle("live-tee")

    return raw_call, sdk_call


def _recorded(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, content=BODIES["/store/products"], headers={"content-type": "application/json"}
    )


def main() -> None:
    """Run both measurements and print the ratio and the added microseconds."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with (
        sample_server() as url,
        httpx.Client(base_url=url) as raw,
        MedusaClient(url, publishable_key=KEY) as sdk,
    ):
        raw_us, sdk_us = _rounds(*_pair(raw, sdk), args.rounds, args.calls)
    ratios = [s / r for s, r in zip(sdk_us, raw_us, strict=True)]
    local = "http://bench.local"
    mock = httpx.MockTransport(_recorded)
    with (
        httpx.Client(base_url=local, transport=mock) as raw,
        MedusaClient(local, publishable_key=KEY, transport=mock) as sdk,
    ):
        raw_mock, sdk_mock = _rounds(*_pair(raw, sdk), args.rounds, args.calls * 5)
    added = [s - r for s, r in zip(sdk_mock, raw_mock, strict=True)]
    report(
        "client_overhead.retrieve_by_handle",
        {
            "raw httpx median us/call": median(raw_us),
            "sdk median us/call": median(sdk_us),
            "median ratio sdk/raw (target <= 1.15)": median(ratios),
            "no server: raw httpx median us/call": median(raw_mock),
            "no server: sdk median us/call": median(sdk_mock),
            "sdk added us/call, fastest rounds (target <= 100)": min(sdk_mock) - min(raw_mock),
            "sdk added us/call, median of per-round differences": median(added),
            "sdk added us/call, min / max of rounds": f"{min(added):.0f} / {max(added):.0f}",
            "rounds x calls": f"{args.rounds} x {args.calls} (no server: x {args.calls * 5})",
        },
    )


if __name__ == "__main__":
    main()
