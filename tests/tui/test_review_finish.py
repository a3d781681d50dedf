"""The review cannot end by accident (issue 12, item 9): `f` with initiatives not yet reviewed
asks first, and at 80x24 the agenda stays on screen beside the card."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets import Button, Static

from bridge_tui.tui.app import build_app
from bridge_tui.tui.dialogs.common import ConfirmDialog
from bridge_tui.tui.screens.review import ReviewScreen
from bridge_tui.tui.widgets.review_agenda import ReviewAgenda
from tests.conftest import FROZEN_TODAY
from tests.tui.test_review import open_review, type_text


async def _keep_first(pilot: object, screen: ReviewScreen, note: str) -> None:
    await pilot.press("k")  # type: ignore[attr-defined]
    await type_text(pilot, note)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_finish_with_items_left_asks_and_escape_keeps_reviewing(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        total = len(screen.items)
        await _keep_first(pilot, screen, "on track")
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        question = str(dialog.query_one(".dialog-question", Static).content)
        assert question == f"{total - 1} initiatives not reviewed. Finish anyway?"
        # both buttons on screen at 80x24, the safe one focused
        for button in dialog.query(Button):
            assert Region(0, 0, 80, 24).contains_region(button.region)
        assert app.focused is dialog.query_one("#cancel", Button)
        assert str(dialog.query_one("#cancel", Button).label) == "Keep reviewing"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.session is not None and screen.session.finished_at is None
        assert not screen.summary_mode
        # enter on the dialog's default button keeps reviewing too
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.session.finished_at is None
        assert app.service.open_review() is not None
        # the next decision still works: the meeting goes on
        await _keep_first(pilot, screen, "fine")
        assert sum(1 for it in screen.items if it.decision) == 2


async def test_finish_anyway_ends_the_session(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        await _keep_first(pilot, screen, "on track")
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        await pilot.click("#confirm")
        await pilot.pause()
        assert app.screen is screen
        assert screen.session is not None and screen.session.finished_at is not None
        assert screen.query_one("#rv-summary-scroll").display
        summary = app.service.review_summary(screen.session)
        assert summary.pending == len(screen.items) - 1


async def test_finish_with_nothing_left_does_not_ask(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_review(pilot)
        # defer all but the last, then keep the last one: every item is decided
        while any(it.decision is None for it in screen.items):
            before = sum(1 for it in screen.items if it.decision)
            await pilot.press("d", "enter")
            await pilot.pause()
            assert sum(1 for it in screen.items if it.decision) == before + 1
            if screen.session is not None and screen.session.finished_at is not None:
                break
        if screen.session is not None and screen.session.finished_at is None:
            await pilot.press("f")
            await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert screen.session is not None and screen.session.finished_at is not None


async def test_agenda_stays_on_screen_at_80x24(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        agenda = screen.query_one("#rv-agenda", ReviewAgenda)
        card = screen.query_one("#rv-card-scroll")
        whole = Region(0, 0, 80, 24)
        assert agenda.display and agenda.region.height >= 4
        assert whole.contains_region(agenda.region) and whole.contains_region(card.region)
        assert not agenda.region.overlaps(card.region)
        # it follows the meeting: after a decision the next initiative is highlighted there
        await _keep_first(pilot, screen, "on track")
        assert agenda.highlighted == screen.index == 1
        # and a row of it is visible
        assert agenda.scrollable_content_region.height >= 3
