"""Issue 12: at 80x24 every focusable widget of every screen and dialog is on screen when it
has the focus, and every dialog's buttons are on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import ModalScreen

from bridge_tui.tui.styles import shared_sheet, stylesheets
from tests.tui.helpers import (
    DIALOGS,
    SCREENS,
    assert_buttons_on_screen,
    sample_app,
    tab_through,
)

SIZE = (80, 24)


@pytest.mark.parametrize("name", list(SCREENS))
async def test_screen_focus_stays_on_screen(sample_db: Path, name: str) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await SCREENS[name](pilot)
        assert not isinstance(app.screen, ModalScreen)
        visited = await tab_through(pilot)
        if name not in ("board", "review"):  # these own their keys: nothing takes focus
            assert visited, f"nothing on the {name} screen takes the focus"


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_dialog_fits_80x24(sample_db: Path, name: str) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await DIALOGS[name](pilot)
        dialog = app.screen
        assert isinstance(dialog, ModalScreen), f"{name}: no dialog opened ({dialog!r})"
        assert_buttons_on_screen(dialog)
        visited = await tab_through(pilot)
        assert visited
        assert_buttons_on_screen(dialog)


LONG = " ".join(f"word{n}" for n in range(400))


@pytest.mark.parametrize("kind", ["confirm", "reason", "gate"])
async def test_a_long_dialog_scrolls_and_keeps_its_buttons(kind: str) -> None:
    """However long the text (a name, a message, every unmet item of a gate), the buttons
    stay on screen at 80x24 and the text scrolls."""
    from textual.app import App

    from bridge_tui import method
    from bridge_tui.tui.dialogs.common import ConfirmDialog, ReasonDialog
    from bridge_tui.tui.dialogs.gate import GateDialog

    dialogs = {
        "confirm": lambda: ConfirmDialog(LONG),
        "reason": lambda: ReasonDialog(LONG, details=LONG),
        "gate": lambda: GateDialog(LONG, "infrastructure", tuple(i.id for i in method.ITEMS)),
    }
    app: App[None] = App(css_path=[shared_sheet(), *stylesheets()])
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(dialogs[kind]())
        await pilot.pause()
        assert_buttons_on_screen(app.screen)
        await tab_through(pilot)
        assert_buttons_on_screen(app.screen)


# what each part of issue 12 keeps on screen at 80x24 -------------------------------------

#: keys the footer shows on every screen (the screens, help, history)
EVERYWHERE = {"1", "question_mark"}


@pytest.mark.parametrize("name", list(SCREENS))
@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
async def test_footer_shows_the_keys_that_matter_whole(
    sample_db: Path, name: str, size: tuple[int, int]
) -> None:
    from bridge_tui.tui.widgets.footer import BridgeFooter

    app = sample_app(sample_db)
    async with app.run_test(size=size) as pilot:
        await SCREENS[name](pilot)
        await pilot.pause()
        footer = app.screen.query_one(BridgeFooter)
        assert footer.size.width == size[0]
        keys = footer.keys  # the keys drawn whole (one cut at the right edge is left out)
        shown = {k.key for k in keys}
        assert shown >= EVERYWHERE, shown
        if name != "history":
            assert "H" in shown
        if name in ("board", "overview"):
            assert "r" in shown
        line = "".join(s.text for s in footer.render_line(0))
        for key in keys:  # each where the line says, whole
            assert line[key.start : key.end].startswith(key.key_display), (key, line)
            assert key.end <= size[0], f"{key.key} {key.description} cut"


async def test_heat_map_at_80_shows_every_column_and_sorts_by_key(sample_db: Path) -> None:
    from bridge_tui import scoring
    from bridge_tui.tui.widgets.overview_heatmap import HeatMap

    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await SCREENS["overview"](pilot)
        await pilot.press("h")
        heat = app.screen.query_one(HeatMap)
        await pilot.pause()
        assert heat.narrow
        assert heat.virtual_size.width <= heat.scrollable_content_region.width
        assert heat.max_scroll_x == 0  # Total and the four tests without scrolling
        assert list(heat.column_widths) == list(scoring.HEAT_COLUMNS)
        # < and > move the sort between columns without moving the cursor
        cursor = heat.cursor_coordinate
        assert heat.sort_column == "stage"
        await pilot.press("greater_than_sign")
        assert heat.sort_column == "data" and not heat.sort_reverse
        await pilot.press("less_than_sign", "less_than_sign")
        assert heat.sort_column == "name"
        await pilot.press("less_than_sign")
        assert heat.sort_column == scoring.HEAT_COLUMNS[-1]  # wraps round
        assert heat.cursor_coordinate == cursor
        names = [app.service.initiative(i).name for i in heat.row_ids]
        assert len(set(names)) == len(names)
        shown = {str(heat.get_row_at(n)[0]).strip() for n in range(heat.row_count)}
        assert len(shown) == heat.row_count  # no two cut names read the same


async def test_heat_map_at_160_spans_the_width_with_whole_names(sample_db: Path) -> None:
    from bridge_tui.tui.widgets.overview_heatmap import HeatMap

    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await SCREENS["overview"](pilot)
        heat = app.screen.query_one(HeatMap)
        await pilot.pause()
        assert not heat.narrow
        assert heat.virtual_size.width >= heat.scrollable_content_region.width - 2
        for n in range(heat.row_count):
            name = app.service.initiative(heat.row_ids[n])
            assert str(heat.get_row_at(n)[0]).strip() == name.name


async def test_history_at_80_keeps_from_and_to(sample_db: Path) -> None:
    from textual.widgets import DataTable

    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await SCREENS["history"](pilot)
        table = app.screen.query_one(DataTable)
        for scope in ("initiative", "file"):
            await pilot.pause()
            keys = [str(c.value) for c in table.columns]
            assert keys[-2:] == ["from", "to"]
            assert ("initiative" in keys) is (scope == "file")
            assert table.max_scroll_x == 0, f"{scope}: From/To off the right edge"
            await pilot.press("a")


async def test_plan_stacked_months_say_how_many_tasks_are_hidden(sample_db: Path) -> None:
    from textual.widgets import Static

    from bridge_tui.tui.widgets.plan_month import TaskList

    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await SCREENS["plan"](pilot)
        await pilot.pause()
        month = app.screen.query_one("#month-1")
        tasks = month.query_one(TaskList)
        hint = month.query_one(".month-more", Static)
        above, below = tasks.hidden_counts()
        assert below > 0, "the sample's month 1 should not fit at 80x24"
        assert str(hint.render()) == f"↓ {below} more"
        # the focused task follows the cursor to the last task, and the hint follows too
        tasks.focus()
        await pilot.pause()
        for _ in range(tasks.option_count):
            tasks.action_cursor_down()
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            assert_highlight_in_view(tasks)
        assert tasks.highlighted == tasks.option_count - 1
        await pilot.pause()
        above, below = tasks.hidden_counts()
        assert below == 0  # the last task is in view (the month may have grown with focus)
        assert str(hint.render()) == (f"↑ {above} more" if above else "")


def assert_highlight_in_view(tasks: object) -> None:
    from bridge_tui.tui.widgets.plan_month import TaskList

    assert isinstance(tasks, TaskList)
    above, below = tasks.hidden_counts()
    assert tasks.highlighted is not None
    assert above <= tasks.highlighted < tasks.option_count - below


@pytest.mark.parametrize(
    ("size", "title"), [((80, 24), " Infra 2"), ((160, 45), "Infrastructure 2")]
)
async def test_board_stage_titles_read_whole(
    sample_db: Path, size: tuple[int, int], title: str
) -> None:
    from bridge_tui.tui.widgets.board_column import StageTitle

    app = sample_app(sample_db)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rendered = str(app.screen.query_one("#title-infrastructure", StageTitle).render())
        assert title in rendered and "…" not in rendered
