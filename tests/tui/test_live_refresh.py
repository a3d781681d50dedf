"""Two apps on one file: a change saved in one appears in the other without a key press."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import build_app
from bridge_tui.tui.screens.history import HistoryScreen
from bridge_tui.tui.widgets.board_column import BoardColumn
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import pressed, until

WAIT = 1.6  # the app polls PRAGMA data_version once a second


def board_names(app: object) -> set[str]:
    screen = app.screen  # type: ignore[attr-defined]
    return {i.name for col in screen.query(BoardColumn) for i in col.items}


async def test_a_change_in_one_app_appears_in_the_other_without_a_key_press(
    sample_db: Path,
) -> None:
    ours = build_app(sample_db, author="alice", today=FROZEN_TODAY)
    theirs = build_app(sample_db, author="bob", today=FROZEN_TODAY)
    async with ours.run_test(size=(160, 45)) as us, theirs.run_test(size=(160, 45)) as them:
        await us.pause()
        await them.pause()
        target = theirs.service.ordered()[0]
        assert target.name in board_names(ours)
        # bob renames it in his app (through his service, as his form would)
        theirs.service.edit_initiative(target, name="Renamed by Bob")
        await them.pause()
        # the poll picks it up within a few seconds: a busy machine may take longer than WAIT
        await until(us, lambda: "Renamed by Bob" in board_names(ours), "Bob's rename showing")
        assert target.name not in board_names(ours)


async def test_history_screen_refreshes_in_place_keeping_the_highlighted_row(
    sample_db: Path,
) -> None:
    app = build_app(sample_db, author="alice", today=FROZEN_TODAY)
    other = Service(Store.open(sample_db), "bob", FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await pressed(pilot, "H", HistoryScreen)
        if screen.scope != "file":
            await pilot.press("a")
        table = screen.query_one(DataTable)
        before = table.row_count
        await pilot.press("down", "down")
        highlighted = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        i = other.ordered()[0]
        other.edit_initiative(i, owner="Bob from another window")
        await pilot.pause(WAIT)
        assert table.row_count == before + 1
        assert str(table.get_row_at(0)[5]) == "Bob from another window"
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == highlighted
    other.store.close()


async def test_a_modal_form_on_top_is_left_alone_by_live_refresh(sample_db: Path) -> None:
    from bridge_tui.tui.dialogs.common import ReasonDialog

    app = build_app(sample_db, author="alice", today=FROZEN_TODAY)
    other = Service(Store.open(sample_db), "bob", FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        dialog = ReasonDialog("Why?")
        app.push_screen(dialog)
        await pilot.pause()
        await pilot.press("h", "a", "l", "f")
        other.edit_initiative(other.ordered()[0], name="Changed underneath")
        await pilot.pause(WAIT)
        assert app.screen is dialog
        from textual.widgets import Input

        assert dialog.query_one(Input).value == "half"
        await pilot.press("escape")
        await pilot.pause()
        assert "Changed underneath" in board_names(app)
    other.store.close()


async def test_a_file_on_a_network_drive_is_said_once_in_the_header(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bridge_tui.store import fs

    monkeypatch.setattr(fs, "network_fs", lambda path: "nfs4")
    app = build_app(sample_db, author="alice", today=FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert app.sub_title.count("network drive (nfs4)") == 1
        await pilot.pause(1.2)  # a poll later, still said once
        assert app.sub_title.count("network drive") == 1


async def test_a_local_file_says_nothing_about_drives(sample_db: Path) -> None:
    app = build_app(sample_db, author="alice", today=FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert "network" not in app.sub_title
