"""Sustain and extend: the seeds' rules for an initiative once it has crossed the bridge.

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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal, NamedTuple

from bridge_tui import method, scoring
from bridge_tui.sustain_rules import (
    Commitment,
    CommitmentState,
    Link,
    StaleMetric,
    VolumeUse,
    add_months,
    commitment,
    condition_words,
    crowded,
    extended_by,
    find_metric,
    focus_gate_warning,
    focus_sentence,
    link_of,
    link_refusal,
    metric_stale,
    number_text,
    optimise_missing,
    optimize_report,
    percent_text,
    plural,
    productionize_entry,
    stale_metrics,
    volume_metric_name,
    volume_use,
)

if TYPE_CHECKING:
    from bridge_tui.records import InitiativeFacts

AnswerMap = Mapping[str, str]
Band = Literal["pass", "warn", "muted"]
#: initiative id -> metric name -> (date, value) of its newest reading
Latest = Mapping[str, Mapping[str, tuple[date, float]]]


def dated_readings(
    latest: Mapping[str, Mapping[str, tuple[str, float]]],
) -> dict[str, dict[str, tuple[date, float]]]:
    """`Store.latest_readings` with their dates as dates, as the rules take them (`Latest`)."""
    return {
        iid: {name: (date.fromisoformat(at), value) for name, (at, value) in metrics.items()}
        for iid, metrics in latest.items()
    }


__all__ = [
    "AnswerMap",
    "Band",
    "Commitment",
    "CommitmentState",
    "Facts",
    "Latest",
    "Link",
    "StaleMetric",
    "Sustain",
    "SustainOverview",
    "VolumeUse",
    "add_months",
    "card_flags",
    "commitment",
    "condition_words",
    "crowded",
    "extended_by",
    "facts",
    "find_metric",
    "focus_gate_warning",
    "focus_sentence",
    "link_of",
    "link_refusal",
    "may_flag",
    "metric_stale",
    "number_text",
    "optimise_missing",
    "optimize_report",
    "percent_text",
    "plural",
    "productionize_entry",
    "stale_metrics",
    "sustain",
    "sustain_overview",
    "volume_metric_name",
    "volume_use",
]


# One initiative ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the rules need beyond an initiative and its answers, read once for a whole board."""

    #: initiative id -> metric name -> (date, value) of the newest reading
    latest: Latest = field(default_factory=dict)
    #: initiative id -> start date of its live 90-day plan
    plan_starts: Mapping[str, date] = field(default_factory=dict)
    #: every initiative by id (links name their targets and extensions)
    initiatives: Mapping[str, InitiativeFacts] = field(default_factory=dict)
    #: initiative id -> active initiatives building on it, board order
    extended_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def facts(
    initiatives: Iterable[InitiativeFacts], latest: Latest, plan_starts: Mapping[str, date]
) -> Facts:
    everyone = list(initiatives)
    return Facts(
        latest=latest,
        plan_starts=plan_starts,
        initiatives={i.id: i for i in everyone},
        extended_by=extended_by(everyone),
    )


class Sustain(NamedTuple):
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
        each = ", ".join(f"{s.name} {plural(s.days, 'day')}" for s in self.stale)
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
                f"Designed volume {number_text(self.designed_volume)}: no reading of the metric "
                f"'{self.volume_metric}' yet."
            )
        return None

    def measured_note(self, answer: str) -> tuple[str, Band] | None:
        """What to show beside the `measured` test: the answer stays the person's."""
        if self.stale:
            names = ", ".join(f"{s.name} ({plural(s.days, 'day')})" for s in self.stale)
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


def sustain(initiative: InitiativeFacts, answers: AnswerMap, facts: Facts, today: date) -> Sustain:
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
    initiative: InitiativeFacts, answers: AnswerMap, facts: Facts, today: date
) -> tuple[str, ...]:
    """`sustain(...).flags()`, cheap for the many cards none of the rules can touch (a board
    lays out every card, thousands of them)."""
    if not may_flag(initiative, facts):
        return ()
    return sustain(initiative, answers, facts, today).flags()


def may_flag(initiative: InitiativeFacts, facts: Facts) -> bool:
    """Whether any of these rules can flag the initiative's card: only then do its flags
    read its answers (a board of thousands reads the answers of these few only)."""
    return (
        reads_answers(initiative)
        or initiative.id in facts.latest
        or initiative.maintenance_committed_until is not None
    )


#: the only answers these rules read (`optimise_missing`), of the initiatives `reads_answers`
#: names
ANSWER_KEYS: tuple[str, ...] = method.OPTIMIZE_CONDITIONS


def reads_answers(initiative: InitiativeFacts) -> bool:
    """Whether these rules read the initiative's answers at all: only the Optimize conditions
    do, and only in Infrastructure (`optimise_missing`). Any other initiative's view is the
    same with no answers given."""
    return initiative.stage == method.INFRASTRUCTURE


# The portfolio -------------------------------------------------------------------------------


class SustainOverview(NamedTuple):
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


class LazySustain(Mapping[str, Sustain]):
    """Active initiative id -> its `sustain` view, each worked out once, when first asked for
    (the overview shows the views of a few, of thousands)."""

    def __init__(
        self,
        active: Mapping[str, InitiativeFacts],
        answers: Mapping[str, AnswerMap],
        facts: Facts,
        today: date,
    ) -> None:
        self._active = active
        self._answers = answers
        self._facts = facts
        self._today = today
        self._done: dict[str, Sustain] = {}

    def __getitem__(self, initiative_id: str) -> Sustain:
        found = self._done.get(initiative_id)
        if found is None:
            i = self._active[initiative_id]
            given = self._answers.get(i.id, {}) if reads_answers(i) else {}
            found = self._done[initiative_id] = sustain(i, given, self._facts, self._today)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._active)

    def __len__(self) -> int:
        return len(self._active)


def sustain_overview(
    initiatives: Iterable[InitiativeFacts],
    answers: Mapping[str, AnswerMap],
    facts: Facts,
    today: date,
    *,
    in_board_order: bool = False,
) -> SustainOverview:
    """Every active initiative's view and the portfolio's lists. A view is worked out when
    first asked for (`by_id`), and only the initiatives any rule may flag (`may_flag`) are
    looked at for the flagged list: at 10,000 initiatives most are never worked out. Only
    the answers of those `reads_answers` names are read from `answers`. `in_board_order`:
    `initiatives` are in board order already (the overview's figures have them sorted), so
    they are not sorted again."""
    living = (i for i in initiatives if scoring.is_active(i))
    if in_board_order:
        active = list(living)
    else:
        active = sorted(living, key=lambda i: scoring.board_key(i.id, i.stage, i.name))
    by_id = LazySustain({i.id: i for i in active}, answers, facts, today)
    flagged: list[str] = []
    productionize: list[str] = []
    extendable: list[str] = []
    for i in active:
        if may_flag(i, facts) and by_id[i.id].flagged:
            flagged.append(i.id)
        if i.stage == method.PRODUCTIONIZE:
            productionize.append(i.id)
        if i.stage == method.EXTENDABLE_STAGE:
            extendable.append(i.id)
    return SustainOverview(
        by_id=by_id,
        flagged=tuple(flagged),
        productionize=tuple(productionize),
        infrastructure=tuple(extendable),
    )
