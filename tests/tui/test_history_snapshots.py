"""Snapshots of the history screen on the sample portfolio (frozen today, UTC) at two sizes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from bridge_tui.tui.app import build_app
from tests.conftest import FROZEN_TODAY

SIZES = pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """History shows local times: pin the zone so the pictures do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _keys(*keys: str) -> Any:
    """Open the history (the H key itself is covered by the Pilot tests), then press keys."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.pause()
        pilot.app.action_history()  # type: ignore[attr-defined]
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@SIZES
def test_history_whole_file(snap_compare: Any, sample_db: Path, size: tuple[int, int]) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    assert snap_compare(app, terminal_size=size, run_before=_keys("a"))
