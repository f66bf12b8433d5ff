"""Every shell line in docs/ (and the README) works as written.

A fenced ``bash``/``sh``/``shell``/``console`` block is **run** (bash, ``set -e``, in a temporary
directory, the venv's commands first on ``PATH``, no ``MEDUSA_*``/``PAYLOAD_*``/``REDIS_URL``
from the caller) unless an HTML comment right above it says otherwise:

- ``<!-- shell: with fakes -->``: run with seeded in-memory Medusa and Payload served over HTTP,
  named by ``MEDUSA_BACKEND_URL``, ``MEDUSA_API_KEY``, ``PAYLOAD_CMS_URL``, ``PAYLOAD_API_KEY``;
- ``<!-- shell: not run: <why> -->``: a server that runs until stopped, a real Medusa project...

Every line, run or not, and every inline command (`` `python -m ...` ``, `` `medusa-payload ...` ``)
is also **resolved**: the file, module, ``medusa-payload`` command and options it names exist.
``pip install`` lines are checked by ``tests/test_docs_install.py``.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medusa_payload.cli import app
from medusa_payload.testing import FakeMedusa, FakePayload, seed_demo, serve_http

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
FENCE = re.compile(
    r"(?:<!--\s*shell:\s*(?P<mark>[^>]*?)\s*-->\s*\n)?"
    r"^```(?:bash|sh|shell|console)\n(?P<body>.*?)^```",
    re.DOTALL | re.MULTILINE,
)
INLINE = re.compile(r"(?<!`)`((?:python3?|medusa-payload|bash) [^`\n]+)`(?!`)")
NO_CHECK = {".", "source", "cd", "curl", "export", "mkdocs", "pip"}  # pip: test_docs_install
SEPARATORS = {"&&", "||", "|", ";"}


@dataclass(frozen=True)
class Block:
    """One fenced shell block of a page."""

    where: str
    mark: str
    lines: tuple[str, ...]


def logical_lines(body: str) -> tuple[str, ...]:
    """The block's command lines: continuations joined, blank and comment-only lines dropped."""
    joined = re.sub(r"\\\n\s*", " ", body)
    return tuple(
        line.strip()
        for line in joined.splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


def blocks() -> list[Block]:
    """Every fenced shell block of the docs and the README."""
    found = []
    for page in PAGES:
        for i, match in enumerate(FENCE.finditer(page.read_text())):
            where = f"{page.relative_to(ROOT)}#{i + 1}"
            found.append(Block(where, match.group("mark") or "", logical_lines(match["body"])))
    return found


def inline_commands() -> list[tuple[str, str]]:
    """Every inline `python ...` / `medusa-payload ...` / `bash ...` of the docs and README."""
    return [
        (str(page.relative_to(ROOT)), match.group(1))
        for page in PAGES
        for match in INLINE.finditer(page.read_text())
    ]


def commands(line: str) -> Iterator[list[str]]:
    """The simple commands of a line, without leading ``VAR=value`` words and redirections."""
    words = shlex.split(line, comments=True)
    current: list[str] = []
    skip_next = False
    for word in [*words, ";"]:
        if skip_next:
            skip_next = False
        elif word in SEPARATORS:
            while current and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", current[0]):
                current.pop(0)
            if current:
                yield current
            current = []
        elif word in {">", ">>", "2>", "<"}:
            skip_next = True
        else:
            current.append(word)


def _script_problem(path: str) -> str | None:
    script = ROOT / path
    if not script.is_file():
        return f"no file {path!r} in the checkout"
    package = script.parent.name
    # run as a file, a module cannot import its own package (sys.path[0] is its folder)
    own = rf"^\s*(from \.|from {package}[. ]|import {package}\b)"
    if (script.parent / "__init__.py").is_file() and re.search(own, script.read_text(), re.M):
        module = ".".join(script.relative_to(ROOT).with_suffix("").parts)
        return f"{path} imports its own package: run python -m {module}"
    return None


def problem(command: list[str]) -> str | None:
    """Why ``command`` cannot work as written, or ``None``."""
    name, args = command[0], command[1:]
    if name in NO_CHECK:
        return None
    if name in {"python", "python3"}:
        if args[:1] == ["-m"]:
            module = args[1].split(".<")[0]  # `python -m benchmarks.<name>`: a template
            if module not in {"venv", "pip"} and importlib.util.find_spec(module) is None:
                return f"no module {module!r}"
        elif args[:1] == ["-c"]:
            compile(args[1], "<docs>", "exec")
        elif args:
            return _script_problem(args[0])
        return None
    if name == "medusa-payload":
        result = CliRunner().invoke(app, [*args, "--help"])
        return None if result.exit_code == 0 else f"medusa-payload rejects it: {result.output}"
    if name == "bash":
        return None if (ROOT / args[0]).is_file() else f"no script {args[0]!r}"
    if name == "cp":
        missing = [src for src in args[:-1] if not glob.glob(str(ROOT / src))]
        return f"nothing to copy at {missing}" if missing else None
    return f"{name!r}: unknown to this test (teach problem() what to check)"


BLOCKS = blocks()
LINES = [(b.where, line) for b in BLOCKS for line in b.lines] + inline_commands()


def test_the_docs_have_shell_blocks_to_run() -> None:
    assert sum(1 for b in BLOCKS if not b.mark.startswith("not run")) >= 3
    assert all(b.mark in {"", "with fakes"} or b.mark.startswith("not run: ") for b in BLOCKS)


@pytest.mark.parametrize(("where", "line"), LINES, ids=[f"{w}: {line}" for w, line in LINES])
def test_each_shell_line_names_what_exists(where: str, line: str) -> None:
    problems = [p for c in commands(line) if (p := problem(c))]
    assert problems == [], f"{where}: {line}"


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MEDUSA_", "PAYLOAD_", "REDIS_URL"))
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return {**env, **extra}


@contextmanager
def _fakes() -> Iterator[dict[str, str]]:
    """Seeded fakes served over HTTP, as the environment that names them."""
    medusa, payload = FakeMedusa(), FakePayload()
    seed_demo(medusa, payload)
    with serve_http(medusa) as medusa_url, serve_http(payload) as payload_url:
        yield {
            "MEDUSA_BACKEND_URL": medusa_url,
            "MEDUSA_API_KEY": medusa.secret_key,
            "PAYLOAD_CMS_URL": payload_url,
            "PAYLOAD_API_KEY": payload.api_key,
        }


RUN = [b for b in BLOCKS if not b.mark.startswith("not run")]


@pytest.mark.parametrize("block", RUN, ids=[b.where for b in RUN])
def test_shell_block_runs(block: Block, tmp_path: Path) -> None:
    script = "set -euo pipefail\n" + "\n".join(block.lines) + "\n"
    with ExitStack() as stack:
        extra = stack.enter_context(_fakes()) if block.mark == "with fakes" else {}
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=tmp_path,
            env=_env(extra),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, f"{block.where}\n{script}\n{result.stdout}\n{result.stderr}"
