"""The pure flow rules: replay of change-log rows, stays, percentiles, quarters, pictures."""

from __future__ import annotations

from datetime import date

from bridge_tui import flow
from bridge_tui.flow import Initiative, Move

D = date


def _new(ident: str, tx: str, stage: str, day: str, forced: str = "", reason: str = ""):  # type: ignore[no-untyped-def]
    return (ident, tx, "*", stage, day, forced, reason)


def _move(ident: str, tx: str, stage: str, day: str | None, forced=None, reason=None):  # type: ignore[no-untyped-def]
    rows = [(ident, tx, "stage", stage, None, None, None)]
    if day is not None:
        rows.append((ident, tx, "stage_entered_at", None, day, None, None))
    if forced is not None:
        rows.append((ident, tx, "forced_reason", None, None, forced, None))
    if reason is not None:
        rows.append((ident, tx, "move_reason", None, None, None, reason))
    return rows


def test_replay_marks_forced_moves_only() -> None:
    rows = [
        _new("a", "t1", "experiment", "2026-01-01"),
        *_move("a", "t2", "pilot", "2026-02-01", forced="sponsor", reason="sponsor"),
        # through open gates, keeping the earlier mark: the reason is not the mark
        *_move("a", "t3", "validate", "2026-03-01", reason=""),
        # back, with a reason; the mark is still there but this move was not forced
        *_move("a", "t4", "pilot", "2026-04-01", reason="drift"),
        # killed: the mark is cleared
        *_move("a", "t5", "killed", "2026-05-01", forced="", reason="no budget"),
        _new("b", "t6", "validate", "2026-01-05", forced="added late", reason="added late"),
    ]
    moves = flow.replay(rows)
    assert moves["a"] == (
        Move(D(2026, 1, 1), "experiment"),
        Move(D(2026, 2, 1), "pilot", True),
        Move(D(2026, 3, 1), "validate"),
        Move(D(2026, 4, 1), "pilot"),
        Move(D(2026, 5, 1), "killed"),
    )
    assert moves["b"] == (Move(D(2026, 1, 5), "validate", True),)


def test_replay_same_day_move_keeps_the_day_and_skips_bad_days() -> None:
    rows = [
        _new("a", "t1", "experiment", "2026-01-01"),
        *_move("a", "t2", "pilot", None),  # same day: no stage_entered_at row
        _new("b", "t3", "experiment", "not a day"),
    ]
    moves = flow.replay(rows)
    assert moves["a"][1] == Move(D(2026, 1, 1), "pilot")
    assert "b" not in moves


def test_stays_close_with_the_stored_stage_and_drop_repeats() -> None:
    ini = Initiative(
        "a",
        "A",
        "validate",
        D(2026, 3, 1),
        (Move(D(2026, 1, 1), "pilot"), Move(D(2026, 1, 5), "pilot")),
    )
    stays = flow.stays(ini, D(2026, 3, 11))
    assert [(s.stage, s.start, s.end, s.came_from) for s in stays] == [
        ("pilot", D(2026, 1, 1), D(2026, 3, 1), None),
        ("validate", D(2026, 3, 1), None, "pilot"),
    ]
    assert stays[1].days(D(2026, 3, 11)) == 10
    # no log at all: one stay from the stored day
    alone = flow.stays(Initiative("b", "B", "pilot", D(2026, 2, 1)), D(2026, 2, 1))
    assert [(s.stage, s.days(D(2026, 2, 1))) for s in alone] == [("pilot", 0)]


def test_median_and_p90_by_nearest_rank() -> None:
    assert flow.median([]) is None and flow.p90([]) is None
    assert flow.median([5]) == 5.0 and flow.p90([5]) == 5
    assert flow.median([1, 2, 3, 10]) == 2.5
    assert flow.p90([1, 2, 3, 10]) == 10  # ceil(3.6) = 4th
    ten = list(range(1, 11))
    assert flow.p90(ten) == 9  # ceil(9.0) = 9th
    assert flow.p90([*ten, 11]) == 10  # ceil(9.9) = 10th of 11


def test_quarters() -> None:
    assert flow.quarter_of(D(2026, 3, 31)) == (2026, 1)
    assert flow.quarter_of(D(2026, 4, 1)) == (2026, 2)
    assert flow.quarter_bounds((2026, 4)) == (D(2026, 10, 1), D(2026, 12, 31))
    assert flow.quarter_bounds((2026, 1)) == (D(2026, 1, 1), D(2026, 3, 31))
    assert flow.quarter_label((2025, 3)) == "2025-Q3"


def _two() -> list[Initiative]:
    return [
        Initiative(
            "a",
            "A",
            "infrastructure",
            D(2026, 3, 1),
            (
                Move(D(2026, 1, 1), "pilot"),
                Move(D(2026, 2, 1), "validate"),
                Move(D(2026, 3, 1), "infrastructure", True),
            ),
        ),
        Initiative("b", "B", "pilot", D(2026, 2, 15), (Move(D(2026, 2, 15), "pilot"),)),
    ]


def test_a_skip_is_one_entry_and_counts_as_reaching_every_stage_below() -> None:
    f = flow.compute(_two(), D(2026, 4, 1))
    assert f.stages["productionize"].entered == 0
    assert f.stages["infrastructure"].entered == 1
    assert f.conversion["validate_to_productionize"].share == 1.0
    assert f.conversion["pilot_to_infrastructure"].share == 0.5
    assert f.conversion["experiment_to_pilot"].share is None  # nobody entered Experiment
    assert [q.label for q in f.quarters] == ["2026-Q1", "2026-Q2"]
    assert f.quarters[0].crossed == 1 and f.quarters[1].crossed == 0


def test_empty_portfolio() -> None:
    f = flow.compute([], D(2026, 4, 1))
    doc = flow.to_json(f)
    assert doc["quarters"] == []
    assert all(v["entered"] == 0 for v in doc["stages"].values())
    assert set(doc) == {"stages", "conversion", "killed_from", "quarters"}
    assert set(doc["conversion"]) == set(flow.CONVERSION_KEYS)
    days, series = flow.cumulative(f)
    assert days == [D(2026, 4, 1)] and series["pilot"] == [0]


def test_cumulative_counts_who_is_where_at_the_end_of_each_day() -> None:
    f = flow.compute(_two(), D(2026, 3, 1))
    days, series = flow.cumulative(f, points=60)
    assert days[0] == D(2026, 1, 1) and days[-1] == D(2026, 3, 1)
    at = {d: k for k, d in enumerate(days)}
    assert series["pilot"][at[D(2026, 1, 1)]] == 1
    assert series["pilot"][at[D(2026, 2, 1)]] == 0  # A left Pilot that day
    assert series["validate"][at[D(2026, 2, 1)]] == 1
    assert series["pilot"][at[D(2026, 2, 15)]] == 1  # B arrived
    assert series["infrastructure"][at[D(2026, 3, 1)]] == 1
    assert flow.in_stage_on(f, "pilot", D(2026, 2, 20)) == ["b"]


def test_buckets_and_quarter_entries() -> None:
    f = flow.compute(_two(), D(2026, 6, 1))
    assert flow.histogram([0, 29, 30, 89, 90, 400], flow.BUCKETS) == [2, 2, 1, 0, 1]
    assert flow.in_bucket(f, "pilot", 1) == ["a"]  # 31 days
    assert flow.in_bucket(f, "pilot", 2, finished=False) == ["b"]  # 106 days so far
    q1 = f.quarters[0]
    assert flow.entered_in(f, "pilot", q1) == ["a", "b"]
