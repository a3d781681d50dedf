"""The 90-day plan numbers: day counter, month ranges, progress, overdue, on-track, sustain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from bridge_tui import scoring
from bridge_tui.models import PlanTask, new_id

START = date(2026, 1, 1)


def day(n: int) -> date:
    """The date of plan day n (day 1 is the start date)."""
    return START + timedelta(days=n - 1)


@dataclass(frozen=True)
class T:
    month: int
    done: bool = False
    due: date | None = None
    deleted: bool = False
    id: str = field(default_factory=new_id)


def template_like() -> list[T]:
    """Two tasks per month, due on the last day of their month."""
    return [T(m, due=day(30 * m)) for m in (1, 2, 3) for _ in range(2)]


# day counter and phases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected", "phase"),
    [
        (day(-5), -5, "not_started"),
        (day(0), 0, "not_started"),
        (day(1), 1, "running"),
        (day(30), 30, "running"),
        (day(31), 31, "running"),
        (day(90), 90, "running"),
        (day(91), 91, "sustain"),
    ],
)
def test_day_counter_and_phase(today: date, expected: int, phase: str) -> None:
    assert scoring.plan_day(START, today) == expected
    assert scoring.plan_phase(START, today) == phase


def test_day_1_is_the_start_date() -> None:
    assert scoring.plan_day(START, START) == 1
    assert day(1) == START


@pytest.mark.parametrize(
    ("n", "month"),
    [(0, None), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, None)],
)
def test_month_of_day_boundaries(n: int, month: int | None) -> None:
    assert scoring.month_of_day(n) == month


def test_month_ranges() -> None:
    assert scoring.month_range(START, 1) == (day(1), day(30))
    assert scoring.month_range(START, 2) == (day(31), day(60))
    assert scoring.month_range(START, 3) == (day(61), day(90))
    assert scoring.plan_end(START) == date(2026, 3, 31)
    with pytest.raises(ValueError):
        scoring.month_range(START, 4)


def test_template_due_dates_match_month_ends() -> None:
    """The service due date (start + 30m - 1) is the last day of month m."""
    for m in (1, 2, 3):
        assert START + timedelta(days=30 * m - 1) == scoring.month_range(START, m)[1]


def test_day_labels() -> None:
    assert scoring.plan_status(START, [], day(37)).day_label() == "day 37 of 90"
    assert scoring.plan_status(START, [], day(1)).day_label() == "day 1 of 90"
    assert scoring.plan_status(START, [], day(90)).day_label() == "day 90 of 90"
    assert scoring.plan_status(START, [], day(0)).day_label() == "starts in 1 day"
    assert scoring.plan_status(START, [], day(-2)).day_label() == "starts in 3 days"
    assert "sustain" in scoring.plan_status(START, [], day(91)).day_label()
    assert scoring.plan_status(START, [], day(91)).day_label().startswith("day 91")


# overdue ----------------------------------------------------------------------------------------


def test_overdue_is_strictly_after_the_due_date() -> None:
    t = T(1, due=day(30))
    assert not scoring.task_overdue(t, START, day(30))
    assert scoring.task_overdue(t, START, day(31))
    done = T(1, done=True, due=day(30))
    assert not scoring.task_overdue(done, START, day(40))


def test_task_without_due_date_is_due_at_its_month_end() -> None:
    t = T(2, due=None)
    assert scoring.effective_due(t, START) == day(60)
    assert not scoring.task_overdue(t, START, day(60))
    assert scoring.task_overdue(t, START, day(61))


def test_early_custom_due_date_makes_a_task_overdue_before_its_month_ends() -> None:
    t = T(2, due=day(40))
    status = scoring.plan_status(START, [t], day(45))
    assert status.overdue == (t.id,)
    assert not status.behind  # month 2 has not ended: overdue, but not behind
    assert status.band == "warn"


# on track vs behind across the month boundaries -----------------------------------------------


@pytest.mark.parametrize(
    ("n", "behind"),
    [(1, False), (30, False), (31, True), (60, True), (61, True), (90, True), (91, True)],
)
def test_an_open_month_1_task_makes_the_plan_behind_from_day_31(n: int, behind: bool) -> None:
    tasks = [T(1, due=day(30)), T(1, done=True, due=day(30))]
    status = scoring.plan_status(START, tasks, day(n))
    assert status.behind is behind
    assert status.verdict == ("behind" if behind else "on_track")


@pytest.mark.parametrize(("n", "behind"), [(60, False), (61, True)])
def test_month_2_ends_after_day_60(n: int, behind: bool) -> None:
    tasks = [T(1, done=True), T(2)]
    assert scoring.plan_status(START, tasks, day(n)).behind is behind


@pytest.mark.parametrize(("n", "behind"), [(90, False), (91, True)])
def test_month_3_ends_after_day_90(n: int, behind: bool) -> None:
    tasks = [T(1, done=True), T(2, done=True), T(3)]
    status = scoring.plan_status(START, tasks, day(n))
    assert status.behind is behind
    assert status.month(3).ended is behind


def test_month_states_and_current_month() -> None:
    tasks = [T(1, done=True), T(1), T(2), T(3, done=True)]
    s = scoring.plan_status(START, tasks, day(31))
    assert [m.state for m in s.months] == ["behind", "current", "done"]
    assert s.current_month == 2
    assert [m.current for m in s.months] == [False, True, False]
    s = scoring.plan_status(START, tasks, day(30))
    assert [m.state for m in s.months] == ["current", "upcoming", "done"]
    assert s.current_month == 1


def test_progress_per_month_and_overall() -> None:
    tasks = template_like()
    tasks[0] = T(1, done=True, due=day(30))
    tasks[2] = T(2, done=True, due=day(60))
    tasks[3] = T(2, done=True, due=day(60))
    s = scoring.plan_status(START, tasks, day(20))
    assert [(m.done, m.total) for m in s.months] == [(1, 2), (2, 2), (0, 2)]
    assert [m.percent for m in s.months] == [50, 100, 0]
    assert (s.done, s.total, s.percent) == (3, 6, 50)


def test_deleted_tasks_do_not_count() -> None:
    tasks = [T(1, done=True), T(1, deleted=True)]
    s = scoring.plan_status(START, tasks, day(45))
    assert (s.done, s.total) == (1, 1)
    assert not s.behind


def test_empty_plan() -> None:
    s = scoring.plan_status(START, [], day(95))
    assert s.share == 0.0 and s.percent == 0
    assert not s.behind
    assert s.months[0].share == 0.0


def test_verdict_sentences() -> None:
    late = T(1)
    s = scoring.plan_status(START, [late, T(1, done=True), T(2)], day(38))
    assert s.verdict_sentence() == "Behind: 1 task of ended months not done (1 of month 1)."
    assert s.late == (late.id,)
    s = scoring.plan_status(START, [T(1, done=True), T(2)], day(38))
    assert s.verdict_sentence() == "On track: every task of the ended months is done."
    s = scoring.plan_status(START, [T(1)], day(5))
    assert s.verdict_sentence() == "On track: no month has ended yet."
    s = scoring.plan_status(START, [T(1, done=True)], day(5))
    assert s.verdict_sentence() == "Complete: all 1 tasks done."
    s = scoring.plan_status(START, [T(1)], day(-3))
    assert s.verdict_sentence() == "Not started yet: day 1 is 2026-01-01."
    s = scoring.plan_status(START, [T(1), T(1), T(2)], day(70))
    assert (
        s.verdict_sentence()
        == "Behind: 3 tasks of ended months not done (2 of month 1, 1 of month 2)."
    )


def test_works_with_real_plan_tasks() -> None:
    iid = new_id()
    tasks = [
        PlanTask(initiative_id=iid, month=1, title="a", due=day(30)),
        PlanTask(initiative_id=iid, month=1, title="b", due=day(30), done=True),
    ]
    s = scoring.plan_status(START, tasks, day(31))
    assert s.behind and s.overdue == (tasks[0].id,)


# sustain phase and quarterly reviews ----------------------------------------------------------


def test_next_quarterly_review_is_a_quarter_after_day_90() -> None:
    assert scoring.next_quarterly_review(START) == day(90) + timedelta(days=91)


def test_a_review_after_day_90_moves_the_next_one() -> None:
    reviewed = day(120)
    assert scoring.next_quarterly_review(START, reviewed) == reviewed + timedelta(days=91)
    # a review held during the plan does not count as the first quarterly review
    assert scoring.next_quarterly_review(START, day(50)) == day(90) + timedelta(days=91)


@pytest.mark.parametrize(("n", "late"), [(90, False), (91, False), (181, False), (182, True)])
def test_review_late_only_in_sustain_after_the_date(n: int, late: bool) -> None:
    s = scoring.plan_status(START, [], day(n))
    assert s.review_late is late


# timeline order ---------------------------------------------------------------------------------


def test_timeline_sorts_most_behind_first() -> None:
    on_time = scoring.plan_status(START, [T(1, done=True), T(2)], day(40))
    one_late = scoring.plan_status(START, [T(1), T(2)], day(40))
    two_late = scoring.plan_status(START, [T(1), T(1)], day(40))
    overdue_only = scoring.plan_status(START, [T(2, due=day(35))], day(40))
    rows = [("a", on_time), ("b", one_late), ("c", two_late), ("d", overdue_only)]
    ordered = sorted(rows, key=lambda r: scoring.timeline_key(r[1], r[0]))
    assert [name for name, _ in ordered] == ["c", "b", "d", "a"]


def test_timeline_ties_use_lag_then_name() -> None:
    ahead = scoring.plan_status(START, [T(2, done=True), T(3)], day(40))
    trailing = scoring.plan_status(START, [T(2), T(3)], day(40))
    rows = [("z", ahead), ("y", trailing), ("x", ahead)]
    ordered = sorted(rows, key=lambda r: scoring.timeline_key(r[1], r[0]))
    assert [name for name, _ in ordered] == ["y", "x", "z"]


def test_expected_share_follows_the_calendar() -> None:
    assert scoring.plan_status(START, [], day(0)).expected_share == 0
    assert scoring.plan_status(START, [], day(1)).expected_share == 0
    assert scoring.plan_status(START, [], day(46)).expected_share == 0.5
    assert scoring.plan_status(START, [], day(200)).expected_share == 1
