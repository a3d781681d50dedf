"""The shared scoring module: every number the app, the CLI and the reports show comes from here.

Pure functions over models and plain mappings; `today` is always a parameter; no I/O, no Textual,
no SQLite. Answers are passed as a mapping of answer key -> "yes" / "no" / "unknown"; a key
that is missing counts as unanswered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal, Protocol

from bridge_tui import method, stage_history
from bridge_tui.models import Answer, Initiative, MetricReading
from bridge_tui.ownership import OwnerIssue, effective_answers, owner_issue, reads_as_group
from bridge_tui.stage_history import History, StageEvent

AnswerMap = Mapping[str, str]
Band = Literal["pass", "fail", "warn"]

# The numbers live in `method`; these names stay for the code that reads them from here.
PURGATORY_DAYS = method.PURGATORY_DAYS
REVIEW_DAYS = method.REVIEW_DAYS
BUDGET_MULTIPLE = method.BUDGET_MULTIPLE

__all__ = [
    "History",
    "OwnerIssue",
    "StageEvent",
    "effective_answers",
    "owner_issue",
    "reads_as_group",
]


def answer_map(answers: Iterable[Answer]) -> dict[str, str]:
    """Key -> value for the live answers of one initiative."""
    return {a.key: a.value for a in answers if not a.deleted}


def _value(answers: AnswerMap, key: str) -> str:
    return answers.get(key, "unknown")


def tristate(answers: AnswerMap, key: str) -> bool | None:
    """True for met, False for not met, None for unanswered."""
    v = _value(answers, key)
    return True if v == "yes" else False if v == "no" else None


# Readiness score -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryScore:
    id: str
    met: int
    max: int
    unanswered: int

    @property
    def share(self) -> float:
        return self.met / self.max


@dataclass(frozen=True)
class Readiness:
    total: int
    max: int
    threshold: int
    passing: bool
    unanswered: int
    #: answered "no" (kept apart from unanswered)
    not_met: int
    categories: tuple[CategoryScore, ...]
    weakest: tuple[str, ...]
    unmet: tuple[str, ...]

    @property
    def band(self) -> Band:
        return "pass" if self.passing else "fail"

    def category(self, category_id: str) -> CategoryScore:
        return next(c for c in self.categories if c.id == category_id)


_CATEGORY_ORDER = {c.id: n for n, c in enumerate(method.CATEGORIES)}


def readiness(answers: AnswerMap) -> Readiness:
    cats: list[CategoryScore] = []
    unmet: list[str] = []
    get = answers.get
    for cat in method.CATEGORIES:
        met = unanswered = 0
        for item in method.items_in(cat.id):
            v = get(item.id, "unknown")
            if v == "yes":
                met += 1
            else:
                unmet.append(item.id)  # categories and items share the table's order
                if v != "no":
                    unanswered += 1
        cats.append(CategoryScore(cat.id, met, cat.max_points, unanswered))
    total = sum(c.met for c in cats)
    unanswered_total = sum(c.unanswered for c in cats)
    # The three weakest areas: lowest share first, ties in the table's order; a category at
    # full marks is not weak, so at 20/20 there are none.
    below_full = [c for c in cats if c.met < c.max]
    weakest = sorted(below_full, key=lambda c: (c.share, _CATEGORY_ORDER[c.id]))[:3]
    return Readiness(
        total=total,
        max=method.MAX_SCORE,
        threshold=method.PASSING_SCORE,
        passing=total >= method.PASSING_SCORE,
        unanswered=unanswered_total,
        not_met=method.MAX_SCORE - total - unanswered_total,
        categories=tuple(cats),
        weakest=tuple(c.id for c in weakest),
        unmet=tuple(unmet),
    )


# Infrastructure tests and stage three --------------------------------------------------------


def tests(answers: AnswerMap) -> dict[str, bool | None]:
    return {t.id: tristate(answers, t.id) for t in method.TESTS}


def all_tests_pass(answers: AnswerMap) -> bool:
    return all(v is True for v in tests(answers).values())


def stage_three(initiative: Initiative, answers: AnswerMap) -> bool:
    """Real infrastructure: in the last stage AND passing all four tests (`owned` only with a
    named owner who is not the pilot builder and not a group)."""
    return initiative.stage == method.INFRASTRUCTURE and all_tests_pass(
        effective_answers(initiative, answers)
    )


def _stage_three(initiative: Initiative, results: Mapping[str, bool | None]) -> bool:
    """`stage_three` from test results already computed (`tests(answers)`)."""
    return initiative.stage == method.INFRASTRUCTURE and all(v is True for v in results.values())


# Readiness to scale --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleVerdict:
    """Seed 1: "the four real signals and none of the three false ones"."""

    ready: bool
    missing: tuple[str, ...]
    false_signals: tuple[str, ...]
    #: a false signal is marked while a real one is missing: the push rests on false signals
    warning: bool
    #: why `operational_owner` does not hold although it was answered yes (the owner on
    #: record is missing, the pilot builder or a group); "" otherwise
    owner_note: str = ""

    @property
    def band(self) -> Band:
        return "pass" if self.ready else "warn" if self.warning else "fail"

    def _missing_text(self) -> str:
        out = []
        for s in self.missing:
            label = method.SIGNAL_BY_ID[s].label.lower()
            if s == "operational_owner" and self.owner_note:
                label += f" ({self.owner_note})"
            out.append(label)
        return ", ".join(out)

    def _false_text(self) -> str:
        return "; ".join(
            f"{method.SIGNAL_BY_ID[s].label.lower()} ({method.SIGNAL_BY_ID[s].why_not})"
            for s in self.false_signals
        )

    def sentence(self) -> str:
        """The verdict in plain words: the app, the CLI and the reports all print this."""
        if self.ready:
            return f"Ready to start the {method.PLAN_DAYS}-day bridge."
        if self.warning:
            return (
                f"Warning: the push rests on false signals, not readiness: {self._false_text()}; "
                f"still missing {self._missing_text()}."
            )
        if self.false_signals:
            return f"Not ready: false signals are marked: {self._false_text()}."
        return f"Not ready: missing {self._missing_text()}."


def scale_verdict(answers: AnswerMap, owner_note: str = "") -> ScaleVerdict:
    """Ready only with all four real signals AND no false signal marked. `answers` are read as
    given: pass `effective_answers` (the owner rule) when an initiative is at hand."""
    missing = tuple(s.id for s in method.REAL_SIGNALS if _value(answers, s.id) != "yes")
    false = tuple(s.id for s in method.FALSE_SIGNALS if _value(answers, s.id) == "yes")
    return ScaleVerdict(
        ready=not missing and not false,
        missing=missing,
        false_signals=false,
        warning=bool(false) and bool(missing),
        owner_note=owner_note if "operational_owner" in missing else "",
    )


def initiative_scale(initiative: Initiative, answers: AnswerMap) -> ScaleVerdict:
    """The scale verdict of one initiative, the owner rule applied and explained."""
    issue = owner_issue(initiative)
    yes = answers.get("operational_owner") == "yes"
    note = issue.sentence() if issue is not None and yes else ""
    return scale_verdict(effective_answers(initiative, answers, issue), note)


# Gates ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateCheck:
    source: str
    target: str
    allowed: bool
    #: every unmet requirement on the way, in the order of domain.md's tables
    unmet: tuple[str, ...]
    #: stages whose gate the move passes through, in order
    gates: tuple[str, ...] = field(default=())
    backward: bool = False
    #: (requirement, why) for unmet requirements that need a word of explanation: `owned` or
    #: `operational_owner` answered yes while the owner on record does not qualify
    notes: tuple[tuple[str, str], ...] = ()

    def describe(self, key: str) -> str:
        """One unmet requirement in plain words, with its explanation when there is one."""
        text = method.describe_requirement(key)
        note = dict(self.notes).get(key)
        return f"{text} ({note})" if note else text

    def lines(self) -> tuple[str, ...]:
        """Every unmet requirement in plain words, in order: what a refusal lists."""
        return tuple(self.describe(k) for k in self.unmet)

    @property
    def passes_productionize(self) -> bool:
        """The move enters Productionize on its way or ends there (a move back from
        Infrastructure too): that stage's side effects apply, the budget warning and the plan."""
        return method.PRODUCTIONIZE in self.gates or self.target == method.PRODUCTIONIZE


def _gate_unmet(into: str, answers: AnswerMap) -> list[str]:
    """What entering stage `into` from the stage before it still needs."""
    before = method.previous_stage(into)
    assert before is not None
    unmet = [e.id for e in method.exit_conditions_for(before) if _value(answers, e.id) != "yes"]
    if into == method.PRODUCTIONIZE:
        # ready to scale: the four real signals, and no false one marked
        verdict = scale_verdict(answers)
        unmet += list(verdict.missing) + list(verdict.false_signals)
    if into == method.INFRASTRUCTURE:
        unmet += [t for t, ok in tests(answers).items() if ok is not True]
        if not readiness(answers).passing:
            unmet.append(method.READINESS_REQUIREMENT)
    return unmet


def gate_check(source: str, target: str, answers: AnswerMap) -> GateCheck:
    """Can an initiative in `source` move to `target`?

    Forward moves pass every gate on the way. Backward moves and kills have no gate (they need a
    reason instead, which the service asks for). Leaving Killed is a revive: the gates from the
    start of the flow up to the target apply.
    """
    if target not in method.STAGE_IDS or source not in method.STAGE_IDS:
        raise ValueError(f"unknown stage in move {source} -> {target}")
    if target == method.KILLED or source == target:
        return GateCheck(source, target, True, (), (), False)
    start = method.FLOW[0] if source == method.KILLED else source
    si, ti = method.stage_index(start), method.stage_index(target)
    if ti <= si:
        return GateCheck(source, target, True, (), (), source != method.KILLED)
    gates = method.FLOW[si + 1 : ti + 1]
    unmet: list[str] = []
    for g in gates:
        for req in _gate_unmet(g, answers):
            if req not in unmet:
                unmet.append(req)
    return GateCheck(source, target, not unmet, tuple(unmet), tuple(gates), False)


def move_check(
    initiative: Initiative, target: str, answers: AnswerMap, source: str | None = None
) -> GateCheck:
    """`gate_check` for one initiative: the owner rule applied to its answers (and explained
    in `notes`). `source` defaults to its stage; a new initiative enters from the start of the
    flow, like a revival."""
    issue = owner_issue(initiative)
    check = gate_check(
        initiative.stage if source is None else source,
        target,
        effective_answers(initiative, answers, issue),
    )
    if issue is None or not check.unmet:
        return check
    notes = tuple(
        (k, issue.sentence())
        for k in ("owned", "operational_owner")
        if k in check.unmet and answers.get(k) == "yes"
    )
    return replace(check, notes=notes) if notes else check


def entry_check(initiative: Initiative, answers: AnswerMap) -> GateCheck:
    """Every gate from the start of the flow up to the initiative's stage: what it takes to be
    there at all (a new initiative added into it, an import, a forced mark)."""
    if initiative.stage not in method.FLOW:
        return GateCheck(initiative.stage, initiative.stage, True, ())
    return move_check(initiative, initiative.stage, answers, source=method.KILLED)


def forced_mark(initiative: Initiative, answers: AnswerMap) -> str:
    """The reason it was forced past a gate, while the gates into its current stage are still
    unmet (`entry_check`); "" once they are met, or when it was never forced."""
    if not initiative.forced_reason or initiative.stage not in method.FLOW[1:]:
        return ""
    return "" if entry_check(initiative, answers).allowed else initiative.forced_reason


def next_gate(initiative: Initiative, answers: AnswerMap) -> GateCheck | None:
    nxt = method.next_stage(initiative.stage)
    if nxt is None:
        return None
    return move_check(initiative, nxt, answers)


# Time-based flags ----------------------------------------------------------------------------


def days_in_stage(initiative: Initiative, today: date) -> int:
    return max(0, (today - initiative.stage_entered_at).days)


def history_of(initiative: Initiative, history: Sequence[StageEvent] | None = None) -> History:
    """Its stage history from the change log (`stage_history.replay`), closed by the stored
    stage; without a log, the stored stage and the day it was entered."""
    return stage_history.complete(history or (), initiative.stage, initiative.stage_entered_at)


def purgatory_days(
    initiative: Initiative, today: date, history: Sequence[StageEvent] | None = None
) -> int:
    """Days in Pilot and Validate together (`stage_history.purgatory_days`); 0 elsewhere."""
    if initiative.stage not in method.PURGATORY_STAGES:
        return 0
    return stage_history.purgatory_days(history_of(initiative, history), today)


def purgatory_flag(days: int) -> bool:
    """Pilot purgatory: more than `method.PURGATORY_DAYS` days in Pilot and Validate."""
    return days > method.PURGATORY_DAYS


def in_purgatory(
    initiative: Initiative, today: date, history: Sequence[StageEvent] | None = None
) -> bool:
    """Pilot purgatory: more than `method.PURGATORY_DAYS` days in Pilot and Validate together,
    counted over its stage history (a move between the two does not restart the count)."""
    return purgatory_flag(purgatory_days(initiative, today, history))


def days_since_review(initiative: Initiative, today: date) -> int:
    """Days since the last review; for one never reviewed, since it entered its stage (the
    entry into Infrastructure). A recent re-entry does not hide an old review."""
    ref = initiative.last_review_at
    if ref is None:
        ref = initiative.stage_entered_at
    return max(0, (today - ref).days)


def review_overdue(initiative: Initiative, today: date) -> bool:
    """Infrastructure with no review in the last `method.REVIEW_DAYS` days: it decays."""
    return (
        initiative.stage == method.INFRASTRUCTURE
        and days_since_review(initiative, today) > method.REVIEW_DAYS
    )


def budget_warning(initiative: Initiative) -> bool:
    """Integration budget under `method.BUDGET_MULTIPLE` times the pilot's: the usual way
    promotions run dry."""
    return initiative.integration_budget < method.BUDGET_MULTIPLE * initiative.pilot_budget


def budget_warning_due(initiative: Initiative) -> bool:
    """Show the budget warning where it matters: about to enter Productionize, or in it."""
    at_stake = (method.previous_stage(method.PRODUCTIONIZE), method.PRODUCTIONIZE)
    return initiative.stage in at_stake and budget_warning(initiative)


def share_band(share: float) -> Band:
    """A category's share of its points as a colour band (`method.SHARE_PASS` passes, under
    `method.SHARE_WARN` fails)."""
    if share >= method.SHARE_PASS:
        return "pass"
    return "warn" if share >= method.SHARE_WARN else "fail"


def budget_warning_text(initiative: Initiative) -> str:
    low, high = method.BUDGET_MULTIPLE, method.BUDGET_MULTIPLE_HIGH
    need = low * initiative.pilot_budget
    return (
        f"Integration budget {initiative.integration_budget:,.0f} is under {low}x the pilot "
        f"budget ({need:,.0f}); integration and operation usually cost {low} to {high} times "
        "the pilot."
    )


# One initiative at a glance ------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """Everything a card, a detail pane or a report line shows about one initiative."""

    initiative: Initiative
    readiness: Readiness
    tests: dict[str, bool | None]
    scale: ScaleVerdict
    next_gate: GateCheck | None
    days_in_stage: int
    purgatory: bool
    review_overdue: bool
    stage_three: bool
    #: days in Pilot and Validate together (0 elsewhere)
    purgatory_days: int = 0
    #: the forced mark's reason while the gates into its stage are unmet ("" when none)
    forced_reason: str = ""
    #: why the owner on record cannot carry `owned` / `operational_owner` (None: they can)
    owner_issue: OwnerIssue | None = None

    @property
    def forced(self) -> bool:
        return bool(self.forced_reason)


def initiative_tests(initiative: Initiative, answers: AnswerMap) -> dict[str, bool | None]:
    """The four tests of one initiative: `owned` holds only with a proper owner on record."""
    return tests(effective_answers(initiative, answers))


def card(
    initiative: Initiative,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
) -> Card:
    """`history`: its stage events from the change log (see `history_of`)."""
    issue = owner_issue(initiative)
    results = tests(effective_answers(initiative, answers, issue))
    days = purgatory_days(initiative, today, history)
    return Card(
        initiative=initiative,
        readiness=readiness(answers),
        tests=results,
        scale=initiative_scale(initiative, answers),
        next_gate=next_gate(initiative, answers),
        days_in_stage=days_in_stage(initiative, today),
        purgatory=purgatory_flag(days),
        review_overdue=review_overdue(initiative, today),
        stage_three=_stage_three(initiative, results),
        purgatory_days=days,
        forced_reason=forced_mark(initiative, answers),
        owner_issue=issue,
    )


def score_report(initiative: Initiative, answers: AnswerMap) -> dict[str, object]:
    """The exact document `bridge score --json` prints (keys fixed by the foundation issue)."""
    r = readiness(answers)
    sv = initiative_scale(initiative, answers)
    ng = next_gate(initiative, answers)
    return {
        "id": initiative.id,
        "name": initiative.name,
        "stage": initiative.stage,
        "readiness": {
            "total": r.total,
            "max": r.max,
            "threshold": r.threshold,
            "passing": r.passing,
            "unanswered": r.unanswered,
            "categories": {c.id: {"met": c.met, "max": c.max} for c in r.categories},
            "weakest": list(r.weakest),
            "unmet": list(r.unmet),
        },
        "tests": initiative_tests(initiative, answers),
        "stage_three": stage_three(initiative, answers),
        "scale": {
            "ready": sv.ready,
            "missing": list(sv.missing),
            "false_signals": list(sv.false_signals),
            "warning": sv.warning,
        },
        "next_gate": None
        if ng is None
        else {"to": ng.target, "allowed": ng.allowed, "unmet": list(ng.unmet)},
    }


# Metrics as evidence for the scale verdict ---------------------------------------------------

STABLE_READINGS = method.STABLE_READINGS
ADOPTION_FLOOR = method.ADOPTION_FLOOR


@dataclass(frozen=True)
class MetricSeries:
    name: str
    unit: str
    target: float | None
    #: (date, value), oldest first
    points: tuple[tuple[date, float], ...]

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(v for _, v in self.points)

    @property
    def latest(self) -> float | None:
        return self.points[-1][1] if self.points else None

    @property
    def is_adoption(self) -> bool:
        return "adoption" in self.name.casefold()

    def _percent(self, v: float) -> float:
        """Adoption given as a fraction (0..1) is read as a share."""
        return v * 100 if self.unit.strip() != "%" and 0 <= v <= 1 else v

    @property
    def stable_at_target(self) -> bool:
        """The last four readings are all at or above a target: data behind stable_performance."""
        if self.target is None or len(self.points) < method.STABLE_READINGS:
            return False
        return all(v >= self.target for v in self.values[-method.STABLE_READINGS :])

    @property
    def adoption_stalled(self) -> bool:
        """An adoption metric whose recent readings (two or more) all stay under 30 percent."""
        if not self.is_adoption or len(self.points) < 2:
            return False
        recent = self.values[-method.STABLE_READINGS :]
        return all(self._percent(v) < method.ADOPTION_FLOOR for v in recent)


def metric_series(readings: Iterable[MetricReading]) -> list[MetricSeries]:
    """Readings grouped per metric name (name order), each oldest first; the latest target
    and unit stand for the series."""
    groups: dict[str, list[MetricReading]] = {}
    for r in readings:
        if not r.deleted:
            groups.setdefault(r.name, []).append(r)
    out = []
    for name in sorted(groups, key=str.casefold):
        rs = sorted(groups[name], key=lambda r: (r.at, r.id))
        out.append(
            MetricSeries(
                name=name,
                unit=rs[-1].unit,
                target=rs[-1].target,
                points=tuple((r.at, r.value) for r in rs),
            )
        )
    return out


@dataclass(frozen=True)
class MetricEvidence:
    #: names of metrics whose last four readings are at or above target
    stable: tuple[str, ...]
    #: names of adoption metrics stuck under 30 percent
    stalled_adoption: tuple[str, ...]

    @property
    def supports_stable_performance(self) -> bool:
        return bool(self.stable)


def metric_evidence(series: Iterable[MetricSeries]) -> MetricEvidence:
    s = list(series)
    return MetricEvidence(
        stable=tuple(m.name for m in s if m.stable_at_target),
        stalled_adoption=tuple(m.name for m in s if m.adoption_stalled),
    )


# 90-day plan ---------------------------------------------------------------------------------

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


# Portfolio overview, kill candidates, review order -------------------------------------------

#: "below 8/20 after 180 days" (domain rule for kill candidates)
KILL_SCORE_FLOOR = method.KILL_SCORE_FLOOR
KILL_AFTER_DAYS = method.KILL_AFTER_DAYS
#: stages whose initiatives are being promoted: the fourth question asks about their owner/budget
PROMOTED_STAGES: tuple[str, ...] = (method.PRODUCTIONIZE, method.INFRASTRUCTURE)


def is_active(initiative: Initiative) -> bool:
    """Active = neither killed nor deleted."""
    return not initiative.deleted and initiative.stage != method.KILLED


def has_owner(initiative: Initiative) -> bool:
    """A named owner: the owner field holds a name."""
    return bool(initiative.owner.strip())


def has_maintenance_budget(initiative: Initiative, answers: AnswerMap) -> bool:
    """Money for upkeep is there: an amount above zero, or the `maintenance_budget` signal met;
    and the signal is not explicitly answered "no" (an amount with "no" means the funding is
    not committed, e.g. it waits for the next budget round)."""
    signal = _value(answers, "maintenance_budget")
    if signal == "no":
        return False
    return initiative.maintenance_budget > 0 or signal == "yes"


def age_days(initiative: Initiative, today: date) -> int:
    """Days since the initiative was created (its whole life, across every stage)."""
    return max(0, (today - initiative.created_at.date()).days)


def kill_reasons(
    initiative: Initiative,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
) -> tuple[str, ...]:
    """Why an active initiative is a kill candidate (empty when it is not one).

    The rule (domain.md, issue 7):
    - in pilot purgatory (more than 180 days in pilot or validate) with no named owner, or with
      no maintenance budget (see `has_maintenance_budget`);
    - or, in any active stage, a readiness score below 8/20 when the initiative is more than
      180 days old. Age counts from creation, not from the last stage move: half a year of
      effort that has not reached 8 points is the signal, and moving a card must not reset it.
    """
    days = purgatory_days(initiative, today, history)
    return _kill_reasons(initiative, answers, today, readiness(answers).total, days)


def _kill_reasons(
    initiative: Initiative, answers: AnswerMap, today: date, total: int, purgatory: int
) -> tuple[str, ...]:
    """`kill_reasons` with the readiness total and the purgatory days already computed."""
    if not is_active(initiative):
        return ()
    out: list[str] = []
    if purgatory_flag(purgatory):
        where = "in pilot purgatory (Pilot and Validate)"
        if not has_owner(initiative):
            out.append(f"{where} for {purgatory} days with no named owner")
        if not has_maintenance_budget(initiative, answers):
            out.append(f"{where} for {purgatory} days with no maintenance budget")
    age = age_days(initiative, today)
    if total < method.KILL_SCORE_FLOOR and age > method.KILL_AFTER_DAYS:
        out.append(f"readiness {method.score_text(total)} after {age} days")
    return tuple(out)


def kill_candidate(
    initiative: Initiative,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
) -> bool:
    """Should the review consider killing it? See `kill_reasons` for the rule."""
    return bool(kill_reasons(initiative, answers, today, history))


def what_blocks(initiative: Initiative, answers: AnswerMap) -> tuple[str, ...]:
    """What keeps it from the next stage: the next gate's unmet requirements; for an
    initiative already in Infrastructure that is not yet real infrastructure, its failing
    tests. Empty when nothing does."""
    return _what_blocks(initiative, answers, initiative_tests(initiative, answers))


def _what_blocks(
    initiative: Initiative, answers: AnswerMap, results: Mapping[str, bool | None]
) -> tuple[str, ...]:
    """`what_blocks` with the test results already computed."""
    if initiative.stage == method.INFRASTRUCTURE:
        return tuple(t for t, ok in results.items() if ok is not True)
    gate = next_gate(initiative, answers)
    return () if gate is None else gate.unmet


@dataclass(frozen=True)
class Blocked:
    """Question 2 for one initiative."""

    initiative_id: str
    #: the stage it would enter next (None when already in Infrastructure)
    next_stage: str | None
    #: unmet requirements of the next gate (or failing tests in Infrastructure)
    unmet: tuple[str, ...]
    #: blocker tags set on the initiative
    blockers: tuple[str, ...]


@dataclass(frozen=True)
class Promoted:
    """Question 4 for one initiative being promoted."""

    initiative_id: str
    owner: str
    #: a named owner who can carry `owned`: one person, not the pilot builder
    has_owner: bool
    maintenance_budget: float
    has_maintenance_budget: bool
    #: why the owner on record does not count (`OwnerIssue.sentence`), "" when it does
    owner_note: str = ""

    @property
    def missing(self) -> tuple[str, ...]:
        out = []
        if not self.has_owner:
            out.append("owner")
        if not self.has_maintenance_budget:
            out.append("maintenance budget")
        return tuple(out)


@dataclass(frozen=True)
class KillCandidate:
    initiative_id: str
    reasons: tuple[str, ...]


HEAT_TEST_COLUMNS: tuple[str, ...] = tuple(t.id for t in method.TESTS)
#: heat map columns, in display order; `heat_sort_key` sorts by any of them
HEAT_COLUMNS: tuple[str, ...] = (
    "name",
    "stage",
    *(c.id for c in method.CATEGORIES),
    "total",
    *HEAT_TEST_COLUMNS,
)


@dataclass(frozen=True)
class HeatRow:
    """One row of the heat map: the five category shares, the total and the four tests."""

    initiative_id: str
    name: str
    stage: str
    #: category id -> (met, max), in the method's order
    categories: tuple[tuple[str, int, int], ...]
    total: int
    passing: bool
    tests: tuple[tuple[str, bool | None], ...]

    def category(self, category_id: str) -> tuple[int, int]:
        for cid, met, mx in self.categories:
            if cid == category_id:
                return met, mx
        raise KeyError(category_id)

    def test(self, test_id: str) -> bool | None:
        return dict(self.tests)[test_id]


def heat_row(initiative: Initiative, answers: AnswerMap) -> HeatRow:
    return _heat_row(initiative, readiness(answers), initiative_tests(initiative, answers))


def _heat_row(initiative: Initiative, r: Readiness, results: Mapping[str, bool | None]) -> HeatRow:
    return HeatRow(
        initiative_id=initiative.id,
        name=initiative.name,
        stage=initiative.stage,
        categories=tuple((c.id, c.met, c.max) for c in r.categories),
        total=r.total,
        passing=r.passing,
        tests=tuple(results.items()),
    )


_TEST_RANK = {True: 2, None: 1, False: 0}


def heat_sort_key(row: HeatRow, column: str) -> tuple[object, ...]:
    """Sort key for one heat-map column, ascending (weakest first for scores and tests).

    name: case-insensitive name; stage: board order; a category: share of its points met;
    total: points; a test: failing, then unanswered, then passing. Ties fall back to board
    order (stage, then name, then id) so a sort is always the same.
    """
    stage_rank = method.STAGE_IDS.index(row.stage)
    tail = (stage_rank, row.name.casefold(), row.initiative_id)
    if column == "name":
        return (row.name.casefold(), row.initiative_id)
    if column == "stage":
        return tail
    if column == "total":
        return (row.total, *tail)
    if column in method.CATEGORY_BY_ID:
        met, mx = row.category(column)
        return (met / mx, *tail)
    if column in method.TEST_BY_ID:
        return (_TEST_RANK[row.test(column)], *tail)
    raise ValueError(f"unknown heat map column '{column}'")


def sort_heat_rows(rows: Iterable[HeatRow], column: str, reverse: bool = False) -> list[HeatRow]:
    """Rows sorted by `column`; `reverse` flips only the column, never the tie-break (board
    order), so equal values keep a repeatable order either way."""
    tie_broken = sorted(rows, key=lambda r: heat_sort_key(r, "stage"))
    return sorted(tie_broken, key=lambda r: heat_sort_key(r, column)[0], reverse=reverse)  # type: ignore[arg-type,return-value]


def stuck_rank(
    initiative: Initiative,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
) -> int:
    """0 = flagged (pilot purgatory, review overdue or kill candidate), 1 = on its way,
    2 = real infrastructure that is not overdue for review (the goal: least stuck)."""
    days = purgatory_days(initiative, today, history)
    return _stuck_rank(initiative, answers, today, readiness(answers).total, days)


def _stuck_rank(
    initiative: Initiative, answers: AnswerMap, today: date, total: int, purgatory: int
) -> int:
    if (
        purgatory_flag(purgatory)
        or review_overdue(initiative, today)
        or _kill_reasons(initiative, answers, today, total, purgatory)
    ):
        return 0
    if stage_three(initiative, answers):
        return 2
    return 1


def stuck_key(
    initiative: Initiative,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
) -> tuple[object, ...]:
    """The review's order, "most stuck first", as an ascending sort key:

    1. flagged initiatives first, real infrastructure last (`stuck_rank`);
    2. then the longest time in the current stage first;
    3. then the lowest readiness score first;
    4. then name (case-insensitive) and id, so the order is total and repeatable.
    """
    total = readiness(answers).total
    days = purgatory_days(initiative, today, history)
    return (
        _stuck_rank(initiative, answers, today, total, days),
        -days_in_stage(initiative, today),
        total,
        initiative.name.casefold(),
        initiative.id,
    )


def review_order(
    initiatives: Iterable[Initiative],
    answers: Mapping[str, AnswerMap],
    today: date,
    histories: Mapping[str, History] | None = None,
) -> list[Initiative]:
    """Every active initiative, most stuck first (see `stuck_key`)."""
    active = [i for i in initiatives if is_active(i)]
    hist = histories or {}
    return sorted(active, key=lambda i: stuck_key(i, answers.get(i.id, {}), today, hist.get(i.id)))


@dataclass(frozen=True)
class Overview:
    """Every figure of the overview screen and the reports, computed once."""

    today: date
    #: active initiatives in board order (stage, name, id)
    active: tuple[str, ...]
    #: question 1: the active ones that are real infrastructure (stage three)
    infrastructure: tuple[str, ...]
    #: question 2: each active one that is not yet real infrastructure, with what blocks it
    blocked: tuple[Blocked, ...]
    #: question 3
    kill_candidates: tuple[KillCandidate, ...]
    #: question 4: every initiative in productionize or infrastructure
    promoted: tuple[Promoted, ...]
    #: stage id -> number of initiatives, every stage in board order (killed included)
    funnel: tuple[tuple[str, int], ...]
    heat: tuple[HeatRow, ...]
    purgatory: tuple[str, ...]
    review_overdue: tuple[str, ...]
    #: blocker id -> number of active initiatives carrying it, in the method's order
    blocker_counts: tuple[tuple[str, int], ...]
    names: Mapping[str, str] = field(default_factory=dict)
    #: initiative id -> days in Pilot and Validate together, for those in `purgatory`
    purgatory_days: Mapping[str, int] = field(default_factory=dict)

    @property
    def promoted_missing(self) -> tuple[Promoted, ...]:
        return tuple(p for p in self.promoted if p.missing)

    @property
    def killed(self) -> int:
        return dict(self.funnel).get(method.KILLED, 0)


_STAGE_RANK = {s: n for n, s in enumerate(method.STAGE_IDS)}


def board_key(ident: str, stage: str, name: str) -> tuple[int, str, str]:
    """Board order, the one definition: stage columns left to right, then name (any case),
    then id. The board, `[`/`]`, the review agenda and the reports all follow it."""
    return (_STAGE_RANK[stage], name.casefold(), ident)


def _board_order(initiatives: Iterable[Initiative]) -> list[Initiative]:
    return sorted(initiatives, key=lambda i: board_key(i.id, i.stage, i.name))


def overview(
    initiatives: Iterable[Initiative],
    answers: Mapping[str, AnswerMap],
    today: date,
    histories: Mapping[str, History] | None = None,
) -> Overview:
    """The portfolio's four questions and the overview's figures, from initiatives, their
    answers (initiative id -> answer map) and stage histories (initiative id -> events, for
    pilot purgatory; see `history_of`). Deleted initiatives are ignored."""
    everyone = _board_order(i for i in initiatives if not i.deleted)
    active = [i for i in everyone if is_active(i)]

    infra: list[str] = []
    blocked: list[Blocked] = []
    kills: list[KillCandidate] = []
    promoted: list[Promoted] = []
    heat: list[HeatRow] = []
    blockers = {b: 0 for b in method.BLOCKER_IDS}
    hist = histories or {}
    purgatory: dict[str, int] = {}
    # One pass; each initiative's readiness and tests are computed once and shared.
    for i in active:
        a = answers.get(i.id, {})
        r = readiness(a)
        issue = owner_issue(i)
        results = tests(effective_answers(i, a, issue))
        days = purgatory_days(i, today, hist.get(i.id))
        if purgatory_flag(days):
            purgatory[i.id] = days
        if _stage_three(i, results):
            infra.append(i.id)
        else:
            blocked.append(
                Blocked(i.id, method.next_stage(i.stage), _what_blocks(i, a, results), i.blockers)
            )
        if reasons := _kill_reasons(i, a, today, r.total, days):
            kills.append(KillCandidate(i.id, reasons))
        if i.stage in PROMOTED_STAGES:
            promoted.append(
                Promoted(
                    i.id,
                    i.owner,
                    issue is None,
                    i.maintenance_budget,
                    has_maintenance_budget(i, a),
                    issue.sentence() if issue is not None else "",
                )
            )
        heat.append(_heat_row(i, r, results))
        for b in i.blockers:
            blockers[b] += 1
    counts = {s: 0 for s in method.STAGE_IDS}
    for i in everyone:
        counts[i.stage] += 1
    return Overview(
        today=today,
        active=tuple(i.id for i in active),
        infrastructure=tuple(infra),
        blocked=tuple(blocked),
        kill_candidates=tuple(kills),
        promoted=tuple(promoted),
        funnel=tuple(counts.items()),
        heat=tuple(heat),
        purgatory=tuple(purgatory),
        review_overdue=tuple(i.id for i in active if review_overdue(i, today)),
        blocker_counts=tuple(blockers.items()),
        names={i.id: i.name for i in everyone},
        purgatory_days=purgatory,
    )
