"""The 90 days as a strip the width of the screen, with today marked on it.

Two lines: the strip (days gone solid, days to come thin, a bar between months, today as a
bright block) and under it a pointer "▲ today" under today's cell with the first and last date
at the edges. Geometry only: the numbers come from `scoring.PlanStatus`.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from bridge_tui import method
from bridge_tui.scoring import PLAN_DAYS, PlanStatus
from bridge_tui.tui.widgets.plan_month import short_date


def day_column(day: int, width: int) -> int:
    """The cell (0-based) that holds plan day `day` (1..90) in a strip `width` cells wide."""
    return min(width - 1, max(0, (day - 1) * width // PLAN_DAYS))


def month_starts(width: int) -> set[int]:
    """Cells where month 2 and month 3 begin."""
    return {day_column(method.MONTH_DAYS * m + 1, width) for m in (1, 2)}


class PlanRuler(Widget):
    DEFAULT_CSS = "PlanRuler { height: 2; }"

    #: the plan's dates and today; None draws nothing. Two lines whatever it holds, so a new
    #: status repaints without a layout (and repaints even when equal, as a reload does)
    status: reactive[PlanStatus | None] = reactive(None, always_update=True)

    def render(self) -> Content:
        s = self.status
        width = self.size.width
        if s is None or width < 10:
            return Content("")
        today_col = day_column(s.day, width) if s.phase == "running" else None
        if s.phase == "sustain":
            today_col = width - 1
        edges = month_starts(width)
        cells: list[tuple[str, str]] = []
        for c in range(width):
            if c == today_col:
                cells.append(("┃", "bold $warning"))
            elif c in edges:
                cells.append(("┼", "$text-muted"))
            elif today_col is not None and c < today_col:
                cells.append(("━", "$primary"))
            else:
                cells.append(("─", "$text-muted"))
        strip = Content.assemble(*cells)
        left = short_date(s.start)
        right = short_date(s.end)
        if s.phase == "running":
            pointer = f"▲ today {short_date(s.today)}, day {s.day}"
        elif s.phase == "sustain":
            pointer = f"today {short_date(s.today)}, day {s.day} ▶"
        else:
            pointer = f"starts {short_date(s.start)}"
        line = [" "] * width
        for n, ch in enumerate(left[:width]):
            line[n] = ch
        for n, ch in enumerate(right):
            pos = width - len(right) + n
            if 0 <= pos < width:
                line[pos] = ch
        col = today_col if today_col is not None else 0
        start = col if s.phase == "running" else width - len(pointer)
        if s.phase == "running" and col + len(pointer) > width:
            # Near the right edge the pointer ends at today's cell instead.
            pointer = f"today {short_date(s.today)}, day {s.day} ▲"
            start = col - len(pointer) + 1
        start = max(0, min(start, width - len(pointer)))
        pointer_span = (start, start + len(pointer))
        for n, ch in enumerate(pointer):
            if 0 <= start + n < width:
                line[start + n] = ch
        text = "".join(line)
        labels = Content.assemble(
            (text[: pointer_span[0]], "$text-muted"),
            (text[pointer_span[0] : pointer_span[1]], "bold $warning"),
            (text[pointer_span[1] :], "$text-muted"),
        )
        return Content.assemble(strip, "\n", labels)
