"""The flow's moves and stays: change-log rows replayed into each initiative's stays, and
the figures' types."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from bridge_tui import method
from bridge_tui.stage_history import StageEvent

#: one change-log row as the store reads it for the flow: (initiative id, transaction, field,
#: stage set or None, stage_entered_at set or None, forced_reason set or None, move_reason set
#: or None). A new row (field "*") sets all four; other rows set the one they name.
FlowRow = tuple[str, str, str, str | None, str | None, str | None, str | None]

#: the stage pairs of `conversion`, after `pilot_to_infrastructure`
STEPS: tuple[tuple[str, str], ...] = tuple(zip(method.FLOW, method.FLOW[1:], strict=False))
PILOT = "pilot"


def step_key(a: str, b: str) -> str:
    return f"{a}_to_{b}"


CONVERSION_KEYS: tuple[str, ...] = (
    step_key(PILOT, method.INFRASTRUCTURE),
    *(step_key(a, b) for a, b in STEPS),
)


class Move(NamedTuple):
    """The initiative entered `stage` on `day`; `forced` when the move was forced past a gate.
    (A named tuple: the flow reads tens of thousands of them.)"""

    day: date
    stage: str
    forced: bool = False


class Stay(NamedTuple):
    """One stay of one initiative in one stage (a named tuple: a portfolio has tens of
    thousands)."""

    initiative_id: str
    stage: str
    start: date
    #: the day it left (entered the next stage); None while it is still there
    end: date | None
    #: the stage it came from; None when it was created in this stage
    came_from: str | None
    forced: bool = False

    @property
    def back(self) -> bool:
        """Entered by a move back (from a later stage of the flow)."""
        flow = method.FLOW
        return (
            self.came_from in flow
            and self.stage in flow
            and flow.index(self.stage) < flow.index(self.came_from)
        )

    @property
    def revived(self) -> bool:
        return self.came_from == method.KILLED

    def days(self, today: date) -> int:
        return max(0, ((self.end or today) - self.start).days)


@dataclass(frozen=True)
class Initiative:
    """What the flow needs of one live initiative: its moves and its stored stage."""

    id: str
    name: str
    stage: str
    entered: date
    moves: tuple[Move, ...] = ()


@dataclass(frozen=True)
class Spread:
    count: int
    median_days: float | None
    p90_days: int | None
    #: the initiatives behind the figure (ids, in stay order)
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageFlow:
    stage: str
    entered: int
    left: int
    finished: Spread
    still_there: Spread
    forced_in: int
    back_in: int
    revived_in: int


@dataclass(frozen=True)
class Conversion:
    key: str
    cohort: int
    reached: int

    @property
    def share(self) -> float | None:
        return round(self.reached / self.cohort, 3) if self.cohort else None


@dataclass(frozen=True)
class Quarter:
    label: str
    start: date
    end: date
    entered: dict[str, int]
    crossed: int
    #: the initiatives that crossed into Infrastructure in the quarter
    crossed_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    today: date
    since: date | None
    stages: dict[str, StageFlow]
    conversion: dict[str, Conversion]
    killed_from: dict[str, int]
    quarters: list[Quarter]
    stays: list[Stay] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)


# replay ------------------------------------------------------------------------------------------


def replay(rows: Iterable[FlowRow]) -> dict[str, tuple[Move, ...]]:
    """initiative id -> its moves, oldest first, from change-log rows in log order.

    The same rule as `stage_history.replay` (one transaction that sets the stage is one move,
    on the `stage_entered_at` it leaves), and a move is forced when, after its transaction,
    the initiative carries a forced mark equal to the move's reason: a forced move writes its
    reason to both, while a move through open gates leaves the reason apart from any mark it
    keeps."""
    out: dict[str, list[Move]] = {}
    state: dict[str, list[str | None]] = {}  # id -> [stage, day, forced_reason, move_reason]
    open_tx: dict[str, str] = {}
    moved: dict[str, bool] = {}

    def flush(ident: str) -> None:
        if moved.get(ident):
            s, d, fr, mr = state[ident]
            if s in method.STAGE_IDS and d:
                try:
                    day = date.fromisoformat(d)
                except (TypeError, ValueError):
                    day = None  # a malformed day in a hand-made log: the stored row decides
                if day is not None:
                    forced = bool(fr) and fr == mr
                    out.setdefault(ident, []).append(Move(day, s, forced))
        moved[ident] = False

    for ident, tx, _field, new_stage, new_day, new_forced, new_reason in rows:
        if open_tx.get(ident) != tx:
            flush(ident)
            open_tx[ident] = tx
        st = state.get(ident)
        if st is None:
            st = state[ident] = [None, None, None, None]
        if new_stage is not None:
            st[0] = new_stage
            moved[ident] = True
        if new_day is not None:
            st[1] = new_day
        if new_forced is not None:
            st[2] = new_forced
        if new_reason is not None:
            st[3] = new_reason
    for ident in list(open_tx):
        flush(ident)
    return {k: tuple(v) for k, v in out.items()}


def events(moves: Sequence[Move]) -> tuple[StageEvent, ...]:
    """The moves as `stage_history` events (the purgatory rules read those)."""
    return tuple(StageEvent(m.day, m.stage) for m in moves)


def stays(initiative: Initiative, today: date) -> list[Stay]:
    """The initiative's stays, oldest first. When the log does not end in the stored stage (a
    file without a log, a hand-made import) the stored stage and day close it, as
    `stage_history.complete` does; a move into the stage it is already in is no new stay."""
    moves = initiative.moves
    if not moves or moves[-1].stage != initiative.stage:
        moves = (*moves, Move(initiative.entered, initiative.stage))
    kept: list[Move] = []
    last = None
    for m in moves:
        if m.stage != last:
            kept.append(m)
            last = m.stage
    ident = initiative.id
    out: list[Stay] = []
    came: str | None = None
    for n in range(len(kept) - 1):
        day, stage, forced = kept[n]
        after = kept[n + 1].day
        out.append(Stay(ident, stage, day, after if after > day else day, came, forced))
        came = stage
    day, stage, forced = kept[-1]
    out.append(Stay(ident, stage, day, None, came, forced))
    return out
