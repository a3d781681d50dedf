"""End to end: the installed `bridge` in tmux; the plan screen and `bridge plan --json` agree.

Opens Dispatch routing's plan (3, then ] until it shows), ticks the overdue task of month 1 off
with the keys, and checks both the screen and the CLI say the plan is back on track.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import FROZEN_TODAY
from tests.e2e.tmuxlib import BRIDGE, bridge_in_tmux

pytestmark = pytest.mark.e2e

ENV = {"BRIDGE_TODAY": FROZEN_TODAY.isoformat(), "TZ": "UTC"}


def _plan(db: Path) -> dict[str, object]:
    out = subprocess.run(
        [str(BRIDGE), "--db", str(db), "plan", "Dispatch routing", "--json"],
        check=True,
        capture_output=True,
        text=True,
        env={"BRIDGE_TODAY": FROZEN_TODAY.isoformat(), "PATH": "/usr/bin:/bin"},
    )
    data: dict[str, object] = json.loads(out.stdout)
    return data


def test_tick_off_the_overdue_task(sample_db: Path) -> None:
    assert _plan(sample_db)["verdict"] == "behind"
    with bridge_in_tmux(sample_db, env=ENV) as term:
        board = term.wait_for("Experiment")
        term.keys("3")
        term.settled(board)
        term.press_until("]", lambda screen: "Dispatch routing  Productionize" in screen, tries=6)
        term.wait_for("day 38 of 90", "BEHIND", "OVERDUE 8 days")
        for key in ("Left", "End", "Space"):  # each key after the screen has shown the last
            before = term.screen()
            term.keys(key)
            term.settled(before)
        term.wait_for("ON TRACK", "done by e2e")
        term.quit()
    data = _plan(sample_db)
    assert data["verdict"] == "on_track"
    assert data["overdue"] == []
