"""Snapshots of the board on the sample portfolio (frozen today) at 80x24 and 160x45."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY
from tests.tui.snap import SIZES
from tests.tui.snap import keys as _keys


@SIZES
def test_board(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_keys())


@SIZES
def test_board_with_killed_and_a_flagged_card(
    snap_compare: Any, sample_db: Path, size: tuple[int, int]
) -> None:
    """Killed shown, the selection on a card stuck in pilot purgatory with blockers."""
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_keys("K", "l", "j", "j"))


def test_board_narrow_with_details(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_keys("l", "l", "l", "d"))


def test_gate_dialog(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_keys("l", "l", "shift+right"))


def test_new_form_with_an_error(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_keys("n", "ctrl+s"))


def test_filtered_read_only(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY, read_only=True)
    assert snap_compare(
        app, terminal_size=(160, 45), run_before=_keys("slash", "j", "o", "n", "a", "s")
    )
