"""Where the live stack is and what it seeded (read from its ``live.env``)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest


def env_file() -> Path:
    """``LIVE_ENV``, else ``$STACK_DIR/live.env`` (the stack script's default STACK_DIR)."""
    explicit = os.environ.get("LIVE_ENV")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("STACK_DIR", "/tmp/live-stack/stack")) / "live.env"


def read_env(path: Path) -> dict[str, str]:
    """The ``KEY=value`` lines of a ``live.env`` (comments skipped, quotes stripped)."""
    values = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"')
    return values


def load_live_env() -> dict[str, str]:
    """The stack's values; `pytest.skip` when it is not running (a failure under CI)."""
    path = env_file()
    if not path.exists():
        pytest.skip(
            f"live stack not running: {path} missing (bash tests/live/stack/live-stack.sh all)"
        )
    values = read_env(path)
    for url in (values["MEDUSA_URL"] + "/health", values["PAYLOAD_URL"] + "/api/users/me"):
        try:
            httpx.get(url, timeout=5)
        except httpx.HTTPError as exc:
            pytest.skip(f"live stack not reachable at {url}: {exc}")
    return values
