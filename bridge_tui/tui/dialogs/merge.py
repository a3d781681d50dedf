"""Dialogs for sharing the file: write a safe copy, and merge a teammate's copy after a preview.

They stay dumb: the app hands them a function that runs the dry run (for the preview) and acts
on what they return (the path), so no dialog calls the service or the store itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Static

from bridge_tui.errors import BridgeError
from bridge_tui.tui.dialogs.common import SubmitDialog
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, Vertical, VerticalScroll
from bridge_tui.tui.widgets.file_pick import FileTree, PathSuggester

if TYPE_CHECKING:
    from bridge_tui.service import Service

#: what a bridge file (or a shared copy of one) is called
COPY_SUFFIXES = frozenset({".db", ".sqlite", ".sqlite3", ".bridge"})

#: path -> (preview text, whether applying it makes sense); raises nothing, reports in the text
Previewer = Callable[[str], tuple[str, bool]]


class ShareDialog(SubmitDialog[str]):
    """Ask where to write the copy; returns the path, or None when cancelled."""

    CSS_PATH = sheets("sharing_dialogs.tcss")

    def __init__(self, suggestion: str, file_name: str) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.file_name = file_name

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", can_focus=False):
            yield Static("Share a safe copy", classes="dialog-question", markup=False)
            yield Static(
                f"Writes a checked copy of {self.file_name} (history included) for a teammate "
                'to work on. Merge it back later with "Merge a teammate\'s copy". An existing '
                "file is never overwritten.",
                classes="dialog-details",
                markup=False,
            )
            yield Input(value=self.suggestion, placeholder="path of the copy", id="share-path")
            yield Label("", id="share-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write copy", id="confirm", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#share-path", Input)
        field.cursor_blink = False
        field.focus()

    def _submit(self) -> None:
        path = self.query_one("#share-path", Input).value.strip()
        if not path:
            self.query_one("#share-error", Label).update("Give a path for the copy.")
            return
        self.dismiss(path)


class MergeDialog(ModalScreen[str | None]):
    """Path, then a preview of the dry run, then Merge. Returns the path to merge, or None."""

    CSS_PATH = sheets("sharing_dialogs.tcss")

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="merge.cancel")]

    def __init__(
        self, preview: Previewer, file_name: str, initial: str = "", folder: Path | None = None
    ) -> None:
        super().__init__()
        self.preview = preview
        self.file_name = file_name
        #: where the tree and the completion start (the open file's folder)
        self.folder = folder
        self.initial = initial or (str(folder) + os.sep if folder is not None else "")
        #: the path the preview on screen belongs to; Merge applies only that one
        self.previewed: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Merge a teammate's copy", classes="dialog-question", markup=False)
            yield Static(
                f"Folds their copy into {self.file_name}: the newest change of each field wins; "
                "fields you both changed are listed. Their file is not changed.",
                classes="dialog-details",
                markup=False,
            )
            folder = self.folder or Path.cwd()
            yield Input(
                value=self.initial,
                placeholder="path of their .db file (→ completes)",
                suggester=PathSuggester(folder, COPY_SUFFIXES),
                select_on_focus=False,
                id="merge-path",
            )
            if self.folder is not None:
                yield FileTree(self.folder, suffixes=COPY_SUFFIXES, id="merge-tree")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Preview", id="preview")
                yield Button("Merge", id="confirm", variant="primary", disabled=True)
                yield Button("Cancel", id="cancel")
            with VerticalScroll(id="merge-preview"):
                yield Static(
                    "Press enter to preview what the merge would do.",
                    id="merge-preview-text",
                    markup=False,
                )

    def on_mount(self) -> None:
        field = self.query_one("#merge-path", Input)
        field.cursor_blink = False
        field.cursor_position = len(field.value)
        field.focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        """A file picked in the tree: its path goes in the field and the preview runs."""
        event.stop()
        self.query_one("#merge-path", Input).value = str(event.path)
        self._preview()

    def _preview(self) -> None:
        path = self.query_one("#merge-path", Input).value.strip()
        text_widget = self.query_one("#merge-preview-text", Static)
        merge_button = self.query_one("#confirm", Button)
        if not path:
            text_widget.update("Type the path of your teammate's copy first.")
            merge_button.disabled = True
            return
        merge_button.disabled = True
        self.previewed = None
        self.query_one("#merge-preview").loading = True
        self._run_preview(path)

    @work(thread=True, exclusive=True, group="merge-preview", description="the merge preview")
    def _run_preview(self, path: str) -> None:
        """In a thread, on its own read-only connection (the previewer opens one): reading a
        large copy takes a second or more, and the keyboard stays live meanwhile."""
        try:
            text, applicable = self.preview(path)
        except Exception as exc:  # never a traceback in the room: say it in the pane
            text, applicable = f"The preview failed: {exc}", False
        self.app.call_from_thread(self._show_preview, path, text, applicable)

    def _show_preview(self, path: str, text: str, applicable: bool) -> None:
        if not self.is_attached:  # cancelled while it ran
            return
        self.query_one("#merge-preview").loading = False
        if self.query_one("#merge-path", Input).value.strip() != path:
            return  # the path changed meanwhile: this preview is not of it
        text_widget = self.query_one("#merge-preview-text", Static)
        merge_button = self.query_one("#confirm", Button)
        text_widget.update(text)
        self.previewed = path if applicable else None
        merge_button.disabled = not applicable
        if applicable:
            self._show_tree(False)  # the preview needs the room; a new path brings it back
            merge_button.focus()

    def _show_tree(self, shown: bool) -> None:
        for tree in self.query("#merge-tree"):
            tree.display = shown

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.previewed is not None and event.value.strip() != self.previewed:
            self.previewed = None
            self.query_one("#confirm", Button).disabled = True
            self._show_tree(True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._preview()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "preview":
            self._preview()
        elif event.button.id == "confirm" and self.previewed is not None:
            self.dismiss(self.previewed)
        elif event.button.id == "cancel":
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


# orchestration: the app's palette commands call these ------------------------------------------


def preview_text(service: Service, path: str) -> tuple[str, bool]:
    """The dry run in words, for the preview pane."""
    try:
        report = service.merge(path, dry_run=True)
    except BridgeError as exc:
        return exc.message, False
    if report.nothing_new:
        return report.summary(), False
    lines: list[str] = []
    if report.added:
        lines.append("Would add:")
        for a in report.added[:30]:
            where = f"{a.initiative}: " if a.initiative and a.entity != "initiative" else ""
            lines.append(f"  + {where}{a.what}: {a.new}")
        if len(report.added) > 30:
            lines.append(f"  ... and {len(report.added) - 30} more")
    if report.changed:
        lines.append("Would change:")
        for c in report.changed[:30]:
            lines.append(f"  ~ {c.initiative}: {c.what}: {c.old} -> {c.new} ({c.author})")
        if len(report.changed) > 30:
            lines.append(f"  ... and {len(report.changed) - 30} more")
    major = [c for c in report.conflicts if not c.minor]
    if major:
        lines.append("Conflicts (you both changed these; the newer change is kept):")
        now = service.now()
        lines.extend(f"  ! {k.sentence(now)}" for k in major)
    lines.append(report.summary())
    return "\n".join(lines), True
