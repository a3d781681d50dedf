"""Snapshots of the review room (issue 12) on the sample portfolio with the clock frozen, at
80x24 and 160x45: the help screen, the review's presenter layout, and the board in the
projector theme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY
from tests.tui.snap import SIZES
from tests.tui.snap import keys as _keys


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
