"""Building the sample portfolio: every step of the story replayed through the service on a
simulated clock, in time order."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bridge_tui import method
from bridge_tui.clock import Clock
from bridge_tui.models import MetricReading, PlanTask, Review
from bridge_tui.sample.story import METRICS, SEED, SPECS, Spec, id_seed
from bridge_tui.service import Service
from bridge_tui.store import Store


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
