"""Run every benchmark, then print one summary table.

    python -m benchmarks.run_all            # all
    python -m benchmarks.run_all queue_ unified_   # only modules starting with these prefixes

Each benchmark runs in its own process (``python -m benchmarks.<name>``) and prints a line
``json {...}`` with its figures; this collects them. Benchmarks that need Redis read
``REDIS_URL``. Exit status 1 when a benchmark fails to run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _modules(prefixes: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    names = [n for n in names if n != "run_all"]
    return [n for n in names if not prefixes or n.startswith(tuple(prefixes))]


def main() -> int:
    """Run the benchmarks named by the command-line prefixes (all by default)."""
    failed = []
    results: list[dict[str, object]] = []
    for name in _modules(sys.argv[1:]):
        print(f"\n### {name}", flush=True)
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", f"benchmarks.{name}"],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        print(proc.stdout, end="")
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            failed.append(name)
            continue
        for line in proc.stdout.splitlines():
            if line.strip().startswith("json "):
                results.append(json.loads(line.strip()[5:]))
        print(f"   ({time.perf_counter() - started:.1f} s)")
    print("\n## Summary")
    for result in results:
        name = result.pop("benchmark")
        figures = ", ".join(
            f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()
        )
        print(f"- {name}: {figures}")
    if failed:
        print(f"\nFAILED to run: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
