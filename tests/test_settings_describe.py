"""`Settings.describe()` and the DEBUG log of `Settings.from_env`: which variables were used,
which defaults were fallen back on; secrets never shown."""

from __future__ import annotations

import logging

import pytest

from medusa_payload import Settings

ENV = {
    "MEDUSA_URL": "http://shop:9000",  # a misspelling: not read, so the default shows
    "MEDUSA_API_KEY": "sk_0123456789abcdef",
    "PAYLOAD_CMS_URL": "http://cms:3000",
    "PAYLOAD_API_KEY": "payload-secret-value",
    "REDIS_URL": "redis://default:redis-pass@redis:6379/0",
    "MEDUSA_PAYLOAD_TIMEOUT": "12",
}


def _lines(text: str) -> dict[str, str]:
    return {
        name: rest.strip() for name, _, rest in (line.partition(" ") for line in text.splitlines())
    }


def test_describe_names_each_variable_with_its_value_or_default() -> None:
    lines = _lines(Settings.describe(ENV))
    assert lines["MEDUSA_BACKEND_URL"] == "not set: default http://localhost:9000"
    assert lines["PAYLOAD_CMS_URL"] == "http://cms:3000"
    assert lines["MEDUSA_PAYLOAD_TIMEOUT"] == "12"
    assert lines["MEDUSA_PAYLOAD_CONNECT_TIMEOUT"] == "not set: default 5.0"
    assert lines["MEDUSA_PAYLOAD_MAX_RETRIES"] == "not set: default 2"
    assert lines["PAYLOAD_API_KEY_COLLECTION"] == "not set: default users"
    assert lines["MEDUSA_PUBLISHABLE_KEY"] == "not set"
    assert lines["MEDUSA_API_KEY"] == "set (hidden, starts sk_)"
    assert lines["PAYLOAD_API_KEY"] == "set (hidden)"
    assert lines["REDIS_URL"] == "redis://default:***@redis:6379/0"
    assert lines["MEDUSA_URL"] == "set but not read: did you mean MEDUSA_BACKEND_URL?"


def test_describe_never_shows_a_secret() -> None:
    text = Settings.describe(ENV)
    for secret in ("0123456789abcdef", "payload-secret-value", "redis-pass"):
        assert secret not in text


def test_from_env_logs_the_same_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="medusa_payload.settings"):
        Settings.from_env(ENV)
    logged = [r.getMessage() for r in caplog.records if r.name == "medusa_payload.settings"]
    assert "MEDUSA_BACKEND_URL  not set: default http://localhost:9000" in logged
    read = [n for n, rest in _lines(Settings.describe(ENV)).items() if "not read" not in rest]
    assert len(logged) == len(read)  # one record per variable read
    assert not any("payload-secret-value" in line for line in logged)


def test_describe_of_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDUSA_BACKEND_URL", "http://from-os-environ:9000")
    assert "http://from-os-environ:9000" in Settings.describe()


def test_describe_points_at_a_probable_misspelling() -> None:
    env = {
        "MEDUSA_URL": "http://shop:9000",  # meant MEDUSA_BACKEND_URL
        "PAYLOAD_URL": "http://cms:3000",  # meant PAYLOAD_CMS_URL
        "MEDUSA_PAYLOAD_QUEUE": "jobs",  # read by Settings (the CLI's queue), not a typo
        "MEDUSA_WEBHOOK_URL": "https://sync.example/webhooks/medusa",  # the sender's
    }
    lines = _lines(Settings.describe(env))
    assert lines["MEDUSA_URL"] == "set but not read: did you mean MEDUSA_BACKEND_URL?"
    assert lines["PAYLOAD_URL"] == "set but not read: did you mean PAYLOAD_CMS_URL?"
    assert lines["MEDUSA_PAYLOAD_QUEUE"] == "jobs"  # read, so shown with its value
    assert "MEDUSA_WEBHOOK_URL" not in lines


def test_no_misspelling_when_the_meant_variable_is_set() -> None:
    env = {"MEDUSA_URL": "http://a:9000", "MEDUSA_BACKEND_URL": "http://b:9000"}
    assert "MEDUSA_URL" not in _lines(Settings.describe(env))
