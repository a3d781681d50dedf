"""The palette's "Import a spreadsheet": pick a file, read the preview, import or cancel.

The dialog stays dumb: the app hands it three functions (`SheetActions`) and acts on what it
returns. Reading and planning run in a worker thread (a 50 MB sheet must not freeze the room's
screen); the write runs in a worker on the app's thread, because the file's connection belongs
to it. Every value from the sheet is shown as plain text, never markup.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, DirectoryTree, Input, Select, Static

from bridge_tui import method
from bridge_tui.errors import BridgeError
from bridge_tui.service.sheet_import import SHEET_SUFFIXES
from bridge_tui.service.sheet_plan import SheetPreview
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, Vertical
from bridge_tui.tui.widgets.file_pick import FileTree
from bridge_tui.tui.widgets.file_pick import PathSuggester as _PathSuggester

if TYPE_CHECKING:
    from bridge_tui.tui.app import BridgeApp

#: A snapshot of the portfolio taken on the app's thread, for planning in a worker thread.
Snapshot = Any


@dataclass(frozen=True)
class SheetActions:
    """What the dialog may do: take a snapshot (app thread), plan from it (any thread), and
    write a previewed plan (app thread)."""

    snapshot: Callable[[], Snapshot]
    plan: Callable[[str, str | None, Snapshot], SheetPreview]
    apply: Callable[[SheetPreview], SheetPreview]


class PathSuggester(_PathSuggester):
    """Completes a typed path with the folders and spreadsheets found there."""

    def __init__(self, base: Path) -> None:
        super().__init__(base, SHEET_SUFFIXES)


class SheetTree(FileTree):
    """Folders and spreadsheets only (.csv, .tsv, .txt, .xlsx, .xlsm); no hidden files."""

    SUFFIXES = frozenset(SHEET_SUFFIXES)


def _stage_text(stage: str, before: str | None) -> str:
    label = method.STAGE_BY_ID[stage].label if stage else ""
    if before and before != stage:
        return f"{method.STAGE_BY_ID[before].label} → {label}"
    return label


_WILL = {"add": "add", "update": "update", "same": "no change", "refused": "cannot be taken"}


class SheetImportDialog(ModalScreen[SheetPreview | None]):
    """Path (typed with completion, or picked in the tree), then the preview, then Import.
    Returns the import's result, or None when cancelled."""

    CSS_PATH = sheets("sheet_import.tcss")

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="sheet_import.cancel")]

    def __init__(self, actions: SheetActions, file_name: str, folder: Path) -> None:
        super().__init__()
        self.actions = actions
        self.file_name = file_name
        self.folder = folder
        #: the preview on screen; Import writes exactly this one
        self.preview: SheetPreview | None = None
        self._sheet_names: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Import a spreadsheet", classes="dialog-question", markup=False)
            yield Static(
                Text(
                    f"Adds the initiatives of a .csv or .xlsx file to {self.file_name}, matched "
                    "by name. Nothing is written until you press Import; one row that cannot "
                    "be taken stops the whole import."
                ),
                classes="dialog-details",
                markup=False,
            )
            yield Input(
                value=str(self.folder) + os.sep,
                placeholder="path of the .csv or .xlsx file (→ completes)",
                suggester=PathSuggester(self.folder),
                select_on_focus=False,  # the folder is typed already: go on with the name
                id="sheet-path",
            )
            with Horizontal(id="sheet-pick"):
                yield SheetTree(self.folder, id="sheet-tree")
                yield DataTable(id="sheet-columns", cursor_type="row")
            yield Select[str]([], prompt="sheet", allow_blank=True, id="sheet-name")
            yield Static(
                Text("Type a path and press enter, or pick a file above."),
                id="sheet-summary",
                markup=False,
            )
            yield DataTable(id="sheet-rows", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Preview", id="preview")
                yield Button("Import", id="confirm", variant="primary", disabled=True)
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        rows = self.query_one("#sheet-rows", DataTable)
        rows.add_columns("Row", "Initiative", "Will", "Stage", "Details")
        cols = self.query_one("#sheet-columns", DataTable)
        cols.add_columns("Column", "Header", "Read as")
        self.query_one("#sheet-name", Select).display = False
        field = self.query_one("#sheet-path", Input)
        field.cursor_blink = False
        field.cursor_position = len(field.value)
        field.focus()

    # choosing the file -----------------------------------------------------------------------

    def _path(self) -> Path | None:
        raw = self.query_one("#sheet-path", Input).value.strip()
        if not raw:
            return None
        path = Path(os.path.expanduser(raw))
        return path if path.is_absolute() else self.folder / path

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        field = self.query_one("#sheet-path", Input)
        with field.prevent(Input.Changed):
            field.value = str(event.path)
        self._sheet_names = ()
        self.run_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.preview is not None:
            self._forget_preview()
        self._sheet_names = ()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_preview()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.preview is not None and event.value != self.preview.parsed.table.sheet:
            self.run_preview()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "preview":
            self.run_preview()
        elif event.button.id == "confirm" and self.preview is not None:
            self.run_import(self.preview)
        elif event.button.id == "cancel":
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    # the preview -----------------------------------------------------------------------------

    def _forget_preview(self) -> None:
        self.preview = None
        self.query_one("#confirm", Button).disabled = True

    def _say(self, text: str) -> None:
        self.query_one("#sheet-summary", Static).update(Text(text))

    def run_preview(self) -> None:
        path = self._path()
        if path is not None and not path.exists():
            # enter on a half-typed name that only one spreadsheet starts with: that one
            field = self.query_one("#sheet-path", Input)
            found = PathSuggester(self.folder).matches(field.value.strip())
            if len(found) == 1 and not found[0].endswith("/"):
                with field.prevent(Input.Changed):
                    field.value = found[0]
                path = self._path()
        if path is None or path.is_dir():
            self._say("Type the path of a .csv or .xlsx file, or pick one above.")
            return
        select = self.query_one("#sheet-name", Select)
        sheet = None
        if self._sheet_names and isinstance(select.value, str):
            sheet = select.value
        self._forget_preview()
        self.query_one("#sheet-rows", DataTable).loading = True
        self._say(f"Reading {path.name}...")
        self._plan(str(path), sheet, self.actions.snapshot())

    @work(thread=True, exclusive=True, group="sheet-preview", description="the sheet's preview")
    def _plan(self, path: str, sheet: str | None, snapshot: Snapshot) -> None:
        try:
            preview = self.actions.plan(path, sheet, snapshot)
        except BridgeError as exc:
            self.app.call_from_thread(self._show_error, exc.message)
            return
        self.app.call_from_thread(self._show_preview, preview)

    def _show_error(self, message: str) -> None:
        self.query_one("#sheet-rows", DataTable).loading = False
        self.query_one("#sheet-rows", DataTable).clear()
        self.query_one("#sheet-columns", DataTable).clear()
        self._say(message)

    def _show_preview(self, preview: SheetPreview) -> None:
        rows = self.query_one("#sheet-rows", DataTable)
        rows.loading = False
        rows.clear()
        for r in preview.rows:
            will = _WILL[r.action] + (" (forced)" if r.forced else "")
            details = r.details()
            rows.add_row(
                Text(str(r.number)),
                Text(r.name or "(no name)"),
                Text(will, style="bold red" if r.action == "refused" else ""),
                Text(_stage_text(r.stage, r.from_stage)),
                Text(details),
            )
        cols = self.query_one("#sheet-columns", DataTable)
        cols.clear()
        for c in preview.columns:
            cols.add_row(Text(c.letter), Text(c.header or "(no header)"), Text(c.label))
        table = preview.parsed.table
        select = self.query_one("#sheet-name", Select)
        if table.kind == "xlsx" and len(table.sheets) > 1:
            if self._sheet_names != table.sheets:
                self._sheet_names = table.sheets
                with select.prevent(Select.Changed):
                    select.set_options([(Text(name), name) for name in table.sheets])
            with select.prevent(Select.Changed):
                select.value = table.sheet or Select.NULL
            select.display = True
        else:
            select.display = False
        lines = [f"{preview.where()}.", preview.summary()]
        if preview.parsed.skipped or preview.parsed.blank_rows:
            skipped = [f"row {n} ({why})" for n, why in preview.parsed.skipped]
            if preview.parsed.blank_rows:
                skipped.append(f"{preview.parsed.blank_rows} blank rows")
            lines.append("Skipped: " + "; ".join(skipped) + ".")
        self._say("\n".join(lines))
        self.preview = preview
        ready = preview.ok and preview.writes
        confirm = self.query_one("#confirm", Button)
        confirm.disabled = not ready
        if ready:
            confirm.focus()

    # the import ------------------------------------------------------------------------------

    @work(exclusive=True, group="sheet-import", description="the sheet's import")
    async def run_import(self, preview: SheetPreview) -> None:
        rows = self.query_one("#sheet-rows", DataTable)
        self.query_one("#confirm", Button).disabled = True
        rows.loading = True
        self._say(f"Importing {preview.source}...")
        await asyncio.sleep(0)  # let the loading indicator show before the write
        try:
            done = self.actions.apply(preview)
        except BridgeError as exc:
            rows.loading = False
            self._forget_preview()
            self._say(f"{exc.message} Nothing was imported.")
            return
        rows.loading = False
        self.dismiss(done)


# orchestration: the app's palette command calls this ------------------------------------------


def start_sheet_import(app: BridgeApp) -> None:
    """Palette: "Import a spreadsheet"."""
    from bridge_tui.service.sheet_import import read_sheet
    from bridge_tui.service.sheet_plan import plan_import

    service = app.service
    if service.read_only:
        app.notify(
            f"{service.file_name} is read-only: an import cannot be saved.",
            severity="warning",
            markup=False,
        )
        return

    def snapshot() -> Snapshot:
        return service.board(), service.today(), service.now()

    def plan(path: str, sheet: str | None, snap: Snapshot) -> SheetPreview:
        board, today, now = snap
        parsed = read_sheet(path, sheet)
        return plan_import(parsed, board.initiatives, board.answers, today=today, now=now)

    def apply(preview: SheetPreview) -> SheetPreview:
        return service.import_sheet(preview.parsed, expected=preview)

    def done(result: SheetPreview | None) -> None:
        if result is None:
            return
        app.notify(result.summary(), title="Imported", timeout=10, markup=False)
        app.refresh_screens()
        app.switch_mode("board")

    app.push_screen(
        SheetImportDialog(
            SheetActions(snapshot, plan, apply), service.file_name, service.path.resolve().parent
        ),
        callback=done,
    )
