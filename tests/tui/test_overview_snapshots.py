"""Snapshots of the overview on the sample (frozen today) at 80x24 and 160x45."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_overview(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, press=["4"])


def test_overview_heat_map_sorted_by_total(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    keys = ["4", "h", *["right"] * 7, "s", "s"]
    assert snap_compare(app, terminal_size=(160, 45), press=keys)
