"""The rule "in CI a skip is a failure" has no holes: collection skips, REDIS_URL, SKIP_LIVE."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import redis_url

ROOT = Path(__file__).parents[1]
SKIPPED_MODULE = """
import pytest

pytest.importorskip("no_such_module_for_this_test")


def test_never_runs():
    pass
"""


def _pytest(module: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run pytest on ``module`` with this suite's conftest as a plugin, in a clean environment."""
    cleared = ("CI", "MEDUSA_PAYLOAD_REQUIRE_SERVICES")
    base = {k: v for k, v in os.environ.items() if k not in cleared}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-q", str(module)],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_collection_skip_fails_under_ci(tmp_path: Path) -> None:
    module = tmp_path / "test_skipped_module.py"
    module.write_text(SKIPPED_MODULE)
    local = _pytest(module)
    assert local.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, local.stdout
    assert "1 skipped" in local.stdout
    ci = _pytest(module, CI="true")
    assert ci.returncode == pytest.ExitCode.INTERRUPTED, ci.stdout
    assert "skipped at collection in CI, which counts as a failure" in ci.stdout


def test_redis_url_survives_fixtures_that_change_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = redis_url()
    monkeypatch.setenv("REDIS_URL", "redis://elsewhere.invalid:1/0")
    assert redis_url() == before
    monkeypatch.delenv("REDIS_URL")
    assert redis_url() == before


@pytest.mark.parametrize("ci", ["true", "1"])
def test_ci_run_refuses_skip_live_under_ci(ci: str) -> None:
    result = subprocess.run(
        ["bash", ".ci/run"],
        cwd=ROOT,
        env={**os.environ, "CI": ci, "SKIP_LIVE": "1"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "SKIP_LIVE=1 is refused" in result.stderr
    assert "== environment" not in result.stdout  # refused before doing anything
