"""Screenshots of the docs site as a person sees it, by headless Chromium (kept out of git).

    python scripts/screenshots.py                      # build the site, shoot, write PNGs
    python scripts/screenshots.py --out /tmp/shots --width 1280
    MERMAID_JS=/path/to/mermaid.min.js python scripts/screenshots.py   # diagrams offline

Pages: the home page, Getting started and one reference page (Medusa client), each at
``--width`` px (default 1280, where code blocks must not be cut). Material loads mermaid from a
CDN; without network, pass a local ``mermaid.min.js`` (``npm pack mermaid``) to see diagrams.
Needs ``chromium`` (Debian: ``apt-get install chromium``). Output goes to ``site-screenshots/``
(git-ignored); CI can keep it as a build artefact. The site build and each screenshot are bounded
by ``TIMEOUT`` (120 s); Chromium gets a 5 s virtual-time budget to run the page's scripts.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {"home": "", "getting-started": "getting-started/", "reference-medusa": "reference/medusa/"}
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 120  # seconds per build or screenshot


def _browser() -> str:
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    sys.exit("no chromium found: apt-get install chromium")


def _build(site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(site)]
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=TIMEOUT)


def _use_local_mermaid(site: Path, mermaid_js: Path) -> None:
    shutil.copy(mermaid_js, site / "assets" / "mermaid.min.js")
    tag = '<script src="/assets/mermaid.min.js"></script>'
    for page in site.rglob("*.html"):
        text = page.read_text()
        if 'class="mermaid"' in text:
            page.write_text(text.replace("</head>", f"{tag}</head>", 1))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No access log on stderr."""


def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def shoot(out: Path, width: int, height: int) -> list[Path]:
    """Build the site, serve it and write one PNG per page; returns their paths."""
    browser = _browser()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        _build(site)
        if mermaid := os.environ.get("MERMAID_JS"):
            _use_local_mermaid(site, Path(mermaid))
        server, base = _serve(site)
        written = []
        try:
            for name, path in PAGES.items():
                target = out / f"{name}-{width}.png"
                subprocess.run(
                    [
                        browser,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--hide-scrollbars",
                        "--virtual-time-budget=5000",
                        f"--window-size={width},{height}",
                        f"--screenshot={target}",
                        base + path,
                    ],
                    check=True,
                    timeout=TIMEOUT,
                    capture_output=True,
                )
                written.append(target)
        finally:
            server.shutdown()
            server.server_close()
    return written


def main() -> None:
    """Command line: ``--out``, ``--width``, ``--height``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site-screenshots")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2400)
    args = parser.parse_args()
    for path in shoot(args.out, args.width, args.height):
        print(path)


if __name__ == "__main__":
    main()
