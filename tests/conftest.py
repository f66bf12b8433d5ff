"""Shared pytest configuration.

Tests that need a real Redis or the real servers skip on a machine that lacks them, but in CI
(``CI=true``) or with ``MEDUSA_PAYLOAD_REQUIRE_SERVICES=1`` a skip is turned into a failure: CI must
prove them, not step over them. That holds for a skip while a test runs and for a skip while a
module is collected (a module-level ``pytest.importorskip`` or ``pytest.skip``).

Every ``@given`` test runs under one Hypothesis profile, :data:`HYPOTHESIS_PROFILE`, loaded here
before any test module is imported: no deadline and no timing health check (a loaded 2-core CI box
or a user's laptop must not turn "slow to generate" into a failure), 100 examples unless a test
asks for more, and the failing example printed so it can be replayed.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest
from hypothesis import HealthCheck, settings

HYPOTHESIS_PROFILE = "medusa-payload"
settings.register_profile(
    HYPOTHESIS_PROFILE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    max_examples=100,
    print_blob=True,
)
settings.load_profile(HYPOTHESIS_PROFILE)

# Our own pytest fixtures, as users enable them (dogfooding medusa_payload.testing).
pytest_plugins = ["medusa_payload.testing.pytest_plugin"]

REQUIRE_SERVICES = os.environ.get("CI", "").lower() in {"1", "true", "yes"} or os.environ.get(
    "MEDUSA_PAYLOAD_REQUIRE_SERVICES", ""
) in {"1", "true", "yes"}


def _reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    """Why a report was skipped."""
    longrepr = report.longrepr
    return str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, None]:
    outcome = yield
    report: pytest.CollectReport = outcome.get_result()  # type: ignore[attr-defined]
    if REQUIRE_SERVICES and report.skipped:
        reason = _reason(report)
        report.outcome = "failed"
        report.longrepr = f"skipped at collection in CI, which counts as a failure: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if REQUIRE_SERVICES and report.skipped and not hasattr(report, "wasxfail"):
        reason = _reason(report)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {reason}"


# Read once, before any fixture clears the variable for a test of its own.
_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_url() -> str:
    """The Redis the tests use: ``REDIS_URL`` as the session started (default the local one).

    Fixtures that delete or change ``REDIS_URL`` for the code under test do not change it.
    """
    return _REDIS_URL
