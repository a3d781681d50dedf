"""Palette: "Sync with git". Commit, pull (bridge's driver merges), push, then what came in.

Git runs in a worker thread (a pull over the network must not freeze the screen); the dialog
stays dumb: it runs the function it is given and shows the text the finishing function
returns. Everything touching the file (what came in, reopening it) runs on the app's thread,
where its connection lives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from bridge_tui.errors import BridgeError
from bridge_tui.service.git_sync import SyncOutcome, sync_files
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, Vertical, VerticalScroll

if TYPE_CHECKING:
    from bridge_tui.tui.app import BridgeApp


class GitSyncDialog(ModalScreen[None]):
    """Runs `work` in a thread, then shows `finish(outcome)`; escape or enter closes it."""

    CSS_PATH = sheets("git_sync.tcss")

    BINDINGS = [Binding("escape", "close", "Close", id="git_sync.close")]

    def __init__(
        self,
        work: Callable[[], SyncOutcome],
        finish: Callable[[SyncOutcome | BridgeError], str],
        file_name: str,
    ) -> None:
        super().__init__()
        self.work = work
        self.finish = finish
        self.file_name = file_name
        #: the text shown once git is done (tests read it)
        self.result_text: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Text(f"Sync {self.file_name} with git"), classes="dialog-question", markup=False
            )
            with VerticalScroll(id="git-sync-result"):
                yield Static(
                    Text("Committing, pulling and pushing... (git is running)"),
                    id="git-sync-text",
                    markup=False,
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()
        self.run_worker(self.work, thread=True, exclusive=True, group="git-sync")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "git-sync":
            return
        if event.state == WorkerState.SUCCESS:
            result: SyncOutcome | BridgeError = worker.result  # type: ignore[assignment]
        elif event.state == WorkerState.ERROR:
            error = worker.error
            result = error if isinstance(error, BridgeError) else BridgeError(str(error))
        else:
            return
        self.result_text = self.finish(result)
        self.query_one("#git-sync-text", Static).update(Text(self.result_text))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


def start_git_sync(app: BridgeApp) -> None:
    """Palette: "Sync with git"."""
    service = app.service
    if service.read_only:
        message = service.read_only_reason or f"{service.file_name} is read-only: nothing to sync."
        app.notify(message, severity="warning", markup=False)
        return
    before = service.change_ids()
    path, author = service.path, service.author

    def finish(outcome: SyncOutcome | BridgeError) -> str:
        # the live refresh may have reopened the new file already: compare with `before`
        if app.service.reopen_if_replaced():
            app.file_reopened()
        came_in = app.service.came_in(before)
        if isinstance(outcome, BridgeError):
            return f"Not synced: {outcome.message}"
        return outcome.text(came_in)

    app.push_screen(GitSyncDialog(lambda: sync_files(path, author), finish, service.file_name))
