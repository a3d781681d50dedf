"""An initiative's stage history, replayed from the change log, and the counts read from it.

Pure (no I/O): the store hands over the change-log rows that touch `stage` and
`stage_entered_at`; `replay` turns them into the days the initiative entered each stage.
Pilot purgatory is counted from this history, not from `stage_entered_at`, because a move
between Pilot and Validate must not restart the count (domain.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple

from bridge_tui import method

#: the stages "above" pilot purgatory: reaching one stops the count; coming back from one
#: resumes it (it is not a new entry from below)
_ABOVE: frozenset[str] = frozenset({method.PRODUCTIONIZE, method.INFRASTRUCTURE})


class StageEvent(NamedTuple):
    """The initiative entered `stage` on `day` (its creation is the first event)."""

    day: date
    stage: str


History = tuple[StageEvent, ...]

#: one change-log row, as the store reads it: (initiative id, transaction, field, stage set
#: by the row or None, stage_entered_at set by the row or None). A new row (field "*") sets
#: both; a `stage` change sets the stage; a `stage_entered_at` change sets the day.
StageRow = tuple[str, str, str, str | None, str | None]


def replay(rows: Iterable[StageRow]) -> dict[str, History]:
    """initiative id -> its stage events, oldest first, from change-log rows in log order.

    A transaction that sets the stage is one event, on the `stage_entered_at` it leaves (a
    move on the same day as the last one changes no day, so the day carried over is right).
    """
    out: dict[str, list[StageEvent]] = {}
    stage: dict[str, str | None] = {}
    day: dict[str, str | None] = {}
    open_tx: dict[str, str] = {}
    moved: dict[str, bool] = {}

    def flush(ident: str) -> None:
        if moved.get(ident):
            s, d = stage.get(ident), day.get(ident)
            if s in method.STAGE_IDS and d:
                try:
                    event = StageEvent(date.fromisoformat(d), s)
                except (TypeError, ValueError):
                    event = None  # a malformed day in a hand-made log: the stored row decides
                if event is not None:
                    out.setdefault(ident, []).append(event)
        moved[ident] = False

    for ident, tx, _field, new_stage, new_day in rows:
        if open_tx.get(ident) != tx:
            flush(ident)
            open_tx[ident] = tx
        if new_stage is not None:
            stage[ident] = new_stage
            moved[ident] = True
        if new_day is not None:
            day[ident] = new_day
    for ident in list(open_tx):
        flush(ident)
    return {k: tuple(v) for k, v in out.items()}


def complete(events: Sequence[StageEvent], stage: str, entered: date) -> History:
    """The history as the rules read it: when the log does not end in the stored stage (a
    file without a log, a hand-made import), the stored stage and day close it."""
    hist = tuple(events)
    if not hist or hist[-1].stage != stage:
        hist += (StageEvent(entered, stage),)
    return hist


def purgatory_days(events: Sequence[StageEvent], today: date) -> int:
    """Days in pilot purgatory (Pilot and Validate together); 0 outside those two stages.

    - The count starts when the initiative enters Pilot or Validate from below: from
      Experiment, on a revival from Killed, or at its creation (a move of several stages goes
      through Pilot on the way).
    - It keeps running while the initiative moves between Pilot and Validate.
    - It stops when the initiative reaches Productionize or Infrastructure, or is killed.
    - Coming back down from Productionize or Infrastructure resumes it (days spent above do
      not count); only a new entry from below restarts it at zero.
    """
    if not events or events[-1].stage not in method.PURGATORY_STAGES:
        return 0
    total = 0
    before: str | None = None
    for n, ev in enumerate(events):
        end = events[n + 1].day if n + 1 < len(events) else today
        if ev.stage in method.PURGATORY_STAGES:
            if before not in method.PURGATORY_STAGES and before not in _ABOVE:
                total = 0
            total += max(0, (end - ev.day).days)
        before = ev.stage
    return total


def entered_before(events: Sequence[StageEvent], stage: str) -> bool:
    """Has the initiative been in `stage` at some point of this history?"""
    return any(ev.stage == stage for ev in events)
