"""The history screen, undo and the share/merge dialogs, driven by the real keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Input, Static

from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.commands import start_merge, start_share
from bridge_tui.tui.dialogs.merge import MergeDialog, ShareDialog
from bridge_tui.tui.screens.history import HistoryScreen
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import sample_app, started, wait_busy

SIZE = (160, 45)


def cell(table: DataTable[object], row: int, col: int | str) -> str:
    """A cell by column index, or by column key ("from", "to": the columns of a view vary)."""
    if isinstance(col, str):
        col = [str(k.value) for k in table.columns].index(col)
    return str(table.get_row_at(row)[col])


async def test_H_opens_the_history_of_the_selected_initiative_and_escape_goes_back(
    sample_db: Path,
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen
        first = app.service.ordered()[0]
        app.select(first.id)
        await pilot.press("H")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.scope == "initiative"
        table = screen.query_one(DataTable)
        assert table.row_count > 0
        # the line above names the initiative: no column repeats it on every row
        assert [str(k.value) for k in table.columns] == ["when", "who", "what", "from", "to"]
        line = str(screen.query_one("#history-scope-line", Static).render())
        assert f"History of {first.name}" in line
        # a: the whole file
        await pilot.press("a")
        assert screen.scope == "file"
        assert str(list(table.columns)[2].value) == "initiative"
        assert len({cell(table, n, 2) for n in range(table.row_count)}) > 1
        # f: one person at a time, then everyone again
        people = app.service.history_authors()
        await pilot.press("f")
        assert screen.author == people[0]
        assert {cell(table, n, 1) for n in range(table.row_count)} == {people[0]}
        for _ in people:
            await pilot.press("f")
        assert screen.author is None
        # newest first
        stamps = [e.at for e in app.service.history(limit=50)]
        assert stamps == sorted(stamps, reverse=True)
        await pilot.press("escape")
        assert app.screen is board


async def test_the_history_is_read_and_drawn_once_as_it_opens_and_again_for_a_new_width(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen's first Resize comes at the width its columns were sized for as it opened:
    the table is not emptied and filled again (it was, and every row drawn twice). A new
    width sizes the columns for it, as the screen sized for that width from the start."""
    filled: list[int] = []
    refresh_data = HistoryScreen.refresh_data

    def counted(self: HistoryScreen) -> None:
        filled.append(self.app.size.width)
        refresh_data(self)

    monkeypatch.setattr(HistoryScreen, "refresh_data", counted)

    async def widths(size: tuple[int, int], then: tuple[int, int] | None) -> list[int]:
        app = sample_app(sample_db)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            app.select(app.service.ordered()[0].id)
            await pilot.press("H")
            await pilot.pause()
            await pilot.pause()
            if then is not None:
                await pilot.resize_terminal(*then)
                await pilot.pause()
                await pilot.pause()
            table = app.screen.query_one(DataTable)
            return [c.width for c in table.columns.values()]

    opened = await widths(SIZE, None)
    assert filled == [SIZE[0]]
    filled.clear()
    narrowed = await widths(SIZE, (100, 30))
    assert filled == [SIZE[0], 100]
    assert narrowed != opened
    assert narrowed == await widths((100, 30), None)


async def test_ctrl_z_undoes_my_last_change_and_history_shows_both(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        i = app.service.ordered()[0]
        app.service.edit_initiative(i, owner="Temporary owner")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.service.initiative(i.id).owner == i.owner
        app.select(i.id)
        await pilot.press("H")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert (cell(table, 0, "from"), cell(table, 0, "to")) == (
            "Temporary owner",
            i.owner or "(empty)",
        )
        assert cell(table, 1, "to") == "Temporary owner"
        await pilot.press("ctrl+z")  # nothing left: a message, no crash
        await pilot.pause()
        assert app.service.initiative(i.id).owner == i.owner


async def test_merge_dialog_previews_then_merges(sample_db: Path, tmp_path: Path) -> None:
    theirs_path = tmp_path / "theirs.db"
    seed = Service(Store.open(sample_db), "seed", FROZEN_TODAY)
    seed.share(theirs_path)
    seed.store.close()
    theirs = Service(Store.open(theirs_path), "bob", FROZEN_TODAY)
    theirs.create_initiative("Bob's warehouse idea")
    theirs.store.close()
    before = theirs_path.read_bytes()

    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await started(pilot, start_merge, MergeDialog)
        merge_button = dialog.query_one("#confirm", Button)
        assert merge_button.disabled
        # a bad path first: one sentence in the preview, Merge stays off
        await pilot.press(*"nope.db", "enter")
        await pilot.pause()
        text = str(dialog.query_one("#merge-preview-text", Static).render())
        assert "does not exist" in text and merge_button.disabled
        field = dialog.query_one(Input)
        field.value = str(theirs_path)
        await pilot.press("enter")
        await pilot.pause()
        text = str(dialog.query_one("#merge-preview-text", Static).render())
        assert "Would add:" in text and "Bob's warehouse idea" in text
        assert "dry run" in text
        assert "Bob's warehouse idea" not in {i.name for i in app.service.initiatives()}
        assert not merge_button.disabled
        await pilot.press("enter")  # Merge has the focus after a good preview
        await wait_busy(pilot)  # the merge itself runs in a worker
        assert not isinstance(app.screen, MergeDialog)
        assert "Bob's warehouse idea" in {i.name for i in app.service.initiatives()}
    assert theirs_path.read_bytes() == before


async def test_share_dialog_writes_a_copy_and_refuses_to_overwrite(
    sample_db: Path, tmp_path: Path
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = await started(pilot, start_share, ShareDialog)
        suggested = Path(dialog.query_one(Input).value)
        assert suggested.parent == sample_db.parent and not suggested.exists()
        await pilot.press("enter")
        await pilot.pause()
        await wait_busy(pilot)
        assert suggested.exists()
        assert Store.open(suggested, read_only=True).integrity() == "ok"
        size = suggested.stat().st_size
        dialog = await started(pilot, start_share, ShareDialog)
        dialog.query_one(Input).value = str(suggested)
        await pilot.press("enter")
        await pilot.pause()
        await wait_busy(pilot)
        assert suggested.stat().st_size == size  # never overwritten


async def test_palette_offers_share_and_merge(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Share a safe copy" in titles and "Merge a teammate's copy" in titles
