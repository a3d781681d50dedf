"""Bring a portfolio in from a spreadsheet: a preview first, then all of it or nothing.

`sheet_map` reads the file (pure); `sheet_plan.plan_import` decides, row by row, what would
happen to the portfolio (pure too, so the app can plan in a worker thread);
`SheetImportOps.import_sheet` writes the whole plan in one store transaction, as the user, or
nothing.

The rules a person would expect from moving their team's sheet into a new tool:
- rows are matched to initiatives by name (any case); an unmatched name adds an initiative;
- a blank cell leaves what bridge already has (on a new initiative: the default);
- a stage past a gate the row's answers do not meet is taken as a forced move with the reason
  "imported from FILE" (so it stays flagged until the gate is met); `strict` refuses the row;
- moving back, killing or reviving through an import records "imported from FILE" as the
  reason (a kill takes the sheet's kill reason when it has one);
- every answer the import sets carries the evidence note "imported from FILE" (unless it
  already has a note), and every initiative it adds or moves that reason as its last move;
- one row that cannot be taken stops the whole import, and every such row is listed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bridge_tui import method
from bridge_tui.clock import Clock
from bridge_tui.errors import BadInput, Refused
from bridge_tui.models import Answer, Initiative, answer_id, validation_message
from bridge_tui.service.moves import MoveOps

if TYPE_CHECKING:  # loaded when an import runs: starting the app does not pay for them
    from bridge_tui.service.sheet_plan import RowPlan, SheetPreview
    from bridge_tui.sheet_map import ParsedSheet
    from bridge_tui.sheets import SHEET_SUFFIXES

__all__ = [
    "SHEET_SUFFIXES",
    "SheetImportOps",
    "is_sheet",
    "new_portfolio_from_sheet",
    "preview_new_portfolio",
    "read_sheet",
]


def _later(name: str) -> Any:
    """`SHEET_SUFFIXES` stays importable from here; `sheets` (and `zipfile`) load when first
    asked for (the import dialog, `bridge import`), not when the app starts."""
    if name == "SHEET_SUFFIXES":
        from bridge_tui.sheets import SHEET_SUFFIXES

        return SHEET_SUFFIXES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if not TYPE_CHECKING:  # mypy sees the names imported above, and no catch-all
    __getattr__ = _later


def read_sheet(path: Path | str, sheet: str | None = None, maps: Sequence[str] = ()) -> ParsedSheet:
    """Read and parse a CSV or XLSX file (`sheet_map.read_sheet`); refuses a bad one."""
    from bridge_tui.sheet_map import read_sheet as read

    return read(path, sheet, maps)


def is_sheet(path: Path | str) -> bool:
    """Whether `bridge import` reads this file as a spreadsheet (else as a JSON export)."""
    from bridge_tui.sheets import SHEET_SUFFIXES

    p = Path(path)
    if p.suffix.lower() == ".json":
        return False
    # Anything else (a .db, no suffix, a pipe) goes the JSON export's way, which refuses what is
    # not an export in one line: a bridge file or a stray text is never read as a sheet.
    return p.suffix.lower() in SHEET_SUFFIXES or p.suffix.lower() in (".xls", ".ods")


# writing ---------------------------------------------------------------------------------------


class SheetImportOps(MoveOps):
    """Mixed into `Service`."""

    def read_sheet(
        self, path: Path | str, sheet: str | None = None, maps: Sequence[str] = ()
    ) -> ParsedSheet:
        return read_sheet(path, sheet, maps)

    def preview_sheet(self, parsed: ParsedSheet, *, strict: bool = False) -> SheetPreview:
        """What importing `parsed` would do now; nothing is written."""
        from bridge_tui.service.sheet_plan import plan_import

        board = self.board()
        return plan_import(
            parsed,
            board.initiatives,
            board.answers,
            today=self.today(),
            now=self.now(),
            strict=strict,
        )

    def import_sheet(
        self,
        parsed: ParsedSheet,
        *,
        strict: bool = False,
        expected: SheetPreview | None = None,
    ) -> SheetPreview:
        """Write the whole plan in one transaction, or nothing: refused when any row cannot be
        taken, or when the portfolio changed since `expected` (the preview the user saw)."""
        with self._tx() as tx:
            plan = self.preview_sheet(parsed, strict=strict)  # read inside the write lock
            if not plan.ok:
                raise plan.rejection()
            if expected is not None and plan.fingerprint() != expected.fingerprint():
                raise Refused(
                    f"{self.file_name} changed since the preview of {parsed.source}; nothing "
                    "was imported. Preview it again."
                )
            now, reason = self.now(), f"imported from {parsed.source}"
            for r in plan.rows:
                if r.action == "add":
                    self._write_add(tx, r, now, reason)
                elif r.action == "update":
                    self._write_update(tx, r, now, reason)
        return replace(plan, applied=True)

    def _write_add(self, tx: Any, r: RowPlan, now: datetime, reason: str) -> None:
        try:
            model = Initiative.model_validate(
                {"created_at": now, **r.fields, "id": self.store.new_id(), "updated_at": now}
            )
        except ValidationError as exc:  # checked by the plan; kept for a clear sentence
            raise BadInput(f"row {r.number}: {validation_message(exc)}") from None
        created = tx.insert(model)
        self._write_answers(tx, created.id, r.answers, now, reason, True)
        if created.stage == method.PRODUCTIONIZE:
            self._ensure_plan(tx, created)

    def _write_update(self, tx: Any, r: RowPlan, now: datetime, reason: str) -> None:
        assert r.initiative_id is not None
        current = self.initiative(r.initiative_id)
        updated = current
        if r.fields:
            updated = tx.update(current, r.revision, updated_at=now, **r.fields)
        self._write_answers(tx, current.id, r.answers, now, reason)
        if r.moved and updated.stage == method.PRODUCTIONIZE:
            self._ensure_plan(tx, updated)

    def _write_answers(
        self,
        tx: Any,
        initiative_id: str,
        answers: Mapping[str, str],
        now: datetime,
        reason: str,
        fresh: bool = False,
    ) -> None:
        """Set answers as `answer` does; `fresh`: the initiative was just created, so none of
        its answers exists yet (no lookup per answer)."""
        for key, value in answers.items():
            aid = answer_id(initiative_id, key)
            existing = None if fresh else self.store.get(Answer, aid, include_deleted=True)
            if existing is None:
                tx.insert(
                    Answer(
                        id=aid,
                        initiative_id=initiative_id,
                        key=key,
                        value=value,
                        note=reason,
                        by=self.author,
                        at=now,
                    )
                )
                continue
            fields: dict[str, Any] = {"value": value, "by": self.author, "at": now}
            if not existing.note:
                fields["note"] = reason
            if existing.deleted:
                fields["deleted"] = False
            tx.update(existing, None, **fields)


def new_portfolio_from_sheet(
    target: Path | str,
    parsed: ParsedSheet,
    *,
    author: str,
    clock: Clock | date | None = None,
    strict: bool = False,
) -> SheetPreview:
    """Create `target` (which must not exist) holding what the sheet holds; if anything fails,
    the new file is removed, so a refused import leaves nothing behind."""
    from bridge_tui.service import Service  # the package imports this module
    from bridge_tui.store import Store

    target = Path(target)
    if target.exists():
        raise BadInput(f"{target} already exists.")
    with Store.creating(target) as store:
        return Service(store, author, clock).import_sheet(parsed, strict=strict)


def preview_new_portfolio(
    parsed: ParsedSheet, *, clock: Clock | date | None = None, strict: bool = False
) -> SheetPreview:
    """The preview of importing into a portfolio that does not exist yet."""
    from bridge_tui.service.sheet_plan import plan_import

    c = Clock.coerce(clock)
    return plan_import(parsed, [], {}, today=c.today(), now=c.now(), strict=strict)
