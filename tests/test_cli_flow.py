"""`bridge flow` on a portfolio built through the command line, one day at a time with
`BRIDGE_TODAY` (the same story as tests/flow_portfolio.py, so the same hand-computed figures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_run import Run, cli_run
from tests.test_flow_service import EXPECTED, EXPECTED_SINCE_MAY

__all__ = ["cli_run"]

STEPS: list[tuple[str, list[list[str]]]] = [
    (
        "2026-01-10",
        [
            ["add", "Alpha"],
            ["add", "Bravo"],
            ["answer", "Alpha", "scoped", "yes"],
            ["answer", "Alpha", "team_assigned", "yes"],
        ],
    ),
    (
        "2026-02-09",
        [
            ["move", "Alpha", "pilot"],
            ["add", "Charlie"],
            ["answer", "Charlie", "scoped", "yes"],
            ["answer", "Charlie", "team_assigned", "yes"],
        ],
    ),
    ("2026-02-19", [["move", "Charlie", "pilot"]]),
    ("2026-03-11", [["move", "Bravo", "pilot", "--force", "--reason", "sponsor"]]),
    (
        "2026-04-10",
        [
            ["answer", "Alpha", "accuracy_on_real_data", "yes"],
            ["answer", "Alpha", "business_case_reviewed", "yes"],
            ["move", "Alpha", "validate"],
        ],
    ),
    (
        "2026-05-10",
        [
            ["move", "Alpha", "pilot", "--reason", "accuracy did not hold"],
            ["kill", "Bravo", "--reason", "no budget"],
        ],
    ),
    (
        "2026-05-20",
        [["move", "Charlie", "infrastructure", "--force", "--reason", "runs nightly"]],
    ),
    ("2026-06-09", [["move", "Alpha", "validate"]]),
    ("2026-07-09", [["revive", "Bravo"]]),
    ("2026-10-01", [["add", "Delta"]]),
]


@pytest.fixture
def built(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    assert run("init").code == 0
    for day, commands in STEPS:
        monkeypatch.setenv("BRIDGE_TODAY", day)
        for args in commands:
            result = run(*args)
            assert result.code == 0, (args, result.err)
    monkeypatch.setenv("BRIDGE_TODAY", "2026-11-22")
    return run


def test_flow_json_by_hand(built: Run) -> None:
    result = built("flow", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == EXPECTED


def test_flow_json_since(built: Run) -> None:
    result = built("flow", "--json", "--since", "2026-05-01")
    assert json.loads(result.out) == EXPECTED_SINCE_MAY


def test_flow_moves_with_today(built: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A later today ages those still there and adds its quarter; finished stays stay put."""
    monkeypatch.setenv("BRIDGE_TODAY", "2027-01-02")
    doc = json.loads(built("flow", "--json").out)
    assert doc["stages"]["validate"]["still_there"] == {
        "count": 1,
        "median_days": 207.0,
        "p90_days": 207,
    }
    assert doc["stages"]["pilot"]["median_days"] == 60.0
    assert [q["quarter"] for q in doc["quarters"]][-1] == "2027-Q1"


def test_flow_text(built: Run) -> None:
    result = built("flow")
    assert result.code == 0
    assert "Pilot to Infrastructure: 33% (1 of 3 that entered Pilot)" in result.out
    assert "Killed from: Pilot 1" in result.out
    lines: dict[str, list[str]] = {}
    for line in result.out.splitlines():
        if line.strip():
            lines.setdefault(line.split()[0], line.split())  # the table's row comes first
    assert lines["Pilot"][1:5] == ["4", "1", "1", "4"]  # entered, forced, back, left
    assert lines["2026-Q2"][1:] == ["0", "1", "2", "0", "1", "1", "1"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["flow", "--since", "2026-02-30"], "--since must be a date"),
        (["flow", "--since", "2026-11-23"], "after today"),
    ],
)
def test_flow_bad_since(built: Run, args: list[str], needle: str) -> None:
    result = built(*args)
    assert result.code == 2
    assert result.err.startswith("bridge: ") and needle in result.err
    assert "Traceback" not in result.err


def test_flow_on_an_empty_file(run: Run) -> None:
    assert run("init").code == 0
    doc = json.loads(run("flow", "--json").out)
    assert doc["quarters"] == [] and doc["killed_from"]["pilot"] == 0
