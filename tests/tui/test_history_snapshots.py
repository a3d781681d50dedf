"""Snapshots of the history screen on the sample portfolio (frozen today, UTC) at two sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY
from tests.tui.snap import SIZES, keys

pytestmark = pytest.mark.usefixtures("utc")  # times shown in local time: pinned to UTC


def _open_history(app: Any) -> None:
    """The H key itself is covered by the Pilot tests."""
    app.action_history()


@SIZES
def test_history_whole_file(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=keys("a", first=_open_history))
