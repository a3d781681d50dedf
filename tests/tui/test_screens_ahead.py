"""The checklist, plan and overview screens built ahead while the keys are quiet (issue 13),
proven with the real keys: a screen built ahead opens showing exactly what the same keys show
in an app that builds it on the key (after the board's cursor moved, the terminal shrank or a
teammate saved meanwhile too); a key pressed while a screen is being built opens it all the
same; nothing is built while keys come or a dialog is open; each mode is built once."""

from __future__ import annotations

import gc
import re
from pathlib import Path
from typing import Any

import pytest
from textual.visual import Visual
from textual.widgets import OptionList

from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.screens.checklist import ChecklistScreen
from bridge_tui.tui.screens.overview import OverviewScreen
from bridge_tui.tui.screens.plan import PlanScreen
from bridge_tui.tui.screens_ahead import ScreensAhead
from bridge_tui.tui.widgets import heat_table
from bridge_tui.tui.widgets.checklist_list import ChecklistList
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import (
    IN_EXPERIMENT,
    IN_PRODUCTIONIZE,
    keys_coming,
    sample_app,
    step,
    until,
)

SIZE = (160, 45)
MODES = ("checklist", "plan", "overview")
KINDS = {"2": ChecklistScreen, "3": PlanScreen, "4": OverviewScreen}


def app_on(db: Path, *, ahead: bool) -> BridgeApp:
    """The sample app; `ahead`: it builds the screens as soon as the keys are quiet for a
    moment; otherwise never (as before the screens were built ahead)."""
    app = sample_app(db)
    app.screens_ahead.QUIET_SECONDS = 0.1 if ahead else 1e9
    return app


async def built(pilot: Any, *modes: str) -> None:
    app = pilot.app
    await until(pilot, lambda: set(modes) <= app.screens_ahead.ready(), f"{modes} built ahead")
    await until(pilot, lambda: app.screens_ahead.idle, "the building done")


async def shown(pilot: Any) -> str:
    """What the terminal shows once the screen has settled (the screenshot, without the ids
    Textual numbers anew in each app)."""
    for _ in range(3):
        await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    return re.sub(r"terminal-\d+", "terminal", pilot.app.export_screenshot())


def select(app: BridgeApp, name: str) -> None:
    app.select(next(i.id for i in app.service.initiatives() if i.name == name))


async def run(
    db: Path,
    ahead: bool,
    keys: list[str],
    *,
    size: tuple[int, int] = SIZE,
    first: str | None = IN_PRODUCTIONIZE,
    then: str | None = None,
) -> str:
    """Open the board on the initiative named `first`, wait for every screen to be built
    ahead (or not), resize the terminal to `size`, select the initiative named `then`, press
    `keys`; what shows then."""
    app = app_on(db, ahead=ahead)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if first is not None:
            select(app, first)
        if ahead:
            await built(pilot, *MODES)
        else:
            await pilot.pause(0.3)
        if size != SIZE:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        if then is not None:
            select(app, then)
        for key in keys:
            await step(pilot, key)
        return await shown(pilot)


@pytest.mark.parametrize("key", ["2", "3", "4"])
async def test_a_screen_built_ahead_opens_as_one_built_on_the_key(
    sample_db: Path, key: str
) -> None:
    assert await run(sample_db, True, [key]) == await run(sample_db, False, [key])


async def test_the_board_moved_before_the_checklist_opened_it_starts_afresh(
    sample_db: Path,
) -> None:
    """Built for one initiative (its first unanswered item D1), shown for another: on that
    one's first unanswered item (O3), as a first opening does; then its plan and the
    overview."""
    keys = ["2", "1", "3", "1", "4"]
    moved = {"first": IN_EXPERIMENT, "then": IN_PRODUCTIONIZE}
    ahead = await run(sample_db, True, keys[:1], **moved)
    assert ahead == await run(sample_db, False, keys[:1], **moved)
    assert "O3" in ahead
    ahead = await run(sample_db, True, keys, **moved)
    assert ahead == await run(sample_db, False, keys, **moved)
    keys = ["down", "down", "right", "down", "2"]  # moved with the board's own keys
    assert await run(sample_db, True, keys) == await run(sample_db, False, keys)


@pytest.mark.parametrize("key", ["2", "3", "4"])
async def test_built_at_one_size_opened_at_another(sample_db: Path, key: str) -> None:
    """Built for 160x45; the terminal shrank to 80x24 before it opened."""
    ahead = await run(sample_db, True, [key], size=(80, 24))
    assert ahead == await run(sample_db, False, [key], size=(80, 24))


async def test_a_theme_chosen_after_it_was_built_styles_it(sample_db: Path) -> None:
    """Built in one theme, opened after another was chosen: styled in the new one."""
    screens = []
    for ahead in (True, False):
        app = app_on(sample_db, ahead=ahead)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            select(app, IN_PRODUCTIONIZE)
            if ahead:
                await built(pilot, *MODES)
            app.theme = "bridge-projector"
            await pilot.pause()
            opened = []
            for key in ("2", "1", "3", "1", "4"):
                await step(pilot, key)
                if key != "1":
                    opened.append(await shown(pilot))
            screens.append(opened)
    assert screens[0] == screens[1]


async def test_a_teammates_save_after_it_was_built_shows_when_it_opens(sample_db: Path) -> None:
    app = app_on(sample_db, ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await built(pilot, *MODES)
        teammate = Service(Store.open(sample_db), "bob", FROZEN_TODAY)
        initiative = teammate.initiative(app.selected_id or "")
        teammate.edit_initiative(initiative, name="Renamed by Bob")
        teammate.answer(teammate.initiative(initiative.id), "owned", "no")
        teammate.store.close()
        await step(pilot, "2")
        assert isinstance(app.screen, ChecklistScreen)
        assert app.screen.view is not None
        assert app.screen.view.initiative.name == "Renamed by Bob"
        assert app.screen.view.answers["owned"].value == "no"
        assert "Renamed&#160;by&#160;Bob" in await shown(pilot)
        await step(pilot, "3")
        assert "Renamed&#160;by&#160;Bob" in await shown(pilot)


async def test_a_key_pressed_while_a_screen_is_built_opens_it(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key comes between the building's steps: the opening takes the screen as it is and
    finishes it; what shows is what a first opening shows."""
    monkeypatch.setattr(ScreensAhead, "SETTLE_SECONDS", 0.3)
    app = app_on(sample_db, ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await until(pilot, lambda: not app.screens_ahead.idle, "a screen being built")
        assert app.screens_ahead.ready() == set()
        await step(pilot, "2")
        assert isinstance(app.screen, ChecklistScreen)
        during = await shown(pilot)
        assert app.screen.query_one(ChecklistList).highlighted_key is not None
        await until(pilot, lambda: app.screens_ahead.idle, "the building done")
        assert await shown(pilot) == during  # the rest of the building changed nothing
    assert during == await run(sample_db, False, ["2"], first=None)


async def test_nothing_is_built_while_keys_come(sample_db: Path) -> None:
    app = app_on(sample_db, ahead=True)
    app.screens_ahead.QUIET_SECONDS = 0.5
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await keys_coming(pilot)
        assert app.screens_ahead.ready() == set() and app.screens_ahead.idle
        await built(pilot, *MODES)  # then quiet: all three


def _nothing_in(found: list[bool]) -> None:
    assert found == []


async def test_the_flow_screens_code_is_loaded_only_once_the_keys_are_quiet(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Flow screen's code (its module, plotext: 70 ms of work in a thread, which shares
    the interpreter with the keys) is loaded once the keys are quiet, not at a fixed time
    after start-up, where it fell in whichever key came then."""
    from bridge_tui.tui import app as app_module

    loads: list[bool] = []
    monkeypatch.setattr(app_module, "_load_flow", lambda: loads.append(True))
    app = app_on(sample_db, ahead=False)
    app.WARM_UP_SECONDS = 0.1
    app.screens_ahead.QUIET_SECONDS = 0.5
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await keys_coming(pilot, each=lambda: _nothing_in(loads))
        await until(pilot, lambda: loads == [True], "the flow's code loaded once quiet")


async def test_nothing_is_built_while_a_dialog_is_open(sample_db: Path) -> None:
    app = app_on(sample_db, ahead=True)
    app.screens_ahead.QUIET_SECONDS = 0.3
    async with app.run_test(size=SIZE) as pilot:
        await step(pilot, "e")  # the initiative's form
        assert app.screen.is_modal
        await pilot.pause(1.0)
        assert app.screens_ahead.ready() == set() and app.screens_ahead.idle
        await step(pilot, "escape")
        await built(pilot, *MODES)


async def test_each_screen_is_built_once_and_kept_as_its_mode(sample_db: Path) -> None:
    app = app_on(sample_db, ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await built(pilot, *MODES)
        made = {mode: app.screens_ahead._built[mode] for mode in MODES}
        for key, mode in zip(("2", "3", "4"), MODES, strict=True):
            await step(pilot, key)
            assert app.screen is made[mode]
            assert isinstance(app.screen, KINDS[key])
            await step(pilot, "1")
        assert app.screens_ahead.ready() == set()
        await pilot.pause(0.5)  # quiet again: nothing more is built
        assert app.screens_ahead.idle and app.screens_ahead._built == {}
        await step(pilot, "2")
        assert app.screen is made["checklist"]


async def test_the_plan_built_ahead_shows_the_selected_plan(sample_db: Path) -> None:
    app = app_on(sample_db, ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        service = app.service
        dispatch = next(i for i in service.initiatives() if i.name == IN_PRODUCTIONIZE)
        app.select(dispatch.id)
        await built(pilot, *MODES)
        await step(pilot, "3")
        assert isinstance(app.screen, PlanScreen)
        assert app.screen.initiative is not None
        assert app.screen.initiative.id == dispatch.id


@pytest.mark.parametrize("key", ["2", "3", "4"])
async def test_a_screen_built_ahead_draws_its_lists_before_it_opens(
    sample_db: Path, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The point of building ahead: its lists (the checklist's items, the plan's months, the
    four questions) laid their options out and the heat map its cells, off screen; opening
    it lays out none of them again (built on the key, every one it shows)."""
    drawn: list[str] = []
    to_strips = Visual.to_strips.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Visual], widget: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(widget, OptionList):
            drawn.append(type(widget).__name__)
        return to_strips(cls, widget, *args, **kwargs)

    cells = heat_table.cell_segments

    def counted_cell(*args: Any) -> Any:
        drawn.append("heat map cell")
        return cells(*args)

    monkeypatch.setattr(Visual, "to_strips", classmethod(counted))
    monkeypatch.setattr(heat_table, "cell_segments", counted_cell)
    for ahead in (False, True):
        app = app_on(sample_db, ahead=ahead)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            select(app, IN_PRODUCTIONIZE)  # it has a plan
            if ahead:
                await built(pilot, *MODES)
            drawn.clear()
            await step(pilot, key)
            await shown(pilot)
            assert isinstance(app.screen, KINDS[key])
            if ahead:
                assert drawn == [], (len(drawn), set(drawn))
            else:
                assert len(drawn) > 10, drawn


async def _settled_screens(pilot: Any, app: BridgeApp, keys: list[str]) -> list[str]:
    """The screens on show each time the app settled its memory after the warm-up, while
    `keys` were pressed (and a moment after)."""
    from tests.tui.helpers import wait_group

    await wait_group(pilot, "warm-up")
    settled: list[str] = []
    original = app.settle_memory

    def noted() -> None:
        settled.append(type(app.screen).__name__)
        original()

    app.settle_memory = noted  # type: ignore[method-assign]
    for key in keys:
        await step(pilot, key)
    await pilot.pause(0.3)
    return settled


async def test_a_screen_made_on_its_key_has_its_memory_settled_once_it_opened(
    sample_db: Path,
) -> None:
    """A mode's screen is kept as long as the app: once it has opened, what it made is
    settled (`memory.settle`), so the collector's full walks in a later screen's opening do
    not walk it all again (they took 40 ms and more). A screen opened again makes nothing
    new to settle."""
    app = app_on(sample_db, ahead=False)
    app.SETTLE_AFTER_OPENING = 0.05
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        settled = await _settled_screens(pilot, app, ["2", "1", "2", "3"])
    assert settled == ["ChecklistScreen", "PlanScreen"]


@pytest.mark.parametrize("key", ["2", "3", "4"])
async def test_no_collection_runs_while_a_screen_opens_on_its_key(
    sample_db: Path, key: str
) -> None:
    """The collector is paused from the key that makes a mode's screen until that screen's
    memory is settled (`memory.hold`): its collections took 5 to 15 ms of the key, and a full
    one, walking all that was made since the last settling, 40 to 60 ms now and then."""
    app = app_on(sample_db, ahead=False)
    app.SETTLE_AFTER_OPENING = 0.3
    collections: list[int] = []

    def counted(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, IN_PRODUCTIONIZE)
        await pilot.pause()
        gc.callbacks.append(counted)
        try:
            await step(pilot, key)
            assert isinstance(app.screen, KINDS[key])
            opening = list(collections)
            await until(pilot, gc.isenabled, "the collector running again")
        finally:
            gc.callbacks.remove(counted)
    assert opening == []


async def test_a_screen_built_ahead_has_its_memory_settled(sample_db: Path) -> None:
    app = app_on(sample_db, ahead=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, IN_PRODUCTIONIZE)
        settled = await _settled_screens(pilot, app, [])
        await built(pilot, *MODES)
    assert settled.count("BoardScreen") >= len(MODES)  # built while the board shows


@pytest.mark.parametrize("mode", MODES)
async def test_the_app_closes_cleanly_while_a_screen_is_being_built(
    sample_db: Path, mode: str
) -> None:
    """Quitting while a screen is being built ahead: the screen is let finish mounting
    before the app takes its screens apart (half-mounted, its header's first title update
    found its title gone, and the plan its widgets: an error as the app quit)."""
    app = app_on(sample_db, ahead=True)
    others = [m for m in MODES if m != mode]
    app.screens_ahead._done.update(others)  # build `mode` alone
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        select(app, IN_PRODUCTIONIZE)
        await until(pilot, lambda: app.screens_ahead._building == mode, f"{mode} being built")
    # the context closed the app: an error while closing would have been raised here
    assert app.screens_ahead.idle
