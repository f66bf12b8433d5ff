"""`Settings` is the one reader of the environment; everything else takes its values."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import SecretStr

from medusa_payload import Settings
from medusa_payload._cli_runtime import queue_settings
from medusa_payload.errors import ConfigurationError
from medusa_payload.queue import InMemoryQueue, queue_from_env
from medusa_payload.webhooks import WebhookReceiver, generate_secret

SRC = Path(__file__).resolve().parent.parent / "src" / "medusa_payload"
_READERS = {"environ", "environb", "getenv"}


def _reads_environment(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in _READERS
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ) or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and {a.name for a in node.names} & _READERS
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_but_config_reads_the_environment() -> None:
    readers = {
        str(path.relative_to(SRC)): lines
        for path in SRC.rglob("*.py")
        if (lines := _reads_environment(ast.parse(path.read_text())))
    }
    assert readers == {"_config.py": readers.get("_config.py")}
    assert readers["_config.py"]


def test_settings_reads_every_variable_the_cli_and_webhooks_use() -> None:
    env = {
        "MEDUSA_PAYLOAD_QUEUE": "q",
        "MEDUSA_PAYLOAD_QUEUE_PREFIX": "{p}",
        "MEDUSA_PAYLOAD_STATS_TOKEN": "s3cr3t-stats",
        "PAYLOAD_CMS_URL": "http://cms:3000",
        "MEDUSA_WEBHOOK_SECRET": "a,b",
        "REDIS_URL": "",
    }
    settings = Settings.from_env(env)
    assert (settings.queue_name, settings.queue_prefix) == ("q", "{p}")
    assert (
        settings.stats_token is not None
        and settings.stats_token.get_secret_value() == "s3cr3t-stats"
    )
    assert "s3cr3t" not in repr(settings)
    assert settings.env_set == {
        "MEDUSA_PAYLOAD_QUEUE",
        "MEDUSA_PAYLOAD_QUEUE_PREFIX",
        "MEDUSA_PAYLOAD_STATS_TOKEN",
        "PAYLOAD_CMS_URL",
        "MEDUSA_WEBHOOK_SECRET",
    }
    secret = settings.webhook_secret("medusa")
    assert secret is not None and secret.get_secret_value() == "a,b"
    assert settings.webhook_secret("payload") is None
    defaults = Settings.from_env({})
    assert (defaults.queue_name, defaults.queue_prefix, defaults.env_set) == (
        "medusa-payload",
        "bull",
        frozenset(),
    )


def test_queue_from_env_and_cli_take_their_values_from_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://must-not-be-used.invalid:1")
    monkeypatch.setenv("MEDUSA_PAYLOAD_QUEUE", "from-env")
    assert isinstance(queue_from_env(settings=Settings()), InMemoryQueue)
    assert queue_settings(None, None, Settings(queue_name="mine")) == ("mine", "bull")
    assert queue_settings(None, "pre", None) == ("from-env", "pre")  # default: Settings.from_env()


def test_receiver_from_env_takes_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDUSA_WEBHOOK_SECRET", generate_secret())
    queue = InMemoryQueue()
    with pytest.raises(ConfigurationError, match="MEDUSA_WEBHOOK_SECRET is not set"):
        WebhookReceiver.from_env(queue, source="medusa", settings=Settings())
    secret = generate_secret()
    settings = Settings(payload_webhook_secret=SecretStr(secret))
    with WebhookReceiver.from_env(queue, source="payload", settings=settings) as receiver:
        assert "1 secret(s)" in repr(receiver)
