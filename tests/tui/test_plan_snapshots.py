"""Snapshots of the 90-day plan screen on the sample (frozen today) at 80x24 and 160x45.

Dispatch routing is on day 38 of its plan (started 37 days before FROZEN_TODAY), with one
overdue task in month 1; Contract review is past day 90 (the sustain panel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY

SIZES = [(80, 24), (160, 45)]
IDS = ["80x24", "160x45"]


def _opener(name: str, *keys: str) -> Any:
    async def run_before(pilot: Pilot[None]) -> None:
        app: Any = pilot.app
        app.select(app.service.resolve(name).id)
        await pilot.press("3")
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_dispatch_routing_plan(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_opener("Dispatch routing"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_portfolio_timeline(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_opener("Dispatch routing", "t"))


def test_sustain_panel(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=(160, 45), run_before=_opener("Contract review"))


def test_no_plan_yet(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_opener("Route optimisation"))
