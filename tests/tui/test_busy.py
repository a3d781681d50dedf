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
from bridge_tui.tui.dialogs.merge import ShareDialog, start_share
from bridge_tui.tui.screens.overview import OverviewScreen
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import wait_busy


def _held(monkeypatch: pytest.MonkeyPatch, name: str) -> tuple[threading.Event, list[bool]]:
    """Make `Service.<name>` wait for the test; record whether it ran off the app's thread."""
    release = threading.Event()
    off_thread: list[bool] = []
    real = getattr(Service, name)
    main = threading.get_ident()

    def held(self: Service, *args: Any, **kw: Any) -> Any:
        off_thread.append(threading.get_ident() != main)
        release.wait(timeout=30)
        return real(self, *args, **kw)

    monkeypatch.setattr(Service, name, held)
    return release, off_thread


async def test_share_writes_in_a_worker_and_the_keys_stay_live(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, off_thread = _held(monkeypatch, "share")
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start_share(app)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ShareDialog)
        target = Path(dialog.query_one(Input).value)
        await pilot.press("enter")
        await pilot.pause()
        note = app.screen.query_one(BusyNote)  # the loading line, while it runs
        assert note.query_one(LoadingIndicator).display
        assert not target.exists()
        await pilot.press("2")  # a key meanwhile: the checklist opens
        await pilot.pause()
        assert app.current_mode == "checklist"
        release.set()
        await wait_busy(pilot)
        assert off_thread == [True]
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
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start_share(app)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ShareDialog)
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
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        report = sample_db.parent / "sample-report-2026-11-22.md"
        await pilot.press("w")
        await pilot.pause()
        assert len(screen.query(BusyNote)) == 1
        await pilot.press("h")  # a key meanwhile: the heat map takes the focus
        await pilot.pause()
        assert screen.focused is not None and screen.focused.id == "ov-heat"
        release.set()
        await wait_busy(pilot)
        assert off_thread == [True]
        assert not screen.query(BusyNote)
        assert report.read_text(encoding="utf-8") == app.service.report("md")
