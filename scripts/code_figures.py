"""Size figures of the library code, for structure issues: lines, `Any`, longest function.

    python scripts/code_figures.py                       # figures of src/medusa_payload
    python scripts/code_figures.py --file sync/_api.py   # one module in detail

Prints the lines and the count of the word ``Any`` of ``--file``, the longest function of the
package (lines, ``module:name``), and every module over 500 lines (generated ``_sync`` twins
excluded, since they are not written by hand).
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "medusa_payload"


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "_sync" not in p.relative_to(SRC).parts[:-1])


def _functions(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            end = node.end_lineno or node.lineno
            found.append((end - node.lineno + 1, f"{path.relative_to(SRC)}:{node.name}"))
    return found


def _public_defs(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Module-level functions and methods of module-level classes (nested ones are private)."""
    defs = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            defs.append(node)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            body = node.body
            defs += [n for n in body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return [d for d in defs if not d.name.startswith("_") or d.name == "__init__"]


def _public_any(path: Path) -> list[str]:
    """Public functions and methods of ``path`` whose signature mentions ``Any``."""
    found = []
    for node in _public_defs(ast.parse(path.read_text())):
        parts = [*node.args.args, *node.args.kwonlyargs, node.args.vararg, node.args.kwarg]
        notes = [a.annotation for a in parts if a is not None and a.annotation is not None]
        if node.returns is not None:
            notes.append(node.returns)
        if any(re.search(r"\bAny\b", ast.unparse(n)) for n in notes):
            found.append(f"{path.relative_to(SRC)}:{node.name}")
    return found


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", default="sync/_api.py", help="a module under the package")
    args = parser.parse_args()
    target = SRC / args.file
    text = target.read_text()
    anys = len(re.findall(r"\bAny\b", text))
    print(f"{args.file}: {len(text.splitlines())} lines, {anys} Any")
    print(f"{args.file} longest function: {max(_functions(target))}")
    modules = _modules()
    hits = [h for m in modules if m.relative_to(SRC).parts[0] == "sync" for h in _public_any(m)]
    print(f"public sync/ signatures with Any: {len(hits)} {hits}")
    print(f"package longest function: {max(f for m in modules for f in _functions(m))}")
    big = [(len(m.read_text().splitlines()), str(m.relative_to(SRC))) for m in modules]
    print(f"modules over 500 lines: {sorted(b for b in big if b[0] > 500) or 'none'}")


if __name__ == "__main__":
    main()
