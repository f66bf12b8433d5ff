"""What observability costs: nothing measurable while off, a few µs per call and job while on.

Three measures, each against a baseline taken in the same run:

1. **Off, per HTTP call**: the exact calls the observability seams add to one HTTP call while
   neither extra is enabled (request-id lookup, the no-op span, the no-op count), timed in a
   loop, as a share of one SDK call (``store.products.retrieve_by_handle`` on the local sample
   server, as in ``client_overhead``). Target: <= 3 %.
2. **Off, per job**: likewise for one job (context binding, the no-op span and count) as a share
   of one no-op job through `InMemoryQueue` + `Worker` (the cheapest job there is). Target <= 3 %.
3. **Metrics on**: the instruments' own cost per HTTP call (a counter, a histogram, the route
   template) and per job (a counter, a histogram), timed directly; and the end-to-end difference
   per call (mock transport) and per no-op job, alternating off/on rounds (median; noisy on a
   shared machine).
"""

from __future__ import annotations

import asyncio
import time

import httpx

from benchmarks._util import median, per_call_us, report, sample_server
from medusa_payload import AsyncMedusaClient, MedusaClient
from medusa_payload._core._http import APIRequest
from medusa_payload.observability import _instruments, _spans, disable_metrics, enable_metrics
from medusa_payload.observability._context import RequestContext, current_request_id, enter, leave
from medusa_payload.queue import InMemoryQueue, JobContext, RetryPolicy, Worker

KEY = "pk_bench"
CALLS = 20_000
JOBS = 20_000
ROUNDS = 5


def off_path_per_http_call() -> None:
    """What `AsyncAPIClient.send_request` / `_send_once` run for observability while it is off."""
    current_request_id()
    with _spans.ACTIVE.http_span("medusa", "GET", "/store/products") as span:
        _instruments.ACTIVE.http_request("medusa", "GET", "/store/products", "200", 0.001)
        span.set_attribute("http.response.status_code", 200)


CONTEXT = RequestContext("job_1", None, "1", "noop", 1)


def off_path_per_job() -> None:
    """What `Worker._process` / `_notify` run for observability per job while it is off (the
    request id is read from the job data only when a log line or a request needs it)."""
    token = enter(CONTEXT)
    try:
        spans = _spans.ACTIVE
        if type(spans) is _spans.Spans:
            _instruments.ACTIVE.job_done("default", "noop", "completed", 0.001)
    finally:
        leave(token)


async def noop(ctx: JobContext) -> None:
    return None


async def jobs_us(jobs: int) -> float:
    queue = InMemoryQueue(policy=RetryPolicy(keep_completed=100))
    for n in range(jobs):
        await queue.enqueue("noop", {"n": n})
    started = time.perf_counter()
    stats = await Worker(queue, {"noop": noop}, concurrency=16).run_until_idle()
    assert stats.completed == jobs, stats
    return (time.perf_counter() - started) / jobs * 1e6


async def mock_calls_us(calls: int) -> float:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"ok": True}))
    async with AsyncMedusaClient("http://m", transport=transport) as client:
        request = APIRequest("GET", "/store/products/prod_1")
        started = time.perf_counter()
        for _ in range(calls):
            await client.send_request(request)
        return (time.perf_counter() - started) / calls * 1e6


def main() -> None:
    """Measure and print the three figures."""
    disable_metrics()
    http_off = median([per_call_us(off_path_per_http_call, CALLS * 5) for _ in range(ROUNDS)])
    job_off = median([per_call_us(off_path_per_job, CALLS * 5) for _ in range(ROUNDS)])
    with sample_server() as url, MedusaClient(url, publishable_key=KEY) as sdk:
        sdk.store.products.retrieve_by_handle("live-tee")
        call = median(
            [
                per_call_us(lambda: sdk.store.products.retrieve_by_handle("live-tee"), 500)
                for _ in range(ROUNDS)
            ]
        )
    job = median([asyncio.run(jobs_us(JOBS)) for _ in range(ROUNDS)])
    http_delta, job_delta = [], []
    for _ in range(ROUNDS):
        disable_metrics()
        off_http, off_job = asyncio.run(mock_calls_us(CALLS)), asyncio.run(jobs_us(JOBS))
        enable_metrics()
        on_http, on_job = asyncio.run(mock_calls_us(CALLS)), asyncio.run(jobs_us(JOBS))
        http_delta.append(on_http - off_http)
        job_delta.append(on_job - off_job)
    on = enable_metrics()
    http_on = median(
        [
            per_call_us(
                lambda: on.http_request("medusa", "GET", "/store/products/prod_1", "200", 0.001),
                CALLS * 5,
            )
            for _ in range(ROUNDS)
        ]
    )
    job_on = median(
        [
            per_call_us(lambda: on.job_done("default", "noop", "completed", 0.001), CALLS * 5)
            for _ in range(ROUNDS)
        ]
    )
    disable_metrics()
    report(
        "observability_cost",
        {
            "off: seams per HTTP call (µs)": http_off,
            "SDK call on the sample server (µs)": call,
            "off: share of an HTTP call (target <= 0.03)": http_off / call,
            "off: seams per job (µs)": job_off,
            "no-op job, InMemoryQueue + Worker (µs)": job,
            "off: share of a no-op job (target <= 0.03)": job_off / job,
            "metrics on: instruments per HTTP call (µs)": http_on,
            "metrics on: instruments per job (µs)": job_on,
            "metrics on: end-to-end delta per mock HTTP call (µs)": median(http_delta),
            "metrics on: end-to-end delta per no-op job (µs)": median(job_delta),
        },
    )


if __name__ == "__main__":
    main()
