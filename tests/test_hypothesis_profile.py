"""Every ``@given`` test runs under the suite's one Hypothesis profile (``tests/conftest.py``)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, settings

from tests.conftest import HYPOTHESIS_PROFILE

TESTS = Path(__file__).parent
# What would take a test out of the profile: its own deadline, health checks, database or profile.
OVERRIDES = re.compile(r"\b(deadline|suppress_health_check|database|load_profile)\b\s*[=(]")


def test_the_suite_profile_is_loaded() -> None:
    assert settings.get_current_profile_name() == HYPOTHESIS_PROFILE
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check
    assert settings.default.max_examples == 100


def test_no_test_module_overrides_the_profile() -> None:
    sources = {
        path: path.read_text()
        for path in sorted(TESTS.rglob("*.py"))
        if path not in (TESTS / "conftest.py", Path(__file__))
    }
    offenders = [
        f"{path.relative_to(TESTS)}:{number}"
        for path, text in sources.items()
        if "hypothesis" in text
        for number, line in enumerate(text.splitlines(), 1)
        if OVERRIDES.search(line)
    ]
    assert offenders == []
