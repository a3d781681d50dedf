"""Use cases of the checklist scoring screen: one initiative's answers, score, history, metrics.

The screen shows numbers and computes none: everything here comes from `scoring`, and the score
history is replayed from the change log (the only copy of history the file keeps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bridge_tui import method, scoring
from bridge_tui.errors import BadInput
from bridge_tui.models import Answer, Initiative, answer_id
from bridge_tui.service.initiatives import InitiativeService

#: the change-log fields of an answer that move its score (a note alone does not)
_SCORE_FIELDS = frozenset({"value", "deleted"})


@dataclass(frozen=True)
class ScoreHistory:
    """The readiness total after each change of an item answer, oldest first."""

    points: tuple[tuple[datetime, int], ...]

    @property
    def first(self) -> datetime | None:
        """When the first item was answered."""
        return self.points[0][0] if self.points else None

    @property
    def last(self) -> datetime | None:
        """When an item answer last changed."""
        return self.points[-1][0] if self.points else None


@dataclass(frozen=True)
class ChecklistView:
    """Everything the checklist screen shows about one initiative, loaded in a few queries."""

    initiative: Initiative
    #: answer key -> the stored answer (keys never answered are absent)
    answers: dict[str, Answer]
    card: scoring.Card
    history: ScoreHistory
    metrics: tuple[scoring.MetricSeries, ...]
    evidence: scoring.MetricEvidence
    #: position in board order (0-based) and how many initiatives there are
    position: int
    count: int

    def value(self, key: str) -> str:
        a = self.answers.get(key)
        return a.value if a is not None else "unknown"

    @property
    def exit_conditions(self) -> tuple[method.ExitCondition, ...]:
        """The current stage's exit conditions (none for Killed)."""
        return method.exit_conditions_for(self.initiative.stage)


#: what `space` moves an answer to: met, then not met, then unanswered, then met again
CYCLE: dict[str, str] = {"unknown": "yes", "yes": "no", "no": "unknown"}


class ChecklistOps(InitiativeService):
    """Mixed into `Service`."""

    def score_history(self, initiative: Initiative) -> list[tuple[datetime, int]]:
        """(when, readiness total) after each change of one of the 20 item answers.

        Read from the change log newest first, replayed oldest first. A transaction that
        changes several items gives one point; a note-only change gives none.
        """
        return list(self._score_history(initiative).points)

    def _score_history(self, initiative: Initiative) -> ScoreHistory:
        key_of = {answer_id(initiative.id, item.id): item.id for item in method.ITEMS}
        changes = self.store.changes(entity_ids=tuple(key_of), newest_first=True)
        values: dict[str, str] = {}
        deleted: dict[str, bool] = {}
        points: list[tuple[datetime, int]] = []
        last_tx: str | None = None
        for change in reversed(changes):
            if change.field not in _SCORE_FIELDS:
                continue
            key = key_of[change.entity_id]
            if change.field == "value":
                values[key] = str(change.new)
            else:
                deleted[key] = bool(change.new)
            live = {k: v for k, v in values.items() if not deleted.get(k, False)}
            total = scoring.readiness(live).total
            if change.tx == last_tx:
                points[-1] = (change.at, total)
            else:
                points.append((change.at, total))
            last_tx = change.tx
        return ScoreHistory(tuple(points))

    def checklist_view(
        self,
        initiative_id: str,
        *,
        order: list[str] | None = None,
        position: tuple[int, int] | None = None,
    ) -> ChecklistView:
        """One initiative's screen. `position` (index, count) reuses a known place in board
        order, so toggling an answer does not reload every initiative; `order` (board-order
        ids) does the same when the caller already has it."""
        initiative = self.initiative(initiative_id)
        answers = {a.key: a for a in self.store.answers(initiative.id)}
        values = {k: a.value for k, a in answers.items()}
        series = tuple(self.metric_series(initiative.id))
        if position is None:
            if order is None:
                order = self.ordered_ids()
            index = order.index(initiative.id) if initiative.id in order else 0
            position = (index, len(order))
        return ChecklistView(
            initiative=initiative,
            answers=answers,
            card=scoring.card(initiative, values, self.today()),
            history=self._score_history(initiative),
            metrics=series,
            evidence=scoring.metric_evidence(series),
            position=position[0],
            count=position[1],
        )

    def step_view(
        self, initiative_id: str | None, step: int, *, order: list[str] | None = None
    ) -> ChecklistView | None:
        """The view of the initiative `step` places away in board order, wrapping around; the
        first one when `initiative_id` is None or gone; None on an empty file. `order`: the
        board-order ids, when the caller already has them."""
        if order is None:
            order = self.ordered_ids()
        if not order:
            return None
        if initiative_id not in order:
            return self.checklist_view(order[0], order=order)
        target = order[(order.index(initiative_id) + step) % len(order)]
        return self.checklist_view(target, order=order)

    def set_answer(self, initiative: Initiative, key: str, value: str) -> Answer | None:
        """Set a value, keeping the note; None (and nothing written) when it is already so."""
        if key not in method.ANSWER_KEY_SET:
            raise BadInput(f"unknown key '{key}'.")
        current = self.store.get(Answer, answer_id(initiative.id, key))
        if (current.value if current is not None else "unknown") == value:
            return None
        return self.answer(initiative, key, value)

    def set_note(self, initiative: Initiative, key: str, note: str) -> Answer | None:
        """Save an evidence note, keeping the value; None when the note is unchanged."""
        current = self.store.get(Answer, answer_id(initiative.id, key))
        note = note.strip()
        if current is not None and current.note == note:
            return None
        if current is None and not note:
            return None
        value = current.value if current is not None else "unknown"
        return self.answer(initiative, key, value, note)
