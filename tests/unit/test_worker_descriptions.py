"""Every `@work` names its worker (`description=`).

Without one, Textual describes a worker by the repr of every argument it is called with, on
the app's thread, before the worker starts. Some of ours are called with a whole portfolio (the
overview with the board's 10,000 initiatives, the flow with its inputs): that repr alone held
the keyboard for a quarter of a second at 10,000.
"""

from __future__ import annotations

import ast
from pathlib import Path

import bridge_tui

ROOT = Path(bridge_tui.__file__).parent


def _work_decorators() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and getattr(deco.func, "id", None) == "work":
                    found.append((path.name, node.lineno, deco))
    return found


def test_every_work_decorator_names_its_worker() -> None:
    found = _work_decorators()
    # the scan finds them: board, overview, review, flow (two), merge, the sheet's preview
    assert len(found) >= 7
    unnamed = [
        f"{name}:{line}"
        for name, line, deco in found
        if not any(k.arg == "description" for k in deco.keywords)
    ]
    assert unnamed == []


def test_a_named_worker_does_not_turn_its_arguments_into_text() -> None:
    """The reason for the rule, checked against the Textual we pin: unnamed, the arguments
    are turned into text; named, they are not."""
    from textual import work
    from textual.dom import DOMNode

    reprs: list[str] = []

    class Big:
        def __repr__(self) -> str:
            reprs.append("repr")
            return "Big()"

    class Host(DOMNode):
        def run_worker(self, *args: object, **kwargs: object) -> object:
            return kwargs["description"]

        @work(thread=True, description="named")
        def named(self, big: Big) -> None:
            pass

        @work(thread=True)
        def unnamed(self, big: Big) -> None:
            pass

    host = Host()
    assert host.named(Big()) == "named"
    assert reprs == []
    host.unnamed(Big())
    assert reprs == ["repr"]
