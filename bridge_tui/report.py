"""The portfolio report as typed data: what `Service.report_data` returns and `report_render` turns
into Markdown, JSON and CSV. One document for the three formats, so they always agree with each
other and with `scoring`. Pure: no UI, no database, no service.

Every dataclass here names its fields after the JSON keys, in the JSON's order;
`report_render.report_json` writes them so (dates as YYYY-MM-DD, tuples as lists).

The JSON report (`bridge report --format json`), schema "bridge.report/1". Keys never change
meaning within a schema version; new keys may be added. Lists are in board order (stage, then
name, then id) unless said otherwise; stage, test, signal, blocker and requirement ids are those
of domain.md::

    {
      "schema": "bridge.report/1",
      "date": "YYYY-MM-DD",                     # the day the report describes ("today")
      "file": "sample.db",                      # the bridge file's name
      "summary": {                              # the four questions
        "active": int,                          # initiatives not killed
        "infrastructure": int,                  # in Infrastructure AND passing all 4 tests
        "infrastructure_ids": [id, ...],
        "killed": int,
        "blocked": [{"id", "name", "stage", "next_stage" (null in Infrastructure),
                     "unmet": [requirement id, ...], "blockers": [blocker id, ...]}],
        "kill_candidates": [{"id", "name", "reasons": [sentence, ...]}],
        "promoted": [{"id", "name", "stage", "owner", "maintenance_budget": number,
                      "has_owner": bool,          # one named person, not the pilot builder
                      "owner_issue": null | sentence,
                      "has_maintenance_budget": bool,
                      "missing": ["owner" | "maintenance budget", ...]}],
        "pilot_purgatory": [id, ...],           # > 180 days in pilot and validate together
        "review_overdue": [id, ...],            # infrastructure, no review in 90 days
        "funnel": {stage id: int, ...},         # every stage, killed included
        "blockers": {blocker id: int, ...}      # active initiatives carrying each tag
      },
      "heat_map": [{"id", "name", "stage",      # active initiatives only
                    "categories": {category id: {"met": int, "max": int}},
                    "total": int, "passing": bool,
                    "tests": {test id: true | false | null}}],
      "initiatives": [{                         # every initiative, killed ones too
        "id", "name", "stage", "owner", "owner_is_operational",
        "owner_issue": null | sentence,         # why the owner cannot carry `owned`
        "pilot_builder", "team",
        "days_in_stage": int, "purgatory_days": int, "created": "YYYY-MM-DD",
        "budgets": {"pilot", "integration", "maintenance"},
        "score": {"total", "max", "threshold", "passing", "unanswered",
                  "categories": {category id: {"met", "max"}}, "weakest": [category id x3]},
        "tests": {test id: true | false | null}, "stage_three": bool,
        "signals": {signal id: "yes" | "no" | "unknown"},
        "scale": {"ready", "missing", "false_signals", "warning", "sentence",
                  "stable_performance_supported_by_data": bool,
                  "stalled_adoption": [metric name, ...]},
        "metrics": [{"name", "unit", "target", "latest", "readings": int,
                     "stable_at_target": bool, "adoption_stalled": bool}],
        "next_gate": null | {"to", "allowed", "unmet": [requirement id, ...]},
        "blockers": [blocker id, ...],
        "flags": {"pilot_purgatory", "review_overdue", "kill_candidate", "forced"},
        "forced_reason": str,                   # while the forced mark holds, else ""
        "kill_candidate_reasons": [sentence, ...],
        "kill_reason": str,
        "summary": str, "last_review_at": null | "YYYY-MM-DD",
        "answers": {answer id: "yes" | "no" | "unknown"},   # every item, test, signal, exit
        "plan": null | {"start", "day", "phase", "done", "total", "overdue": int,
                        "verdict": "on_track" | "behind", "text"},
        "last_review": null | {"date", "decision", "reviewer", "note"}
      }]
    }

Sustain and extend adds keys to this document without changing any above: see
`bridge_tui/sustain_report.py`; so does the flow over time: `bridge_tui/flow_report.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in annotations: the report's types load without the rules
    from bridge_tui.flow import Flow, Stay
    from bridge_tui.sustain import Sustain

REPORT_SCHEMA = "bridge.report/1"


@dataclass(frozen=True)
class Points:
    met: int
    max: int


@dataclass(frozen=True)
class Blocked:
    """An active initiative that is not (yet) real infrastructure, and what blocks it."""

    id: str
    name: str
    stage: str
    next_stage: str | None
    unmet: tuple[str, ...]
    blockers: tuple[str, ...]


@dataclass(frozen=True)
class KillCandidate:
    id: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Promoted:
    id: str
    name: str
    stage: str
    owner: str
    maintenance_budget: float
    has_owner: bool
    owner_issue: str | None
    has_maintenance_budget: bool
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Extension:
    """An Infrastructure initiative and the ids of those that build on it."""

    id: str
    name: str
    extended_by: tuple[str, ...]


@dataclass(frozen=True)
class SustainSummary:
    """The summary's sustain keys (`sustain_report`), written after the others."""

    not_optimising: tuple[str, ...]
    metrics_stale: tuple[str, ...]
    maintenance_commitment: tuple[str, ...]
    volume_under: tuple[str, ...]
    productionize_now: tuple[str, ...]
    focus_warning: bool
    extensions: tuple[Extension, ...]


@dataclass(frozen=True)
class Summary:
    """The four questions."""

    active: int
    infrastructure: int
    infrastructure_ids: tuple[str, ...]
    killed: int
    blocked: tuple[Blocked, ...]
    kill_candidates: tuple[KillCandidate, ...]
    promoted: tuple[Promoted, ...]
    pilot_purgatory: tuple[str, ...]
    review_overdue: tuple[str, ...]
    funnel: dict[str, int]
    blockers: dict[str, int]
    #: None until `SustainOps.report_data` adds it
    sustain: SustainSummary | None = None


@dataclass(frozen=True)
class HeatRow:
    id: str
    name: str
    stage: str
    categories: dict[str, Points]
    total: int
    passing: bool
    tests: dict[str, bool | None]


@dataclass(frozen=True)
class Budgets:
    pilot: float
    integration: float
    maintenance: float


@dataclass(frozen=True)
class Score:
    total: int
    max: int
    threshold: int
    passing: bool
    unanswered: int
    categories: dict[str, Points]
    weakest: tuple[str, ...]


@dataclass(frozen=True)
class Scale:
    ready: bool
    missing: tuple[str, ...]
    false_signals: tuple[str, ...]
    warning: bool
    sentence: str
    stable_performance_supported_by_data: bool
    stalled_adoption: tuple[str, ...]


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    target: float | None
    latest: float | None
    readings: int
    stable_at_target: bool
    adoption_stalled: bool


@dataclass(frozen=True)
class NextGate:
    to: str
    allowed: bool
    unmet: tuple[str, ...]


@dataclass(frozen=True)
class Flags:
    pilot_purgatory: bool
    review_overdue: bool
    kill_candidate: bool
    forced: bool


@dataclass(frozen=True)
class PlanSection:
    start: date
    day: int
    phase: str
    done: int
    total: int
    overdue: int
    verdict: str
    text: str


@dataclass(frozen=True)
class LastReview:
    date: date
    decision: str
    reviewer: str
    note: str


@dataclass(frozen=True)
class Section:
    """One initiative's part of the report (killed ones too)."""

    id: str
    name: str
    stage: str
    owner: str
    owner_is_operational: bool
    owner_issue: str | None
    pilot_builder: str
    team: str
    days_in_stage: int
    purgatory_days: int
    created: date
    budgets: Budgets
    score: Score
    tests: dict[str, bool | None]
    stage_three: bool
    signals: dict[str, str]
    scale: Scale
    metrics: tuple[Metric, ...]
    next_gate: NextGate | None
    blockers: tuple[str, ...]
    flags: Flags
    forced_reason: str
    kill_candidate_reasons: tuple[str, ...]
    kill_reason: str
    summary: str
    last_review_at: date | None
    answers: dict[str, str]
    plan: PlanSection | None
    last_review: LastReview | None
    #: what the sustain rules say of it (None until `SustainOps.report_data` adds it)
    sustain: Sustain | None = None
    #: its stays, oldest first (None until `FlowOps.report_data` adds them)
    flow: tuple[Stay, ...] | None = None


@dataclass(frozen=True)
class Report:
    schema: str
    date: date
    file: str
    summary: Summary
    heat_map: tuple[HeatRow, ...]
    initiatives: tuple[Section, ...]
    #: the portfolio's flow from the start of the log (None until `FlowOps.report_data`)
    flow: Flow | None = None
