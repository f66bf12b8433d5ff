"""The docs site as a person sees it: diagrams, public names in the reference, values for
defaults, one table-of-contents entry per section, code that wraps, screenshots by Chromium."""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

import griffe
import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MKDOCS = (ROOT / "mkdocs.yml").read_text()
DIRECTIVE = re.compile(r"^::: (\S+)\n((?:    .*\n)*)", re.MULTILINE)


def _directives() -> list[tuple[str, str, str]]:
    return [
        (str(page.relative_to(DOCS)), match.group(1), match.group(2))
        for page in sorted((DOCS / "reference").glob("*.md"))
        for match in DIRECTIVE.finditer(page.read_text())
    ]


def test_mermaid_diagrams_on_the_home_page_and_in_concepts() -> None:
    assert "name: mermaid" in MKDOCS and "fence_code_format" in MKDOCS
    home = (DOCS / "index.md").read_text()
    concepts = (DOCS / "concepts.md").read_text()
    assert home.count("```mermaid\nflowchart") == 1
    assert concepts.count("```mermaid\nflowchart") == 1
    assert concepts.count("```mermaid\nsequenceDiagram") == 2  # Medusa -> Payload and back
    assert "participant M as Medusa" in concepts and "participant P as Payload" in concepts


@pytest.mark.parametrize(("page", "path", "options"), _directives())
def test_reference_headings_show_public_paths(page: str, path: str, options: str) -> None:
    if "._" not in path:
        return
    heading = re.search(r'heading: "([^"]+)"', options)
    assert heading, f"{page}: ::: {path} needs a heading with its public path"
    assert heading.group(1).startswith("medusa_payload.") and "._" not in heading.group(1)


@pytest.mark.parametrize(("page", "path", "options"), _directives())
def test_a_section_heading_is_not_repeated_by_its_module_toc_entry(
    page: str, path: str, options: str
) -> None:
    if "show_root_heading: false" in options:
        assert "show_root_toc_entry: false" in options, f"{page}: ::: {path}"


def test_defaults_show_values_not_constant_names() -> None:
    extensions = griffe.load_extensions(str(ROOT / "scripts/griffe_defaults.py"))
    package = griffe.load("medusa_payload", search_paths=[str(ROOT / "src")], extensions=extensions)
    init = package["medusa.MedusaClient"].members["__init__"]
    timeout = init.parameters["timeout"].default
    assert str(timeout) == "Timeout(connect=5.0, read=30.0, write=30.0, pool=30.0)"
    assert str(init.parameters["max_retries"].default) == "2"
    assert "scripts/griffe_defaults.py" in MKDOCS


def test_code_blocks_wrap_instead_of_being_cut() -> None:
    css = (DOCS / "stylesheets/extra.css").read_text()
    assert re.search(r"pre > code[^{]*\{[^}]*white-space:\s*pre-wrap", css, re.S)
    assert "stylesheets/extra.css" in MKDOCS


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.slow
def test_screenshots_of_three_pages_by_headless_chromium(tmp_path: Path) -> None:
    if not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")):
        pytest.skip("no chromium (apt-get install chromium)")
    from scripts.screenshots import PAGES, shoot

    written = shoot(tmp_path, width=1280, height=1600)
    assert [p.name for p in written] == [f"{name}-1280.png" for name in PAGES]
    for path in written:
        assert _png_size(path) == (1280, 1600)
        assert path.stat().st_size > 20_000  # a rendered page, not a blank one
