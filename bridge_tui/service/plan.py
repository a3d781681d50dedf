"""Use cases for the 90-day plan: tasks, progress, the portfolio timeline."""

from __future__ import annotations

from bridge_tui.service.core import CoreService


class PlanOps(CoreService):
    """Mixed into `Service`."""
