"""The rules of sustain and extend, one by one: see `bridge_tui.sustain`.

Pure; `today` is always a parameter; every number comes from `method`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal, NamedTuple

from bridge_tui import method, scoring
from bridge_tui.text import number_text

if TYPE_CHECKING:
    from bridge_tui.records import InitiativeFacts

AnswerMap = Mapping[str, str]


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later; the month's last day when that month is
    shorter (31 January + 1 month = the last day of February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, _month_days(year, month + 1)))


def _month_days(year: int, month: int) -> int:
    """How many days `month` (1-12) of `year` has (`calendar.monthrange` without importing
    `calendar` at start-up)."""
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def percent_text(percent: float) -> str:
    """A share as people read it, never rounded up past a line: 69.96 reads "69.9%", not 70."""
    shown = math.floor(percent * 10 + 1e-9) / 10
    return f"{int(shown)}%" if shown.is_integer() else f"{shown:.1f}%"


def plural(n: int, word: str) -> str:
    """A count and its word: 1 day, 2 days."""
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


class StaleMetric(NamedTuple):
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


class Commitment(NamedTuple):
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


def volume_metric_name(initiative: InitiativeFacts) -> str:
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


class VolumeUse(NamedTuple):
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
            f"Volume {percent_text(self.percent)} of the designed {number_text(self.designed)} "
            f"({self.metric} {number_text(self.latest)} on {self.at.isoformat()})"
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
    initiative: InitiativeFacts,
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


def productionize_entry(initiative: InitiativeFacts, plan_start: date | None) -> date | None:
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


class Link(NamedTuple):
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


def link_of(initiative: InitiativeFacts) -> Link:
    stage = method.KILLED if initiative.deleted else initiative.stage
    return Link(initiative.id, initiative.name, stage)


def link_refusal(
    source_id: str, source_name: str, target: InitiativeFacts, builds_on: Mapping[str, str | None]
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


def extended_by(initiatives: Iterable[InitiativeFacts]) -> dict[str, tuple[str, ...]]:
    """InitiativeFacts id -> the active initiatives that build on it, in board order."""
    out: dict[str, list[InitiativeFacts]] = {}
    for i in initiatives:
        if i.builds_on and scoring.is_active(i):
            out.setdefault(i.builds_on, []).append(i)
    return {
        k: tuple(i.id for i in sorted(v, key=lambda i: scoring.board_key(i.id, i.stage, i.name)))
        for k, v in out.items()
    }
