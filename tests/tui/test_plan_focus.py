"""The plan says which month and task the keys act on, and never crosses a month silently
(issue 12, item 5), side by side (160x45) and stacked (80x24)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.screens.plan import PlanScreen
from bridge_tui.tui.widgets.plan_month import TaskList
from tests.tui.helpers import sample_app, step

DISPATCH = "Dispatch routing"
SIZES = [(160, 45), (80, 24)]


def _screen(app: BridgeApp) -> PlanScreen:
    assert isinstance(app.screen, PlanScreen), type(app.screen).__name__
    return app.screen


def _line(app: BridgeApp) -> str:
    return str(_screen(app).query_one("#plan-focus", Static).content)


def _focused(app: BridgeApp) -> TaskList:
    focused = app.focused
    assert isinstance(focused, TaskList), focused
    return focused


@asynccontextmanager
async def _plan(db: Path, size: tuple[int, int]) -> AsyncIterator[tuple[BridgeApp, Pilot[None]]]:
    """The app at `size`, on the plan of Dispatch routing."""
    app = sample_app(db)
    async with app.run_test(size=size) as pilot:
        app.select(app.service.resolve(DISPATCH).id)
        await step(pilot, "3")
        yield app, pilot


def _done(app: BridgeApp, month: int) -> list[bool]:
    view = _screen(app).view
    assert view is not None
    return [t.done for t in view.month_tasks(month)]


@pytest.mark.parametrize("size", SIZES, ids=["160x45", "80x24"])
async def test_down_past_the_last_task_stays_and_says_so(
    sample_db: Path, size: tuple[int, int]
) -> None:
    async with _plan(sample_db, size) as (app, pilot):
        assert _screen(app).has_class("-narrow") == (size[0] < 100)
        assert _focused(app).month == 2
        assert _line(app).startswith("▶ Month 2 · Integrate · task 1 of 4")
        await step(pilot, "down")
        assert "task 2 of 4" in _line(app)
        await step(pilot, "down", "down")
        assert "task 4 of 4" in _line(app)
        last_of_2 = _focused(app).task_id
        month3_before = _done(app, 3)
        # one more down: nothing moves, the line says where the month ends and which key goes on
        await step(pilot, "down")
        assert _focused(app).month == 2 and _focused(app).task_id == last_of_2
        line = _line(app)
        assert "Month 2 · Integrate · task 4 of 4" in line
        assert "Last task of Month 2 · → for Month 3" in line
        assert _screen(app).query_one("#plan-focus").has_class("-edge")
        # the tick goes to the task the line names, in Month 2; Month 3 is untouched
        await step(pilot, "space")
        assert _done(app, 2)[3] is True
        assert _done(app, 3) == month3_before
        # → is the explicit way on; the line follows
        await step(pilot, "right")
        assert _focused(app).month == 3
        assert _line(app).startswith("▶ Month 3 · Harden and expand · task ")
        assert "Last task" not in _line(app)
        assert not _screen(app).query_one("#plan-focus").has_class("-edge")
        # up at the top of month 3 stays in month 3
        await step(pilot, "home", "up")
        assert _focused(app).month == 3
        assert "First task of Month 3 · ← for Month 2" in _line(app)
        # past the last month: says so
        await step(pilot, "right")
        assert _focused(app).month == 3 and "Month 3 is the last month" in _line(app)
        # the focus line is on screen in both layouts
        focus_line = _screen(app).query_one("#plan-focus")
        assert focus_line.region.height == 1
        assert 0 <= focus_line.region.y < size[1] - 1


@pytest.mark.parametrize("size", SIZES, ids=["160x45", "80x24"])
async def test_only_the_focused_month_shows_a_cursor(
    sample_db: Path, size: tuple[int, int]
) -> None:
    async with _plan(sample_db, size) as (app, pilot):
        await pilot.press("tab")  # tab goes to the next month too
        assert _focused(app).month == 3
        await pilot.press("shift+tab")
        assert _focused(app).month == 2
        screen = _screen(app)
        for month in (1, 2, 3):
            lst = screen.query_one(f"#tasks-{month}", TaskList)
            style = lst.get_component_rich_style("option-list--option-highlighted")
            if lst.has_focus:
                assert style.bgcolor is not None and style.bold
            else:
                # an unfocused month keeps its place but draws no cursor
                assert not style.bold
                assert style.bgcolor is None or style.bgcolor == lst.rich_style.bgcolor
