"""Use cases of the flow over time: the figures, the pictures' data, one timeline.

The rules are `bridge_tui.flow` (pure); this layer reads the stage rows of the change log and
the stored stage of every live initiative in two queries and hands them over.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from bridge_tui.errors import BadInput
from bridge_tui.service import board as board_reads
from bridge_tui.service.reports import ReportOps

if TYPE_CHECKING:  # the rules and the report load when a flow is asked for, not at start-up
    from bridge_tui import flow as rules
    from bridge_tui.report import Report
    from bridge_tui.service.initiatives import Board


class FlowOps(ReportOps):
    """Mixed into `Service`."""

    def flow_inputs(self, initiative_id: str | None = None) -> list[rules.Initiative]:
        return board_reads.flow_inputs(self.store, initiative_id)

    def flow(self, since: date | None = None) -> rules.Flow:
        """Every flow figure of the portfolio, counted from `since` (None: from the start).
        Counted by SQLite over the stays the file keeps (`store/flowfigures.py`), so without
        the list of stays and the names: `flow_detail` has those (the Flow screen)."""
        from bridge_tui import flow as rules

        today = self.today()
        if since is not None and since > today:
            raise BadInput(
                f"--since {since.isoformat()} is after today ({today.isoformat()}): "
                "give a day in the past."
            )
        counted = self.store.flow_figures(today, since)
        if counted is not None:
            return counted
        return rules.compute(self.flow_inputs(), today, since)

    def flow_detail(self, since: date | None = None) -> rules.Flow:
        """The figures with every stay and name (what the Flow screen lists), computed in
        Python from the kept moves: slower than `flow`, so the screen runs it in a thread."""
        from bridge_tui import flow as rules

        return rules.compute(self.flow_inputs(), self.today(), since)

    def stage_timeline(self, initiative_id: str) -> list[rules.Stay]:
        """One initiative's stays, oldest first, forced moves marked."""
        return board_reads.stage_timeline(self.store, initiative_id, self.today())

    def report_data(self, board: Board | None = None) -> Report:
        """The report with the flow added: the portfolio's, and each initiative's stays
        (`flow_report` writes them)."""
        from bridge_tui import flow as rules

        report = super().report_data(board)
        today = self.today()
        inputs = self.flow_inputs()
        by_id = {i.id: i for i in inputs}
        sections = tuple(
            section
            if (ini := by_id.get(section.id)) is None
            else replace(section, flow=tuple(rules.stays(ini, today)))
            for section in report.initiatives
        )
        return replace(report, initiatives=sections, flow=rules.compute(inputs, today))
