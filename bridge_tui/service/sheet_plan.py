"""Decide, row by row, what importing a spreadsheet would do to a portfolio: the preview.

Pure (no store): `plan_import` takes the parsed sheet and the portfolio as it is, so the app can
run it in a worker thread and the service can run it again inside its write transaction. The
rules are listed in `service/sheet_import.py`, which writes the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from pydantic import ValidationError

from bridge_tui import method, scoring
from bridge_tui.errors import BridgeError
from bridge_tui.models import Initiative, validation_message
from bridge_tui.sheet_map import Column, ParsedSheet, SheetRow
from bridge_tui.sheet_words import FIELD_LABEL
from bridge_tui.text import number_text

Action = Literal["add", "update", "same", "refused"]
#: fields a sheet may change on an existing initiative (the name only matches it)
UPDATABLE: tuple[str, ...] = (
    "summary",
    "owner",
    "owner_is_operational",
    "team",
    "pilot_budget",
    "integration_budget",
    "maintenance_budget",
    "blockers",
    "last_review_at",
)


def reason_for(source: str) -> str:
    return f"imported from {source}"


@dataclass(frozen=True)
class RowPlan:
    """What the import does with one row of the sheet."""

    number: int
    name: str
    action: Action
    stage: str = ""
    from_stage: str | None = None
    initiative_id: str | None = None
    revision: int | None = None
    forced: bool = False
    unmet: tuple[str, ...] = ()
    #: initiative fields to write (all of them for an addition)
    fields: Mapping[str, Any] = field(default_factory=dict)
    #: answers to write (only those that change, on an update)
    answers: Mapping[str, str] = field(default_factory=dict)
    #: what changes, in words, for the preview
    changes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: True when the row's problem is only its gate under --strict
    gate_refusal: bool = False

    @property
    def moved(self) -> bool:
        return self.from_stage is not None and self.stage != self.from_stage

    def details(self) -> str:
        """What changes and what to know, without the action: for the app's table."""
        if self.action == "refused":
            return "; ".join(self.problems)
        parts = [", ".join(self.changes)] if self.action == "update" and self.changes else []
        if self.forced:
            shown = ", ".join(self.unmet[:5])
            more = f" and {len(self.unmet) - 5} more" if len(self.unmet) > 5 else ""
            parts.append(f"forced past its gate (unmet: {shown}{more})")
        parts.extend(self.notes)
        return "; ".join(parts)

    def what(self) -> str:
        """The row in words: "new, in Pilot", "update: owner, D1", "no change"."""
        if self.action == "refused":
            if len(self.problems) == 1:
                return f"cannot be taken: {self.problems[0]}"
            return f"cannot be taken ({len(self.problems)} problems, listed below)"
        if self.action == "add":
            label = method.STAGE_BY_ID[self.stage].label
            head = f"new, in {label}"
        elif self.action == "same":
            head = "no change"
        else:
            head = "update"
        rest = self.details()
        return f"{head}{': ' if self.action == 'update' else '; '}{rest}" if rest else head


@dataclass(frozen=True)
class SheetPreview:
    """The whole import, decided: shown before anything is written, returned after."""

    parsed: ParsedSheet
    rows: tuple[RowPlan, ...]
    strict: bool = False
    applied: bool = False

    @property
    def source(self) -> str:
        return self.parsed.source

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.parsed.columns

    def _count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def added(self) -> int:
        return self._count("add")

    @property
    def updated(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("same")

    @property
    def forced(self) -> int:
        return sum(1 for r in self.rows if r.forced)

    @property
    def refused(self) -> tuple[RowPlan, ...]:
        return tuple(r for r in self.rows if r.action == "refused")

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def writes(self) -> bool:
        return bool(self.added or self.updated)

    def fingerprint(self) -> tuple[tuple[object, ...], ...]:
        """What the preview promised: the confirm writes only if a fresh plan is the same."""
        return tuple(
            (r.number, r.action, r.initiative_id, r.revision, r.stage, r.forced, r.changes)
            for r in self.rows
        )

    def where(self) -> str:
        t = self.parsed.table
        if t.kind == "xlsx":
            others = [s for s in t.sheets if s != t.sheet]
            extra = f"; other sheets: {', '.join(others)}" if others else ""
            return f'{t.source}, sheet "{t.sheet}"{extra}'
        sep = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}.get(
            t.delimiter or ",", repr(t.delimiter)
        )
        return f"{t.source} ({sep}-separated, {(t.encoding or 'utf-8').upper()})"

    def summary(self) -> str:
        """One sentence: counts, and whether anything was (or would be) written."""
        n_add, n_upd = self.added, self.updated
        forced = f" ({self.forced} forced past a gate)" if self.forced else ""
        same = f"; {self.unchanged} already up to date" if self.unchanged else ""
        if self.applied:
            return f"Imported {self.source}: added {n_add} and updated {n_upd}{forced}{same}."
        if not self.ok:
            n = len(self.refused)
            return (
                f"{n} {'row' if n == 1 else 'rows'} of {self.source} cannot be taken, so "
                f"nothing can be imported yet; the other rows would add {n_add} and update "
                f"{n_upd}{forced}."
            )
        return f"Would add {n_add} and update {n_upd} initiatives{forced}{same}."

    def column_lines(self) -> list[str]:
        return [
            f"{c.letter:>3}  {(c.header or '(no header)')[:32]:<32}  -> {c.label}"
            + ("  [--map]" if c.how == "--map" else "")
            for c in self.columns
        ]

    def lines(self) -> list[str]:
        """The preview as plain lines (the CLI prints them; the app shows a table)."""
        p = self.parsed
        rows = p.header_rows
        head = f"row {rows[0]}" if len(rows) == 1 else f"rows {rows[0]}-{rows[-1]}"
        out = [
            f"Reading {self.where()}; header in {head}.",
            "Columns:",
            *("  " + line for line in self.column_lines()),
            "Rows:",
        ]
        marks = {"add": "+", "update": "~", "same": "=", "refused": "x"}
        for r in self.rows:
            mark = "!" if r.forced else marks[r.action]
            name = r.name or "(no name)"
            out.append(f"  {mark} row {r.number}: {name}: {r.what()}")
        skipped = [f"row {n} ({why})" for n, why in p.skipped]
        if p.blank_rows:
            skipped.append(f"{p.blank_rows} blank {'row' if p.blank_rows == 1 else 'rows'}")
        if skipped:
            out.append("Skipped: " + "; ".join(skipped) + ".")
        if self.refused:
            out.append("Rows that cannot be taken (fix them in the sheet, or use --map):")
            for r in self.refused:
                for problem in r.problems:
                    out.append(f"  row {r.number}: {problem}")
        out.append(self.summary())
        return out

    def rejection(self) -> SheetRejected:
        return SheetRejected(self)


class SheetRejected(BridgeError):
    """The sheet has rows that cannot be taken: nothing is written. Exit 1 when every such row
    is only refused by its gate (--strict), else 2."""

    def __init__(self, preview: SheetPreview) -> None:
        n = len(preview.refused)
        first = preview.refused[0] if n else None
        detail = f" (row {first.number}: {first.problems[0]})" if first and first.problems else ""
        super().__init__(
            f"nothing was imported: {n} {'row' if n == 1 else 'rows'} of {preview.source} "
            f"cannot be taken{detail}."
        )
        self.preview = preview
        if n and all(r.gate_refusal for r in preview.refused):
            self.exit_code = 1


# planning (pure) -------------------------------------------------------------------------------


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _value_text(f: str, v: Any) -> str:
    if isinstance(v, float):
        return number_text(v)  # as it will be kept: a preview never rounds
    if isinstance(v, tuple):
        return ", ".join(v) or "none"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def _entered(row: SheetRow, today: date) -> tuple[date, str | None]:
    """When the row's initiative entered its stage: the sheet's date, or its days in stage,
    else today."""
    when = row.fields.get("stage_entered_at")
    if when is None and "days_in_stage" in row.fields:
        when = today - timedelta(days=int(row.fields["days_in_stage"]))
    if when is None:
        return today, None
    if when > today:
        return today, f"in stage since {when.isoformat()} is after today"
    return when, None


def _gate(
    row: SheetRow,
    source_stage: str,
    target: str,
    answers: Mapping[str, str],
    strict: bool,
) -> tuple[bool, tuple[str, ...], str | None]:
    """(forced, unmet, refusal) for entering `target` from `source_stage`: the existing gate
    check of `scoring` decides."""
    if target == method.KILLED or target == source_stage:
        return False, (), None
    check = scoring.gate_check(source_stage, target, dict(answers))
    if check.allowed:
        return False, (), None
    label = method.STAGE_BY_ID[target].label
    if strict:
        return (
            False,
            check.unmet,
            f"{label} is past a gate its answers do not meet (unmet: {', '.join(check.unmet)}); "
            "--strict refuses it",
        )
    return True, check.unmet, None


def _refused(row: SheetRow, problems: Iterable[str], gate: bool = False) -> RowPlan:
    return RowPlan(row.number, row.name, "refused", problems=tuple(problems), gate_refusal=gate)


def _notes(row: SheetRow, stage: str, moved_in: bool, model: Initiative) -> tuple[str, ...]:
    notes: list[str] = []
    if moved_in and stage == method.PRODUCTIONIZE:
        notes.append(f"its {method.PLAN_NAME} starts today")
        if scoring.budget_warning(model):
            notes.append(scoring.budget_warning_text(model))
    if row.cleaned:
        notes.append("control characters removed")
    return tuple(notes)


def plan_import(
    parsed: ParsedSheet,
    initiatives: Sequence[Initiative],
    answers: Mapping[str, Mapping[str, str]],
    *,
    today: date,
    now: datetime,
    strict: bool = False,
) -> SheetPreview:
    """What importing `parsed` into a portfolio of `initiatives` (with their `answers`) would
    do, row by row. Pure: the app runs it in a worker thread."""
    source = parsed.source
    reason = reason_for(source)
    by_name: dict[str, list[Initiative]] = {}
    for i in initiatives:
        if not i.deleted:
            by_name.setdefault(_key(i.name), []).append(i)
    seen: dict[str, int] = {}
    plans: list[RowPlan] = []
    for row in parsed.rows:
        if row.problems:
            plans.append(_refused(row, row.problems))
            continue
        key = _key(row.name)
        if key in seen:
            plans.append(_refused(row, [f"'{row.name}' is also on row {seen[key]}"]))
            continue
        seen[key] = row.number
        found = by_name.get(key, [])
        if len(found) > 1:
            plans.append(
                _refused(row, [f"{len(found)} initiatives in this file are named '{row.name}'"])
            )
            continue
        if found:
            plans.append(
                _plan_update(
                    row, found[0], answers.get(found[0].id, {}), today, now, strict, reason
                )
            )
        else:
            plans.append(_plan_add(row, today, now, strict, reason))
    return SheetPreview(parsed, tuple(plans), strict)


def _plan_add(row: SheetRow, today: date, now: datetime, strict: bool, reason: str) -> RowPlan:
    stage = row.fields.get("stage", method.FLOW[0])
    entered, late = _entered(row, today)
    if late:
        return _refused(row, [late])
    given = {a: v for a, v in row.answers.items() if v != "unknown"}
    forced, unmet, refusal = _gate(row, method.FLOW[0], stage, given, strict)
    if refusal:
        return _refused(row, [refusal], gate=True)
    fields: dict[str, Any] = {f: row.fields[f] for f in ("name", *UPDATABLE) if f in row.fields}
    if "created_at" in row.fields:
        created: date = row.fields["created_at"]
        if created > today:
            return _refused(row, [f"created {created.isoformat()} is after today"])
        fields["created_at"] = datetime.combine(created, time(), tzinfo=UTC)
    fields.update(
        stage=stage,
        stage_entered_at=entered,
        move_reason=reason,
        forced_reason=reason if forced else "",
        kill_reason=(row.fields.get("kill_reason") or reason) if stage == method.KILLED else "",
    )
    try:
        model = Initiative.model_validate({"created_at": now, **fields, "updated_at": now})
    except ValidationError as exc:
        return _refused(row, [validation_message(exc)])
    return RowPlan(
        row.number,
        model.name,
        "add",
        stage=stage,
        forced=forced,
        unmet=unmet,
        fields=fields,
        answers=given,
        notes=_notes(row, stage, True, model),
    )


def _plan_update(
    row: SheetRow,
    current: Initiative,
    existing: Mapping[str, str],
    today: date,
    now: datetime,
    strict: bool,
    reason: str,
) -> RowPlan:
    changes: dict[str, Any] = {}
    words: list[str] = []
    for f in UPDATABLE:
        if f in row.fields and row.fields[f] != getattr(current, f):
            changes[f] = row.fields[f]
            words.append(f"{FIELD_LABEL[f]} {_value_text(f, row.fields[f])}")
    new_answers = {k: v for k, v in row.answers.items() if existing.get(k, "unknown") != v}
    merged = {**existing, **row.answers}
    stage = row.fields.get("stage", current.stage)
    forced = False
    unmet: tuple[str, ...] = ()
    if stage != current.stage:
        entered, late = _entered(row, today)
        if late:
            return _refused(row, [late])
        forced, unmet, refusal = _gate(row, current.stage, stage, merged, strict)
        if refusal:
            return _refused(row, [refusal], gate=True)
        killing = stage == method.KILLED
        changes.update(
            stage=stage,
            stage_entered_at=entered,
            move_reason=(row.fields.get("kill_reason") or reason) if killing else reason,
            forced_reason=reason if forced else "",
            kill_reason=(row.fields.get("kill_reason") or reason) if killing else "",
        )
        old = method.STAGE_BY_ID[current.stage].label
        words.insert(0, f"stage {old} -> {method.STAGE_BY_ID[stage].label}")
    words += [f"{k} {v}" for k, v in new_answers.items()]
    try:
        model = Initiative.model_validate({**current.model_dump(), **changes})
    except ValidationError as exc:
        return _refused(row, [validation_message(exc)])
    action: Action = "update" if changes or new_answers else "same"
    return RowPlan(
        row.number,
        current.name,
        action,
        stage=stage,
        from_stage=current.stage,
        initiative_id=current.id,
        revision=current.revision,
        forced=forced,
        unmet=unmet,
        fields=changes,
        answers=new_answers,
        changes=tuple(words),
        notes=_notes(row, stage, stage != current.stage, model),
    )
