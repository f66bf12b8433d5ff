"""The worker's admin session: ``MEDUSA_ADMIN_EMAIL`` / ``MEDUSA_ADMIN_PASSWORD`` replace the
secret key (which Medusa hashes with scrypt on every request) with a renewed session token."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from typing import Any

import pytest
from pydantic import SecretStr

from medusa_payload import AsyncMedusaClient, _cli_runtime
from medusa_payload._cli_runtime import (
    SESSION_RENEW_FALLBACK,
    SESSION_RENEW_MIN,
    admin_session,
    session_renewal_delay,
)
from medusa_payload._config import Settings
from medusa_payload.errors import AuthenticationError, ConfigurationError
from medusa_payload.testing import FakeMedusa


def _jwt(claims: dict[str, object]) -> str:
    raw = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{raw}.sig"


def test_renewal_at_80_percent_of_the_life_left() -> None:
    assert session_renewal_delay(_jwt({"exp": 1000 + 86400}), 1000) == pytest.approx(69120)
    assert session_renewal_delay(_jwt({"exp": 1000 + 10}), 1000) == SESSION_RENEW_MIN
    assert session_renewal_delay(_jwt({"exp": 500}), 1000) == SESSION_RENEW_MIN


@pytest.mark.parametrize(
    "token", [_jwt({"iat": 1}), _jwt({"exp": "soon"}), "not-a-jwt", "a.!!!.c", "a.e30.c"]
)
def test_no_readable_exp_renews_hourly(token: str) -> None:
    assert session_renewal_delay(token, 1000) == SESSION_RENEW_FALLBACK


def _settings(fake: FakeMedusa, email: str | None, password: str | None) -> Settings:
    return Settings(
        medusa_backend_url=fake.base_url,
        medusa_api_key=SecretStr(fake.secret_key),
        medusa_admin_email=email,
        medusa_admin_password=SecretStr(password) if password is not None else None,
    )


def _client(fake: FakeMedusa) -> AsyncMedusaClient:
    return AsyncMedusaClient(fake.base_url, api_key=fake.secret_key, transport=fake.transport)


async def test_without_the_variables_the_secret_key_is_used() -> None:
    fake = FakeMedusa()
    async with _client(fake) as medusa:
        assert await admin_session(medusa, _settings(fake, None, None)) is None
        await medusa.admin.products.list()
    assert medusa.token is None
    assert fake.requests[-1].headers["authorization"].startswith("Basic ")


async def test_admin_calls_carry_the_session_token_and_it_is_renewed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeMedusa()
    monkeypatch.setattr(_cli_runtime, "session_renewal_delay", lambda token, now: 0.01)
    async with _client(fake) as medusa:
        task = await admin_session(medusa, _settings(fake, fake.admin_email, fake.admin_password))
        assert task is not None and medusa.token is not None
        first = medusa.token.get_secret_value()
        await medusa.admin.products.list()
        assert fake.requests[-1].headers["authorization"] == f"Bearer {first}"
        for _ in range(100):  # renewed by the background task within a bound
            await asyncio.sleep(0.01)
            if medusa.token.get_secret_value() != first:
                break
        assert medusa.token.get_secret_value() != first
        task.cancel()


async def test_a_failed_renewal_keeps_the_token_and_warns(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeMedusa()
    monkeypatch.setattr(_cli_runtime, "session_renewal_delay", lambda token, now: 0.01)
    monkeypatch.setattr(_cli_runtime, "SESSION_RENEW_RETRY", 0.01)
    async with _client(fake) as medusa:
        with caplog.at_level(logging.WARNING, logger="medusa_payload.cli"):
            task = await admin_session(
                medusa, _settings(fake, fake.admin_email, fake.admin_password)
            )
            assert task is not None and medusa.token is not None
            first = medusa.token.get_secret_value()
            fake.admin_password = "changed"
            for _ in range(100):
                await asyncio.sleep(0.01)
                if "admin session not renewed" in caplog.text:
                    break
            task.cancel()
    assert "admin session not renewed" in caplog.text
    assert medusa.token.get_secret_value() == first


async def test_a_wrong_password_fails_at_the_start() -> None:
    fake = FakeMedusa()
    async with _client(fake) as medusa:
        with pytest.raises(AuthenticationError):
            await admin_session(medusa, _settings(fake, fake.admin_email, "wrong"))


@pytest.mark.parametrize(("email", "password"), [("a@b.c", None), (None, "pw")])
async def test_one_variable_without_the_other_is_a_configuration_error(
    email: str | None, password: str | None
) -> None:
    fake = FakeMedusa()
    async with _client(fake) as medusa:
        with pytest.raises(ConfigurationError, match="MEDUSA_ADMIN_EMAIL"):
            await admin_session(medusa, _settings(fake, email, password))


def test_settings_read_both_variables_and_hide_the_password() -> None:
    env = {"MEDUSA_ADMIN_EMAIL": "ops@example.com", "MEDUSA_ADMIN_PASSWORD": "hunter2"}
    settings = Settings.from_env(env)
    assert settings.medusa_admin_email == "ops@example.com"
    assert settings.medusa_admin_password is not None
    assert settings.medusa_admin_password.get_secret_value() == "hunter2"
    assert "hunter2" not in repr(settings) and "hunter2" not in Settings.describe(env)


async def test_the_worker_logs_in_when_both_are_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REDIS_URL", "MEDUSA_PAYLOAD_QUEUE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MEDUSA_ADMIN_EMAIL", "ops@example.com")
    monkeypatch.setenv("MEDUSA_ADMIN_PASSWORD", "pw")
    seen: list[tuple[str | None, bool]] = []

    async def fake_session(medusa: AsyncMedusaClient, settings: Settings) -> None:
        seen.append((settings.medusa_admin_email, settings.medusa_admin_password is not None))

    monkeypatch.setattr(_cli_runtime, "admin_session", fake_session)
    code = await _cli_runtime.run_worker(
        concurrency=1,
        queue_name="session-test",
        prefix=None,
        handler_specs=[],
        audit=False,
        lock_duration=None,
        stalled_interval=30,
        until_idle=True,
        echo=lambda line: None,
    )
    assert code == 0
    assert seen == [("ops@example.com", True)]


def test_the_worker_command_runs_16_jobs_at_once_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from medusa_payload.cli import app

    for name in ("REDIS_URL", "MEDUSA_PAYLOAD_QUEUE"):
        monkeypatch.delenv(name, raising=False)
    seen: list[int] = []

    async def fake_run_worker(*, concurrency: int, **kwargs: object) -> int:
        seen.append(concurrency)
        return 0

    monkeypatch.setattr(_cli_runtime, "run_worker", fake_run_worker)
    result = CliRunner().invoke(app, ["worker", "--until-idle"])
    assert result.exit_code == 0, result.output
    assert seen == [_cli_runtime.WORKER_CONCURRENCY] == [16]
    CliRunner().invoke(app, ["worker", "--until-idle", "--concurrency", "3"])
    assert seen[-1] == 3


async def test_watch_logs_in_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    import medusa_payload.sync as sync_module

    for name in ("REDIS_URL", "MEDUSA_PAYLOAD_QUEUE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MEDUSA_ADMIN_EMAIL", "ops@example.com")
    monkeypatch.setenv("MEDUSA_ADMIN_PASSWORD", "pw")
    seen: list[str | None] = []

    async def fake_session(medusa: AsyncMedusaClient, settings: Settings) -> None:
        seen.append(settings.medusa_admin_email)

    async def fake_watch(*args: object, **kwargs: object) -> None:
        assert seen, "logged in before the first poll"

    monkeypatch.setattr(_cli_runtime, "admin_session", fake_session)
    monkeypatch.setattr(sync_module, "watch", fake_watch)
    code = await _cli_runtime.run_watch(
        every=1,
        inventory_threshold=None,
        state_file=str(tmp_path / "state.json"),
        once=True,
        queue_name="session-watch",
        prefix=None,
        echo=lambda line: None,
    )
    assert code == 0
    assert seen == ["ops@example.com"]


def test_reconcile_logs_in_and_sends_the_session_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from medusa_payload.cli import app
    from medusa_payload.testing import FakePayload, seed_demo, serve_http

    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    with serve_http(medusa) as medusa_url, serve_http(payload) as payload_url:
        for name, value in {
            "MEDUSA_BACKEND_URL": medusa_url,
            "MEDUSA_API_KEY": medusa.secret_key,
            "PAYLOAD_CMS_URL": payload_url,
            "PAYLOAD_API_KEY": payload.api_key,
            "MEDUSA_ADMIN_EMAIL": medusa.admin_email,
            "MEDUSA_ADMIN_PASSWORD": medusa.admin_password,
        }.items():
            monkeypatch.setenv(name, value)
        result = CliRunner().invoke(app, ["reconcile", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    admin = [r for r in medusa.requests if r.path.startswith("/admin")]
    assert admin, "reconcile read Medusa's admin routes"
    assert all(r.headers.get("authorization", "").startswith("Bearer ") for r in admin)


def test_reconcile_with_only_the_email_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from medusa_payload.cli import app

    monkeypatch.setenv("MEDUSA_BACKEND_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("MEDUSA_API_KEY", "sk_x")
    monkeypatch.setenv("PAYLOAD_CMS_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("PAYLOAD_API_KEY", "key")
    monkeypatch.setenv("MEDUSA_ADMIN_EMAIL", "ops@example.com")
    monkeypatch.delenv("MEDUSA_ADMIN_PASSWORD", raising=False)
    result = CliRunner().invoke(app, ["reconcile", "--dry-run"])
    assert result.exit_code == 2
    assert "MEDUSA_ADMIN_PASSWORD" in result.output
