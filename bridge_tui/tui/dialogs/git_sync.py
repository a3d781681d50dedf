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
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from bridge_tui.errors import BridgeError
from bridge_tui.service.git_sync import SyncOutcome, sync_files

if TYPE_CHECKING:
    from bridge_tui.service.sharing import HistoryEntry
    from bridge_tui.tui.app import BridgeApp

#: lines of "came in" shown before "... and N more"
SHOWN = 40


class GitSyncDialog(ModalScreen[None]):
    """Runs `work` in a thread, then shows `finish(outcome)`; escape or enter closes it."""

    BINDINGS = [Binding("escape", "close", "Close")]

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


def sync_text(outcome: SyncOutcome | BridgeError, came_in: list[HistoryEntry]) -> str:
    """The sync in words: what git did, what came in, what conflicted, or why it stopped."""
    if isinstance(outcome, BridgeError):
        return f"Not synced: {outcome.message}"
    lines = list(outcome.steps)
    if not outcome.ok:
        lines.append(("Not synced: " if not lines else "Stopped: ") + outcome.message)
        return "\n".join(lines)
    lines.insert(0, outcome.message)
    if came_in:
        lines.append(f"Came in ({len(came_in)}):")
        for e in came_in[:SHOWN]:
            lines.append(f"  {e.author}: {e.description}")
        if len(came_in) > SHOWN:
            lines.append(f"  ... and {len(came_in) - SHOWN} more (H shows the history)")
    else:
        lines.append("Came in: nothing new for the portfolio.")
    conflicts = outcome.conflict_lines()
    if conflicts:
        lines.append(
            f"Conflicts ({len(conflicts)}: you both changed these; the newer change is kept, "
            "the other stays in the history):"
        )
        lines.extend(f"  ! {c}" for c in conflicts)
    return "\n".join(lines)


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
        return sync_text(outcome, came_in)

    app.push_screen(GitSyncDialog(lambda: sync_files(path, author), finish, service.file_name))
