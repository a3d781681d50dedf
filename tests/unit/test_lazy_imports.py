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
from typing import Any

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
#: what the service's mixins and the store use in a few methods only (a report, a merge, an
#: import, the history in words, the flow's figures, the 90-day plan): the board's first paint
#: calls none of it. It does call the portfolio's `board_key` and the flow's replay and
#: timeline (the detail pane), so those load.
NOT_AT_FIRST_PAINT = (
    "bridge_tui.report",
    "bridge_tui.report_render",
    "bridge_tui.flow_report",
    "bridge_tui.sustain_report",
    "bridge_tui.service.merge_report",
    "bridge_tui.service.entry",
    "bridge_tui.service.change_words",
    "bridge_tui.service.history_fold",
    "bridge_tui.sheets",
    "bridge_tui.flow.figures",
    "bridge_tui.scoring.plan",
    "bridge_tui.scoring.metrics",
    "bridge_tui.scoring.portfolio",
)
#: what only a key on the board uses (a dialog, a worker's read of the rest of a large board):
#: the warm-up thread imports them after the first paint
NOT_BEFORE_A_KEY = (
    "bridge_tui.tui.dialogs.common",
    "bridge_tui.tui.dialogs.gate",
    "bridge_tui.tui.busy",
    "bridge_tui.tui.screens.board_load",
    "bridge_tui.service.quick",
    # the board's filter bar, mounted by the first `/`
    "bridge_tui.tui.widgets.find_bar",
)
#: from the standard library, what a bare Textual app does not load and bridge's start need
#: not: `calendar` (`sustain_rules.add_months` counts a month's days itself). (`hashlib` is
#: loaded: opening a file hashes its bytes with OpenSSL's SHA-256, several times faster than
#: the interpreter's own on a file of 1 MB and more, which outweighs loading OpenSSL.)
NOT_FROM_THE_STDLIB = ("calendar",)


def loaded_after(code: str, *args: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code`."""
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    return set(last_json_line(script, *args))


def last_json_line(script: str, *args: str) -> Any:
    """The last line `script` prints, read as JSON; it runs in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


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
            main(["--db", sys.argv[1], "show", "Warehouse slotting"])
        except SystemExit:
            pass
        """,
        str(sample_db),
    )
    assert "bridge_tui.cli.initiatives" in loaded  # it did run `show`
    # `show` prints an initiative's sustain fields with `cli.sustain`'s helpers, and those come
    # from `sustain_report`; its score is printed as `score` prints it
    others = {f"bridge_tui.cli.{m}" for m in set(cli_pkg.COMMAND_MODULES.values())} - {
        "bridge_tui.cli.initiatives",
        "bridge_tui.cli.sustain",
        "bridge_tui.cli.reads",
    }
    not_for_a_show = set(NOT_AT_FIRST_PAINT) - {"bridge_tui.sustain_report"}
    unwanted = {*NEVER_AT_START, *NOT_THE_BOARD, *not_for_a_show, *others, "textual"}
    assert sorted(unwanted & loaded) == []


#: what `bridge score` and `bridge list` read without: the models and all that needs them
NOT_FOR_A_SCORE = (
    # `text.number_text` writes typed numbers exactly with it; a score and a list print none
    "decimal",
    "pydantic",
    "bridge_tui.models",
    "bridge_tui.service.composed",
    "bridge_tui.service.initiatives",
    "bridge_tui.store.repo",
    "bridge_tui.store.reads",
    "bridge_tui.sustain",
)


@pytest.mark.parametrize(
    "args",
    [
        ["score", "Warehouse slotting"],
        ["score", "--json", "Warehouse slotting"],
        ["list"],
        ["list", "--json", "--stage", "pilot"],
    ],
    ids=["score", "score json", "list", "list json"],
)
def test_a_score_or_a_list_reads_without_the_models(sample_db: Path, args: list[str]) -> None:
    """`bridge score` and `bridge list` are the reads people script most: they read through
    `service.quick`, which never loads pydantic (twice `import click` on its own). The file
    was opened once before, as a user's own file has been: the full check on a file's first
    opening reads every row through its model (`store.checked` remembers it passed)."""
    opened_once(sample_db)
    loaded = loaded_after(
        """
        import sys
        from bridge_tui.cli import main
        try:
            main(["--db", sys.argv[1], *sys.argv[2:]])
        except SystemExit as exc:
            assert not exc.code, exc.code
        """,
        str(sample_db),
        *args,
    )
    assert "bridge_tui.cli.reads" in loaded  # it did run the command
    others = {f"bridge_tui.cli.{m}" for m in set(cli_pkg.COMMAND_MODULES.values())} - {
        "bridge_tui.cli.reads"
    }
    # a list's flags come from the sustain rules; a score does without them
    not_for_it = set(NOT_FOR_A_SCORE) - ({"bridge_tui.sustain"} if args[0] == "list" else set())
    unwanted = {*NEVER_AT_START, *NOT_THE_BOARD, *NOT_AT_FIRST_PAINT, *not_for_it, *others}
    assert sorted(unwanted & loaded) == []


def opened_once(path: Path) -> None:
    """Open `path` as a user has opened their own file before: its full check (every row
    through its model, so every validator built) ran then, and `store.checked` remembers it."""
    subprocess.run(
        [sys.executable, "-m", "bridge_tui", "--db", str(path), "list"],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )


@pytest.mark.parametrize("head", [False, True], ids=["whole board", "first part"])
def test_the_first_paint_loads_no_pydantic_and_the_warm_up_does(
    sample_db: Path, head: bool
) -> None:
    """The board's first read is plain records (`service.start.Start`): pydantic, the models
    and the service are not imported before the first paint (nor pydantic's plugin loader,
    `importlib.metadata`); the warm-up thread imports them and builds every validator after
    it, and the service is built then, so the first save waits for neither. `head`: the
    board reads its first part only, as a large portfolio's does."""
    opened_once(sample_db)
    seen = last_json_line(
        """
        import json, sys
        from datetime import date
        from bridge_tui.tui.app import build_app
        from bridge_tui.tui.screens.board_view import BoardView

        seen = {"head": False}
        if sys.argv[2] == "1":
            from bridge_tui.service.start import Start

            BoardView.HEAD_FROM = 1
            read_head = Start.board_head

            def board_head(self, per_stage):
                seen["head"] = True
                return read_head(self, per_stage)

            Start.board_head = board_head
        app = build_app(sys.argv[1], author="test", today=date(2026, 11, 22))
        def built():
            models = sys.modules.get("bridge_tui.models")
            if models is None:
                return []
            return [m.__name__ for m in (models.Initiative, models.Plan, models.Answer)
                    if m.__pydantic_complete__]

        from textual.app import App

        display = App._display

        def first_frame(self, screen, renderable):  # the board's first frame, as it is sent
            if renderable is not None and getattr(screen, "_loaded", False) and "cards" not in seen:
                seen["pydantic"] = "pydantic" in sys.modules
                seen["modules"] = sorted(sys.modules)
                seen["metadata"] = "importlib.metadata" in sys.modules
                seen["built"] = built()
                seen["service"] = self._service is not None
                seen["cards"] = len(screen.model.ordered_ids())
                first = screen.model.find(screen.model.ordered_ids()[0])
                seen["records"] = type(first).__name__
            return display(self, screen, renderable)

        App._display = first_frame

        async def first_paint(pilot):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            seen["built_after"] = built()
            seen["service_after"] = pilot.app._service is not None
            pilot.app.exit()

        app.run(headless=True, size=(160, 45), auto_pilot=first_paint)
        print(json.dumps(seen))
        """,
        str(sample_db),
        "1" if head else "0",
    )
    assert seen["cards"] > 10
    assert seen["head"] is head
    assert seen["metadata"] is False
    assert seen["pydantic"] is False  # the board read records (`service.start`)
    # its flags are on cards; Textual loads `decimal` (a bare app does too)
    not_the_models = set(NOT_FOR_A_SCORE) - {"bridge_tui.sustain", "decimal"}
    unwanted = {
        *NEVER_AT_START,
        *NOT_THE_BOARD,
        *NOT_AT_FIRST_PAINT,
        *NOT_BEFORE_A_KEY,
        *not_the_models,
        *NOT_FROM_THE_STDLIB,
    }
    assert sorted(unwanted & set(seen["modules"])) == []
    assert seen["records"] == "InitiativeRecord"
    assert seen["service"] is False
    assert seen["built"] == []
    assert seen["built_after"] == ["Initiative", "Plan", "Answer"]
    assert seen["service_after"] is True  # built by the warm-up, on the app's thread


def test_importing_the_app_loads_neither_csv_nor_zipfile() -> None:
    """Only the CSV report and the sheet reader use them. (pydantic loads both through
    `importlib.metadata` when it builds its first validator: after the first paint, in the
    warm-up thread, `models.build_validators`.)"""
    loaded = loaded_after("import bridge_tui.tui.app")
    assert sorted({"csv", "zipfile"} & loaded) == []


@pytest.mark.parametrize("module", sorted(set(cli_pkg.COMMAND_MODULES.values())))
def test_the_lazy_group_names_every_command_of_its_module(module: str) -> None:
    """`COMMAND_MODULES` says exactly which commands each module registers."""
    group = click.Group()
    __import__(f"bridge_tui.cli.{module}", fromlist=["register"]).register(group)
    named = {name for name, m in cli_pkg.COMMAND_MODULES.items() if m == module}
    assert set(group.commands) == named


def test_the_warm_up_names_modules_that_exist() -> None:
    """What the app loads in a thread once the board has painted (the screens, and what they
    call that start-up leaves out): every name is a module, so a rename cannot silently move
    its import back onto a screen's first opening."""
    import importlib.util

    from bridge_tui.tui import app

    assert "bridge_tui.tui.screens.checklist" in app._WARM_UP
    assert "bridge_tui.scoring.metrics" in app._WARM_UP
    assert [m for m in app._WARM_UP if importlib.util.find_spec(m) is None] == []
