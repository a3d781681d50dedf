"""The data behind the flow's pictures: the cumulative flow diagram, the time-in-stage chart
and the initiatives behind each band or bar."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import date

from bridge_tui import method
from bridge_tui.flow.moves import (
    Flow,
    Initiative,
    Quarter,
    Stay,
    stays,
)


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
