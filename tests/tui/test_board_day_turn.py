"""A board left open past midnight: the next load counts every card's days in stage from the
new day (the columns kept the day they were first drawn on, so a card said "54d" until bridge
was started again)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bridge_tui import scoring
from bridge_tui.clock import Clock
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.screens.board import BoardScreen
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import sample_app


def card_lines(board: BoardScreen, stage: str) -> list[str]:
    """The text of the first card of `stage`, as the column draws it."""
    column = board.column(stage)
    height = column.card_region(0).height + 1
    return [column.render_line(y).text for y in range(height)]


def says_days(board: BoardScreen, days: int) -> bool:
    """The first card of Experiment shows `days` in stage ("54d")."""
    return any(
        f"{days}d " in line or line.rstrip().endswith(f"{days}d")
        for line in card_lines(board, "experiment")
    )


def first_card_days(board: object) -> int:
    assert isinstance(board, BoardScreen)
    return scoring.days_in_stage(board.column("experiment").items[0], FROZEN_TODAY)


def next_day(app: BridgeApp) -> None:
    app.service.clock = Clock.on_day(FROZEN_TODAY + timedelta(days=1))


async def test_the_next_load_after_midnight_counts_from_the_new_day(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        days = first_card_days(board)
        assert isinstance(board, BoardScreen) and says_days(board, days)
        next_day(app)
        board.refresh_data()
        await pilot.pause()
        assert says_days(board, days + 1) and not says_days(board, days)


async def test_midnight_with_the_board_open_reloads_it(sample_db: Path) -> None:
    """Nobody touched the file: the poll sees the new day and loads the board again."""
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        days = first_card_days(board)
        assert isinstance(board, BoardScreen)
        first = board.column("experiment").items[0]
        app.poll_changes()  # the same day: nothing to do
        await pilot.pause()
        assert board.column("experiment").items[0] is first
        next_day(app)
        app.poll_changes()
        await pilot.pause()
        assert says_days(board, days + 1)
