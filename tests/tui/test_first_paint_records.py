"""The board's first paint shows plain records, read before the models are loaded (issue 13:
`service.start.Start`). A key pressed before the app has built its service works as on any
other card: the write goes through the service, built then, and it is checked against the
revision the user saw on the card, so a teammate's save in between is never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from bridge_tui import method
from bridge_tui.records import InitiativeRecord
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.dialogs.common import ReasonDialog
from bridge_tui.tui.dialogs.initiative_form import InitiativeForm
from bridge_tui.tui.screens.board import BoardScreen
from tests.tui.helpers import sample_app
from tests.tui.test_board import _go_to, _on_file
from tests.tui.test_stale_save import _as_carol

NAME = "Route optimisation"
OWNER = "Lars Eriksen"  # the sample's owner of NAME
TEAM = "Network planning"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def service_not_built_by_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the warm-up thread nor the poll builds the service: only the keys do."""
    monkeypatch.setattr(BridgeApp, "_import_screens", lambda self: None)
    monkeypatch.setattr(BridgeApp, "POLL_SECONDS", 3600.0)


async def test_the_first_paint_holds_records_and_no_service(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        shown = [i for s in method.STAGE_IDS for i in board.model.by_stage[s]]
        assert len(shown) > 10
        assert all(isinstance(i, InitiativeRecord) for i in shown)
        assert app._service is None  # nothing asked for it yet
        assert "sample.db" in app.sub_title and "as tester" in app.sub_title


async def test_an_edit_before_the_service_exists_is_checked_against_the_card_seen(
    sample_db: Path,
) -> None:
    """carol saves the owner after the board painted NAME's card; my edit, the first key
    that needs the service, is refused with both values, and nothing of hers is lost."""
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        seen = await _go_to(app, pilot, NAME)
        assert isinstance(seen, InitiativeRecord)
        _as_carol(sample_db, owner="Carol Chen")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InitiativeForm)
        assert app._service is not None
        assert form.query_one("#owner", Input).value == OWNER  # what the card showed
        form.query_one("#team", Input).value = "Route planning desk"
        form.query_one("#team", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert form.conflict is not None
        on_file = _on_file(sample_db, NAME)
        assert (on_file.owner, on_file.team) == ("Carol Chen", TEAM)


async def test_a_kill_before_the_service_exists_is_saved(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        seen = await _go_to(app, pilot, NAME)
        assert isinstance(seen, InitiativeRecord)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"no owner on the floor")
        await pilot.press("enter")
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        killed = _on_file(sample_db, NAME)
        assert killed.stage == method.KILLED
        assert killed.revision == seen.revision + 1
        assert killed.kill_reason == "no owner on the floor"
