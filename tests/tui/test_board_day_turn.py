"""A board left open past midnight: the next load counts every card's days in stage from the
new day (the columns kept the day they were first drawn on, so a card said "54d" until bridge
was started again)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bridge_tui import scoring
from bridge_tui.clock import Clock
from bridge_tui.tui.screens.board import BoardScreen
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import sample_app


def card_lines(board: BoardScreen, stage: str) -> list[str]:
    """The text of the first card of `stage`, as the column draws it."""
    column = board.column(stage)
    height = column.card_region(0).height + 1
    return [column.render_line(y).text for y in range(height)]


async def test_the_next_load_after_midnight_counts_from_the_new_day(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        first = board.column("experiment").items[0]
        days = scoring.days_in_stage(first, FROZEN_TODAY)
        assert any(f"{days}d" in line for line in card_lines(board, "experiment"))
        app.service.clock = Clock.on_day(FROZEN_TODAY + timedelta(days=1))
        board.refresh_data()
        await pilot.pause()
        lines = card_lines(board, "experiment")
        assert any(f"{days + 1}d" in line for line in lines), lines
        assert not any(f"{days}d " in line or line.rstrip().endswith(f"{days}d") for line in lines)


async def test_midnight_with_the_board_open_reloads_it(sample_db: Path) -> None:
    """Nobody touched the file: the poll sees the new day and loads the board again."""
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        first = board.column("experiment").items[0]
        days = scoring.days_in_stage(first, FROZEN_TODAY)
        app.poll_changes()  # the same day: nothing to do
        await pilot.pause()
        assert board.column("experiment").items[0] is first
        app.service.clock = Clock.on_day(FROZEN_TODAY + timedelta(days=1))
        app.poll_changes()
        await pilot.pause()
        lines = card_lines(board, "experiment")
        assert any(f"{days + 1}d" in line for line in lines), lines
