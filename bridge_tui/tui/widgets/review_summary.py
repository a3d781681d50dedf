"""The end of the review: what was decided, ready to be saved as minutes."""

from __future__ import annotations

from textual.widgets import Static

from bridge_tui import method
from bridge_tui.service.portfolio import DECISION_LABEL, DECISIONS, ReviewSummary


class ReviewSummaryView(Static):
    def show(self, summary: ReviewSummary, minutes_name: str | None) -> None:
        counts = summary.counts()
        lines = [
            "[b]Review finished[/b]" if summary.session.finished_at else "[b]Review so far[/b]",
            ", ".join(f"{counts[d]} {d}" for d in DECISIONS)
            + (f"; {summary.pending} not reviewed" if summary.pending else ""),
            "",
        ]
        for n, (i, r) in enumerate(summary.rows, 1):
            name = i.name.replace("[", r"\[")
            stage = method.STAGE_BY_ID[i.stage].label
            if r is None:
                lines.append(f"{n:>3}. {name} [dim]({stage})[/]: [dim]not reviewed[/]")
                continue
            note = f" [dim]{r.note.replace('[', chr(92) + '[')}[/]" if r.note else ""
            lines.append(
                f"{n:>3}. {name} [dim]({stage})[/]: [$accent]{DECISION_LABEL[r.decision]}[/]{note}"
            )
        lines.append("")
        if minutes_name:
            lines.append(f"[$success]Minutes saved as {minutes_name} (next to the bridge file).[/]")
        else:
            lines.append("Press [b]m[/b] to save the minutes as Markdown next to the bridge file.")
        lines.append("Press [b]escape[/b] to go back.")
        self.update("\n".join(lines))
