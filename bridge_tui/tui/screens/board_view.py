"""The board's view: its layout, the board it has read, the selection and the keys that move
the selection or filter it. `board.BoardScreen` adds the keys that change things.

The screen orchestrates: it loads the board in two queries (`service.board()`), buckets the
initiatives in board order (stage, then name) in a pure `BoardModel`, pushes them into one
line-API column per stage, and scores cards lazily, only when drawn or selected, so a file of
10,000 initiatives opens and moves without lag.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from bridge_tui import method, scoring, sustain
from bridge_tui.board_model import BoardModel, LazyAnswers
from bridge_tui.tui.screens import board_keys
from bridge_tui.tui.screens.base import BridgeScreen
from bridge_tui.tui.screens.board_columns import StageColumns
from bridge_tui.tui.screens.board_sustain import BoardSustain
from bridge_tui.tui.widgets import board_card
from bridge_tui.tui.widgets.board_column import BoardColumn, StageTitle
from bridge_tui.tui.widgets.board_detail import BoardDetail, DetailShown
from bridge_tui.tui.widgets.boxes import Horizontal, Vertical
from bridge_tui.tui.widgets.footer import BridgeFooter

if TYPE_CHECKING:
    from bridge_tui.board_model import Shown
    from bridge_tui.service.board import Board
    from bridge_tui.service.start import Start
    from bridge_tui.tui.overview_ahead import Ready
    from bridge_tui.tui.screens import board_load
    from bridge_tui.tui.widgets.find_bar import FindBar


class BoardView(BridgeScreen):
    """The board as it is shown and walked; `BoardScreen` is the screen the app opens."""

    #: nothing takes focus by itself: the screen owns the keys (the filter only on `/`)
    AUTO_FOCUS = ""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    #: how long an action's message stays on the status line before the hint comes back
    STATUS_SECONDS = 20.0
    BINDINGS = board_keys.BINDINGS

    def __init__(self) -> None:
        super().__init__()
        #: the buckets, the filter, the Killed column and the scored cards (pure)
        self.model = BoardModel()
        #: sustain flags and views, read once per reload
        self._sustain = BoardSustain(lambda: self.service, lambda: self.reads.today())
        #: the stage columns as one selection (which column holds it, the cursor keys)
        self.columns = StageColumns(self, self.model)
        self._selected_id: str | None = None
        #: the detail pane, filled after the first paint (`_fill_detail`)
        self._detail = BoardDetail(id="detail")
        self._detail_ready = False
        self._skip_resume_reload = False
        self._loaded = False
        #: `data_key()` when the board last loaded: unchanged on return, no reload
        self._loaded_key: tuple[object, ...] | None = None
        #: while the status line shows an action's result (the hint stops updating): the
        #: reload under way when it was said. A read landing for a reload asked before it may
        #: make it untrue and clears it; one asked before it was said (an undo says what it
        #: undid once its reload is under way) leaves it. None: the hint shows.
        self._said_at: int | None = None
        self._status_timer: Timer | None = None
        #: the filter's bar, mounted the first time `/` asks for it (`action_filter`)
        self.filter_bar: FindBar | None = None

    @property
    def show_killed(self) -> bool:
        return self.model.show_killed

    @property
    def filter_text(self) -> str:
        return self.model.filter_text

    # layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        reason = self.reads.read_only_reason
        if reason:
            # why bridge will not write to it (foreign schema objects, rows that disagree with
            # their log, a forged stamp) and how to get a good copy: plain text, it wraps
            yield Static(
                Text(f" READ-ONLY  {reason}"), id="readonly-banner", classes="why", markup=False
            )
        elif self.reads.read_only:
            yield Static(
                f" READ-ONLY  {self.reads.file_name}: look around freely; moves and edits are off.",
                id="readonly-banner",
                markup=False,
            )
        with Horizontal(id="board-body"):
            with Horizontal(id="columns"):
                for stage in method.STAGES:
                    with Vertical(classes="stage", id=f"stage-{stage.id}") as box:
                        # hidden from the start, so the others are laid out once
                        box.display = stage.id != method.KILLED or self.show_killed
                        yield StageTitle(stage.label, classes="stage-title", id=f"title-{stage.id}")
                        yield BoardColumn(
                            stage.id,
                            self.card_for,
                            self.flags_for,
                            self.reads.today(),
                            flag_all=self.flags_of,
                            id=f"col-{stage.id}",
                        )
            # in place from the start, so the columns are laid out once at their final width;
            # what it shows comes after the first paint (`_fill_detail`)
            yield self._detail
        yield Static("", id="status", markup=False)
        # the filter's bar comes with the first `/` (`action_filter`), between these two
        yield BridgeFooter()

    def on_mount(self) -> None:
        self._apply_killed_visibility()
        # the data loads when the screen is first shown (on_screen_resume), not twice
        self.call_after_refresh(self._fill_detail)

    def _fill_detail(self) -> None:
        """The detail pane's content comes after the first paint: the columns are what people
        wait for. The pane itself is composed empty, in place (not Textual's `Lazy`, which
        mounts it later: the columns would be laid out twice, at their first width and again
        when the pane takes its share, every card measured each time; at 10,000 initiatives
        that was a third of a second, and the footer showed a frame after the columns)."""
        if not self._loaded:
            self.refresh_data(keep=self.bridge.selected_id)
        self._detail_ready = True
        self._show_detail()

    def say(self, message: str) -> None:
        """The status line under the board: what just happened (cheaper than a toast, and
        it stays long enough for the room to read it). It never outlives what it describes:
        it expires after `STATUS_SECONDS`, and the next action, an undo, a reload or leaving
        the board replace it (`forget_status`)."""
        self._said_at = self._reload_seq
        self.query_one("#status", Static).update(message, layout=False)
        if self._status_timer is not None:
            self._status_timer.stop()
        self._status_timer = self.set_timer(
            self.STATUS_SECONDS, self.forget_status, name="status-expiry"
        )

    def forget_status(self) -> None:
        """Back to the standing hint (counts and keys), which is always true."""
        if self._status_timer is not None:
            self._status_timer.stop()
            self._status_timer = None
        self._said_at = None
        if self.is_mounted:
            self._hint()

    def on_screen_suspend(self) -> None:
        """Another screen (not one of the board's own dialogs): the message is old news."""
        if not self._skip_resume_reload:
            self.forget_status()

    def _hint(self) -> None:
        self.query_one("#status", Static).update(self.model.hint(), layout=False)

    # data --------------------------------------------------------------------------------

    def card_for(self, initiative: Shown) -> scoring.Card:
        """Scores are computed only for cards drawn or selected, then kept until a reload."""
        return self.model.card(initiative, self.reads.today())

    def flags_for(self, initiative: Shown) -> tuple[str, ...]:
        """A card's flags without scoring it (every card's height needs them): purgatory from
        the loaded histories, the forced mark only where a forced reason is on record, and its
        sustain flags."""
        return self._flags(initiative, self.reads.today())

    def flags_of(self, items: Sequence[Shown]) -> list[tuple[str, ...]]:
        """`flags_for` of each of `items` (a column's layout: every card's height needs its
        flags, and a filter keystroke lays out 10,000 cards at most)."""
        today = self.reads.today()
        return [self._flags(i, today) for i in items]

    def _flags(self, initiative: Shown, today: date) -> tuple[str, ...]:
        kept = self.model.flags.get(initiative.id)
        if kept is not None and kept[0] is initiative and kept[1] == today:
            return kept[2]
        days, forced = self.model.marks(initiative, today)
        extra = self._sustain.flags(initiative)
        flags = tuple(
            board_card.flags(initiative, today, extra, purgatory_days=days, forced=forced)
        )
        self.model.flags[initiative.id] = (initiative, today, flags)
        return flags

    #: from this many initiatives a reload for a change made elsewhere reads in a worker
    RELOAD_IN_WORKER_FROM = 1_000
    #: from this many initiatives the first load paints each column's first cards
    #: (`head_size`: two screenfuls of them) and reads the rest in a worker (`board_load`);
    #: below it, reading everything is as quick as reading a part
    HEAD_FROM = 500
    #: cards per column in that first part; None: `head_size` works it out from the height
    HEAD_PER_STAGE: int | None = None
    #: bumped by every load, so a worker's board older than a later load is dropped
    _reload_seq = 0
    #: while the first part shows, or a reload is read in a worker: (the selection asked
    #: for, the card selected instead), so the board lands on the card asked for if nobody
    #: moved meanwhile
    _head_keep: tuple[str | None, str | None] | None = None

    @property
    def complete(self) -> bool:
        """The whole board is in (not only the first cards of a large one)."""
        return self._loaded and self.model.complete

    def head_size(self) -> int:
        """Cards per column in a large board's first part: what a column of this terminal
        can show (a card takes at least `board_card.MIN_ROWS` rows) twice over, so the first
        keys have cards to scroll into while the rest is read. At 45 rows, 20 of them."""
        if self.HEAD_PER_STAGE is not None:
            return self.HEAD_PER_STAGE
        return 2 * (self.app.size.height // board_card.MIN_ROWS + 1)

    def refresh_data(self, keep: str | None = None) -> None:
        """Reload everything (another process wrote, or an undo); keep the selection. What
        the status line said may no longer be true: the hint comes back (a caller that has
        something to say says it after). The first load of a large board shows each
        column's first cards at once and reads the rest in a worker."""
        self._reload_seq += 1
        self._loaded_key = self.data_key()
        start = self.bridge.start
        if not self._loaded and start is not None and self._show_first(start, keep):
            return
        if not self._loaded and self.service.initiative_count() >= self.HEAD_FROM:
            self._show_board(self.service.board_head(self.head_size()), keep)
            self._head_keep = (keep, self._selected_id)
            # the rest once these cards are on screen: the worker's reading would otherwise
            # share the interpreter with the first paint and slow it down
            self.call_after_refresh(self._read_rest, self._reload_seq)
            return
        self._head_keep = None
        self._show_board(self.service.board(), keep)

    def _show_first(self, start: Start, keep: str | None) -> bool:
        """The board's first paint, read before the models are loaded (`Start`): records,
        which the board shows as it shows models. False when a row is one only the models
        can judge: the service reads the board then, and says what is wrong with the file.
        The app's service replaces them at the next read; a small board, read whole here, is
        kept for the other screens as models once they are loaded (`keep_first_board`)."""
        if start.initiative_count() >= self.HEAD_FROM:
            first = start.board_head(self.head_size())
            if first is None:
                return False
            self._show_board(first[0], keep, first[1])
            self._head_keep = (keep, self._selected_id)
            self.call_after_refresh(self._read_rest, self._reload_seq)
            return True
        first = start.board()
        if first is None:
            return False
        self._head_keep = None
        self._show_board(first[0], keep, first[1], kept=False)
        if self._loaded_key is not None:
            self.bridge.keep_first_board(self._loaded_key, first[0], self.model.ordered_ids())
        return True

    def refresh_in_background(self, keep: str | None = None) -> None:
        """A teammate's save, a merge, or our own writes on another screen: at 10,000
        initiatives reading the board takes about a second, so it is read in a worker while
        the board stays as it is, keys live. `keep`: the card to select (the one another
        screen left selected), now on the board as it is and again when the read lands,
        unless the user moved meanwhile."""
        if not self._loaded or self.service.initiative_count() < self.RELOAD_IN_WORKER_FROM:
            self.refresh_data(keep=keep or self._selected_id)
            return
        if keep is not None:
            self._select_id(keep)
            self._head_keep = (keep, self._selected_id)
        self._reload_seq += 1
        self._loaded_key = self.data_key()
        self._read_board(self._reload_seq, self._widths())

    def _read_rest(self, seq: int) -> None:
        if seq == self._reload_seq and self.is_attached:
            # the first whole read: a large portfolio's overview figures come with it
            self._read_board(seq, self._widths(), figures=True)

    def _widths(self) -> dict[str, int]:
        """Each laid-out column's text width, for a worker to measure its cards at."""
        out = {}
        for stage in method.STAGE_IDS:
            column = self.column(stage)
            if column.size.width:
                out[stage] = column.text_width
        return out

    @work(thread=True, exclusive=True, group="board-reload", description="the board's read")
    def _read_board(self, seq: int, widths: dict[str, int], *, figures: bool = False) -> None:
        """In a thread, on a read-only connection of its own (`Service.reader()`): the whole
        board, bucketed, flagged and measured there (`board_load.ready_board`; `figures`:
        with a large portfolio's overview figures)."""
        today = self.reads.today()
        from bridge_tui.tui.busy import read_off_thread
        from bridge_tui.tui.screens import board_load

        ready = read_off_thread(
            self.service,
            lambda reader: board_load.ready_board(reader, today, widths, figures=figures),
        )
        self.app.call_from_thread(self._board_read, seq, ready)

    def _board_read(self, seq: int, ready: board_load.ReadyBoard | None) -> None:
        if not self.is_attached or seq != self._reload_seq:
            return  # a later load (or our own write) came after it
        keep = self._selected_id
        if self._head_keep is not None:
            asked, landed = self._head_keep
            if asked is not None and landed == self._selected_id:
                keep = asked  # nobody moved while the rest was read: the card asked for
            self._head_keep = None
        if ready is None:
            # the worker could not read the file: read it here, where a failure is said
            self._reload_seq += 1
            self._loaded_key = self.data_key()
            self._show_board(self.service.board(), keep)
            return
        self._loaded = True
        if isinstance(ready.board.answers, LazyAnswers):
            # the rest of the answers from now on on this thread's own connection
            ready.board.answers.fetch = self.service.answer_values
        self.model.adopt(ready.model)
        self.columns.set_today(ready.today)
        self._keep_whole(ready.board, ready.overview)
        self._sustain.reload(ready.board, ready.facts)
        self.columns.share_names(ready.shared)
        self.columns.rebuild(fresh=True, heights=ready.heights)
        self._select_id(keep)
        if self._said_at is None or self._said_at < seq:
            self.forget_status()

    def _show_board(
        self,
        board: Board[Any],
        keep: str | None,
        facts: sustain.Facts | None = None,
        *,
        kept: bool = True,
    ) -> None:
        """Show `board` (`facts`: its sustain facts, when read with it); `kept`: a whole board
        of models, which the app keeps for the other screens."""
        self._loaded = True
        self.columns.set_today(self.reads.today())
        self.model.load(
            board.initiatives, board.answers, board.histories, head=board.head, totals=board.totals
        )
        self._sustain.reload(board, facts)
        if kept:
            self._keep_whole(board)
        self._share_names()
        self._rebuild(keep or self._selected_id, fresh=True)
        self.forget_status()

    def _keep_whole(self, board: Board, overview: Ready | None = None) -> None:
        """A whole board read at `_loaded_key`: the app keeps it for the overview (and the
        overview's figures, when worked out with it)."""
        if self._loaded_key is not None and board.complete:
            # the buckets hold the whole board in board order: the checklist's order from them
            self.bridge.keep_board(self._loaded_key, board, self.model.ordered_ids(), overview)

    def _replace(self, updated: Shown, old: Shown | None = None) -> set[str]:
        """Our own write: swap one initiative in without reloading the file (a bisect in the
        two stages it touches). Returns the stages whose cards changed."""
        if any(w.group == "board-reload" and w.node is self and w.is_running for w in self.workers):
            # a board read before this write would hide it when it lands: read again
            self._reload_seq += 1
            self._read_board(self._reload_seq, self._widths())
        touched = self.model.replace(updated, old)
        if touched == set(method.STAGE_IDS):  # a name changed: another card's cut may too
            self._share_names()
        self._sustain.forget(updated.id)
        return touched

    def _share_names(self) -> None:
        self.columns.share_names()

    @property
    def visible_stages(self) -> list[str]:
        return self.model.visible_stages

    def _rebuild(
        self, keep: str | None, stages: set[str] | None = None, *, fresh: bool = False
    ) -> None:
        """Push the (filtered) cards of `stages` (default: all) into their columns, then put
        the cursor back on `keep` (`StageColumns.rebuild`)."""
        self.columns.rebuild(stages, fresh=fresh)
        self._select_id(keep)

    def column(self, stage: str) -> BoardColumn:
        return self.columns.column(stage)

    @property
    def current_column(self) -> BoardColumn:
        return self.columns.current

    @property
    def selected(self) -> Shown | None:
        return self.columns.selected

    # selection ---------------------------------------------------------------------------

    def _select_id(self, initiative_id: str | None) -> None:
        """Put the cursor on an initiative if it is shown; else keep the column and its row."""
        first = self._selected_id is None and initiative_id is None
        self.columns.select(initiative_id, first_paint=first)
        self._selection_changed()

    def _focus_current(self) -> None:
        self.columns.mark_current()

    def _selection_changed(self) -> None:
        current = self.selected
        self._selected_id = current.id if current else None
        if current is not None and self.bridge.selected_id != current.id:
            self.bridge.select(current.id)
        self._show_detail()

    def _show_detail(self) -> None:
        if not self._detail_ready:
            return
        current = self.selected
        if current is None:
            empty = self.model.empty_detail(self.current_column.stage)
            self._detail.shown = DetailShown(None, self.reads.today(), empty)
        else:
            self._detail.shown = DetailShown(
                self.card_for(current),
                self.reads.today(),
                after=self._sustain.of(current),
                stays=self.reads.stage_timeline(current.id),
            )

    def on_board_column_card_clicked(self, event: BoardColumn.CardClicked) -> None:
        event.stop()
        self.columns.click(event.column, event.index)
        self._selection_changed()
        if event.open and event.index >= 0:
            self.action_open()

    def on_screen_resume(self) -> None:
        if self._skip_resume_reload:
            self._skip_resume_reload = False
            self._focus_current()
            return
        # back from another screen: reload only if the data may have changed there (a reload
        # at 10,000 initiatives is a third of a second); the selection may have moved anyway
        if self._loaded_key != self.data_key():
            self.refresh_in_background(keep=self.bridge.selected_id)
        else:
            self._select_id(self.bridge.selected_id)

    def _push(self, screen: Any, callback: Any = None) -> None:
        self._skip_resume_reload = True
        self.app.push_screen(screen, callback)

    # keys: moving the selection --------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self.columns.move(delta)
        self._selection_changed()

    def action_cursor_to(self, where: str) -> None:
        self.columns.move_to(where)
        self._selection_changed()

    def action_page(self, direction: int) -> None:
        self.columns.page(direction)
        self._selection_changed()

    def action_column(self, delta: int) -> None:
        if self.columns.move_column(delta):
            self._selection_changed()

    # keys: the filter ----------------------------------------------------------------------------

    async def action_filter(self) -> None:
        # mounted when first asked for: the first paint does without its widgets
        from bridge_tui.tui.widgets.find_bar import FindBar

        bar = self.filter_bar = await FindBar.on(
            self, self.filter_bar, "filter", "Filter:", "name, owner, team or blocker"
        )
        self.add_class("-filtering")
        bar.input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "filter":
            return
        event.stop()
        self.model.filter_text = event.value.strip()
        self._rebuild(self._selected_id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "filter":
            return
        event.stop()
        if not self.filter_text:
            self.remove_class("-filtering")
        self.set_focus(None)

    def action_clear_filter(self) -> None:
        if self.filter_bar is None:  # never asked for: nothing is filtered
            self.remove_class("-filtering")
            return
        filter_input = self.filter_bar.input
        had = bool(self.filter_text) or filter_input.has_focus
        self.model.filter_text = ""
        with filter_input.prevent(Input.Changed):
            filter_input.value = ""
        self.remove_class("-filtering")
        if had:
            self.set_focus(None)
            self._rebuild(self._selected_id)

    # keys: showing things --------------------------------------------------------------------

    def action_toggle_killed(self) -> None:
        self.model.show_killed = not self.show_killed
        self._apply_killed_visibility()
        if not self.show_killed and self.columns.index >= len(self.visible_stages):
            self.columns.index = len(self.visible_stages) - 1
        self._select_id(self._selected_id)
        n = len(self.column(method.KILLED).items)
        self.say(
            f"Killed column shown ({n}) · K hides it"
            if self.show_killed
            else "Killed column hidden · K shows it"
        )

    def _apply_killed_visibility(self) -> None:
        self.query_one(f"#stage-{method.KILLED}").display = self.show_killed

    def action_toggle_detail(self) -> None:
        shown = self._detail.display and self._detail.styles.display != "none"
        self.set_class(shown, "-detail-hidden")
        self.set_class(not shown, "-detail-shown")
        self.call_after_refresh(self.current_column.scroll_to_cursor)

    def action_open(self) -> None:
        current = self.selected
        if current is None:
            self.notify("No initiative is selected.", timeout=3, markup=False)
            return
        self.bridge.open_initiative(current.id)
