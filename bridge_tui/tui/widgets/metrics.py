"""Small charts: the score history and one sparkline per metric.

Dumb widgets: the screen sets what the service loaded in `shown` (setting it redraws the panel
through its watcher, whose `update` lays it out again); they only draw it. Colours are
theme variables, so every theme (and a monochrome terminal) stays readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from textual.content import Content
from textual.reactive import var

from bridge_tui import method, scoring
from bridge_tui.sustain import Sustain
from bridge_tui.text import reading_text
from bridge_tui.tui.widgets.fitted import FittedStatic

BLOCKS = "▁▂▃▄▅▆▇█"


def spark(
    values: Sequence[float], width: int, lo: float | None = None, hi: float | None = None
) -> str:
    """A one-line sparkline of at most `width` cells, on a fixed scale when lo/hi are given.

    When there are more values than cells, evenly spaced ones are drawn and the last value is
    always the last cell, so the line ends where the data ends.
    """
    if not values or width <= 0:
        return ""
    if len(values) > width:
        step = (len(values) - 1) / (width - 1) if width > 1 else 0
        picked = [values[round(n * step)] for n in range(width)]
        picked[-1] = values[-1]
        values = picked
    low = min(values) if lo is None else lo
    high = max(values) if hi is None else hi
    span = high - low
    top = len(BLOCKS) - 1
    cells = []
    for v in values:
        level = top // 2 if span <= 0 else round((min(max(v, low), high) - low) / span * top)
        cells.append(BLOCKS[level])
    return "".join(cells)


def _day(moment: datetime) -> str:
    return moment.astimezone().strftime("%-d %b %Y")


class HistoryShown(NamedTuple):
    """What the score history shows: (when, total) after each answer change, on a scale of
    0..`maximum` with the pass line at `threshold`."""

    points: Sequence[tuple[datetime, int]] = ()
    maximum: int = method.MAX_SCORE
    threshold: int = method.PASSING_SCORE


class ScoreHistoryPanel(FittedStatic):
    """The readiness total after each answer change, on a fixed 0..20 scale."""

    DEFAULT_CSS = "ScoreHistoryPanel { height: auto; }"

    #: setting it redraws the panel (a reload, even unchanged)
    shown: var[HistoryShown] = var(HistoryShown(), always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        title = ("Score history", "bold")
        points, maximum, threshold = self.shown
        if not points:
            self.fit(Content.assemble(title, "\n", ("No item answered yet.", "$text-muted")))
            return
        totals = [t for _, t in points]
        width = max(8, self.size.width - 2) if self.size.width else 40
        line = spark(totals, width, 0, maximum)
        first, last = points[0][0], points[-1][0]
        changes = len(points)
        self.fit(
            Content.assemble(
                title,
                (f"  {totals[-1]}/{maximum} now", "bold"),
                (f"  (pass line {threshold})", "$text-muted"),
                "\n",
                (line, "$accent"),
                "\n",
                (
                    f"first answer {_day(first)} · last change {_day(last)} · "
                    f"{changes} change{'s' if changes != 1 else ''}",
                    "$text-muted",
                ),
            )
        )

    watch_shown = _draw


class MetricsShown(NamedTuple):
    """What the metrics panel shows: the readings and what they say about readiness;
    `sustain` adds the staleness of each metric and the share of the designed volume in use."""

    series: Sequence[scoring.MetricSeries] = ()
    evidence: scoring.MetricEvidence = scoring.MetricEvidence((), ())
    sustain: Sustain | None = None


class MetricsPanel(FittedStatic):
    """One sparkline per metric with its latest value, target and unit."""

    DEFAULT_CSS = "MetricsPanel { height: auto; }"

    #: setting it redraws the panel (a reload, even unchanged)
    shown: var[MetricsShown] = var(MetricsShown(), always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        parts: list[Content | str | tuple[str, str]] = [("Metrics", "bold")]
        series, evidence, sustain = self.shown
        volume = sustain.volume_text() if sustain is not None else None
        if not series:
            parts += ["\n", ("No readings recorded yet.", "$text-muted")]
            if volume:
                parts += ["\n", (volume, "$text-muted")]
            self.fit(Content.assemble(*parts))
            return
        stale = {m.name: m.days for m in sustain.stale} if sustain is not None else {}
        name_width = min(18, max(len(s.name) for s in series))
        chart_width = 12
        for s in series:
            lo = min([*s.values, *([s.target] if s.target is not None else [])])
            hi = max([*s.values, *([s.target] if s.target is not None else [])])
            name = s.name if len(s.name) <= name_width else s.name[: name_width - 1] + "…"
            latest = reading_text(s.latest, s.unit) if s.latest is not None else "-"
            target = "no target" if s.target is None else f"target {reading_text(s.target, s.unit)}"
            parts += [
                "\n",
                f"{name:<{name_width}} ",
                (spark(s.values, chart_width, lo, hi), "$accent"),
                " ",
                (latest, "bold"),
                (f" · {target}", "$text-muted"),
            ]
            if s.name in evidence.stable:
                parts.append(("  steady at target", "$success"))
            if s.name in evidence.stalled_adoption:
                parts.append((f"  stalled under {method.ADOPTION_FLOOR:g}%", "$warning"))
            if s.name in stale:
                parts.append((f"  stale: last read {stale[s.name]} days ago", "$warning"))
        if volume and sustain is not None:
            flagged = sustain.volume_flagged
            parts += ["\n", (volume, "$warning" if flagged else "$text-muted")]
        self.fit(Content.assemble(*parts))

    watch_shown = _draw
