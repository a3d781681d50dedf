"""Snapshots of the 90-day plan screen on the sample (frozen today) at 80x24 and 160x45.

Dispatch routing is on day 38 of its plan (started 37 days before FROZEN_TODAY), with one
overdue task in month 1; Contract review is past day 90 (the sustain panel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY
from tests.tui.snap import SIZES, opener


@SIZES
def test_dispatch_routing_plan(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=opener("3", "Dispatch routing"))


@SIZES
def test_portfolio_timeline(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=opener("3", "Dispatch routing", "t"))


def test_sustain_panel(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=(160, 45), run_before=opener("3", "Contract review"))


def test_no_plan_yet(snap_compare: Any, sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=opener("3", "Route optimisation"))
