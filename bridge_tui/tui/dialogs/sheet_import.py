"""The palette's "Import a spreadsheet": pick a file, read the preview, import or cancel.

The dialog stays dumb: the app hands it two functions (`SheetActions`) and acts on what they
return. Reading the sheet and the portfolio and planning run in a worker thread (a 50 MB sheet
or 10,000 initiatives must not freeze the room's screen), and so does the write, on a
connection of its own (a thousand rows take seconds). Every value from the sheet is shown as
plain text, never markup.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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
    from datetime import date, datetime

    from bridge_tui.service import Board, Service
    from bridge_tui.tui.app import BridgeApp

    #: the portfolio as the preview plans against it: (board, today, now)
    Snapshot = tuple[Board, date, datetime]


#: called on the app's thread with the import's result, or with why nothing was imported
Done = Callable[[SheetPreview], None]
Failed = Callable[[BridgeError], None]


@dataclass(frozen=True)
class SheetActions:
    """What the dialog may do: plan an import of a sheet against the portfolio as it is now
    (called in a worker thread), and start writing a previewed plan (on the app's thread: it
    writes in a worker, then calls back on the app's thread with the result or the refusal)."""

    plan: Callable[[str, str | None], SheetPreview]
    apply: Callable[[SheetPreview, Done, Failed], object]


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
        #: an import is being written: it is one transaction, so it is not cancelled midway
        self.importing = False

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
            self.action_cancel()

    def action_cancel(self) -> None:
        if not self.importing:
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
        self._plan(str(path), sheet)

    @work(thread=True, exclusive=True, group="sheet-preview", description="the sheet's preview")
    def _plan(self, path: str, sheet: str | None) -> None:
        try:
            preview = self.actions.plan(path, sheet)
        except BridgeError as exc:
            self.app.call_from_thread(self._show_error, exc.message)
            return
        except Exception as exc:  # never a traceback in the room: say it in the dialog
            self.app.call_from_thread(self._show_error, f"The preview failed: {exc}.")
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

    def run_import(self, preview: SheetPreview) -> None:
        """Write `preview`: the keys stay live while it is written; Import, Preview and Cancel
        wait for the outcome."""
        self.importing = True
        for button in self.query(Button):
            button.disabled = True
        self.query_one("#sheet-rows", DataTable).loading = True
        self._say(f"Importing {preview.source}...")
        self.actions.apply(preview, self._imported, self._not_imported)

    def _imported(self, done: SheetPreview) -> None:
        self.importing = False
        if self.is_attached:
            self.dismiss(done)

    def _not_imported(self, exc: BridgeError) -> None:
        self.importing = False
        if not self.is_attached:
            return
        self.query_one("#sheet-rows", DataTable).loading = False
        self.query_one("#preview", Button).disabled = False
        self.query_one("#cancel", Button).disabled = False
        self._forget_preview()
        self._say(f"{exc.message} Nothing was imported.")


# orchestration: the app's palette command calls this ------------------------------------------


def start_sheet_import(app: BridgeApp) -> None:
    """Palette: "Import a spreadsheet"."""
    from bridge_tui.service.sheet_import import read_sheet
    from bridge_tui.service.sheet_plan import plan_import
    from bridge_tui.tui.busy import read_off_thread, run_busy

    service = app.service
    if service.read_only:
        app.notify(
            f"{service.file_name} is read-only: an import cannot be saved.",
            severity="warning",
            markup=False,
        )
        return

    def snapshot(reads: Service) -> Snapshot:
        return reads.board(), reads.today(), reads.now()

    def plan(path: str, sheet: str | None) -> SheetPreview:
        """In the dialog's worker thread: the sheet, and the portfolio read on a connection of
        the thread's own; when the file cannot be read there, on the app's (which says why)."""
        parsed = read_sheet(path, sheet)
        snap = read_off_thread(app.service, snapshot)
        if snap is None:
            snap = app.call_from_thread(snapshot, app.service)
        board, today, now = snap
        return plan_import(parsed, board.initiatives, board.answers, today=today, now=now)

    def apply(preview: SheetPreview, imported: Done, failed: Failed) -> None:
        def write(writer: Service) -> SheetPreview:
            return writer.import_sheet(preview.parsed, expected=preview)

        busy = f"Importing {preview.source}…"
        run_busy(app, busy, write, imported, failed, write=True, undoable=True)

    def done(result: SheetPreview | None) -> None:
        if result is None:
            return
        app.notify(result.summary(), title="Imported", timeout=10, markup=False)
        app.switch_mode("board")

    app.push_screen(
        SheetImportDialog(
            SheetActions(plan, apply), service.file_name, service.path.resolve().parent
        ),
        callback=done,
    )
