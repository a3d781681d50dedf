"""The board's status line tells the truth (issue 12, item 1): an action's message says what
just happened, an undo says what it undid, and the message goes away when it stops being
current (another action, a reload, another screen) or after a while."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.dialogs.gate import GateDialog
from bridge_tui.tui.screens.board import BoardScreen
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import sample_app

SIZE = (160, 45)
NAME = "Customer service assistant"


def _board(app: BridgeApp) -> BoardScreen:
    screen = app._screen_stacks["board"][0]
    assert isinstance(screen, BoardScreen)
    return screen


def _status(app: BridgeApp) -> str:
    return str(_board(app).query_one("#status", Static).content)


async def _force_forward(app: BridgeApp, pilot: Pilot[None], name: str) -> None:
    """Select `name` with the keys and force it one stage on, with a reason."""
    board = _board(app)
    target = app.service.resolve(name)
    stages = board.visible_stages
    while board.current_column.stage != target.stage:
        await pilot.press("l")
    assert stages.index(target.stage) >= 0
    column = board.current_column
    index = column.index_of(target.id)
    assert index is not None
    while column.cursor != index:
        await pilot.press("j")
    await pilot.press("shift+right")
    await pilot.pause()
    assert isinstance(app.screen, GateDialog)
    for ch in "CEO asks":
        await pilot.press("space" if ch == " " else ch)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, BoardScreen)


@asynccontextmanager
async def _moved(db: Path) -> AsyncIterator[tuple[BridgeApp, Pilot[None]]]:
    """The app on `db`, NAME just forced one stage on: the status line says so."""
    app = sample_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _force_forward(app, pilot, NAME)
        yield app, pilot


async def test_undo_replaces_the_move_message_with_what_it_undid(sample_db: Path) -> None:
    async with _moved(sample_db) as (app, pilot):
        assert _status(app) == (
            f"✓ {NAME} moved to Validate (forced; the card says so) · ctrl+z undoes"
        )
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.service.resolve(NAME).stage == "pilot"
        status = _status(app)
        assert status == f"↶ Undid: {NAME} moved back to Pilot."
        assert "moved to Validate" not in status
        # the card is back where the status line says
        assert NAME in [i.name for i in _board(app).column("pilot").items]


async def test_another_screen_clears_the_message(sample_db: Path) -> None:
    async with _moved(sample_db) as (app, pilot):
        assert "moved to Validate" in _status(app)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        status = _status(app)
        assert "moved to" not in status
        assert "active" in status and "? lists every key" in status


async def test_undo_on_another_screen_leaves_no_stale_message(sample_db: Path) -> None:
    async with _moved(sample_db) as (app, pilot):
        await pilot.press("2", "ctrl+z")
        await pilot.pause()
        # off the board the undo is a toast saying what it undid
        assert any(n.message == f"Undid: {NAME} moved back to Pilot." for n in app._notifications)
        await pilot.press("1")
        await pilot.pause()
        assert "moved to Validate" not in _status(app)
        assert app.service.resolve(NAME).stage == "pilot"


async def _reloads_landed(app: BridgeApp, pilot: Pilot[None]) -> None:
    """Wait for the board's reads in workers, and for what they hand back to the app."""
    for worker in list(app.workers):
        if worker.group == "board-reload" and not worker.is_finished:
            await worker.wait()
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("in_worker", [False, True], ids=["small board", "read in a worker"])
async def test_a_teammates_change_reloads_and_clears_the_message(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, in_worker: bool
) -> None:
    """The move the message spoke of was changed by a teammate: the reload clears it, read on
    the app's thread (a small board) or in a worker (from 1,000 initiatives)."""
    if in_worker:
        monkeypatch.setattr(BoardScreen, "RELOAD_IN_WORKER_FROM", 1)
    async with _moved(sample_db) as (app, pilot):
        assert "moved to Validate" in _status(app)
        store = Store.open(sample_db)
        try:
            sam = Service(store, "sam", FROZEN_TODAY)
            sam.move(sam.resolve(NAME), "pilot", reason="not ready")
        finally:
            store.close()
        app.poll_changes()
        await _reloads_landed(app, pilot)
        assert "moved to Validate" not in _status(app)
        assert "? lists every key" in _status(app)


async def test_the_message_expires(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = _board(app)
        board.STATUS_SECONDS = 0.05
        said: list[str] = []
        say = board.say

        def spy(message: str) -> None:
            said.append(message)
            say(message)

        board.say = spy  # type: ignore[method-assign]
        await _force_forward(app, pilot, NAME)
        assert any("moved to Validate" in m for m in said)
        # wait for the expiry event itself, not a fixed time
        for _ in range(200):
            if "moved to" not in _status(app):
                break
            await pilot.pause(0.05)
        assert "moved to" not in _status(app)
        assert "? lists every key" in _status(app)


async def test_a_dialog_of_the_board_keeps_the_message(sample_db: Path) -> None:
    """Opening and cancelling the board's own dialog changes nothing: the message stays."""
    async with _moved(sample_db) as (app, pilot):
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "moved to Validate" in _status(app)


async def test_undo_on_a_large_board_reads_it_in_a_worker_and_still_says_what_it_undid(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From 1,000 initiatives the board reads again in a worker after an undo (at 10,000 its
    read on the app's thread held the keys for most of a second): the status line says what
    was undone at once, and still says it once the read lands with the card back in place."""
    monkeypatch.setattr(BoardScreen, "RELOAD_IN_WORKER_FROM", 1)  # the sample as a large board
    async with _moved(sample_db) as (app, pilot):
        on_app_thread: list[bool] = []
        board = Service.board

        def watched(self: Service, *args: Any, **kwargs: Any) -> Any:
            on_app_thread.append(threading.current_thread() is threading.main_thread())
            return board(self, *args, **kwargs)

        monkeypatch.setattr(Service, "board", watched)
        screen = _board(app)
        read = screen._read_board
        reads: list[int] = []

        def read_in_worker(seq: int, *args: Any, **kwargs: Any) -> Any:
            reads.append(seq)
            return read(seq, *args, **kwargs)

        monkeypatch.setattr(screen, "_read_board", read_in_worker)
        await pilot.press("ctrl+z")
        assert _status(app) == f"↶ Undid: {NAME} moved back to Pilot."
        assert len(reads) == 1  # the board's read went to a worker
        await _reloads_landed(app, pilot)
        assert not any(on_app_thread)  # the whole board is not read on the app's thread
        assert _status(app) == f"↶ Undid: {NAME} moved back to Pilot."
        assert NAME in [i.name for i in _board(app).column("pilot").items]
