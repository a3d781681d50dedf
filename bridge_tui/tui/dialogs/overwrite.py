"""The app's side of the output rules: a file it would write already exists, so it asks.

`r` replaces the file, `k` (the default button) keeps both by writing under the next free
name, escape writes nothing. The dialog stays dumb; `write_asking` runs the writes through a
function the caller hands it, so neither touches the service's internals.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from bridge_tui.errors import BridgeError, OutputExists
from bridge_tui.tui.busy import run_busy
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, VerticalScroll

if TYPE_CHECKING:
    from bridge_tui.service import Service
    from bridge_tui.tui.app import BridgeApp

Choice = Literal["replace", "keep"]
#: (a read-only service, path or None for the default name, force) -> where it was written;
#: raises BridgeError. Runs in a worker thread: it must use the service it is given.
Writer = Callable[["Service", Path | None, bool], Path]


class OverwriteDialog(ModalScreen[Choice | None]):
    """Replace the existing file, keep both (write under `alternative`), or cancel."""

    CSS_PATH = sheets("output_dialogs.tcss")

    BINDINGS = [
        Binding("escape,n", "cancel", "Cancel", id="overwrite.cancel"),
        Binding("r", "choose('replace')", "Replace", id="overwrite.choose_replace"),
        Binding("k", "choose('keep')", "Keep both", id="overwrite.choose_keep"),
    ]

    def __init__(self, existing: str, alternative: str, folder: str) -> None:
        super().__init__()
        self.existing = existing
        self.alternative = alternative
        self.folder = folder

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", can_focus=False):
            yield Static(
                f"{self.existing} already exists {self.folder}.",
                classes="dialog-question",
                markup=False,
            )
            yield Static(
                f"Replace it with the new one (r), or keep both and write {self.alternative} "
                "(k)? Escape writes nothing.",
                classes="dialog-details",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Replace", id="replace", variant="error")
                yield Button("Keep both", id="keep", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id in ("replace", "keep"):
            self.dismiss(event.button.id)  # type: ignore[arg-type]
        else:
            self.dismiss(None)

    def action_choose(self, choice: Choice) -> None:
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


def write_asking(
    app: BridgeApp,
    write: Writer,
    written: Callable[[Path], None],
    what: str,
) -> None:
    """Write an output to its default name; if that file exists, ask before replacing it.

    `what` names the output in messages ("The report"); `written` is told where it went. The
    writing runs in a worker thread on a read-only service of its own (`run_busy`: a loading
    line meanwhile, the keys stay live); `write` gets that service."""

    def fail(exc: BridgeError) -> None:
        app.notify(
            exc.message, title=f"{what} not written", severity="error", timeout=8, markup=False
        )

    def first_failed(exc: BridgeError) -> None:
        if not isinstance(exc, OutputExists):
            fail(exc)
            return
        existing = Path(exc.path)
        alternative = app.service.free_name(existing)

        def chosen(choice: Choice | None) -> None:
            if choice is None:
                app.notify(f"{what} was not written; {existing.name} is unchanged.", markup=False)
                return
            if choice == "replace":
                run_busy(app, busy, lambda svc: write(svc, existing, True), written, fail)
            else:
                run_busy(app, busy, lambda svc: write(svc, alternative, False), written, fail)

        where = f"next to {app.service.file_name}"
        if existing.parent != app.service.path.resolve().parent:
            where = f"in {existing.parent}"
        app.push_screen(OverwriteDialog(existing.name, alternative.name, where), chosen)

    busy = f"Writing {what[:1].lower() + what[1:]}…"
    run_busy(app, busy, lambda svc: write(svc, None, False), written, first_failed)
