"""Sustained load on the real stack: signed webhooks at a steady rate into our receiver, N
worker processes on Redis, real Medusa and Payload doing the writes.

    STACK_DIR=/tmp/devstack/stack python -m benchmarks.sustained_live \\
        [--rate 50] [--duration 120] [--workers 1 2 4] [--concurrency 16] [--no-audit] \\
        [--no-session] [--no-echo]
    STACK_DIR=... python -m benchmarks.sustained_live --ramp 10 20 30 50 [--step 30] [--no-stop]
    python -m benchmarks.sustained_live --servers fakes [the same options]

Needs a running live stack (``tests/live/stack/live-stack.sh all``; its ``live.env`` is read from
``$STACK_DIR``) and Redis at ``REDIS_URL`` (default the local one; a private key prefix is used
and removed afterwards). Without a stack it prints why and exits 0. Not run in CI.

``--servers fakes`` is the control: the same receiver, workers, load, pollers and counting
against the project's fakes served over HTTP instead of the live stack (`FakeServers`: two
``python -m medusa_payload.testing serve --seed`` processes on free ports, Medusa's and
Payload's, stopped at the end; no stack needed). What differs is only where URLs, keys and
secrets come from and that the pool is seeded one ``POST /admin/products`` at a time (the fake
has no batch endpoint). It shows what the SDK's own path (receiver -> Redis -> workers ->
writes) sustains when the servers answer in about a millisecond.

What runs:

- the receiver: ``medusa-payload webhooks serve`` (its own process, the CLI's defaults: audit
  records in Payload unless ``--no-audit``);
- N workers: ``python -m benchmarks.sustained_live --worker``, i.e. ``medusa-payload worker``'s
  set-up (the sync `job_handlers`, the audit hook unless ``--no-audit``, ``--concurrency`` jobs
  at once, the admin session of ``MEDUSA_ADMIN_EMAIL`` / ``MEDUSA_ADMIN_PASSWORD`` unless
  ``--no-session``, which sends the secret key instead) plus an ``on_job_done`` hook that
  appends each job's outcome (start, end, action) to a Redis list, which is how job timings and
  writes are counted;
- a pool of ``--products`` products seeded through Medusa's batch endpoint, each with its
  published ``product-content`` doc; half take Medusa -> Payload deliveries, half Payload ->
  Medusa ones, so the two directions never touch one record.

The load is open loop: delivery ``k`` is due at ``t0 + k / rate`` and starts then, whatever the
earlier ones are doing. Each delivery carries a marker ``SL <tag> #<k>``: it first makes the
change on the source side (a Medusa product title, or a Payload ``seo.title`` written with the
sync user's key so that Payload's own hook sends nothing), then POSTs the signed webhook
(``product.updated`` / ``product-content.update``, the bodies of the wire contract). Pollers
(one request at a time per side, every ``--poll`` seconds, only for records with deliveries in
flight) read the other side and note when marker ``#k`` or a later one is visible there.
When the metadata of a Payload -> Medusa delivery shows up in Medusa, Medusa would send
``product.updated`` for our own write: the generator sends that echo too (``--no-echo`` to
skip); its job must plan nothing.

Figures per step: deliveries sent / accepted (202) / visible; **lost** = accepted but not visible
within ``--settle`` seconds after the step; **duplicates** = writes beyond one per delivery
(a job that wrote on more than one attempt, or an echo job that wrote at all); latency from the
POST to visibility (p50/p95/p99) and its parts (POST -> 202, 202 -> job start, job run, job end ->
seen by the poller, which includes up to one poll interval); RSS of the receiver and workers at
start and end with the slope (MB/min) over the 10 s samples; CPU per part (receiver, workers,
Medusa, Payload, Postgres, Redis, the stack's echo receiver, this load generator, and the whole
machine) as % of one core. Every delivery and sample also goes to ``--out`` (JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

WRITE_ACTIONS = frozenset(
    {"created", "updated", "archived", "metadata_set", "metadata_removed", "appended"}
)
"""`SyncResult` actions that wrote something."""
MEDUSA_TO_PAYLOAD = "m2p"
PAYLOAD_TO_MEDUSA = "p2m"
ECHO = "echo"
QUEUE = "sustained"
OUTCOMES = "bench:outcomes"
GOAL_P99 = 1.0


# ---- pure parts (tests/test_benchmark_sustained.py) ---------------------------------------
def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by nearest rank; ``nan`` for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def marker(tag: str, seq: int) -> str:
    """The text a delivery writes on its source side."""
    return f"SL {tag} #{seq}"


def seq_of(text: object, tag: str) -> int | None:
    """The delivery number in a marker of run ``tag``; ``None`` for anything else."""
    if not isinstance(text, str):
        return None
    found = re.fullmatch(rf"SL {re.escape(tag)} #(\d+)", text)
    return int(found.group(1)) if found else None


def slope_per_minute(samples: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of ``(seconds, value)`` samples, per minute (0 for < 2 samples)."""
    if len(samples) < 2:
        return 0.0
    xs, ys = [s[0] for s in samples], [s[1] for s in samples]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mx) ** 2 for x in xs)
    if var == 0:
        return 0.0
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var * 60


def parse_env_lines(text: str) -> dict[str, str]:
    """The ``KEY=VALUE`` lines of ``text`` (what ``python -m medusa_payload.testing serve``
    prints); other lines are left out."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", key):
            found[key] = value
    return found


def fakes_live(
    medusa: Mapping[str, str],
    payload: Mapping[str, str],
    *,
    medusa_secret: str,
    payload_secret: str,
) -> dict[str, str]:
    """The ``live.env`` keys a run reads, for the fakes: Medusa's URL, keys and admin user from
    what the Medusa-side serve process printed (``medusa``), Payload's URL and key from the
    Payload-side one (``payload``); the webhook secrets are the run's own (the fakes send no
    webhooks; only our receiver and the generator use them)."""
    return {
        "MEDUSA_URL": medusa["MEDUSA_BACKEND_URL"],
        "MEDUSA_SECRET_API_KEY": medusa["MEDUSA_API_KEY"],
        "MEDUSA_PUBLISHABLE_KEY": medusa["MEDUSA_PUBLISHABLE_KEY"],
        "MEDUSA_ADMIN_EMAIL": medusa["MEDUSA_ADMIN_EMAIL"],
        "MEDUSA_ADMIN_PASSWORD": medusa["MEDUSA_ADMIN_PASSWORD"],
        "PAYLOAD_URL": payload["PAYLOAD_CMS_URL"],
        "PAYLOAD_SYNC_API_KEY": payload["PAYLOAD_API_KEY"],
        "MEDUSA_WEBHOOK_SECRET": medusa_secret,
        "PAYLOAD_WEBHOOK_SECRET": payload_secret,
    }


@dataclass
class Delivery:
    """One webhook: what it announced, when it was due, sent, answered and seen."""

    n: int
    kind: str
    record: str
    scheduled: float
    source_s: float | None = None
    sent: float | None = None
    answered: float | None = None
    status: int | None = None
    job_id: str | None = None
    visible: float | None = None
    error: str | None = None


@dataclass
class Outcome:
    """One attempt of a job, as the worker's hook recorded it."""

    job_id: str
    name: str
    status: str
    started: float
    finished: float
    action: str | None = None


@dataclass
class Tally:
    """What one step's deliveries and job outcomes add up to."""

    sent: int = 0
    accepted: int = 0
    refused: int = 0
    source_failed: int = 0
    visible: int = 0
    lost: int = 0
    lost_queued: int = 0
    not_completed: int = 0
    writes: int = 0
    duplicates: int = 0
    echoes: int = 0
    echo_writes: int = 0
    latency: dict[str, float] = field(default_factory=dict)
    parts: dict[str, dict[str, float]] = field(default_factory=dict)


def _pcts(values: Sequence[float]) -> dict[str, float]:
    return {f"p{q}": percentile(values, q) for q in (50, 95, 99)}


def tally(deliveries: Iterable[Delivery], outcomes: Iterable[Outcome]) -> Tally:
    """Count sent / accepted / visible / lost / duplicate writes and the latency percentiles.

    A delivery is lost when it was accepted (202) and never seen on the other side
    (``lost_queued``: of those, the ones whose job had not completed, i.e. late). Writes are
    counted per job (completed attempts whose action wrote): more than one for a delivery's
    job, or any for an echo's job, is a duplicate write. A job that never completed (no
    completed attempt) is ``not_completed``.
    """
    by_job: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_job[outcome.job_id].append(outcome)
    result = Tally()
    latency: list[float] = []
    parts: dict[str, list[float]] = defaultdict(list)
    for d in deliveries:
        done = [o for o in by_job.get(d.job_id or "", []) if o.status == "completed"]
        writes = sum(o.action in WRITE_ACTIONS for o in done)
        if d.kind == ECHO:
            result.echoes += 1
            result.echo_writes += writes
            result.duplicates += writes
            continue
        result.writes += writes
        result.duplicates += max(0, writes - 1)
        if d.sent is None:
            result.source_failed += 1
            continue
        result.sent += 1
        if d.status != 202:
            result.refused += 1
            continue
        result.accepted += 1
        if d.job_id and not done:
            result.not_completed += 1
        if d.visible is None:
            result.lost += 1
            result.lost_queued += bool(d.job_id and not done)  # late: its job had not run
            continue
        result.visible += 1
        latency.append(d.visible - d.sent)
        if d.source_s is not None:
            parts[f"source write {d.kind}"].append(d.source_s)
        if d.answered is not None:
            parts["POST -> 202"].append(d.answered - d.sent)
        wrote = [o for o in done if o.action in WRITE_ACTIONS]
        if wrote and d.answered is not None:  # its own job made the change visible
            first = min(wrote, key=lambda o: o.finished)
            parts["202 -> job start"].append(first.started - d.answered)
            parts[f"job run {d.kind}"].append(first.finished - first.started)
            parts["job end -> seen"].append(d.visible - first.finished)
            parts["POST -> job end"].append(first.finished - d.sent)
    result.latency = _pcts(latency)
    result.parts = {name: _pcts(values) for name, values in sorted(parts.items())}
    return result


# ---- the worker process -----------------------------------------------------------------
async def _work() -> None:
    """``medusa-payload worker``'s set-up plus a hook that logs every outcome to Redis."""
    import redis.asyncio as aredis

    from medusa_payload import AsyncMedusaClient, AsyncPayloadClient
    from medusa_payload._cli_runtime import (
        _audit_hook,
        admin_session,
        close_queue,
        make_queue,
        queue_settings,
    )
    from medusa_payload._config import Settings
    from medusa_payload.queue import JobOutcome, Worker
    from medusa_payload.sync import job_handlers

    settings = Settings.from_env()
    name, prefix = queue_settings(None, None, settings)
    queue = make_queue(name, prefix, settings)
    medusa = AsyncMedusaClient.from_settings(settings)
    payload = AsyncPayloadClient.from_settings(settings)
    session = await admin_session(medusa, settings)
    audit = _audit_hook(payload) if os.environ.get("SUSTAINED_AUDIT") == "1" else None
    log = aredis.Redis.from_url(os.environ["REDIS_URL"])

    async def done(outcome: JobOutcome) -> None:
        if audit is not None:
            await audit(outcome)
        result = outcome.result if isinstance(outcome.result, Mapping) else {}
        row = {
            "job_id": outcome.job_id,
            "name": outcome.name,
            "status": outcome.status,
            "started": outcome.started_at,
            "finished": outcome.finished_at,
            "action": result.get("action"),
        }
        await log.rpush(f"{prefix}:{OUTCOMES}", json.dumps(row))

    worker = Worker(
        queue,
        job_handlers(medusa, payload),
        concurrency=int(os.environ["SUSTAINED_CONCURRENCY"]),
        on_job_done=done,
    )
    try:
        await worker.run()
    finally:
        if session is not None:
            session.cancel()
        await close_queue(queue)
        await medusa.aclose()
        await payload.aclose()
        await log.aclose()


# ---- process sampling -----------------------------------------------------------------
class Sampler:
    """CPU seconds and RSS of each part, read with psutil (a part is a process tree, or just
    the process for the parts in ``alone``: the load generator, whose children are the
    receiver, the workers and the fake servers, counted as parts of their own)."""

    def __init__(
        self, roots: Mapping[str, Sequence[int]], alone: Iterable[str] = ("load generator",)
    ) -> None:
        import psutil  # type: ignore[import-untyped]

        self._psutil = psutil
        self.roots = {name: list(pids) for name, pids in roots.items()}
        self.alone = frozenset(alone)

    def _tree(self, pid: int, alone: bool) -> list[Any]:
        try:
            proc = self._psutil.Process(pid)
            return [proc] if alone else [proc, *proc.children(recursive=True)]
        except self._psutil.Error:
            return []

    def read(self) -> dict[str, dict[str, float]]:
        """``{part: {"cpu": seconds, "rss": MB}}``, plus ``machine`` (busy CPU seconds)."""
        out: dict[str, dict[str, float]] = {}
        for name, pids in self.roots.items():
            cpu = rss = 0.0
            alone = name in self.alone
            for root in pids:
                for i, proc in enumerate(self._tree(root, alone)):
                    try:
                        times = proc.cpu_times()
                        cpu += times.user + times.system
                        if i == 0 and not alone:  # children already waited for (pg backends)
                            cpu += times.children_user + times.children_system
                        rss += proc.memory_info().rss / 2**20
                    except self._psutil.Error:
                        pass
            out[name] = {"cpu": cpu, "rss": rss}
        total = self._psutil.cpu_times()
        out["machine"] = {"cpu": total.user + total.system + total.nice, "rss": 0.0}
        return out


def cpu_percent(
    before: Mapping[str, Mapping[str, float]],
    after: Mapping[str, Mapping[str, float]],
    wall: float,
) -> dict[str, float]:
    """% of one core per part between two `Sampler.read` results."""
    return {k: (after[k]["cpu"] - before[k]["cpu"]) / wall * 100 for k in before}


# ---- the run ----------------------------------------------------------------------------
class Run:
    """The receiver, the workers, the product pool, the clients; one step at a time."""

    def __init__(
        self, args: argparse.Namespace, live: dict[str, str], servers: Mapping[str, list[int]]
    ) -> None:
        from tests.live._procs import sdk_env

        self.args = args
        self.live = live
        self.servers = dict(servers)
        self.tag = uuid.uuid4().hex[:6]
        self.prefix = f"bench-sustained-{self.tag}"
        self.redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        self.logs = Path(f"/tmp/medusa-payload-sustained-{self.tag}")
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env = sdk_env(
            live,
            redis_url=self.redis_url,
            queue=QUEUE,
            prefix=self.prefix,
            stats_token=uuid.uuid4().hex,
        )
        self.env["SUSTAINED_AUDIT"] = "1" if args.audit else "0"
        self.env["SUSTAINED_CONCURRENCY"] = str(args.concurrency)
        if args.session:  # the worker logs in (`admin_session`) instead of sending the key
            self.env["MEDUSA_ADMIN_EMAIL"] = live["MEDUSA_ADMIN_EMAIL"]
            self.env["MEDUSA_ADMIN_PASSWORD"] = live["MEDUSA_ADMIN_PASSWORD"]
        self.port = 0
        self.receiver: Any = None
        self.workers: list[Any] = []
        self.pool: dict[str, list[str]] = {}
        self.doc_of: dict[str, int | str] = {}
        self.handle_of: dict[str, str] = {}
        self._all: list[Delivery] = []

    # -- processes
    def start_receiver(self) -> None:
        import httpx
        from tests.live._procs import spawn_cli, wait_until

        from benchmarks._util import free_port

        self.port = free_port()
        args = ["webhooks", "serve", "--port", str(self.port)]
        args += [] if self.args.audit else ["--no-audit"]
        self.receiver = spawn_cli(args, self.logs / "receiver.log", self.env)

        def up() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{self.port}/queue/stats").status_code == 401
            except httpx.HTTPError:
                return False

        wait_until(up, 30, "the receiver answers")

    def start_workers(self, count: int) -> None:
        from tests.live._procs import spawn, wait_until

        command = [sys.executable, "-m", "benchmarks.sustained_live", "--worker"]
        for _n in range(count):
            log = self.logs / f"worker{len(self.workers)}.log"
            self.workers.append(spawn(command, log, self.env))
        time.sleep(2)
        wait_until(lambda: all(w.poll() is None for w in self.workers), 5, "workers alive")

    def stop_workers(self) -> None:
        from tests.live._procs import stop

        stop(self.workers)
        self.workers = []

    def stop(self) -> None:
        from tests.live._procs import delete_prefix, stop

        stop([*self.workers, self.receiver])
        delete_prefix(self.redis_url, self.prefix)

    def sampler(self) -> Sampler:
        import redis

        client = redis.Redis.from_url(self.redis_url)
        try:
            redis_pid = [int(client.info("server")["process_id"])]
        finally:
            client.close()
        return Sampler(
            {
                "receiver": [self.receiver.pid],
                "workers": [w.pid for w in self.workers],
                "medusa": self.servers.get("medusa", []),
                "payload": self.servers.get("payload", []),
                "postgres": self.servers.get("postgres", []),
                "redis": redis_pid,
                "echo receiver": self.servers.get("echo receiver", []),
                "load generator": [os.getpid()],
            }
        )

    # -- the pool
    async def seed(self, medusa: Any, payload: Any) -> None:
        """``--products`` products (batch create; one create each on the fakes, which have no
        batch endpoint) and their published content docs."""
        from benchmarks._util import seed_products
        from medusa_payload.payload import ProductContent
        from medusa_payload.payload.where import Where
        from medusa_payload.sync import AsyncSyncEngine

        ids = await asyncio.to_thread(
            seed_products,
            self.live,
            self.args.products,
            self.tag,
            name="sustained",
            batch=self.args.servers == "live",
        )
        engine = AsyncSyncEngine(medusa, payload)
        gate = asyncio.Semaphore(8)

        async def content(pid: str) -> None:
            async with gate:
                await engine.product_to_payload(pid)

        await asyncio.gather(*(content(pid) for pid in ids))
        page = await payload.find(
            "product-content",
            where=Where.in_("medusaProductId", ids),
            limit=len(ids),
            depth=0,
            model=ProductContent,
        )
        for doc in page.items:
            self.doc_of[str(doc.medusa_product_id)] = doc.id
            self.handle_of[str(doc.medusa_product_id)] = str(doc.handle)
        half = len(ids) // 2
        self.pool = {MEDUSA_TO_PAYLOAD: ids[:half], PAYLOAD_TO_MEDUSA: ids[half:]}

        async def publish(pid: str) -> None:
            async with gate:
                await payload.update_by_id(
                    "product-content", self.doc_of[pid], {"status": "published"}, depth=0
                )

        await asyncio.gather(*(publish(pid) for pid in self.pool[PAYLOAD_TO_MEDUSA]))

    async def unseed(self, medusa: Any, payload: Any) -> None:
        """Delete the pool's content docs and products."""
        from benchmarks._util import delete_products
        from medusa_payload.payload.where import Where

        ids = [pid for pids in self.pool.values() for pid in pids]
        for start in range(0, len(ids), 100):
            chunk = ids[start : start + 100]
            await payload.delete_where("product-content", Where.in_("medusaProductId", chunk))
        await asyncio.to_thread(delete_products, self.live, ids, batch=self.args.servers == "live")

    # -- one step
    async def step(self, rate: float, duration: float, workers: int) -> dict[str, Any]:
        """Drive ``rate`` deliveries/s for ``duration`` s; wait for them; the figures."""
        import httpx

        from medusa_payload import AsyncMedusaClient, AsyncPayloadClient
        from medusa_payload.payload.where import Where
        from medusa_payload.webhooks import sign_headers

        live = self.live
        # The generator edits and polls as an admin in the dashboard would: with a session
        # token, so Medusa does not hash a secret key (scrypt) for each of its own requests.
        medusa = AsyncMedusaClient(live["MEDUSA_URL"])
        await medusa.auth.login(live["MEDUSA_ADMIN_EMAIL"], live["MEDUSA_ADMIN_PASSWORD"])
        payload = AsyncPayloadClient(live["PAYLOAD_URL"], api_key=live["PAYLOAD_SYNC_API_KEY"])
        http = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{self.port}",
            timeout=30,
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        )
        deliveries: list[Delivery] = []
        pending: dict[str, dict[str, list[Delivery]]] = {
            MEDUSA_TO_PAYLOAD: defaultdict(list),
            PAYLOAD_TO_MEDUSA: defaultdict(list),
        }
        locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        tasks: set[asyncio.Task[None]] = set()
        base = len(self._all)

        def body_of(kind: str, pid: str) -> tuple[str, bytes]:
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            if kind in (MEDUSA_TO_PAYLOAD, ECHO):
                event = {"event": "product.updated", "data": {"id": pid}, "sent_at": now}
                return "medusa", json.dumps(event).encode()
            doc = self.doc_of[pid]
            event = {
                "event": "product-content.update",
                "collection": "product-content",
                "operation": "update",
                "id": str(doc),
                "status": "published",
                "previous_status": "published",
                "doc": {"id": doc, "handle": self.handle_of[pid], "medusaProductId": pid},
                "sent_at": now,
            }
            return "payload", json.dumps(event).encode()

        async def post(d: Delivery) -> None:
            source, body = body_of(d.kind, d.record)
            secret = live[
                "MEDUSA_WEBHOOK_SECRET" if source == "medusa" else "PAYLOAD_WEBHOOK_SECRET"
            ]
            headers = sign_headers(body, secret)
            d.sent = time.time()
            if d.kind != ECHO:
                pending[d.kind][d.record].append(d)
            try:
                answer = await http.post(f"/webhooks/{source}", content=body, headers=headers)
            except httpx.HTTPError as exc:
                d.error = f"POST: {exc!r}"
                return
            d.answered = time.time()
            d.status = answer.status_code
            d.job_id = answer.json().get("job_id")

        async def deliver(d: Delivery, seq: int) -> None:
            text = marker(self.tag, seq)
            began = time.time()
            try:
                async with locks[d.record]:
                    if d.kind == MEDUSA_TO_PAYLOAD:
                        await medusa.admin.products.update(d.record, {"title": text}, fields="id")
                    else:
                        await payload.update_by_id(
                            "product-content",
                            self.doc_of[d.record],
                            {"seo": {"title": text}},
                            depth=0,
                        )
            except Exception as exc:
                d.error = f"source write: {exc!r}"
                return
            d.source_s = time.time() - began
            await post(d)

        def seen(kind: str, pid: str, seq: int | None, at: float) -> None:
            waiting = pending[kind].get(pid, [])
            if seq is None or not waiting:
                return
            still = [d for d in waiting if d.n > seq]
            for d in waiting:
                if d.n <= seq and d.visible is None:
                    d.visible = at
            pending[kind][pid] = still
            if kind == PAYLOAD_TO_MEDUSA and self.args.echo and len(still) < len(waiting):
                echo = Delivery(n=-1, kind=ECHO, record=pid, scheduled=at)
                deliveries.append(echo)
                spawn(post(echo))

        def spawn(coro: Any) -> None:
            task = asyncio.create_task(coro)
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        stopping = asyncio.Event()

        async def poll(kind: str) -> None:
            while not stopping.is_set():
                began = time.monotonic()
                ids = [pid for pid, ds in pending[kind].items() if ds]
                for start in range(0, len(ids), 100):
                    chunk = ids[start : start + 100]
                    try:
                        if kind == MEDUSA_TO_PAYLOAD:
                            page = await payload.find(
                                "product-content",
                                where=Where.in_("medusaProductId", chunk),
                                limit=len(chunk),
                                depth=0,
                                select={"title": True, "medusaProductId": True},
                            )
                            at = time.time()
                            for doc in page.items:
                                data = doc.model_dump(by_alias=True)
                                pid = str(data.get("medusaProductId"))
                                seen(kind, pid, seq_of(data.get("title"), self.tag), at)
                        else:
                            products = await medusa.admin.products.list(
                                id=chunk, fields="id,metadata", limit=len(chunk)
                            )
                            at = time.time()
                            for product in products.items:
                                seo = (product.metadata or {}).get("seo") or {}
                                seen(kind, product.id, seq_of(seo.get("title"), self.tag), at)
                    except Exception as exc:  # a slow or failing poll is retried
                        print(f"   poll {kind}: {exc!r}", file=sys.stderr)
                rest = self.args.poll - (time.monotonic() - began)
                await asyncio.sleep(max(rest, 0.005))

        sampler = self.sampler()
        samples: list[tuple[float, dict[str, dict[str, float]]]] = []

        async def sample_every(seconds: float) -> None:
            while True:
                samples.append((time.time(), sampler.read()))
                await asyncio.sleep(seconds)

        load_start = os.getloadavg()
        sampling = asyncio.create_task(sample_every(10))
        pollers = [asyncio.create_task(poll(k)) for k in (MEDUSA_TO_PAYLOAD, PAYLOAD_TO_MEDUSA)]
        total = int(rate * duration)
        t0 = time.time() + 0.2
        turn = {MEDUSA_TO_PAYLOAD: 0, PAYLOAD_TO_MEDUSA: 0}
        for k in range(total):
            due = t0 + k / rate
            wait = due - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
            kind = MEDUSA_TO_PAYLOAD if k % 2 == 0 else PAYLOAD_TO_MEDUSA
            records = self.pool[kind]
            d = Delivery(
                n=base + k, kind=kind, record=records[turn[kind] % len(records)], scheduled=due
            )
            turn[kind] += 1
            deliveries.append(d)
            spawn(deliver(d, d.n))
        sent_by = time.time()
        end_sample = sampler.read()
        load_end = os.getloadavg()
        deadline = time.monotonic() + self.args.settle
        while time.monotonic() < deadline:
            if not tasks and not any(ds for side in pending.values() for ds in side.values()):
                break
            await asyncio.sleep(0.2)
        stopping.set()
        await asyncio.gather(*pollers)
        sampling.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=30)
        outcomes = await self._outcomes()
        jobs = {d.job_id for d in deliveries if d.job_id}
        while time.monotonic() < deadline + 30:  # every job ended (echo jobs too)
            ended = {o.job_id for o in outcomes if o.status in ("completed", "failed")}
            if jobs <= ended:
                break
            await asyncio.sleep(0.5)
            outcomes = await self._outcomes()
        self._all += deliveries
        await http.aclose()
        await medusa.aclose()
        await payload.aclose()
        counts = tally(deliveries, outcomes)
        queue_end = await self._queue_stats()
        first = samples[0][1]
        wall = sent_by - samples[0][0]
        cpu = cpu_percent(first, end_sample, wall)
        series = sorted(
            ((t - samples[0][0], s) for t, s in [*samples, (sent_by, end_sample)]),
            key=lambda pair: pair[0],
        )
        rss = {
            part: {
                "start": first[part]["rss"],
                "end": end_sample[part]["rss"],
                "MB/min": slope_per_minute([(t, s[part]["rss"]) for t, s in series]),
            }
            for part in ("receiver", "workers")
        }
        lag = [d.sent - d.scheduled for d in deliveries if d.sent is not None and d.kind != ECHO]
        return {
            "servers": self.args.servers,
            "rate": rate,
            "duration": duration,
            "workers": workers,
            "concurrency": self.args.concurrency,
            "audit": self.args.audit,
            "session": self.args.session,
            "tally": asdict(counts),
            "send lag p99": percentile(lag, 99),
            "queue at the end": queue_end,
            "rss": rss,
            "cpu %": cpu,
            "load average start/end": [load_start[0], load_end[0]],
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(t0)),
            "deliveries": [asdict(d) for d in deliveries],
            "samples": [{"t": t, **s} for t, s in series],
        }

    async def _queue_stats(self) -> dict[str, int]:
        """The queue's counts once the step is over (jobs still waiting are late, not lost)."""
        from medusa_payload.queue import RedisQueue

        queue = RedisQueue(self.redis_url, name=QUEUE, prefix=self.prefix, check_eviction=False)
        try:
            return (await queue.stats()).as_dict()
        finally:
            await queue.close()

    async def _outcomes(self) -> list[Outcome]:
        import redis.asyncio as aredis

        client = aredis.Redis.from_url(self.redis_url)
        try:
            rows = await client.lrange(f"{self.prefix}:{OUTCOMES}", 0, -1)
        finally:
            await client.aclose()
        return [Outcome(**json.loads(row)) for row in rows]


def _row(step: Mapping[str, Any]) -> str:
    t = step["tally"]
    lat = t["latency"]
    cpu = step["cpu %"]
    rss = step["rss"]
    parts = ("receiver", "workers", "medusa", "payload", "postgres", "redis", "load generator")
    return (
        f"{step['rate']:>5g} {step['workers']:>2} {t['sent']:>6} {t['visible']:>6} {t['lost']:>4} "
        f"{t['duplicates']:>3} {lat['p50'] * 1000:>6.0f} {lat['p95'] * 1000:>6.0f} "
        f"{lat['p99'] * 1000:>6.0f}  "
        f"{rss['receiver']['start']:>4.0f}/{rss['receiver']['end']:<4.0f} "
        f"{rss['workers']['start']:>4.0f}/{rss['workers']['end']:<4.0f}  "
        + " ".join(f"{cpu[p]:>4.0f}" for p in parts)
        + f" {cpu['machine']:>4.0f}  {step['load average start/end'][0]:.1f}-"
        f"{step['load average start/end'][1]:.1f}"
    )


HEADER = (
    " rate  N   sent   seen lost dup    p50    p95    p99  rss recv MB  rss wrk MB   "
    "recv  wrk  med  pay   pg  rds  gen  all  load"
)


def print_step(step: Mapping[str, Any]) -> None:
    """The step's table row and its breakdown."""
    print(HEADER)
    print(_row(step))
    t = step["tally"]
    print(
        f"   accepted {t['accepted']}, refused {t['refused']}, lost with the job still queued "
        f"{t['lost_queued']}, source writes failed "
        f"{t['source_failed']}, jobs not completed {t['not_completed']}, writes {t['writes']}, "
        f"echoes {t['echoes']} (writes {t['echo_writes']}), send lag p99 "
        f"{step['send lag p99'] * 1000:.0f} ms"
    )
    print(f"   queue at the end: {step['queue at the end']}")
    for name, pcts in t["parts"].items():
        shown = " / ".join(f"{v * 1000:.0f}" for v in pcts.values())
        print(f"   {name:<24} p50/p95/p99 ms {shown}")
    for part, r in step["rss"].items():
        print(f"   rss {part}: {r['start']:.0f} -> {r['end']:.0f} MB ({r['MB/min']:+.1f} MB/min)")
    others = dict(step["cpu %"].items())
    print("   cpu % of one core: " + ", ".join(f"{k} {v:.0f}" for k, v in others.items()))
    sys.stdout.flush()


def stack_pids(stack_dir: Path) -> dict[str, list[int]]:
    """The live stack's server processes, from its pid files (a missing one: no process)."""
    run = stack_dir / "run"

    def pid_file(path: Path) -> list[int]:
        try:
            return [int(path.read_text().split()[0])]
        except (OSError, ValueError, IndexError):
            return []

    return {
        "medusa": pid_file(run / "medusa.pid"),
        "payload": pid_file(run / "payload.pid"),
        "postgres": pid_file(stack_dir / "pg" / "data" / "postmaster.pid"),
        "echo receiver": pid_file(run / "webhook.pid"),
    }


class FakeServers:
    """The control: the project's fakes over HTTP, two ``python -m medusa_payload.testing serve
    --seed`` processes on free ports. Medusa is the first one's, Payload the second's (each
    process serves both fakes; the other one stays idle), so each server has a process, and a
    CPU column, of its own, as on the live stack."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.procs: dict[str, Any] = {}

    def start(self, timeout: float = 30) -> dict[str, str]:
        """Start both; the ``live.env`` keys for them (`fakes_live`)."""
        import secrets

        from tests.live._procs import spawn, wait_until

        from benchmarks._util import free_port

        printed: dict[str, dict[str, str]] = {}
        for side in ("medusa", "payload"):
            log = self.logs / f"fake-{side}.log"
            command = [sys.executable, "-m", "medusa_payload.testing", "serve", "--seed"]
            command += ["--medusa-port", str(free_port()), "--payload-port", str(free_port())]
            self.procs[side] = spawn(command, log, os.environ)

            def ready(side: str = side, log: Path = log) -> dict[str, str] | None:
                if self.procs[side].poll() is not None:
                    raise RuntimeError(f"the fake {side} server exited: {log.read_text()}")
                found = parse_env_lines(log.read_text())
                return found if "MEDUSA_ADMIN_PASSWORD" in found else None  # the last line

            printed[side] = wait_until(ready, timeout, f"the fake {side} server prints its env")
        return fakes_live(
            printed["medusa"],
            printed["payload"],
            medusa_secret=secrets.token_hex(16),
            payload_secret=secrets.token_hex(16),
        )

    def pids(self) -> dict[str, list[int]]:
        """``{"medusa": [pid], "payload": [pid]}`` for the `Sampler`."""
        return {side: [proc.pid] for side, proc in self.procs.items()}

    def stop(self) -> None:
        """SIGTERM both (their data goes with them)."""
        from tests.live._procs import stop

        stop(self.procs.values())
        self.procs = {}


async def _main(
    args: argparse.Namespace, live: dict[str, str], servers: Mapping[str, list[int]]
) -> list[Any]:
    from medusa_payload import AsyncMedusaClient, AsyncPayloadClient

    run = Run(args, live, servers)
    medusa = AsyncMedusaClient(live["MEDUSA_URL"], api_key=live["MEDUSA_SECRET_API_KEY"])
    payload = AsyncPayloadClient(live["PAYLOAD_URL"], api_key=live["PAYLOAD_SYNC_API_KEY"])
    steps: list[Any] = []
    try:
        began = time.perf_counter()
        await run.seed(medusa, payload)
        print(f"seeded {args.products} products + content in {time.perf_counter() - began:.1f} s")
        run.start_receiver()
        for count in args.workers:
            run.start_workers(count)
            try:
                rates = args.ramp or [args.rate]
                for rate in rates:
                    duration = args.step if args.ramp else args.duration
                    print(f"== {rate:g}/s for {duration:g} s, {count} worker(s)")
                    step = await run.step(rate, duration, count)
                    steps.append(step)
                    print_step(step)
                    if args.ramp and step["tally"]["latency"]["p99"] > GOAL_P99 and args.stop:
                        break
            finally:
                run.stop_workers()
    finally:
        run.stop()
        if not args.keep:
            await run.unseed(medusa, payload)
        await medusa.aclose()
        await payload.aclose()
    return steps


def main() -> int:
    """Parse the options, run the steps, print the table, write ``--out``."""
    from medusa_payload._cli_runtime import WORKER_CONCURRENCY

    if sys.argv[1:2] == ["--worker"]:
        asyncio.run(_work())
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50, help="deliveries per second")
    parser.add_argument("--duration", type=float, default=120, help="seconds")
    parser.add_argument("--workers", type=int, nargs="+", default=[1], help="worker processes")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=WORKER_CONCURRENCY,
        help="jobs at once per worker (default: the worker command's)",
    )
    parser.add_argument("--ramp", type=float, nargs="*", help="rates to step through")
    parser.add_argument("--step", type=float, default=30, help="seconds per ramp step")
    parser.add_argument(
        "--stop",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="end the ramp at the first step over p99 1 s",
    )
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between polls")
    parser.add_argument(
        "--settle", type=float, default=300, help="seconds to wait for visibility after a step"
    )
    parser.add_argument("--audit", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--echo", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--session",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="workers log in to Medusa (MEDUSA_ADMIN_EMAIL/PASSWORD) instead of the secret key",
    )
    parser.add_argument(
        "--servers",
        choices=("live", "fakes"),
        default="live",
        help="the live stack ($STACK_DIR), or the control: the project's fakes over HTTP",
    )
    parser.add_argument("--keep", action="store_true", help="keep the seeded products")
    parser.add_argument("--out", default="/tmp/sustained_live.json")
    args = parser.parse_args()
    from tests.live._env import env_file, read_env

    from benchmarks._util import report

    if args.servers == "fakes":
        fakes = FakeServers(Path(f"/tmp/medusa-payload-sustained-fakes-{os.getpid()}"))
        fakes.logs.mkdir(parents=True, exist_ok=True)
        try:
            live = fakes.start()
            steps = asyncio.run(_main(args, live, fakes.pids()))
        finally:
            fakes.stop()
    else:
        path = env_file()
        if ("STACK_DIR" not in os.environ and "LIVE_ENV" not in os.environ) or not path.exists():
            print("sustained_live: skipped, no STACK_DIR with a live.env (see the docstring)")
            return 0
        steps = asyncio.run(_main(args, read_env(path), stack_pids(path.parent)))
    Path(args.out).write_text(json.dumps(steps, indent=1, default=str))
    print()
    print(HEADER)
    for step in steps:
        print(_row(step))
    print(f"(latency ms from the POST to visible on the other side; cpu % of one core; {args.out})")
    figures: dict[str, float | int | str] = {}
    for step in steps:
        key = f"{step['rate']:g}/s x {step['duration']:g} s, {step['workers']} worker(s)"
        t = step["tally"]
        figures[f"{key}: p50/p95/p99 ms"] = " / ".join(
            f"{t['latency'][q] * 1000:.0f}" for q in ("p50", "p95", "p99")
        )
        figures[f"{key}: sent / visible / lost / duplicates"] = (
            f"{t['sent']} / {t['visible']} / {t['lost']} / {t['duplicates']}"
        )
    report("sustained_live" if args.servers == "live" else "sustained_live (fakes)", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
