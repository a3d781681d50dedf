"""End to end: the installed `bridge` in a real terminal, the checklist opened from the board.

The screen and `bridge score --json` must agree after answers are set with the keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FROZEN_TODAY
from tests.e2e.tmuxlib import Terminal, bridge_in_tmux, bridge_json

pytestmark = pytest.mark.e2e

ENV = {"BRIDGE_TODAY": FROZEN_TODAY.isoformat(), "TZ": "UTC"}
TARGET = "Invoice processing"
LABELS = {
    "data": "Data infrastructure",
    "governance": "Model governance",
    "operations": "Operational readiness",
    "security": "Security and compliance",
    "team": "Team readiness",
}


def _title(term: Terminal) -> str:
    """The checklist's title line (the one with 'N of M')."""
    for line in term.screen().splitlines():
        if " of " in line and "days" in line:
            return line
    return ""


def _walk_to(term: Terminal, name: str) -> None:
    """Walk with `]` until the checklist shows `name` (at most once round the board)."""
    term.press_until("]", lambda _: name in _title(term), tries=20)


def test_open_from_the_board_set_items_and_agree_with_the_cli(sample_db: Path) -> None:
    with bridge_in_tmux(sample_db, width=160, height=45, env=ENV) as term:
        term.wait_for("Experiment")
        # Board: the first card of Experiment is selected; two columns right is Validate,
        # where Invoice processing is the second card by name.
        term.keys("Right", "Right", "Down", "Enter")
        screen = term.wait_for("DATA INFRASTRUCTURE", "Readiness")
        _walk_to(term, TARGET)
        term.wait_for("Readiness 13/20")

        # The cursor starts on D5, the first unanswered item: up to D4 (answered not met),
        # met (y goes on to D5), then D5 not met.
        term.keys("Up", "y", "n")
        # 14/20 shows after `y`; wait for what `n` changes too, so both keys have landed
        screen = term.wait_for("3 not met · 3 unanswered", "Readiness 14/20", "passes the line")
        assert "14/20 now" in screen  # the history sparkline caught up

        report = bridge_json(sample_db, "score", TARGET)
        readiness = report["readiness"]
        assert isinstance(readiness, dict)
        assert readiness["total"] == 14 and readiness["passing"] is True
        assert readiness["unanswered"] == 3
        assert readiness["categories"]["data"] == {"met": 4, "max": 5}
        assert "DATA INFRASTRUCTURE  4/5 met" in screen
        # The bars mark the three weakest areas the CLI names, and no others.
        for cat_id, label in LABELS.items():
            (bar,) = [line for line in screen.splitlines() if f"▌ {label} " in line]
            assert bar.rstrip().endswith("weakest") == (cat_id in readiness["weakest"]), bar

        # The gate: the answers the screen shows are the ones the CLI reads.
        gate = report["next_gate"]
        assert isinstance(gate, dict)
        assert gate["to"] == "productionize"
        assert gate["unmet"] == ["incident_recovered", "maintenance_budget"]
        assert "Next gate: into Productionize · still needs 2" in screen

        # Back to the board with escape, and the board still runs.
        term.keys("Escape")
        term.wait_gone("DATA INFRASTRUCTURE")
        assert "Productionize" in term.screen()


def test_small_terminal_checklist_is_readable(sample_db: Path) -> None:
    with bridge_in_tmux(sample_db, width=80, height=24, env=ENV) as term:
        term.wait_for("Experiment")
        term.keys("2")
        term.wait_for("DATA INFRASTRUCTURE")
        _walk_to(term, TARGET)
        screen = term.wait_for("Readiness 13/20", "3 not met · 4 unanswered")
        term.keys("y")  # the cursor starts on D5, the first unanswered: it becomes met
        screen = term.wait_for("Readiness 14/20")
        assert "3 not met · 3 unanswered" in term.wait_for("3 unanswered")
        report = bridge_json(sample_db, "score", TARGET)
        assert report["readiness"]["total"] == 14  # type: ignore[index]
        assert all(len(line) <= 80 for line in screen.splitlines())
