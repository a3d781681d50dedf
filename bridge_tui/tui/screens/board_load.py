"""A whole board read and made ready in a worker thread, so the app's thread only swaps it in.

A large portfolio's board first paints its columns' first cards (`Service.board_head`); the
rest comes from here. Everything the board would otherwise work out on the app's thread for
every card before it can lay out a column (the bucketing in board order, each card's flags,
each card's height at its column's width, the names that start alike) is pure, so it is done
here, beside the read, on the worker's own read-only service. At 10,000 initiatives that is
most of a second the keyboard no longer waits for. And it reads only the answers the cards'
flags need; a card reads its own when it is drawn or selected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bridge_tui import sustain
from bridge_tui.board_model import BoardModel
from bridge_tui.tui.overview_ahead import OverviewAhead, Ready, ready
from bridge_tui.tui.widgets import board_card, name_fit

if TYPE_CHECKING:
    from bridge_tui.service import Board, Service
    from bridge_tui.tui.widgets.board_column import Heights


@dataclass
class ReadyBoard:
    """A whole board, bucketed, flagged and measured: what `BoardView` swaps in."""

    board: Board
    facts: sustain.Facts
    #: the buckets and the flags of every card (the screen's model adopts them)
    model: BoardModel
    #: stage -> (the text width measured at, the heights of its cards at that width)
    heights: dict[str, tuple[int, Heights]]
    #: `name_fit.shared_prefixes` of every name on the board
    shared: dict[str, int]
    #: the day the flags and the heights were worked out on
    today: date
    #: the overview's figures, worked out with the board (`ready_board`'s `figures`)
    overview: Ready | None = None


def ready_board(
    reader: Service, today: date, widths: dict[str, int], *, figures: bool = False
) -> ReadyBoard:
    """Read the whole board on `reader` and work out what its columns need at `widths`
    (stage -> the column's text width; a column not laid out is left out and measured when
    it shows). With `figures`, a large portfolio's overview figures are worked out too, from
    this board, its order and its facts (`OverviewAhead.worth_it`): the board's first whole
    read, while the board is still getting its cards, so that the overview opens with them at
    once instead of working them out on its key, or at the first quiet moment after the last
    card."""
    board, facts = reader.lean_board()
    model = BoardModel()
    model.load(board.initiatives, board.answers, board.histories)
    heights: dict[str, tuple[int, Heights]] = {}
    for stage, items in model.by_stage.items():
        width = widths.get(stage)
        measured: Heights = {}
        for i in items:
            days, forced = model.marks(i, today)
            extra = (
                sustain.card_flags(i, board.answers.get(i.id, {}), facts, today)
                if sustain.may_flag(i, facts)
                else ()
            )
            flags = tuple(board_card.flags(i, today, extra, purgatory_days=days, forced=forced))
            model.flags[i.id] = (i, today, flags)
            if width is not None:
                measured[(i.id, i.revision, flags)] = board_card.height(i, today, width, flags)
        if width is not None:
            heights[stage] = (width, measured)
    shared = name_fit.shared_prefixes(model.names())
    overview = None
    if figures and OverviewAhead.worth_it(board):
        try:
            overview = ready(reader.overview_data(board, model.ordered_ids(), facts))
        except Exception:  # the board comes anyway; the overview reads for itself, and says
            overview = None  # what went wrong in its own way
    return ReadyBoard(board, facts, model, heights, shared, today, overview)
