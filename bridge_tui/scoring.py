"""The shared scoring module: every number the app, the CLI and the reports show comes from here.

Pure functions over models and plain mappings; `today` is always a parameter; no I/O, no Textual,
no SQLite. Answers are passed as a mapping of answer key -> "yes" / "no" / "unknown"; a key
that is missing counts as unanswered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from bridge_tui import method
from bridge_tui.models import Answer, Initiative, MetricReading

AnswerMap = Mapping[str, str]
Band = Literal["pass", "fail", "warn"]

PURGATORY_DAYS = 180
REVIEW_DAYS = 90
BUDGET_MULTIPLE = 3


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


def readiness(answers: AnswerMap) -> Readiness:
    cats: list[CategoryScore] = []
    unmet: list[str] = []
    for cat in method.CATEGORIES:
        met = unanswered = 0
        for item in method.items_in(cat.id):
            v = _value(answers, item.id)
            if v == "yes":
                met += 1
            else:
                if v != "no":
                    unanswered += 1
        cats.append(CategoryScore(cat.id, met, cat.max_points, unanswered))
    unmet = [i.id for i in method.ITEMS if _value(answers, i.id) != "yes"]
    total = sum(c.met for c in cats)
    unanswered_total = sum(c.unanswered for c in cats)
    order = {c.id: n for n, c in enumerate(method.CATEGORIES)}
    weakest = sorted(cats, key=lambda c: (c.share, order[c.id]))[:3]
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
    """Real infrastructure: in the last stage AND passing all four tests."""
    return initiative.stage == method.INFRASTRUCTURE and all_tests_pass(answers)


# Readiness to scale --------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleVerdict:
    ready: bool
    missing: tuple[str, ...]
    false_signals: tuple[str, ...]
    warning: bool

    @property
    def band(self) -> Band:
        return "pass" if self.ready else "warn" if self.warning else "fail"

    def sentence(self) -> str:
        if self.ready:
            return "Ready to start the 90-day bridge."
        missing = ", ".join(method.SIGNAL_BY_ID[s].label.lower() for s in self.missing)
        if self.warning:
            pushed = ", ".join(method.SIGNAL_BY_ID[s].label.lower() for s in self.false_signals)
            return f"Warning: the push rests on {pushed}, not readiness; still missing {missing}."
        return f"Not ready: missing {missing}."


def scale_verdict(answers: AnswerMap) -> ScaleVerdict:
    missing = tuple(s.id for s in method.REAL_SIGNALS if _value(answers, s.id) != "yes")
    false = tuple(s.id for s in method.FALSE_SIGNALS if _value(answers, s.id) == "yes")
    return ScaleVerdict(
        ready=not missing,
        missing=missing,
        false_signals=false,
        warning=bool(false) and bool(missing),
    )


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


def _gate_unmet(into: str, answers: AnswerMap) -> list[str]:
    """What entering stage `into` from the stage before it still needs."""
    before = method.previous_stage(into)
    assert before is not None
    unmet = [e.id for e in method.exit_conditions_for(before) if _value(answers, e.id) != "yes"]
    if into == method.PRODUCTIONIZE:
        unmet += list(scale_verdict(answers).missing)
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


def next_gate(initiative: Initiative, answers: AnswerMap) -> GateCheck | None:
    nxt = method.next_stage(initiative.stage)
    if nxt is None:
        return None
    return gate_check(initiative.stage, nxt, answers)


# Time-based flags ----------------------------------------------------------------------------


def days_in_stage(initiative: Initiative, today: date) -> int:
    return max(0, (today - initiative.stage_entered_at).days)


def in_purgatory(initiative: Initiative, today: date) -> bool:
    """More than 180 days in pilot or validate."""
    return (
        initiative.stage in method.PURGATORY_STAGES
        and days_in_stage(initiative, today) > PURGATORY_DAYS
    )


def days_since_review(initiative: Initiative, today: date) -> int:
    """Days since the last review, or since it became infrastructure if never reviewed."""
    ref = initiative.last_review_at or initiative.stage_entered_at
    return max(0, (today - ref).days)


def review_overdue(initiative: Initiative, today: date) -> bool:
    """Infrastructure with no review in the last 90 days: it decays without one."""
    return (
        initiative.stage == method.INFRASTRUCTURE
        and days_since_review(initiative, today) > REVIEW_DAYS
    )


def budget_warning(initiative: Initiative) -> bool:
    """Integration budget under 3x the pilot's: the usual way promotions run dry."""
    return initiative.integration_budget < BUDGET_MULTIPLE * initiative.pilot_budget


def budget_warning_text(initiative: Initiative) -> str:
    need = BUDGET_MULTIPLE * initiative.pilot_budget
    return (
        f"Integration budget {initiative.integration_budget:,.0f} is under 3x the pilot budget "
        f"({need:,.0f}); integration and operation usually cost 3 to 5 times the pilot."
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


def card(initiative: Initiative, answers: AnswerMap, today: date) -> Card:
    return Card(
        initiative=initiative,
        readiness=readiness(answers),
        tests=tests(answers),
        scale=scale_verdict(answers),
        next_gate=next_gate(initiative, answers),
        days_in_stage=days_in_stage(initiative, today),
        purgatory=in_purgatory(initiative, today),
        review_overdue=review_overdue(initiative, today),
        stage_three=stage_three(initiative, answers),
    )


def score_report(initiative: Initiative, answers: AnswerMap) -> dict[str, object]:
    """The exact document `bridge score --json` prints (keys fixed by the foundation issue)."""
    r = readiness(answers)
    sv = scale_verdict(answers)
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
        "tests": tests(answers),
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

STABLE_READINGS = 4
ADOPTION_FLOOR = 30.0


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
        if self.target is None or len(self.points) < STABLE_READINGS:
            return False
        return all(v >= self.target for v in self.values[-STABLE_READINGS:])

    @property
    def adoption_stalled(self) -> bool:
        """An adoption metric whose recent readings (two or more) all stay under 30 percent."""
        if not self.is_adoption or len(self.points) < 2:
            return False
        recent = self.values[-STABLE_READINGS:]
        return all(self._percent(v) < ADOPTION_FLOOR for v in recent)


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


# 90-day plan (issue 5 adds its functions here) -----------------------------------------------


# Portfolio overview, kill candidates, review order (issue 7 adds its functions here) ---------
