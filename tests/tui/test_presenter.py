"""The projector mode: the review's presenter layout (v) and the high-contrast theme."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Digits

from bridge_tui import method
from bridge_tui.tui.screens.review import ReviewScreen
from bridge_tui.tui.widgets.presenter import PresenterView, plain
from tests.tui.helpers import pressed, sample_app, step


async def test_v_toggles_the_presenter_layout_of_the_current_initiative(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await pressed(pilot, "r", ReviewScreen)
        presenter = screen.query_one("#rv-presenter", PresenterView)
        assert not presenter.display
        await step(pilot, "v")
        assert presenter.display and presenter.region.height >= 18  # fills the screen
        assert not screen.query_one("#rv-card-scroll").display
        assert not screen.query_one("#rv-agenda").region  # the agenda steps aside
        for turn in range(2):
            item = screen.items[screen.index]
            text = plain(presenter)
            card = item.card
            assert item.initiative.name in text
            assert f"of {card.readiness.max}" in text
            assert presenter.query_one("#pv-score", Digits).value == str(card.readiness.total)
            for test in method.TESTS:
                assert test.label in text
            assert "Next gate" in text
            gate = card.next_gate
            if gate is not None and not gate.allowed:
                assert gate.lines()[0] in text
            assert f"{screen.index + 1} of {len(screen.items)}" in text
            if turn == 0:
                await step(pilot, "right")  # the next initiative, still presented
        await step(pilot, "v")
        assert not presenter.display and screen.query_one("#rv-card-scroll").display


async def test_the_projector_theme_is_in_the_palettes_theme_picker(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await step(pilot, "ctrl+p")
        await pilot.press(*"theme")
        await pilot.pause(0.3)
        await step(pilot, "enter")  # "Theme": the picker
        await pilot.press(*"projector")
        await pilot.pause(0.3)
        await step(pilot, "enter")
        assert app.theme == "bridge-projector"
        assert app.current_theme.foreground == "#000000"
