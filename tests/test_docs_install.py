"""Every install line in the docs works from what a user has: a checkout or a git URL.

The package is not on a package index yet, so a ``pip install`` that names ``medusa-payload``
must install the checkout (``pip install -e '.[cli]'``) or the repository's git URL
(``pip install 'medusa-payload[cli] @ git+https://...'``); the extras named must exist. Other
packages (``fastapi``) come from the index as usual.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
INSTALL = re.compile(r"pip install ((?:[^`\n#&|;]|&(?!&))+)")
_OPTIONAL = (ROOT / "pyproject.toml").read_text().split("[project.optional-dependencies]")[1]
EXTRAS = set(re.findall(r"^([a-z][a-z0-9-]*)\s*=\s*\[", _OPTIONAL.split("\n[")[0], re.M))
REPO = re.search(r"^repo_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)


def install_lines() -> list[tuple[str, str]]:
    """``(page, requirements)`` of every ``pip install`` in the docs, README and CONTRIBUTING."""
    return [
        (str(page.relative_to(ROOT)), match.group(1).strip())
        for page in PAGES
        for match in INSTALL.finditer(page.read_text())
    ]


def _extras(requirement: str) -> set[str]:
    found = re.search(r"\[([^\]]*)\]", requirement.split("@")[0])
    return {e.strip() for e in found.group(1).split(",")} if found else set()


def problems(requirements: str) -> list[str]:
    """What in one ``pip install`` line cannot work before the package is published."""
    found = []
    for word in shlex.split(requirements):
        if word.startswith("-") and word not in {"-e"}:
            continue
        ours = re.match(r"medusa[-_]payload\b", word, re.I) is not None
        local = word == "." or word.startswith(".[")
        if ours and "@ git+" not in word:
            found.append(f"{word!r} names the package on an index, where it is not published")
        if ours and REPO and f"git+{REPO.group(1)}" not in word:
            found.append(f"{word!r}: the git URL is not the repository's ({REPO.group(1)})")
        if ours or local:
            found.extend(f"no extra [{e}] in pyproject.toml" for e in _extras(word) - EXTRAS)
    return found


LINES = install_lines()


def test_the_docs_have_install_lines() -> None:
    pages = {page for page, _ in LINES}
    assert {"docs/getting-started.md", "README.md", "docs/cli.md"} <= pages


@pytest.mark.parametrize(("page", "line"), LINES, ids=[f"{p}: {line}" for p, line in LINES])
def test_install_line_works_before_the_package_is_published(page: str, line: str) -> None:
    assert problems(line) == [], f"{page}: pip install {line}"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("'medusa-payload[cli]'", "names the package on an index"),
        ("medusa-payload", "names the package on an index"),
        ("-e '.[nope]'", "no extra [nope]"),
        ("'medusa-payload[cli] @ git+https://example.com/fork'", "not the repository's"),
    ],
)
def test_the_check_catches_what_would_fail(line: str, expected: str) -> None:
    assert any(expected in problem for problem in problems(line))
