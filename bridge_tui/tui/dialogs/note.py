"""Write or change the evidence note behind one answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Input, Static

from bridge_tui.tui.dialogs.common import SubmitDialog
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, VerticalScroll


class NoteDialog(SubmitDialog[str]):
    """Returns the new note (may be empty, which clears it), or None when cancelled.

    `enter` saves, `escape` cancels. It never saves by itself: the screen that opened it does,
    so a live refresh behind it cannot lose what is being typed.
    """

    CSS_PATH = sheets("checklist.tcss")

    def __init__(self, key: str, description: str, note: str, *, context: str = "") -> None:
        super().__init__()
        self.key = key
        self.description = description
        self.note = note
        self.context = context

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", can_focus=False):
            yield Static("Evidence note", classes="dialog-question", markup=False)
            yield Static(self.description, classes="dialog-details", markup=False)
            if self.context:
                yield Static(self.context, classes="dialog-details", markup=False)
            yield Input(
                value=self.note,
                placeholder="What shows it: a link, a document, a date, a name",
                max_length=4000,
                id="note",
            )
            yield Static(
                "enter saves · escape cancels · an empty note clears it",
                classes="dialog-hint",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="confirm", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        note = self.query_one("#note", Input)
        note.cursor_blink = False if self.app.is_headless else note.cursor_blink
        note.focus()

    def _submit(self) -> None:
        self.dismiss(self.query_one("#note", Input).value.strip())
