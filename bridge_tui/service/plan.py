"""Use cases for the 90-day plan: tasks, progress, the portfolio timeline.

A plan row shares its initiative's id; tasks carry the initiative id, a month (1-3) and a
position inside that month. Every change goes through `self._tx()`, so it lands in the change
log and undo can reverse it. The numbers (day, progress, overdue, verdict) come from `scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from bridge_tui import method, scoring
from bridge_tui.clock import add_days, check_day
from bridge_tui.errors import BadInput
from bridge_tui.models import Initiative, Plan, PlanTask, keeping, validation_message
from bridge_tui.service.moves import CURRENT_PLAN, CURRENT_TASK, MoveOps
from bridge_tui.service.quick import match_ref

#: Fields a person may set on a task through add/edit.
TASK_FIELDS: tuple[str, ...] = ("title", "owner", "due", "month", "notes")


@dataclass(frozen=True)
class PlanView:
    """One initiative's plan as the screen and `bridge plan` show it."""

    initiative: Initiative
    plan: Plan
    #: live tasks in month, then position order
    tasks: tuple[PlanTask, ...]
    status: scoring.PlanStatus

    def month_tasks(self, month: int) -> list[PlanTask]:
        return [t for t in self.tasks if t.month == month]

    def task(self, task_id: str) -> PlanTask | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def overdue(self, task: PlanTask) -> bool:
        return task.id in self.status.overdue

    def due(self, task: PlanTask) -> date:
        return scoring.effective_due(task, self.plan.start_date)


@dataclass(frozen=True)
class ArchivedPlan:
    """A plan that a fresh one replaced when the initiative entered Productionize again."""

    plan: Plan
    #: its live tasks in month, then position order
    tasks: tuple[PlanTask, ...]

    @property
    def done(self) -> int:
        return sum(1 for t in self.tasks if t.done)

    @property
    def total(self) -> int:
        return len(self.tasks)

    @property
    def day(self) -> int:
        """The plan's day on the day it was archived."""
        assert self.plan.archived_on is not None
        return scoring.plan_day(self.plan.start_date, self.plan.archived_on)

    def sentence(self) -> str:
        """ "Plan from 2026-01-01, archived 2026-06-01 on day 152: 12 of 15 tasks done."."""
        assert self.plan.archived_on is not None
        return (
            f"Plan from {self.plan.start_date.isoformat()}, archived "
            f"{self.plan.archived_on.isoformat()} on day {self.day}: {self.done} of "
            f"{self.total} tasks done."
        )


@dataclass(frozen=True)
class TimelineRow:
    initiative: Initiative
    #: day 1 of its plan
    start: date
    status: scoring.PlanStatus


def _task_order(t: PlanTask) -> tuple[int, float, str]:
    return (t.month, t.position, t.id)


def _check_month(month: Any) -> int:
    if isinstance(month, bool) or not isinstance(month, int) or month not in (1, 2, 3):
        raise BadInput(f"month must be 1, 2 or 3, not {month!r}.")
    return month


class PlanOps(MoveOps):
    """Mixed into `Service`."""

    # reading ---------------------------------------------------------------------------------

    def plan(self, initiative: Initiative) -> Plan | None:
        return self.store.get(Plan, initiative.id)

    def plan_tasks(self, initiative_id: str) -> list[PlanTask]:
        """The tasks of the initiative's current plan (archived plans keep theirs apart)."""
        return self.store.all(
            PlanTask,
            f"initiative_id = ? AND {CURRENT_TASK}",
            (initiative_id,),
            order="month, position, id",
        )

    def archived_plans(self, initiative: Initiative) -> list[ArchivedPlan]:
        """Earlier plans of the initiative, oldest first, each with its tasks: readable history
        of the stints in Productionize before the current one."""
        plans = self.store.all(
            Plan,
            "initiative_id = ? AND archived_on IS NOT NULL",
            (initiative.id,),
            order="archived_on, start_date, id",
        )
        if not plans:
            return []
        tasks: dict[str, list[PlanTask]] = {}
        for t in self.store.all(
            PlanTask,
            f"initiative_id = ? AND NOT ({CURRENT_TASK})",
            (initiative.id,),
            order="month, position, id",
        ):
            tasks.setdefault(t.plan_id, []).append(t)
        return [ArchivedPlan(p, tuple(tasks.get(p.id, []))) for p in plans]

    def plan_view(self, initiative: Initiative) -> PlanView | None:
        """The plan with its tasks and status, or None when the initiative has none."""
        plan = self.plan(initiative)
        if plan is None:
            return None
        tasks = tuple(self.plan_tasks(initiative.id))
        status = scoring.plan_status(
            plan.start_date, tasks, self.today(), initiative.last_review_at
        )
        return PlanView(initiative, plan, tasks, status)

    def _require_plan(self, initiative: Initiative) -> Plan:
        plan = self.plan(initiative)
        if plan is None:
            raise BadInput(
                f"{initiative.name} has no {method.PLAN_NAME} yet; create one first "
                "('g' on the plan screen, or 'bridge plan REF --create')."
            )
        return plan

    def task(self, task_id: str) -> PlanTask:
        found = self.store.get(PlanTask, task_id)
        if found is None:
            raise BadInput("that task no longer exists (someone may have deleted it).")
        return found

    def resolve_task(self, initiative: Initiative, ref: str) -> PlanTask:
        """A task id, a unique id prefix (4+ characters) or an exact title (any case)."""
        ref = (ref or "").strip()
        if not ref:
            raise BadInput("give a task id, id prefix or exact title.")
        tasks = {t.id: t for t in self.plan_tasks(initiative.id)}
        found = match_ref(ref, ((t.id, t.title) for t in tasks.values()))
        if len(found) == 1:
            return tasks[found[0]]
        if not found:
            hint = "" if len(ref) >= 4 else " (id prefixes need at least 4 characters)"
            raise BadInput(f"no task of {initiative.name} matches '{ref}'{hint}.")
        names = "; ".join(f"{t[:8]} {tasks[t].title}" for t in found)
        raise BadInput(f"'{ref}' matches several tasks: {names}.")

    def plan_neighbour(self, initiative_id: str | None, step: int) -> Initiative | None:
        """The previous (-1) or next (+1) initiative that has a plan, in board order, wrapping
        around; the first (or last) one when `initiative_id` has no plan or is None."""
        with_plan = {p.initiative_id for p in self.store.all(Plan, CURRENT_PLAN)}
        everyone = self.ordered_ids()
        ids = [i for i in everyone if i in with_plan]
        if not ids:
            return None
        if initiative_id not in ids:
            # Walk from where the initiative sits on the board.
            board = {iid: n for n, iid in enumerate(everyone)}
            if initiative_id in board:
                here = board[initiative_id]
                after = [i for i in ids if board[i] > here]
                before = [i for i in ids if board[i] < here]
                target = (after or ids)[0] if step > 0 else (before or ids)[-1]
            else:
                target = ids[0] if step > 0 else ids[-1]
            return self.initiative(target)
        return self.initiative(ids[(ids.index(initiative_id) + step) % len(ids)])

    def planned_names(self) -> list[str]:
        """Names of the initiatives that have a live plan, in board order; no plan is scored."""
        with_plan = {p.initiative_id for p in self.store.all(Plan, CURRENT_PLAN)}
        names = {ident: name for ident, _, name in self.store.initiative_keys()}
        return [names[i] for i in self.ordered_ids() if i in with_plan]

    def timeline(self) -> list[TimelineRow]:
        """Every initiative with a plan, most behind first; killed ones last. Three queries,
        and only the initiatives that have a plan are read as models (`_plan_facts`)."""
        starts, tasks = self._plan_facts()
        today = self.today()
        rows = [
            TimelineRow(
                i,
                starts[i.id],
                scoring.plan_status(starts[i.id], tasks.get(i.id, ()), today, i.last_review_at),
            )
            for i in self.store.get_many(Initiative, starts)
        ]
        return sorted(
            rows,
            key=lambda r: (
                r.initiative.stage == method.KILLED,
                scoring.timeline_key(r.status, r.initiative.name),
                r.initiative.id,
            ),
        )

    # writing ---------------------------------------------------------------------------------

    def generate_plan(self, initiative: Initiative, start: date | None = None) -> PlanView:
        """Create the plan from the template for an initiative without one; day 1 is today
        unless `start` is given (one transaction, so `plan --create --start` is one change)."""
        with self._tx() as tx:
            current = self.initiative(initiative.id)
            if self.plan(current) is not None:
                raise BadInput(f"{current.name} already has a {method.PLAN_NAME}.")
            self._ensure_plan(tx, current, start)
        view = self.plan_view(current)
        assert view is not None
        return view

    def set_plan_start(self, initiative: Initiative, start: date) -> PlanView:
        """Move the plan's day 1 (the kick-off slipped, or was earlier); every due date moves
        by the same number of days, so the schedule keeps its shape."""
        check_day(start, "the start date")
        current = self.initiative(initiative.id)
        plan = self._require_plan(current)
        if start == plan.start_date:
            raise BadInput(f"the plan of {current.name} already starts on {start.isoformat()}.")
        shift = (start - plan.start_date).days
        tasks = self.plan_tasks(current.id)
        # every new due date is worked out before the transaction, so an impossible one is
        # refused with nothing written
        dues = {t.id: add_days(t.due, shift) for t in tasks if t.due is not None}
        with self._tx() as tx:
            tx.update(plan, None, start_date=start)
            for t in tasks:
                if t.id in dues:
                    tx.update(t, None, due=dues[t.id])
        view = self.plan_view(current)
        assert view is not None
        return view

    def _validated_task(self, data: dict[str, Any], base: PlanTask | None = None) -> PlanTask:
        try:
            return PlanTask.model_validate(data, context=keeping(base) if base else None)
        except ValidationError as exc:
            raise BadInput(validation_message(exc)) from None

    def _next_position(self, initiative_id: str, month: int, skip: str = "") -> float:
        positions = [
            t.position for t in self.plan_tasks(initiative_id) if t.month == month and t.id != skip
        ]
        return float(int(max(positions, default=0.0)) + 1)

    def add_task(
        self,
        initiative: Initiative,
        month: int,
        title: str,
        *,
        owner: str = "",
        due: date | None = None,
        notes: str = "",
    ) -> PlanTask:
        """Append a task to a month; without a due date it is due on the month's last day."""
        month = _check_month(month)
        plan = self._require_plan(self.initiative(initiative.id))
        if due is None:
            due = scoring.month_range(plan.start_date, month)[1]
        else:
            check_day(due, "the due date")
        task = self._validated_task(
            {
                "id": self.store.new_id(),
                "initiative_id": initiative.id,
                "month": month,
                "title": title,
                "owner": owner,
                "due": due,
                "notes": notes,
                "position": self._next_position(initiative.id, month),
            }
        )
        with self._tx() as tx:
            return tx.insert(task)

    def edit_task(self, task: PlanTask, **fields: Any) -> PlanTask:
        """Save edited fields; `task` is what the user saw (its revision is checked).

        A change of month puts the task at the end of its new month, and a due date that was
        the old month's last day follows to the new month's last day."""
        unknown = set(fields) - set(TASK_FIELDS)
        if unknown:
            raise BadInput(f"{sorted(unknown)[0]} cannot be edited on a task.")
        if "month" in fields:
            fields["month"] = _check_month(fields["month"])
        if isinstance(fields.get("due"), date):
            check_day(fields["due"], "the due date")
        self._validated_task({**task.model_dump(), **fields}, task)
        with self._tx() as tx:
            current = self.store.get(PlanTask, task.id)
            if current is None:
                raise BadInput("that task no longer exists (someone may have deleted it).")
            if "month" in fields and fields["month"] != task.month:
                plan = self.store.get(Plan, task.initiative_id)
                new_month = fields["month"]
                fields["position"] = self._next_position(task.initiative_id, new_month, task.id)
                if plan is not None and "due" not in fields:
                    old_end = scoring.month_range(plan.start_date, task.month)[1]
                    if task.due is None or task.due == old_end:
                        fields["due"] = scoring.month_range(plan.start_date, new_month)[1]
            return tx.update(task, None, **fields)

    def set_task_done(self, task: PlanTask, done: bool = True) -> PlanTask:
        """Mark done (recording who and when) or open again."""
        with self._tx() as tx:
            if done:
                return tx.update(task, None, done=True, done_by=self.author, done_at=self.now())
            return tx.update(task, None, done=False, done_by="", done_at=None)

    def toggle_task(self, task: PlanTask) -> PlanTask:
        return self.set_task_done(task, not task.done)

    def set_task_owner(self, task: PlanTask, owner: str) -> PlanTask:
        return self.edit_task(task, owner=owner)

    def move_task_to_month(self, task: PlanTask, month: int) -> PlanTask:
        month = _check_month(month)
        if month == task.month:
            raise BadInput(f"'{task.title}' is already in month {month}.")
        return self.edit_task(task, month=month)

    def delete_task(self, task: PlanTask) -> PlanTask:
        """A tombstone, so a merge cannot bring the task back."""
        with self._tx() as tx:
            return tx.delete(task)

    def reorder_task(self, task: PlanTask, step: int) -> PlanTask:
        """Move a task up (-1) or down (+1) inside its month; renumbers the month 1..n. The
        month is read and the revision checked inside the one transaction that renumbers it."""
        with self._tx() as tx:
            siblings = sorted(
                (t for t in self.plan_tasks(task.initiative_id) if t.month == task.month),
                key=_task_order,
            )
            ids = [t.id for t in siblings]
            if task.id not in ids:
                raise BadInput("that task no longer exists (someone may have deleted it).")
            here = ids.index(task.id)
            there = here + step
            if there < 0 or there >= len(siblings):
                edge = "first" if step < 0 else "last"
                raise BadInput(f"'{task.title}' is already {edge} in month {task.month}.")
            mine = siblings[here]
            if mine.revision != task.revision:
                raise self.store.stale("task", task.id)
            siblings[here], siblings[there] = siblings[there], siblings[here]
            moved = mine
            for n, t in enumerate(siblings, start=1):
                if t.position != float(n):
                    saved = tx.update(t, None, position=float(n))
                    if t.id == task.id:
                        moved = saved
        return moved
