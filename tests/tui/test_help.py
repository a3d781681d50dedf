"""Help (? / F1) is a modal over the screen, built from the live bindings, closed by the same
key or escape; it never docks Textual's key panel beside the board."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from bridge_tui.tui.dialogs.help import HelpScreen
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.checklist import ChecklistScreen
from tests.tui.helpers import pressed, sample_app, step


def _text(app: object) -> str:
    from textual.app import App

    assert isinstance(app, App)
    return str(app.screen.query_one("#help-keys", Static).render())


async def test_help_opens_over_the_board_and_closes(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        width = board.size.width
        for open_key, close_key in (
            ("question_mark", "escape"),
            ("f1", "f1"),
            ("f1", "question_mark"),
        ):
            await pressed(pilot, open_key, HelpScreen)
            assert not board.query("HelpPanel")
            assert board.size.width == width
            text = _text(app)
            for description in ("Card down", "Forward", "Filter", "Undo", "Review", "Help"):
                assert description in text
            await step(pilot, close_key)
            assert app.screen is board


async def test_help_lists_the_keys_of_the_screen_behind_it(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pressed(pilot, "2", ChecklistScreen)
        checklist_keys = {
            b.binding.description
            for b in app.screen.active_bindings.values()
            if b.enabled and b.node is app.screen and b.binding.description
        }
        await step(pilot, "question_mark")
        text = _text(app)
        assert "(Checklist)" in text
        assert "Card down" not in text  # the board's keys are not the checklist's
        assert checklist_keys and all(d in text for d in checklist_keys)


async def test_help_scrolls_when_the_list_is_longer_than_the_screen(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await step(pilot, "question_mark")
        scroll = app.screen.query_one("#help-scroll")
        assert scroll.region.bottom <= 24
        assert scroll.max_scroll_y > 0  # the board's keys do not fit in 24 rows
        await step(pilot, "end")
        assert scroll.scroll_y == scroll.max_scroll_y


async def test_the_palette_keys_entry_opens_the_same_help(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_show_help_panel()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
