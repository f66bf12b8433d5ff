"""No command-line message loses text to rich markup, and none is wrapped over several lines.

Rich reads ``[redis]`` in ``pip install 'medusa-payload[redis]'`` as a style tag and drops it, so
every message must go out through ``cli._say`` / ``cli._fail`` (markup off). The AST check below
covers every print in ``cli.py``; the other tests exercise the real message paths.
"""

from __future__ import annotations

import ast
import inspect
import sys

import pytest
from typer.testing import CliRunner

from medusa_payload import cli
from medusa_payload.cli import app

runner = CliRunner()


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def test_every_print_in_the_cli_turns_markup_off() -> None:
    tree = ast.parse(inspect.getsource(cli))
    calls = {id(node.func): node for node in ast.walk(tree) if isinstance(node, ast.Call)}
    offenders = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "print":
            call = calls.get(id(node))
            markup = _keyword(call, "markup") if call else None
            off = isinstance(markup, ast.Constant) and markup.value is False
            if not off:  # a print with markup on, or ``console.print`` handed out as a callback
                offenders.append(f"line {node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "Table":
            title = _keyword(node, "title")
            plain = isinstance(title, ast.Constant) or (
                isinstance(title, ast.Call) and ast.unparse(title.func) == "Text"
            )
            if title is not None and not plain:
                offenders.append(f"line {node.lineno}: a Table title read as markup")
    assert offenders == []


@pytest.mark.parametrize(
    "message",
    [
        "pip install 'medusa-payload[redis]'",
        "[red]not a style[/red] [bold] [/] [link=x]",
        "a message longer than any terminal line " * 6,
    ],
)
def test_say_and_fail_print_the_text_whole(
    message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cli._say(message)
    with pytest.raises(cli.typer.Exit) as exited:
        cli._fail(message, 2)
    out, err = capsys.readouterr()
    assert out == message + "\n"
    assert err == f"error: {message}\n"
    assert exited.value.exit_code == 2


def test_worker_without_the_redis_extra_names_the_extra_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "bullmq", None)  # as if only the [cli] extra were installed
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    result = runner.invoke(app, ["worker", "--until-idle"])
    assert result.exit_code == 2
    assert "pip install 'medusa-payload[redis]'" in result.output


def test_queue_stats_keeps_brackets_of_the_queue_name() -> None:
    result = runner.invoke(app, ["queue", "stats", "--queue", "[bold]q"], env={"REDIS_URL": ""})
    assert result.exit_code == 0, result.output
    assert "queue '[bold]q'" in result.output


def test_demo_lines_keep_their_brackets() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "features=['Waterproof']" in result.output
