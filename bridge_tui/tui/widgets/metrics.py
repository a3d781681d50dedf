"""Small charts: the score history and one sparkline per metric.

Dumb widgets: the screen hands them what the service loaded (`var`s: setting one redraws the
panel through its watcher, whose `update` lays it out again); they only draw it. Colours are
theme variables, so every theme (and a monochrome terminal) stays readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from bridge_tui import method, scoring
from bridge_tui.sustain import Sustain

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


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _with_unit(value: float, unit: str) -> str:
    if not unit:
        return _number(value)
    return f"{_number(value)}{unit}" if unit == "%" else f"{_number(value)} {unit}"


class ScoreHistoryPanel(Static):
    """The readiness total after each answer change, on a fixed 0..20 scale."""

    DEFAULT_CSS = "ScoreHistoryPanel { height: auto; }"

    #: (when, total) after each answer change; setting any of the three redraws the panel
    points: var[tuple[tuple[datetime, int], ...]] = var((), always_update=True, init=False)
    maximum: var[int] = var(method.MAX_SCORE, always_update=True, init=False)
    threshold: var[int] = var(method.PASSING_SCORE, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)

    def show(self, points: Sequence[tuple[datetime, int]], *, maximum: int, threshold: int) -> None:
        """All three at once, drawn once."""
        self.set_reactive(ScoreHistoryPanel.maximum, maximum)
        self.set_reactive(ScoreHistoryPanel.threshold, threshold)
        self.points = tuple(points)

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        title = ("Score history", "bold")
        if not self.points:
            self.update(Content.assemble(title, "\n", ("No item answered yet.", "$text-muted")))
            return
        totals = [t for _, t in self.points]
        width = max(8, self.size.width - 2) if self.size.width else 40
        line = spark(totals, width, 0, self.maximum)
        first, last = self.points[0][0], self.points[-1][0]
        changes = len(self.points)
        self.update(
            Content.assemble(
                title,
                (f"  {totals[-1]}/{self.maximum} now", "bold"),
                (f"  (pass line {self.threshold})", "$text-muted"),
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

    watch_points = watch_maximum = watch_threshold = _draw


class MetricsPanel(Static):
    """One sparkline per metric with its latest value, target and unit."""

    DEFAULT_CSS = "MetricsPanel { height: auto; }"

    #: the readings, what they say about readiness and the staleness and volume in use;
    #: setting any of the three redraws the panel
    series: var[tuple[scoring.MetricSeries, ...]] = var((), always_update=True, init=False)
    evidence: var[scoring.MetricEvidence] = var(
        scoring.MetricEvidence((), ()), always_update=True, init=False
    )
    sustain: var[Sustain | None] = var(None, always_update=True, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)

    def show(
        self,
        series: Sequence[scoring.MetricSeries],
        evidence: scoring.MetricEvidence,
        sustain_view: Sustain | None = None,
    ) -> None:
        """`sustain_view` adds the staleness of each metric and the share of the designed
        volume in use. All three at once, drawn once."""
        self.set_reactive(MetricsPanel.evidence, evidence)
        self.set_reactive(MetricsPanel.sustain, sustain_view)
        self.series = tuple(series)

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        parts: list[Content | str | tuple[str, str]] = [("Metrics", "bold")]
        volume = self.sustain.volume_text() if self.sustain is not None else None
        if not self.series:
            parts += ["\n", ("No readings recorded yet.", "$text-muted")]
            if volume:
                parts += ["\n", (volume, "$text-muted")]
            self.update(Content.assemble(*parts))
            return
        stale = {m.name: m.days for m in self.sustain.stale} if self.sustain is not None else {}
        name_width = min(18, max(len(s.name) for s in self.series))
        chart_width = 12
        for s in self.series:
            lo = min([*s.values, *([s.target] if s.target is not None else [])])
            hi = max([*s.values, *([s.target] if s.target is not None else [])])
            name = s.name if len(s.name) <= name_width else s.name[: name_width - 1] + "…"
            latest = _with_unit(s.latest, s.unit) if s.latest is not None else "-"
            target = "no target" if s.target is None else f"target {_with_unit(s.target, s.unit)}"
            parts += [
                "\n",
                f"{name:<{name_width}} ",
                (spark(s.values, chart_width, lo, hi), "$accent"),
                " ",
                (latest, "bold"),
                (f" · {target}", "$text-muted"),
            ]
            if s.name in self.evidence.stable:
                parts.append(("  steady at target", "$success"))
            if s.name in self.evidence.stalled_adoption:
                parts.append((f"  stalled under {method.ADOPTION_FLOOR:g}%", "$warning"))
            if s.name in stale:
                parts.append((f"  stale: last read {stale[s.name]} days ago", "$warning"))
        if volume and self.sustain is not None:
            flagged = self.sustain.volume_flagged
            parts += ["\n", (volume, "$warning" if flagged else "$text-muted")]
        self.update(Content.assemble(*parts))

    watch_series = watch_evidence = watch_sustain = _draw
