"""Issue 12 ("the review room"): a snapshot of every screen and every dialog on the sample
portfolio (frozen today) at 80x24 and 160x45.

The list is in `tests/tui/helpers.py` (SCREENS, DIALOGS: each the keys a person presses to
get there). Regenerate with:
    pytest tests/tui/test_room_snapshots.py --snapshot-update
Left out: the merge preview (it shows the temporary path of the teammate's copy); the merge
dialog itself is here, before a preview.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.tui.helpers import DIALOGS, SCREENS, AppPilot, Opener, open_share, sample_app

SIZES = [(80, 24), (160, 45)]
SIZE_IDS = ["80x24", "160x45"]


async def _share_with_a_fixed_path(pilot: AppPilot) -> None:
    """The share dialog suggests a copy beside the (temporary) file: show a fixed path."""
    await open_share(pilot)
    pilot.app.screen.query_one(Input).value = "sample-copy-2026-11-22.db"
    await pilot.pause()


SNAPSHOT_SCREENS: dict[str, Opener] = dict(SCREENS)
SNAPSHOT_DIALOGS: dict[str, Opener] = {
    # the merge dialog lists the folder of the test's temporary file in its file tree, and
    # its preview that file's path: their pictures change with every run (the Pilot tests of
    # test_room_fit.py and test_merge_dialog.py cover both at 80x24)
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
