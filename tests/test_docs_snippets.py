"""Every ``python`` block in docs/ preceded by ``<!-- run -->`` runs, against the fakes."""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"<!-- run -->\s*\n```python\n(.*?)\n```", re.DOTALL)


def _snippets() -> list[tuple[str, str]]:
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        for i, match in enumerate(BLOCK.finditer(path.read_text())):
            found.append((f"{path.relative_to(DOCS)}#{i + 1}", match.group(1)))
    return found


SNIPPETS = _snippets()


def test_the_docs_have_runnable_snippets() -> None:
    assert len(SNIPPETS) >= 3


@pytest.mark.parametrize(("where", "code"), SNIPPETS, ids=[w for w, _ in SNIPPETS])
def test_snippet_runs(where: str, code: str) -> None:
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    compiled = compile(code, where, "exec", flags=flags)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    result = eval(compiled, namespace)
    if asyncio.iscoroutine(result):
        asyncio.run(result)
