"""What makes a screen's opening cheap, proven with the real keys: the footer is rebuilt only
when the keys it shows change (and then shows exactly the active ones), a screen shown for the
first time reads its own stylesheet and restyles nothing else, a theme chosen before a screen
is first shown still styles it, and the Flow screen paints before its figures are counted."""

from __future__ import annotations

import shutil
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from bridge_tui.tui.app import build_app
from bridge_tui.tui.widgets.footer import BridgeFooter
from tests.conftest import FROZEN_TODAY, REPO
from tests.tui.flow_wait import settle

SIZE = (160, 45)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "sample.db"
    shutil.copyfile(REPO / "sample.db", path)
    return path


def footer(pilot: Any) -> BridgeFooter:
    return pilot.app.screen.query_one(BridgeFooter)


def shown_keys(pilot: Any) -> set[str]:
    shown = footer(pilot).shown
    return {k[0] for k in shown[1]} if shown else set()


def active_keys(pilot: Any) -> set[str]:
    return {
        binding.key
        for (_, binding, _e, _t) in pilot.app.screen.active_bindings.values()
        if binding.show
    }


async def test_the_footer_is_rebuilt_only_when_its_keys_change(db: Path) -> None:
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert shown_keys(pilot) == active_keys(pilot)
        assert "n" in shown_keys(pilot)  # the board's own keys are there
        built = footer(pilot).rebuilds
        for key in ("down", "down", "right", "up", "left"):  # the board's cursor: same keys
            await pilot.press(key)
        await pilot.pause()
        assert footer(pilot).rebuilds == built
        await pilot.press("slash")  # the filter box takes focus: the keys change
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert shown_keys(pilot) == active_keys(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert shown_keys(pilot) == active_keys(pilot)


async def test_each_screen_shows_its_own_keys(db: Path) -> None:
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        for key in ("2", "3", "4", "1"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert shown_keys(pilot) == active_keys(pilot), key


async def test_a_screen_shown_first_does_not_restyle_the_app(db: Path) -> None:
    """A screen's first showing reads its own sheet (parsing that one alone: see
    test_kept_stylesheet.py) and styles that screen, never every widget of every screen."""
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        restyled: list[str] = []
        original = app.stylesheet.update

        def counting(root: Any, animate: bool = False) -> None:
            restyled.append(type(root).__name__)
            original(root, animate=animate)

        app.stylesheet.update = counting  # type: ignore[method-assign]
        for key in ("2", "3", "4", "1", "2"):
            await pilot.press(key)
            await pilot.pause()
        assert "BridgeApp" not in restyled, restyled
        assert restyled == ["ChecklistScreen", "PlanScreen", "OverviewScreen"], restyled


async def test_a_theme_chosen_before_a_screen_is_first_shown_styles_it(db: Path) -> None:
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        light = app.get_theme("textual-light")
        assert light is not None
        background = app.screen.styles.background
        assert background.hex6.lower() == str(light.background).lower()


async def test_the_flow_screen_paints_before_its_figures_are_counted(db: Path) -> None:
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        from bridge_tui.tui.screens import flow as flow_screen

        counted: list[int] = []
        original = flow_screen.flow.compute
        go = threading.Event()

        def slow(*a: Any, **kw: Any) -> Any:
            go.wait(10)  # the figures take their time (in the worker's thread)
            counted.append(1)
            return original(*a, **kw)

        flow_screen.flow.compute = slow  # type: ignore[assignment]
        try:
            await pilot.press("5")
            screen = app.screen
            assert type(screen).__name__ == "FlowScreen"
            # shown, with its keys and a loading indicator, while the figures are on their way
            assert screen.flow is None
            assert screen.query_one("#flow-left").loading
            await pilot.press("t")  # the keys work meanwhile
            assert screen.chart_name == "time"
            go.set()
            await settle(pilot)
            assert counted == [1]
            assert screen.flow is not None
            assert not screen.query_one("#flow-left").loading
        finally:
            flow_screen.flow.compute = original  # type: ignore[assignment]


@pytest.mark.parametrize(("key", "read"), [("2", "checklist_view"), ("3", "plan_view")])
async def test_a_screen_reads_its_initiative_once_as_it_opens(
    db: Path, monkeypatch: pytest.MonkeyPatch, key: str, read: str
) -> None:
    """Textual resumes a mode's screen twice as it first shows it; the plan loaded as it
    mounted too: three reads and three drawings of the same plan. Now one; coming back with
    nothing changed, none (the checklist: one, as it starts its cursor afresh); after a
    teammate's save or another selection, one again."""
    from bridge_tui.service import Service
    from tests.tui.helpers import as_teammate, select

    reads: list[str] = []
    real = getattr(Service, read)

    def counted(self: Service, *args: Any, **kwargs: Any) -> Any:
        reads.append(read)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Service, read, counted)
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(pilot, "Invoice processing")
        await pilot.press(key)
        await pilot.pause()
        assert len(reads) == 1
        await pilot.press("1")
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        # nothing changed: the plan shows what it had; the checklist reads once, to start its
        # cursor afresh on the first unanswered item (as it always did when shown again)
        assert len(reads) == (2 if key == "2" else 1)
        await pilot.press("1")
        await pilot.pause()
        as_teammate(db, "Invoice processing", name="Invoicing, renamed by Sam")
        app.poll_changes()  # the once-a-second look for a teammate's save, now
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert len(reads) >= 2  # the file changed: read again (the poll may read it too)
        assert "Invoicing, renamed by Sam" in str(
            app.screen.query_one("#plan-title" if key == "3" else "#title").render()
        )
        count = len(reads)
        await pilot.press("1")
        await pilot.pause()
        await select(pilot, "Email triage")
        await pilot.press(key)
        await pilot.pause()
        assert len(reads) == count + 1  # another initiative selected


async def first_and_settled(
    db: Path, monkeypatch: pytest.MonkeyPatch, widget: type[Any], key: str, name: str = ""
) -> tuple[list[list[str]], list[str]]:
    """Every frame of `widget` drawn whole since `key` opened its screen (on the initiative
    called `name`, if given), and the widget as it is once the screen has settled."""
    frames: list[list[str]] = []
    drawn = widget.render_lines

    def recorded(self: Any, crop: Any) -> Any:
        lines = drawn(self, crop)
        if crop.size == self.region.size:
            frames.append([strip.text for strip in lines])
        return lines

    monkeypatch.setattr(widget, "render_lines", recorded)
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if name:
            from tests.tui.helpers import select

            await select(pilot, name)
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        shown = pilot.app.screen.query_one(widget)
        settled = [strip.text for strip in drawn(shown, shown.region.reset_offset)]
    assert frames
    return frames, settled


async def test_the_checklist_draws_its_rows_for_its_width_from_its_first_frame(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen fills the list as it opens, before the list has a width: its very first
    frame already shows the rows laid out for the width it has (not laid out for none, then
    again after the Resize)."""
    from bridge_tui.tui.widgets.checklist_list import ChecklistList

    frames, settled = await first_and_settled(db, monkeypatch, ChecklistList, "2")
    assert frames[0] == settled


async def test_the_heat_map_shows_its_rows_from_the_overviews_first_frame(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The overview fills the heat map as it opens, before the map has a size: its first
    frame already shows the table as it settles (not an empty box, then the rows)."""
    from bridge_tui.tui.widgets.overview_heatmap import HeatMap

    frames, settled = await first_and_settled(db, monkeypatch, HeatMap, "4")
    assert any(name in "".join(settled) for name in ("Contract review", "Email triage"))
    assert frames[0] == settled


async def test_the_four_questions_are_wrapped_once_from_the_first_frame(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list keeps its scrollbar's column from the start: its first frame is wrapped at
    the width it keeps (it was wrapped wider, then again once the scrollbar appeared)."""
    from bridge_tui.tui.widgets.overview_answers import OverviewAnswers

    frames, settled = await first_and_settled(db, monkeypatch, OverviewAnswers, "4")
    assert frames[0] == settled


async def test_the_four_questions_are_drawn_once_as_the_overview_opens(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their first Resize comes at the width their first frame was drawn at: the options
    drawn are kept (Textual's list drew every one of them again)."""
    from textual.visual import Visual

    from bridge_tui.tui.widgets.overview_answers import OverviewAnswers

    drawn: list[int] = []
    to_strips = Visual.to_strips

    def counted(widget: Any, visual: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(widget, OverviewAnswers):
            drawn.append(id(visual))
        return to_strips(widget, visual, *args, **kwargs)

    monkeypatch.setattr(Visual, "to_strips", staticmethod(counted))
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(pilot.app.screen.focused, OverviewAnswers)
    # each option once, the highlighted one once more (highlighted, then focused)
    assert drawn
    assert len(drawn) <= len(set(drawn)) + 2


async def test_the_four_questions_are_wrapped_again_when_the_terminal_narrows(db: Path) -> None:
    """A Resize to another width still draws them again: after narrowing the terminal they
    read as in an overview opened at that width."""
    from bridge_tui.tui.widgets.overview_answers import OverviewAnswers

    async def answers(size: tuple[int, int], narrow_to: tuple[int, int] | None) -> list[str]:
        app = build_app(db, author="tester", today=FROZEN_TODAY)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("4")
            await pilot.pause()
            if narrow_to is not None:
                await pilot.resize_terminal(*narrow_to)
                await pilot.pause()
                await pilot.pause()
            shown = pilot.app.screen.query_one(OverviewAnswers)
            return [s.text for s in shown.render_lines(shown.region.reset_offset)]

    narrowed = await answers(SIZE, (110, 45))
    assert narrowed == await answers((110, 45), None)


def _list_class(name: str) -> type[Any]:
    from bridge_tui.tui.widgets.checklist_list import ChecklistList
    from bridge_tui.tui.widgets.overview_answers import OverviewAnswers
    from bridge_tui.tui.widgets.plan_month import TaskList

    return {"checklist": ChecklistList, "tasks": TaskList, "answers": OverviewAnswers}[name]


@pytest.mark.parametrize(("key", "name"), [("2", "checklist"), ("3", "tasks"), ("4", "answers")])
async def test_a_list_keeps_the_lines_it_drew_as_its_screen_opens(
    db: Path, monkeypatch: pytest.MonkeyPatch, key: str, name: str
) -> None:
    """Textual's OptionList throws away every line it drew on each Resize; the first comes
    just after the first frame, at the width that frame was drawn at: the checklist's rows,
    the plan's three months and the overview's four questions were each drawn twice as their
    screen opened. Now the lines drawn are kept (and the screen opens showing them)."""
    from textual.widgets import OptionList

    widget = _list_class(name)
    thrown: list[str] = []
    clear = OptionList._clear_caches

    def counted(self: OptionList) -> None:
        if isinstance(self, widget) and len(self._option_render_cache):  # lines drawn
            thrown.append(str(self.id))
        clear(self)

    monkeypatch.setattr(OptionList, "_clear_caches", counted)
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_planned(pilot)
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        lists = list(pilot.app.screen.query(widget))
        assert lists and all(w.option_count for w in lists)
        assert thrown == []
        await pilot.resize_terminal(120, 45)  # a real change of width still draws them again
        await pilot.pause()
        await pilot.pause()
        assert thrown


async def select_planned(pilot: Any) -> None:
    """Select an initiative that has a 90-day plan (the plan screen shows its months)."""
    first = pilot.app.service.plan_neighbour(None, 1)
    assert first is not None
    pilot.app.select(first.id)
    await pilot.pause()


@asynccontextmanager
async def opened(db: Path, key: str, size: tuple[int, int] = SIZE) -> AsyncIterator[Any]:
    """The app on `db`, the screen of `key` opened (pressed once the board painted) and
    settled: its pilot."""
    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        await pilot.pause()
        yield pilot


async def test_the_checklist_lays_its_rows_out_once_as_it_opens(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows (always more than fit) keep their scrollbar's column from the start: laid
    out for the width beside it once (they were laid out wider, then again as the scrollbar
    appeared)."""
    from bridge_tui.tui.widgets.checklist_list import ChecklistList

    widths: list[int] = []
    draw = ChecklistList._draw

    def counted(self: ChecklistList, *args: Any) -> None:
        widths.append(self.scrollable_content_region.width)
        draw(self, *args)

    monkeypatch.setattr(ChecklistList, "_draw", counted)
    async with opened(db, "2") as pilot:
        rows = pilot.app.screen.query_one(ChecklistList)
        assert rows.show_vertical_scrollbar
        width = rows.scrollable_content_region.width
    laid_out = [w for w in widths if w]  # the screen fills it before it has a width
    assert laid_out == [width]


async def test_the_heat_map_draws_each_row_once_as_the_overview_opens(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more initiatives than it shows, its scrollbar appears as its rows are counted in
    its first frame, and its first Resize comes just after that frame: the lines it drew are
    kept through both (each drew every row again)."""
    from collections import Counter

    from bridge_tui.tui.widgets.heat_table import HeatTable
    from bridge_tui.tui.widgets.overview_heatmap import HeatMap

    more_initiatives(db, 30)
    drawn: Counter[int] = Counter()
    segments = HeatTable._row_segments

    def counted(self: HeatTable, row: int, *args: Any) -> Any:
        drawn[row] += 1
        return segments(self, row, *args)

    monkeypatch.setattr(HeatTable, "_row_segments", counted)
    async with opened(db, "4") as pilot:
        heat = pilot.app.screen.query_one(HeatMap)
        assert heat.show_vertical_scrollbar
    assert drawn
    assert max(drawn.values()) == 1, drawn


async def test_the_next_gate_is_wrapped_for_its_width_from_its_first_frame(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen fills the gate panel as it opens, before it has a width: its first frame
    already shows the requirements wrapped under their own first word at the panel's width,
    wrapped once (not for no width, then again after the Resize, the screen laid out again)."""
    from bridge_tui.tui.widgets.checklist_panels import GatePanel

    widths: list[int] = []
    drawn = GatePanel._drawn

    def counted(self: GatePanel, shown: Any, width: int) -> Any:
        widths.append(width)
        return drawn(self, shown, width)

    monkeypatch.setattr(GatePanel, "_drawn", counted)
    frames, settled = await first_and_settled(db, monkeypatch, GatePanel, "2", "Route optimisation")
    # a requirement wrapped under itself (after the band's edge and the panel's padding)
    assert any(line[2:4] == "  " and line[4:].strip() for line in settled), settled
    assert frames[0] == settled
    assert [w for w in widths if w] == [len(settled[0]) - 2]  # its edge and padding


def more_initiatives(db: Path, count: int) -> None:
    """`count` more initiatives in Experiment: more than the overview's heat map shows."""
    from bridge_tui.service import Service
    from bridge_tui.store import Store

    store = Store.open(db)
    try:
        service = Service(store, "tester", FROZEN_TODAY)
        for n in range(count):
            service.create_initiative(f"Pilot {n:02d}")
    finally:
        store.close()


@pytest.mark.parametrize("more", [30, 0])
async def test_the_heat_maps_scrollbar_is_laid_out_with_its_first_frame(
    db: Path, monkeypatch: pytest.MonkeyPatch, more: int
) -> None:
    """Its rows are known before its widths, and its box has a fixed height: its scrollbar
    is there from its first frame when the rows overflow the box (it appeared after it, the
    screen laid out again twice), and never there when they fit."""
    from bridge_tui.tui.widgets.overview_heatmap import HeatMap

    more_initiatives(db, more)
    at_first_frame: list[bool] = []
    drawn = HeatMap.render_lines

    def first(self: HeatMap, crop: Any) -> Any:
        if not at_first_frame:
            at_first_frame.append(self.show_vertical_scrollbar)
        return drawn(self, crop)

    monkeypatch.setattr(HeatMap, "render_lines", first)
    async with opened(db, "4") as pilot:
        heat = pilot.app.screen.query_one(HeatMap)
        overflows = heat.virtual_size.height > heat.scrollable_content_region.height
        assert overflows == bool(more)
        assert heat.show_vertical_scrollbar == overflows
    assert at_first_frame == [overflows]


async def scrollbar_at_first_frame(
    db: Path, monkeypatch: pytest.MonkeyPatch, kind: type[Any], key: str, size: tuple[int, int]
) -> tuple[bool, bool, bool]:
    """Open `key`'s screen at `size`: whether the `kind` list showed its scrollbar at its
    first frame; whether, as the screen filled it before its first layout, its options alone
    (their own lines and dividers) outnumbered the screen's lines; whether its lines overflow
    its box once settled (checked to match the scrollbar shown then)."""
    at_first_frame: list[bool] = []
    certain: list[bool] = []
    drawn, ahead = kind.render_lines, kind.scrollbar_ahead

    def first(self: Any, crop: Any) -> Any:
        if not at_first_frame:
            at_first_frame.append(self.show_vertical_scrollbar)
        return drawn(self, crop)

    def counted(self: Any) -> None:
        if not at_first_frame:
            certain.append(self.lines_at_least() > size[1])
        ahead(self)

    monkeypatch.setattr(kind, "render_lines", first)
    monkeypatch.setattr(kind, "scrollbar_ahead", counted)
    async with opened(db, key, size) as pilot:
        rows = pilot.app.screen.query_one(kind)
        overflows = rows.virtual_size.height > rows.scrollable_content_region.height
        assert rows.show_vertical_scrollbar == overflows
    assert len(certain) == 1  # filled once before its first frame
    return at_first_frame[0], certain[0], overflows


@pytest.mark.parametrize("more", [40, 0])
async def test_the_four_questions_scrollbar_is_laid_out_with_their_first_frame(
    db: Path, monkeypatch: pytest.MonkeyPatch, more: int
) -> None:
    """With more lines than the screen is tall, the questions certainly overflow their box:
    their scrollbar is there from their first frame (it appeared as that frame counted the
    lines, and the new scrollbar laid the screen out once more). A list that may fit finds
    out as its lines are counted, as before; either way the scrollbar shows only when the
    lines overflow."""
    from bridge_tui.tui.widgets.overview_answers import OverviewAnswers

    more_initiatives(db, more)
    first, certain, _ = await scrollbar_at_first_frame(db, monkeypatch, OverviewAnswers, "4", SIZE)
    assert certain == bool(more)
    assert first == certain


@pytest.mark.parametrize(
    ("size", "certain", "overflows"),
    [
        (SIZE, True, True),
        ((80, 24), True, True),
        ((160, 90), False, True),  # may fit (83 lines at least), does not (93 at that width)
        ((200, 110), False, False),
    ],
)
async def test_the_checklists_scrollbar_is_laid_out_with_its_first_frame(
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    certain: bool,
    overflows: bool,
) -> None:
    """The rows' own lines and dividers outnumber the lines of a usual terminal: their
    scrollbar is there from their first frame. On a terminal tall enough that they may fit,
    the lines counted decide, as before: a scrollbar when they overflow, none when not."""
    from bridge_tui.tui.widgets.checklist_list import ChecklistList

    found = await scrollbar_at_first_frame(db, monkeypatch, ChecklistList, "2", size)
    assert found == (certain, certain, overflows)


async def test_the_plans_months_are_made_with_their_classes(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan is read as its screen is composed, so each month is made with the classes its
    progress gives it (current, behind, done): none is restyled as the screen opens (each
    class set once they were mounted restyled the month and its widgets again). The month
    the keys act on takes the focus once (Textual's own focus went to the first month, then
    that month took it: three restyles)."""
    from textual.app import App

    from bridge_tui.tui.widgets.plan_month import MonthColumn, TaskList

    restyled: list[str] = []
    update_styles = App.update_styles

    def noted(self: App[Any], node: Any = None, *args: Any, **kwargs: Any) -> None:
        if isinstance(node, MonthColumn | TaskList):
            restyled.append(str(node.id))
        update_styles(self, node, *args, **kwargs)

    app = build_app(db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select_planned(pilot)
        monkeypatch.setattr(App, "update_styles", noted)
        await pilot.press("3")
        await pilot.pause()
        await pilot.pause()
        months = list(pilot.app.screen.query(MonthColumn))
        assert len(months) == 3
        current = [m for m in months if m.has_class("-current")]
        assert len(current) == 1  # the plan's month of today
        for month in months:
            assert month.has_class("month")
        focused = pilot.app.screen.focused
        assert isinstance(focused, TaskList)
        assert focused.month == int(str(current[0].id).removeprefix("month-"))
    assert set(restyled) == {focused.id}  # its focus: no other month's list, no month
