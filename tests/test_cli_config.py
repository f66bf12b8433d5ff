"""Every configuration error of every command: one line on stderr naming the variable, exit 2."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from medusa_payload import ConfigurationError, Settings
from medusa_payload._cli_config import check_config
from medusa_payload.cli import app

runner = CliRunner()

WORKER = ["worker", "--until-idle"]
RECONCILE = ["reconcile", "--dry-run"]
STATS = ["queue", "stats"]
SERVE = ["webhooks", "serve"]

BAD_REDIS = [
    ("REDIS_URL", "localhost:6379", "REDIS_URL must start with redis://"),
    ("REDIS_URL", "redis://localhost:port/0", "REDIS_URL 'redis://localhost:port/0' is not"),
]
BAD_HTTP = [
    ("MEDUSA_BACKEND_URL", "localhost:9000", "MEDUSA_BACKEND_URL must be an absolute http(s) URL"),
    ("PAYLOAD_CMS_URL", "ftp://cms", "PAYLOAD_CMS_URL must be an absolute http(s) URL"),
]
BAD_NUMBERS = [
    ("MEDUSA_PAYLOAD_TIMEOUT", "ten", "MEDUSA_PAYLOAD_TIMEOUT must be a number, got 'ten'"),
    ("MEDUSA_PAYLOAD_TIMEOUT", "nan", "MEDUSA_PAYLOAD_TIMEOUT must be a number"),
    ("MEDUSA_PAYLOAD_TIMEOUT", "-1", "MEDUSA_PAYLOAD_TIMEOUT must be > 0 seconds"),
    ("MEDUSA_PAYLOAD_CONNECT_TIMEOUT", "0", "MEDUSA_PAYLOAD_CONNECT_TIMEOUT must be > 0"),
    ("MEDUSA_PAYLOAD_MAX_RETRIES", "1.5", "MEDUSA_PAYLOAD_MAX_RETRIES must be a whole number"),
    ("MEDUSA_PAYLOAD_MAX_RETRIES", "inf", "MEDUSA_PAYLOAD_MAX_RETRIES must be a number"),
    ("MEDUSA_PAYLOAD_MAX_RETRIES", "-1", "MEDUSA_PAYLOAD_MAX_RETRIES must be >= 0"),
]
# what each command reads: the HTTP numbers matter to every command that builds a client
CASES = (
    [(cmd, *bad) for cmd in (WORKER, STATS, SERVE) for bad in BAD_REDIS]
    + [(cmd, *bad) for cmd in (WORKER, RECONCILE) for bad in BAD_HTTP]
    + [(SERVE, *BAD_HTTP[1])]  # the audit sink writes to Payload
    + [(cmd, *bad) for cmd in (WORKER, RECONCILE, SERVE) for bad in BAD_NUMBERS]
    + [(STATS, *BAD_NUMBERS[0])]  # a value that does not parse is wrong wherever it is read
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("MEDUSA_", "PAYLOAD_", "REDIS_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("MEDUSA_API_KEY", "sk_test")
    monkeypatch.setenv("MEDUSA_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    monkeypatch.setenv("MEDUSA_PAYLOAD_MAX_RETRIES", "0")

    def serve_forever(*args: object, **kwargs: object) -> None:
        raise AssertionError("webhooks serve started a server despite the bad setting")

    monkeypatch.setattr("uvicorn.run", serve_forever)  # a regression fails at once, never hangs


@pytest.mark.parametrize(
    ("command", "variable", "value", "expected"),
    CASES,
    ids=[f"{' '.join(c[0][:2])}-{c[1]}={c[2]}" for c in CASES],
)
def test_configuration_error_is_one_line_and_exit_2(
    command: list[str], variable: str, value: str, expected: str
) -> None:
    result = runner.invoke(app, command, env={variable: value})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {expected}")
    assert result.stderr.count("\n") == 1
    assert repr(value) in result.stderr or value in result.stderr


def test_all_problems_are_named_in_the_one_line() -> None:
    env = {"MEDUSA_BACKEND_URL": "localhost:9000", "REDIS_URL": "localhost:6379"}
    with pytest.raises(ConfigurationError) as raised:
        check_config("medusa", "payload", "redis", environ=env)
    message = str(raised.value)
    assert "MEDUSA_BACKEND_URL" in message and "REDIS_URL" in message
    assert "\n" not in message


def test_a_good_environment_passes_and_returns_the_settings() -> None:
    env = {
        "MEDUSA_BACKEND_URL": "https://shop.example",
        "PAYLOAD_CMS_URL": "http://cms:3000",
        "REDIS_URL": "rediss://user:pw@redis.example:6380/2",
        "MEDUSA_PAYLOAD_MAX_RETRIES": "3",
    }
    settings = check_config("medusa", "payload", "redis", environ=env)
    assert (settings.medusa_backend_url, settings.max_retries) == ("https://shop.example", 3)


def test_what_a_command_does_not_use_is_not_checked() -> None:
    assert check_config("redis", environ={"MEDUSA_BACKEND_URL": "nonsense"}).redis_url is None


def test_settings_reject_a_fractional_retry_count() -> None:
    with pytest.raises(ConfigurationError, match="whole number"):
        Settings.from_env({"MEDUSA_PAYLOAD_MAX_RETRIES": "2.5"})
    assert Settings.from_env({"MEDUSA_PAYLOAD_MAX_RETRIES": "2.0"}).max_retries == 2


def test_worker_with_nothing_configured_says_what_it_will_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MEDUSA_API_KEY")
    result = runner.invoke(app, ["worker", "--until-idle", "--no-audit"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "worker: Medusa at http://localhost:9000 (the default: MEDUSA_BACKEND_URL is not set), "
        "Payload at http://localhost:3000 (the default: PAYLOAD_CMS_URL is not set)"
    )
    assert lines[1].startswith("note: MEDUSA_API_KEY is not set")
    assert lines[2].startswith("note: PAYLOAD_API_KEY is not set")


def test_worker_names_the_urls_it_was_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDUSA_BACKEND_URL", "http://shop.internal:9000")
    monkeypatch.setenv("PAYLOAD_API_KEY", "k")
    result = runner.invoke(app, ["worker", "--until-idle", "--no-audit"])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("worker: Medusa at http://shop.internal:9000, Payload at ")
    assert "note:" not in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [("MEDUSA_API_KEY", "pk_123"), ("MEDUSA_PUBLISHABLE_KEY", "sk_123")],
)
@pytest.mark.parametrize("command", [WORKER, RECONCILE])
def test_a_key_in_the_wrong_place_is_a_one_line_hint(
    command: list[str], variable: str, value: str
) -> None:
    result = runner.invoke(app, command, env={variable: value})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {'api_key' if 'API' in variable else 'publishable'}")
    assert variable in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--lock-duration", "-5"),
        ("--lock-duration", "0"),
        ("--stalled-interval", "0"),
        ("--stalled-interval", "nan"),
    ],
)
def test_worker_seconds_options_must_be_positive(option: str, value: str) -> None:
    result = runner.invoke(app, ["worker", "--until-idle", option, value])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {option} must be > 0 seconds, got {float(value):g}\n"


def test_worker_names_a_misspelled_url_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDUSA_URL", "http://shop.internal:9000")
    result = runner.invoke(app, ["worker", "--until-idle", "--no-audit"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(
        "worker: Medusa at http://localhost:9000 (the default: MEDUSA_BACKEND_URL is not set; "
        "MEDUSA_URL is set: a misspelling?), Payload at"
    )


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["worker", "--concurrency", "0"], "'--concurrency'"),
        (["worker", "--concurrency", "many"], "'--concurrency'"),
        (["queue", "stats", "--bogus"], "--bogus"),
        (["reconcil"], "'reconcil'"),
    ],
)
def test_a_mistyped_command_or_option_value_is_one_line_and_exit_2(
    args: list[str], named: str
) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "medusa_payload", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "80"},
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert named in lines[0] and "--help)" in lines[0]
    assert done.stdout == ""
