"""Every way into a stage is gated: the part of that rule that concerns imports.

A bridge export carries its change log, and a stage the log records a move into was entered
through the gates (or forced, with the mark on the row) when the move was made. An initiative
added straight into a later stage (an older bridge let `add --stage` skip the gates) claims a
stage without a move:
it must meet every gate from Experiment up to that stage, carry a forced mark already, or be
forced in with a reason (`bridge import FILE --force --reason TEXT`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bridge_tui import method, scoring, stage_history
from bridge_tui.errors import GateRefused
from bridge_tui.models import Answer, Change, Initiative

_STAGE_FIELDS = ("*", "stage", "stage_entered_at")


@dataclass(frozen=True)
class Unbacked:
    """An imported initiative in a stage its log does not record, whose gates are unmet."""

    initiative: Initiative
    check: scoring.GateCheck

    def sentence(self) -> str:
        label = method.STAGE_BY_ID[self.initiative.stage].label
        return f"{self.initiative.name} cannot be in {label}: {'; '.join(self.check.lines())}"


def _stage_rows(changes: Iterable[Change]) -> list[stage_history.StageRow]:
    rows: list[tuple[str, str, str, str, stage_history.StageRow]] = []
    for c in changes:
        if c.entity != "initiative" or c.field not in _STAGE_FIELDS:
            continue
        stage: Any = None
        day: Any = None
        if c.field == "*" and isinstance(c.new, dict):
            stage, day = c.new.get("stage"), c.new.get("stage_entered_at")
        elif c.field == "stage":
            stage = c.new
        elif c.field == "stage_entered_at":
            day = c.new
        row = (
            c.entity_id,
            c.tx,
            c.field,
            stage if isinstance(stage, str) else None,
            day if isinstance(day, str) else None,
        )
        rows.append((c.entity_id, c.hlc, c.change_id, c.tx, row))
    rows.sort(key=lambda r: r[:3])
    return [r[4] for r in rows]


def unbacked_entries(
    initiatives: Iterable[Initiative], answers: Iterable[Answer], changes: Iterable[Change]
) -> list[Unbacked]:
    """The live initiatives past Experiment whose stage the change log does not record and
    that neither meet the gates into it (from the start) nor carry a forced mark."""
    changes = list(changes)
    histories = stage_history.replay(_stage_rows(changes))
    # a row added straight into a later stage records no move: an older bridge let `add
    # --stage` skip the gates, so such an entry is judged now like any other
    moved = {c.entity_id for c in changes if c.entity == "initiative" and c.field == "stage"}
    values: dict[str, dict[str, str]] = {}
    for a in answers:
        if not a.deleted:
            values.setdefault(a.initiative_id, {})[a.key] = a.value
    out: list[Unbacked] = []
    for i in initiatives:
        if i.deleted or i.stage not in method.FLOW[1:] or i.forced_reason:
            continue
        events = histories.get(i.id, ())
        if i.id in moved and events and events[-1].stage == i.stage:
            continue  # entered through a recorded move (a gate was judged when it was made)
        check = scoring.entry_check(i, values.get(i.id, {}))
        if not check.allowed:
            out.append(Unbacked(i, check))
    return out


def refuse_unbacked(found: list[Unbacked], source: str) -> None:
    """Refuse an import that would put initiatives past gates they do not meet."""
    if not found:
        return
    shown = "; ".join(u.sentence() for u in found[:3])
    more = f"; and {len(found) - 3} more" if len(found) > 3 else ""
    keys = tuple(dict.fromkeys(k for u in found for k in u.check.unmet))
    raise GateRefused(
        f"{source} puts initiatives in stages whose gates they do not meet and that its change "
        f"log does not record: {shown}{more}. Import with --force --reason to mark them "
        "forced, or fix the file.",
        keys,
    )
