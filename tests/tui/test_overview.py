"""Pilot tests of the overview: the figures shown, enter jumps to the board, sorting, report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from bridge_tui import scoring
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.commands import portfolio_palette
from bridge_tui.tui.screens.overview import OverviewScreen
from bridge_tui.tui.widgets.overview_answers import OverviewAnswers
from bridge_tui.tui.widgets.overview_heatmap import HeatMap
from tests.tui.helpers import sample_app, step, wait_busy

SIZE = (160, 45)


async def open_overview(pilot: Any) -> OverviewScreen:
    await step(pilot, "4")
    screen = pilot.app.screen
    assert isinstance(screen, OverviewScreen)
    return screen


def row_ids(table: HeatMap) -> list[str]:
    return table.row_ids


async def test_overview_shows_the_four_answers(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot)
        ov = app.service.overview()
        headline = str(screen.query_one("#ov-headline", Static).render())
        assert f"{len(ov.active)} active" in headline
        assert f"{len(ov.infrastructure)} infrastructure" in headline
        answers = screen.query_one(OverviewAnswers)
        ids = [answers.get_option_at_index(n).id for n in range(answers.option_count)]
        assert [i.split(":")[1] for i in ids if i and i.startswith("q1:")] == list(
            ov.infrastructure
        )
        assert [i.split(":")[1] for i in ids if i and i.startswith("q2:")] == [
            b.initiative_id for b in ov.blocked
        ]
        assert [i.split(":")[1] for i in ids if i and i.startswith("q3:")] == [
            k.initiative_id for k in ov.kill_candidates
        ]
        assert [i.split(":")[1] for i in ids if i and i.startswith("q4:")] == [
            p.initiative_id for p in ov.promoted
        ]
        assert [i.split(":")[1] for i in ids if i and i.startswith("purgatory:")] == list(
            ov.purgatory
        )
        assert [i.split(":")[1] for i in ids if i and i.startswith("overdue:")] == list(
            ov.review_overdue
        )
        heat = screen.query_one(HeatMap)
        assert sorted(row_ids(heat)) == sorted(ov.active)


async def test_enter_jumps_to_the_board_with_that_initiative(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot)
        answers = screen.query_one(OverviewAnswers)
        assert answers.has_focus
        # walk down with the arrow key to the first kill candidate
        for _ in range(answers.option_count):
            opt = answers.highlighted_option
            if opt is not None and opt.id and opt.id.startswith("q3:"):
                break
            await pilot.press("down")
        target = answers.highlighted_option.id.split(":")[1]  # type: ignore[union-attr]
        assert target == app.service.overview().kill_candidates[0].initiative_id
        await _enter_jumps_to(pilot, target)


async def _enter_jumps_to(pilot: Pilot[None], initiative_id: str) -> None:
    """Enter leaves the overview for the board, with `initiative_id` selected."""
    await step(pilot, "enter")
    app = pilot.app
    assert isinstance(app, BridgeApp)
    assert app.current_mode == "board"
    assert app.selected_id == initiative_id


async def test_heat_map_sorts_and_jumps(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot)
        await pilot.press("h")
        heat = screen.query_one(HeatMap)
        assert heat.has_focus
        rows = {r.initiative_id: r for r in app.service.overview().heat}
        # default: board order
        assert row_ids(heat) == [
            r.initiative_id for r in scoring.sort_heat_rows(rows.values(), "stage")
        ]
        # move to the Total column and sort by it, twice for descending
        for _ in range(7):
            await pilot.press("right")
        await pilot.press("s")
        totals = [rows[i].total for i in row_ids(heat)]
        assert totals == sorted(totals)
        await pilot.press("s")
        totals = [rows[i].total for i in row_ids(heat)]
        assert totals == sorted(totals, reverse=True)
        assert heat.sort_column == "total" and heat.sort_reverse
        # a test column: failing first
        await pilot.press("right", "right", "s")
        assert heat.sort_column == "owned"
        # enter on the second row jumps to it on the board
        await pilot.press("home", "down")
        wanted = row_ids(heat)[heat.cursor_row]
        await _enter_jumps_to(pilot, wanted)


async def test_write_report_from_the_overview(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_overview(pilot)
        await step(pilot, "w")
        await wait_busy(pilot)
        path = sample_db.parent / "sample-report-2026-11-22.md"
        assert path.exists()
        assert path.read_text(encoding="utf-8") == app.service.report("md")
        titles = [t for t, _, _ in portfolio_palette(app)]
        assert "Write report (JSON)" in titles and "Review session" in titles
        assert "Overview: Kill candidates" in titles


async def test_palette_jumps_from_the_board(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entries = {t: cb for t, _, cb in portfolio_palette(app)}
        entries["Overview: Kill candidates"]()
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        answers = screen.query_one(OverviewAnswers)
        assert answers.has_focus
        assert answers.highlighted_option.id.startswith("q3:")  # type: ignore[union-attr]
        entries["Overview: heat map"]()
        await pilot.pause()
        assert screen.query_one(HeatMap).has_focus
        entries["Write report (CSV)"]()
        await wait_busy(pilot)
        assert (sample_db.parent / "sample-report-2026-11-22.csv").exists()
        entries["Review session"]()
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"


async def test_overview_reloads_after_a_change(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_overview(pilot)
        await step(pilot, "1")
        svc = app.service
        svc.kill(svc.resolve("Warehouse slotting"), "Not a priority")
        await step(pilot, "4")  # back to the overview: it reloads because the data changed
        assert app.screen is screen
        headline = str(screen.query_one("#ov-headline", Static).render())
        assert "10 active" in headline


async def test_heat_map_scrolls_to_its_last_row_at_80x24(sample_db: Path) -> None:
    """The heat map skips Textual's per-cell measuring; its scrollable size must still hold
    every row, so the last initiative can be reached and seen."""
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_overview(pilot)
        await pilot.press("h")
        heat = screen.query_one(HeatMap)
        assert heat.virtual_size.height == heat.row_count + 1  # rows plus the header
        assert heat.virtual_size.width >= 60
        assert heat.max_scroll_y > 0, "the sample's heat map should not fit at 80x24"
        await step(pilot, *["down"] * heat.row_count)
        assert heat.cursor_row == heat.row_count - 1
        assert heat.scroll_y == heat.max_scroll_y
        last_name = app.service.initiative(row_ids(heat)[-1]).name
        assert last_name[:20].replace(" ", "&#160;") in app.export_screenshot()
