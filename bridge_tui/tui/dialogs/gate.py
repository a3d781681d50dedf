"""The gate dialog: a forward move the method refuses, with everything it still needs.

Two ways out: cancel (escape), or force the move with a written reason that is recorded and
marks the card as forced. Returns the reason to force with, or None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Input, Label, Static

from bridge_tui import method
from bridge_tui.tui.dialogs.common import SubmitDialog
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, VerticalScroll


def unmet_lines(unmet: tuple[str, ...]) -> list[str]:
    """Every unmet requirement in plain words, in the order the method lists them."""
    return [method.describe_requirement(k) for k in unmet]


class GateDialog(SubmitDialog[str]):
    CSS_PATH = sheets("board_dialogs.tcss")
    CONFIRM = "force"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    def __init__(
        self,
        name: str,
        target: str,
        unmet: tuple[str, ...],
        *,
        warnings: tuple[str, ...] = (),
        lines: tuple[str, ...] = (),
    ) -> None:
        """`lines`: the unmet requirements already in words (`GateCheck.lines`, which explain
        an owner who does not qualify); by default they are described from `unmet`."""
        super().__init__()
        self.initiative_name = name
        self.target = target
        self.unmet = unmet
        self.warnings = warnings
        self.lines = lines or tuple(unmet_lines(unmet))

    def compose(self) -> ComposeResult:
        label = method.STAGE_BY_ID[self.target].label
        n = len(self.unmet)
        with VerticalScroll(classes="dialog", can_focus=False):
            yield Static(
                f"{self.initiative_name} cannot move to {label} yet",
                classes="dialog-question",
                markup=False,
            )
            yield Static(
                f"The gate into {label} still needs {n} thing{'s' if n != 1 else ''}:",
                classes="dialog-details",
                markup=False,
            )
            with VerticalScroll(id="gate-unmet"):
                for line in self.lines:
                    yield Static(f"✗ {line}", classes="gate-item", markup=False)
            for warning in self.warnings:
                yield Static(f"⚠ {warning}", classes="gate-warning", markup=False)
            yield Static(
                "Escape cancels. To force it anyway, write why and press enter: the reason is "
                "recorded and the card will show that it was forced.",
                classes="dialog-details",
                markup=False,
            )
            yield Input(placeholder="Reason for forcing", id="reason")
            yield Label("", id="reason-error", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel", variant="primary", compact=True)
                yield Button(f"Force into {label}", id="force", variant="error", compact=True)

    def on_mount(self) -> None:
        self.set_class(len(self.warnings) > 1, "-warned")
        self.query_one("#reason", Input).cursor_blink = not self.app.is_headless
        self.query_one("#reason", Input).focus()

    def _submit(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one("#reason-error", Label).update(
                "Write a reason to force the move (or press escape to cancel)."
            )
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(reason)
