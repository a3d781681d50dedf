"""Snapshots of the Flow screen on the sample (frozen today) at 80x24 and 160x45: each chart,
with the cursor moved, after the figures are read and plotext has drawn in its thread."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY
from tests.tui.flow_wait import settle

SIZES = [(80, 24), (160, 45)]
IDS = ["80x24", "160x45"]


def _keys(*keys: str) -> Callable[[Any], Awaitable[None]]:
    async def run_before(pilot: Any) -> None:
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_flow_cumulative(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_keys("5", "left", "left"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_flow_time_in_stage(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_keys("5", "t"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_flow_quarters(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_keys("5", "x", "left", "left"))
