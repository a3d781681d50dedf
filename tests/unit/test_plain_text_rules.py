"""The code keeps text plain: read the source of the app and the command line and fail on any
place where a person's text could reach a markup parser or a terminal unfiltered.

Markup is only ever parsed from string literals written in the code. Every Static and Label is
built with `markup=False` (their `update(str)` is then plain too); option prompts and table cells
are Content/Text objects; no `escape()` (it is not exact: `\\` before `[` is lost). The command
line prints through `cli.common.echo` (which strips control characters), never `click.echo`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bridge_tui

PACKAGE = Path(bridge_tui.__file__).resolve().parent


def sources(sub: str) -> list[Path]:
    return sorted((PACKAGE / sub).rglob("*.py"))


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def markup_risks(path: Path) -> list[str]:
    """Places in one presentation module where text could be read as markup."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("rich.markup", "textual.markup"):
            found.append(f"{node.lineno}: imports {node.module} (escape is not exact)")
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        # a toast too: the app's notify reads no markup, but each call says so where it is
        if name in ("Static", "Label", "notify"):
            markup = [k for k in node.keywords if k.arg == "markup"]
            if not markup or not (
                isinstance(markup[0].value, ast.Constant) and markup[0].value.value is False
            ):
                found.append(f"{node.lineno}: {name}(...) without markup=False")
        elif name == "from_markup":
            if not node.args or not isinstance(node.args[0], ast.Constant):
                found.append(f"{node.lineno}: from_markup of a value that is not a literal")
        elif (
            name == "Option"
            and node.args
            and isinstance(node.args[0], ast.JoinedStr | ast.BinOp | ast.Constant)
        ):
            found.append(f"{node.lineno}: Option with a markup string prompt")
        elif name in ("add_row", "add_column") and any(
            isinstance(a, ast.JoinedStr | ast.BinOp) for a in node.args
        ):
            found.append(f"{node.lineno}: {name} with a markup string cell")
    return found


@pytest.mark.parametrize("path", sources("tui"), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_the_app_never_reads_a_persons_text_as_markup(path: Path) -> None:
    assert markup_risks(path) == []


def echo_calls(path: Path) -> list[int]:
    """Lines that print without going through `cli.common.echo`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in ("echo", "secho")
                and getattr(node.func.value, "id", "") == "click"
            )
            or getattr(node.func, "id", "") == "print"
        )
    )


@pytest.mark.parametrize(
    "path",
    [p for p in sources("cli") if p.name != "common.py"],
    ids=lambda p: p.relative_to(PACKAGE).as_posix(),
)
def test_every_command_prints_through_the_plain_echo(path: Path) -> None:
    assert echo_calls(path) == []


def test_the_checkers_catch_violations(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from textual.markup import escape\n"
        "Static(f'{name}')\n"
        "Label(name, markup=True)\n"
        "Content.from_markup(text)\n"
        "Option(f'[b]{name}[/b]')\n"
        "table.add_row(f'{name}')\n"
        "click.echo(name)\n"
        "print(name)\n"
        "Static(name, markup=False)\n"
        "Content.from_markup('[b]literal[/b]')\n"
        "self.notify(f'{name} saved.')\n"
        "self.notify(f'{name} saved.', markup=False)\n"
    )
    assert [r.split(":")[0] for r in markup_risks(bad)] == ["1", "2", "3", "4", "5", "6", "11"]
    assert echo_calls(bad) == [7, 8]
