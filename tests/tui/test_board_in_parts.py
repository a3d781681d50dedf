"""A large board paints each column's first cards at once and reads the rest in a worker
(issue 13; the threshold is lowered here so the sample counts as large): the counts are whole
from the start, the keys work meanwhile, and the rest lands without moving the selection."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Label, Static

from bridge_tui import method
from bridge_tui.board_model import haystack
from bridge_tui.models import Initiative
from bridge_tui.service import Service
from bridge_tui.tui.app import build_app
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.widgets import board_card
from bridge_tui.tui.widgets.board_column import StageTitle
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import step, until


@pytest.fixture
def in_parts(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[bool]]:
    """Every board counts as large, one card per column comes first, and the read of the rest
    waits for the test; whether that read ran off the app's thread is recorded."""
    monkeypatch.setattr(BoardScreen, "HEAD_FROM", 1)
    monkeypatch.setattr(BoardScreen, "HEAD_PER_STAGE", 1)
    release = threading.Event()
    off_thread: list[bool] = []
    real = Service.lean_board
    main = threading.get_ident()

    def held(self: Service, *args: Any, **kw: Any) -> Any:
        off_thread.append(threading.get_ident() != main)
        release.wait(timeout=30)
        return real(self, *args, **kw)

    monkeypatch.setattr(Service, "lean_board", held)
    return release, off_thread


def _titles(board: BoardScreen) -> dict[str, str]:
    return {s: board.query_one(f"#title-{s}", StageTitle).count for s in method.STAGE_IDS}


async def test_the_first_cards_first_then_the_rest(
    sample_db: Path, in_parts: tuple[threading.Event, list[bool]]
) -> None:
    release, off_thread = in_parts
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    ordered = app.service.ordered()
    counts = Counter(i.stage for i in ordered)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen) and not board.complete
        for stage in method.STAGE_IDS:
            shown = [i.id for i in board.column(stage).items]
            assert shown == [i.id for i in ordered if i.stage == stage][:1]
        # the counts are the whole board's from the first paint
        assert _titles(board) == {s: str(counts[s]) for s in method.STAGE_IDS}
        status = str(board.query_one("#status", Static).render())
        assert status.startswith("Reading the rest: 6 of 13 shown · 11 active")
        # keys meanwhile: one card per column, so down stays, right moves on
        first = board.selected
        assert first is not None and first.stage == "experiment"
        await step(pilot, "down")
        assert board.selected is first
        await step(pilot, "right")
        pilot_card = board.selected
        assert pilot_card is not None and pilot_card.stage == "pilot"
        release.set()
        await until(pilot, lambda: board.complete)
        assert off_thread == [True]
        for stage in method.STAGE_IDS:
            shown = [i.id for i in board.column(stage).items]
            assert shown == [i.id for i in ordered if i.stage == stage]
        assert _titles(board) == {s: str(counts[s]) for s in method.STAGE_IDS}
        # the card I moved to is still the one selected, and the hint is the usual one
        selected = board.selected
        assert selected is not None and selected.id == pilot_card.id
        status = str(board.query_one("#status", Static).render())
        assert "Reading the rest" not in status and "/ filters" in status
        await step(pilot, "down")  # the rest of the column is there to walk
        after = board.selected
        assert after is not None and after.stage == "pilot" and after.id != pilot_card.id


async def test_a_selection_asked_for_lands_when_the_rest_comes(
    sample_db: Path, in_parts: tuple[threading.Event, list[bool]]
) -> None:
    """The selection the app was asked to show (not among the first cards) is shown once the
    whole board is in, when nobody moved meanwhile."""
    release, _ = in_parts
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    slotting = app.service.resolve("Warehouse slotting")  # the second card of Experiment
    app.selected_id = slotting.id
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        early = board.selected
        assert early is not None and early.id != slotting.id  # not read yet
        release.set()
        await until(pilot, lambda: board.complete)
        selected = board.selected
        assert selected is not None and selected.id == slotting.id


async def test_a_card_drawn_reads_its_own_answers(
    sample_db: Path, in_parts: tuple[threading.Event, list[bool]]
) -> None:
    """After the rest lands, a card whose answers were not read up front shows its score
    from its own answers (read on the app's thread when it is drawn)."""
    release, _ = in_parts
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        release.set()
        await until(pilot, lambda: board.complete)
        await pilot.pause()
        for stage in method.STAGE_IDS:
            for i in board.column(stage).items:
                card = board.card_for(i)
                assert card == app.service.card(i), i.name


async def test_a_filter_typed_meanwhile_covers_the_rest_when_it_comes(
    sample_db: Path, in_parts: tuple[threading.Event, list[bool]]
) -> None:
    """The filter works on the cards read so far, says so, and takes in the rest when it
    lands: nothing matching is left out."""
    release, _ = in_parts
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    shown_stages = [s for s in method.STAGE_IDS if s != method.KILLED]
    ordered = [i for i in app.service.ordered() if i.stage in shown_stages]
    first = {s: next(i.id for i in ordered if i.stage == s) for s in shown_stages}
    matching = [i.id for i in ordered if "document" in haystack(i)]
    early = [i for i in matching if i in first.values()]
    assert early and len(early) < len(matching)  # some match only among the rest
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen) and not board.complete
        await step(pilot, "slash", *"document")
        shown = [i.id for s in shown_stages for i in board.column(s).items]
        assert shown == early
        total = len(ordered)
        count = str(board.query_one("#filter-count", Label).render())
        assert count == f"{len(early)} of {total} shown so far · escape clears"
        release.set()
        await until(pilot, lambda: board.complete)
        shown = [i.id for s in shown_stages for i in board.column(s).items]
        assert shown == matching
        count = str(board.query_one("#filter-count", Label).render())
        assert count == f"{len(matching)} of {total} shown · escape clears"


async def test_back_from_the_checklist_a_large_board_reads_in_a_worker(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our own answer toggled on the checklist, then `1`: a large board keeps its keys while
    it reads the file again (it read it on the app's thread: a second at 10,000), selects the
    checklist's initiative at once, and shows the new score when the read lands."""
    monkeypatch.setattr(BoardScreen, "RELOAD_IN_WORKER_FROM", 1)
    main = threading.get_ident()
    threads: list[bool] = []
    real = Service.lean_board

    def spy(self: Service, *args: Any, **kw: Any) -> Any:
        threads.append(threading.get_ident() != main)
        return real(self, *args, **kw)

    monkeypatch.setattr(Service, "lean_board", spy)
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        slotting = app.service.resolve("Warehouse slotting")
        app.select(slotting.id)
        await step(pilot, "2")
        before = app.service.card(slotting).readiness.total
        await step(pilot, "space")  # the first unanswered item: met
        after = app.service.card(slotting).readiness.total
        assert after == before + 1
        threads.clear()
        await step(pilot, "1")
        assert app.screen is board
        selected = board.selected
        assert selected is not None and selected.id == slotting.id
        await until(pilot, lambda: board.complete and threads == [True])
        await pilot.pause()
        selected = board.selected
        assert selected is not None and selected.id == slotting.id
        assert board.card_for(selected).readiness.total == after


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_first_part_fills_a_tall_column_and_no_more_than_twice(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """Without a count set, the first part holds as many cards per column as the terminal's
    height can show twice over: a column of 60 shows no gap at its first paint, and the
    first part is not the whole column."""
    monkeypatch.setattr(BoardScreen, "HEAD_FROM", 1)
    release = threading.Event()
    real = Service.lean_board

    def held(self: Service, *args: Any, **kw: Any) -> Any:
        release.wait(timeout=30)
        return real(self, *args, **kw)

    monkeypatch.setattr(Service, "lean_board", held)
    service = Service.open(sample_db, author="maya", today=FROZEN_TODAY)
    for n in range(60):
        service.create_initiative(f"Queue triage {n:02}")
    service.store.close()
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen) and not board.complete
        column = board.column("experiment")
        head = len(column.items)
        assert head == board.head_size() == 2 * (size[1] // board_card.MIN_ROWS + 1)
        # the cards read so far are taller than the column's box: no gap below them
        assert column.virtual_size.height > column.size.height
        release.set()
        await until(pilot, lambda: board.complete)
        assert len(column.items) > head


def test_no_card_is_shorter_than_the_fewest_rows() -> None:
    service_today = FROZEN_TODAY
    short = Initiative(
        name="Triage",
        stage_entered_at=service_today,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert board_card.height(short, service_today, 30, ()) == board_card.MIN_ROWS
    long = short.model_copy(update={"name": "Triage of every inbound queue in the region"})
    assert board_card.height(long, service_today, 20, ("forced", "2 blockers")) > (
        board_card.MIN_ROWS
    )
