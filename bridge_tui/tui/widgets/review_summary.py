"""The end of the review: what was decided, ready to be saved as minutes."""

from __future__ import annotations

from typing import NamedTuple

from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from bridge_tui import method
from bridge_tui.models import DECISION_LABEL, DECISIONS, ReviewSummary

#: a piece of a line: plain text or (text, style); names and notes are never markup
Piece = str | tuple[str, str]


class Shown(NamedTuple):
    """What the view shows: the session's decisions, and the minutes' file name once saved."""

    summary: ReviewSummary
    minutes_name: str | None


class ReviewSummaryView(Static):
    #: setting it redraws the view (its watcher's `update` lays it out again)
    shown: var[Shown | None] = var(None, always_update=True, init=False)

    def watch_shown(self, shown: Shown | None) -> None:
        if shown is None:
            return
        summary, minutes_name = shown
        counts = summary.counts()
        title = "Review finished" if summary.session.finished_at else "Review so far"
        lines: list[list[Piece]] = [
            [(title, "bold")],
            [
                ", ".join(f"{counts[d]} {d}" for d in DECISIONS)
                + (f"; {summary.pending} not reviewed" if summary.pending else "")
            ],
            [],
        ]
        for n, (i, r) in enumerate(summary.rows, 1):
            stage = method.STAGE_BY_ID[i.stage].label
            head: list[Piece] = [f"{n:>3}. ", i.name, " ", (f"({stage})", "dim"), ": "]
            if r is None:
                lines.append([*head, ("not reviewed", "dim")])
                continue
            note: list[Piece] = [" ", (r.note, "dim")] if r.note else []
            lines.append([*head, (DECISION_LABEL[r.decision], "$accent"), *note])
        lines.append([])
        if minutes_name:
            saved = f"Minutes saved as {minutes_name} (next to the bridge file)."
            lines.append([(saved, "$success")])
        else:
            how = " to save the minutes as Markdown next to the bridge file."
            lines.append(["Press ", ("m", "bold"), how])
        lines.append(["Press ", ("escape", "bold"), " to go back."])
        self.update(Content("\n").join(Content.assemble(*line) for line in lines))
