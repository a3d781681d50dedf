"""Use cases for the overview, review sessions, metrics, reports, import and export."""

from __future__ import annotations

from bridge_tui.service.core import CoreService


class PortfolioOps(CoreService):
    """Mixed into `Service`."""
