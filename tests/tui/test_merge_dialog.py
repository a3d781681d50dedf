"""Merge a teammate's copy: the file is picked with path completion or from a tree of the
folder (the same widgets as the spreadsheet import), previewed, then merged."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, DirectoryTree, Input

from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.commands import start_merge
from bridge_tui.tui.dialogs.merge import MergeDialog
from bridge_tui.tui.widgets.file_pick import FileTree
from tests.tui.helpers import sample_app, started, teammate_copy, wait_busy, wait_group


def _teammate_copy(db: Path) -> Path:
    """sam's copy beside the file, and a file that is not a bridge file."""
    copy = teammate_copy(db)
    (db.parent / "notes.txt").write_text("not a bridge file")
    return copy


async def _previewed(app: BridgeApp, pilot: Pilot[None]) -> None:
    """Wait for the preview's worker (not all workers: the file tree keeps a loader running)."""
    await wait_group(pilot, "merge-preview")


@asynccontextmanager
async def _merging(db: Path) -> AsyncIterator[tuple[BridgeApp, Pilot[None], MergeDialog]]:
    """The app on `db` at 80x24 with its merge dialog open."""
    app = sample_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        yield app, pilot, await started(pilot, start_merge, MergeDialog)


async def test_typing_completes_the_path_and_enter_previews(sample_db: Path) -> None:
    copy = _teammate_copy(sample_db)
    async with _merging(sample_db) as (app, pilot, dialog):
        field = dialog.query_one("#merge-path", Input)
        assert field.value == str(sample_db.parent.resolve()) + "/"  # starts in the file's folder
        await pilot.press("s", "a")
        await pilot.pause()
        await pilot.press("right")  # take the completion
        await pilot.pause()
        assert field.value == str(copy.resolve())
        await pilot.press("enter")  # preview (in a worker thread)
        await _previewed(app, pilot)
        merge = dialog.query_one("#confirm", Button)
        assert not merge.disabled and merge.has_focus
        await pilot.press("enter")
        await wait_busy(pilot)  # the merge itself runs in a worker
        assert not isinstance(app.screen, MergeDialog)
        assert app.service.resolve("Dispatch routing").team == "Night desk"


async def test_the_tree_shows_bridge_files_and_picks_one(sample_db: Path) -> None:
    copy = _teammate_copy(sample_db)
    async with _merging(sample_db) as (app, pilot, dialog):
        tree = dialog.query_one("#merge-tree", FileTree)
        assert isinstance(tree, DirectoryTree)
        await pilot.pause()
        shown = [n.data.path.name for n in tree.root.children if n.data is not None]
        assert shown == ["sam-copy.db", "sample.db"]  # no notes.txt
        tree.focus()
        await pilot.press("down", "enter")  # the first file: sam's copy
        await pilot.pause()
        await _previewed(app, pilot)
        assert dialog.query_one("#merge-path", Input).value == str(copy.resolve())
        assert not dialog.query_one("#confirm", Button).disabled  # previewed
        assert "Night desk" in str(dialog.query_one("#merge-preview-text").render())


async def test_the_preview_runs_in_a_worker_with_a_loading_indicator(sample_db: Path) -> None:
    """The keyboard stays live while a slow preview runs (here: one that waits for the test)."""
    release = threading.Event()
    asked: list[str] = []

    def slow_preview(path: str) -> tuple[str, bool]:
        asked.append(path)
        release.wait(timeout=30)
        return f"Would merge {path}", True

    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = MergeDialog(slow_preview, "sample.db", initial="their.db")
        app.push_screen(dialog)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        pane = dialog.query_one("#merge-preview")
        assert pane.loading and dialog.query_one("#confirm", Button).disabled
        await pilot.press("left", "left", "left", "x")  # keys still work while it runs
        await pilot.pause()
        assert dialog.query_one("#merge-path", Input).value == "theirx.db"
        release.set()
        await _previewed(app, pilot)
        assert not pane.loading
        assert asked == ["their.db"]
        # the path changed while it ran: that preview is not applied to the new path
        assert dialog.query_one("#confirm", Button).disabled
        await pilot.press("enter")
        await _previewed(app, pilot)
        assert not dialog.query_one("#confirm", Button).disabled
        assert "Would merge theirx.db" in str(dialog.query_one("#merge-preview-text").render())
