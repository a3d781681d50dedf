"""The 90-day plan: its days and months, task due dates, progress and the on-track verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, Protocol

from bridge_tui import method

if TYPE_CHECKING:
    from bridge_tui.scoring.score import Band

#: The plan runs three months of 30 days; day 1 is the start date.
PLAN_DAYS = method.MONTH_DAYS * len(method.PLAN_TEMPLATE)
PlanPhase = Literal["not_started", "running", "sustain"]
MonthState = Literal["done", "behind", "current", "upcoming"]
Verdict = Literal["on_track", "behind"]


class PlanTaskLike(Protocol):
    """What plan scoring reads from a task (a `models.PlanTask` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def month(self) -> int: ...
    @property
    def done(self) -> bool: ...
    @property
    def due(self) -> date | None: ...
    @property
    def deleted(self) -> bool: ...


def _plus_days(d: date, days: int) -> date:
    return date.fromordinal(d.toordinal() + days)


def plan_day(start: date, today: date) -> int:
    """Day 1 is the start date; 0 or less before it, over 90 once the plan has run out."""
    return (today - start).days + 1


def plan_phase(start: date, today: date) -> PlanPhase:
    day = plan_day(start, today)
    if day < 1:
        return "not_started"
    return "running" if day <= PLAN_DAYS else "sustain"


def month_of_day(day: int) -> int | None:
    """Month m holds days 30(m-1)+1 .. 30m; None outside the 90 days."""
    if day < 1 or day > PLAN_DAYS:
        return None
    return (day - 1) // method.MONTH_DAYS + 1


def month_range(start: date, month: int) -> tuple[date, date]:
    """First and last date of month 1..3 of a plan starting on `start`."""
    if month not in (1, 2, 3):
        raise ValueError(f"a plan has months 1 to 3, not {month}")
    first = _plus_days(start, method.MONTH_DAYS * (month - 1))
    return first, _plus_days(first, method.MONTH_DAYS - 1)


def plan_end(start: date) -> date:
    """Day 90: the last day of the plan."""
    return month_range(start, 3)[1]


def effective_due(task: PlanTaskLike, start: date) -> date:
    """A task without a due date is due on the last day of its month."""
    return task.due if task.due is not None else month_range(start, task.month)[1]


def task_overdue(task: PlanTaskLike, start: date, today: date) -> bool:
    """Not done and its due date is before today (due today is not late yet)."""
    return not task.done and effective_due(task, start) < today


def next_quarterly_review(start: date, last_review: date | None = None) -> date:
    """After day 90 the initiative is reviewed every quarter: a quarter after the end of the
    plan, or a quarter after the last review held since then."""
    anchor = plan_end(start)
    if last_review is not None and last_review > anchor:
        anchor = last_review
    return _plus_days(anchor, method.QUARTER_DAYS)


class _Progress:
    """Done out of total, as a share (0..1) and a whole percent; 0 when there is nothing to do."""

    done: int
    total: int

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.share)


@dataclass(frozen=True)
class MonthProgress(_Progress):
    month: int
    label: str
    first: date
    last: date
    done: int
    total: int
    overdue: int
    ended: bool
    current: bool

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def state(self) -> MonthState:
        """done (every task done), behind (ended with tasks open), current, or upcoming."""
        if self.complete:
            return "done"
        if self.ended:
            return "behind"
        return "current" if self.current else "upcoming"


@dataclass(frozen=True)
class PlanStatus(_Progress):
    start: date
    today: date
    day: int
    phase: PlanPhase
    months: tuple[MonthProgress, ...]
    done: int
    total: int
    #: ids of tasks not done whose due date is before today
    overdue: tuple[str, ...]
    #: ids of tasks of an ended month that are not done: what makes a plan behind
    late: tuple[str, ...]
    next_review: date
    #: the day-90 date
    end: date

    @property
    def behind(self) -> bool:
        return bool(self.late)

    @property
    def verdict(self) -> Verdict:
        return "behind" if self.behind else "on_track"

    @property
    def band(self) -> Band:
        return "fail" if self.behind else "warn" if self.overdue else "pass"

    @property
    def current_month(self) -> int | None:
        return month_of_day(self.day)

    @property
    def expected_share(self) -> float:
        """The share of the 90 days already behind us (0 before the start, 1 after day 90)."""
        return min(max(self.day - 1, 0), PLAN_DAYS) / PLAN_DAYS

    @property
    def lag(self) -> float:
        """How far the work trails the calendar (positive = behind the calendar)."""
        return self.expected_share - self.share

    @property
    def review_late(self) -> bool:
        return self.phase == "sustain" and self.next_review < self.today

    def month(self, month: int) -> MonthProgress:
        return self.months[month - 1]

    def day_label(self) -> str:
        if self.phase == "not_started":
            wait = 1 - self.day
            return f"starts in {wait} day{'s' if wait != 1 else ''}"
        if self.phase == "sustain":
            return f"day {self.day}: past the {PLAN_DAYS} days, sustain and extend"
        return f"day {self.day} of {PLAN_DAYS}"

    def verdict_sentence(self) -> str:
        if self.behind:
            parts = []
            for m in self.months:
                open_ = m.total - m.done
                if m.ended and open_:
                    parts.append(f"{open_} of month {m.month}")
            n = len(self.late)
            return (
                f"Behind: {n} task{'s' if n != 1 else ''} of ended months not done "
                f"({', '.join(parts)})."
            )
        if self.total and self.done == self.total:
            return f"Complete: all {self.total} tasks done."
        if self.phase == "not_started":
            return f"Not started yet: day 1 is {self.start.isoformat()}."
        if not any(m.ended for m in self.months):
            return "On track: no month has ended yet."
        return "On track: every task of the ended months is done."


def plan_status(
    start: date,
    tasks: Iterable[PlanTaskLike],
    today: date,
    last_review: date | None = None,
) -> PlanStatus:
    """Progress per month and overall, overdue tasks, and the on-track verdict of one plan."""
    live = [t for t in tasks if not t.deleted]
    day = plan_day(start, today)
    current = month_of_day(day)
    months: list[MonthProgress] = []
    overdue: list[str] = []
    late: list[str] = []
    for pm in method.PLAN_TEMPLATE:
        first, last = month_range(start, pm.month)
        mine = [t for t in live if t.month == pm.month]
        ended = today > last
        late_here = [t.id for t in mine if ended and not t.done]
        over_here = [t.id for t in mine if task_overdue(t, start, today)]
        months.append(
            MonthProgress(
                month=pm.month,
                label=pm.label,
                first=first,
                last=last,
                done=sum(1 for t in mine if t.done),
                total=len(mine),
                overdue=len(over_here),
                ended=ended,
                current=current == pm.month,
            )
        )
        overdue += over_here
        late += late_here
    return PlanStatus(
        start=start,
        today=today,
        day=day,
        phase=plan_phase(start, today),
        months=tuple(months),
        done=sum(m.done for m in months),
        total=sum(m.total for m in months),
        overdue=tuple(overdue),
        late=tuple(late),
        next_review=next_quarterly_review(start, last_review),
        end=plan_end(start),
    )


def plan_finished(status: PlanStatus) -> bool:
    """Past day 90 (sustaining) or every task done: no longer a plan being worked."""
    return status.phase == "sustain" or (status.total > 0 and status.done == status.total)


def timeline_key(status: PlanStatus, name: str) -> tuple[bool, int, int, float, str]:
    """Active plans before finished ones; within each, most behind first: late tasks, then
    overdue tasks, then how far work trails the calendar; name breaks ties."""
    return (
        plan_finished(status),
        -len(status.late),
        -len(status.overdue),
        -round(status.lag, 6),
        name.casefold(),
    )
