"""Every default of the SDK, and `Settings`, which reads them from the environment.

Clients take plain values; ``Settings.from_env()`` builds the same values from these variables:

| variable | meaning |
|---|---|
| ``MEDUSA_BACKEND_URL`` | Medusa server root, e.g. ``http://localhost:9000`` |
| ``MEDUSA_PUBLISHABLE_KEY`` | ``pk_...`` key sent as ``x-publishable-api-key`` to ``/store`` routes |
| ``MEDUSA_API_KEY`` | secret ``sk_...`` key, sent as HTTP Basic user (empty password) to ``/admin`` only |
| ``MEDUSA_ADMIN_EMAIL``, ``MEDUSA_ADMIN_PASSWORD`` | an admin user: the worker and watch log in and send a session token to ``/admin`` instead of ``MEDUSA_API_KEY`` (Medusa hashes a secret key with scrypt on every request) |
| ``MEDUSA_WEBHOOK_SECRET`` | secret that signs webhooks sent by the Medusa subscriber |
| ``PAYLOAD_CMS_URL`` | Payload server root, e.g. ``http://localhost:3000`` (REST under ``/api``) |
| ``PAYLOAD_API_KEY`` | API key, sent as ``Authorization: users API-Key <key>`` |
| ``PAYLOAD_API_KEY_COLLECTION`` | auth collection of that key (default ``users``) |
| ``PAYLOAD_WEBHOOK_SECRET`` | secret that signs webhooks sent by the Payload hook |
| ``REDIS_URL`` | Redis for the queue backend (unset: in-memory queue) |
| ``MEDUSA_PAYLOAD_TIMEOUT`` | seconds one network read/write may wait (default 30) |
| ``MEDUSA_PAYLOAD_CONNECT_TIMEOUT`` | seconds to connect (default 5) |
| ``MEDUSA_PAYLOAD_MAX_RETRIES`` | retries of idempotent calls (default 2) |
| ``MEDUSA_PAYLOAD_DEADLINE`` | seconds a whole call may take, retries included (default 120; 0: none) |
| ``MEDUSA_PAYLOAD_RETRY_AFTER_CAP`` | longest ``Retry-After`` honoured, in seconds (default 60) |
| ``MEDUSA_PAYLOAD_MAX_RESPONSE_BYTES`` | largest response body read (default 100 MiB; 0: none) |
| ``MEDUSA_PAYLOAD_QUEUE``, ``MEDUSA_PAYLOAD_QUEUE_PREFIX`` | the CLI's queue name and Redis key prefix |
| ``MEDUSA_PAYLOAD_STATS_TOKEN`` | bearer token of ``GET /queue/stats`` on ``webhooks serve`` |
| ``MEDUSA_PAYLOAD_LOG`` | ``debug`` or ``info``: log ``medusa_payload.*`` to stderr (set at import) |

`Settings` is the only reader of the environment: every other ``from_env`` builds a
`Settings` (or takes one) and uses its values.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr

from ._env_report import EnvRecorder
from .errors import ConfigurationError

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
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
#: Seconds a whole call may take: every attempt, every wait between attempts and the reading of
#: every body. ``timeout`` bounds one network operation; a server that drips a byte just inside
#: each read timeout is stopped by this.
DEFAULT_DEADLINE = 120.0
DEFAULT_RETRY_AFTER_CAP = 60.0
#: The largest response body a client reads (decoded bytes); larger answers fail with
#: `ResponseTooLargeError` without being held in memory.
DEFAULT_MAX_RESPONSE_BYTES = 100 * 1024 * 1024
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
#: Seconds between two polls of `medusa_payload.sync.watch` (``medusa-payload watch --every``).
DEFAULT_WATCH_INTERVAL = 30.0
DEFAULT_QUEUE_NAME = "medusa-payload"
DEFAULT_QUEUE_PREFIX = "bull"

_VARIABLES = (
    "MEDUSA_BACKEND_URL",
    "MEDUSA_PUBLISHABLE_KEY",
    "MEDUSA_API_KEY",
    "MEDUSA_ADMIN_EMAIL",
    "MEDUSA_ADMIN_PASSWORD",
    "MEDUSA_WEBHOOK_SECRET",
    "PAYLOAD_CMS_URL",
    "PAYLOAD_API_KEY",
    "PAYLOAD_API_KEY_COLLECTION",
    "PAYLOAD_WEBHOOK_SECRET",
    "REDIS_URL",
    "MEDUSA_PAYLOAD_TIMEOUT",
    "MEDUSA_PAYLOAD_CONNECT_TIMEOUT",
    "MEDUSA_PAYLOAD_MAX_RETRIES",
    "MEDUSA_PAYLOAD_DEADLINE",
    "MEDUSA_PAYLOAD_RETRY_AFTER_CAP",
    "MEDUSA_PAYLOAD_MAX_RESPONSE_BYTES",
    "MEDUSA_PAYLOAD_QUEUE",
    "MEDUSA_PAYLOAD_QUEUE_PREFIX",
    "MEDUSA_PAYLOAD_STATS_TOKEN",
    "MEDUSA_PAYLOAD_LOG",
)

LOG_LEVELS = ("debug", "info")
"""The values of ``MEDUSA_PAYLOAD_LOG``."""


@dataclass(frozen=True)
class RetryConfig:
    """How failed idempotent requests are retried.

    The wait before retry *n* (1-based) is ``min(max_delay, initial_delay * 2 ** (n - 1))`` plus up
    to ``jitter`` seconds of random jitter, unless the server sent ``Retry-After``: then that many
    seconds (or until that HTTP date). A ``Retry-After`` longer than ``retry_after_cap`` is not
    waited for: the call fails at once with the server's error (`RateLimitError` for a 429), whose
    ``retry_after`` holds the server's value.
    """

    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP
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
    medusa_admin_email: str | None = None
    medusa_admin_password: SecretStr | None = None
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
    queue_name: str = DEFAULT_QUEUE_NAME
    queue_prefix: str = DEFAULT_QUEUE_PREFIX
    stats_token: SecretStr | None = None
    env_set: frozenset[str] = frozenset()
    """The variables `from_env` found set (non-empty), for "configured or default?" checks."""

    def webhook_secret(self, source: str) -> SecretStr | None:
        """The webhook secret(s) of ``source`` (``"medusa"`` or ``"payload"``; comma-separated
        during a rotation), or ``None``."""
        return {"medusa": self.medusa_webhook_secret, "payload": self.payload_webhook_secret}.get(
            source
        )

    deadline: float | None = DEFAULT_DEADLINE
    retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP
    max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES
    log: str | None = None
    """``MEDUSA_PAYLOAD_LOG``: ``"debug"``, ``"info"`` or ``None`` (logging left to the host)."""

    @staticmethod
    def log_from_env(environ: Mapping[str, str] | None = None) -> str | None:
        """``MEDUSA_PAYLOAD_LOG`` alone (what the package reads at import), lower-cased.

        Raises:
            ConfigurationError: a value other than ``debug`` or ``info``.
        """
        env = os.environ if environ is None else environ
        raw = (env.get("MEDUSA_PAYLOAD_LOG") or "").strip().lower()
        if not raw:
            return None
        if raw not in LOG_LEVELS:
            raise ConfigurationError(
                f"MEDUSA_PAYLOAD_LOG must be one of {', '.join(LOG_LEVELS)}, got {raw!r}"
            )
        return raw

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
            medusa_admin_email=env.get("MEDUSA_ADMIN_EMAIL") or None,
            medusa_admin_password=_secret(env.get("MEDUSA_ADMIN_PASSWORD")),
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
            queue_name=env.get("MEDUSA_PAYLOAD_QUEUE") or DEFAULT_QUEUE_NAME,
            queue_prefix=env.get("MEDUSA_PAYLOAD_QUEUE_PREFIX") or DEFAULT_QUEUE_PREFIX,
            stats_token=_secret(env.get("MEDUSA_PAYLOAD_STATS_TOKEN")),
            env_set=frozenset(name for name in _VARIABLES if env.get(name)),
            deadline=number("MEDUSA_PAYLOAD_DEADLINE", DEFAULT_DEADLINE) or None,
            retry_after_cap=number("MEDUSA_PAYLOAD_RETRY_AFTER_CAP", DEFAULT_RETRY_AFTER_CAP),
            max_response_bytes=int(
                number("MEDUSA_PAYLOAD_MAX_RESPONSE_BYTES", DEFAULT_MAX_RESPONSE_BYTES)
            )
            or None,
            log=cls.log_from_env(env),
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
        return cls.recorded(environ)[1].report()

    @classmethod
    def recorded(cls, environ: Mapping[str, str] | None = None) -> tuple[Settings, EnvRecorder]:
        """`from_env` (without its DEBUG log), and the record of what it read and fell back on
        (for `describe` and the CLI's "what the worker will use" lines)."""
        recorder = EnvRecorder(os.environ if environ is None else environ, defaults=cls, log=False)
        return cls.from_env(recorder), recorder

    @property
    def httpx_timeout(self) -> httpx.Timeout:
        """The timeouts as an `httpx.Timeout`."""
        return httpx.Timeout(self.timeout, connect=self.connect_timeout)

    def http_options(self) -> dict[str, Any]:
        """The keyword arguments every client takes from these settings (timeouts, retries,
        deadline, response size cap)."""
        return {
            "timeout": self.httpx_timeout,
            "max_retries": self.max_retries,
            "retry": RetryConfig(retry_after_cap=self.retry_after_cap),
            "deadline": self.deadline,
            "max_response_bytes": self.max_response_bytes,
        }
