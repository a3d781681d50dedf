"""Slow work off the app's thread, with a loading indicator, so the keyboard never freezes.

`run_busy` runs a job in a Textual worker thread on a read-only service of its own
(`Service.reader()`: the app's sqlite connection stays on the app's thread), shows a small
"busy" line with a loading indicator at the bottom of the screen meanwhile, and hands the
result (or the error, in one sentence) back on the app's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import ComposeResult
from textual.geometry import Region
from textual.widgets import LoadingIndicator, Static
from textual.worker import Worker

from bridge_tui.errors import BridgeError
from bridge_tui.memory import quiet_load
from bridge_tui.tui.widgets.boxes import Horizontal

if TYPE_CHECKING:
    from bridge_tui.service import Service
    from bridge_tui.tui.app import BridgeApp

T = TypeVar("T")

#: the worker group of every job run here (tests wait for it)
BUSY_GROUP = "busy"


class BusyNote(Horizontal):
    """ "⠿ Writing the copy…": shown while a job runs, removed when it ends."""

    DEFAULT_CSS = """
    BusyNote {
        dock: bottom;
        height: 1;
        margin-bottom: 1;
        background: $panel;
    }
    BusyNote LoadingIndicator { width: 8; height: 1; min-height: 1; }
    BusyNote Static { width: 1fr; height: 1; }
    """

    def __init__(self, label: str) -> None:
        super().__init__(classes="busy-note")
        self.label = label

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        yield Static(self.label, markup=False)


class PaneLoading(LoadingIndicator):
    """The indicator over a pane that is loading (`Widget.loading`, through
    `BridgeApp.get_loading_widget`): Textual's, whose dots are drawn on the pane's middle line,
    repainting that line alone on each of its 16 frames a second instead of the whole pane.
    Over the overview's two panes at 160x45 that halves what the animation takes of the
    interpreter (160 -> 80 ms a second, measured headless), which is what the worker behind
    it is waiting for."""

    def automatic_refresh(self) -> None:
        if self.is_on_screen:
            self.refresh(self.dots_region())

    def dots_region(self) -> Region:
        """The lines the dots may be drawn on: content-align middle puts their one line at
        (height - 1) // 2; that line and the next, whichever way an even height rounds."""
        width, height = self.size
        return Region(0, max(0, (height - 1) // 2), width, 2)


def run_busy(
    app: BridgeApp,
    label: str,
    job: Callable[[Service], T],
    done: Callable[[T], None],
    fail: Callable[[BridgeError], None],
    *,
    write: bool = False,
    undoable: bool = False,
) -> Worker[None]:
    """Run `job(reader)` in a worker thread; then `done(result)` or `fail(error)` on the app's
    thread. The busy line shows `label` (e.g. "Writing the report…") until then. With
    `write`, the job gets a service that may write to the file (`Service.writer()`); once it
    has written, the screens reload without calling it a teammate's change
    (`took_in_own_write`), and with `undoable` its transactions join this session's undo
    (`ctrl+z` takes them back as any edit)."""
    note = BusyNote(label)
    app.screen.mount(note)
    if write:
        app.own_writes += 1  # its commit is this app's own write, not a teammate's

    def finish(outcome: Callable[[], None], reader: Service | None, wrote: bool) -> None:
        if write:
            app.own_writes -= 1
        if note.is_attached:
            note.remove()
        if reader is not None:
            app.service.adopt_checks(reader)
            if wrote:
                if undoable:
                    app.service.session_txs.extend(reader.session_txs)
                app.took_in_own_write()
        outcome()

    def work() -> None:
        reader: Service | None = None
        outcome: Callable[[], Any]
        wrote = False
        try:
            reader = app.service.writer() if write else app.service.reader()
            with quiet_load():
                result = job(reader)
            outcome = partial(done, result)
            wrote = write
        except BridgeError as exc:
            outcome = partial(fail, exc)
        except Exception as exc:  # never a traceback in the room: say it in one sentence
            outcome = partial(fail, BridgeError(f"{label.rstrip('…')} failed: {exc}."))
        finally:
            if reader is not None:
                reader.close()
        app.call_from_thread(finish, outcome, reader, wrote)

    return app.run_worker(work, thread=True, group=BUSY_GROUP, exit_on_error=False)


def read_off_thread(service: Service, read: Callable[[Service], T]) -> T | None:
    """In a worker thread: `read(reader)` on a read-only service of its own (`reader()`),
    with the garbage collector paused (`quiet_load`). None when the file cannot be read
    there: the caller then reads on the app's thread, which says why in its own way."""
    try:
        reader = service.reader()
        try:
            with quiet_load():
                return read(reader)
        finally:
            reader.close()
    except BridgeError:
        return None
