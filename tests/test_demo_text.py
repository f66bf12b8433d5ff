"""The demo explains itself: every reconcile count in plain words, what happened, what next."""

from __future__ import annotations

import asyncio

import pytest

from medusa_payload._demo import run_demo
from medusa_payload._demo_text import _MEANINGS, NEXT_STEPS, explain_report
from medusa_payload.sync import ReconcileReport
from tests.test_docs_shell import commands, problem


@pytest.fixture(scope="module")
def demo_output() -> list[str]:
    lines: list[str] = []
    result = asyncio.run(run_demo(lambda text: lines.extend(str(text).splitlines())))
    assert result.all_in_sync
    return lines


def test_each_count_of_a_report_is_explained() -> None:
    counts = {name: i + 1 for i, name in enumerate(_MEANINGS)}
    applied = explain_report(ReconcileReport(dry_run=False, **counts))
    dry = explain_report(ReconcileReport(dry_run=True, **counts))
    assert len(applied) == len(dry) == len(counts)  # one sentence per kind
    assert "2 missing: a Medusa product with no content doc in Payload; " in applied[1]
    assert applied[1].endswith("a draft content doc was created")
    assert dry[1].endswith("a draft content doc would be created")
    assert explain_report(ReconcileReport(dry_run=False)) == []  # zeros say nothing


def test_the_demo_explains_its_reconcile_summaries(demo_output: list[str]) -> None:
    summaries = [i for i, line in enumerate(demo_output) if "reconcile (" in line]
    assert len(summaries) == 2
    for index in summaries:
        summary = demo_output[index]
        explained = demo_output[index + 1]
        assert explained.strip().startswith("= ")
        for word in ("missing", "drifted", "unpaired"):
            count = summary.split(f" {word}")[0].rsplit(" ", 1)[-1]
            if count != "0":
                assert any(f"= {count} {word}: " in line for line in demo_output[index:])


def test_the_demo_ends_with_what_happened_and_what_to_try(demo_output: list[str]) -> None:
    text = "\n".join(demo_output)
    assert "What happened:" in text and "Try next:" in text
    assert text.index("What happened:") < text.index("Try next:")
    assert "1 missing, 5 drifted, 1 unpaired" not in demo_output[-1]
    for command, _ in NEXT_STEPS:
        assert any(line.strip().startswith(command) for line in demo_output)


@pytest.mark.parametrize("command", [c for c, _ in NEXT_STEPS])
def test_each_next_step_command_exists(command: str) -> None:
    assert [p for c in commands(command) if (p := problem(c))] == []
