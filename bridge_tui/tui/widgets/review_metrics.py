"""Metric readings as one text sparkline per metric, with what they say about readiness.

Used by the review card, aligned with its label column. The sparkline is the checklist's
(`metrics.spark`), so a series reads the same on both screens.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.reactive import var
from textual.widgets import Static

from bridge_tui import method, scoring
from bridge_tui.text import reading_text
from bridge_tui.tui.widgets.metrics import spark
from bridge_tui.tui.widgets.review_card import Piece, themed


def sparkline(values: Sequence[float], width: int = 16) -> str:
    """The last `width` values as block characters scaled between their min and max."""
    return spark(list(values)[-width:], width)


class MetricSparklines(Static):
    """A "Metrics" row per metric, aligned with the review card's label column."""

    LABEL_WIDTH = 11

    #: the initiative's metrics; setting it redraws (its watcher's `update` lays it out again)
    series: var[tuple[scoring.MetricSeries, ...] | None] = var(None, always_update=True, init=False)

    def watch_series(self, series: tuple[scoring.MetricSeries, ...] | None) -> None:
        if series is None:
            return
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(width=self.LABEL_WIDTH, no_wrap=True, style="bold")
        grid.add_column(ratio=1)
        if not series:
            none = themed(self, ("none recorded (bridge metric add)", "dim"))
            grid.add_row(Text("Metrics"), none)
        for n, s in enumerate(series):
            line: list[Piece] = [
                s.name,
                " ",
                (sparkline(s.values), "$primary"),
                " ",
                (reading_text(s.latest, s.unit) if s.latest is not None else "", "bold"),
            ]
            if s.target is not None:
                line += [" ", (f"target {reading_text(s.target, s.unit)}", "dim")]
            if s.stable_at_target:
                line += ["  ", (f"at target {method.STABLE_READINGS} readings running", "$success")]
            elif s.adoption_stalled:
                line += ["  ", (f"adoption stalls under {method.ADOPTION_FLOOR:g}%", "$error")]
            grid.add_row(Text("Metrics" if n == 0 else ""), themed(self, *line))
        self.update(grid)
