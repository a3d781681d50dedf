"""The layers hold: the pure modules import no UI or database, presentation never opens SQL.

Imports are checked two ways: in a fresh interpreter (what a pure import really pulls in) and
by reading the source of every presentation module (what it imports directly).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import bridge_tui

PACKAGE = Path(bridge_tui.__file__).resolve().parent
FORBIDDEN_PURE = ("textual", "sqlite_utils", "sqlite3", "bridge_tui.store", "bridge_tui.tui")
DATABASE = ("sqlite3", "sqlite_utils", "bridge_tui.store")


def loaded_after_import(module: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(out.stdout))


@pytest.mark.parametrize(
    "module",
    [
        "bridge_tui.scoring",
        "bridge_tui.method",
        "bridge_tui.models",
        "bridge_tui.hlc",
        "bridge_tui.clock",
        "bridge_tui.text",
        "bridge_tui.ownership",
        "bridge_tui.stage_history",
        "bridge_tui.sustain",
        "bridge_tui.sheets",
        "bridge_tui.sheet_words",
        "bridge_tui.sheet_values",
        "bridge_tui.sheet_map",
        "bridge_tui.sustain_rules",
        "bridge_tui.flow",
    ],
)
def test_pure_modules_import_no_ui_and_no_database(module: str) -> None:
    loaded = loaded_after_import(module)
    bad = sorted(m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_PURE))
    assert bad == [], f"{module} pulls in {bad}"


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Call):
            # importlib.import_module("sqlite3") and __import__("sqlite3") count too.
            func = node.func
            called = getattr(func, "attr", None) or getattr(func, "id", None)
            if called in ("import_module", "__import__") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    names.add(arg.value)
    return names


def presentation_modules() -> list[Path]:
    return sorted(
        p for sub in ("cli", "tui", "web") for p in (PACKAGE / sub).rglob("*.py") if p.is_file()
    )


def test_there_are_presentation_modules_to_check() -> None:
    rel = {p.relative_to(PACKAGE).as_posix() for p in presentation_modules()}
    assert {"cli/__init__.py", "cli/core.py", "cli/common.py", "tui/app.py"} <= rel


@pytest.mark.parametrize(
    "path", presentation_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix()
)
def test_presentation_never_touches_the_database(path: Path) -> None:
    rel = path.relative_to(PACKAGE).as_posix()
    names = imported_names(path)
    touches = sorted(n for n in names if any(n == d or n.startswith(d + ".") for d in DATABASE))
    # opening or creating a file too: `Service.open`, `Service.create_file`
    assert touches == [], f"{rel} imports {touches}; go through the service layer"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in PACKAGE.rglob("*.py") if "store" not in p.relative_to(PACKAGE).parts),
    ids=lambda p: p.relative_to(PACKAGE).as_posix(),
)
def test_only_the_store_imports_sqlite(path: Path) -> None:
    names = imported_names(path)
    sql = sorted(n for n in names if any(n == d or n.startswith(d + ".") for d in DATABASE[:2]))
    assert sql == [], f"{path.relative_to(PACKAGE)} imports {sql}; only bridge_tui/store may"


def test_the_checker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os\n"
        "def f():\n"
        "    import sqlite3\n"
        "    from bridge_tui.store.repo import Store\n"
        "    importlib.import_module('sqlite_utils')\n"
    )
    names = imported_names(bad)
    assert {"sqlite3", "bridge_tui.store.repo", "sqlite_utils"} <= names


def reaches_through_the_service(path: Path) -> list[int]:
    """Lines where presentation code reaches past the service into its store (`x.store`)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "store"
        and isinstance(node.value, ast.Attribute | ast.Name)
        and "service" in ast.unparse(node.value)
    )


@pytest.mark.parametrize(
    "path", presentation_modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix()
)
def test_presentation_never_reaches_through_the_service(path: Path) -> None:
    assert reaches_through_the_service(path) == [], "call a service method instead of .store"


def test_the_reach_checker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f(app):\n    return app.service.store.path\n")
    assert reaches_through_the_service(bad) == [2]
