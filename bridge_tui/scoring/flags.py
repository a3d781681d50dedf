"""Time-based flags (stage days, pilot purgatory, review due) and the budget warning."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bridge_tui import method, stage_history
from bridge_tui.text import number_text

if TYPE_CHECKING:
    from bridge_tui.records import InitiativeFacts
    from bridge_tui.scoring.score import Band
    from bridge_tui.stage_history import History, StageEvent

# The numbers live in `method`; these names stay for the code that reads them from here.
PURGATORY_DAYS = method.PURGATORY_DAYS
REVIEW_DAYS = method.REVIEW_DAYS
BUDGET_MULTIPLE = method.BUDGET_MULTIPLE


def days_in_stage(initiative: InitiativeFacts, today: date) -> int:
    return max(0, (today - initiative.stage_entered_at).days)


def history_of(initiative: InitiativeFacts, history: Sequence[StageEvent] | None = None) -> History:
    """Its stage history from the change log (`stage_history.replay`), closed by the stored
    stage; without a log, the stored stage and the day it was entered."""
    return stage_history.complete(history or (), initiative.stage, initiative.stage_entered_at)


def purgatory_days(
    initiative: InitiativeFacts, today: date, history: Sequence[StageEvent] | None = None
) -> int:
    """Days in Pilot and Validate together (`stage_history.purgatory_days`); 0 elsewhere."""
    if initiative.stage not in method.PURGATORY_STAGES:
        return 0
    return stage_history.purgatory_days(history_of(initiative, history), today)


def purgatory_flag(days: int) -> bool:
    """Pilot purgatory: more than `method.PURGATORY_DAYS` days in Pilot and Validate."""
    return days > method.PURGATORY_DAYS


def in_purgatory(
    initiative: InitiativeFacts, today: date, history: Sequence[StageEvent] | None = None
) -> bool:
    """Pilot purgatory: more than `method.PURGATORY_DAYS` days in Pilot and Validate together,
    counted over its stage history (a move between the two does not restart the count)."""
    return purgatory_flag(purgatory_days(initiative, today, history))


def days_since_review(initiative: InitiativeFacts, today: date) -> int:
    """Days since the last review; for one never reviewed, since it entered its stage (the
    entry into Infrastructure). A recent re-entry does not hide an old review."""
    ref = initiative.last_review_at
    if ref is None:
        ref = initiative.stage_entered_at
    return max(0, (today - ref).days)


def review_overdue(initiative: InitiativeFacts, today: date) -> bool:
    """Infrastructure with no review in the last `method.REVIEW_DAYS` days: it decays."""
    return (
        initiative.stage == method.INFRASTRUCTURE
        and days_since_review(initiative, today) > method.REVIEW_DAYS
    )


def budget_warning(initiative: InitiativeFacts) -> bool:
    """Integration budget under `method.BUDGET_MULTIPLE` times the pilot's: the usual way
    promotions run dry."""
    return initiative.integration_budget < method.BUDGET_MULTIPLE * initiative.pilot_budget


def budget_warning_due(initiative: InitiativeFacts) -> bool:
    """Show the budget warning where it matters: about to enter Productionize, or in it."""
    at_stake = (method.previous_stage(method.PRODUCTIONIZE), method.PRODUCTIONIZE)
    return initiative.stage in at_stake and budget_warning(initiative)


def share_band(share: float) -> Band:
    """A category's share of its points as a colour band (`method.SHARE_PASS` passes, under
    `method.SHARE_WARN` fails)."""
    if share >= method.SHARE_PASS:
        return "pass"
    return "warn" if share >= method.SHARE_WARN else "fail"


def budget_warning_text(initiative: InitiativeFacts) -> str:
    low, high = method.BUDGET_MULTIPLE, method.BUDGET_MULTIPLE_HIGH
    # the product without float noise (3 x 1,000.1 is 3,000.3, not 3,000.3000000000002)
    need = round(low * initiative.pilot_budget, 6)
    return (
        f"Integration budget {number_text(initiative.integration_budget)} is under {low}x the "
        f"pilot budget ({number_text(need)}); integration and operation usually cost {low} to "
        f"{high} times the pilot."
    )
