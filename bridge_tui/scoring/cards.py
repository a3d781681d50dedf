"""One initiative at a glance: its card, its place in board order, and the score report
`bridge score` prints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from bridge_tui import method
from bridge_tui.ownership import OwnerIssue, effective_answers, owner_issue
from bridge_tui.scoring.flags import (
    days_in_stage,
    purgatory_days,
    purgatory_flag,
    review_overdue,
)
from bridge_tui.scoring.gates import GateCheck, forced_mark, next_gate
from bridge_tui.scoring.score import (
    AnswerMap,
    Readiness,
    ScaleVerdict,
    _stage_three,
    initiative_scale,
    readiness,
    stage_three,
    tests,
)

if TYPE_CHECKING:
    from bridge_tui.records import InitiativeFacts
    from bridge_tui.stage_history import StageEvent


_STAGE_RANK = {s: n for n, s in enumerate(method.STAGE_IDS)}


def board_key(ident: str, stage: str, name: str) -> tuple[int, str, str]:
    """Board order, the one definition: stage columns left to right, then name (any case),
    then id. The board, `[`/`]`, the review agenda and the reports all follow it."""
    return (_STAGE_RANK[stage], name.casefold(), ident)


def is_active(initiative: InitiativeFacts) -> bool:
    """Active = neither killed nor deleted."""
    return not initiative.deleted and initiative.stage != method.KILLED


#: the initiative a card or report was made from: its model, or a one-shot read's record
InitiativeT = TypeVar("InitiativeT", bound="InitiativeFacts")


class Card(NamedTuple, Generic[InitiativeT]):
    """Everything a card, a detail pane or a report line shows about one initiative."""

    initiative: InitiativeT
    readiness: Readiness
    tests: dict[str, bool | None]
    scale: ScaleVerdict
    next_gate: GateCheck | None
    days_in_stage: int
    purgatory: bool
    review_overdue: bool
    stage_three: bool
    #: days in Pilot and Validate together (0 elsewhere)
    purgatory_days: int = 0
    #: the forced mark's reason while the gates into its stage are unmet ("" when none)
    forced_reason: str = ""
    #: why the owner on record cannot carry `owned` / `operational_owner` (None: they can)
    owner_issue: OwnerIssue | None = None

    @property
    def forced(self) -> bool:
        return bool(self.forced_reason)


def initiative_tests(initiative: InitiativeFacts, answers: AnswerMap) -> dict[str, bool | None]:
    """The four tests of one initiative: `owned` holds only with a proper owner on record."""
    return tests(effective_answers(initiative, answers))


def card(
    initiative: InitiativeT,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
) -> Card[InitiativeT]:
    """`history`: its stage events from the change log (see `history_of`)."""
    issue = owner_issue(initiative)
    results = tests(effective_answers(initiative, answers, issue))
    days = purgatory_days(initiative, today, history)
    return Card(
        initiative=initiative,
        readiness=readiness(answers),
        tests=results,
        scale=initiative_scale(initiative, answers),
        next_gate=next_gate(initiative, answers),
        days_in_stage=days_in_stage(initiative, today),
        purgatory=purgatory_flag(days),
        review_overdue=review_overdue(initiative, today),
        stage_three=_stage_three(initiative, results),
        purgatory_days=days,
        forced_reason=forced_mark(initiative, answers),
        owner_issue=issue,
    )


class ScoreReport(NamedTuple, Generic[InitiativeT]):
    """What `bridge score` reports about one initiative; `as_json` is its `--json` document."""

    initiative: InitiativeT
    readiness: Readiness
    #: the four tests, `owned` only with a proper owner on record (`initiative_tests`)
    tests: dict[str, bool | None]
    stage_three: bool
    scale: ScaleVerdict
    next_gate: GateCheck | None

    def as_json(self) -> dict[str, object]:
        """The exact document `bridge score --json` prints: its keys are a fixed contract."""
        r, sv, ng = self.readiness, self.scale, self.next_gate
        return {
            "id": self.initiative.id,
            "name": self.initiative.name,
            "stage": self.initiative.stage,
            "readiness": {
                "total": r.total,
                "max": r.max,
                "threshold": r.threshold,
                "passing": r.passing,
                "unanswered": r.unanswered,
                "categories": {c.id: {"met": c.met, "max": c.max} for c in r.categories},
                "weakest": list(r.weakest),
                "unmet": list(r.unmet),
            },
            "tests": dict(self.tests),
            "stage_three": self.stage_three,
            "scale": {
                "ready": sv.ready,
                "missing": list(sv.missing),
                "false_signals": list(sv.false_signals),
                "warning": sv.warning,
            },
            "next_gate": None
            if ng is None
            else {"to": ng.target, "allowed": ng.allowed, "unmet": list(ng.unmet)},
        }


def score_report(initiative: InitiativeT, answers: AnswerMap) -> ScoreReport[InitiativeT]:
    """The readiness score, tests, scale verdict and next gate of one initiative."""
    return ScoreReport(
        initiative=initiative,
        readiness=readiness(answers),
        tests=initiative_tests(initiative, answers),
        stage_three=stage_three(initiative, answers),
        scale=initiative_scale(initiative, answers),
        next_gate=next_gate(initiative, answers),
    )
