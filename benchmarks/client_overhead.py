"""Client overhead: ``store.products.retrieve_by_handle`` against raw httpx, same server, same run.

    python -m benchmarks.client_overhead [--rounds 15] [--calls 200]

Both sides make the same request to the same local server (recorded Medusa body, separate
process) and decode the JSON; the SDK also builds its request (qs encoding, auth placement,
request id), runs its retry wrapper and validates the body into a typed `Product`. Rounds
alternate raw and SDK so drift in machine load hits both; the figure is the median of the
per-round ratios. Target (issue 2): median ratio <= 1.15.
"""

from __future__ import annotations

import argparse

import httpx

from benchmarks._util import median, per_call_us, report, sample_server
from medusa_payload import MedusaClient

KEY = "pk_bench"


def main() -> None:
    """Run the benchmark and print the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with (
        sample_server() as url,
        httpx.Client(base_url=url) as raw,
        MedusaClient(url, publishable_key=KEY) as sdk,
    ):

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

        for _ in range(100):  # warm up pools, caches and the server
            raw_call()
            sdk_call()
        raw_us, sdk_us, ratios = [], [], []
        for _ in range(args.rounds):
            r = per_call_us(raw_call, args.calls)
            s = per_call_us(sdk_call, args.calls)
            raw_us.append(r)
            sdk_us.append(s)
            ratios.append(s / r)
    report(
        "client_overhead.retrieve_by_handle",
        {
            "raw httpx median us/call": median(raw_us),
            "sdk median us/call": median(sdk_us),
            "sdk overhead median us/call": median(sdk_us) - median(raw_us),
            "median ratio sdk/raw (target <= 1.15)": median(ratios),
            "rounds x calls": f"{args.rounds} x {args.calls}",
        },
    )


if __name__ == "__main__":
    main()
