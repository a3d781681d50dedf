"""The overview's figures, worked out ahead (issue 13).

At 10,000 initiatives the overview's figures (`Service.overview_data`) take a third of a second
or more of the interpreter, and its first opening waited for them behind a loading indicator.
Once the board has read a large portfolio whole, the app works them out in a thread, from that
same read (`keep_board`), and keeps them with the data key they belong to. The overview's first
opening takes them when the key still holds (nobody wrote, the app did not reload, the day did
not turn); while they are still being worked out, its worker waits for them instead of working
them out a second time. Anything else, and the overview reads as it always did.

The thread shares the interpreter with the keys: started as the board got its last card, it
doubled a key pressed then (the checklist opened at once at 10,000: 0.85-1.1 s against 0.3 s).
So from `QUIET_FROM` initiatives it begins once the keys are quiet (`later`), and an opening
before that reads for itself; a smaller portfolio's figures (30-40 ms at 1,000) are worked
out at once, as a key pressed meanwhile barely notices them.

The board's first whole read (at start-up, in the board's own worker, while its columns are
still getting their cards) works the figures out with it instead (`board_load.ready_board`),
and they are kept here as done (`keep`): the overview then opens with them even when its key
comes with the last card. The board gets its last card that much later (0.6-0.7 s at 10,000,
headless: they share the interpreter with the app's thread then); a later read of the board
(a teammate's save) leaves them to the quiet keys, as above.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from textual.app import App

    from bridge_tui.service import Board, Service
    from bridge_tui.service.sustain import OverviewData

Key = tuple[object, ...]


class Ready(NamedTuple):
    """The overview's figures, with which of its heat map's names start alike: both worked
    out off the app's thread (the names took 30 ms of it at 10,000 as the map was filled)."""

    figures: OverviewData
    #: `name_fit.shared_prefixes` of the heat map's names
    shared: dict[str, int]


def ready(figures: OverviewData) -> Ready:
    """`figures` with the heat map's names that start alike worked out (in a worker)."""
    from bridge_tui.tui.widgets import name_fit

    return Ready(figures, name_fit.shared_prefixes([r.name for r in figures.figures.heat]))


class OverviewAhead:
    """At most one set of figures, for one data key; taken once."""

    #: from this many initiatives (the overview's own threshold for reading in a worker)
    FROM = 1_000
    #: from this many initiatives the figures take long enough (0.6-0.8 s at 10,000) to wait
    #: for the keys to be quiet; below it they are worked out at once
    QUIET_FROM = 2_500

    def __init__(self) -> None:
        self._kept: tuple[Key, Future[Ready | None]] | None = None

    @classmethod
    def worth_it(cls, board: Board) -> bool:
        """A whole board large enough (`FROM`) for its figures to be worked out ahead."""
        return board.complete and len(board.initiatives) >= cls.FROM

    def start(
        self,
        app: App[Any],
        service: Service,
        key: Key,
        board: Board,
        later: Callable[[Callable[[], None]], None] | None = None,
        order: list[str] | None = None,
    ) -> None:
        """Work out the figures of `board` (the whole board, read at `key`; `order`: its ids
        in board order, when known) in a thread: at once, or from `QUIET_FROM` initiatives
        when `later` runs its action (once the keys are quiet); what was kept for another
        key is dropped."""
        self._kept = None
        if not self.worth_it(board):
            return
        from bridge_tui.tui.busy import read_off_thread

        future: Future[Ready | None] = Future()
        self._kept = (key, future)

        def work() -> None:
            try:
                data = read_off_thread(service, lambda r: r.overview_data(board, order))
                future.set_result(None if data is None else ready(data))
            except Exception:  # the overview reads for itself and says what went wrong
                future.set_result(None)

        def begin() -> None:
            if self._kept is None or self._kept[1] is not future:
                return  # taken by an opening first (it read for itself), or replaced
            future.set_running_or_notify_cancel()
            app.run_worker(
                work,
                thread=True,
                group="overview-ahead",
                description="the overview's figures, worked out ahead",
                exit_on_error=False,
            )

        if later is not None and len(board.initiatives) >= self.QUIET_FROM:
            later(begin)
        else:
            begin()

    def keep(self, key: Key, figures: Ready) -> None:
        """Figures already worked out for `key` (with the board's first whole read, in its
        worker: `board_load.ready_board`), kept for the overview's first opening."""
        future: Future[Ready | None] = Future()
        future.set_running_or_notify_cancel()
        future.set_result(figures)
        self._kept = (key, future)

    @property
    def pending(self) -> bool:
        """Figures are kept that are not worked out yet (waiting for quiet keys, or being
        worked out)."""
        return self._kept is not None and not self._kept[1].done()

    def take(self, key: Key) -> Future[Ready | None] | None:
        """The figures being worked out (or done) for `key`, handed over once; None when
        there are none for it, or they were not begun yet (the opening reads for itself).
        Whatever was kept is let go either way."""
        kept, self._kept = self._kept, None
        if kept is None or kept[0] != key:
            return None
        future = kept[1]
        return future if future.running() or future.done() else None
