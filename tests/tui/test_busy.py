"""Share and the report run in a worker thread: a loading line shows while they run, keys
pressed meanwhile are handled, and the result is right (issue 12, item 10)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, LoadingIndicator

from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import build_app
from bridge_tui.tui.busy import BusyNote
from bridge_tui.tui.commands import start_merge, start_share
from bridge_tui.tui.dialogs.merge import MergeDialog, ShareDialog
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.overview import OverviewScreen
from bridge_tui.tui.screens.review import ReviewScreen
from bridge_tui.tui.widgets.overview_answers import OverviewAnswers
from bridge_tui.tui.widgets.overview_heatmap import HeatMap
from bridge_tui.tui.widgets.review_agenda import ReviewAgenda
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import (
    as_teammate,
    pressed,
    record_notes,
    sample_app,
    select,
    started,
    step,
    teammate_copy,
    wait_busy,
    wait_group,
)


def _held(monkeypatch: pytest.MonkeyPatch, name: str) -> tuple[threading.Event, list[bool]]:
    """Make `Service.<name>` wait for the test; record whether it ran off the app's thread."""
    release = threading.Event()
    off_thread: list[bool] = []
    real = getattr(Service, name)
    main = threading.get_ident()

    def held(self: Service, *args: Any, **kw: Any) -> Any:
        off = threading.get_ident() != main
        off_thread.append(off)
        if off:  # the app's own loads (the board at start) are not held
            release.wait(timeout=30)
        return real(self, *args, **kw)

    monkeypatch.setattr(Service, name, held)
    return release, off_thread


async def test_share_writes_in_a_worker_and_the_keys_stay_live(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, off_thread = _held(monkeypatch, "share")
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await started(pilot, start_share, ShareDialog)
        target = Path(dialog.query_one(Input).value)
        await step(pilot, "enter")
        note = app.screen.query_one(BusyNote)  # the loading line, while it runs
        assert note.query_one(LoadingIndicator).display
        assert not target.exists()
        await step(pilot, "2")  # a key meanwhile: the checklist opens
        assert app.current_mode == "checklist"
        release.set()
        await wait_busy(pilot)
        assert off_thread[-1:] == [True]
        assert not note.is_attached  # gone after
        assert target.exists()
        copy = Store.open(target, read_only=True)
        try:
            assert copy.integrity() == "ok"
            assert {i.name for i in Service(copy, "x", FROZEN_TODAY).initiatives()} == {
                i.name for i in app.service.initiatives()
            }
        finally:
            copy.close()
        assert any("Wrote a checked copy" in n.message for n in app._notifications)


async def test_a_share_that_fails_says_so_and_removes_the_loading_line(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await started(pilot, start_share, ShareDialog)
        dialog.query_one(Input).value = str(sample_db)  # onto the open file itself
        await pilot.press("enter")
        await wait_busy(pilot)
        assert not app.screen.query(BusyNote)
        titles = [n.title for n in app._notifications]
        assert "No copy written" in titles


async def test_the_report_is_written_in_a_worker_and_the_keys_stay_live(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, off_thread = _held(monkeypatch, "write_report")
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await pressed(pilot, "4", OverviewScreen)
        report = sample_db.parent / "sample-report-2026-11-22.md"
        await step(pilot, "w")
        assert len(screen.query(BusyNote)) == 1
        await step(pilot, "h")  # a key meanwhile: the heat map takes the focus
        assert screen.focused is not None and screen.focused.id == "ov-heat"
        release.set()
        await wait_busy(pilot)
        assert off_thread[-1:] == [True]
        assert not screen.query(BusyNote)
        assert report.read_text(encoding="utf-8") == app.service.report("md")


async def test_a_large_overview_loads_in_a_worker_and_the_keys_stay_live(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1,000 initiatives or more the overview's first load runs in a worker (here the
    threshold is lowered so the sample counts as large)."""
    monkeypatch.setattr(OverviewScreen, "LOAD_IN_WORKER_FROM", 1)
    release, off_thread = _held(monkeypatch, "overview_data")
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        on_app_thread = len(off_thread)
        screen = await pressed(pilot, "4", OverviewScreen)
        heat = screen.query_one(HeatMap)
        answers = screen.query_one(OverviewAnswers)
        assert heat.loading and answers.loading and heat.row_count == 0
        count = app.service.initiative_count()
        assert str(screen.query_one("#ov-headline").render()) == f"Scoring {count:,} initiatives…"
        await step(pilot, "1")  # keys meanwhile: back to the board, and to the overview again
        assert app.current_mode == "board"
        await step(pilot, "4")
        assert app.screen is screen and heat.loading
        release.set()
        await wait_group(pilot, "overview-load")
        assert off_thread[on_app_thread:] == [True]  # loaded off the app's thread, once
        assert not heat.loading and not answers.loading
        for _ in range(50):  # the map is built at its first layout after the indicator goes
            if heat.row_count:
                break
            await pilot.pause(0.02)
        assert answers.has_focus  # where a loaded overview starts
        expected = app.service.overview()
        assert heat.row_count == len(expected.heat) > 0
        assert sorted(r.initiative_id for r in heat.rows_data) == sorted(
            r.initiative_id for r in expected.heat
        )
        headline = str(screen.query_one("#ov-headline").render())
        assert f"{len(expected.active)} active" in headline


async def test_a_small_overview_loads_at_once(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        assert not [w for w in app.workers if w.group == "overview-load"]
        assert screen.query_one(HeatMap).row_count == len(app.service.overview().heat)


async def test_a_merge_is_applied_in_a_worker_and_the_keys_stay_live(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folding a large copy in takes seconds: it runs on a connection of its own in a worker,
    the busy line shows meanwhile, and the screens reload after, without calling the merge
    a teammate's change."""
    copy = teammate_copy(sample_db)
    release, off_thread = _held(monkeypatch, "merge")
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await started(pilot, start_merge, MergeDialog)
        dialog.query_one("#merge-path", Input).value = str(copy)
        await pilot.press("enter")  # the preview (a dry run, in its own worker)
        release.set()  # let the preview through
        await wait_group(pilot, "merge-preview")
        release.clear()  # hold the merge itself
        await step(pilot, "enter")  # Merge
        assert not isinstance(app.screen, MergeDialog)
        note = app.screen.query_one(BusyNote)
        assert note.query_one(LoadingIndicator).display
        assert app.service.resolve("Dispatch routing").team != "Night desk"
        await step(pilot, "2")  # a key meanwhile: the checklist opens
        assert app.current_mode == "checklist"
        release.set()
        await wait_busy(pilot)
        assert off_thread[-1:] == [True]
        assert not note.is_attached
        assert app.service.resolve("Dispatch routing").team == "Night desk"
        titles = [n.title for n in app._notifications]
        assert "Merged" in titles
        assert "A teammate's change" not in titles  # the merge's own write, not an arrival
        app.poll_changes()  # and the next poll does not take it for one either
        await pilot.pause()
        assert "A teammate's change" not in [n.title for n in app._notifications]
        # the app writes on after it: its own connection sees the merged revision
        initiative = app.service.resolve("Dispatch routing")
        app.service.edit_initiative(initiative, owner="Ana")
        assert app.service.resolve("Dispatch routing").owner == "Ana"


async def test_a_poll_between_the_merges_commit_and_its_end_is_no_teammates_change(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poll may tick after the merge has committed on its own connection but before the
    worker hands the result back: the merge is this app's own write, never announced as a
    teammate's change (it was, now and then, on a loaded machine)."""
    copy = teammate_copy(sample_db)
    committed, finish = threading.Event(), threading.Event()
    real = Service.merge

    def merge_then_wait(self: Service, *args: Any, **kw: Any) -> Any:
        result = real(self, *args, **kw)
        if kw.get("dry_run") or threading.current_thread() is threading.main_thread():
            return result
        committed.set()  # the merge is in the file; the worker has not finished yet
        finish.wait(timeout=30)
        return result

    monkeypatch.setattr(Service, "merge", merge_then_wait)
    app = sample_app(sample_db)
    said = record_notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await started(pilot, start_merge, MergeDialog)
        dialog.query_one("#merge-path", Input).value = str(copy)
        await pilot.press("enter")  # the preview
        await wait_group(pilot, "merge-preview")
        await step(pilot, "enter")  # Merge
        assert committed.wait(timeout=30)
        app.poll_changes()  # the file changed under the app: its own merge, still running
        await pilot.pause()
        finish.set()
        await wait_busy(pilot)
        app.poll_changes()
        await pilot.pause()
        assert app.service.resolve("Dispatch routing").team == "Night desk"
        assert not any("Night desk" in note for note in said), said
        assert [n.title for n in app._notifications if n.title == "A teammate's change"] == []


async def test_a_merge_that_fails_says_so_in_one_sentence(sample_db: Path) -> None:
    copy = teammate_copy(sample_db)
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = await started(pilot, start_merge, MergeDialog)
        dialog.query_one("#merge-path", Input).value = str(copy)
        await pilot.press("enter")
        await wait_group(pilot, "merge-preview")
        copy.write_bytes(b"not a bridge file any more" * 100)  # spoiled after the preview
        await pilot.press("enter")
        await wait_busy(pilot)
        errors = [n for n in app._notifications if n.title == "Not merged"]
        assert len(errors) == 1 and "\n" not in errors[0].message
        assert not app.screen.query(BusyNote)
        assert app.service.resolve("Dispatch routing").team != "Night desk"


async def test_a_large_review_loads_in_a_worker_and_nothing_is_decided_meanwhile(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1,000 initiatives or more the review scores its agenda in a worker (here the
    threshold is lowered so the sample counts as large): a loading indicator shows, escape
    still leaves, and a decision key does nothing until the agenda is there."""
    monkeypatch.setattr(ReviewScreen, "LOAD_IN_WORKER_FROM", 1)
    release, off_thread = _held(monkeypatch, "review_items")
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await pressed(pilot, "r", ReviewScreen)
        assert screen.query_one(ReviewAgenda).loading and not screen.items
        assert "scoring the agenda" in str(screen.query_one("#rv-progress").render())
        assert str(screen.query_one("#rv-keys").render()) == "esc leave"
        await step(pilot, "k")  # keep: nothing to keep yet, so no dialog, nothing saved
        assert app.screen is screen
        assert app.service.open_review() is None
        await step(pilot, "escape")  # leaving works while it loads
        assert not isinstance(app.screen, ReviewScreen)
        await step(pilot, "r")  # again: a fresh screen, loading
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and not screen.loaded
        release.set()
        await wait_group(pilot, "review-load")
        assert off_thread and all(off_thread)
        assert screen.loaded and not screen.query_one(ReviewAgenda).loading
        expected = [i.id for i in app.service.review_order()]
        assert [it.initiative.id for it in screen.items] == expected
        first = screen.items[screen.index].initiative
        await step(pilot, "k")  # now it asks for a note, and enter records the decision
        await step(pilot, "enter")
        await wait_group(pilot, "review-load")
        session = app.service.open_review()
        assert session is not None
        decided = [it for it in screen.items if it.decision is not None]
        assert [it.initiative.id for it in decided] == [first.id]


async def test_a_large_board_reads_a_teammates_save_in_a_worker(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1,000 initiatives or more a reload for a change made elsewhere reads the board in a
    worker (threshold lowered here): the board stays as it was, keys live, until it lands."""
    monkeypatch.setattr(BoardScreen, "RELOAD_IN_WORKER_FROM", 1)
    release, off_thread = _held(monkeypatch, "lean_board")
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        dispatch = app.service.resolve("Dispatch routing")
        as_teammate(sample_db, "Dispatch routing", team="Night desk")
        app.poll_changes()  # what the once-a-second timer calls
        await pilot.pause()
        shown = board.model.find(dispatch.id)
        assert shown is not None and shown.team != "Night desk"  # not yet: being read
        await step(pilot, "2")  # keys meanwhile
        assert app.current_mode == "checklist"
        await step(pilot, "1")
        release.set()
        await wait_group(pilot, "board-reload")
        assert off_thread[-1:] == [True]
        shown = board.model.find(dispatch.id)
        assert shown is not None and shown.team == "Night desk"


async def test_my_own_move_during_a_background_read_is_not_lost(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A board read before my own write would hide it when it lands: it is read again."""
    monkeypatch.setattr(BoardScreen, "RELOAD_IN_WORKER_FROM", 1)
    release = threading.Event()
    real = Service.lean_board
    main = threading.get_ident()

    def read_then_wait(self: Service, *args: Any, **kw: Any) -> Any:
        board = real(self, *args, **kw)  # read now, before the write below...
        if threading.get_ident() != main:
            release.wait(timeout=30)  # ...and land after it
        return board

    monkeypatch.setattr(Service, "lean_board", read_then_wait)
    app = build_app(sample_db, author="maya", today=FROZEN_TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        demand = app.service.resolve("Demand forecasting")  # in Pilot
        await select(pilot, "Demand forecasting")
        as_teammate(sample_db, "Dispatch routing", team="Night desk")
        app.poll_changes()  # the board is read now, and held until after my move
        await pilot.pause()
        await step(pilot, "less_than_sign")  # move it back: a reason, then the write
        await step(pilot, *"data not ready", "enter")
        assert app.service.resolve("Demand forecasting").stage == "experiment"
        release.set()
        await wait_group(pilot, "board-reload")
        await wait_group(pilot, "board-reload")  # the read started again after the write
        moved = board.model.find(demand.id)
        assert moved is not None and moved.stage == "experiment"
        dispatch = board.model.find(app.service.resolve("Dispatch routing").id)
        assert dispatch is not None and dispatch.team == "Night desk"
