"""Use cases on initiatives: create, edit, answer, move through gates, kill, revive.

The app and the CLI call only this layer. It enforces the method (through `scoring`), writes
through one store transaction per use case, and raises `BridgeError`s that carry one sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bridge_tui import method, scoring, stage_history
from bridge_tui.clock import Clock, add_days
from bridge_tui.errors import BadInput, GateRefused
from bridge_tui.models import (
    Answer,
    Initiative,
    MetricReading,
    Plan,
    PlanTask,
    answer_id,
    check_author,
    keeping,
    validation_message,
)
from bridge_tui.store import Store, Tx

#: The current 90-day plan of an initiative (its id is the initiative's id), and its tasks;
#: archived plans and their tasks are kept apart (`Plan.archived_on`, `PlanTask.plan_id`).
CURRENT_PLAN = "archived_on IS NULL"
CURRENT_TASK = "plan_id = ''"

#: Fields a person may set on an initiative through create/edit (the rest follow from moves).
EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "summary",
    "owner",
    "owner_is_operational",
    "pilot_builder",
    "team",
    "pilot_budget",
    "integration_budget",
    "maintenance_budget",
    "blockers",
    "last_review_at",
    "maintenance_committed_until",
    "designed_volume",
    "volume_metric",
    "builds_on",
)


@dataclass(frozen=True)
class MoveResult:
    initiative: Initiative
    check: scoring.GateCheck
    forced: bool
    warnings: tuple[str, ...] = ()
    plan_created: bool = False


@dataclass
class Board:
    """What the board shows, loaded in three queries."""

    initiatives: list[Initiative]
    answers: dict[str, dict[str, str]] = field(default_factory=dict)
    #: stage histories (from the change log) of the initiatives in Pilot or Validate: pilot
    #: purgatory is counted over them
    histories: dict[str, stage_history.History] = field(default_factory=dict)

    def answers_of(self, initiative_id: str) -> dict[str, str]:
        return self.answers.get(initiative_id, {})

    def card(self, initiative: Initiative, today: date) -> scoring.Card:
        return scoring.card(
            initiative, self.answers_of(initiative.id), today, self.histories.get(initiative.id)
        )


def match_ref(ref: str, items: Iterable[tuple[str, str]]) -> list[str]:
    """The ids `ref` names among (id, name) pairs: the one whose full id it is; otherwise
    every exact name (any case), then every id it starts when it has 4+ characters."""
    low = ref.lower()
    pairs = list(items)
    if any(ident == low for ident, _ in pairs):
        return [low]
    by_name = [ident for ident, name in pairs if name.casefold() == ref.casefold()]
    by_prefix = [ident for ident, _ in pairs if ident.startswith(low)] if len(ref) >= 4 else []
    return list(dict.fromkeys(by_name + by_prefix))


def _need_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(f"{what} needs a reason.")
    return reason


class CoreService:
    """The foundation's use cases. `Service` (in this package) adds the later ones as mixins."""

    def __init__(
        self,
        store: Store,
        author: str,
        today: Clock | date | Callable[[], date] | None = None,
    ) -> None:
        self.store = store
        try:
            # the change log, answers and reviews carry it: checked like any one-line field
            self.author = check_author(author) or "unknown"
        except ValueError as exc:
            raise BadInput(f"your name (--as or BRIDGE_AUTHOR) {exc}.") from None
        #: the one clock: every date and time this service records or compares comes from it,
        #: the change log's stamps included (the store's clock is this one)
        self.clock = Clock.coerce(today)
        store.clock = self.clock.now
        # a change stamped far ahead of this clock (forged, or a clock gone wrong) would be
        # followed by every new one: such a file is refused for writing, with the reason
        store.check_stamps()
        #: transaction ids written by this service (this session), newest last: undo reads it
        self.session_txs: list[str] = []

    # context ---------------------------------------------------------------------------------

    def today(self) -> date:
        return self.clock.today()

    def now(self) -> datetime:
        return self.clock.now().astimezone(UTC).replace(microsecond=0)

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def read_only_reason(self) -> str | None:
        """Why bridge refuses to write to this file (foreign schema objects, rows that disagree
        with their log, a forged stamp...): one sentence with how to recover; None when the
        file is writable or merely read-only on disk."""
        return self.store.refusal

    def read_only_message(self) -> str:
        return self.store.read_only_message()

    @property
    def file_name(self) -> str:
        return self.store.path.name

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def check_file(self) -> tuple[int, int]:
        """`bridge check`: the full check of the file, whatever its size; (rows, log entries)
        checked, or BadFile saying what is wrong and how to recover."""
        return self.store.full_check()

    def data_version(self) -> int:
        """Changes when another process commits to the file (the app's live refresh polls it)."""
        return self.store.data_version()

    @contextmanager
    def _tx(self) -> Iterator[Tx]:
        """One store transaction in this service's name (every write of a use case goes
        through it); once committed with changes, its id is kept for this session's undo."""
        with self.store.transaction(self.author) as tx:
            yield tx
        if tx.changes:
            self.session_txs.append(tx.id)

    # reading ---------------------------------------------------------------------------------

    def initiatives(self) -> list[Initiative]:
        return self.store.initiatives()

    def board(self) -> Board:
        return Board(self.store.initiatives(), self.store.answer_values(), self.histories())

    def histories(self) -> dict[str, stage_history.History]:
        """Stage histories of every initiative now in Pilot or Validate (one query)."""
        stages = tuple(s for s in method.FLOW if s in method.PURGATORY_STAGES)
        return stage_history.replay(self.store.stage_rows(in_stages=stages))

    def stage_history(self, initiative_id: str) -> stage_history.History:
        """One initiative's stage events from the change log, oldest first."""
        rows = self.store.stage_rows(initiative_id=initiative_id)
        return stage_history.replay(rows).get(initiative_id, ())

    def ordered(self, initiatives: list[Initiative] | None = None) -> list[Initiative]:
        """Board order: stage columns left to right, then name; `[`/`]` walk it everywhere."""
        items = self.store.initiatives() if initiatives is None else initiatives
        return sorted(items, key=lambda i: scoring.board_key(i.id, i.stage, i.name))

    def ordered_ids(self) -> list[str]:
        """The ids of `ordered()`, read without building a model per initiative (the checklist
        walks board order on every open, at 10,000 initiatives too)."""
        keys = self.store.initiative_keys()
        keys.sort(key=lambda k: scoring.board_key(*k))
        return [k[0] for k in keys]

    def _unchanged(self, initiative: Initiative) -> Initiative:
        """The stored initiative, refused as stale if someone saved it after `initiative` (what
        the user saw) was read."""
        current = self.initiative(initiative.id)
        if current.revision != initiative.revision:
            raise self.store.stale("initiative", initiative.id)
        return current

    def initiative(self, initiative_id: str) -> Initiative:
        found = self.store.get(Initiative, initiative_id)
        if found is None:
            raise BadInput(f"no initiative with id {initiative_id}.")
        return found

    def resolve(self, ref: str) -> Initiative:
        """A full id, a unique id prefix of 4+ characters, or an exact name (any case)."""
        ref = (ref or "").strip()
        if not ref:
            raise BadInput("give an initiative id, id prefix or name.")
        # (id, name) pairs, not models: the CLI resolves on every command, at 10,000 too
        names = {ident: name for ident, _, name in self.store.initiative_keys()}
        found = match_ref(ref, names.items())
        if len(found) == 1:
            return self.initiative(found[0])
        if not found:
            hint = "" if len(ref) >= 4 else " (id prefixes need at least 4 characters)"
            near = [n for n in names.values() if ref.casefold() in n.casefold()]
            if near:
                shown = "; ".join(near[:3]) + ("; ..." if len(near) > 3 else "")
                hint += f"; names are matched exactly, did you mean: {shown}?"
                raise BadInput(f"no initiative matches '{ref}'{hint}")
            raise BadInput(f"no initiative matches '{ref}'{hint}.")
        shown = "; ".join(f"{ident[:8]} {names[ident]}" for ident in found)
        raise BadInput(f"'{ref}' matches several initiatives: {shown}.")

    def answers(self, initiative_id: str) -> list[Answer]:
        return self.store.answers(initiative_id)

    def answer_map(self, initiative_id: str) -> dict[str, str]:
        return scoring.answer_map(self.store.answers(initiative_id))

    def card(self, initiative: Initiative) -> scoring.Card:
        history = (
            self.stage_history(initiative.id)
            if initiative.stage in method.PURGATORY_STAGES
            else None
        )
        return scoring.card(initiative, self.answer_map(initiative.id), self.today(), history)

    def score(self, initiative: Initiative) -> dict[str, object]:
        return scoring.score_report(initiative, self.answer_map(initiative.id))

    def metric_readings(self, initiative_id: str) -> list[MetricReading]:
        return self.store.all(
            MetricReading, "initiative_id = ?", (initiative_id,), order="name, at, id"
        )

    def metric_series(self, initiative_id: str) -> list[scoring.MetricSeries]:
        return scoring.metric_series(self.metric_readings(initiative_id))

    def check_move(self, initiative: Initiative, target: str) -> scoring.GateCheck:
        return scoring.move_check(initiative, target, self.answer_map(initiative.id))

    # writing: initiatives --------------------------------------------------------------------

    def _validated(self, data: dict[str, Any], base: Initiative | None = None) -> Initiative:
        try:
            return Initiative.model_validate(data, context=keeping(base) if base else None)
        except ValidationError as exc:
            raise BadInput(validation_message(exc)) from None

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

    def _check_review_date(self, day: Any) -> None:
        """A last review is in the past (or today): a future one would hide an overdue review."""
        if isinstance(day, date) and day > self.today():
            raise BadInput(
                f"last review: {day.isoformat()} is in the future; give the date the review "
                f"took place (today is {self.today().isoformat()})."
            )

    def edit_initiative(self, initiative: Initiative, **fields: Any) -> Initiative:
        """Save edited fields; `initiative` is what the user saw (its revision is checked)."""
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise BadInput(f"{sorted(unknown)[0]} cannot be edited directly.")
        checked = self._validated({**initiative.model_dump(), **fields}, initiative)
        if "last_review_at" in fields:
            self._check_review_date(checked.last_review_at)
        with self._tx() as tx:
            return tx.update(initiative, None, updated_at=self.now(), **fields)

    # writing: answers ------------------------------------------------------------------------

    def answer(
        self, initiative: Initiative, key: str, value: str, note: str | None = None
    ) -> Answer:
        """Set one checklist item, test, signal or exit condition (ids of domain.md)."""
        if key not in method.ANSWER_KEY_SET:
            raise BadInput(
                f"unknown key '{key}': use an item (D1..T3), a test, a signal or an exit "
                "condition id."
            )
        if value not in ("yes", "no", "unknown"):
            raise BadInput(f"answer must be yes, no or unknown, not '{value}'.")
        self.initiative(initiative.id)
        aid = answer_id(initiative.id, key)
        with self._tx() as tx:
            existing = tx.get(Answer, aid)
            fields: dict[str, Any] = {"value": value, "by": self.author, "at": self.now()}
            if note is not None:
                fields["note"] = note
            if existing is None:
                try:
                    return tx.insert(Answer(id=aid, initiative_id=initiative.id, key=key, **fields))
                except ValidationError as exc:
                    raise BadInput(validation_message(exc)) from None
            if existing.deleted:
                fields["deleted"] = False
            return tx.save(existing, **fields)

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
