"""The heat map at thousands of rows (issue 12, item 10): filled as one update, each row drawn
only when it comes into view, built once when it is shown under its loading indicator, and
still every row there, in the sort's order, readable and reachable."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from bridge_tui import method, scoring
from bridge_tui.tui.widgets import overview_heatmap
from bridge_tui.tui.widgets.overview_heatmap import HeatMap

ROWS = 3_000


def _rows(n: int, seed: int = 7) -> list[scoring.HeatRow]:
    rng = random.Random(seed)
    stages = [s.id for s in method.STAGES]
    rows = []
    for k in range(n):
        categories = []
        for category in method.CATEGORIES:
            most = len(method.items_in(category.id))
            categories.append((category.id, rng.randint(0, most), most))
        total = sum(met for _, met, _ in categories)
        rows.append(
            scoring.HeatRow(
                initiative_id=f"id-{k:05d}",
                name=f"Initiative {k:05d} {rng.choice(['claims', 'routing', 'invoices'])}",
                stage=rng.choice(stages),
                categories=tuple(categories),
                total=total,
                passing=total >= method.PASSING_SCORE,
                tests=tuple((t.id, rng.choice([True, False, None])) for t in method.TESTS),
            )
        )
    return rows


class HeatApp(App[None]):
    def __init__(self, loading: bool = False) -> None:
        super().__init__()
        self.start_loading = loading

    def compose(self) -> ComposeResult:
        heat = HeatMap(id="heat")
        heat.loading = self.start_loading
        yield heat


@asynccontextmanager
async def _shown(rows: list[scoring.HeatRow]) -> AsyncIterator[tuple[HeatMap, Pilot[None]]]:
    """A running map, filled with `rows` and drawn once, and its pilot."""
    app = HeatApp()
    async with app.run_test(size=(100, 30)) as pilot:
        heat = app.query_one(HeatMap)
        heat.show(rows)
        await pilot.pause()
        yield heat, pilot


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the rows whose cells were drawn, in order."""
    seen: list[str] = []
    real = overview_heatmap._Drawing.cells

    def cells(self: overview_heatmap._Drawing, row: scoring.HeatRow) -> list[object]:
        seen.append(row.initiative_id)
        return real(self, row)  # type: ignore[return-value]

    monkeypatch.setattr(overview_heatmap._Drawing, "cells", cells)
    return seen


async def test_thousands_of_rows_are_all_there_but_only_those_in_view_are_drawn(
    drawn: list[str],
) -> None:
    rows = _rows(ROWS)
    async with _shown(rows) as (heat, pilot):
        assert heat.row_count == ROWS
        ordered = scoring.sort_heat_rows(rows, heat.sort_column, heat.sort_reverse)
        assert heat.row_ids == [r.initiative_id for r in ordered]
        assert 0 < len(set(drawn)) <= heat.size.height + 2  # the rows on screen, no more
        # any row reads whole when asked for, drawn then
        last = heat.get_row_at(ROWS - 1)
        assert len(last) == len(scoring.HEAT_COLUMNS)
        assert ordered[-1].name[:10] in str(last[0])
        assert str(last[len(scoring.HEAT_COLUMNS) - 5]).strip() == method.score_text(
            ordered[-1].total
        )
        # the end of the map is reachable and drawn when it comes into view
        drawn.clear()
        await pilot.press("end")
        heat.move_cursor(row=ROWS - 1)
        await pilot.pause()
        assert heat.cursor_row == ROWS - 1
        assert heat.scroll_y == heat.max_scroll_y
        assert ordered[-2].initiative_id in drawn  # (the last was drawn when read above)
        assert len(set(drawn)) <= heat.size.height + 2


async def test_sorting_thousands_of_rows_keeps_the_cursor_on_its_initiative(
    drawn: list[str],
) -> None:
    rows = _rows(ROWS)
    async with _shown(rows) as (heat, pilot):
        heat.focus()
        heat.move_cursor(row=1234, column=scoring.HEAT_COLUMNS.index("total"))
        await pilot.pause()
        chosen = heat.cursor_id
        drawn.clear()
        await pilot.press("s")
        await pilot.pause()
        assert heat.sort_column == "total"
        ordered = scoring.sort_heat_rows(rows, "total", False)
        assert heat.row_ids == [r.initiative_id for r in ordered]
        assert heat.cursor_id == chosen
        # the rows in view where the sort left the scroll, then around the cursor: no more
        assert len(set(drawn)) <= 2 * (heat.size.height + 2)


async def test_a_map_filled_under_its_loading_indicator_is_built_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The overview fills the map the moment its loading indicator goes, before the map has
    been laid out: it waits for its size instead of building at width 0 and again."""
    builds: list[int] = []
    real = HeatMap._rebuild

    def rebuild(self: HeatMap) -> None:
        builds.append(len(self.rows_data))
        real(self)

    monkeypatch.setattr(HeatMap, "_rebuild", rebuild)
    rows = _rows(500)
    app = HeatApp(loading=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        heat = app.query_one(HeatMap)
        builds.clear()
        heat.loading = False
        heat.show(rows)
        await pilot.pause()
        await pilot.pause()
        assert builds == [500]
        assert heat.row_count == 500
        assert heat.column_widths and all(w > 0 for w in heat.column_widths.values())
