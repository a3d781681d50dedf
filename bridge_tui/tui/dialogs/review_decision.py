"""The review's decision dialog: a note (or a required reason) for keep, promote, kill, defer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from bridge_tui.tui.dialogs.common import SubmitDialog


class ReviewDecisionDialog(SubmitDialog[str]):
    """Returns the note (possibly empty when not required), or None when cancelled."""

    def __init__(
        self,
        title: str,
        *,
        details: str = "",
        required: bool = False,
        placeholder: str = "Note for the minutes (optional)",
        confirm_label: str = "Record",
        danger: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.details = details
        self.required = required
        self.placeholder = placeholder
        self.confirm_label = confirm_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-question", markup=False)
            if self.details:
                yield Static(self.details, classes="dialog-details", markup=False)
            yield Input(placeholder=self.placeholder, id="note")
            yield Label("", id="note-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    self.confirm_label, id="confirm", variant="error" if self.danger else "primary"
                )
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        note = self.query_one("#note", Input)
        note.cursor_blink = False
        note.focus()

    def _submit(self) -> None:
        text = self.query_one("#note", Input).value.strip()
        if self.required and not text:
            self.query_one("#note-error", Label).update("A reason is required.")
            return
        self.dismiss(text)
