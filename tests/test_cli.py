"""The command line: help, exit codes, and each command against fakes served over HTTP."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from medusa_payload import MedusaClient, _jobs
from medusa_payload.cli import app
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo, serve_http
from medusa_payload.webhooks import generate_secret, sign_headers
from tests.conftest import redis_url
from tests.helpers import fakes_state
from tests.queue.conftest import redis_available

runner = CliRunner()


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeMedusa, FakePayload]]:
    """Seeded fakes over HTTP, named by the environment the CLI reads."""
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    with serve_http(medusa) as medusa_url, serve_http(payload) as payload_url:
        monkeypatch.setenv("MEDUSA_BACKEND_URL", medusa_url)
        monkeypatch.setenv("MEDUSA_API_KEY", medusa.secret_key)
        monkeypatch.setenv("MEDUSA_PUBLISHABLE_KEY", medusa.publishable_key)
        monkeypatch.setenv("PAYLOAD_CMS_URL", payload_url)
        monkeypatch.setenv("PAYLOAD_API_KEY", payload.api_key)
        monkeypatch.delenv("REDIS_URL", raising=False)
        yield medusa, payload


@pytest.mark.parametrize(
    "command",
    [[], ["demo"], ["worker"], ["reconcile"], ["watch"], ["queue", "stats"], ["webhooks", "serve"]],
)
def test_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.output.split()[0]) == (0, "medusa-payload")


def test_demo_runs_offline_in_seconds() -> None:
    started = time.perf_counter()
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "second run: all in sync = True" in result.output
    assert "echo job result: no_change" in result.output
    assert time.perf_counter() - started < 10


def test_python_dash_m_runs_the_demo() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "medusa_payload", "demo"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no server, no network" in result.stdout


def test_reconcile_json_dry_run_and_apply(servers: tuple[FakeMedusa, FakePayload]) -> None:
    before = fakes_state(*servers)
    dry = runner.invoke(app, ["reconcile", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    assert fakes_state(*servers) == before  # the dry run wrote nothing
    report = json.loads(dry.output)
    assert report["dry_run"] is True
    assert report["writes"] == 0
    assert report["missing"] == 1
    applied = runner.invoke(app, ["reconcile"])
    assert applied.exit_code == 0, applied.output
    assert "reconcile" in applied.output
    again = json.loads(runner.invoke(app, ["reconcile", "--json"]).output)
    assert again["all_in_sync"] is True


def test_reconcile_bad_scope_and_missing_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.invoke(app, ["reconcile", "--scope", "everything"]).exit_code == 2
    monkeypatch.delenv("MEDUSA_API_KEY", raising=False)
    result = runner.invoke(app, ["reconcile"])
    assert result.exit_code == 2
    assert "MEDUSA_API_KEY" in result.output


def test_reconcile_unreachable_server_is_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDUSA_BACKEND_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("MEDUSA_API_KEY", "sk_x")
    monkeypatch.setenv("MEDUSA_PAYLOAD_MAX_RETRIES", "0")
    assert runner.invoke(app, ["reconcile", "--json"]).exit_code == 1


def test_queue_stats_in_memory() -> None:
    result = runner.invoke(app, ["queue", "stats", "--json"], env={"REDIS_URL": ""})
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "waiting": 0,
        "active": 0,
        "completed": 0,
        "failed": 0,
        "delayed": 0,
        "total": 0,
    }


@pytest.mark.redis
def test_worker_runs_jobs_from_redis_with_extra_handlers(
    servers: tuple[FakeMedusa, FakePayload], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not redis_available():
        pytest.skip(f"no Redis at {redis_url()}")
    from medusa_payload.queue import RedisQueue, SyncQueue

    medusa, payload = servers
    prefix = f"mpcli-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("REDIS_URL", redis_url())
    product_id = next(p for p in medusa.products.values() if p["handle"] == "live-plain")["id"]
    with SyncQueue(lambda: RedisQueue(redis_url(), name="cli", prefix=prefix)) as queue:
        queue.enqueue(_jobs.PRODUCT_TO_PAYLOAD, {"product_id": product_id})
        queue.enqueue("custom.hello", {"who": "cli"})
        try:
            result = runner.invoke(
                app,
                [
                    "worker",
                    "--queue",
                    "cli",
                    "--prefix",
                    prefix,
                    "--until-idle",
                    "--handlers",
                    "tests.cli_handlers:HANDLERS",
                ],
            )
            assert result.exit_code == 0, result.output
            assert queue.stats().completed == 2
        finally:
            asyncio.run(_cleanup(prefix))
    assert any(d["handle"] == "live-plain" for d in payload.docs("product-content"))
    jobs = payload.docs("sync-jobs")  # audit records of both attempts
    assert sorted(j["jobName"] for j in jobs) == ["custom.hello", _jobs.PRODUCT_TO_PAYLOAD]
    assert {j["status"] for j in jobs} == {"completed"}


async def _cleanup(prefix: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url())
    keys = [k async for k in client.scan_iter(match=f"{prefix}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


def test_worker_bad_handlers_spec_is_exit_2(servers: tuple[FakeMedusa, FakePayload]) -> None:
    result = runner.invoke(app, ["worker", "--until-idle", "--handlers", "no.such.module:X"])
    assert result.exit_code == 2
    assert "cannot load handlers" in result.output


async def test_webhooks_app_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    from medusa_payload._cli_runtime import webhooks_app

    secret = generate_secret()
    monkeypatch.setenv("MEDUSA_WEBHOOK_SECRET", secret)
    monkeypatch.delenv("PAYLOAD_WEBHOOK_SECRET", raising=False)
    monkeypatch.delenv("PAYLOAD_CMS_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("MEDUSA_PAYLOAD_STATS_TOKEN", "tok")
    app_ = webhooks_app(queue_name=None, prefix=None, audit=True)
    body = json.dumps({"event": "product.created", "data": {"id": "prod_1"}}).encode()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app_), base_url="http://t") as c:
        accepted = await c.post(
            "/webhooks/medusa", content=body, headers=sign_headers(body, secret)
        )
        assert accepted.status_code == 202
        assert (await c.post("/webhooks/payload", content=b"{}")).status_code == 404
        stats = await c.get("/queue/stats", headers={"authorization": "Bearer tok"})
        assert stats.json()["waiting"] == 1


def test_webhooks_serve_without_secrets_is_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEDUSA_WEBHOOK_SECRET", raising=False)
    monkeypatch.delenv("PAYLOAD_WEBHOOK_SECRET", raising=False)
    result = runner.invoke(app, ["webhooks", "serve"])
    assert result.exit_code == 2
    assert "WEBHOOK_SECRET" in result.output


def test_watch_baseline_then_one_job_per_change_across_runs(
    servers: tuple[FakeMedusa, FakePayload], tmp_path: Path
) -> None:
    medusa, _ = servers
    state = str(tmp_path / "watch.json")
    args = ["watch", "--once", "--state-file", state, "--inventory-threshold", "3"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "baseline:" in first.output and "0 jobs enqueued" in first.output
    product = next(iter(medusa.products.values()))
    with MedusaClient(
        medusa.base_url, api_key=medusa.secret_key, transport=medusa.transport
    ) as client:
        client.admin.products.update(product["id"], {"title": "Changed"})
    second = runner.invoke(app, args)  # a new process would read the same state file
    assert second.exit_code == 0, second.output
    assert "poll: 1 products" in second.output and "1 jobs enqueued" in second.output
    third = runner.invoke(app, args)
    assert "0 jobs enqueued" in third.output


def test_watch_bad_state_file_is_exit_2(
    servers: tuple[FakeMedusa, FakePayload], tmp_path: Path
) -> None:
    state = tmp_path / "watch.json"
    state.write_text("not json")
    result = runner.invoke(app, ["watch", "--once", "--state-file", str(state)])
    assert result.exit_code == 2
    assert "not JSON" in result.output
    assert state.read_text() == "not json"
