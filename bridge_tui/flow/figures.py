"""The flow's figures: time in stage, conversions, kills and quarters (`compute`), and the
`bridge flow --json` document."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bridge_tui import method
from bridge_tui.flow.moves import (
    CONVERSION_KEYS,
    PILOT,
    STEPS,
    Conversion,
    Flow,
    Initiative,
    Quarter,
    Spread,
    StageFlow,
    Stay,
    stays,
    step_key,
)


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
    """Every figure of the flow (the package docstring of `bridge_tui.flow` defines each)."""
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
