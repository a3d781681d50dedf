"""The sample logistics portfolio: the first article's story in mid-course.

`bridge init --sample` and the test fixtures both build from here. Everything goes through the
service (so the change log holds a real history), replayed on a simulated clock: dates are
relative to `today`, ids and choices come from a fixed seed, so two builds on the same day match.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bridge_tui import method
from bridge_tui.clock import Clock
from bridge_tui.models import MetricReading, PlanTask, Review
from bridge_tui.service import Service
from bridge_tui.store import Store

SEED = 20261122


def id_seed(today: date) -> int:
    """The seed of the sample's ids: its build day as YYYYMMDD, so two builds on one day are
    the same file, while samples built on different days never share an id (merging one into
    the other adds it, rather than finding "nothing new" in different contents under the same
    ids). The story's choices keep `SEED`: every day tells the same story. The committed
    sample.db was built on 2026-11-22, whose seed is `SEED` itself."""
    return today.year * 10_000 + today.month * 100 + today.day


@dataclass
class Spec:
    name: str
    summary: str
    owner: str = ""
    operational: bool = False
    team: str = ""
    budgets: tuple[float, float, float] = (0, 0, 0)
    blockers: tuple[str, ...] = ()
    #: (days ago, stage) for creation and every later move; the first entry is creation
    path: list[tuple[int, str]] = field(default_factory=list)
    answers: dict[str, str] = field(default_factory=dict)
    #: keys first answered "no", later flipped to their final value (gives the history a shape)
    flipped: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    kill_reason: str = ""
    last_review_ago: int | None = None
    author: str = "maya"


def _yes(*keys: str) -> dict[str, str]:
    return dict.fromkeys(keys, "yes")


def _items(yes: str, no: str = "") -> dict[str, str]:
    out = dict.fromkeys(yes.split(), "yes")
    out.update(dict.fromkeys(no.split(), "no"))
    return out


SPECS: tuple[Spec, ...] = (
    Spec(
        "Dispatch routing",
        "Suggests the next load for each dispatcher from live truck positions and dock slots.",
        owner="Priya Natarajan",
        operational=True,
        team="Dispatch operations",
        budgets=(40_000, 150_000, 60_000),
        path=[(300, "experiment"), (270, "pilot"), (190, "validate"), (37, "productionize")],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "incident_recovered",
                "stable_performance",
                "operational_owner",
                "integration_plan",
                "maintenance_budget",
            ),
            # ready means none of the false signals is marked (seed 1)
            "enthusiasm": "no",
            **_yes("embedded", "owned", "dashboards"),
            **_items("D1 D2 D3 D4 G1 G2 G4 O1 O2 O5 S1 S2 T1 T3", "D5 G3 O4"),
            "measured": "no",
            "maintained": "unknown",
            "unattended_30d": "no",
        },
        flipped=("O2", "S2", "stable_performance"),
        notes={
            "stable_performance": "8 weeks at or above 92% on-time dispatch",
            "G3": "Rollback runbook written, not yet rehearsed",
        },
        author="priya",
    ),
    Spec(
        "Contract review",
        "Flags non-standard clauses in carrier and customer contracts before legal sign-off.",
        owner="Tomás Herrera",
        operational=True,
        team="Legal operations",
        budgets=(30_000, 110_000, 45_000),
        path=[
            (540, "experiment"),
            (500, "pilot"),
            (420, "validate"),
            (330, "productionize"),
            (200, "infrastructure"),
        ],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "incident_recovered",
                "stable_performance",
                "operational_owner",
                "integration_plan",
                "maintenance_budget",
                "unattended_30d",
                "dashboards",
                "on_call",
                "embedded",
                "owned",
                "measured",
                "maintained",
                "eval_process",
            ),
            **_items("D1 D2 D3 D4 G1 G2 G3 G4 O1 O2 O3 O5 S1 S2 S3 T1 T3", "D5 O4 T2"),
            "improvement_shipped": "no",
        },
        flipped=("G3", "O3", "S3"),
        notes={
            "G3": "Rollback rehearsed in March; took 12 minutes",
            "measured": "Monthly accuracy review with legal",
        },
        last_review_ago=30,
        author="tomas",
    ),
    Spec(
        "Email triage",
        "Routes inbound customer e-mail to the right desk and drafts the first reply.",
        owner="Grace Okafor",
        operational=True,
        team="Customer service",
        budgets=(15_000, 60_000, 20_000),
        path=[
            (640, "experiment"),
            (600, "pilot"),
            (520, "validate"),
            (430, "productionize"),
            (330, "infrastructure"),
        ],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "incident_recovered",
                "stable_performance",
                "operational_owner",
                "integration_plan",
                "maintenance_budget",
                "unattended_30d",
                "dashboards",
                "on_call",
                "embedded",
                "owned",
                "measured",
                "maintained",
            ),
            **_items("D1 D2 D3 G1 G2 G3 G4 O1 O2 O3 O5 S1 S2 S3 T3", "D4 D5 O4 T1 T2"),
            "eval_process": "no",
        },
        notes={"maintained": "Budget renewed last year; not reviewed since"},
        last_review_ago=124,
        author="grace",
    ),
    Spec(
        "Customer service assistant",
        "Suggests answers to agents on shipment-status chats.",
        owner="",
        team="Customer service",
        budgets=(60_000, 0, 0),
        blockers=("ownership", "change_management", "funding"),
        path=[(420, "experiment"), (380, "pilot")],
        answers={
            **_yes("scoped", "team_assigned", "enthusiasm", "executive_pressure"),
            **_items("D1 S2 T1", "D2 D3 G1 G3 O1 O2 O3 T3"),
            "accuracy_on_real_data": "yes",
            "business_case_reviewed": "no",
            "operational_owner": "no",
        },
        flipped=("accuracy_on_real_data",),
        notes={
            "business_case_reviewed": "Finance asked for adoption numbers first",
            "operational_owner": "Pilot lead moved to another team in May",
        },
        author="maya",
    ),
    Spec(
        "Route optimisation",
        "Re-plans multi-stop routes overnight from order, traffic and driver-hour data.",
        owner="Lars Eriksen",
        operational=False,
        team="Network planning",
        budgets=(80_000, 120_000, 0),
        blockers=("integration", "data_readiness"),
        path=[(500, "experiment"), (450, "pilot"), (230, "validate")],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "integration_plan",
                "vendor_readiness",
            ),
            **_items("D1 D2 G1 G4 O5 S2 T1", "D3 D4 D5 O1 O2 O3 O4 S1 S3"),
            "incident_recovered": "no",
            "stable_performance": "no",
            "maintenance_budget": "no",
        },
        flipped=("D2", "usage_data_30d"),
        notes={
            "stable_performance": "Savings swing between 2% and 9% week to week",
            "integration_plan": "TMS export agreed with IT",
        },
        author="lars",
    ),
    Spec(
        "Invoice processing",
        "Matches carrier invoices to delivered loads and flags mismatches for accounts payable.",
        owner="Aisha Rahman",
        operational=True,
        team="Finance operations",
        budgets=(50_000, 90_000, 30_000),
        blockers=("funding",),
        path=[(330, "experiment"), (290, "pilot"), (120, "validate")],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "failure_modes_known",
                "operational_owner",
                "stable_performance",
                "integration_plan",
            ),
            **_items("D1 D2 D3 G1 G2 G4 O1 O5 S1 S2 S3 T1 T3", "D4 G3 O3"),
            "maintenance_budget": "no",
        },
        notes={"maintenance_budget": "Year-two funding waits for the budget round"},
        author="aisha",
    ),
    Spec(
        "Document extraction: bills of lading",
        "Reads scanned bills of lading into the shipment record.",
        owner="Jonas Weber",
        team="Document desk",
        budgets=(35_000, 0, 0),
        blockers=("funding", "people"),
        path=[(330, "experiment"), (250, "pilot")],
        answers={
            **_yes(
                "scoped", "team_assigned", "accuracy_on_real_data", "vendor_readiness", "enthusiasm"
            ),
            **_items("D1 S2", "D2 D3 G1 G2 O1 O2"),
            "business_case_reviewed": "no",
        },
        notes={"accuracy_on_real_data": "94% field accuracy on 2,000 real scans"},
        author="jonas",
    ),
    Spec(
        "Document extraction: customs declarations",
        "Pre-fills customs declarations from commercial invoices.",
        owner="Jonas Weber",
        team="Document desk",
        budgets=(25_000, 0, 0),
        path=[(300, "experiment"), (260, "pilot"), (90, "killed")],
        answers={**_yes("scoped", "team_assigned"), "accuracy_on_real_data": "no"},
        kill_reason="Broker's own tool covers it; focus the document desk on bills of lading.",
        author="maya",
    ),
    Spec(
        "Document extraction: proof of delivery",
        "Checks signed proof-of-delivery photos for missing signatures and damage notes.",
        owner="",
        team="Document desk",
        path=[(45, "experiment")],
        answers={"scoped": "yes"},
        author="jonas",
    ),
    Spec(
        "Demand forecasting",
        "Forecasts weekly volume per depot to plan driver shifts.",
        owner="Mei Chen",
        operational=False,
        team="Network planning",
        budgets=(45_000, 160_000, 40_000),
        path=[(200, "experiment"), (95, "pilot")],
        answers={
            **_yes("scoped", "team_assigned", "accuracy_on_real_data"),
            **_items("D1 D2 D4 G1 G4 T1", "D5 O4"),
        },
        notes={"accuracy_on_real_data": "MAPE 11% against 18% for the spreadsheet"},
        author="mei",
    ),
    Spec(
        "Warehouse slotting",
        "Suggests where fast-moving SKUs should sit each week.",
        owner="",
        team="Warehouse ops",
        path=[(20, "experiment")],
        answers={},
        author="maya",
    ),
    Spec(
        "Fleet maintenance prediction",
        "Predicts truck component failures from telematics to schedule workshop time.",
        owner="Sam O'Brien",
        operational=False,
        team="Fleet",
        budgets=(70_000, 140_000, 0),
        blockers=("maintenance", "governance"),
        path=[(400, "experiment"), (330, "pilot"), (60, "validate")],
        answers={
            **_yes(
                "scoped",
                "team_assigned",
                "accuracy_on_real_data",
                "business_case_reviewed",
                "usage_data_30d",
                "executive_pressure",
                "vendor_readiness",
                "enthusiasm",
            ),
            **_items("D1 D2 S2 T1", "D3 G1 G2 G3 O1 O2 O3"),
            "failure_modes_known": "no",
            "operational_owner": "no",
            "maintenance_budget": "no",
        },
        notes={"executive_pressure": "COO wants it live before the winter peak"},
        author="sam",
    ),
    Spec(
        "Driver safety coaching",
        "Turns dash-cam events into weekly coaching notes for drivers.",
        owner="",
        team="Fleet",
        budgets=(55_000, 0, 0),
        path=[(480, "experiment"), (430, "pilot"), (150, "killed")],
        answers={**_yes("scoped", "team_assigned", "accuracy_on_real_data")},
        kill_reason="No owner after the pilot and adoption stalled at 22%.",
        author="maya",
    ),
)

#: name -> (metric, unit, target, weekly values oldest first, weeks ago of the last reading)
METRICS: dict[str, list[tuple[str, str, float | None, list[float]]]] = {
    "Dispatch routing": [
        ("On-time dispatch", "%", 92.0, [88.5, 90.1, 92.4, 93.0, 92.8, 93.6, 94.1, 93.7]),
        ("Adoption", "%", 80.0, [31.0, 38.0, 44.0, 51.0, 55.0, 58.0, 61.0, 64.0]),
    ],
    "Contract review": [
        ("Clause recall", "%", 95.0, [95.8, 96.1, 95.4, 96.7, 96.2, 95.9]),
    ],
    "Customer service assistant": [
        ("Adoption", "%", 60.0, [18.0, 22.0, 26.0, 24.0, 27.0, 23.0, 25.0, 26.0]),
    ],
    "Route optimisation": [
        ("Cost saving", "%", 6.0, [2.1, 8.7, 3.4, 9.2, 4.0, 7.5]),
    ],
}


def _at(day: date, today: date, rng: random.Random) -> datetime:
    """A working-hours moment on `day`. Events of the build day itself are put just after
    midnight, so a sample built in the morning holds no change stamped later than the moment
    it was made (the change log's clock never runs backwards, so a future stamp would show on
    every edit made afterwards)."""
    hour, minute = 9 + rng.randrange(8), rng.randrange(60)
    return datetime.combine(day, time(0 if day == today else hour, minute), tzinfo=UTC)


class _Replay:
    """Runs the service on a simulated clock, one event at a time."""

    def __init__(self, store: Store, today: date) -> None:
        self.store = store
        self.today = today
        self.day = today
        self.moment = datetime.combine(today, time(0), tzinfo=UTC)
        self.svc = Service(store, "maya", Clock(lambda: self.day, lambda: self.moment))

    def moment_at(self, days_ago: int, rng: random.Random) -> tuple[date, datetime]:
        day = self.today - timedelta(days=days_ago)
        return day, _at(day, self.today, rng)

    def go(self, day: date, moment: datetime, author: str) -> Service:
        self.day, self.moment = day, moment
        self.svc.author = author
        return self.svc


#: One step of the story: (day, group, order within the group, moment, author, action);
#: steps run in order of (moment, group, order).
_Step = tuple[date, int, int, datetime, str, Callable[[Service], None]]


def _home_period(spec: Spec, key: str) -> tuple[int, int]:
    """(from, to) in days ago during which `key` was plausibly answered."""
    stages = [s for _, s in spec.path]
    spans = {}
    for n, (ago, stage) in enumerate(spec.path):
        end = spec.path[n + 1][0] + 1 if n + 1 < len(spec.path) else 0
        spans[stage] = (ago - 1, end)
    if key in method.EXIT_BY_ID:
        home = method.EXIT_BY_ID[key].stage
    elif key in method.SIGNAL_BY_ID:
        home = "validate"
    else:
        home = "productionize"
    if home not in spans:
        alive = [s for s in stages if s != "killed"]
        home = alive[-1]
    start, end = spans[home]
    return start, min(end, start)


def build_sample(store: Store, today: date) -> None:
    """Fill an empty store with the sample portfolio.

    Every step (creations, answers, moves, reviews, plan work, metric readings) is first given
    its day and moment, then all are replayed in time order, so the change log's clock stamps
    each one on its own day.
    """
    store.reseed(id_seed(today))
    rng = random.Random(SEED)
    clock_before = store.clock
    replay = _Replay(store, today)
    events: list[tuple[int, int, str, Spec, Any]] = []
    seq = 0

    def push(ago: int, kind: str, spec: Spec, payload: Any) -> None:
        nonlocal seq
        seq += 1
        events.append((ago, seq, kind, spec, payload))

    for spec in SPECS:
        created_ago, first_stage = spec.path[0]
        push(created_ago, "create", spec, first_stage)
        for ago, stage in spec.path[1:]:
            push(ago, "move", spec, stage)
        for key, value in spec.answers.items():
            start, end = _home_period(spec, key)
            ago = rng.randint(end, start) if start > end else start
            if key in spec.flipped and start - end > 4:
                first = rng.randint(end + 2, start)
                push(first, "answer", spec, (key, "no"))
                ago = rng.randint(end, first - 1)
            push(ago, "answer", spec, (key, value))
        if spec.last_review_ago is not None:
            push(spec.last_review_ago, "review", spec, None)

    ids: dict[str, str] = {}
    steps: list[_Step] = []
    # Oldest first; on the same day creations, then answers, then moves.
    rank = {"create": 0, "answer": 1, "move": 2, "review": 3}
    ordered = sorted(events, key=lambda e: (-e[0], rank[e[2]], e[1]))
    last: datetime | None = None
    for n, (ago, _, kind, spec, payload) in enumerate(ordered):
        day, moment = replay.moment_at(ago, rng)
        if last is not None and last.date() == day and moment < last:
            moment = last  # a creation comes before its answers, even on the same day
        last = moment
        steps.append((day, 0, n, moment, spec.author, _story_step(kind, spec, payload, ids)))
    steps += _plan_progress(replay, rng, ids)
    steps += _metrics(replay, rng, ids)

    for day, _, _, moment, author, action in sorted(steps, key=lambda s: (s[3], s[1], s[2])):
        action(replay.go(day, moment, author))
    store.clock = clock_before


def _story_step(
    kind: str, spec: Spec, payload: Any, ids: dict[str, str]
) -> Callable[[Service], None]:
    def create(svc: Service) -> None:
        i = svc.create_initiative(
            spec.name,
            stage=payload,
            summary=spec.summary,
            owner=spec.owner,
            owner_is_operational=spec.operational,
            team=spec.team,
            pilot_budget=spec.budgets[0],
            integration_budget=spec.budgets[1],
            maintenance_budget=spec.budgets[2],
            blockers=spec.blockers,
        )
        ids[spec.name] = i.id

    def answer(svc: Service) -> None:
        key, value = payload
        svc.answer(svc.initiative(ids[spec.name]), key, value, spec.notes.get(key))

    def move(svc: Service) -> None:
        i = svc.initiative(ids[spec.name])
        if payload == "killed":
            svc.kill(i, spec.kill_reason)
        else:
            svc.move(i, payload)

    def review(svc: Service) -> None:
        i = svc.initiative(ids[spec.name])
        with svc._tx() as tx:
            tx.insert(
                Review(
                    id=svc.store.new_id(),
                    initiative_id=i.id,
                    date=svc.today(),
                    reviewer="maya",
                    decision="keep",
                    note="Working as intended; keep the monthly accuracy review.",
                )
            )
            tx.update(i, None, last_review_at=svc.today())

    return {"create": create, "answer": answer, "move": move, "review": review}[kind]


def _task_work(
    ids: dict[str, str], name: str, month: int, position: float, fields: dict[str, Any]
) -> Callable[[Service], None]:
    """A step that updates the template task at (month, position) of initiative `name`'s plan
    (the tasks exist once the plan has started, so the task is looked up when the step runs)."""

    def work(svc: Service) -> None:
        (task,) = svc.store.all(
            PlanTask,
            "initiative_id = ? AND month = ? AND position = ? AND plan_id = ''",
            (ids[name], month, position),
        )
        with svc._tx() as tx:
            tx.update(task, None, **fields)

    return work


def _plan_progress(replay: _Replay, rng: random.Random, ids: dict[str, str]) -> list[_Step]:
    """Dispatch routing entered productionize 37 days ago, so it is on day 38 of its plan:
    month 1 nearly done (one task late), month 2 under way."""
    late = "Surface disagreements now"
    owners = ["Priya Natarajan", "Dev Malhotra", "Priya Natarajan", "Lena Park"]
    # The tasks are made from the template when the plan starts: (month, position) names them.
    template = [
        (m.month, float(pos + 1), title)
        for m in method.PLAN_TEMPLATE
        for pos, title in enumerate(m.tasks)
    ]
    steps: list[_Step] = []
    for n, (month, position, title) in enumerate(template):
        done_ago = None
        if month == 1 and title != late:
            done_ago = 36 - 4 * n
        elif month == 2 and position <= 1:
            done_ago = 3
        day, moment = replay.moment_at(max(done_ago or 36, 0), rng)
        fields: dict[str, Any] = {"owner": owners[n % len(owners)]}
        if done_ago is not None:
            fields.update(done=True, done_by="priya", done_at=moment)
        work = _task_work(ids, "Dispatch routing", month, position, fields)
        steps.append((day, 1, n, moment, "priya", work))
    steps += _finished_plans(replay, rng, ids, start=len(steps))
    return steps


def _finished_plans(
    replay: _Replay, rng: random.Random, ids: dict[str, str], start: int
) -> list[_Step]:
    """Initiatives that already crossed into Infrastructure finished their 90-day plan on time:
    each task done within its month, by the initiative's owner."""
    steps: list[_Step] = []
    for spec in SPECS:
        entered = dict((stage, ago) for ago, stage in spec.path)
        if "infrastructure" not in entered or "productionize" not in entered:
            continue
        plan_start = entered["productionize"]
        for month in method.PLAN_TEMPLATE:
            for pos, _title in enumerate(month.tasks):
                done_ago = plan_start - (30 * (month.month - 1) + rng.randint(4, 28))
                day, moment = replay.moment_at(done_ago, rng)
                author = spec.author
                fields: dict[str, Any] = {
                    "owner": spec.owner,
                    "done": True,
                    "done_by": author,
                    "done_at": moment,
                }
                work = _task_work(ids, spec.name, month.month, float(pos + 1), fields)
                steps.append((day, 1, start + len(steps), moment, author, work))
    return steps


def _metrics(replay: _Replay, rng: random.Random, ids: dict[str, str]) -> list[_Step]:
    steps: list[_Step] = []
    for name, series in METRICS.items():
        for metric, unit, target, values in series:
            for n, value in enumerate(values):
                weeks_ago = len(values) - 1 - n
                day, moment = replay.moment_at(weeks_ago * 7 + 1, rng)

                def read(
                    svc: Service,
                    name: str = name,
                    metric: str = metric,
                    unit: str = unit,
                    target: float | None = target,
                    value: float = value,
                ) -> None:
                    with svc._tx() as tx:
                        tx.insert(
                            MetricReading(
                                id=svc.store.new_id(),
                                initiative_id=ids[name],
                                name=metric,
                                value=value,
                                target=target,
                                unit=unit,
                                at=svc.today(),
                            )
                        )

                steps.append((day, 2, len(steps), moment, "monitoring", read))
    return steps
