"""An initiative's score as one plain row: what the file keeps so a whole portfolio is not
scored again on every read (`store/scorelog.py` keeps the rows; this maps score <-> row).

The row holds the parts of `card` that do not depend on the day: readiness, the four tests
(owner-aware), stage three, the scale verdict, the next gate, the forced mark, the owner issue,
and the `maintenance_budget` signal's answer (the overview's fourth question reads it). Days in
stage, pilot purgatory and review due depend on the day and stay computed (they are cheap).

A row is a tuple in `COLUMNS` order; `score_row` makes it from an initiative and its answers,
`StoredScore` reads it back and rebuilds each part only when it is asked for. A row equals
`score_row` of the same initiative and answers, or it is stale: `RULES` names the rules a row
was made under, so a bridge whose scoring rules change (bump it) never reads an older row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from bridge_tui import method
from bridge_tui.ownership import OwnerIssue, effective_answers, owner_issue
from bridge_tui.scoring.cards import Card
from bridge_tui.scoring.flags import (
    days_in_stage,
    purgatory_days,
    purgatory_flag,
    review_overdue,
)
from bridge_tui.scoring.gates import GateCheck, forced_mark, next_gate
from bridge_tui.scoring.score import (
    AnswerMap,
    CategoryScore,
    Readiness,
    ScaleVerdict,
    _stage_three,
    initiative_scale,
    readiness,
    tests,
)

if TYPE_CHECKING:
    from bridge_tui.records import InitiativeFacts
    from bridge_tui.stage_history import StageEvent

#: the version of the scoring rules the rows are made under: bump it whenever a change to
#: `scoring` or `method` can change any part of a row, so older rows are made again
RULES = 1

#: the row's columns, in order (the `scores` table of migration m005 has the same)
COLUMNS: tuple[str, ...] = (
    "initiative_id",
    "rules",
    "stage",
    "total",
    "passing",
    "unanswered",
    "categories",
    "tests",
    "stage_three",
    "forced_reason",
    "upkeep",
    "blocks",
    "detail",
)

Row = tuple[str, int, str, int, int, int, str, str, int, str, str, str, str]

_TEST_IDS: tuple[str, ...] = tuple(t.id for t in method.TESTS)
_TEST_CHAR = {True: "y", False: "n", None: "-"}
_CHAR_TEST: dict[str, bool | None] = {"y": True, "n": False, "-": None}
#: a small count as one character ("0".."9" and on): categories hold a few points each
_ZERO = ord("0")


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def score_row(initiative: InitiativeFacts, answers: AnswerMap) -> Row:
    """The row of one initiative, freshly computed (as `card` computes each part)."""
    issue = owner_issue(initiative)
    results = tests(effective_answers(initiative, answers, issue))
    r = readiness(answers)
    scale = initiative_scale(initiative, answers)
    gate = next_gate(initiative, answers)
    detail = {
        "weakest": list(r.weakest),
        "unmet": list(r.unmet),
        "scale": [list(scale.missing), list(scale.false_signals), scale.owner_note],
        "gate": None
        if gate is None
        else [
            gate.source,
            gate.target,
            gate.allowed,
            list(gate.unmet),
            list(gate.gates),
            gate.backward,
            [list(n) for n in gate.notes],
        ],
        "owner": None if issue is None else [issue.kind, issue.owner],
    }
    return (
        initiative.id,
        RULES,
        initiative.stage,
        r.total,
        int(r.passing),
        r.unanswered,
        "".join(chr(_ZERO + c.met) + chr(_ZERO + c.unanswered) for c in r.categories),
        "".join(_TEST_CHAR[results[t]] for t in _TEST_IDS),
        int(_stage_three(initiative, results)),
        forced_mark(initiative, answers),
        answers.get("maintenance_budget", "unknown"),
        ",".join(_what_blocks(initiative.stage, results, gate)),
        _dumps(detail),
    )


def _what_blocks(
    stage: str, results: dict[str, bool | None], gate: GateCheck | None
) -> tuple[str, ...]:
    """`portfolio.what_blocks`: the next gate's unmet requirements; in Infrastructure, the
    failing tests."""
    if stage == method.INFRASTRUCTURE:
        return tuple(t for t, ok in results.items() if ok is not True)
    return () if gate is None else gate.unmet


# A portfolio's rows repeat a few hundred texts for these parts: each is decoded once.


def _categories(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((ord(text[k]) - _ZERO, ord(text[k + 1]) - _ZERO) for k in range(0, len(text), 2))


@lru_cache(maxsize=4096)
def _points(met: str) -> tuple[tuple[str, int, int], ...]:
    """(category id, met, max) from each category's points met, one character each."""
    return tuple(
        (c.id, ord(m) - _ZERO, c.max_points) for c, m in zip(method.CATEGORIES, met, strict=True)
    )


@lru_cache(maxsize=256)
def _test_results(text: str) -> tuple[bool | None, ...]:
    return tuple(_CHAR_TEST[m] for m in text)


@lru_cache(maxsize=256)
def _test_items(text: str) -> tuple[tuple[str, bool | None], ...]:
    return tuple(zip(_TEST_IDS, _test_results(text), strict=True))


@lru_cache(maxsize=4096)
def _blocks(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ()


class StoredScore(tuple[Any, ...]):
    """One row read back, as the row itself (a tuple in `COLUMNS` order): reading a
    portfolio's rows builds nothing but the row, and each part is read from it, or rebuilt
    from it, when it is first asked for. (A tuple subclass: made in C from each row SQLite
    hands back, read by index without a second object per row; 10,000 rows on every read of
    a whole portfolio.)"""

    @classmethod
    def of(cls, initiative: InitiativeFacts, answers: AnswerMap) -> StoredScore:
        """Computed now, as a row would hold it (a reader that finds no row uses this)."""
        return cls(score_row(initiative, answers))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoredScore) and tuple.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return tuple.__hash__(self)

    def __repr__(self) -> str:
        return f"StoredScore({tuple.__repr__(self)})"

    @property
    def row(self) -> Row:
        """The row as the file keeps it."""
        return tuple(self)

    # The columns read as they are, by `itemgetter` (no Python call per read: the overview
    # and the review read a few of them from each of 10,000 rows). The table's column types
    # keep these as text and integers, and the full check compares every row with a fresh
    # computation.
    if TYPE_CHECKING:

        @property
        def initiative_id(self) -> str: ...

        @property
        def stage(self) -> str: ...

        @property
        def total(self) -> int: ...

        @property
        def unanswered(self) -> int: ...

        @property
        def forced_reason(self) -> str:
            """The forced mark (`forced_mark`): "" when none."""

        @property
        def upkeep(self) -> str:
            """The answer to the `maintenance_budget` signal ("unknown" when unanswered)."""

    else:
        initiative_id = property(itemgetter(0))
        stage = property(itemgetter(2))
        total = property(itemgetter(3))
        unanswered = property(itemgetter(5))
        forced_reason = property(itemgetter(9), doc="The forced mark: '' when none.")
        upkeep = property(itemgetter(10), doc="The maintenance_budget answer.")

    @property
    def passing(self) -> bool:
        return bool(self[4])

    @property
    def categories(self) -> tuple[tuple[int, int], ...]:
        """(met, unanswered) of each category, in the method's order."""
        return _categories(self[6])

    @property
    def test_results(self) -> tuple[bool | None, ...]:
        """The four tests, owner-aware (`initiative_tests`), in the method's order."""
        return _test_results(self[7])

    @property
    def stage_three(self) -> bool:
        return bool(self[8])

    @property
    def blocks(self) -> tuple[str, ...]:
        """What keeps it from the next stage (`portfolio.what_blocks`)."""
        return _blocks(self[11])

    @cached_property
    def _detail(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self[12])
        return found

    @property
    def forced(self) -> bool:
        return bool(self.forced_reason)

    @cached_property
    def readiness(self) -> Readiness:
        cats = tuple(
            CategoryScore(c.id, met, c.max_points, un)
            for c, (met, un) in zip(method.CATEGORIES, self.categories, strict=True)
        )
        return Readiness(
            total=self.total,
            max=method.MAX_SCORE,
            threshold=method.PASSING_SCORE,
            passing=self.passing,
            unanswered=self.unanswered,
            not_met=method.MAX_SCORE - self.total - self.unanswered,
            categories=cats,
            weakest=tuple(self._detail["weakest"]),
            unmet=tuple(self._detail["unmet"]),
        )

    @property
    def tests(self) -> dict[str, bool | None]:
        """The four tests by id (`initiative_tests`)."""
        return dict(self.test_items)

    @property
    def test_items(self) -> tuple[tuple[str, bool | None], ...]:
        """(test id, result) in the method's order: a heat-map row's tests."""
        return _test_items(self[7])

    @property
    def category_points(self) -> tuple[tuple[str, int, int], ...]:
        """(category id, met, max) in the method's order: a heat-map row's categories (a
        portfolio repeats a few thousand of them at most: each is built once)."""
        return _points(self[6][0::2])

    @cached_property
    def scale(self) -> ScaleVerdict:
        missing, false, note = self._detail["scale"]
        return ScaleVerdict(
            ready=not missing and not false,
            missing=tuple(missing),
            false_signals=tuple(false),
            warning=bool(false) and bool(missing),
            owner_note=note,
        )

    @cached_property
    def next_gate(self) -> GateCheck | None:
        gate = self._detail["gate"]
        if gate is None:
            return None
        source, target, allowed, unmet, gates, backward, notes = gate
        return GateCheck(
            source,
            target,
            allowed,
            tuple(unmet),
            tuple(gates),
            backward,
            tuple((k, why) for k, why in notes),
        )

    @cached_property
    def owner_issue(self) -> OwnerIssue | None:
        found = self._detail["owner"]
        return None if found is None else OwnerIssue(found[0], found[1])

    def card(
        self, initiative: InitiativeFacts, today: date, history: Sequence[StageEvent] | None = None
    ) -> Card:
        """`scoring.card` of `initiative` (the one this row was made from), the day's parts
        computed now."""
        days = purgatory_days(initiative, today, history)
        return Card(
            initiative=initiative,
            readiness=self.readiness,
            tests=self.tests,
            scale=self.scale,
            next_gate=self.next_gate,
            days_in_stage=days_in_stage(initiative, today),
            purgatory=purgatory_flag(days),
            review_overdue=review_overdue(initiative, today),
            stage_three=self.stage_three,
            purgatory_days=days,
            forced_reason=self.forced_reason,
            owner_issue=self.owner_issue,
        )
