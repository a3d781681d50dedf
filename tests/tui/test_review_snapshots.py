"""Snapshots of the review session's first initiative (frozen today) at 80x24 and 160x45."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_review_first_initiative(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, press=["4", "r"])
