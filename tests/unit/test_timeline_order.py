"""The portfolio timeline lists active plans before finished ones (past day 90, or every task
done), most behind first within each."""

from __future__ import annotations

from bridge_tui import scoring
from tests.unit.test_plan_scoring import START, T, day


def test_active_plans_come_before_finished_ones() -> None:
    # past day 90 with two tasks never done: "most behind" by count, but finished
    sustaining = scoring.plan_status(START, [T(1), T(2), T(3, done=True)], day(120))
    all_done = scoring.plan_status(START, [T(1, done=True), T(2, done=True)], day(40))
    one_late = scoring.plan_status(START, [T(1), T(2)], day(40))
    on_time = scoring.plan_status(START, [T(1, done=True), T(2)], day(40))
    assert scoring.plan_finished(sustaining) and scoring.plan_finished(all_done)
    assert not scoring.plan_finished(one_late) and not scoring.plan_finished(on_time)
    empty_running = scoring.plan_status(START, [], day(40))
    assert not scoring.plan_finished(empty_running)  # no tasks yet is not finished
    rows = [("a", sustaining), ("b", all_done), ("c", one_late), ("d", on_time)]
    ordered = sorted(rows, key=lambda r: scoring.timeline_key(r[1], r[0]))
    assert [name for name, _ in ordered] == ["c", "d", "a", "b"]
