"""Every default of the SDK, and `Settings`, which reads them from the environment.

Clients take plain values; ``Settings.from_env()`` builds the same values from these variables:

| variable | meaning |
|---|---|
| ``MEDUSA_BACKEND_URL`` | Medusa server root, e.g. ``http://localhost:9000`` |
| ``MEDUSA_PUBLISHABLE_KEY`` | ``pk_...`` key sent as ``x-publishable-api-key`` to ``/store`` routes |
| ``MEDUSA_API_KEY`` | secret ``sk_...`` key, sent as HTTP Basic user (empty password) to ``/admin`` only |
| ``MEDUSA_WEBHOOK_SECRET`` | secret that signs webhooks sent by the Medusa subscriber |
| ``PAYLOAD_CMS_URL`` | Payload server root, e.g. ``http://localhost:3000`` (REST under ``/api``) |
| ``PAYLOAD_API_KEY`` | API key, sent as ``Authorization: users API-Key <key>`` |
| ``PAYLOAD_API_KEY_COLLECTION`` | auth collection of that key (default ``users``) |
| ``PAYLOAD_WEBHOOK_SECRET`` | secret that signs webhooks sent by the Payload hook |
| ``REDIS_URL`` | Redis for the queue backend (unset: in-memory queue) |
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from pydantic import SecretStr

from ._env_report import EnvRecorder
from .errors import ConfigurationError

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_READ_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "RetryConfig",
    "Settings",
]

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_TIMEOUT = httpx.Timeout(DEFAULT_READ_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_MAX_KEEPALIVE_CONNECTIONS = 20
DEFAULT_LIMITS = httpx.Limits(
    max_connections=DEFAULT_MAX_CONNECTIONS,
    max_keepalive_connections=DEFAULT_MAX_KEEPALIVE_CONNECTIONS,
)
DEFAULT_PAYLOAD_API_PREFIX = "/api"
DEFAULT_PAYLOAD_API_KEY_COLLECTION = "users"
#: Payload populates relations this many levels deep when the caller does not say; we always
#: send ``depth`` explicitly so the answer never depends on the server's own default (2).
DEFAULT_PAYLOAD_DEPTH = 0

RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})


@dataclass(frozen=True)
class RetryConfig:
    """How failed idempotent requests are retried.

    The wait before retry *n* (1-based) is ``min(max_delay, initial_delay * 2 ** (n - 1))`` plus up
    to ``jitter`` seconds of random jitter, unless the server sent ``Retry-After``: then that many
    seconds (or until that HTTP date), capped at ``retry_after_cap``.
    """

    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    retry_after_cap: float = 60.0
    statuses: frozenset[int] = RETRY_STATUSES

    def __post_init__(self) -> None:
        if min(self.initial_delay, self.max_delay, self.jitter, self.retry_after_cap) < 0:
            raise ConfigurationError("RetryConfig delays must be >= 0")


DEFAULT_RETRY = RetryConfig()


def _secret(value: str | None) -> SecretStr | None:
    return SecretStr(value) if value else None


@dataclass(frozen=True)
class Settings:
    """All configuration in one value. Secrets are `pydantic.SecretStr`: never in ``repr``.

    Build it with keyword arguments or from the environment with `Settings.from_env`.
    """

    medusa_backend_url: str = "http://localhost:9000"
    medusa_publishable_key: str | None = None
    medusa_api_key: SecretStr | None = None
    medusa_webhook_secret: SecretStr | None = None
    payload_cms_url: str = "http://localhost:3000"
    payload_api_key: SecretStr | None = None
    payload_api_key_collection: str = DEFAULT_PAYLOAD_API_KEY_COLLECTION
    payload_webhook_secret: SecretStr | None = None
    redis_url: str | None = None
    timeout: float = DEFAULT_READ_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the variables listed in this module's docstring (``os.environ`` by default).

        Each variable read, with its value (secrets hidden) or the default used instead, is
        logged at DEBUG on the ``medusa_payload.settings`` logger; see also `describe`.

        Raises:
            ConfigurationError: a number (``MEDUSA_PAYLOAD_TIMEOUT``, ``..._MAX_RETRIES``) does
                not parse, is not finite, or (``..._MAX_RETRIES``) is not whole.
        """
        env = EnvRecorder(os.environ if environ is None else environ, defaults=cls)

        def number(name: str, default: float) -> float:
            raw = env.get(name)
            if raw in (None, ""):
                return default
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise ConfigurationError(f"{name} must be a number, got {raw!r}")
            return value

        def whole(name: str, default: int) -> int:
            value = number(name, default)
            if value != int(value):
                raise ConfigurationError(f"{name} must be a whole number, got {env.get(name)!r}")
            return int(value)

        return cls(
            medusa_backend_url=env.get("MEDUSA_BACKEND_URL") or cls.medusa_backend_url,
            medusa_publishable_key=env.get("MEDUSA_PUBLISHABLE_KEY") or None,
            medusa_api_key=_secret(env.get("MEDUSA_API_KEY")),
            medusa_webhook_secret=_secret(env.get("MEDUSA_WEBHOOK_SECRET")),
            payload_cms_url=env.get("PAYLOAD_CMS_URL") or cls.payload_cms_url,
            payload_api_key=_secret(env.get("PAYLOAD_API_KEY")),
            payload_api_key_collection=env.get("PAYLOAD_API_KEY_COLLECTION")
            or DEFAULT_PAYLOAD_API_KEY_COLLECTION,
            payload_webhook_secret=_secret(env.get("PAYLOAD_WEBHOOK_SECRET")),
            redis_url=env.get("REDIS_URL") or None,
            timeout=number("MEDUSA_PAYLOAD_TIMEOUT", DEFAULT_READ_TIMEOUT),
            connect_timeout=number("MEDUSA_PAYLOAD_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
            max_retries=whole("MEDUSA_PAYLOAD_MAX_RETRIES", DEFAULT_MAX_RETRIES),
        )

    @classmethod
    def describe(cls, environ: Mapping[str, str] | None = None) -> str:
        """Which variables `from_env` would use, and which defaults it would fall back on.

        One line per variable: its value (secrets hidden; only a Medusa key's ``pk_`` / ``sk_``
        kind is shown) or ``not set: default ...``; then one per set variable that was not read
        but looks like a misspelling of one that was not set (``MEDUSA_URL``: did you mean
        ``MEDUSA_BACKEND_URL``?). `from_env` logs the per-variable lines at DEBUG on the
        ``medusa_payload.settings`` logger.

        Raises:
            ConfigurationError: as `from_env`, when a variable does not parse.
        """
        recorder = EnvRecorder(os.environ if environ is None else environ, defaults=cls, log=False)
        cls.from_env(recorder)
        return recorder.report()

    @property
    def httpx_timeout(self) -> httpx.Timeout:
        """The timeouts as an `httpx.Timeout`."""
        return httpx.Timeout(self.timeout, connect=self.connect_timeout)
