"""The configuration checks each CLI command runs before it starts (free of typer/rich).

A command names what it needs (``"medusa"``, ``"payload"``, ``"redis"``); `check_config` reads
the environment once through `Settings.from_env` and raises one `ConfigurationError` whose
message is a single line naming every variable that is wrong and what a right value looks like.
The CLI turns it into ``error: ...`` and exit code 2.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import httpx

from ._config import Settings
from ._env_report import shown
from .errors import ConfigurationError
from .medusa._auth import check_key_kinds

__all__ = ["Need", "check_config", "worker_plan"]

Need = Literal["medusa", "payload", "redis"]

_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def _http_url_problem(variable: str, value: str, example: str) -> str | None:
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        return f"{variable} must be an absolute http(s) URL such as {example}, got {value!r}"
    return None


def _redis_url_problem(value: str) -> str | None:
    example = "redis://localhost:6379/0"
    if not value.startswith(_REDIS_SCHEMES):
        return (
            "REDIS_URL must start with redis://, rediss:// or unix:// "
            f"(e.g. {example}), got {value!r}"
        )
    try:
        from redis.connection import parse_url
    except ImportError:  # without the redis extra the queue reports the missing extra itself
        return None
    try:
        parse_url(value)  # type: ignore[no-untyped-call]
    except ValueError as exc:
        return f"REDIS_URL {value!r} is not a valid Redis URL ({exc})"
    return None


def _number_problems(settings: Settings) -> list[str]:
    problems = []
    if settings.timeout <= 0:
        problems.append(f"MEDUSA_PAYLOAD_TIMEOUT must be > 0 seconds, got {settings.timeout:g}")
    if settings.connect_timeout <= 0:
        problems.append(
            f"MEDUSA_PAYLOAD_CONNECT_TIMEOUT must be > 0 seconds, got {settings.connect_timeout:g}"
        )
    if settings.max_retries < 0:
        problems.append(f"MEDUSA_PAYLOAD_MAX_RETRIES must be >= 0, got {settings.max_retries}")
    return problems


def check_config(*needs: Need, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and check the settings a command needs; return them when all is well.

    Args:
        needs: what the command talks to: ``"medusa"``, ``"payload"`` (their URLs and the
            shared HTTP numbers are checked), ``"redis"`` (``REDIS_URL``, when set).
        environ: the environment (``os.environ`` by default).

    Raises:
        ConfigurationError: one line naming each wrong variable (``; `` between them).
    """
    settings = Settings.from_env(environ)
    problems: list[str | None] = []
    if "medusa" in needs or "payload" in needs:
        problems.extend(_number_problems(settings))
    if "medusa" in needs:
        try:
            check_key_kinds(settings.medusa_publishable_key, settings.medusa_api_key)
        except ConfigurationError as exc:
            problems.append(str(exc))
        problems.append(
            _http_url_problem(
                "MEDUSA_BACKEND_URL", settings.medusa_backend_url, "http://localhost:9000"
            )
        )
    if "payload" in needs:
        problems.append(
            _http_url_problem("PAYLOAD_CMS_URL", settings.payload_cms_url, "http://localhost:3000")
        )
    if "redis" in needs and settings.redis_url:
        problems.append(_redis_url_problem(settings.redis_url))
    found = [p for p in problems if p]
    if found:
        raise ConfigurationError("; ".join(found))
    return settings


def worker_plan(environ: Mapping[str, str] | None = None) -> list[str]:
    """What ``medusa-payload worker`` will talk to, and what will fail for want of a key.

    Printed before the worker starts, so that a worker started with nothing configured says
    that it will use the default local URLs rather than fail later on a connection error.
    """
    settings, recorder = Settings.recorded(environ)

    typos = {meant: name for name, meant in recorder.misspelled().items()}

    def where(service: str, variable: str, url: str) -> str:
        why = "" if recorder.is_set(variable) else f" (the default: {variable} is not set"
        if variable in typos:
            why += f"; {typos[variable]} is set: a misspelling?"
        return f"{service} at {shown(variable, url)}{why}{')' if why else ''}"

    lines = [
        "worker: "
        + where("Medusa", "MEDUSA_BACKEND_URL", settings.medusa_backend_url)
        + ", "
        + where("Payload", "PAYLOAD_CMS_URL", settings.payload_cms_url)
    ]
    if settings.medusa_api_key is None:
        lines.append(
            "note: MEDUSA_API_KEY is not set: jobs that read or write Medusa admin routes fail"
        )
    if settings.payload_api_key is None:
        lines.append(
            "note: PAYLOAD_API_KEY is not set: writes to Payload fail unless its access rules "
            "allow anonymous writes"
        )
    return lines
