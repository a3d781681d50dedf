"""The portfolio overview (key 4): the four questions, the funnel, the heat map, the lists.

Every figure comes from `scoring.overview` through the service. Enter on any initiative (in the
answers list or the heat map) opens it on the board with that card selected.
"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from bridge_tui.service.initiatives import Board
from bridge_tui.service.sustain import OverviewData
from bridge_tui.tui.busy import read_off_thread
from bridge_tui.tui.dialogs.overwrite import write_asking
from bridge_tui.tui.overview_ahead import Ready, ready
from bridge_tui.tui.screens.base import BridgeScreen
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, VerticalScroll
from bridge_tui.tui.widgets.footer import BridgeFooter
from bridge_tui.tui.widgets.overview_answers import AnswersData, OverviewAnswers
from bridge_tui.tui.widgets.overview_funnel import BlockerCounts, StageFunnel
from bridge_tui.tui.widgets.overview_heatmap import HeatMap

if TYPE_CHECKING:
    from bridge_tui.tui.app import BridgeApp


class OverviewScreen(BridgeScreen):
    CSS_PATH = sheets("overview.tcss")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding("enter", "open_selected", "Open on board", show=False, id="overview.open_selected"),
        Binding(
            "h", "focus_heat", "Heat map", tooltip="Move to the heat map", id="overview.focus_heat"
        ),
        Binding(
            "a",
            "focus_answers",
            "Answers",
            tooltip="Move to the four questions",
            id="overview.focus_answers",
        ),
        Binding(
            "w",
            "write_report",
            "Report",
            tooltip="Write the Markdown report next to the file",
            id="overview.write_report",
        ),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers the move to the other pane only (h from the answers, a from the
        heat map): the key to where the cursor already is does nothing."""
        if action == "focus_heat":
            return not isinstance(self.focused, HeatMap)
        if action == "focus_answers":
            return not isinstance(self.focused, OverviewAnswers)
        return True

    _loaded_key: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="ov-headline", markup=False)
        with Horizontal(id="ov-top"):
            yield OverviewAnswers(id="ov-answers")
            with VerticalScroll(id="ov-side", can_focus=False):
                yield StageFunnel(id="ov-funnel")
                yield BlockerCounts(id="ov-blockers")
        yield HeatMap(id="ov-heat")
        yield BridgeFooter()

    #: from this many initiatives the first load runs in a worker thread, with a loading
    #: indicator, so the keys stay live meanwhile (10,000 take seconds to score)
    LOAD_IN_WORKER_FROM = 1_000
    #: bumped by every load, so a worker's result older than a later load is dropped
    _load_seq = 0

    def on_mount(self) -> None:
        self.query_one("#ov-answers", OverviewAnswers).border_title = "The four questions"
        heat = self.query_one("#ov-heat", HeatMap)
        heat.border_title = "Heat map (s sorts by this column, < > pick the sort column)"
        if self.service.initiative_count() >= self.LOAD_IN_WORKER_FROM:
            self._load_seq += 1
            key = self._loaded_key = self.data_key()
            ahead = self.bridge.overview_ahead.take(key)
            done = ahead.result() if ahead is not None and ahead.done() else None
            if done is not None:
                # worked out while the board showed: no indicator, no second reading
                self._loaded(self._load_seq, done)
            else:
                self._set_loading(True)
                self.query_one("#ov-headline", Static).update(
                    f"Scoring {self.service.initiative_count():,} initiatives…"
                )
                self._load_in_worker(self._load_seq, key, ahead)
        else:
            self.refresh_data()
        self.query_one("#ov-answers", OverviewAnswers).focus()

    def on_screen_resume(self) -> None:
        # Coming back from the board or a review: reload only if something changed, so a
        # large portfolio does not pay for a reload on every switch; a large one reads in its
        # worker, keys live, showing what it had until the new figures land (as after a
        # teammate's save): on the app's thread that read held the keyboard for a second.
        if self._loaded_key != self.data_key():
            self.refresh_in_background()

    def prepare_ahead(self) -> None:
        """Built ahead (`screens_ahead`): read what the first opening would (a small
        portfolio is read as the screen first shows, not as it mounts)."""
        self.on_screen_resume()

    def refresh_data(self) -> None:
        if not self.is_mounted:
            return
        self._load_seq += 1
        self._loaded_key = self.data_key()
        self._fill(self.service.overview_data(self.bridge.whole_board(self._loaded_key)))

    def refresh_in_background(self) -> None:
        """A teammate's save, a merge, or coming back after any change: a large portfolio is
        read again in a worker; the overview keeps showing what it had (and where the cursor
        was) until it lands."""
        if not self.is_mounted:
            return
        if self.service.initiative_count() < self.LOAD_IN_WORKER_FROM:
            self.refresh_data()
            return
        self._load_seq += 1
        key = self._loaded_key = self.data_key()
        self._load_in_worker(self._load_seq, key, self.bridge.overview_ahead.take(key))

    def _set_loading(self, loading: bool) -> None:
        for widget in (self.query_one("#ov-answers"), self.query_one("#ov-heat")):
            widget.loading = loading

    def _load_in_worker(
        self, seq: int, key: tuple[object, ...], ahead: Future[Ready | None] | None
    ) -> None:
        """Read in a worker (`_read_in_worker`), from the whole board the app keeps for the
        file at `key`, in the board's order, when it keeps one."""
        self._read_in_worker(seq, ahead, self.bridge.whole_board(key), self.bridge.board_order(key))

    @work(thread=True, exclusive=True, group="overview-load", description="the overview's read")
    def _read_in_worker(
        self,
        seq: int,
        ahead: Future[Ready | None] | None,
        known: Board | None,
        order: list[str] | None,
    ) -> None:
        """In a thread, on a read-only connection of its own (`Service.reader()`); `known`:
        the whole board the board screen read at this same state of the file (`order`: its
        ids in board order); `ahead`: the figures the app is working out from it
        (`OverviewAhead`), waited for rather than worked out twice. The heat map's names
        that start alike are worked out here too (`overview_ahead.ready`)."""
        got = self._wait_for(ahead) if ahead is not None else None
        if got is None:
            data = read_off_thread(self.service, lambda reader: reader.overview_data(known, order))
            got = None if data is None else ready(data)
        self.app.call_from_thread(self._loaded, seq, got)

    @staticmethod
    def _wait_for(ahead: Future[Ready | None]) -> Ready | None:
        """`ahead`'s figures once worked out; None if this worker is cancelled first (the
        app is closing, or a later load replaced this one)."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                return ahead.result(timeout=0.1)
            except TimeoutError:
                continue
        return None

    def _loaded(self, seq: int, loaded: Ready | None) -> None:
        if not self.is_attached or seq != self._load_seq:
            return  # left, or a later load filled the screen
        self._set_loading(False)
        if loaded is None:
            self.refresh_data()
        else:
            self._fill(loaded.figures, loaded.shared)
        self.bridge.settle_memory()
        if self.focused is None:  # a loading pane cannot hold the focus: the answers take it
            self.query_one("#ov-answers", OverviewAnswers).focus()

    def _fill(self, data: OverviewData, shared: dict[str, int] | None = None) -> None:
        """Show `data`; `shared`: `name_fit.shared_prefixes` of its heat rows' names, when
        worked out off the app's thread (`overview_ahead.ready`)."""
        by_id, ov, sv = data.initiatives, data.figures, data.sustain
        today = self.service.today()
        crowded: list[str | tuple[str, str]] = (
            [
                " · ",
                (
                    f"⚠ {len(sv.productionize)} in Productionize at once: one use case at a time",
                    "$warning",
                ),
            ]
            if sv.crowded
            else []
        )
        self.query_one("#ov-headline", Static).update(
            Content.assemble(
                (str(len(ov.active)), "bold"),
                " active · ",
                (str(len(ov.infrastructure)), "bold"),
                " infrastructure · ",
                (str(len(ov.kill_candidates)), "bold"),
                " kill candidates · ",
                (str(len(ov.purgatory)), "bold"),
                " in pilot purgatory",
                *crowded,
            )
        )
        self.query_one("#ov-answers", OverviewAnswers).shown = AnswersData(ov, by_id, today, sv)
        self.query_one("#ov-funnel", StageFunnel).funnel = ov.funnel
        self.query_one("#ov-blockers", BlockerCounts).counts = ov.blocker_counts
        self.query_one("#ov-heat", HeatMap).show(ov.heat, in_board_order=True, shared=shared)

    # navigation ------------------------------------------------------------------------------

    def _jump(self, initiative_id: str) -> None:
        self.bridge.open_initiative(initiative_id, mode="board")

    def on_overview_answers_jump(self, message: OverviewAnswers.Jump) -> None:
        self._jump(message.initiative_id)

    def on_heat_map_jump(self, message: HeatMap.Jump) -> None:
        self._jump(message.initiative_id)

    def action_open_selected(self) -> None:
        focused = self.focused
        if isinstance(focused, OverviewAnswers):
            focused.action_select()
        elif isinstance(focused, HeatMap):
            focused.action_select_cursor()

    def action_focus_heat(self) -> None:
        self.query_one("#ov-heat", HeatMap).focus()

    def action_focus_answers(self) -> None:
        self.query_one("#ov-answers", OverviewAnswers).focus()

    def jump_to_section(self, section: str) -> None:
        answers = self.query_one("#ov-answers", OverviewAnswers)
        answers.focus()
        answers.jump_to_section(section)

    # reports ---------------------------------------------------------------------------------

    def action_write_report(self, fmt: str = "md") -> None:
        write_report(self.bridge, fmt)


def write_report(app: BridgeApp, fmt: str = "md") -> None:
    """Save the portfolio report next to the bridge file and say where; if today's report is
    already there, ask before replacing it."""
    service = app.service

    def written(path: Path) -> None:
        app.notify(f"Wrote {path.name} next to {service.file_name}.", title="Report", markup=False)

    write_asking(
        app,
        lambda reader, path, force: reader.write_report(fmt, path, force=force),
        written,
        "The report",
    )
