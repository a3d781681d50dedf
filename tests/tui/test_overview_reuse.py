"""The overview takes its initiatives from the board the board screen read, while the file is
as it was then (issue 13: at 10,000 initiatives that is half a second of reading and checking
saved). A teammate's save, our own write, or a reload in between: it reads the file again, so
it never shows what the file no longer says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridge_tui.service import Board
from bridge_tui.tui.screens.overview import OverviewScreen
from bridge_tui.tui.widgets.overview_heatmap import HeatMap
from tests.tui.helpers import as_teammate, pressed, sample_app, service_calls

SIZE = (160, 45)


def spy_known(monkeypatch: pytest.MonkeyPatch) -> list[Board | None]:
    """What the overview was given to read from, per read."""
    return service_calls(monkeypatch, "overview_data")


def kept_now(app: Any) -> Board | None:
    """The whole board the app hands out for the file as it is now."""
    board: Board | None = app.whole_board(app.screen.data_key())
    return board


def names_on_heat_map(screen: OverviewScreen) -> set[str]:
    return {r.name for r in screen.query_one(HeatMap).rows_data}


async def test_the_overview_reads_from_the_board_read_at_the_same_state(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = spy_known(monkeypatch)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        kept = kept_now(app)
        assert kept is not None and kept.complete
        screen = await pressed(pilot, "4", OverviewScreen)
        assert given == [kept]
        assert names_on_heat_map(screen) == {
            i.name for i in app.service.board().initiatives if i.stage != "killed"
        }


async def test_a_teammates_save_is_read_from_the_file(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = spy_known(monkeypatch)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        key = app.screen.data_key()  # type: ignore[attr-defined]
        assert app.whole_board(key) is not None
        as_teammate(sample_db, "Email triage", name="Email triage (sam)")
        # the file moved on: the board read before it is not handed out any more
        assert kept_now(app) is None
        assert app.whole_board(key) is None  # and not kept alive for nothing
        screen = await pressed(pilot, "4", OverviewScreen)
        assert "Email triage (sam)" in names_on_heat_map(screen)
        assert "Email triage" not in names_on_heat_map(screen)
        # read from the file, or from the board the poll read again after the save
        assert given[-1] is None or any(
            i.name == "Email triage (sam)" for i in given[-1].initiatives
        )


async def test_our_own_write_is_read_from_the_file(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = spy_known(monkeypatch)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        service = app.service
        service.edit_initiative(service.resolve("Email triage"), name="Email triage, renamed")
        screen = await pressed(pilot, "4", OverviewScreen)
        assert given == [None]
        assert "Email triage, renamed" in names_on_heat_map(screen)


async def test_the_review_reads_from_the_board_read_at_the_same_state(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bridge_tui.tui.screens.review import ReviewScreen

    given = service_calls(monkeypatch, "kept_board")
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        kept = kept_now(app)
        assert kept is not None
        screen = await pressed(pilot, "r", ReviewScreen)
        assert given == [kept]
        assert len(screen.items) == sum(1 for i in kept.initiatives if i.stage != "killed")
