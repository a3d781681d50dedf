"""Pilot tests of the Flow screen (key 5) on the hand-computed portfolio of
tests/flow_portfolio.py: the keys switch the charts, the arrows move the cursor onto a band or a
bar, the list names the initiatives behind it, and enter opens one on the board."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import ContentSwitcher, OptionList, Static

from bridge_tui.tui.app import BridgeApp
from tests.conftest import FROZEN_TODAY, REPO
from tests.flow_portfolio import flow_template
from tests.tui.flow_wait import settle
from tests.tui.helpers import pressed, sample_app

__all__ = ["flow_template"]  # a fixture

SIZE = (160, 45)


@pytest.fixture
def flow_db(flow_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "flow.db"
    path.write_bytes(flow_template.read_bytes())
    return path


async def open_flow(pilot: Any) -> Any:
    from bridge_tui.tui.screens.flow import FlowScreen

    await pilot.press("5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FlowScreen)
    return screen


@asynccontextmanager
async def flow_open(db: Path) -> AsyncIterator[tuple[BridgeApp, Pilot[None], Any]]:
    """The app on `db` with the flow screen (key 5) open and settled."""
    app = sample_app(db)
    async with app.run_test(size=SIZE) as pilot:
        yield app, pilot, await open_flow(pilot)


def names(screen: Any) -> list[str]:
    f = screen.flow
    return [f.names[i] for i in screen.listed]


def list_lines(screen: Any) -> list[str]:
    options = screen.query_one("#flow-list", OptionList)
    return [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]


async def test_key_5_opens_the_flow_with_the_headline(flow_db: Path) -> None:
    async with flow_open(flow_db) as (_, pilot, screen):
        headline = str(screen.query_one("#flow-headline", Static).content)
        assert "Pilot → Infrastructure 33% (1 of 3)" in headline
        assert "crossed in 2026-Q4: 0 (before: 0)" in headline
        assert "slowest: Pilot, median 60 days" in headline
        assert "most killed from Pilot (1)" in headline
        assert screen.chart.drawn
        # the cursor starts today, on the Pilot band: nobody is in Pilot today
        assert screen.selection()[0] == "Pilot on 22 Nov 2026: 0"
        await pilot.press("up")  # the band above Pilot is Experiment
        await settle(pilot)
        assert names(screen) == ["Bravo", "Delta"]
        await pilot.press("down", "down")  # Validate
        await settle(pilot)
        assert names(screen) == ["Alpha"]
        await pilot.press("home")  # the first day of the log: 10 Jan 2026
        await settle(pilot)
        assert screen.selection()[0] == "Validate on 10 Jan 2026: 0"


async def test_time_in_stage_lists_the_stays_behind_a_bar(flow_db: Path) -> None:
    async with flow_open(flow_db) as (app, pilot, screen):
        await pilot.press("t")
        await settle(pilot)
        switcher = screen.query_one("#flow-charts", ContentSwitcher)
        assert switcher.current == "flow-time"
        assert app.focused is screen.chart
        title, _ = screen.selection()
        assert title == "Pilot: 4 finished stays, median 60 d, 90th pct 90 d"
        assert list_lines(screen) == [
            "  90 d  Charlie",
            "  60 d  Alpha",
            "  60 d  Bravo",
            "  30 d  Alpha",
        ]
        await pilot.press("right", "up", "up")  # Validate, still there
        await settle(pilot)
        assert screen.selection()[0] == (
            "Validate: 1 still there, median age 166 d, 90th pct 166 d"
        )
        assert list_lines(screen) == [" 166 d  Alpha"]


async def test_quarters_and_enter_opens_on_the_board(flow_db: Path) -> None:
    async with flow_open(flow_db) as (app, pilot, screen):
        await pilot.press("x")
        await settle(pilot)
        assert screen.selection()[0] == "2026-Q4, crossed into Infrastructure: 0"
        await pilot.press("left", "left")
        await settle(pilot)
        assert screen.selection()[0] == "2026-Q2, crossed into Infrastructure: 1"
        assert names(screen) == ["Charlie"]
        await pilot.press("down")  # entered Pilot in 2026-Q2: Alpha, moved back
        await settle(pilot)
        assert names(screen) == ["Alpha"]
        await pilot.press("up", "enter")  # enter on the chart: to the list
        await pilot.pause()
        assert app.focused is screen.query_one("#flow-list", OptionList)
        await pilot.press("enter")  # enter on the list: open it on the board
        await settle(pilot)
        assert app.current_mode == "board"
        assert app.service.initiative(app.selected_id or "").name == "Charlie"


async def test_palette_help_and_live_reload(flow_db: Path) -> None:
    app = sample_app(flow_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Flow over time" in titles
        titles["Flow over time"].callback()
        await settle(pilot)
        screen = app.screen
        assert type(screen).__name__ == "FlowScreen"
        entries = [c.title for c in app.get_system_commands(screen)]
        for wanted in ("Flow: cumulative flow diagram", "Flow: time in stage", "Flow: quarters"):
            assert wanted in entries
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert "Cumulative" in str(app.screen.query_one("#help-keys").render())
        active = {b.binding.action for b in screen.active_bindings.values()}
        assert {"chart('cumulative')", "chart('time')", "chart('quarters')"} <= active
        assert "switch_mode('flow')" in active
        # another change (a kill today) shows when the screen comes back
        await pilot.press("question_mark", "1")
        await pilot.pause()
        app.service.kill(app.service.resolve("Delta"), "not needed")
        await pilot.press("5")
        await settle(pilot)
        assert screen.flow is not None
        assert screen.flow.stages["killed"].still_there.count == 1
        assert screen.flow.killed_from["experiment"] == 1


def test_app_start_does_not_import_plotext() -> None:
    code = (
        "import sys\n"
        "import bridge_tui.cli, bridge_tui.tui.app\n"
        "assert 'textual_plotext' not in sys.modules\n"
        "assert 'bridge_tui.tui.screens.flow' not in sys.modules\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr


async def test_the_detail_pane_shows_the_initiatives_timeline(flow_db: Path) -> None:
    """Charlie, in Infrastructure: walk there on the board as a person would."""
    app = sample_app(flow_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while app.service.initiative(app.selected_id or "").name != "Charlie":
            await pilot.press("l")
            await pilot.pause()
        await pilot.pause()
        text = str(app.screen.query_one("#detail-text", Static).content)
        timeline = text.split("Timeline", 1)[1].splitlines()[1:]
        assert [" ".join(line.split()) for line in timeline] == [
            "Experiment 2026-02-09 10 d",
            "Pilot 2026-02-19 90 d",
            "Infrastructure 2026-05-20 186 d so far ⚑ forced",
        ]


async def test_the_timeline_marks_back_and_revived(flow_db: Path) -> None:
    from bridge_tui.tui.widgets.board_detail import timeline_lines

    app = sample_app(flow_db)
    bravo = app.service.stage_timeline(app.service.resolve("Bravo").id)
    alpha = app.service.stage_timeline(app.service.resolve("Alpha").id)

    def plain(lines: list[list[Any]]) -> list[str]:
        return [" ".join(str(Content.assemble(*line)).split()) for line in lines]

    assert plain(timeline_lines(bravo, FROZEN_TODAY))[1:] == [
        "Experiment 2026-01-10 60 d",
        "Pilot 2026-03-11 60 d ⚑ forced",
        "Killed 2026-05-10 60 d",
        "Experiment 2026-07-09 136 d so far ↺ revived",
    ]
    assert "↩ moved back" in plain(timeline_lines(alpha, FROZEN_TODAY))[4]


async def test_a_large_portfolio_reads_its_moves_off_the_apps_thread(
    flow_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1,000 initiatives or more (threshold lowered here) the moves are read in the
    worker, on a connection of its own: the screen is up, with its loading indicator and its
    keys, before they are read, and the figures are the same."""
    from bridge_tui.tui.screens.flow import FlowScreen

    release, off_thread = _hold_the_read(monkeypatch)
    app = sample_app(flow_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await pressed(pilot, "5", FlowScreen)
        assert screen.flow is None and screen.query_one("#flow-left").loading
        await pilot.press("t")  # a key meanwhile: the time-in-stage chart is chosen
        await pilot.pause()
        assert screen.chart_name == "time"
        release.set()
        await settle(pilot)
        assert off_thread == [True]
        assert screen.flow is not None and not screen.query_one("#flow-left").loading
        headline = str(screen.query_one("#flow-headline", Static).content)
        assert "Pilot → Infrastructure 33% (1 of 3)" in headline


def _hold_the_read(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[bool]]:
    """The moves are read in the worker (threshold lowered to 1), which waits for `release`;
    the list says, per read of the whole portfolio, whether it was off the app's thread."""
    from bridge_tui.service import Service
    from bridge_tui.tui.screens.flow import FlowScreen

    monkeypatch.setattr(FlowScreen, "READ_IN_WORKER_FROM", 1)
    release = threading.Event()
    off_thread: list[bool] = []
    real = Service.flow_inputs
    main = threading.get_ident()

    def held(self: Service, *args: Any) -> Any:
        if not args:  # the whole portfolio (one initiative's is the detail pane's timeline)
            off = threading.get_ident() != main
            off_thread.append(off)
            if off:
                release.wait(timeout=30)
        return real(self, *args)

    monkeypatch.setattr(Service, "flow_inputs", held)
    return release, off_thread


async def test_chart_keys_pressed_while_loading_are_made_when_it_lands(
    flow_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen paints before its body and figures: arrows pressed meanwhile are not lost
    but made, in order and on the chart they were pressed on, once the figures land."""
    from bridge_tui.tui.screens.flow import STACK, FlowScreen

    release, _ = _hold_the_read(monkeypatch)
    app = sample_app(flow_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("5", "up")  # one band up on the cumulative chart
        screen = app.screen
        assert isinstance(screen, FlowScreen) and screen.flow is None
        await pilot.press("x", "left", "left", "down")  # the quarters: two back, one down
        release.set()
        await settle(pilot)
        cumulative = screen.query_one("#flow-cumulative")
        assert cumulative.cursor == (len(screen._days) - 1, STACK.index("pilot") + 1)
        quarters = screen.query_one("#flow-quarters")
        assert quarters.cursor == (len(screen._quarters) - 3, 0)
        assert screen.chart_name == "quarters" and app.focused is quarters
        # and the list beside it is what the cursor is on
        assert screen.selection()[0].startswith(screen._quarters[-3].label)
        await pilot.press("right")  # keys after landing go straight to the chart
        await settle(pilot)
        assert quarters.cursor == (len(screen._quarters) - 2, 0)


async def test_the_charts_fit_their_width_after_a_resize(flow_db: Path) -> None:
    """The number of days and quarters shown follows the width the charts are laid out at,
    at first and after the terminal is resized."""
    async with flow_open(flow_db) as (_, pilot, screen):
        wide = screen._points
        assert wide == screen._points_for_width() and len(screen._days) == wide[0]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        for _ in range(50):  # the new layout, then the charts laid out for it
            await pilot.pause(0.02)
            if screen._points == screen._points_for_width():
                break
        assert screen._points == screen._points_for_width() != wide
        assert len(screen._days) == screen._points[0]
        assert len(screen._quarters) <= screen._points[1]
