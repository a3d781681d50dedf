"""Small dialogs every screen uses: confirm, and ask for a written reason."""

from __future__ import annotations

from typing import TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, VerticalScroll


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no. `y`/`enter` confirms, `n`/`escape` cancels."""

    CSS_PATH = sheets("dialogs.tcss")

    BINDINGS = [
        Binding("escape,n", "cancel", "Cancel", id="confirm.cancel"),
        Binding("y", "confirm", "Confirm", id="confirm.confirm"),
    ]

    def __init__(
        self,
        question: str,
        *,
        confirm_label: str = "Yes",
        danger: bool = False,
        details: str = "",
        cancel_label: str = "Cancel",
        safe_default: bool = False,
    ) -> None:
        """`safe_default`: enter presses the cancel button (the dialog guards a step that
        is easy to take by accident, e.g. finishing a review with items left)."""
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label
        self.danger = danger
        self.details = details
        self.cancel_label = cancel_label
        self.safe_default = safe_default

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", can_focus=False):
            yield Static(self.question, classes="dialog-question", markup=False)
            if self.details:
                yield Static(self.details, classes="dialog-details", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    self.confirm_label,
                    id="confirm",
                    variant="error" if self.danger else "primary",
                )
                yield Button(self.cancel_label, id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel" if self.safe_default else "#confirm", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


_T = TypeVar("_T")


class SubmitDialog(ModalScreen[_T | None]):
    """A dialog of fields with a confirm button (id `CONFIRM`): enter in a field or that button
    calls `_submit` (which validates and dismisses with the result); escape or any other button
    dismisses with None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="submit.cancel")]
    #: the id of the button that submits
    CONFIRM = "confirm"

    def _submit(self) -> None:
        raise NotImplementedError

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == self.CONFIRM:
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonDialog(SubmitDialog[str]):
    """Ask for a written reason; returns it, or None when cancelled. Empty is refused when
    `required` (the default); otherwise it returns "". Texts are shown as typed (no markup)."""

    CSS_PATH = sheets("dialogs.tcss")

    #: what `placeholder`, `confirm_label` and `required` are when not given (a subclass for
    #: another kind of note sets its own)
    PLACEHOLDER = "Why? (recorded in the history)"
    CONFIRM_LABEL = "Save"
    REQUIRED = True

    def __init__(
        self,
        title: str,
        *,
        details: str = "",
        placeholder: str | None = None,
        confirm_label: str | None = None,
        initial: str = "",
        required: bool | None = None,
        danger: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.details = details
        self.placeholder = self.PLACEHOLDER if placeholder is None else placeholder
        self.confirm_label = self.CONFIRM_LABEL if confirm_label is None else confirm_label
        self.initial = initial
        self.required = self.REQUIRED if required is None else required
        self.danger = danger

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", can_focus=False):
            yield Static(self.title_text, classes="dialog-question", markup=False)
            if self.details:
                yield Static(self.details, classes="dialog-details", markup=False)
            yield Input(value=self.initial, placeholder=self.placeholder, id="reason")
            yield Label("", id="reason-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    self.confirm_label, id="confirm", variant="error" if self.danger else "primary"
                )
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#reason", Input)
        field.cursor_blink = not self.app.is_headless
        field.focus()

    def _submit(self) -> None:
        text = self.query_one("#reason", Input).value.strip()
        if self.required and not text:
            self.query_one("#reason-error", Label).update("A reason is required.")
            return
        self.dismiss(text)
