"""The portfolio timeline: one row per initiative with a plan, across its 90 days.

Each row shows the three months as segments filled by their progress (red where a month has
ended with tasks open), today marked on that plan's own calendar, then the day, the share done
and the status. It is an OptionList (line API), so a portfolio of thousands stays fast; the
screen sets plain rows in `shown` and handles `enter` (OptionList.OptionSelected).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from textual import events
from textual.content import Content
from textual.reactive import var
from textual.widgets.option_list import Option

from bridge_tui import method
from bridge_tui.scoring import PlanStatus
from bridge_tui.tui.widgets.kept_lines import KeptLinesOptionList
from bridge_tui.tui.widgets.plan_header import day_column

DONE_WIDTH = 13


@dataclass(frozen=True)
class Columns:
    """Cell widths of a row; narrower terminals get shorter names and status."""

    name: int
    strip: int
    day: int
    status: int

    @classmethod
    def fit(cls, width: int) -> Columns:
        name, day, status = (24, 12, 21) if width >= 120 else (16, 11, 17)
        return cls(name, max(10, width - name - day - DONE_WIDTH - status), day, status)


@dataclass(frozen=True)
class TimelineEntry:
    initiative_id: str
    name: str
    stage: str
    status: PlanStatus


def status_words(entry: TimelineEntry) -> tuple[str, str]:
    """A short status and its style."""
    s = entry.status
    if entry.stage == method.KILLED:
        return "killed", "$text-muted"
    if s.behind:
        return f"behind · {len(s.late)} late", "bold $error"
    if s.total and s.done == s.total:
        return "complete", "$success"
    if s.phase == "not_started":
        return "not started", "$text-muted"
    if s.overdue:
        return f"on track · {len(s.overdue)} overdue", "$warning"
    return "on track", "$success"


def strip(s: PlanStatus, width: int) -> Content:
    """The 90 days of one plan in `width` cells."""
    if width < 3:
        return Content("")
    bounds = [day_column(method.MONTH_DAYS * (m - 1) + 1, width) for m in (1, 2, 3)] + [width]
    today_col: int | None = None
    if s.phase == "running":
        today_col = day_column(s.day, width)
    elif s.phase == "sustain":
        today_col = width - 1
    cells: list[tuple[str, str]] = []
    for m in (1, 2, 3):
        p = s.month(m)
        a, b = bounds[m - 1], bounds[m]
        seg = b - a
        filled = round(p.share * seg)
        full_style = "$success" if p.complete else "$primary"
        empty_style = "$error" if p.state == "behind" else "$text-muted"
        for n in range(seg):
            cells.append(("█", full_style) if n < filled else ("░", empty_style))
    if today_col is not None:
        cells[today_col] = ("┃", "bold $warning")
    # One span per run of equal style: a thousand rows stay cheap to build.
    runs: list[tuple[str, str]] = []
    for text, style in cells:
        if runs and runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + text, style)
        else:
            runs.append((text, style))
    return Content.assemble(*runs)


def row_prompt(entry: TimelineEntry, width: int) -> Content:
    s = entry.status
    cols = Columns.fit(width)
    name = entry.name if len(entry.name) <= cols.name - 1 else entry.name[: cols.name - 2] + "…"
    if s.phase == "running":
        day = f"day {s.day:>2}/{method.PLAN_DAYS}"
    elif s.phase == "sustain":
        day = f"day {s.day} ▶"
    else:
        day = f"in {1 - s.day} days"
    words, style = status_words(entry)
    return Content.assemble(
        (name.ljust(cols.name), "bold" if s.behind else ""),
        strip(s, cols.strip),
        (f" {day}".ljust(cols.day), "$text-muted"),
        (f"{s.done:>3}/{s.total:<3}{s.percent:>4}%  ", ""),
        (words, style),
    )


def header_line(width: int) -> Content:
    cols = Columns.fit(width)
    strip_width = cols.strip
    third = strip_width // 3
    months = "".join(
        f"M{m} {method.PLAN_TEMPLATE[m - 1].label}"[: third - 1].ljust(third) for m in (1, 2, 3)
    ).ljust(strip_width)
    return Content.assemble(
        ("Initiative".ljust(cols.name), "bold"),
        (months, "bold"),
        (" day".ljust(cols.day), "bold"),
        ("done".center(7) + "      ", "bold"),
        ("status", "bold"),
    )


class TimelineShown(NamedTuple):
    """What the timeline shows: its rows, and the initiative to highlight (None: the one
    highlighted now, when it is still there)."""

    entries: list[TimelineEntry]
    keep: str | None = None


class PlanTimeline(KeptLinesOptionList):
    """Rows of `TimelineEntry`; option ids are initiative ids."""

    #: setting it builds the rows again (a reload, even unchanged)
    shown: var[TimelineShown | None] = var(None, always_update=True, init=False)

    def _width(self) -> int:
        # Options have one cell of padding each side; keep one more for the scrollbar.
        width = self.scrollable_content_region.width or self.app.size.width
        return max(40, width - 3)

    def watch_shown(self, shown: TimelineShown | None) -> None:
        if shown is not None:
            self._rebuild(shown.keep)

    @property
    def entries(self) -> list[TimelineEntry]:
        return self.shown.entries if self.shown is not None else []

    def _rebuild(self, keep: str | None = None) -> None:
        if keep is None and self.highlighted_option is not None:
            keep = self.highlighted_option.id
        width = self._width()
        entries = self.entries
        self.set_options([Option(row_prompt(e, width), id=e.initiative_id) for e in entries])
        ids = [e.initiative_id for e in entries]
        if ids:
            self.highlighted = ids.index(keep) if keep in ids else 0

    def header(self) -> Content:
        return header_line(self._width())

    def on_resize(self, event: events.Resize) -> None:
        if self.entries:
            self._rebuild()
