"""Use cases that move an initiative through the gates: move, kill, revive, and adding one past
Experiment; with the 90-day plan that each entry into Productionize starts.

Each write reads its initiative once, inside its transaction, where the revision is checked
(`Tx.current`), and evaluates the gate once; a refusal (`GateRefused`) carries what the gate
dialog shows, so screens ask here and show what comes back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bridge_tui import method, scoring
from bridge_tui.clock import add_days
from bridge_tui.errors import BadInput, GateRefused
from bridge_tui.models import Initiative, Plan, PlanTask
from bridge_tui.service.initiatives import EDITABLE_FIELDS, InitiativeService
from bridge_tui.store import Tx

#: The current 90-day plan of an initiative (its id is the initiative's id), and its tasks;
#: archived plans and their tasks are kept apart (`Plan.archived_on`, `PlanTask.plan_id`).
CURRENT_PLAN = "archived_on IS NULL"
CURRENT_TASK = "plan_id = ''"


@dataclass(frozen=True)
class MoveResult:
    """What a move did: the initiative as saved, its gate, whether it was forced, the warnings
    of the stages it entered, and whether it started a 90-day plan."""

    initiative: Initiative
    check: scoring.GateCheck
    forced: bool
    warnings: tuple[str, ...] = ()
    plan_created: bool = False


def _need_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(f"{what} needs a reason.")
    return reason


class MoveOps(InitiativeService):
    """Mixed into `Service`: moves through the gates and the 90-day plans they start."""

    # writing: initiatives that enter past Experiment ------------------------------------------

    def create_initiative(
        self,
        name: str,
        stage: str = "experiment",
        *,
        force: bool = False,
        reason: str = "",
        **fields: Any,
    ) -> Initiative:
        """`add_initiative`, returning only the new initiative."""
        return self.add_initiative(name, stage, force=force, reason=reason, **fields).initiative

    def add_initiative(
        self,
        name: str,
        stage: str = "experiment",
        *,
        force: bool = False,
        reason: str = "",
        **fields: Any,
    ) -> MoveResult:
        """A new initiative. Past Experiment it enters through every gate from the start, like
        a move (refused with the list of what is missing, or forced with a reason), with the
        side effects of each stage on the way (Productionize: budget warning and plan)."""
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise BadInput(f"unknown field {sorted(unknown)[0]}.")
        if stage == method.KILLED:
            raise BadInput("a new initiative cannot start in Killed.")
        now = self.now()
        initiative = self._validated(
            {
                # From the store, so a seeded store (the sample, benchmarks) makes the same ids.
                "id": self.store.new_id(),
                "name": name,
                "stage": stage,
                "stage_entered_at": self.today(),
                "created_at": now,
                "updated_at": now,
                **fields,
            }
        )
        self._check_review_date(initiative.last_review_at)
        check = scoring.move_check(initiative, stage, {}, source=method.KILLED)
        forced = False
        if not check.allowed:
            label = method.STAGE_BY_ID[stage].label
            if not force:
                raise GateRefused(
                    f"{initiative.name} cannot start in {label}: {'; '.join(check.lines())}. "
                    f"Add it to {method.STAGE_BY_ID[method.FLOW[0]].label} and move it through "
                    "the gates, or force it with a reason.",
                    check.unmet,
                )
            reason = _need_reason(reason, f"Adding {initiative.name} straight into {label}")
            initiative = initiative.model_copy(
                update={"forced_reason": reason, "move_reason": reason}
            )
            forced = True
        warnings = self._passing_warnings(initiative, check)
        plan_created = False
        with self._tx() as tx:
            created = tx.insert(initiative)
            if check.passes_productionize:
                plan_created = self._start_plan(tx, created, fresh=False)
        return MoveResult(created, check, forced, warnings, plan_created)

    # writing: moves --------------------------------------------------------------------------

    def move(
        self,
        initiative: Initiative,
        target: str,
        *,
        force: bool = False,
        reason: str = "",
    ) -> MoveResult:
        """Move through the gates. Refusals list every unmet requirement."""
        self._check_target(target)
        with self._tx() as tx:
            return self._move_in(tx, initiative, target, force=force, reason=reason)

    def _check_target(self, target: str) -> None:
        if target not in method.STAGE_IDS:
            raise BadInput(f"unknown stage '{target}' (use one of: {', '.join(method.STAGE_IDS)}).")

    def _move_in(
        self, tx: Tx, initiative: Initiative, target: str, *, force: bool, reason: str
    ) -> MoveResult:
        """`move` inside a transaction a use case already holds (a review decision moves and
        records the review in one): the row is read once under its lock, where its revision is
        checked (`Tx.current`), and the gate is evaluated once."""
        self._check_target(target)
        if target == method.KILLED:
            return self._kill_in(tx, initiative, reason)
        current = tx.current(initiative)
        if current.stage == method.KILLED:
            return self._revive_in(tx, current, target, force=force, reason=reason)
        if target == current.stage:
            raise BadInput(f"{current.name} is already in {method.STAGE_BY_ID[target].label}.")
        return self._do_move(tx, current, target, force=force, reason=reason)

    def _do_move(
        self, tx: Tx, current: Initiative, target: str, *, force: bool, reason: str
    ) -> MoveResult:
        """Move `current`, the row as read in `tx`, to `target` through its gate (evaluated
        here, once); a refusal carries what the dialog shows (`GateRefused`)."""
        answers = self.answer_map(current.id)
        check = scoring.move_check(current, target, answers)
        label = method.STAGE_BY_ID[target].label
        warnings = self._move_warnings(current, check)
        forced = False
        if check.backward:
            reason = _need_reason(reason, f"Moving back to {label}")
        elif not check.allowed:
            if not force:
                lines = check.lines()
                raise GateRefused(
                    f"{current.name} cannot move to {label} yet: {'; '.join(lines)}.",
                    check.unmet,
                    lines=lines,
                    warnings=warnings,
                )
            reason = _need_reason(reason, f"Forcing {current.name} into {label}")
            forced = True
        else:
            reason = (reason or "").strip()
        mark = reason if forced else self._kept_mark(current, target, answers)
        plan_created = False
        # Entering Productionize again (after a move back, a revival, or a demotion from
        # Infrastructure) starts a fresh plan; the first entry keeps a plan made beforehand.
        history = self.stage_history(current.id) if check.passes_productionize else ()
        been = {method.PRODUCTIONIZE, method.INFRASTRUCTURE}
        fresh = any(ev.stage in been for ev in history)
        updated = tx.save(
            current,
            stage=target,
            stage_entered_at=self.today(),
            updated_at=self.now(),
            forced_reason=mark,
            move_reason=reason,
            kill_reason="",
        )
        if check.passes_productionize:
            plan_created = self._start_plan(tx, updated, fresh=fresh)
        return MoveResult(updated, check, forced, warnings, plan_created)

    @staticmethod
    def _kept_mark(current: Initiative, target: str, answers: dict[str, str]) -> str:
        """A move that passes its own gates keeps an earlier forced mark while the gates into
        the new stage, from the start, are still unmet (the mark stays until they really are)."""
        if not current.forced_reason or target not in method.FLOW:
            return ""
        moved = current.model_copy(update={"stage": target})
        return scoring.forced_mark(moved, answers)

    def _move_warnings(self, current: Initiative, check: scoring.GateCheck) -> tuple[str, ...]:
        """What a move of `current` by `check` warns about, refused or done (the gate dialog
        shows them, the move returns them): the stages it enters on its way."""
        return self._passing_warnings(current, check)

    @staticmethod
    def _passing_warnings(initiative: Initiative, check: scoring.GateCheck) -> tuple[str, ...]:
        """The warnings of the stages a move enters on its way: Productionize warns when the
        integration budget is under the method's multiple of the pilot budget."""
        if check.passes_productionize and scoring.budget_warning(initiative):
            return (scoring.budget_warning_text(initiative),)
        return ()

    def kill(self, initiative: Initiative, reason: str) -> MoveResult:
        _need_reason(reason, f"Killing {initiative.name}")
        with self._tx() as tx:
            return self._kill_in(tx, initiative, reason)

    def _kill_in(self, tx: Tx, initiative: Initiative, reason: str) -> MoveResult:
        reason = _need_reason(reason, f"Killing {initiative.name}")
        current = tx.current(initiative)
        if current.stage == method.KILLED:
            raise BadInput(f"{current.name} is already killed.")
        check = scoring.gate_check(current.stage, method.KILLED, {})
        updated = tx.save(
            current,
            stage=method.KILLED,
            stage_entered_at=self.today(),
            updated_at=self.now(),
            kill_reason=reason,
            move_reason=reason,
            forced_reason="",
        )
        return MoveResult(updated, check, False)

    def revive(
        self,
        initiative: Initiative,
        stage: str | None = None,
        *,
        force: bool = False,
        reason: str = "",
    ) -> MoveResult:
        """Back from Killed into Experiment, or into a chosen stage through its gates."""
        target = stage or method.FLOW[0]
        if target not in method.FLOW:
            raise BadInput(f"cannot revive into '{target}' (use one of: {', '.join(method.FLOW)}).")
        with self._tx() as tx:
            current = tx.current(initiative)
            return self._revive_in(tx, current, target, force=force, reason=reason)

    def _revive_in(
        self, tx: Tx, current: Initiative, target: str, *, force: bool, reason: str
    ) -> MoveResult:
        if current.stage != method.KILLED:
            raise BadInput(f"{current.name} is not killed, so there is nothing to revive.")
        return self._do_move(tx, current, target, force=force, reason=reason)

    # plans (the 90-day plan is created on entering Productionize) ----------------------------

    def _live_plans(self) -> tuple[dict[str, Plan], dict[str, list[PlanTask]]]:
        """Every live plan by initiative id, and the live tasks of each in month, then position
        order: two queries for the whole portfolio (the timeline, reports, reviews)."""
        plans = {p.initiative_id: p for p in self.store.all(Plan, CURRENT_PLAN, order="id")}
        tasks: dict[str, list[PlanTask]] = {}
        for t in self.store.all(PlanTask, CURRENT_TASK, order="initiative_id, month, position, id"):
            tasks.setdefault(t.initiative_id, []).append(t)
        return plans, tasks

    def _plan_facts(
        self,
    ) -> tuple[dict[str, date], Mapping[str, Sequence[scoring.PlanTaskLike]]]:
        """Day 1 of every live plan by initiative id, and what plan status reads of each of its
        live tasks, in month, then position order: read from the rows (`Store.plan_facts`),
        or through the models when a row holds what bridge would not have written."""
        facts = self.store.plan_facts(CURRENT_PLAN, CURRENT_TASK)
        if facts is not None:
            return facts
        plans, tasks = self._live_plans()
        return {iid: p.start_date for iid, p in plans.items()}, tasks

    def _ensure_plan(self, tx: Tx, initiative: Initiative, start: date | None = None) -> bool:
        """Create the 90-day plan from the template (day 1 today unless `start` says) unless
        the initiative already has one."""
        return self._start_plan(tx, initiative, fresh=False, start=start)

    def _start_plan(
        self, tx: Tx, initiative: Initiative, *, fresh: bool, start: date | None = None
    ) -> bool:
        """Start the 90-day plan from the template (day 1 today unless `start` says). An
        existing current plan is kept, unless `fresh`: then it is archived (its tasks with it)
        and a new one starts."""
        start = start or self.today()
        existing = self.store.get(Plan, initiative.id, include_deleted=True)
        if existing is not None and not existing.deleted:
            if not fresh:
                return False
            self._archive_plan(tx, existing)
            tx.update(existing, None, start_date=start)
        elif existing is not None:
            tx.update(existing, None, deleted=False, start_date=start)
        else:
            tx.insert(Plan(id=initiative.id, initiative_id=initiative.id, start_date=start))
        for month in method.PLAN_TEMPLATE:
            due = add_days(start, method.MONTH_DAYS * month.month - 1)
            for n, title in enumerate(month.tasks):
                tx.insert(
                    PlanTask(
                        id=self.store.new_id(),
                        initiative_id=initiative.id,
                        month=month.month,
                        title=title,
                        due=due,
                        position=float(n + 1),
                    )
                )
        return True

    def _archive_plan(self, tx: Tx, plan: Plan) -> Plan:
        """Keep the current plan readable as an archived plan: a new plan row with its start
        date and today as `archived_on`, and its live tasks moved onto it (`plan_id`)."""
        archived = tx.insert(
            Plan(
                id=self.store.new_id(),
                initiative_id=plan.initiative_id,
                start_date=plan.start_date,
                archived_on=self.today(),
            )
        )
        for t in self.store.all(
            PlanTask, f"initiative_id = ? AND {CURRENT_TASK}", (plan.initiative_id,), order="id"
        ):
            tx.update(t, None, plan_id=archived.id)
        return archived
