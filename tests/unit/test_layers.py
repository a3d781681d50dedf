"""The layers hold: the pure modules import no UI or database, presentation never opens SQL.

The contracts: the pure core imports no Textual and no database; only `store/` imports sqlite3
or sqlite_utils; presentation (CLI, TUI, web) goes through the service, never the store; the
command line imports no Textual as it loads (only the functions that start the app import it,
when they run); widgets import no service (the screens hand them what to show).

Imports are checked two ways: in a fresh interpreter (what an import really pulls in) and by
reading the source of the modules (what each imports directly).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

import bridge_tui

PACKAGE = Path(bridge_tui.__file__).resolve().parent
FORBIDDEN_PURE = ("textual", "sqlite_utils", "sqlite3", "bridge_tui.store", "bridge_tui.tui")
DATABASE = ("sqlite3", "sqlite_utils", "bridge_tui.store")
SQLITE = ("sqlite3", "sqlite_utils")
#: the app: what the command line imports only inside the functions that start it
APP = ("textual", "textual_serve", "bridge_tui.tui", "bridge_tui.web")
#: those functions (file:function): the default command and `demo` open the TUI through
#: `open_app`; `serve` serves it to a browser
APP_STARTERS = {"cli/common.py:open_app", "cli/serve.py:serve"}


def within(names: Iterable[str], prefixes: Iterable[str]) -> list[str]:
    """The names that are one of `prefixes` or a module inside one."""
    found = tuple(prefixes)
    return sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in found))


def loaded_after_import(*modules: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for m in {list(modules)!r}:\n"
        "    importlib.import_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(out.stdout))


def pure_package_modules(package: str) -> list[str]:
    """Every module of a package of the pure core, each checked on its own (a plain module:
    itself)."""
    folder = PACKAGE / package.removeprefix("bridge_tui.").replace(".", "/")
    if not folder.is_dir():
        return [package]
    return sorted(
        package if p.stem == "__init__" else f"{package}.{p.stem}" for p in folder.glob("*.py")
    )


@pytest.mark.parametrize(
    "module",
    [
        *pure_package_modules("bridge_tui.scoring"),
        "bridge_tui.method",
        "bridge_tui.models",
        "bridge_tui.records",
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
        *pure_package_modules("bridge_tui.flow"),
    ],
)
def test_pure_modules_import_no_ui_and_no_database(module: str) -> None:
    loaded = loaded_after_import(module)
    bad = within(loaded, FORBIDDEN_PURE)
    assert bad == [], f"{module} pulls in {bad}"


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (functions included)."""
    return imports_among(ast.walk(parse(path)))


def imports_among(nodes: Iterable[ast.AST]) -> set[str]:
    """The modules these syntax nodes import (each node alone, not what is inside it)."""
    names: set[str] = set()
    for node in nodes:
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


def at_import(node: ast.AST, *, functions: bool = False) -> Iterator[ast.AST]:
    """The nodes below `node` that run as the file is imported: neither a function's body nor
    an `if TYPE_CHECKING:` block (its `else` does run). With `functions`, function bodies count
    too (they import when they run, later): everything but type hints."""
    for child in ast.iter_child_nodes(node):
        if not functions and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(child, ast.If) and ast.unparse(child.test) in (
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        ):
            for stmt in child.orelse:
                yield stmt
                yield from at_import(stmt, functions=functions)
            continue
        yield child
        yield from at_import(child, functions=functions)


def imported_at_load(path: Path) -> set[str]:
    """The modules a file imports as it is imported itself."""
    return imports_among(at_import(parse(path)))


def imported_by_function(tree: ast.Module, where: str) -> dict[str, set[str]]:
    """What each function of a file (module level, or a method of a class) imports in its
    body, by `where:function`."""
    functions = [
        node
        for parent in (tree, *(c for c in tree.body if isinstance(c, ast.ClassDef)))
        for node in ast.iter_child_nodes(parent)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    return {f"{where}:{fn.name}": imports_among(ast.walk(fn)) for fn in functions}


def package_modules(under: str = "") -> list[Path]:
    return sorted(p for p in (PACKAGE / under).rglob("*.py") if p.is_file())


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def presentation_modules() -> list[Path]:
    return [p for sub in ("cli", "tui", "web") for p in package_modules(sub)]


def test_there_are_presentation_modules_to_check() -> None:
    names = {rel(p) for p in presentation_modules()}
    assert {"cli/__init__.py", "cli/initiatives.py", "cli/common.py", "tui/app.py"} <= names
    assert "tui/widgets/review_card.py" in {rel(p) for p in package_modules("tui/widgets")}


def test_only_the_store_imports_sqlite() -> None:
    """sqlite3 and sqlite_utils are the store's business: everything else asks it."""
    outside = [p for p in package_modules() if not rel(p).startswith("store/")]
    found = {rel(p): within(imported_names(p), SQLITE) for p in outside}
    assert {m: names for m, names in found.items() if names} == {}


@pytest.mark.parametrize("path", package_modules("cli"), ids=rel)
def test_the_command_line_imports_no_app_as_it_loads(path: Path) -> None:
    """Scripted commands start fast and run without a terminal UI: Textual (and the TUI and
    the web server built on it) is imported only inside the functions that start the app."""
    assert within(imported_at_load(path), APP) == []


def test_only_the_functions_that_start_the_app_import_it() -> None:
    importing = {
        where
        for p in package_modules("cli")
        for where, names in imported_by_function(parse(p), rel(p)).items()
        if within(names, APP)
    }
    assert importing - APP_STARTERS == set(), "import the app inside the function that starts it"


def test_importing_every_command_line_module_loads_no_textual() -> None:
    modules = [
        "bridge_tui.cli" + ("" if p.stem == "__init__" else f".{p.stem}")
        for p in package_modules("cli")
    ]
    assert within(loaded_after_import(*modules), ("textual", "textual_serve")) == []


@pytest.mark.parametrize("path", package_modules("tui/widgets"), ids=rel)
def test_widgets_import_no_service(path: Path) -> None:
    """A widget shows what its screen hands it; only screens call the service."""
    assert within(imported_names(path), ("bridge_tui.service",)) == []


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


def test_the_load_checker_skips_function_bodies_and_type_checking() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import click\n"
        "if TYPE_CHECKING:\n"
        "    from textual.app import App\n"
        "else:\n"
        "    import rich\n"
        "try:\n"
        "    import textual.widgets\n"
        "except ImportError:\n"
        "    pass\n"
        "class C:\n"
        "    from bridge_tui.tui import app\n"
        "    def run(self):\n"
        "        import textual_serve\n"
        "def open_app():\n"
        "    from bridge_tui.web.server import BoardServer\n"
    )
    at_load = imports_among(at_import(tree))
    assert within(at_load, APP) == ["bridge_tui.tui", "bridge_tui.tui.app", "textual.widgets"]
    assert {"click", "rich"} <= at_load
    by_function = {k: within(v, APP) for k, v in imported_by_function(tree, "x.py").items()}
    assert by_function == {
        "x.py:run": ["textual_serve"],
        "x.py:open_app": ["bridge_tui.web.server", "bridge_tui.web.server.BoardServer"],
    }


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


@pytest.mark.parametrize("path", presentation_modules(), ids=rel)
def test_presentation_never_reaches_through_the_service(path: Path) -> None:
    assert reaches_through_the_service(path) == [], "call a service method instead of .store"


def test_the_reach_checker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f(app):\n    return app.service.store.path\n")
    assert reaches_through_the_service(bad) == [2]


def test_the_pure_packages_are_walked_module_by_module() -> None:
    assert "bridge_tui.scoring.gates" in pure_package_modules("bridge_tui.scoring")
    assert "bridge_tui.flow.moves" in pure_package_modules("bridge_tui.flow")


def import_cycles(
    paths: list[Path], root: Path = PACKAGE, package: str = "bridge_tui"
) -> list[list[str]]:
    """The circles in the run-time import graph of these modules (files under `root`, the
    folder of `package`)."""
    name_of = {
        p: ".".join([package, *p.relative_to(root).with_suffix("").parts]).removesuffix(".__init__")
        for p in paths
    }
    names = set(name_of.values())
    graph = {
        name: sorted(n for n in imports_among(at_import(parse(p), functions=True)) if n in names)
        for p, name in name_of.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return cycles


def test_the_app_has_no_import_circle() -> None:
    """Screens, dialogs and widgets never import back up into the app (nor each other in a
    circle), at load or inside functions; only type hints may point back."""
    assert import_cycles(package_modules("tui")) == []


def test_the_circle_finder_finds_one(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("from pkg.screen import S\n")
    (tmp_path / "screen.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from pkg.app import App\n"
        "def f():\n    from pkg.app import App\n"
    )
    files = [tmp_path / "app.py", tmp_path / "screen.py"]
    assert import_cycles(files, tmp_path, "pkg") == [["pkg.app", "pkg.screen", "pkg.app"]]
    (tmp_path / "screen.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.app import App\n"
    )
    assert import_cycles(files, tmp_path, "pkg") == []
