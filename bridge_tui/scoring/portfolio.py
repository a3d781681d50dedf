"""The portfolio: kill candidates, what blocks, the heat map, the review order and the overview."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from bridge_tui import method
from bridge_tui.scoring.cards import board_key, is_active
from bridge_tui.scoring.flags import (
    days_in_stage,
    purgatory_days,
    purgatory_flag,
    review_overdue,
)
from bridge_tui.scoring.score import (
    AnswerMap,
    _value,
    readiness,
)
from bridge_tui.scoring.stored import StoredScore

if TYPE_CHECKING:
    from bridge_tui.models import Initiative
    from bridge_tui.stage_history import History, StageEvent

#: "below 8/20 after 180 days" (domain rule for kill candidates)
KILL_SCORE_FLOOR = method.KILL_SCORE_FLOOR
KILL_AFTER_DAYS = method.KILL_AFTER_DAYS
#: stages whose initiatives are being promoted: the fourth question asks about their owner/budget
PROMOTED_STAGES: tuple[str, ...] = (method.PRODUCTIONIZE, method.INFRASTRUCTURE)


def has_owner(initiative: Initiative) -> bool:
    """A named owner: the owner field holds a name."""
    return bool(initiative.owner.strip())


def has_maintenance_budget(initiative: Initiative, answers: AnswerMap) -> bool:
    """Money for upkeep is there: an amount above zero, or the `maintenance_budget` signal met;
    and the signal is not explicitly answered "no" (an amount with "no" means the funding is
    not committed, e.g. it waits for the next budget round)."""
    return _has_upkeep(initiative, _value(answers, "maintenance_budget"))


def _has_upkeep(initiative: Initiative, signal: str) -> bool:
    """`has_maintenance_budget` with the `maintenance_budget` signal's answer at hand."""
    if signal == "no":
        return False
    return initiative.maintenance_budget > 0 or signal == "yes"


def age_days(initiative: Initiative, today: date) -> int:
    """Days since the initiative was created (its whole life, across every stage)."""
    return max(0, (today - initiative.created_at.date()).days)


def kill_reasons(
    initiative: Initiative,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
    *,
    score: StoredScore | None = None,
) -> tuple[str, ...]:
    """Why an active initiative is a kill candidate (empty when it is not one). `score`: its
    kept score, read instead of `answers`.

    The rule (domain.md):
    - in pilot purgatory (more than 180 days in pilot or validate) with no named owner, or with
      no maintenance budget (see `has_maintenance_budget`);
    - or, in any active stage, a readiness score below 8/20 when the initiative is more than
      180 days old. Age counts from creation, not from the last stage move: half a year of
      effort that has not reached 8 points is the signal, and moving a card must not reset it.
    """
    days = purgatory_days(initiative, today, history)
    if score is not None:
        return _kill_reasons(initiative, score.upkeep, today, score.total, days)
    upkeep = _value(answers, "maintenance_budget")
    return _kill_reasons(initiative, upkeep, today, readiness(answers).total, days)


def _kill_reasons(
    initiative: Initiative, upkeep: str, today: date, total: int, purgatory: int
) -> tuple[str, ...]:
    """`kill_reasons` with the readiness total and the purgatory days already computed."""
    if not is_active(initiative):
        return ()
    out: list[str] = []
    if purgatory_flag(purgatory):
        where = "in pilot purgatory (Pilot and Validate)"
        if not has_owner(initiative):
            out.append(f"{where} for {purgatory} days with no named owner")
        if not _has_upkeep(initiative, upkeep):
            out.append(f"{where} for {purgatory} days with no maintenance budget")
    age = age_days(initiative, today)
    if total < method.KILL_SCORE_FLOOR and age > method.KILL_AFTER_DAYS:
        out.append(f"readiness {method.score_text(total)} after {age} days")
    return tuple(out)


def kill_candidate(
    initiative: Initiative,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
) -> bool:
    """Should the review consider killing it? See `kill_reasons` for the rule."""
    return bool(kill_reasons(initiative, answers, today, history))


def what_blocks(initiative: Initiative, answers: AnswerMap) -> tuple[str, ...]:
    """What keeps it from the next stage: the next gate's unmet requirements; for an
    initiative already in Infrastructure that is not yet real infrastructure, its failing
    tests. Empty when nothing does."""
    return StoredScore.of(initiative, answers).blocks


class Blocked(NamedTuple):
    """Question 2 for one initiative."""

    initiative_id: str
    #: the stage it would enter next (None when already in Infrastructure)
    next_stage: str | None
    #: unmet requirements of the next gate (or failing tests in Infrastructure)
    unmet: tuple[str, ...]
    #: blocker tags set on the initiative
    blockers: tuple[str, ...]


class Promoted(NamedTuple):
    """Question 4 for one initiative being promoted."""

    initiative_id: str
    owner: str
    #: a named owner who can carry `owned`: one person, not the pilot builder
    has_owner: bool
    maintenance_budget: float
    has_maintenance_budget: bool
    #: why the owner on record does not count (`OwnerIssue.sentence`), "" when it does
    owner_note: str = ""

    @property
    def missing(self) -> tuple[str, ...]:
        out = []
        if not self.has_owner:
            out.append("owner")
        if not self.has_maintenance_budget:
            out.append("maintenance budget")
        return tuple(out)


class KillCandidate(NamedTuple):
    initiative_id: str
    reasons: tuple[str, ...]


HEAT_TEST_COLUMNS: tuple[str, ...] = tuple(t.id for t in method.TESTS)
#: heat map columns, in display order; `heat_sort_key` sorts by any of them
HEAT_COLUMNS: tuple[str, ...] = (
    "name",
    "stage",
    *(c.id for c in method.CATEGORIES),
    "total",
    *HEAT_TEST_COLUMNS,
)


class HeatRow(NamedTuple):
    """One row of the heat map: the five category shares, the total and the four tests."""

    initiative_id: str
    name: str
    stage: str
    #: category id -> (met, max), in the method's order
    categories: tuple[tuple[str, int, int], ...]
    total: int
    passing: bool
    tests: tuple[tuple[str, bool | None], ...]

    def category(self, category_id: str) -> tuple[int, int]:
        for cid, met, mx in self.categories:
            if cid == category_id:
                return met, mx
        raise KeyError(category_id)

    def test(self, test_id: str) -> bool | None:
        return dict(self.tests)[test_id]


def heat_row(initiative: Initiative, answers: AnswerMap) -> HeatRow:
    return _heat_row(initiative, StoredScore.of(initiative, answers))


def _heat_row(initiative: Initiative, score: StoredScore) -> HeatRow:
    return HeatRow(
        initiative.id,
        initiative.name,
        initiative.stage,
        score.category_points,
        score.total,
        score.passing,
        score.test_items,
    )


_TEST_RANK = {True: 2, None: 1, False: 0}


def heat_sort_key(row: HeatRow, column: str) -> tuple[object, ...]:
    """Sort key for one heat-map column, ascending (weakest first for scores and tests).

    name: case-insensitive name; stage: board order; a category: share of its points met;
    total: points; a test: failing, then unanswered, then passing. Ties fall back to board
    order (stage, then name, then id) so a sort is always the same.
    """
    tail = board_key(row.initiative_id, row.stage, row.name)
    if column == "name":
        return (row.name.casefold(), row.initiative_id)
    if column == "stage":
        return tail
    if column == "total":
        return (row.total, *tail)
    if column in method.CATEGORY_BY_ID:
        met, mx = row.category(column)
        return (met / mx, *tail)
    if column in method.TEST_BY_ID:
        return (_TEST_RANK[row.test(column)], *tail)
    raise ValueError(f"unknown heat map column '{column}'")


def sort_heat_rows(
    rows: Iterable[HeatRow], column: str, reverse: bool = False, *, in_board_order: bool = False
) -> list[HeatRow]:
    """Rows sorted by `column`; `reverse` flips only the column, never the tie-break (board
    order), so equal values keep a repeatable order either way. `in_board_order`: the rows
    are in board order already (`Overview.heat` is), so that order is not sorted again."""
    if in_board_order:
        tie_broken = list(rows)
    else:
        tie_broken = sorted(rows, key=lambda r: board_key(r.initiative_id, r.stage, r.name))
    if column == "stage" and not reverse:
        return tie_broken  # the map's first order, at every opening: sorted once, not twice
    return sorted(tie_broken, key=lambda r: heat_sort_key(r, column)[0], reverse=reverse)  # type: ignore[arg-type,return-value]


def stuck_rank(
    initiative: Initiative,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
) -> int:
    """0 = flagged (pilot purgatory, review overdue or kill candidate), 1 = on its way,
    2 = real infrastructure that is not overdue for review (the goal: least stuck)."""
    days = purgatory_days(initiative, today, history)
    return _stuck_rank(initiative, StoredScore.of(initiative, answers), today, days)


def _stuck_rank(initiative: Initiative, score: StoredScore, today: date, purgatory: int) -> int:
    if (
        purgatory_flag(purgatory)
        or review_overdue(initiative, today)
        or _kill_reasons(initiative, score.upkeep, today, score.total, purgatory)
    ):
        return 0
    if score.stage_three:
        return 2
    return 1


def stuck_key(
    initiative: Initiative,
    answers: AnswerMap,
    today: date,
    history: Sequence[StageEvent] | None = None,
) -> tuple[object, ...]:
    """The review's order, "most stuck first", as an ascending sort key:

    1. flagged initiatives first, real infrastructure last (`stuck_rank`);
    2. then the longest time in the current stage first;
    3. then the lowest readiness score first;
    4. then name (case-insensitive) and id, so the order is total and repeatable.
    """
    return _stuck_key(initiative, StoredScore.of(initiative, answers), today, history)


def _stuck_key(
    initiative: Initiative,
    score: StoredScore,
    today: date,
    history: Sequence[StageEvent] | None,
) -> tuple[object, ...]:
    """`stuck_key` with the initiative's score at hand (kept, or computed)."""
    days = purgatory_days(initiative, today, history)
    return (
        _stuck_rank(initiative, score, today, days),
        -days_in_stage(initiative, today),
        score.total,
        initiative.name.casefold(),
        initiative.id,
    )


def _scores_of(
    initiatives: Iterable[Initiative],
    answers: Mapping[str, AnswerMap],
    scores: Mapping[str, StoredScore] | None,
) -> Mapping[str, StoredScore]:
    """The scores to read: those given (kept in the file), or computed now from `answers`."""
    if scores is not None:
        return scores
    return {i.id: StoredScore.of(i, answers.get(i.id, {})) for i in initiatives}


def review_order(
    initiatives: Iterable[Initiative],
    answers: Mapping[str, AnswerMap],
    today: date,
    histories: Mapping[str, History] | None = None,
    scores: Mapping[str, StoredScore] | None = None,
) -> list[Initiative]:
    """Every active initiative, most stuck first (see `stuck_key`). `scores`: each one's
    score as kept in the file (`StoredScore`), read instead of scoring `answers` again."""
    active = [i for i in initiatives if is_active(i)]
    hist = histories or {}
    kept = _scores_of(active, answers, scores)
    return sorted(active, key=lambda i: _stuck_key(i, kept[i.id], today, hist.get(i.id)))


@dataclass(frozen=True)
class Overview:
    """Every figure of the overview screen and the reports, computed once."""

    today: date
    #: active initiatives in board order (stage, name, id)
    active: tuple[str, ...]
    #: question 1: the active ones that are real infrastructure (stage three)
    infrastructure: tuple[str, ...]
    #: question 2: each active one that is not yet real infrastructure, with what blocks it
    blocked: tuple[Blocked, ...]
    #: question 3
    kill_candidates: tuple[KillCandidate, ...]
    #: question 4: every initiative in productionize or infrastructure
    promoted: tuple[Promoted, ...]
    #: stage id -> number of initiatives, every stage in board order (killed included)
    funnel: tuple[tuple[str, int], ...]
    heat: tuple[HeatRow, ...]
    purgatory: tuple[str, ...]
    review_overdue: tuple[str, ...]
    #: blocker id -> number of active initiatives carrying it, in the method's order
    blocker_counts: tuple[tuple[str, int], ...]
    names: Mapping[str, str] = field(default_factory=dict)
    #: initiative id -> days in Pilot and Validate together, for those in `purgatory`
    purgatory_days: Mapping[str, int] = field(default_factory=dict)

    @property
    def promoted_missing(self) -> tuple[Promoted, ...]:
        return tuple(p for p in self.promoted if p.missing)

    @property
    def killed(self) -> int:
        return dict(self.funnel).get(method.KILLED, 0)


def _board_order(initiatives: Iterable[Initiative]) -> list[Initiative]:
    return sorted(initiatives, key=lambda i: board_key(i.id, i.stage, i.name))


def overview(
    initiatives: Iterable[Initiative],
    answers: Mapping[str, AnswerMap],
    today: date,
    histories: Mapping[str, History] | None = None,
    scores: Mapping[str, StoredScore] | None = None,
    *,
    in_board_order: bool = False,
) -> Overview:
    """The portfolio's four questions and the overview's figures, from initiatives, their
    answers (initiative id -> answer map) and stage histories (initiative id -> events, for
    pilot purgatory; see `history_of`). Deleted initiatives are ignored. `scores`: each
    active initiative's score as kept in the file, read instead of scoring `answers` again.
    `in_board_order`: `initiatives` are in board order already (not sorted again)."""
    living = (i for i in initiatives if not i.deleted)
    everyone = list(living) if in_board_order else _board_order(living)
    active = [i for i in everyone if is_active(i)]

    infra: list[str] = []
    blocked: list[Blocked] = []
    kills: list[KillCandidate] = []
    promoted: list[Promoted] = []
    heat: list[HeatRow] = []
    blockers = {b: 0 for b in method.BLOCKER_IDS}
    hist = histories or {}
    purgatory: dict[str, int] = {}
    kept = _scores_of(active, answers, scores)
    # One pass over each initiative's score (kept in the file, or computed once here).
    for i in active:
        s = kept[i.id]
        days = purgatory_days(i, today, hist.get(i.id))
        if purgatory_flag(days):
            purgatory[i.id] = days
        if s.stage_three:
            infra.append(i.id)
        else:
            blocked.append(Blocked(i.id, method.next_stage(i.stage), s.blocks, i.blockers))
        if reasons := _kill_reasons(i, s.upkeep, today, s.total, days):
            kills.append(KillCandidate(i.id, reasons))
        if i.stage in PROMOTED_STAGES:
            issue = s.owner_issue
            promoted.append(
                Promoted(
                    i.id,
                    i.owner,
                    issue is None,
                    i.maintenance_budget,
                    _has_upkeep(i, s.upkeep),
                    issue.sentence() if issue is not None else "",
                )
            )
        heat.append(_heat_row(i, s))
        for b in i.blockers:
            blockers[b] += 1
    counts = {s: 0 for s in method.STAGE_IDS}
    for i in everyone:
        counts[i.stage] += 1
    return Overview(
        today=today,
        active=tuple(i.id for i in active),
        infrastructure=tuple(infra),
        blocked=tuple(blocked),
        kill_candidates=tuple(kills),
        promoted=tuple(promoted),
        funnel=tuple(counts.items()),
        heat=tuple(heat),
        purgatory=tuple(purgatory),
        review_overdue=tuple(i.id for i in active if review_overdue(i, today)),
        blocker_counts=tuple(blockers.items()),
        names={i.id: i.name for i in everyone},
        purgatory_days=purgatory,
    )
