"""Flow figures computed by hand on a portfolio with known move dates (tests/flow_portfolio.py).

The stays, today 2026-11-22 (days between entry days):
  Alpha   Experiment 01-10..02-09 (30), Pilot 02-09..04-10 (60), Validate 04-10..05-10 (30),
          Pilot, moved back, 05-10..06-09 (30), Validate 06-09.. still there (166)
  Bravo   Experiment 01-10..03-11 (60), Pilot, forced, 03-11..05-10 (60),
          Killed 05-10..07-09 (60), Experiment, revived, 07-09.. still there (136)
  Charlie Experiment 02-09..02-19 (10), Pilot 02-19..05-20 (90),
          Infrastructure, forced past two stages, 05-20.. still there (186)
  Delta   Experiment 10-01.. still there (52)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bridge_tui import flow, stage_history
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY
from tests.flow_portfolio import flow_template

__all__ = ["flow_template"]  # a fixture

Z = {"experiment": 0, "pilot": 0, "validate": 0, "productionize": 0, "infrastructure": 0}


def _zero(**kw: int) -> dict[str, int]:
    return {**Z, "killed": 0, **kw}


def _stage(entered, left, median, p90, count, age_median, age_p90):  # type: ignore[no-untyped-def]
    return {
        "entered": entered,
        "left": left,
        "median_days": median,
        "p90_days": p90,
        "still_there": {"count": count, "median_days": age_median, "p90_days": age_p90},
    }


EXPECTED = {
    "stages": {
        # entries: Alpha, Bravo, Charlie, Delta, and Bravo again (revived); finished 10, 30, 60
        "experiment": _stage(5, 3, 30.0, 60, 2, 94.0, 136),
        # entries: Alpha, Charlie, Bravo (forced), Alpha again (moved back); finished 30 60 60 90
        "pilot": _stage(4, 4, 60.0, 90, 0, None, None),
        "validate": _stage(2, 1, 30.0, 30, 1, 166.0, 166),
        "productionize": _stage(0, 0, None, None, 0, None, None),
        "infrastructure": _stage(1, 0, None, None, 1, 186.0, 186),
        "killed": _stage(1, 1, 60.0, 60, 0, None, None),
    },
    "conversion": {
        "pilot_to_infrastructure": 0.333,  # Charlie of Alpha, Bravo, Charlie
        "experiment_to_pilot": 0.75,  # Alpha, Bravo, Charlie of four
        "pilot_to_validate": 0.667,  # Alpha, Charlie (past it) of three
        "validate_to_productionize": 0.0,  # Alpha fell back
        "productionize_to_infrastructure": None,  # nobody entered Productionize
    },
    "killed_from": {**Z, "pilot": 1},
    "quarters": [
        {"quarter": "2026-Q1", "entered": _zero(experiment=3, pilot=3), "crossed": 0},
        {
            "quarter": "2026-Q2",
            "entered": _zero(pilot=1, validate=2, infrastructure=1, killed=1),
            "crossed": 1,
        },
        {"quarter": "2026-Q3", "entered": _zero(experiment=1), "crossed": 0},
        {"quarter": "2026-Q4", "entered": _zero(experiment=1), "crossed": 0},
    ],
}

EXPECTED_SINCE_MAY = {
    "stages": {
        "experiment": _stage(2, 0, None, None, 2, 94.0, 136),
        # stays that ended on or after 05-01: Alpha's second (30), Bravo's (60), Charlie's (90)
        "pilot": _stage(1, 3, 60.0, 90, 0, None, None),
        "validate": _stage(1, 1, 30.0, 30, 1, 166.0, 166),
        "productionize": _stage(0, 0, None, None, 0, None, None),
        "infrastructure": _stage(1, 0, None, None, 1, 186.0, 186),
        "killed": _stage(1, 1, 60.0, 60, 0, None, None),
    },
    "conversion": {
        "pilot_to_infrastructure": 0.0,  # only Alpha entered Pilot since May
        "experiment_to_pilot": 0.0,  # Bravo (revived) and Delta
        "pilot_to_validate": 1.0,
        "validate_to_productionize": 0.0,
        "productionize_to_infrastructure": None,
    },
    "killed_from": {**Z, "pilot": 1},
    "quarters": [
        {
            "quarter": "2026-Q2",
            "entered": _zero(pilot=1, validate=1, infrastructure=1, killed=1),
            "crossed": 1,
        },
        {"quarter": "2026-Q3", "entered": _zero(experiment=1), "crossed": 0},
        {"quarter": "2026-Q4", "entered": _zero(experiment=1), "crossed": 0},
    ],
}


@pytest.fixture
def svc(flow_template: Path) -> Iterator[Service]:
    service = Service(Store.open(flow_template, read_only=True), "reader", FROZEN_TODAY)
    yield service
    service.close()


def test_flow_figures_by_hand(svc: Service) -> None:
    assert flow.to_json(svc.flow()) == EXPECTED


def test_flow_since(svc: Service) -> None:
    assert flow.to_json(svc.flow(date(2026, 5, 1))) == EXPECTED_SINCE_MAY


def test_forced_back_and_revived_are_counted_apart(svc: Service) -> None:
    f = svc.flow()
    assert (f.stages["pilot"].forced_in, f.stages["pilot"].back_in) == (1, 1)
    assert f.stages["infrastructure"].forced_in == 1
    assert f.stages["experiment"].revived_in == 1
    assert f.stages["validate"].forced_in == f.stages["validate"].back_in == 0
    conv = f.conversion["pilot_to_infrastructure"]
    assert (conv.reached, conv.cohort) == (1, 3)
    assert f.quarters[1].crossed_ids == (svc.resolve("Charlie").id,)
    detail = svc.flow_detail()  # the same figures, with every stay and name (the screen's)
    assert flow.to_json(detail) == flow.to_json(f)
    assert detail.names[svc.resolve("Charlie").id] == "Charlie"


def test_one_initiatives_timeline(svc: Service) -> None:
    alpha = svc.resolve("Alpha")
    stays = svc.stage_timeline(alpha.id)
    assert [(s.stage, s.start, s.end, s.days(FROZEN_TODAY), s.back) for s in stays] == [
        ("experiment", date(2026, 1, 10), date(2026, 2, 9), 30, False),
        ("pilot", date(2026, 2, 9), date(2026, 4, 10), 60, False),
        ("validate", date(2026, 4, 10), date(2026, 5, 10), 30, False),
        ("pilot", date(2026, 5, 10), date(2026, 6, 9), 30, True),
        ("validate", date(2026, 6, 9), None, 166, False),
    ]
    bravo = svc.stage_timeline(svc.resolve("Bravo").id)
    assert [(s.stage, s.forced, s.revived) for s in bravo] == [
        ("experiment", False, False),
        ("pilot", True, False),
        ("killed", False, False),
        ("experiment", False, True),
    ]
    assert svc.stage_timeline("no-such-id") == []


def test_flow_replay_agrees_with_stage_history(svc: Service, service: Service) -> None:
    """The flow reads the same moves the purgatory rules read (the sample's log too)."""
    for s in (svc, service):
        moves = flow.replay(s.store.flow_rows())
        events = stage_history.replay(s.store.stage_rows())
        assert {k: flow.events(v) for k, v in moves.items()} == {
            k: v for k, v in events.items() if k in moves
        }


def test_since_after_today_is_refused(svc: Service) -> None:
    from bridge_tui.errors import BadInput

    with pytest.raises(BadInput, match="after today"):
        svc.flow(date(2026, 11, 23))


def test_reports_carry_the_flow(svc: Service) -> None:
    data = json.loads(svc.report("json"))
    assert {k: data["flow"][k] for k in EXPECTED} == EXPECTED
    assert data["flow"]["entries"]["pilot"] == {"forced": 1, "back": 1, "revived": 0}
    charlie = next(i for i in data["initiatives"] if i["name"] == "Charlie")
    assert charlie["flow"]["days_pilot_to_infrastructure"] == 90
    assert charlie["flow"]["forced_moves"] == 1
    md = svc.report("md")
    assert "## Flow over time" in md
    assert "| Pilot | 4 | 1 | 1 | 4 | 60 | 90 | 0 | – | – |" in md
    assert "| 2026-Q2 | 0 | 1 | 2 | 0 | 1 | 1 | **1** |" in md
    assert "**Killed from:** Pilot 1." in md
    assert "Pilot 2026-03-11, 60 days (forced)" in md
    rows = list(csv.DictReader(io.StringIO(svc.report("csv"))))
    alpha = next(r for r in rows if r["name"] == "Alpha")
    assert alpha["flow_moves_back"] == "1"
    assert alpha["flow_forced_moves"] == "0"
    assert alpha["flow_days_pilot_to_infrastructure"] == ""
    assert alpha["flow_timeline"].endswith("Validate 2026-06-09, 166 days so far")
