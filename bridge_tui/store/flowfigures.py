"""The flow's figures counted by SQLite over the kept stays (`flowlog`), for 10,000 initiatives
in a blink: the same definitions as `flow.compute` (the module docstring of `bridge_tui.flow`),
which stays the reference. `tests/store/test_flowfigures.py` checks that both agree on random
portfolios; the counts here go through `flow.assemble` like the pure ones. The stays of
deleted initiatives are not kept, so no pass joins the initiatives (but the crossings'
order, a handful of rows).

What the figures need and SQL does not give cheaply stays out: the list of every stay and the
names (the Flow screen, which lists initiatives, uses `flow.compute` in a thread).
"""

from __future__ import annotations

import sqlite3
from datetime import date

from bridge_tui import flow, method

#: the stays counted as entries: `since` is :since (an ordinal, or NULL for all)
_IN_WINDOW = "(:since IS NULL OR start >= :since)"
#: the stage after which each conversion is counted, and the stage (place in the flow) to reach
_TARGETS: dict[str, list[tuple[str, int]]] = {}
for _a, _b in [(flow.PILOT, method.INFRASTRUCTURE), *flow.STEPS]:
    _TARGETS.setdefault(_a, []).append((flow.step_key(_a, _b), method.FLOW.index(_b)))


def _ranks(n: int) -> tuple[int, ...]:
    """The 0-based places in a sorted list of `n` that the median and the 90th percentile
    (nearest rank) read, as `flow.median` and `flow.p90` read them."""
    middle = (n // 2,) if n % 2 else (n // 2 - 1, n // 2)
    return (*middle, max(0, (9 * n + 9) // 10 - 1))


def _spread(values: dict[int, int], n: int) -> flow.Spread:
    if not n:
        return flow.Spread(0, None, None)
    *middle, at90 = _ranks(n)
    mid = values[middle[0]] if len(middle) == 1 else (values[middle[0]] + values[middle[1]]) / 2
    return flow.Spread(n, round(float(mid), 1), values[at90])


def _finished(conn: sqlite3.Connection, p: dict[str, object]) -> dict[str, flow.Spread]:
    """Finished stays (those that ended on or after `since`): count, median and 90th
    percentile of their days, read by walking the `flow_stays_finished` index to each rank."""
    where = "finish IS NOT NULL AND (:since IS NULL OR finish >= :since)"
    counts = dict(
        conn.execute(f"SELECT stage, count(*) FROM flow_stays WHERE {where} GROUP BY stage", p)
    )
    out = {}
    for stage in method.STAGE_IDS:
        n = counts.get(stage, 0)
        values = {
            k: conn.execute(
                f"SELECT days FROM flow_stays WHERE stage = :stage AND {where}"
                " ORDER BY days LIMIT 1 OFFSET :k",
                {**p, "stage": stage, "k": k},
            ).fetchone()[0]
            for k in (set(_ranks(n)) if n else ())
        }
        out[stage] = _spread(values, n)
    return out


def _still_there(conn: sqlite3.Connection, p: dict[str, object]) -> dict[str, flow.Spread]:
    """Open stays: count, median and 90th percentile of their age (days since they began,
    never below 0), walking the `flow_stays_open` index from the latest start."""
    counts = dict(
        conn.execute("SELECT stage, count(*) FROM flow_stays WHERE finish IS NULL GROUP BY stage")
    )
    today = int(p["today"])  # type: ignore[call-overload]
    out = {}
    for stage in method.STAGE_IDS:
        n = counts.get(stage, 0)
        values = {
            k: max(
                0,
                today
                - conn.execute(
                    "SELECT start FROM flow_stays WHERE stage = :stage AND finish IS NULL"
                    " ORDER BY start DESC LIMIT 1 OFFSET :k",
                    {"stage": stage, "k": k},
                ).fetchone()[0],
            )
            for k in (set(_ranks(n)) if n else ())
        }
        out[stage] = _spread(values, n)
    return out


def figures(conn: sqlite3.Connection, today: date, since: date | None) -> flow.Flow:
    """Every figure of `flow.compute` but the stays and names, counted in SQL: four passes
    over the stays of live initiatives (`flow_stays` holds only those)."""
    p: dict[str, object] = {
        "today": today.toordinal(),
        "since": since.toordinal() if since is not None else None,
    }
    zero = dict.fromkeys(method.STAGE_IDS, 0)
    entered, forced_in, back_in, revived_in = dict(zero), dict(zero), dict(zero), dict(zero)
    killed_from = dict.fromkeys(method.FLOW, 0)
    by_quarter: dict[tuple[int, int], dict[str, int]] = {}
    first: int | None = None
    for stage, quarter, came, n, forced, back, earliest in conn.execute(
        "SELECT stage, quarter, came, count(*), sum(forced), sum(back), min(start)"
        f" FROM flow_stays WHERE {_IN_WINDOW} GROUP BY stage, quarter, came",
        p,
    ):
        entered[stage] += n
        forced_in[stage] += forced
        back_in[stage] += back
        if came == method.KILLED:
            revived_in[stage] += n
        elif stage == method.KILLED and came is not None:
            killed_from[came] += n
        row = by_quarter.setdefault(divmod(quarter, 10), {})
        row[stage] = row.get(stage, 0) + n
        first = earliest if first is None else min(first, earliest)
    done = _finished(conn, p)
    left = {s: done[s].count for s in method.STAGE_IDS}
    now = _still_there(conn, p)
    crossed: dict[tuple[int, int], list[str]] = {}
    for quarter, ident in conn.execute(
        "SELECT s.quarter, s.initiative_id FROM flow_stays s JOIN initiatives i"
        " ON i.id = s.initiative_id WHERE s.stage = :infra"
        " AND (:since IS NULL OR s.start >= :since) ORDER BY i.created_at, i.id, s.seq",
        {**p, "infra": method.INFRASTRUCTURE},
    ):
        crossed.setdefault(divmod(quarter, 10), []).append(ident)
    cohort = dict.fromkeys(flow.CONVERSION_KEYS, 0)
    reached = dict.fromkeys(flow.CONVERSION_KEYS, 0)
    # each initiative's first stay in a stage within the window, with the furthest place it
    # reached after that stay (`best`): from the start of the log, its first stay there
    marks = ", ".join(f"'{a}'" for a in _TARGETS)
    if since is None:
        sql = (
            f"SELECT stage, best, count(*) FROM flow_stays WHERE nth = 1 AND stage IN ({marks})"
            " GROUP BY stage, best"
        )
    else:
        sql = (
            "SELECT stage, best, count(*) FROM flow_stays s WHERE stage IN"
            f" ({marks}) AND start >= :since AND NOT EXISTS (SELECT 1 FROM flow_stays t"
            " WHERE t.initiative_id = s.initiative_id AND t.seq < s.seq AND t.stage = s.stage"
            " AND t.start >= :since) GROUP BY stage, best"
        )
    for stage, best, n in conn.execute(sql, p):
        for key, target in _TARGETS[stage]:
            cohort[key] += n
            if best >= target:
                reached[key] += n
    counts = flow.Counts(
        entered, left, forced_in, back_in, revived_in, killed_from, cohort, reached
    )
    first_day = date.fromordinal(first) if first is not None else None
    return flow.assemble(today, since, counts, done, now, by_quarter, crossed, first_day)
