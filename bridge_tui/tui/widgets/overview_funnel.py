"""The stage funnel (a bar per stage) and the blocker counts: small read-only panels.

Each holds its figures in a `var`; the screen sets it and the panel redraws through its watcher,
whose `update` also lays it out again (the number of lines follows the data)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from bridge_tui import method

BAR = "█"


def bar_lines(rows: Sequence[tuple[str, int]], width: int) -> list[tuple[str, str, int]]:
    """(label, bar, count) per row; bars scale to the largest count within `width` cells."""
    top = max((n for _, n in rows), default=0)
    out = []
    for label, n in rows:
        length = 0 if top == 0 else max(1 if n else 0, round(width * n / top))
        out.append((label, BAR * length, n))
    return out


class StageFunnel(Static):
    """Initiatives per stage as a horizontal bar chart, in board order."""

    BAR_WIDTH = 10

    #: (stage id, initiatives) in board order; setting it redraws (a reload, even unchanged)
    funnel: var[tuple[tuple[str, int], ...]] = var((), always_update=True, init=False)

    def watch_funnel(self, funnel: tuple[tuple[str, int], ...]) -> None:
        rows = [(method.STAGE_BY_ID[s].label, n) for s, n in funnel]
        lines = [Content.styled("Stage funnel", "bold")]
        for label, bar, n in bar_lines(rows, self.BAR_WIDTH):
            colour = "$text-muted" if label == "Killed" else "$primary"
            lines.append(
                Content.assemble(f"{label:<14} ", (bar, colour), f" {n}")
                if bar
                else Content(f"{label:<14} {n}")
            )
        self.update(Content("\n").join(lines))


class BlockerCounts(Static):
    """How many active initiatives carry each blocker tag."""

    BAR_WIDTH = 8

    #: (blocker id, active initiatives carrying it); setting it redraws (a reload, even unchanged)
    counts: var[tuple[tuple[str, int], ...]] = var((), always_update=True, init=False)

    def watch_counts(self, counts: tuple[tuple[str, int], ...]) -> None:
        rows = [(method.BLOCKER_BY_ID[b].label, n) for b, n in counts]
        lines = [Content.assemble(("Blockers", "bold"), " ", ("(active)", "$text-muted"))]
        for label, bar, n in bar_lines(rows, self.BAR_WIDTH):
            lines.append(
                Content.assemble(f"{label:<17} ", (bar, "$warning"), f" {n}")
                if bar
                else Content(f"{label:<17} {n}")
            )
        self.update(Content("\n").join(lines))
