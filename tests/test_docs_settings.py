"""The docs keep up with the code: every variable `Settings` reads is in a docs settings table,
every command-line option says its default in ``--help``, the handles the docs use exist in the
demo data, and the ``content_status`` values they name exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from medusa_payload import Settings
from medusa_payload._env_report import EnvRecorder
from medusa_payload.cli import app
from medusa_payload.testing import FakeMedusa, FakePayload, seed_checkout, seed_demo
from medusa_payload.unified import ContentStatus

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _read_by_settings() -> list[str]:
    recorder = EnvRecorder({})
    Settings.from_env(recorder)
    return list(recorder.read)


def _table_variables() -> set[str]:
    rows = (
        line
        for page in DOCS.rglob("*.md")
        for line in page.read_text().splitlines()
        if line.startswith("|")
    )
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}


def test_settings_reads_what_the_docs_table_lists() -> None:
    read = _read_by_settings()
    assert "MEDUSA_BACKEND_URL" in read and "MEDUSA_PAYLOAD_MAX_RETRIES" in read
    missing = [name for name in read if name not in _table_variables()]
    assert missing == [], "add these to the settings table in docs/getting-started.md"


def _options() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    found = []

    def walk(command: Any, path: str) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())
        found.extend((f"{path} {p.opts[0]}", p) for p in command.params if p.opts[0] != "--help")

    walk(root, "")
    return [(where, p) for where, p in found if p.param_type_name == "option"]


OPTIONS = _options()


@pytest.mark.parametrize(("where", "option"), OPTIONS, ids=[w for w, _ in OPTIONS])
def test_every_option_shows_its_default(where: str, option: Any) -> None:
    if option.is_flag or option.multiple or option.is_eager:
        return  # a flag shows its state; a repeatable option has none
    shown = option.show_default
    assert option.default is not None or isinstance(shown, str), (
        f"{where}: no default shown in --help (pass show_default='...')"
    )
    assert shown is not False


def test_worker_help_names_the_lock_duration_default() -> None:
    from typer.testing import CliRunner

    text = " ".join(CliRunner().invoke(app, ["worker", "--help"]).output.split())
    assert re.search(r"--lock-duration .*?\[default: \(?30\)?\]", text)


def _docs_text() -> str:
    return "\n".join(page.read_text() for page in DOCS.rglob("*.md"))


def test_product_handles_in_the_docs_exist_in_the_demo_data() -> None:
    medusa = FakeMedusa()
    seed_demo(medusa, FakePayload())
    seed_checkout(medusa)  # the selling pages' products (live-mug, ...)
    seeded = {product["handle"] for product in medusa.products.values()} | {"demo-jacket"}
    pattern = r'(?:retrieve_by_handle|get_product)\(\s*"([^"]+)"|handle="([^"]+)"'
    used = {a or b for a, b in re.findall(pattern, _docs_text())}
    made = {  # products a page adds itself (the fake derives the handle from the title)
        title.lower().replace(" ", "-")
        for title in re.findall(r'add_product\(\s*"([^"]+)"', _docs_text())
    }
    assert used, "the docs name no handle"
    assert used - seeded - made == set()


def test_content_status_values_in_the_docs_exist() -> None:
    named = set(re.findall(r'content_status\s*(?:=|==)\s*"([a-z_]+)"', _docs_text()))
    assert named, "the docs name no content_status"
    assert named - set(ContentStatus.__args__) == set()
