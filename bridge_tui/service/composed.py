"""`Service`: every use case, one mixin per module, composed into the class the app and the
CLI call (`bridge_tui.service` hands it out)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from bridge_tui.clock import Clock
from bridge_tui.service.arrivals import ArrivalOps
from bridge_tui.service.checklist import ChecklistOps
from bridge_tui.service.conflicts import ConflictOps
from bridge_tui.service.flow import FlowOps
from bridge_tui.service.git_sync import GitOps
from bridge_tui.service.moves import MoveOps
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
    MoveOps,
):
    """All use cases; each mixin lives in its own module."""

    @classmethod
    def open(
        cls,
        path: Path | str,
        author: str,
        today: Clock | date | Callable[[], date] | None = None,
        *,
        read_only: bool = False,
    ) -> Service:
        """The service over the bridge file at `path` (checked as it opens)."""
        from bridge_tui.store import Store

        return cls(Store.open(Path(path), read_only=read_only), author, today)

    @staticmethod
    def create_file(path: Path | str, *, sample_on: date | None = None) -> None:
        """A new bridge file at `path` (never over an existing one), filled with the sample
        portfolio as of `sample_on` if given; if filling it fails, the half-made file is
        removed."""
        from bridge_tui.store import Store

        path = Path(path)
        store = Store.create(path)
        try:
            if sample_on is not None:
                from bridge_tui.sample import build_sample

                build_sample(store, today=sample_on)
        except BaseException:
            store.close()
            path.unlink(missing_ok=True)
            raise
        store.close()


__all__ = ["Service"]
