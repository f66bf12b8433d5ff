"""A short mutation round: deliberate bugs the tests must catch.

Each row of `MUTANTS` names a behaviour, a source file, an exact snippet of it, the bug that
replaces the snippet, and the tests that must fail because of it (pytest node ids), in the
default tier (``python -m pytest``) or the slow tier (``-m slow``). For every row the script
applies the bug to a temporary copy of the working tree (the tree itself is never touched),
regenerates the ``_sync`` twins when the file is an ``_async`` source, runs the named tests
against the copy, and prints a table: mutant, tier, result, the tests that killed it.

    python scripts/mutants.py                  # every mutant of the default tier
    python scripts/mutants.py --tier all       # default and slow tiers
    python scripts/mutants.py --only reaper    # one mutant (by name; repeatable)
    python scripts/mutants.py --list           # the table of mutants, nothing run

Before the mutants, the named tests run once unmutated: a mutant only counts as killed when its
tests pass without it. Results: ``killed``; ``SURVIVED`` (the tests pass with the bug);
``snippet not found`` / ``snippet ambiguous`` (the source changed: update the row);
``test missing`` (a named test does not exist; rows marked ``pending`` expect a test from
another branch and do not fail the run); ``timeout`` (``MUTANT_TIMEOUT`` seconds per mutant in
the default tier, ``SLOW_TIMEOUT`` in the slow tier); ``error`` (pytest could not run the tests).

Exit status 0 when every mutant that could run was killed, 1 otherwise, 2 when the unmutated
tests already fail. Redis tests need Redis (``REDIS_URL``); ``CI=true`` is set for the runs, so
a test that would skip fails instead and never passes for a mutant.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANT_TIMEOUT = 300
SLOW_TIMEOUT = 900


@dataclass(frozen=True)
class Mutant:
    """One deliberate bug and the tests that must catch it."""

    name: str
    behaviour: str
    path: str
    original: str
    replacement: str
    tests: tuple[str, ...]
    tier: str = "default"
    pending: str | None = None  # where the missing test is expected to come from
    moved_to: tuple[str, ...] = ()  # other files the snippet may live in after a refactor

    @property
    def paths(self) -> tuple[str, ...]:
        """Where to look for the snippet, in order."""
        return (self.path, *self.moved_to)


MUTANTS: tuple[Mutant, ...] = (
    Mutant(
        name="dry-run-writes",
        behaviour="a dry run writes metadata patches and does not count them",
        path="src/medusa_payload/sync/_async/reconcile.py",
        original="    if patch is None or report.dry_run:\n        return False\n",
        replacement=(
            "    if patch is None or report.dry_run and isinstance(patch, DocPatch):\n"
            "        return False\n"
            "    if report.dry_run:\n"
            '        await engine._apply_metadata("reconcile", item.product_id or "", patch)\n'
            "        return False\n"
        ),
        tests=(
            "tests/sync/test_reconcile.py::test_breaks_on_both_sides_are_repaired_then_all_in_sync",
            "tests/test_cli.py::test_reconcile_json_dry_run_and_apply",
        ),
    ),
    Mutant(
        name="reaper",
        behaviour="the worker never runs its own stalled-job reaper",
        path="src/medusa_payload/queue/_worker.py",
        original="asyncio.create_task(self._reap_forever()),",
        replacement="asyncio.create_task(asyncio.sleep(0)),",
        tests=(
            "tests/queue/test_worker_reaper.py"
            "::test_the_worker_reaps_a_dead_workers_job_and_runs_it",
        ),
        pending="the queue branch (tests/queue/test_worker_reaper.py)",
    ),
    Mutant(
        name="reaper-slow",
        behaviour="the worker never runs its own stalled-job reaper (slow tier)",
        path="src/medusa_payload/queue/_worker.py",
        original="asyncio.create_task(self._reap_forever()),",
        replacement="asyncio.create_task(asyncio.sleep(0)),",
        tests=(
            "tests/queue/test_reliability.py::test_sigkill_mid_job_another_worker_completes_it",
        ),
        tier="slow",
    ),
    Mutant(
        name="record-backend-failure",
        behaviour="a backend failing to record a try's end escapes the worker's _record",
        path="src/medusa_payload/queue/_worker.py",
        original=(
            "        except Exception as exc:\n"
            "            self.stats.lost += 1\n"
            "            logger.error(\n"
        ),
        replacement=(
            "        except LookupError as exc:\n"
            "            self.stats.lost += 1\n"
            "            logger.error(\n"
        ),
        tests=(
            "tests/queue/test_worker_reaper.py"
            "::test_a_backend_failing_to_record_the_end_makes_the_job_run_again",
        ),
        pending="the queue branch (tests/queue/test_worker_reaper.py)",
    ),
    Mutant(
        name="single-flight",
        behaviour="concurrent misses for one key each call upstream (threads)",
        path="src/medusa_payload/_core/_concurrency.py",
        original=(
            '        """Run ``fn`` for ``key`` unless a call for ``key`` is under way; '
            'then wait for it."""\n'
        ),
        replacement=(
            '        """Run ``fn`` for ``key`` unless a call for ``key`` is under way; '
            'then wait for it."""\n'
            "        return fn()\n"
        ),
        tests=("tests/unified/test_single_flight.py::test_32_threads_make_one_call_per_server",),
    ),
    Mutant(
        name="retries",
        behaviour="a non-idempotent write is retried after the server answered 5xx",
        path="src/medusa_payload/_core/_http.py",
        original="        return request.is_idempotent and exc.status_code in config.statuses\n",
        replacement="        return exc.status_code in config.statuses\n",
        moved_to=("src/medusa_payload/_core/_retry.py",),
        tests=("tests/medusa/test_client.py::test_create_is_not_retried_after_a_response",),
    ),
    Mutant(
        name="secret-key-placement",
        behaviour="the Medusa secret key is sent to /store routes",
        path="src/medusa_payload/medusa/_auth.py",
        original='    if path.startswith("/admin"):\n',
        replacement='    if path.startswith(("/admin", "/store")):\n',
        tests=(
            "tests/medusa/test_client.py::test_store_list_sends_publishable_key_and_never_the_secret",
        ),
    ),
    Mutant(
        name="two-requests-per-page",
        behaviour="a product list page queries Payload once per product",
        path="src/medusa_payload/unified/_async/client.py",
        original=(
            "        if not ids and not handles:\n"
            "            return []\n"
            "        page = await self.payload.find(\n"
        ),
        replacement=(
            "        if not ids and not handles:\n"
            "            return []\n"
            "        if len(ids) > 1:\n"
            "            one = [await self._content_docs([i], [], tenant_id) for i in ids]\n"
            "            return [doc for docs in one for doc in docs]\n"
            "        page = await self.payload.find(\n"
        ),
        tests=("tests/unified/test_reads.py::test_a_page_is_two_requests_whatever_its_size",),
    ),
    Mutant(
        name="webhook-dedup",
        behaviour="a replayed webhook-id is handled again",
        path="src/medusa_payload/webhooks/_receiver.py",
        original="        if not claimed:\n",
        replacement="        if False:\n",
        tests=(
            "tests/webhooks/test_receiver.py"
            "::test_replayed_delivery_is_a_2xx_duplicate_and_not_enqueued",
        ),
    ),
    Mutant(
        name="signature-tolerance",
        behaviour="timestamps ahead of the clock are accepted up to 10x the tolerance",
        path="src/medusa_payload/webhooks/_signing.py",
        original="        if -skew > self.tolerance:\n",
        replacement="        if -skew > 10 * self.tolerance:\n",
        tests=("tests/webhooks/test_signing.py::test_tolerance_both_ways_boundaries",),
    ),
    Mutant(
        name="no-ping-pong",
        behaviour="published content always plans a metadata patch (an echo would loop)",
        path="src/medusa_payload/sync/plans.py",
        original="        return MetadataPatch(owner, set=changed) if changed else None\n",
        replacement="        return MetadataPatch(owner, set=desired)\n",
        tests=("tests/sync/test_plans_properties.py::test_no_ping_pong",),
    ),
)


@dataclass
class Outcome:
    """What happened to one mutant."""

    mutant: Mutant
    result: str
    killed_by: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether this row lets the run pass."""
        if self.result == "killed":
            return True
        return self.result == "test missing" and self.mutant.pending is not None


def _copy_tree(into: Path) -> None:
    """Copy the working tree's tracked and untracked-but-not-ignored files into ``into``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if source.is_file():
            target = into / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _missing_tests(tree: Path, tests: tuple[str, ...]) -> list[str]:
    """The node ids among ``tests`` whose file or test function does not exist in ``tree``."""
    missing = []
    for node in tests:
        file, _, func = node.partition("::")
        path = tree / file
        name = func.split("[")[0]
        if not path.is_file() or (
            name and not re.search(rf"^(async )?def {re.escape(name)}\(", path.read_text(), re.M)
        ):
            missing.append(node)
    return missing


def _pytest(tree: Path, tests: list[str], tier: str, timeout: float) -> tuple[int | None, str]:
    """Run ``tests`` in ``tree`` (its own ``src`` first on the path); exit code and output."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests]
    if tier == "slow":
        command += ["-m", "slow"]
    env = {
        **os.environ,
        "PYTHONPATH": str(tree / "src"),
        "CI": "true",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    try:
        done = subprocess.run(
            command, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return None, ""
    return done.returncode, done.stdout + done.stderr


def _failed(output: str) -> str:
    """The tests pytest reported as failed (``name (n)`` for n failed parametrizations)."""
    names = [
        n.rpartition("::")[2].split("[")[0] for n in re.findall(r"^FAILED (\S+)", output, re.M)
    ]
    return ", ".join(
        f"{n} ({names.count(n)})" if names.count(n) > 1 else n for n in dict.fromkeys(names)
    )


def _gen_sync(tree: Path) -> None:
    subprocess.run(
        [sys.executable, "scripts/gen_sync.py"], cwd=tree, check=True, capture_output=True
    )


def run_mutant(tree: Path, mutant: Mutant) -> Outcome:
    """Apply ``mutant`` to ``tree``, run its tests, restore the file; what happened."""
    started = time.monotonic()
    if _missing_tests(tree, mutant.tests):
        return Outcome(mutant, "test missing")
    counts = {
        rel: (tree / rel).read_text().count(mutant.original)
        for rel in mutant.paths
        if (tree / rel).is_file()
    }
    where = [rel for rel, found in counts.items() if found == 1]
    if not where:
        many = {rel: n for rel, n in counts.items() if n > 1}
        if many:
            return Outcome(
                mutant, "snippet ambiguous", ", ".join(f"{r}: {n}" for r, n in many.items())
            )
        return Outcome(mutant, "snippet not found", " or ".join(mutant.paths))
    source = tree / where[0]
    text = source.read_text()
    twin = "/_async/" in where[0]
    try:
        source.write_text(text.replace(mutant.original, mutant.replacement))
        if twin:
            _gen_sync(tree)
        timeout = SLOW_TIMEOUT if mutant.tier == "slow" else MUTANT_TIMEOUT
        code, output = _pytest(tree, list(mutant.tests), mutant.tier, timeout)
    finally:
        source.write_text(text)
        if twin:
            _gen_sync(tree)
    seconds = time.monotonic() - started
    if code is None:
        return Outcome(mutant, "timeout", f"> {timeout} s", seconds)
    if code == 1:
        return Outcome(mutant, "killed", _failed(output), seconds)
    if code == 0:
        return Outcome(mutant, "SURVIVED", "", seconds)
    tail = output.strip().splitlines()[-1:] or [""]
    return Outcome(mutant, "error", f"pytest exit {code}: {tail[0][:80]}", seconds)


def baseline(tree: Path, mutants: list[Mutant]) -> list[str]:
    """Run every named test unmutated, per tier; the failures (a mutant proves nothing then)."""
    problems = []
    for tier in ("default", "slow"):
        tests = sorted(
            {
                node
                for m in mutants
                if m.tier == tier
                for node in m.tests
                if not _missing_tests(tree, (node,))
            }
        )
        if not tests:
            continue
        timeout = SLOW_TIMEOUT if tier == "slow" else MUTANT_TIMEOUT
        code, output = _pytest(tree, tests, tier, timeout * 2)
        if code != 0:
            problems.append(
                f"{tier} tier unmutated: exit {code}: {_failed(output) or output[-500:]}"
            )
    return problems


def table(outcomes: list[Outcome]) -> str:
    """The results as a Markdown table."""
    rows = ["| mutant | behaviour | tier | result | killed by | s |", "|---|---|---|---|---|---|"]
    for o in outcomes:
        note = o.killed_by
        if o.result == "test missing":
            missing = ", ".join(o.mutant.tests)
            note = f"{missing} (pending: {o.mutant.pending})" if o.mutant.pending else missing
        rows.append(
            f"| {o.mutant.name} | {o.mutant.behaviour} | {o.mutant.tier} | {o.result} "
            f"| {note} | {o.seconds:.0f} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tier", choices=["default", "slow", "all"], default="default")
    parser.add_argument("--only", action="append", default=[], help="a mutant name")
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    args = parser.parse_args(argv)
    unknown = set(args.only) - {m.name for m in MUTANTS}
    if unknown:
        parser.error(f"no such mutant: {', '.join(sorted(unknown))}")
    chosen = [
        m for m in MUTANTS if (m.name in args.only if args.only else args.tier in ("all", m.tier))
    ]
    if args.list:
        for m in chosen:
            print(f"{m.name:24} {m.tier:8} {m.path}\n{'':24} {m.behaviour}")
        return 0
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        tree = Path(tmp)
        _copy_tree(tree)
        problems = baseline(tree, chosen)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            return 2
        outcomes = []
        for mutant in chosen:
            outcome = run_mutant(tree, mutant)
            print(f"{mutant.name}: {outcome.result} {outcome.killed_by}", file=sys.stderr)
            outcomes.append(outcome)
    print(table(outcomes))
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
