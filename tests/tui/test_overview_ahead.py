"""A large portfolio's overview figures are worked out ahead, in a thread, once the board has
read it whole (issue 13: at 10,000 initiatives the first opening waited a third of a second or
more for them). The thresholds are lowered here so the sample counts as large. The figures are
used only for the state of the file they were worked out from; they are never worked out twice
for one opening; below the threshold nothing runs ahead."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from bridge_tui.service import Board, Service
from bridge_tui.tui.overview_ahead import OverviewAhead
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.overview import OverviewScreen
from bridge_tui.tui.widgets.overview_heatmap import HeatMap
from tests.tui.helpers import (
    as_teammate,
    keys_coming,
    pressed,
    sample_app,
    service_calls,
    until,
)

SIZE = (160, 45)


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Board | None, bool]]:
    """The sample counts as large for the overview and its figures ahead; every call of
    `overview_data` is recorded: what it was given, and whether it ran off the app's thread."""
    monkeypatch.setattr(OverviewAhead, "FROM", 1)
    monkeypatch.setattr(OverviewAhead, "QUIET_FROM", 1)
    monkeypatch.setattr(OverviewScreen, "LOAD_IN_WORKER_FROM", 1)
    calls: list[tuple[Board | None, bool]] = []
    real = Service.overview_data
    main = threading.get_ident()

    def spy(self: Service, known: Board | None = None, *args: Any) -> Any:
        calls.append((known, threading.get_ident() != main))
        return real(self, known, *args)

    monkeypatch.setattr(Service, "overview_data", spy)
    return calls


def heat(screen: OverviewScreen) -> dict[str, int]:
    return {r.name: r.total for r in screen.query_one(HeatMap).rows_data}


def ahead_done(app: Any) -> bool:
    kept = app.overview_ahead._kept
    return kept is not None and kept[1].done()


def ahead_begun(app: Any) -> bool:
    kept = app.overview_ahead._kept
    return kept is not None and kept[1].running()


def not_begun(app: Any, large: list[tuple[Board | None, bool]]) -> None:
    assert large == [] and not ahead_begun(app) and not ahead_done(app)


@pytest.fixture
def held(
    monkeypatch: pytest.MonkeyPatch, large: list[tuple[Board | None, bool]]
) -> threading.Event:
    """Every `overview_data` (recorded by `large`) waits until the event is set."""
    release = threading.Event()
    spied = Service.overview_data

    def waiting(self: Service, known: Board | None = None, order: Any = None) -> Any:
        release.wait(timeout=30)
        return spied(self, known, order)

    monkeypatch.setattr(Service, "overview_data", waiting)
    return release


async def test_they_are_worked_out_only_once_the_keys_are_quiet(
    sample_db: Path, large: list[tuple[Board | None, bool]]
) -> None:
    """The thread shares the interpreter with the keys: it begins once they are quiet, not
    as the board gets its last card (it doubled a key pressed then)."""
    app = sample_app(sample_db)
    app.screens_ahead.QUIET_SECONDS = 0.5
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await keys_coming(pilot, each=lambda: not_begun(app, large))
        await until(pilot, lambda: ahead_done(app), "the figures worked out once quiet")
        kept = app.whole_board(app.screen.data_key())  # type: ignore[attr-defined]
        assert large == [(kept, True)]


async def test_below_quiet_from_they_are_worked_out_at_once_while_keys_come(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, large: list[tuple[Board | None, bool]]
) -> None:
    """A smaller portfolio's figures take a few tens of milliseconds: worked out as the board
    gets its last card, keys or not."""
    monkeypatch.setattr(OverviewAhead, "QUIET_FROM", 1_000)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # a key every 0.1 s for up to four seconds
        await keys_coming(pilot, 40, until_done=lambda: ahead_done(app))
        assert ahead_done(app) and len(large) == 1


async def test_opened_before_they_begin_it_reads_for_itself_and_they_never_begin(
    sample_db: Path, large: list[tuple[Board | None, bool]]
) -> None:
    app = sample_app(sample_db)
    app.screens_ahead.QUIET_SECONDS = 0.5
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.overview_ahead._kept is not None and not ahead_begun(app)
        screen = await pressed(pilot, "4", OverviewScreen)
        await until(pilot, lambda: not screen.query_one(HeatMap).loading)
        await pilot.pause(0.8)  # quiet now: nothing left to begin
        assert [on_thread for _, on_thread in large] == [True]  # its own read, in its worker
        assert app.overview_ahead._kept is None
        assert "Warehouse slotting" in heat(screen)


async def test_the_first_opening_takes_the_figures_worked_out_ahead(
    sample_db: Path, large: list[tuple[Board | None, bool]]
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        kept = app.whole_board(app.screen.data_key())  # type: ignore[attr-defined]
        assert kept is not None
        await until(pilot, lambda: ahead_done(app))
        assert large == [(kept, True)]  # once, in a thread, from the board's own read
        screen = await pressed(pilot, "4", OverviewScreen)
        assert large == [(kept, True)]  # not a second time
        assert not screen.query_one(HeatMap).loading
        assert heat(screen) == {
            i.name: app.service.card(i).readiness.total
            for i in app.service.board().initiatives
            if i.stage != "killed"
        }
        assert app.overview_ahead._kept is None  # handed over, not kept twice


async def test_opened_while_they_are_worked_out_it_waits_for_them(
    sample_db: Path, held: threading.Event, large: list[tuple[Board | None, bool]]
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await until(pilot, lambda: len(large) == 0 and ahead_begun(app))
        screen = await pressed(pilot, "4", OverviewScreen)
        assert screen.query_one(HeatMap).loading  # the indicator while it waits
        held.set()
        await until(pilot, lambda: not screen.query_one(HeatMap).loading)
        await pilot.pause()
        assert len(large) == 1  # the figures ahead, waited for: never worked out twice
        assert "Warehouse slotting" in heat(screen)


async def test_a_write_before_the_first_opening_is_not_hidden_by_them(
    sample_db: Path, large: list[tuple[Board | None, bool]]
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await until(pilot, lambda: ahead_done(app))
        service = app.service
        slotting = service.resolve("Warehouse slotting")
        service.edit_initiative(slotting, name="Warehouse slotting, renamed")
        screen = await pressed(pilot, "4", OverviewScreen)
        await until(pilot, lambda: not screen.query_one(HeatMap).loading)
        await pilot.pause()
        assert len(large) == 2  # worked out again, for the file as it is now
        assert "Warehouse slotting, renamed" in heat(screen)
        assert "Warehouse slotting" not in heat(screen)


async def test_below_the_threshold_nothing_runs_ahead(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, large: list[tuple[Board | None, bool]]
) -> None:
    monkeypatch.setattr(OverviewAhead, "FROM", 1_000)
    monkeypatch.setattr(OverviewScreen, "LOAD_IN_WORKER_FROM", 1_000)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause(0.2)
        assert large == [] and app.overview_ahead._kept is None
        await pressed(pilot, "4", OverviewScreen)
        assert [on_thread for _, on_thread in large] == [False]


async def test_back_after_a_write_a_large_overview_reads_in_its_worker(
    sample_db: Path, large: list[tuple[Board | None, bool]]
) -> None:
    """Opened once, then the board, our own write, and `4` again: the figures are read
    again off the app's thread (it held the keyboard for a second at 10,000)."""
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await until(pilot, lambda: ahead_done(app))
        screen = await pressed(pilot, "4", OverviewScreen)
        await pressed(pilot, "1", BoardScreen)
        service = app.service
        service.edit_initiative(service.resolve("Warehouse slotting"), name="Slotting, renamed")
        large.clear()
        assert await pressed(pilot, "4", OverviewScreen) is screen
        await until(pilot, lambda: "Slotting, renamed" in heat(screen))
        assert [on_thread for _, on_thread in large] == [True]
        assert "Warehouse slotting" not in heat(screen)


async def test_the_overview_is_built_ahead_once_its_figures_are_worked_out(
    sample_db: Path, held: threading.Event, large: list[tuple[Board | None, bool]]
) -> None:
    """While the figures are worked out ahead, the checklist and the plan are built ahead,
    not the overview (built then, it was built behind its loading indicator, and its first
    opening laid out and drew the figures); once they are, it is built with them and opens
    showing them."""
    app = sample_app(sample_db)
    app.screens_ahead.QUIET_SECONDS = 0.1
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ahead = app.screens_ahead
        await until(pilot, lambda: {"checklist", "plan"} <= ahead.ready() and ahead.idle)
        await pilot.pause(0.5)
        assert "overview" not in ahead.ready() and ahead_begun(app)
        held.set()
        await until(pilot, lambda: "overview" in ahead.ready() and ahead.idle)
        screen = await pressed(pilot, "4", OverviewScreen)
        assert not screen.query_one(HeatMap).loading
        assert "Warehouse slotting" in heat(screen)
        assert len(large) == 1  # worked out once, ahead


async def test_read_in_its_worker_the_names_that_start_alike_come_with_the_figures(
    sample_db: Path, large: list[tuple[Board | None, bool]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An overview that reads its figures in its worker works out there, too, which of the
    heat map's names start alike (30 ms of the app's thread at 10,000, as the map was
    filled); the map shows what it would have worked out itself."""
    from bridge_tui.tui.widgets import name_fit

    worked: list[bool] = []
    real = name_fit.shared_prefixes
    main = threading.get_ident()

    def spy(names: Any) -> dict[str, int]:
        worked.append(threading.get_ident() != main)
        return real(names)

    monkeypatch.setattr(name_fit, "shared_prefixes", spy)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        worked.clear()  # the board's own
        screen = await pressed(pilot, "4", OverviewScreen)  # at once: before they begin
        await until(pilot, lambda: not screen.query_one(HeatMap).loading)
        await pilot.pause()
        assert [off for _, off in large] == [True]
        assert worked == [True]  # once, in the worker
        rows = screen.query_one(HeatMap)
        assert rows._shared == real([r.name for r in rows.rows_data])
        assert rows._shared  # the sample has names that start alike


@pytest.mark.parametrize("at_once", [True, False])
async def test_they_are_worked_out_in_the_board_order_the_board_kept(
    sample_db: Path,
    large: list[tuple[Board | None, bool]],
    monkeypatch: pytest.MonkeyPatch,
    at_once: bool,
) -> None:
    """Ahead or in the overview's own worker, the figures are worked out from the board's own
    order of its cards (not sorted again), and they are what they are without it."""
    orders = service_calls(monkeypatch, "overview_data", pick=2)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if not at_once:
            await until(pilot, lambda: ahead_done(app))
        screen = await pressed(pilot, "4", OverviewScreen)
        await until(pilot, lambda: not screen.query_one(HeatMap).loading)
        await pilot.pause()
        known = app.whole_board(screen.data_key())
        assert known is not None
        assert orders == [app.board_order(screen.data_key())]
        assert orders[0] == [i.id for i in app.service.ordered(known.initiatives)]
        shown = [r.initiative_id for r in screen.query_one(HeatMap).rows_data]
        fresh = app.service.overview_data(known)
        assert shown == [r.initiative_id for r in fresh.figures.heat]


@pytest.fixture
def read_in_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample is read as a large board is: its first cards, then the rest in a worker."""
    from bridge_tui.tui.screens.board import BoardScreen

    monkeypatch.setattr(BoardScreen, "HEAD_FROM", 1)
    monkeypatch.setattr(BoardScreen, "HEAD_PER_STAGE", 1)


async def test_with_the_boards_first_whole_read_they_come_with_it(
    sample_db: Path, large: list[tuple[Board | None, bool]], read_in_parts: None
) -> None:
    """A large board's first whole read (in its worker) works out the overview's figures
    too, from that board in its order: the overview opened at once, with no key quiet yet,
    shows them without reading anything, and they are what a fresh read gives."""
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await until(pilot, lambda: getattr(app.screen, "complete", False))
        assert len(large) == 1 and large[0][1]  # once, in the board's worker
        known = app.whole_board(app.screen.data_key())
        assert large[0][0] is known  # from the very board the screen keeps
        assert ahead_done(app) and not app.overview_ahead.pending
        screen = await pressed(pilot, "4", OverviewScreen)
        assert not screen.query_one(HeatMap).loading  # no indicator: they were there
        await pilot.pause()
        assert len(large) == 1  # nothing read again
        fresh = app.service.overview_data()
        shown = screen.query_one(HeatMap).rows_data
        assert [r.initiative_id for r in shown] == [r.initiative_id for r in fresh.figures.heat]
        assert heat(screen) == {r.name: r.total for r in fresh.figures.heat}
        # the names that start alike came with them, worked out in the board's worker
        kept = app.overview_ahead
        assert kept._kept is None  # handed over
        from bridge_tui.tui.widgets import name_fit

        assert screen.query_one(HeatMap)._shared == name_fit.shared_prefixes(
            [r.name for r in shown]
        )


async def test_a_later_whole_read_leaves_them_to_the_quiet_keys(
    sample_db: Path, large: list[tuple[Board | None, bool]], read_in_parts: None
) -> None:
    """A teammate's save reads the board again in its worker: that read does not work the
    figures out (a user may be typing then); they wait for the keys to be quiet, as before."""
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await until(pilot, lambda: getattr(app.screen, "complete", False))
        assert len(large) == 1
        as_teammate(sample_db, "Warehouse slotting", summary="moved on")
        app.poll_changes()
        board = app.screen
        # keys come while the board is read again: nothing is worked out meanwhile
        await keys_coming(pilot, 12, lambda: len(large) == 1 or pytest.fail(str(large)))
        await until(pilot, lambda: app.whole_board(board.data_key()) is not None)
        await until(pilot, lambda: ahead_done(app))  # once the keys are quiet
        assert len(large) == 2


async def test_figures_that_fail_with_the_board_leave_the_board_whole(
    sample_db: Path,
    large: list[tuple[Board | None, bool]],
    read_in_parts: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Working the figures out with the board's read fails (a row only the overview reads,
    say): the board still gets every card from its worker, and the overview reads for
    itself when it opens."""
    real = Service.overview_data
    failed: list[bool] = []

    def failing(self: Service, *args: Any) -> Any:
        if not failed:
            failed.append(True)
            raise ValueError("a row the overview cannot read")
        return real(self, *args)

    monkeypatch.setattr(Service, "overview_data", failing)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await until(pilot, lambda: getattr(app.screen, "complete", False))
        assert failed and app.whole_board(app.screen.data_key()) is not None
        screen = await pressed(pilot, "4", OverviewScreen)
        await until(pilot, lambda: not screen.query_one(HeatMap).loading)
        await pilot.pause()
        assert "Warehouse slotting" in heat(screen)
