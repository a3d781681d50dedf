"""The shared scoring package: every number the app, the CLI and the reports show comes from here.

Pure functions over models and plain mappings; `today` is always a parameter; no I/O, no Textual,
no SQLite. Answers are passed as a mapping of answer key -> "yes" / "no" / "unknown"; a key
that is missing counts as unanswered.

One module per part of the method, every public name re-exported here (`scoring.card`,
`scoring.PlanStatus`, ...):

- `score`: answer maps, the readiness score, the four infrastructure tests, the scale verdict;
- `gates`: what a move between stages needs;
- `flags`: days in stage, pilot purgatory, review due, the budget warning;
- `cards`: one initiative at a glance (`Card`) and the `bridge score` report;
- `metrics`: metric readings as series and as evidence;
- `plan`: the 90-day plan's calendar, progress and verdict;
- `portfolio`: kill candidates, what blocks, the heat map, the review order, the overview;
- `stored`: an initiative's score as the one row the file keeps of it (`StoredScore`).

`portfolio`, `metrics` and `plan` load the first time one of their names is used (the board's
first paint uses none of them: `tests/unit/test_lazy_imports.py`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bridge_tui.ownership import OwnerIssue, effective_answers, owner_issue, reads_as_group
from bridge_tui.scoring.cards import (
    Card,
    ScoreReport,
    board_key,
    card,
    initiative_tests,
    is_active,
    score_report,
)
from bridge_tui.scoring.flags import (
    BUDGET_MULTIPLE,
    PURGATORY_DAYS,
    REVIEW_DAYS,
    budget_warning,
    budget_warning_due,
    budget_warning_text,
    days_in_stage,
    days_since_review,
    history_of,
    in_purgatory,
    purgatory_days,
    purgatory_flag,
    review_overdue,
    share_band,
)
from bridge_tui.scoring.gates import (
    GateCheck,
    entry_check,
    forced_mark,
    gate_check,
    move_check,
    next_gate,
)
from bridge_tui.scoring.score import (
    AnswerMap,
    Band,
    CategoryScore,
    Readiness,
    ScaleVerdict,
    all_tests_pass,
    answer_map,
    initiative_scale,
    readiness,
    scale_verdict,
    stage_three,
    tests,
    tristate,
)
from bridge_tui.scoring.stored import StoredScore
from bridge_tui.stage_history import History, StageEvent

if TYPE_CHECKING:  # loaded by `__getattr__` when first used (see above)
    from bridge_tui.scoring.metrics import (
        ADOPTION_FLOOR,
        STABLE_READINGS,
        MetricEvidence,
        MetricSeries,
        metric_evidence,
        metric_series,
    )
    from bridge_tui.scoring.plan import (
        PLAN_DAYS,
        MonthProgress,
        MonthState,
        PlanPhase,
        PlanStatus,
        PlanTaskLike,
        Verdict,
        effective_due,
        month_of_day,
        month_range,
        next_quarterly_review,
        plan_day,
        plan_end,
        plan_finished,
        plan_phase,
        plan_status,
        task_overdue,
        timeline_key,
    )
    from bridge_tui.scoring.portfolio import (
        HEAT_COLUMNS,
        HEAT_TEST_COLUMNS,
        KILL_AFTER_DAYS,
        KILL_SCORE_FLOOR,
        PROMOTED_STAGES,
        Blocked,
        HeatRow,
        KillCandidate,
        Overview,
        Promoted,
        age_days,
        has_maintenance_budget,
        has_owner,
        heat_row,
        heat_sort_key,
        kill_candidate,
        kill_reasons,
        overview,
        review_order,
        sort_heat_rows,
        stuck_key,
        stuck_rank,
        what_blocks,
    )

__all__ = [
    "ADOPTION_FLOOR",
    "BUDGET_MULTIPLE",
    "HEAT_COLUMNS",
    "HEAT_TEST_COLUMNS",
    "KILL_AFTER_DAYS",
    "KILL_SCORE_FLOOR",
    "PLAN_DAYS",
    "PROMOTED_STAGES",
    "PURGATORY_DAYS",
    "REVIEW_DAYS",
    "STABLE_READINGS",
    "AnswerMap",
    "Band",
    "Blocked",
    "Card",
    "CategoryScore",
    "GateCheck",
    "HeatRow",
    "History",
    "KillCandidate",
    "MetricEvidence",
    "MetricSeries",
    "MonthProgress",
    "MonthState",
    "Overview",
    "OwnerIssue",
    "PlanPhase",
    "PlanStatus",
    "PlanTaskLike",
    "Promoted",
    "Readiness",
    "ScaleVerdict",
    "ScoreReport",
    "StageEvent",
    "StoredScore",
    "Verdict",
    "age_days",
    "all_tests_pass",
    "answer_map",
    "board_key",
    "budget_warning",
    "budget_warning_due",
    "budget_warning_text",
    "card",
    "days_in_stage",
    "days_since_review",
    "effective_answers",
    "effective_due",
    "entry_check",
    "forced_mark",
    "gate_check",
    "has_maintenance_budget",
    "has_owner",
    "heat_row",
    "heat_sort_key",
    "history_of",
    "in_purgatory",
    "initiative_scale",
    "initiative_tests",
    "is_active",
    "kill_candidate",
    "kill_reasons",
    "metric_evidence",
    "metric_series",
    "month_of_day",
    "month_range",
    "move_check",
    "next_gate",
    "next_quarterly_review",
    "overview",
    "owner_issue",
    "plan_day",
    "plan_end",
    "plan_finished",
    "plan_phase",
    "plan_status",
    "purgatory_days",
    "purgatory_flag",
    "readiness",
    "reads_as_group",
    "review_order",
    "review_overdue",
    "scale_verdict",
    "score_report",
    "share_band",
    "sort_heat_rows",
    "stage_three",
    "stuck_key",
    "stuck_rank",
    "task_overdue",
    "tests",
    "timeline_key",
    "tristate",
    "what_blocks",
]

#: the parts loaded when one of their names is first asked for, not with the package
_LATER = (
    "bridge_tui.scoring.portfolio",
    "bridge_tui.scoring.metrics",
    "bridge_tui.scoring.plan",
)
_MISSING = object()


def _later(name: str) -> Any:
    """A public name of a part in `_LATER` (`scoring.plan_status`, `scoring.PlanStatus`...):
    its module loads now, once; the board's first paint uses none of them."""
    if name in __all__:
        for part in _LATER:
            found = getattr(importlib.import_module(part), name, _MISSING)
            if found is not _MISSING:
                globals()[name] = found
                return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if not TYPE_CHECKING:  # mypy sees the names imported above, and no catch-all
    __getattr__ = _later
