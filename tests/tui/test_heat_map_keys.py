"""The heat map's keys and mouse, pressed for real: what Textual's DataTable gave the map for
free before it drew itself (`heat_table.HeatTable`): the cell cursor's keys, the page keys,
the header fixed on top, a header click that sorts, a click that jumps, the cursor kept on its
initiative across a sort and a resize, the hover cursor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.pilot import Pilot

from bridge_tui import scoring
from bridge_tui.tui.widgets.overview_heatmap import HeatMap
from tests.tui.helpers import sample_app, step
from tests.tui.test_heat_map_large import _rows

ROWS = 60
LAST_COLUMN = len(scoring.HEAT_COLUMNS) - 1


class JumpApp(App[None]):
    """A heat map alone, 20 lines high (a header and 19 rows in view), noting its jumps."""

    CSS = "HeatMap { height: 20; }"

    def __init__(self) -> None:
        super().__init__()
        self.jumps: list[str] = []

    def compose(self) -> ComposeResult:
        yield HeatMap(id="heat")

    def on_heat_map_jump(self, message: HeatMap.Jump) -> None:
        self.jumps.append(message.initiative_id)


@asynccontextmanager
async def _focused(rows: int = ROWS) -> AsyncIterator[tuple[HeatMap, Pilot[None], JumpApp]]:
    app = JumpApp()
    async with app.run_test(size=(100, 30)) as pilot:
        heat = app.query_one(HeatMap)
        heat.show(_rows(rows))
        heat.focus()
        await pilot.pause()
        yield heat, pilot, app


def _header_x(heat: HeatMap, column: str) -> int:
    """The middle of `column`'s header, in cells from the map's left edge."""
    widths = heat.column_widths
    left = sum(widths[c] for c in scoring.HEAT_COLUMNS[: scoring.HEAT_COLUMNS.index(column)])
    return left + widths[column] // 2


async def test_the_cursor_keys_move_the_cell_cursor_and_stop_at_the_edges() -> None:
    async with _focused() as (heat, pilot, _):
        assert heat.cursor_coordinate == Coordinate(0, 0)
        await pilot.press("up", "left")  # already at the top left: stays
        assert heat.cursor_coordinate == Coordinate(0, 0)
        await pilot.press("down", "down", "right")
        assert heat.cursor_coordinate == Coordinate(2, 1)
        await pilot.press("left", "up")
        assert heat.cursor_coordinate == Coordinate(1, 0)
        await pilot.press("end")  # the last column, same row
        assert heat.cursor_coordinate == Coordinate(1, LAST_COLUMN)
        await pilot.press("right")
        assert heat.cursor_coordinate == Coordinate(1, LAST_COLUMN)
        await pilot.press("home")  # the first column
        assert heat.cursor_coordinate == Coordinate(1, 0)
        await pilot.press("right", "ctrl+end")  # the last row, same column, scrolled to
        await pilot.pause()
        assert heat.cursor_coordinate == Coordinate(ROWS - 1, 1)
        assert heat.scroll_y == heat.max_scroll_y > 0
        await pilot.press("down")
        assert heat.cursor_row == ROWS - 1
        await pilot.press("ctrl+home")
        await pilot.pause()
        assert heat.cursor_coordinate == Coordinate(0, 1)
        assert heat.scroll_y == 0


async def test_the_page_keys_move_a_page_and_the_header_stays_on_top() -> None:
    async with _focused() as (heat, pilot, _):
        page = heat.scrollable_content_region.height - 1  # the lines under the header
        assert page == 19
        await pilot.press("pagedown")
        await pilot.pause()
        assert heat.cursor_row == page
        assert heat.scroll_y == page
        header = heat.render_line(0).text
        assert "Initiative" in header and "Total" in header  # still the header, on top
        assert heat.render_line(1).text.startswith(heat.get_row_at(page)[0].plain)
        await pilot.press("pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert heat.cursor_row == ROWS - 1  # no further than the last row
        assert heat.scroll_y == heat.max_scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert heat.cursor_row == ROWS - 1 - page
        await pilot.press("pageup", "pageup", "pageup")
        await pilot.pause()
        assert heat.cursor_row == 0 and heat.scroll_y == 0


async def test_enter_jumps_to_the_initiative_under_the_cursor() -> None:
    async with _focused() as (heat, pilot, app):
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert app.jumps == [heat.row_ids[3]]


async def test_a_click_on_a_header_sorts_by_it_and_again_reverses() -> None:
    async with _focused() as (heat, pilot, _):
        await pilot.press("down", "down")
        kept = heat.cursor_id
        rows = heat.rows_data
        await pilot.click(HeatMap, offset=(_header_x(heat, "total"), 0))
        await pilot.pause()
        assert (heat.sort_column, heat.sort_reverse) == ("total", False)
        assert heat.row_ids == [r.initiative_id for r in scoring.sort_heat_rows(rows, "total")]
        assert "Total▲" in heat.render_line(0).text
        assert heat.cursor_id == kept  # the cursor stays on its initiative
        await pilot.click(HeatMap, offset=(_header_x(heat, "total"), 0))
        await pilot.pause()
        assert (heat.sort_column, heat.sort_reverse) == ("total", True)
        assert "Total▼" in heat.render_line(0).text
        assert heat.cursor_id == kept


async def test_a_click_takes_the_cursor_and_a_click_on_the_cursor_jumps() -> None:
    async with _focused() as (heat, pilot, app):
        x = _header_x(heat, "data")
        await pilot.click(HeatMap, offset=(x, 4))  # the fourth row, under the header
        await pilot.pause()
        assert heat.cursor_coordinate == Coordinate(3, scoring.HEAT_COLUMNS.index("data"))
        assert app.jumps == []
        await pilot.click(HeatMap, offset=(x, 4))
        await pilot.pause()
        assert app.jumps == [heat.row_ids[3]]


async def test_the_cursor_keeps_its_initiative_across_a_sort_and_a_resize() -> None:
    async with _focused() as (heat, pilot, _):
        await pilot.press(*["down"] * 25, "right", "right")
        await pilot.pause()
        kept, column = heat.cursor_id, heat.cursor_column
        await pilot.press("greater_than_sign")  # the sort moves; the cursor does not
        await pilot.pause()
        assert heat.sort_column == "data"
        assert heat.cursor_id == kept and heat.cursor_column == column
        assert heat.row_ids.index(kept) == heat.cursor_row
        region_y = heat.cursor_row + 1 - heat.scroll_y
        assert 1 <= region_y < heat.size.height  # in view, below the header
        narrow_before = heat.column_widths
        await pilot.resize_terminal(160, 30)
        await pilot.pause()
        assert heat.column_widths != narrow_before
        assert heat.cursor_id == kept and heat.cursor_column == column


async def test_the_hover_cursor_follows_the_mouse_and_keys_hide_it(sample_db: Path) -> None:
    """On the overview, whose stylesheet gives the map its look (`styles/overview.tcss`)."""
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await step(pilot, "4", "h")
        heat = app.screen.query_one(HeatMap)
        team = scoring.HEAT_COLUMNS.index("team")
        x = 1 + _header_x(heat, "team")  # inside the map's border
        await pilot.hover(HeatMap, offset=(x, 3))  # the second row
        await pilot.pause()
        assert heat.hover_coordinate == Coordinate(1, team)
        hovered = list(heat.render_line(2))
        await step(pilot, "left")  # a key hides the hover cursor (the cursor stays put)
        assert heat.cursor_coordinate == Coordinate(0, 0)
        plain = list(heat.render_line(2))
        assert plain != hovered
        await pilot.hover(HeatMap, offset=(x, 3))
        await pilot.pause()
        assert list(heat.render_line(2)) == hovered
        await pilot.hover(HeatMap, offset=(x, 1))  # over the header
        await pilot.pause()
        assert heat.hover_coordinate == Coordinate(-1, team)
        assert list(heat.render_line(2)) == plain
