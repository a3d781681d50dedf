"""Issue 12 ("the review room"): a snapshot of every screen and every dialog on the sample
portfolio (frozen today) at 80x24 and 160x45.

The list is in `tests/tui/helpers.py` (SCREENS, DIALOGS: each the keys a person presses to
get there). Regenerate with:
    pytest tests/tui/test_room_snapshots.py --snapshot-update
The merge dialog shows the folder of the file (its path, and a tree of it): its snapshots run
on a copy of the sample in a fixed folder, /tmp/bridge-room/<test>, so the picture is the same
on every run.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.tui.helpers import (
    DIALOGS,
    SCREENS,
    AppPilot,
    Opener,
    open_merge,
    open_merge_preview,
    open_share,
    sample_app,
)

SIZES = [(80, 24), (160, 45)]
SIZE_IDS = ["80x24", "160x45"]


async def _share_with_a_fixed_path(pilot: AppPilot) -> None:
    """The share dialog suggests a copy beside the (temporary) file: show a fixed path."""
    await open_share(pilot)
    pilot.app.screen.query_one(Input).value = "sample-copy-2026-11-22.db"
    await pilot.pause()


SNAPSHOT_SCREENS: dict[str, Opener] = dict(SCREENS)
SNAPSHOT_DIALOGS: dict[str, Opener] = {
    # the merge dialog shows the folder of the file: test_merge_dialog below, in a fixed one
    **{n: opener for n, opener in DIALOGS.items() if n not in ("merge-preview", "merge")},
    "share": _share_with_a_fixed_path,
}


def _run(opener: Opener) -> Any:
    async def run_before(pilot: AppPilot) -> None:
        await opener(pilot)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("name", list(SNAPSHOT_SCREENS))
def test_screen(snap_compare: Any, sample_db: Path, name: str, size: tuple[int, int]) -> None:
    app = sample_app(sample_db)
    assert snap_compare(app, terminal_size=size, run_before=_run(SNAPSHOT_SCREENS[name]))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("name", list(SNAPSHOT_DIALOGS))
def test_dialog(snap_compare: Any, sample_db: Path, name: str, size: tuple[int, int]) -> None:
    app = sample_app(sample_db)
    assert snap_compare(app, terminal_size=size, run_before=_run(SNAPSHOT_DIALOGS[name]))


async def _tree_loaded(pilot: AppPilot) -> None:
    """The file tree lists its folder in a worker: wait until it has."""
    from bridge_tui.tui.widgets.file_pick import FileTree

    for _ in range(100):
        trees = pilot.app.screen.query(FileTree)
        if not trees or (trees.first().root.children and trees.first()._load_queue.empty()):
            break
        await pilot.pause(0.02)
    for worker in list(pilot.app.workers):
        if worker.group == "merge-preview":
            await worker.wait()
    await pilot.pause()


MERGE_OPENERS: dict[str, Opener] = {"merge": open_merge, "merge-preview": open_merge_preview}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("name", list(MERGE_OPENERS))
def test_merge_dialog(
    snap_compare: Any, sample_template: Path, name: str, size: tuple[int, int]
) -> None:
    folder = Path("/tmp/bridge-room") / f"{name}-{size[0]}x{size[1]}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    db = folder / "sample.db"
    shutil.copyfile(sample_template, db)

    async def run_before(pilot: AppPilot) -> None:
        await MERGE_OPENERS[name](pilot)
        await _tree_loaded(pilot)

    try:
        app = sample_app(db)
        assert snap_compare(app, terminal_size=size, run_before=run_before)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
