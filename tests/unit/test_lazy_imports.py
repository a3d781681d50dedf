"""Start-up stays lean: importing the CLI, running one command, or building the app with its
board loads only what that needs (issue 13). Each case runs in a fresh interpreter and lists
what it loaded; a module on a case's "not needed" list fails it. When one of them really must
load early, say why here; otherwise import it where it is used."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest

from bridge_tui import cli as cli_pkg

ROOT = Path(__file__).resolve().parents[2]

#: never needed before a screen, a dialog or a command that uses them
NEVER_AT_START = (
    "sqlite_utils",
    "openpyxl",
    "bridge_tui.store.migrations",
    "bridge_tui.store.merge",
    "bridge_tui.store.incoming",
    "bridge_tui.sheet_map",
    "bridge_tui.sheet_values",
    "bridge_tui.sample",
)
#: the screens and dialogs the board does not show at its first paint
NOT_THE_BOARD = (
    "bridge_tui.tui.screens.checklist",
    "bridge_tui.tui.screens.plan",
    "bridge_tui.tui.screens.overview",
    "bridge_tui.tui.screens.history",
    "bridge_tui.tui.screens.review",
    "bridge_tui.tui.dialogs.merge",
    "bridge_tui.tui.dialogs.sheet_import",
    "bridge_tui.tui.dialogs.initiative_form",
    "bridge_tui.tui.dialogs.task_form",
    "bridge_tui.tui.dialogs.review_decision",
)


def loaded_after(code: str, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_command_service_store_or_ui() -> None:
    loaded = loaded_after("import bridge_tui.cli")
    unwanted = {
        *NEVER_AT_START,
        *NOT_THE_BOARD,
        "textual",
        "pydantic",
        "bridge_tui.models",
        "bridge_tui.scoring",
        "bridge_tui.service",
        "bridge_tui.store",
        *(f"bridge_tui.cli.{m}" for m in set(cli_pkg.COMMAND_MODULES.values())),
    }
    assert sorted(unwanted & loaded) == []


def test_a_command_loads_only_its_own_module(sample_db: Path) -> None:
    loaded = loaded_after(
        """
        import sys
        from bridge_tui.cli import main
        try:
            main(["--db", sys.argv[1], "score", "Warehouse slotting"])
        except SystemExit:
            pass
        """,
        str(sample_db),
    )
    assert "bridge_tui.cli.initiatives" in loaded  # it did run `score`
    # `initiatives` prints an initiative's sustain fields with `cli.sustain`'s helpers
    others = {f"bridge_tui.cli.{m}" for m in set(cli_pkg.COMMAND_MODULES.values())} - {
        "bridge_tui.cli.initiatives",
        "bridge_tui.cli.sustain",
    }
    unwanted = {*NEVER_AT_START, *NOT_THE_BOARD, *others, "textual"}
    assert sorted(unwanted & loaded) == []


def test_building_the_app_loads_only_the_board(sample_db: Path) -> None:
    loaded = loaded_after(
        """
        import sys
        from datetime import date
        from bridge_tui.tui.app import build_app
        app = build_app(sys.argv[1], author="test", today=date(2026, 11, 22))
        """,
        str(sample_db),
    )
    assert "bridge_tui.tui.screens.board" in loaded
    assert sorted({*NEVER_AT_START, *NOT_THE_BOARD} & loaded) == []


@pytest.mark.parametrize("module", sorted(set(cli_pkg.COMMAND_MODULES.values())))
def test_the_lazy_group_names_every_command_of_its_module(module: str) -> None:
    """`COMMAND_MODULES` says exactly which commands each module registers."""
    group = click.Group()
    __import__(f"bridge_tui.cli.{module}", fromlist=["register"]).register(group)
    named = {name for name, m in cli_pkg.COMMAND_MODULES.items() if m == module}
    assert set(group.commands) == named
