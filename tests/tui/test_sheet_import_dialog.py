"""The palette's "Import a spreadsheet", driven by the real keys: open it, pick a file (typed with
completion, or in the tree), read the preview table, confirm or cancel, see the board."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, DirectoryTree, Input, Select, Static
from textual.worker import WorkerCancelled

from bridge_tui.errors import Busy
from bridge_tui.service import Service
from bridge_tui.tui.app import BridgeApp, build_app
from bridge_tui.tui.busy import BUSY_GROUP, BusyNote
from bridge_tui.tui.dialogs.sheet_import import SheetImportDialog, start_sheet_import
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.widgets.board_column import BoardColumn
from tests.conftest import FROZEN_TODAY
from tests.sheetgen import messy_workbook, simple_csv
from tests.tui.helpers import pressed, started

SIZE = (150, 45)


def maya_app(db: Path, *, read_only: bool = False) -> BridgeApp:
    return build_app(db, author="maya", today=FROZEN_TODAY, read_only=read_only)


async def until(pilot: Pilot[None], done: Callable[[], bool]) -> None:
    """Let the app run until `done()` holds: the preview and the import run in workers (a
    bounded number of turns of the event loop, never a time)."""
    for _ in range(1000):
        if done():
            await pilot.pause()
            return
        for worker in list(pilot.app.workers):
            # the preview, and the import's write (a busy job)
            if worker.group.startswith(("sheet-", BUSY_GROUP)) and not worker.is_finished:
                with contextlib.suppress(WorkerCancelled):  # replaced by a newer preview
                    await worker.wait()
        await pilot.pause()
    raise AssertionError("the dialog never got there")


def summary(dialog: SheetImportDialog) -> str:
    return str(dialog.query_one("#sheet-summary", Static).render())


def cells(table: DataTable[object]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]


def board_names(app: BridgeApp) -> set[str]:
    assert isinstance(app.screen, BoardScreen)
    return {i.name for col in app.screen.query(BoardColumn) for i in col.items}


async def typed(pilot: Pilot[None], path: Path) -> SheetImportDialog:
    """The dialog opened from code, `path` typed in and entered: the preview starts."""
    dialog = await started(pilot, start_sheet_import, SheetImportDialog)
    dialog.query_one("#sheet-path", Input).value = str(path)
    await pilot.press("enter")
    return dialog


async def open_from_palette(pilot: Pilot[None]) -> SheetImportDialog:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*"Import a spreadsheet")
    await pilot.pause()
    await pilot.pause()
    return await pressed(pilot, "enter", SheetImportDialog)


async def test_palette_flow_preview_confirm_and_the_board(sample_db: Path) -> None:
    simple_csv(
        sample_db.parent / "team sheet.csv",
        [
            ["Use case", "Status", "Owner", "Pilot budget", "scoped", "team assigned"],
            ["Churn radar", "POC", "Ines", "€ 40.000", "x", "x"],
            ["Route optimisation", "", "Lars Eriksen", "", "", ""],
            ["Shift planner", "live", "", "", "", ""],
            ["[/]", "idea", "[bold]boss[/]", "", "", ""],  # markup is a name like any other
        ],
    )
    app = maya_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await open_from_palette(pilot)
        field = dialog.query_one("#sheet-path", Input)
        assert field.has_focus and field.value == str(sample_db.parent) + "/"
        await pilot.press(*"team")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("right")  # accept the completion
        assert field.value == str(sample_db.parent / "team sheet.csv")
        await pilot.press("enter")
        await until(pilot, lambda: dialog.preview is not None)
        table = dialog.query_one("#sheet-rows", DataTable)
        rows = cells(table)
        assert [r[:4] for r in rows] == [
            ["2", "Churn radar", "add", "Pilot"],
            ["3", "Route optimisation", "no change", "Validate"],
            ["4", "Shift planner", "add (forced)", "Infrastructure"],
            ["5", "[/]", "add", "Experiment"],
        ]
        assert "forced past its gate" in rows[2][4]
        columns = cells(dialog.query_one("#sheet-columns", DataTable))
        assert columns[0] == ["A", "Use case", "name"]
        assert "Would add 3 and update 0 initiatives (1 forced past a gate)" in summary(dialog)
        assert "Churn radar" not in {i.name for i in app.service.initiatives()}
        confirm = dialog.query_one("#confirm", Button)
        assert not confirm.disabled and confirm.has_focus
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, SheetImportDialog))
        names = board_names(app)
        assert {"Churn radar", "Shift planner", "Route optimisation", "[/]"} <= names
        await pilot.press("home")  # the board draws the "[/]" card (Experiment, first by name)
        await pilot.pause()
        assert app.service.resolve("[/]").owner == "[bold]boss[/]"
        assert "[bold]boss[/]" in app.export_screenshot()  # drawn as typed, not as markup
        churn = app.service.resolve("Churn radar")
        assert (churn.stage, churn.owner, churn.pilot_budget) == ("pilot", "Ines", 40000)
        shift = app.service.resolve("Shift planner")
        assert shift.forced_reason == "imported from team sheet.csv"


async def test_pick_a_file_in_the_tree(sample_db: Path) -> None:
    messy_workbook(sample_db.parent / "portfolio.xlsx")
    app = maya_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await started(pilot, start_sheet_import, SheetImportDialog)
        tree = dialog.query_one("#sheet-tree", DirectoryTree)
        tree.focus()
        for _ in range(50):  # the tree lists the folder in its own worker
            if tree.root.children:
                break
            await pilot.pause()
        listed = [str(n.label) for n in tree.root.children]
        assert "portfolio.xlsx" in listed and "sample.db" not in listed  # sheets only
        await pilot.press("down")
        while tree.cursor_node is not None and str(tree.cursor_node.label) != "portfolio.xlsx":
            await pilot.press("down")
        await pilot.press("enter")
        await until(pilot, lambda: dialog.preview is not None)
        assert dialog.query_one("#sheet-path", Input).value == str(
            sample_db.parent / "portfolio.xlsx"
        )
        rows = cells(dialog.query_one("#sheet-rows", DataTable))
        assert [r[1] for r in rows] == [
            "Dispatch routing",
            "Invoice processing",
            "Contract review",
            "Email triage",
        ]
        assert rows[0][3] == "Productionize → Pilot"
        # a workbook of several sheets offers them; another sheet is previewed on choice
        select = dialog.query_one("#sheet-name", Select)
        assert select.display and select.value == "Portfolio"
        select.value = "Archive"
        await until(
            pilot,
            lambda: dialog.preview is not None and dialog.preview.parsed.table.sheet == "Archive",
        )
        assert [r[1] for r in cells(dialog.query_one("#sheet-rows", DataTable))] == ["Old chatbot"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert "Old chatbot" not in board_names(app)  # cancelled: nothing written


async def test_a_bad_row_disables_import_and_is_listed(sample_db: Path) -> None:
    simple_csv(
        sample_db.parent / "bad.csv",
        [["Name", "Stage", "D1"], ["Fine", "idea", "x"], ["[bold]Loud[/]", "someday", "maybe"]],
    )
    before = sample_db.read_bytes()
    app = maya_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await typed(pilot, sample_db.parent / "bad.csv")
        await until(pilot, lambda: dialog.preview is not None)
        rows = cells(dialog.query_one("#sheet-rows", DataTable))
        assert rows[1][:3] == ["3", "[bold]Loud[/]", "cannot be taken"]  # markup shown as typed
        assert "stage 'someday' is not a stage" in rows[1][4]
        assert dialog.query_one("#confirm", Button).disabled
        assert "1 row of bad.csv cannot be taken, so nothing can be imported yet" in summary(dialog)
        await pilot.press("escape")
        await pilot.pause()
    assert sample_db.read_bytes() == before


async def test_a_file_that_is_not_a_sheet_says_why(sample_db: Path) -> None:
    (sample_db.parent / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    app = maya_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await typed(pilot, sample_db.parent / "notes.xlsx")
        message = "notes.xlsx is not an Excel workbook (it is not a .xlsx zip file)."
        await until(pilot, lambda: summary(dialog) == message)
        assert dialog.query_one("#confirm", Button).disabled


async def test_a_teammates_save_after_the_preview_is_not_overwritten(sample_db: Path) -> None:
    from bridge_tui.service import Service
    from bridge_tui.store import Store

    simple_csv(sample_db.parent / "s.csv", [["Name", "Owner"], ["Route optimisation", "New"]])
    app = maya_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await typed(pilot, sample_db.parent / "s.csv")
        await until(pilot, lambda: dialog.preview is not None)
        other = Service(Store.open(sample_db), "teammate", FROZEN_TODAY)
        other.edit_initiative(other.resolve("Route optimisation"), owner="Teammate")
        other.close()
        await pilot.click("#confirm")
        await until(pilot, lambda: "changed since the preview" in summary(dialog))
        assert isinstance(app.screen, SheetImportDialog)  # still open, saying why
        assert "Nothing was imported." in summary(dialog)
        assert app.service.resolve("Route optimisation").owner == "Teammate"


async def test_the_keys_stay_live_while_the_import_is_written_and_ctrl_z_undoes_it(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thousand rows take seconds to write: the write runs on a connection of its own in a
    worker, so the room's keys are handled meanwhile; the dialog waits for it (an import is one
    transaction, not cancelled midway); the app does not announce it as a teammate's save, and
    ctrl+z takes it back like any edit of this session."""
    simple_csv(
        sample_db.parent / "s.csv",
        [["Name", "Status"], ["Churn radar", "POC"], ["Shift planner", "idea"]],
    )
    written = threading.Event()
    on_app_thread: list[bool] = []
    write = Service.import_sheet

    def held(self: Service, *args: Any, **kwargs: Any) -> Any:
        on_app_thread.append(threading.current_thread() is threading.main_thread())
        # held until the test has pressed its keys: on the app's thread, nothing could
        assert written.wait(10), "the keys were not handled while the import was written"
        return write(self, *args, **kwargs)

    monkeypatch.setattr(Service, "import_sheet", held)
    app = maya_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await typed(pilot, sample_db.parent / "s.csv")
        await until(pilot, lambda: dialog.preview is not None)
        await pilot.click("#confirm")
        for _ in range(200):
            if on_app_thread:
                break
            await pilot.pause(0.01)
        assert on_app_thread == [False]
        assert summary(dialog) == "Importing s.csv..."
        assert [str(n.label) for n in dialog.query(BusyNote)] == ["Importing s.csv…"]
        assert all(b.disabled for b in dialog.query(Button))
        await pilot.press("escape")  # handled, and refused: the write is under way
        await pilot.pause()
        assert app.screen is dialog and dialog.importing
        written.set()
        await until(pilot, lambda: not isinstance(app.screen, SheetImportDialog))
        assert {"Churn radar", "Shift planner"} <= board_names(app)
        said = [(n.title, n.message) for n in app._notifications]
        assert said == [
            ("Imported", "Imported s.csv: added 2 and updated 0 (1 forced past a gate).")
        ], said
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not {"Churn radar", "Shift planner"} & {i.name for i in app.service.initiatives()}


async def test_the_preview_reads_the_portfolio_off_the_apps_thread(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 10,000 initiatives reading the portfolio for the preview takes over half a second:
    it is read in the preview's worker, on a connection of its own, as the sheet is."""
    simple_csv(sample_db.parent / "s.csv", [["Name"], ["Churn radar"]])
    reads: list[bool] = []
    board = Service.board

    def watched(self: Service, *args: Any, **kwargs: Any) -> Any:
        reads.append(threading.current_thread() is threading.main_thread())
        return board(self, *args, **kwargs)

    app = maya_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Service, "board", watched)
        dialog = await typed(pilot, sample_db.parent / "s.csv")
        await until(pilot, lambda: dialog.preview is not None)
        assert reads == [False]
        assert "Would add 1 and update 0 initiatives" in summary(dialog)


@pytest.mark.parametrize(
    ("error", "said"),
    [
        # a file the worker's own connection cannot open (busy, say) is read through the
        # app's, as the board's reload does: the preview still comes
        (Busy("the file is busy"), "Would add 1 and update 0 initiatives"),
        # whatever else goes wrong there is one sentence, never a traceback that ends the app
        (sqlite3.OperationalError("database is locked"), "The preview failed: database is locked."),
    ],
    ids=["busy: read on the app's connection", "anything else: said"],
)
async def test_when_the_preview_cannot_read_on_a_connection_of_its_own(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, said: str
) -> None:
    simple_csv(sample_db.parent / "s.csv", [["Name"], ["Churn radar"]])

    def fails(self: Service) -> Service:
        raise error

    app = maya_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Service, "reader", fails)
        dialog = await typed(pilot, sample_db.parent / "s.csv")
        await until(pilot, lambda: said in summary(dialog))
        assert (dialog.preview is None) == said.startswith("The preview failed")
        assert app.is_running and app.screen is dialog


async def test_read_only_file_refuses_to_open_the_dialog(sample_db: Path) -> None:
    app = maya_app(sample_db, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start_sheet_import(app)
        await pilot.pause()
        assert not isinstance(app.screen, SheetImportDialog)


async def test_palette_offers_the_import(sample_db: Path) -> None:
    app = maya_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        merge = titles.index("Merge a teammate's copy")
        # beside the other ways a portfolio comes in (merge, then sync with git)
        assert "Import a spreadsheet" in titles[merge + 1 : merge + 3]
