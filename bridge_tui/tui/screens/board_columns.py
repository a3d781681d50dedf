"""The board's stage columns as one selection: which column holds it, the model's cards pushed
into them, and the cursor moved across them. What a new selection means (the detail pane, the
app's selected initiative) stays with the screen (`BoardScreen._selection_changed`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bridge_tui import method
from bridge_tui.board_model import BoardModel
from bridge_tui.tui.widgets import name_fit
from bridge_tui.tui.widgets.board_column import BoardColumn, Heights, StageTitle

if TYPE_CHECKING:
    from bridge_tui.board_model import Shown
    from bridge_tui.tui.screens.board_view import BoardView


class StageColumns:
    def __init__(self, screen: BoardView, model: BoardModel) -> None:
        self._screen = screen
        self._model = model
        #: the column holding the selection, among the visible ones
        self.index = 0

    def column(self, stage: str) -> BoardColumn:
        return self._screen.query_one(f"#col-{stage}", BoardColumn)

    @property
    def current(self) -> BoardColumn:
        stages = self._model.visible_stages
        self.index = max(0, min(self.index, len(stages) - 1))
        return self.column(stages[self.index])

    @property
    def selected(self) -> Shown | None:
        return self.current.current

    def set_today(self, today: date) -> None:
        """A load on a new day (a board left open past midnight): the cards count their days
        in stage from it."""
        for stage in method.STAGE_IDS:
            self.column(stage).set_today(today)

    def share_names(self, shared: dict[str, int] | None = None) -> None:
        """Tell every column which names start alike, so cut names stay distinguishable
        (`shared`: worked out already, by the worker that read the board)."""
        if shared is None:
            shared = name_fit.shared_prefixes(self._model.names())
        for stage in method.STAGE_IDS:
            self.column(stage).shared = shared

    def rebuild(
        self,
        stages: set[str] | None = None,
        *,
        fresh: bool = False,
        heights: dict[str, tuple[int, Heights]] | None = None,
    ) -> None:
        """Push the (filtered) cards of `stages` (default: all) into their columns; `fresh`
        after a reload (the cards' flags may have changed without a new revision), with the
        cards' `heights` when a worker measured them (stage -> width, heights)."""
        model = self._model
        empty = model.empty_text()
        for stage in method.STAGE_IDS if stages is None else stages:
            column = self.column(stage)
            items = model.shown(stage)
            old = column.current
            cursor = column.cursor
            if old is not None:
                found = column.index_in(items, old.id)
                cursor = found if found is not None else cursor
            same = len(items) == len(column.items) and all(
                a is b for a, b in zip(items, column.items, strict=True)
            )
            if not same or empty != column.empty_text:
                # only the columns that changed repaint (a move touches two)
                column.empty_text = empty
                measured = heights.get(stage) if heights else None
                column.set_items(items, cursor, fresh=fresh, heights=measured)
            count = model.count_text(stage, len(items))
            self._screen.query_one(f"#title-{stage}", StageTitle).set_count(count)
        bar = self._screen.filter_bar
        if model.filter_text and bar is not None:
            shown = sum(len(self.column(s).items) for s in model.visible_stages)
            bar.set_count(model.filter_count(shown), model.filter_count(model.visible_total))

    def select(self, initiative_id: str | None, *, first_paint: bool = False) -> None:
        """Put the cursor on an initiative if it is shown; else keep the column and its row
        (on the first paint, land on the first column that has cards)."""
        if initiative_id is not None:
            for n, stage in enumerate(self._model.visible_stages):
                index = self.column(stage).index_of(initiative_id)
                if index is not None:
                    self.index = n
                    self.column(stage).move_cursor(index)
                    break
        if first_paint and not self.selected:
            for n, stage in enumerate(self._model.visible_stages):
                if self.column(stage).items:
                    self.index = n
                    break
        self.mark_current()

    def mark_current(self) -> None:
        """Mark the column holding the selection (the columns never take focus)."""
        column = self.current
        for stage in method.STAGE_IDS:
            current = stage == column.stage
            self._screen.query_one(f"#title-{stage}", StageTitle).set_class(current, "-current")
            self.column(stage).set_active(current)

    # moving the cursor -------------------------------------------------------------------

    def move(self, delta: int) -> None:
        column = self.current
        column.move_cursor(column.cursor + delta)

    def move_to(self, where: str) -> None:
        column = self.current
        column.move_cursor(0 if where == "first" else len(column.items) - 1)

    def page(self, direction: int) -> None:
        column = self.current
        column.move_cursor(column.cursor + direction * column.page_size())

    def move_column(self, delta: int) -> bool:
        """To the next column left or right, on the card nearest the same row; False at the
        edge."""
        target = self.index + delta
        if not 0 <= target < len(self._model.visible_stages):
            return False
        row = self.current.cursor_screen_y()
        self.index = target
        there = self.current
        there.move_cursor(there.index_near(row))
        self.mark_current()
        return True

    def click(self, column: BoardColumn, index: int) -> None:
        stages = self._model.visible_stages
        if column.stage in stages:
            self.index = stages.index(column.stage)
        if index >= 0:
            column.move_cursor(index)
        self.mark_current()
