"""The service layer: the one place the app and the CLI call for every use case."""

from bridge_tui.service.arrivals import ArrivalOps
from bridge_tui.service.checklist import ChecklistOps
from bridge_tui.service.conflicts import ConflictOps
from bridge_tui.service.core import EDITABLE_FIELDS, Board, CoreService, MoveResult
from bridge_tui.service.flow import FlowOps
from bridge_tui.service.git_sync import GitOps
from bridge_tui.service.plan import PlanOps
from bridge_tui.service.readers import ReaderOps
from bridge_tui.service.reports import ReportOps
from bridge_tui.service.review import ReviewOps
from bridge_tui.service.sharing import SharingOps
from bridge_tui.service.sheet_import import SheetImportOps
from bridge_tui.service.sustain import SustainOps
from bridge_tui.service.transfer import TransferOps


class Service(
    ArrivalOps,
    FlowOps,
    SustainOps,
    ChecklistOps,
    ConflictOps,
    PlanOps,
    SharingOps,
    SheetImportOps,
    ReviewOps,
    ReportOps,
    TransferOps,
    GitOps,
    ReaderOps,
    CoreService,
):
    """All use cases; each mixin lives in its own module."""


__all__ = ["EDITABLE_FIELDS", "Board", "MoveResult", "Service"]
