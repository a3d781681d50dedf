"""Snapshots of the review room (issue 12) on the sample portfolio with the clock frozen, at
80x24 and 160x45: the help screen, the review's presenter layout, and the board in the
projector theme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])


def _keys(*keys: str, theme: str | None = None) -> Any:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        if theme is not None:
            pilot.app.theme = theme
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@SIZES
def test_help_over_the_board(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_keys("question_mark"))


@SIZES
def test_review_presenter(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_keys("r", "v"))


@SIZES
def test_board_in_the_projector_theme(
    snap_compare: Any, sample_db: Path, size: tuple[int, int]
) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_keys(theme="bridge-projector"))
