"""Flow over time: how long crossing the bridge takes, where initiatives stall and die.

Pure (no I/O, no textual, no sqlite): the store hands over the change-log rows that set an
initiative's stage (with the forced mark and the move reason of the same transaction) and the
stored stage of each live initiative; this module replays them into stays and counts.

Definitions (the README and docs/method.md say the same in plain words):

- A **stay** runs from the day an initiative enters a stage to the day it enters the next one;
  the last stay is still open ("still there"). Creating an initiative is its first entry.
  Days are calendar days between the two entry days (a move on the day of entry is 0 days).
- **entered**: entries into the stage: every move into it counts, forward, forced, back
  (from a later stage), revived (from Killed) and creation; a move of several stages is one
  entry, into the stage it lands in. **left**: stays in the stage that ended.
- **median_days** and **p90_days**: over finished stays only. The median is the middle value
  (the mean of the two middle ones for an even count); the 90th percentile is the nearest
  rank (the smallest stay that at least 90% of stays are no longer than).
- **still_there**: the initiatives in the stage today, with the median and 90th percentile of
  their age in it (days since they entered), read the same way.
- **conversion** `a_to_b`: of the initiatives that entered `a`, the share that later reached
  `b` or a stage beyond it (by any move, forced ones included, even if they fell back
  afterwards). `pilot_to_infrastructure` likewise. An initiative counts once per cohort.
- **killed_from**: kills by the stage the initiative was killed from.
- **quarters**: calendar quarters; `entered` counts entries into each stage in the quarter,
  `crossed` the entries into Infrastructure (the crossings of the bridge).
- `since`: only entries, exits, kills and crossings on or after that day count, time in
  stage reads the stays that ended on or after it, and a conversion cohort is formed by the
  entries on or after it. `still_there` is always today's portfolio.

A **forced** move is one made past an unmet gate with a written reason; a move **back** is one
into an earlier stage of the flow. Both are entries like any other and are also counted apart
(`StageFlow.forced_in`, `StageFlow.back_in`) so a slide can say "12 entered, 3 forced".
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

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


# figures -----------------------------------------------------------------------------------------


def median(values: Sequence[int]) -> float | None:
    """The middle value; the mean of the two middle ones for an even count (one decimal)."""
    if not values:
        return None
    s = sorted(values)
    n = len(s)
    mid = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return round(float(mid), 1)


def p90(values: Sequence[int]) -> int | None:
    """Nearest rank: the smallest value that at least 90% of the values do not exceed."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(0.9 * len(s)) - 1)]


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(q: tuple[int, int]) -> str:
    return f"{q[0]}-Q{q[1]}"


def quarter_bounds(q: tuple[int, int]) -> tuple[date, date]:
    year, n = q
    start = date(year, 3 * (n - 1) + 1, 1)
    end = date(year + 1, 1, 1) if n == 4 else date(year, 3 * n + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def _next_quarter(q: tuple[int, int]) -> tuple[int, int]:
    return (q[0] + 1, 1) if q[1] == 4 else (q[0], q[1] + 1)


def _spread(days: list[int], ids: list[str]) -> Spread:
    return Spread(len(days), median(days), p90(days), tuple(ids))


def compute(initiatives: Iterable[Initiative], today: date, since: date | None = None) -> Flow:
    """Every figure of the flow (see the module docstring for each definition)."""
    idx = {s: n for n, s in enumerate(method.FLOW)}
    entered = dict.fromkeys(method.STAGE_IDS, 0)
    left = dict.fromkeys(method.STAGE_IDS, 0)
    forced_in = dict.fromkeys(method.STAGE_IDS, 0)
    back_in = dict.fromkeys(method.STAGE_IDS, 0)
    revived_in = dict.fromkeys(method.STAGE_IDS, 0)
    done_days: dict[str, list[int]] = {s: [] for s in method.STAGE_IDS}
    done_ids: dict[str, list[str]] = {s: [] for s in method.STAGE_IDS}
    now_days: dict[str, list[int]] = {s: [] for s in method.STAGE_IDS}
    now_ids: dict[str, list[str]] = {s: [] for s in method.STAGE_IDS}
    killed_from = dict.fromkeys(method.FLOW, 0)
    cohort = dict.fromkeys(CONVERSION_KEYS, 0)
    reached = dict.fromkeys(CONVERSION_KEYS, 0)
    by_quarter: dict[tuple[int, int], dict[str, int]] = {}
    crossed_ids: dict[tuple[int, int], list[str]] = {}
    first_day: date | None = None
    all_stays: list[Stay] = []
    names: dict[str, str] = {}
    targets: dict[str, list[tuple[str, int]]] = {}
    targets.setdefault(PILOT, []).append(
        (step_key(PILOT, method.INFRASTRUCTURE), idx[method.INFRASTRUCTURE])
    )
    for a, b in STEPS:
        targets.setdefault(a, []).append((step_key(a, b), idx[b]))
    killed = method.KILLED
    infra = method.INFRASTRUCTURE

    for ini in initiatives:
        names[ini.id] = ini.name
        own = stays(ini, today)
        all_stays.extend(own)
        # the furthest flow stage reached from each stay on (for the conversion cohorts)
        best_after = [-1] * (len(own) + 1)
        for n in range(len(own) - 1, -1, -1):
            best_after[n] = max(best_after[n + 1], idx.get(own[n].stage, -1))
        counted: set[str] = set()
        for n, st in enumerate(own):
            s, start, end, came = st.stage, st.start, st.end, st.came_from
            if end is None:
                now_days[s].append(max(0, (today - start).days))
                now_ids[s].append(ini.id)
            elif since is None or end >= since:
                left[s] += 1
                done_days[s].append((end - start).days)
                done_ids[s].append(ini.id)
            if since is not None and start < since:
                continue
            entered[s] += 1
            if st.forced:
                forced_in[s] += 1
            if came is not None:
                if came == killed:
                    revived_in[s] += 1
                elif s == killed:
                    killed_from[came] += 1
                elif idx[s] < idx[came]:
                    back_in[s] += 1
            q = (start.year, (start.month - 1) // 3 + 1)
            row = by_quarter.get(q)
            if row is None:
                row = by_quarter[q] = dict.fromkeys(method.STAGE_IDS, 0)
            row[s] += 1
            if s == infra:
                crossed_ids.setdefault(q, []).append(ini.id)
            if first_day is None or start < first_day:
                first_day = start
            for key, target in targets.get(s, ()):
                if key not in counted:
                    counted.add(key)
                    cohort[key] += 1
                    reached[key] += best_after[n + 1] >= target

    counts = Counts(entered, left, forced_in, back_in, revived_in, killed_from, cohort, reached)
    done = {s: _spread(done_days[s], done_ids[s]) for s in method.STAGE_IDS}
    now = {s: _spread(now_days[s], now_ids[s]) for s in method.STAGE_IDS}
    return assemble(
        today, since, counts, done, now, by_quarter, crossed_ids, first_day, all_stays, names
    )


@dataclass(frozen=True)
class Counts:
    """The counts of `compute`, per stage (and per conversion key), before they are a `Flow`."""

    entered: dict[str, int]
    left: dict[str, int]
    forced_in: dict[str, int]
    back_in: dict[str, int]
    revived_in: dict[str, int]
    killed_from: dict[str, int]
    cohort: dict[str, int]
    reached: dict[str, int]


def assemble(
    today: date,
    since: date | None,
    counts: Counts,
    done: dict[str, Spread],
    now: dict[str, Spread],
    by_quarter: dict[tuple[int, int], dict[str, int]],
    crossed_ids: dict[tuple[int, int], list[str]],
    first_day: date | None,
    stays: list[Stay] | None = None,
    names: dict[str, str] | None = None,
) -> Flow:
    """A `Flow` from its counts: the stages, the quarters from the first entry counted (or
    `since`) to today, the conversions. Shared by `compute` and the store's counting in SQL
    (`store/flowfigures.py`), which must agree with it."""
    stages = {
        s: StageFlow(
            s,
            counts.entered[s],
            counts.left[s],
            done[s],
            now[s],
            counts.forced_in[s],
            counts.back_in[s],
            counts.revived_in[s],
        )
        for s in method.STAGE_IDS
    }
    quarters: list[Quarter] = []
    start_day = since or first_day
    if start_day is not None and start_day <= today:
        q, last = quarter_of(start_day), quarter_of(today)
        while q <= last:
            start, end = quarter_bounds(q)
            row = {**dict.fromkeys(method.STAGE_IDS, 0), **by_quarter.get(q, {})}
            ids = tuple(crossed_ids.get(q, ()))
            quarters.append(Quarter(quarter_label(q), start, end, row, len(ids), ids))
            q = _next_quarter(q)
    conversion = {k: Conversion(k, counts.cohort[k], counts.reached[k]) for k in CONVERSION_KEYS}
    return Flow(
        today,
        since,
        stages,
        conversion,
        dict(counts.killed_from),
        quarters,
        stays if stays is not None else [],
        names if names is not None else {},
    )


def to_json(flow: Flow) -> dict[str, Any]:
    """The `bridge flow --json` document: exactly `stages`, `conversion`, `killed_from` and
    `quarters` (README: "Flow over time")."""
    return {
        "stages": {
            s: {
                "entered": f.entered,
                "left": f.left,
                "median_days": f.finished.median_days,
                "p90_days": f.finished.p90_days,
                "still_there": {
                    "count": f.still_there.count,
                    "median_days": f.still_there.median_days,
                    "p90_days": f.still_there.p90_days,
                },
            }
            for s, f in flow.stages.items()
        },
        "conversion": {k: c.share for k, c in flow.conversion.items()},
        "killed_from": dict(flow.killed_from),
        "quarters": [
            {"quarter": q.label, "entered": dict(q.entered), "crossed": q.crossed}
            for q in flow.quarters
        ],
    }


# the pictures' data ------------------------------------------------------------------------------


def cumulative(flow: Flow, points: int = 24) -> tuple[list[date], dict[str, list[int]]]:
    """The cumulative flow diagram: for `points` days from the first entry to today, how many
    initiatives were in each stage at the end of that day (a stay counts from its first day up
    to the day before it ended)."""
    if not flow.stays:
        return [flow.today], {s: [0] for s in method.STAGE_IDS}
    first = min(st.start for st in flow.stays)
    if flow.since is not None:
        first = max(first, flow.since)
    first = min(first, flow.today)
    span = (flow.today - first).days
    n = max(1, min(points, span + 1))
    days = [date.fromordinal(first.toordinal() + round(span * k / max(1, n - 1))) for k in range(n)]
    if n == 1:
        days = [flow.today]
    delta = {s: [0] * (n + 1) for s in method.STAGE_IDS}
    for st in flow.stays:
        row = delta[st.stage]
        row[bisect_left(days, st.start)] += 1  # first point on or after its first day
        if st.end is not None:
            row[bisect_left(days, st.end)] -= 1  # first point on or after the day it left
    out: dict[str, list[int]] = {}
    for s, row in delta.items():
        total, series = 0, []
        for k in range(n):
            total += row[k]
            series.append(total)
        out[s] = series
    return days, out


def in_stage_on(flow: Flow, stage: str, day: date) -> list[str]:
    """Ids of the initiatives in `stage` at the end of `day` (a band of the diagram)."""
    return [
        st.initiative_id
        for st in flow.stays
        if st.stage == stage and st.start <= day and (st.end is None or st.end > day)
    ]


def entered_in(flow: Flow, stage: str, quarter: Quarter) -> list[str]:
    """Ids of the initiatives that entered `stage` in `quarter` (once each, in entry order)."""
    seen: dict[str, None] = {}
    for st in flow.stays:
        in_window = flow.since is None or st.start >= flow.since
        if st.stage == stage and quarter.start <= st.start <= quarter.end and in_window:
            seen.setdefault(st.initiative_id, None)
    return list(seen)


def histogram(days: Sequence[int], bins: Sequence[int]) -> list[int]:
    """Counts of `days` in the buckets [0, b1), [b1, b2), ..., [b_last, inf)."""
    out = [0] * (len(bins) + 1)
    for d in days:
        k = 0
        while k < len(bins) and d >= bins[k]:
            k += 1
        out[k] += 1
    return out


#: the buckets of the time-in-stage chart, in days (a month, a quarter, half a year, a year)
BUCKETS: tuple[int, ...] = (30, 90, 180, 365)
BUCKET_LABELS: tuple[str, ...] = ("<30d", "30-89d", "90-179d", "180-364d", "1y+")


def stay_days(flow: Flow, stage: str, *, finished: bool) -> list[tuple[str, int]]:
    """(initiative id, days) of the stays in `stage`: the finished ones (in the window) or the
    ones still open."""
    out = []
    for st in flow.stays:
        if st.stage != stage or (st.end is None) == finished:
            continue
        if finished and flow.since is not None and st.end is not None and st.end < flow.since:
            continue
        out.append((st.initiative_id, st.days(flow.today)))
    return out


def in_bucket(flow: Flow, stage: str, bucket: int, *, finished: bool = True) -> list[str]:
    """Ids behind one bar of the time-in-stage chart."""
    lo = 0 if bucket == 0 else BUCKETS[bucket - 1]
    hi = BUCKETS[bucket] if bucket < len(BUCKETS) else None
    return [
        i
        for i, d in stay_days(flow, stage, finished=finished)
        if d >= lo and (hi is None or d < hi)
    ]


def timeline(initiative: Initiative, today: date) -> list[Stay]:
    """One initiative's own stays, oldest first (the board's detail pane shows them)."""
    return stays(initiative, today)
