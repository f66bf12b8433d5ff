"""Shared pytest configuration.

Tests that need a real Redis or the real servers skip on a machine that lacks them, but in CI
(``CI=true``) or with ``MEDUSA_PAYLOAD_REQUIRE_SERVICES=1`` a skip is turned into a failure: CI must
prove them, not step over them.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

# Our own pytest fixtures, as users enable them (dogfooding medusa_payload.testing).
pytest_plugins = ["medusa_payload.testing.pytest_plugin"]

REQUIRE_SERVICES = os.environ.get("CI", "").lower() in {"1", "true", "yes"} or os.environ.get(
    "MEDUSA_PAYLOAD_REQUIRE_SERVICES", ""
) in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {reason}"


def redis_url() -> str:
    """The Redis the tests use (``REDIS_URL``, default the local one)."""
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
