"""The service layer: the one place the app and the CLI call for every use case."""

from bridge_tui.service.arrivals import ArrivalOps
from bridge_tui.service.checklist import ChecklistOps
from bridge_tui.service.conflicts import ConflictOps
from bridge_tui.service.flow import FlowOps
from bridge_tui.service.git_sync import GitOps
from bridge_tui.service.initiatives import EDITABLE_FIELDS, Board
from bridge_tui.service.moves import MoveOps, MoveResult
from bridge_tui.service.plan import PlanOps
from bridge_tui.service.portfolio import PortfolioOps
from bridge_tui.service.readers import ReaderOps
from bridge_tui.service.sharing import SharingOps
from bridge_tui.service.sheet_import import SheetImportOps
from bridge_tui.service.sustain import SustainOps


class Service(
    ArrivalOps,
    FlowOps,
    SustainOps,
    ChecklistOps,
    ConflictOps,
    PlanOps,
    SharingOps,
    SheetImportOps,
    PortfolioOps,
    GitOps,
    ReaderOps,
    MoveOps,
):
    """All use cases; each mixin lives in its own module."""


__all__ = ["EDITABLE_FIELDS", "Board", "MoveResult", "Service"]
