"""Sustain and extend: the seeds' rules for an initiative once it has crossed (issue 11).

Pure, like `scoring`: no I/O, no Textual, no SQLite; `today` is always a parameter and every
number comes from `method`. The answers a person gave stay theirs: these rules never change an
answer, they put a flag beside it.

- Optimize (second article, phase 4): an Infrastructure initiative without `eval_process` and
  `improvement_shipped` met is "not yet optimising".
- Measured ("someone reviews them at least monthly"): a metric whose newest reading is 30 days
  old or older is stale.
- Maintained ("funding is committed for the next 12 months"): a commitment that ended before
  today has expired; one that ends before the same day 12 calendar months from today is short.
- Volume ("roughly 70 percent of the volume they were designed for", twelve months on): the
  newest reading of the volume metric as a share of the designed volume; an Infrastructure
  initiative more than 12 months past its entry into Productionize that uses under 70% of it
  is flagged.
- One use case at a time ("take it all the way through Phase 3 before touching anything
  else"): more than one initiative in Productionize at once is a warning, never a block.
- Extend ("new use cases get added as extensions of the infrastructure"): an initiative may
  record the Infrastructure initiative it builds on.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from bridge_tui import method, scoring
from bridge_tui.models import Initiative

AnswerMap = Mapping[str, str]
Band = Literal["pass", "warn", "muted"]
#: initiative id -> metric name -> (date, value) of its newest reading
Latest = Mapping[str, Mapping[str, tuple[date, float]]]


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later; the month's last day when that month is
    shorter (31 January + 1 month = the last day of February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _number(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


def percent_text(percent: float) -> str:
    """A share as people read it, never rounded up past a line: 69.96 reads "69.9%", not 70."""
    shown = math.floor(percent * 10 + 1e-9) / 10
    return f"{int(shown)}%" if shown.is_integer() else f"{shown:.1f}%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# Optimize ------------------------------------------------------------------------------------


def optimise_missing(stage: str, answers: AnswerMap) -> tuple[str, ...]:
    """The Optimize exit conditions not met yet, in the method's order. Empty outside
    Infrastructure: the rule is for systems that have crossed."""
    if stage != method.INFRASTRUCTURE:
        return ()
    return tuple(k for k in method.OPTIMIZE_CONDITIONS if answers.get(k, "unknown") != "yes")


def optimize_report(stage: str, answers: AnswerMap) -> dict[str, object] | None:
    """The `optimize` key of `bridge score --json`: null outside Infrastructure."""
    if stage != method.INFRASTRUCTURE:
        return None
    missing = optimise_missing(stage, answers)
    return {"optimising": not missing, "missing": list(missing)}


def condition_words(key: str) -> str:
    """An exit condition id in two or three words ("eval process")."""
    return key.replace("_", " ")


# Measured, reviewed at least monthly ---------------------------------------------------------


def metric_stale(last: date, today: date) -> bool:
    """No reading for 30 days or more: last read 29 days ago is fresh, 30 days ago is stale."""
    return (today - last).days >= method.METRICS_STALE_DAYS


@dataclass(frozen=True)
class StaleMetric:
    name: str
    last: date
    days: int


def stale_metrics(latest: Mapping[str, tuple[date, float]], today: date) -> tuple[StaleMetric, ...]:
    """Every metric whose newest reading is stale, by name (any case)."""
    out = [
        StaleMetric(name, at, (today - at).days)
        for name, (at, _) in latest.items()
        if metric_stale(at, today)
    ]
    return tuple(sorted(out, key=lambda s: s.name.casefold()))


# Maintained: committed for the next 12 months ------------------------------------------------

CommitmentState = Literal["none", "expired", "short", "ok"]


@dataclass(frozen=True)
class Commitment:
    until: date | None
    state: CommitmentState
    #: the last day a commitment must reach to cover the next 12 months (same day, 12 months on)
    needed: date

    @property
    def flagged(self) -> bool:
        return self.state in ("expired", "short")

    def sentence(self) -> str:
        months = method.MAINTENANCE_COMMIT_MONTHS
        if self.until is None:
            return (
                "No end date recorded for the maintenance commitment "
                f"(it should reach {self.needed.isoformat()}, {months} months ahead)."
            )
        until = self.until.isoformat()
        if self.state == "expired":
            return f"The maintenance commitment expired on {until}."
        if self.state == "short":
            return (
                f"Maintenance is committed only until {until}: under {months} months ahead "
                f"(it should reach {self.needed.isoformat()})."
            )
        return f"Maintenance is committed until {until}, at least {months} months ahead."

    def flag_word(self) -> str:
        """A card's words for a flagged commitment (short: cards are narrow; the detail pane
        and the checklist say it in full)."""
        return "upkeep expired" if self.state == "expired" else "upkeep short"


def commitment(until: date | None, today: date) -> Commitment:
    """Expired when it ended before today; short when it ends before the same day 12 calendar
    months from today (ending exactly then covers the next 12 months)."""
    needed = add_months(today, method.MAINTENANCE_COMMIT_MONTHS)
    state: CommitmentState
    if until is None:
        state = "none"
    elif until < today:
        state = "expired"
    elif until < needed:
        state = "short"
    else:
        state = "ok"
    return Commitment(until, state, needed)


# Volume: about 70% of the designed volume after 12 months ------------------------------------


def volume_metric_name(initiative: Initiative) -> str:
    return initiative.volume_metric or method.DEFAULT_VOLUME_METRIC


def find_metric(
    latest: Mapping[str, tuple[date, float]], name: str
) -> tuple[str, date, float] | None:
    """The newest reading of the metric called `name` (any case): (its name, date, value)."""
    wanted = name.casefold()
    found = [(n, at, v) for n, (at, v) in latest.items() if n.casefold() == wanted]
    if not found:
        return None
    return max(found, key=lambda f: (f[1], f[0]))


@dataclass(frozen=True)
class VolumeUse:
    stage: str
    designed: float
    metric: str
    latest: float
    at: date
    #: the day it entered Productionize (None when unknown)
    entered: date | None
    today: date

    @property
    def percent(self) -> float:
        return self.latest / self.designed * 100

    @property
    def under(self) -> bool:
        """Below 70% of the designed volume (exactly 70% is not below)."""
        line = method.VOLUME_FLOOR_PERCENT * self.designed
        return self.latest * 100 < line - 1e-9 * max(1.0, abs(line))

    @property
    def due_from(self) -> date | None:
        """The last day before the rule applies: 12 months after the entry into Productionize."""
        if self.entered is None:
            return None
        return add_months(self.entered, method.VOLUME_AFTER_MONTHS)

    @property
    def due(self) -> bool:
        """More than 12 months past the entry into Productionize."""
        return self.due_from is not None and self.today > self.due_from

    @property
    def flagged(self) -> bool:
        return self.stage == method.INFRASTRUCTURE and self.due and self.under

    def sentence(self) -> str:
        used = (
            f"Volume {percent_text(self.percent)} of the designed {_number(self.designed)} "
            f"({self.metric} {_number(self.latest)} on {self.at.isoformat()})"
        )
        if self.flagged:
            assert self.entered is not None
            return (
                f"{used}: under {method.VOLUME_FLOOR_PERCENT}% more than "
                f"{method.VOLUME_AFTER_MONTHS} months after entering Productionize "
                f"({self.entered.isoformat()})."
            )
        return used + "."


def volume_use(
    initiative: Initiative,
    latest: Mapping[str, tuple[date, float]],
    entered: date | None,
    today: date,
) -> VolumeUse | None:
    """The share of the designed volume in use, when a designed volume and a reading of the
    volume metric are both recorded."""
    if initiative.designed_volume is None:
        return None
    found = find_metric(latest, volume_metric_name(initiative))
    if found is None:
        return None
    name, at, value = found
    return VolumeUse(initiative.stage, initiative.designed_volume, name, value, at, entered, today)


def productionize_entry(initiative: Initiative, plan_start: date | None) -> date | None:
    """When it entered Productionize: the start of its 90-day plan (day 1 is the day of the
    entry); without a plan, the entry into its current stage if that is Productionize or
    Infrastructure; otherwise unknown."""
    if plan_start is not None:
        return plan_start
    if initiative.stage in (method.PRODUCTIONIZE, method.INFRASTRUCTURE):
        return initiative.stage_entered_at
    return None


# One use case at a time ----------------------------------------------------------------------


def crowded(count: int) -> bool:
    """More initiatives in Productionize than the method's focus allows."""
    return count > method.FOCUS_MAX_PRODUCTIONIZE


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def focus_sentence(names: Sequence[str]) -> str:
    """The overview's warning when several initiatives are in Productionize at once."""
    return (
        f"{len(names)} initiatives are in Productionize at once ({_names(names)}): take one "
        "use case all the way through before touching the next."
    )


def focus_gate_warning(name: str, others: Sequence[str]) -> str | None:
    """The warning for moving `name` into Productionize while `others` are already there
    (None when the method's focus still holds)."""
    if not crowded(len(others) + 1):
        return None
    verb = "is" if len(others) == 1 else "are"
    return (
        f"One use case at a time: {_names(others)} {verb} already in Productionize; take one "
        f"all the way through before starting {name}."
    )


# Extend --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    id: str
    name: str
    stage: str

    @property
    def live_infrastructure(self) -> bool:
        return self.stage == method.EXTENDABLE_STAGE

    def with_stage(self) -> str:
        """Its name and stage: "Invoice processing (Validate)"."""
        return f"{self.name} ({method.STAGE_BY_ID[self.stage].label})"

    def label(self) -> str:
        """Its name, with its stage when it is no longer infrastructure."""
        if self.live_infrastructure:
            return self.name
        return f"{self.name} (now {method.STAGE_BY_ID[self.stage].label})"


def link_of(initiative: Initiative) -> Link:
    stage = method.KILLED if initiative.deleted else initiative.stage
    return Link(initiative.id, initiative.name, stage)


def link_refusal(
    source_id: str, source_name: str, target: Initiative, builds_on: Mapping[str, str | None]
) -> str | None:
    """Why initiative `source_id` may not build on `target` (None when it may). `builds_on`
    maps initiative ids to what they build on, to refuse a link that would go round in a
    circle."""
    if target.id == source_id:
        return f"{source_name} cannot build on itself."
    if target.deleted or target.stage == method.KILLED:
        return f"{target.name} is killed: new use cases build on live infrastructure only."
    if target.stage != method.EXTENDABLE_STAGE:
        label = method.STAGE_BY_ID[target.stage].label
        return f"{target.name} is in {label}, not Infrastructure: only infrastructure is extended."
    seen = {target.id}
    step = builds_on.get(target.id)
    while step is not None and step not in seen:
        if step == source_id:
            return (
                f"{target.name} already builds on {source_name}: a link cannot go round in a "
                "circle."
            )
        seen.add(step)
        step = builds_on.get(step)
    return None


def extended_by(initiatives: Iterable[Initiative]) -> dict[str, tuple[str, ...]]:
    """Initiative id -> the active initiatives that build on it, in board order."""
    out: dict[str, list[Initiative]] = {}
    for i in initiatives:
        if i.builds_on and scoring.is_active(i):
            out.setdefault(i.builds_on, []).append(i)
    return {
        k: tuple(i.id for i in sorted(v, key=lambda i: scoring.board_key(i.id, i.stage, i.name)))
        for k, v in out.items()
    }


# One initiative ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the rules need beyond an initiative and its answers, read once for a whole board."""

    #: initiative id -> metric name -> (date, value) of the newest reading
    latest: Latest = field(default_factory=dict)
    #: initiative id -> start date of its live 90-day plan
    plan_starts: Mapping[str, date] = field(default_factory=dict)
    #: every initiative by id (links name their targets and extensions)
    initiatives: Mapping[str, Initiative] = field(default_factory=dict)
    #: initiative id -> active initiatives building on it, board order
    extended_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def facts(
    initiatives: Iterable[Initiative], latest: Latest, plan_starts: Mapping[str, date]
) -> Facts:
    everyone = list(initiatives)
    return Facts(
        latest=latest,
        plan_starts=plan_starts,
        initiatives={i.id: i for i in everyone},
        extended_by=extended_by(everyone),
    )


@dataclass(frozen=True)
class Sustain:
    """Everything these rules say about one initiative."""

    initiative_id: str
    stage: str
    active: bool
    optimise_missing: tuple[str, ...]
    stale: tuple[StaleMetric, ...]
    #: how many metrics have at least one reading
    metrics: int
    commitment: Commitment
    designed_volume: float | None
    volume_metric: str
    volume: VolumeUse | None
    entered_productionize: date | None
    builds_on: Link | None
    extended_by: tuple[Link, ...]

    @property
    def not_optimising(self) -> bool:
        return self.active and bool(self.optimise_missing)

    @property
    def metrics_stale(self) -> bool:
        return self.active and bool(self.stale)

    @property
    def commitment_flagged(self) -> bool:
        return self.active and self.commitment.flagged

    @property
    def volume_flagged(self) -> bool:
        return self.active and self.volume is not None and self.volume.flagged

    @property
    def flagged(self) -> bool:
        return (
            self.not_optimising
            or self.metrics_stale
            or self.commitment_flagged
            or self.volume_flagged
        )

    @property
    def extendable(self) -> bool:
        """Infrastructure, so new use cases may build on it."""
        return self.active and self.stage == method.EXTENDABLE_STAGE

    def flags(self) -> tuple[str, ...]:
        """A card's words, in the order of the phases: optimise, measure, maintain, volume."""
        out: list[str] = []
        if self.not_optimising:
            out.append("not optimising")
        if self.metrics_stale:
            out.append("metrics stale")
        if self.commitment_flagged:
            out.append(self.commitment.flag_word())
        if self.volume_flagged and self.volume is not None:
            out.append(f"volume {percent_text(self.volume.percent)}")
        return tuple(out)

    def optimise_sentence(self) -> str:
        needs = ", ".join(condition_words(k) for k in self.optimise_missing)
        return f"Not yet optimising: still needs {needs} (Optimize, the phase after the bridge)."

    def stale_sentence(self) -> str:
        each = ", ".join(f"{s.name} {_plural(s.days, 'day')}" for s in self.stale)
        return (
            f"Metrics stale (no reading for {method.METRICS_STALE_DAYS} days or more, reviewed "
            f"at least monthly): {each}."
        )

    def sentences(self) -> tuple[str, ...]:
        """A full sentence per flag, for the detail pane, the review and the report."""
        out: list[str] = []
        if self.not_optimising:
            out.append(self.optimise_sentence())
        if self.metrics_stale:
            out.append(self.stale_sentence())
        if self.commitment_flagged:
            out.append(self.commitment.sentence())
        if self.volume_flagged and self.volume is not None:
            out.append(self.volume.sentence())
        return tuple(out)

    def volume_text(self) -> str | None:
        """What to say about volume (flagged or not), when a designed volume is recorded."""
        if self.volume is not None:
            return self.volume.sentence()
        if self.designed_volume is not None:
            return (
                f"Designed volume {_number(self.designed_volume)}: no reading of the metric "
                f"'{self.volume_metric}' yet."
            )
        return None

    def measured_note(self, answer: str) -> tuple[str, Band] | None:
        """What to show beside the `measured` test: the answer stays the person's."""
        if self.stale:
            names = ", ".join(f"{s.name} ({_plural(s.days, 'day')})" for s in self.stale)
            return (
                f"stale: no reading for {method.METRICS_STALE_DAYS} days or more: {names}",
                "warn",
            )
        if answer == "yes" and self.metrics == 0:
            return ("no metric readings recorded (bridge metric add)", "muted")
        return None

    def maintained_note(self, answer: str) -> tuple[str, Band] | None:
        """What to show beside the `maintained` test and the `maintenance_budget` signal."""
        c = self.commitment
        if c.flagged:
            return (c.sentence(), "warn")
        if c.state == "ok":
            return (c.sentence(), "pass")
        if answer == "yes":
            return (c.sentence(), "muted")
        return None

    def notes(self, answers: AnswerMap) -> dict[str, tuple[str, Band]]:
        """Answer key -> the note to show beside it (the checklist's list uses it)."""
        out: dict[str, tuple[str, Band]] = {}
        measured = self.measured_note(answers.get("measured", "unknown"))
        if measured is not None:
            out["measured"] = measured
        for key in ("maintained", "maintenance_budget"):
            note = self.maintained_note(answers.get(key, "unknown"))
            if note is not None:
                out[key] = note
        return out


def sustain(initiative: Initiative, answers: AnswerMap, facts: Facts, today: date) -> Sustain:
    latest = facts.latest.get(initiative.id, {})
    entered = productionize_entry(initiative, facts.plan_starts.get(initiative.id))
    builds_on: Link | None = None
    if initiative.builds_on:
        target = facts.initiatives.get(initiative.builds_on)
        builds_on = (
            link_of(target)
            if target is not None
            else Link(initiative.builds_on, "an initiative not in this file", method.KILLED)
        )
    extensions = tuple(
        link_of(facts.initiatives[e])
        for e in facts.extended_by.get(initiative.id, ())
        if e in facts.initiatives
    )
    return Sustain(
        initiative_id=initiative.id,
        stage=initiative.stage,
        active=scoring.is_active(initiative),
        optimise_missing=optimise_missing(initiative.stage, answers),
        stale=stale_metrics(latest, today),
        metrics=len(latest),
        commitment=commitment(initiative.maintenance_committed_until, today),
        designed_volume=initiative.designed_volume,
        volume_metric=volume_metric_name(initiative),
        volume=volume_use(initiative, latest, entered, today),
        entered_productionize=entered,
        builds_on=builds_on,
        extended_by=extensions,
    )


def card_flags(
    initiative: Initiative, answers: AnswerMap, facts: Facts, today: date
) -> tuple[str, ...]:
    """`sustain(...).flags()`, cheap for the many cards none of the rules can touch (a board
    lays out every card, thousands of them)."""
    if not (
        initiative.stage == method.INFRASTRUCTURE
        or initiative.id in facts.latest
        or initiative.maintenance_committed_until is not None
    ):
        return ()
    return sustain(initiative, answers, facts, today).flags()


# The portfolio -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SustainOverview:
    """The overview's and the report's view of these rules, computed once."""

    #: active initiative id -> its sustain view
    by_id: Mapping[str, Sustain]
    #: active initiatives with at least one flag, board order
    flagged: tuple[str, ...]
    #: active initiatives in Productionize, board order
    productionize: tuple[str, ...]
    #: active initiatives in Infrastructure (what can be extended), board order
    infrastructure: tuple[str, ...]

    @property
    def crowded(self) -> bool:
        return crowded(len(self.productionize))

    def ids_where(self, what: str) -> tuple[str, ...]:
        """Flagged ids for one rule: not_optimising, metrics_stale, commitment_flagged,
        volume_flagged."""
        return tuple(i for i in self.flagged if getattr(self.by_id[i], what))


def sustain_overview(
    initiatives: Iterable[Initiative],
    answers: Mapping[str, AnswerMap],
    facts: Facts,
    today: date,
) -> SustainOverview:
    active = sorted(
        (i for i in initiatives if scoring.is_active(i)),
        key=lambda i: scoring.board_key(i.id, i.stage, i.name),
    )
    by_id = {i.id: sustain(i, answers.get(i.id, {}), facts, today) for i in active}
    return SustainOverview(
        by_id=by_id,
        flagged=tuple(i.id for i in active if by_id[i.id].flagged),
        productionize=tuple(i.id for i in active if i.stage == method.PRODUCTIONIZE),
        infrastructure=tuple(i.id for i in active if i.stage == method.EXTENDABLE_STAGE),
    )
