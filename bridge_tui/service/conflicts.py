"""What a teammate changed since a form was opened: the refusal of a stale save, per field.

A save names the revision it read; when someone saved the row after that, the store refuses it
(`StaleRevision`) and nothing is written. The form then needs more than one sentence: for each
field the other person changed, their value, who and when, so the user can take theirs, keep
theirs and save only their own fields again, or go back to editing with their values loaded.
The change log already knows who and when; this module reads it for the fields that differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from bridge_tui import hlc
from bridge_tui.errors import BadInput
from bridge_tui.models import ConflictChoice, ConflictRow
from bridge_tui.service.initiatives import InitiativeService
from bridge_tui.store.repo import ENTITY_OF_MODEL

M = TypeVar("M", bound=BaseModel)

#: fields a person never edits or reads as a change (the row's bookkeeping)
_BOOKKEEPING = frozenset({"id", "revision", "updated_at", "stage_entered_at"})


def shown(entity: str, field: str, value: Any) -> str:
    """A field's value the way the conflict shows it: as history shows it, never cut short."""
    from bridge_tui.service.change_words import value_text

    if isinstance(value, date | datetime):
        value = value.isoformat()
    elif isinstance(value, tuple):
        value = list(value)
    return value_text(entity, field, value, limit=10_000)


def field_label(entity: str, field: str) -> str:
    from bridge_tui.service.change_words import FIELD_LABELS

    return FIELD_LABELS.get(entity, {}).get(field) or field.replace("_", " ").capitalize()


@dataclass(frozen=True)
class FieldChange:
    """One field someone else changed after the form read the row."""

    field: str
    label: str
    #: the value now in the file, and the value the form read (model values)
    theirs: Any
    was: Any
    theirs_text: str
    was_text: str
    #: who saved it last, and when ("14:30" today, else "2026-11-20 14:30")
    author: str
    at: str


@dataclass(frozen=True)
class StaleChanges(Generic[M]):
    """The row as it is now, and every field that changed since the form read it."""

    entity: str
    current: M
    changes: tuple[FieldChange, ...]

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(c.field for c in self.changes)

    def get(self, field: str) -> FieldChange | None:
        return next((c for c in self.changes if c.field == field), None)

    def authors(self) -> list[str]:
        return list(dict.fromkeys(c.author for c in self.changes))

    def sentence(self) -> str:
        """One sentence for the top of the form."""
        who = " and ".join(self.authors()) or "Someone"
        noun = "task" if self.entity == "task" else self.entity
        if not self.changes:
            return (
                f"Someone saved this {noun} after you opened it (nothing you can see here "
                "changed); nothing of yours was saved."
            )
        return f"{who} changed this {noun} after you opened it; nothing of yours was saved."


def conflict_rows(
    conflict: StaleChanges[Any], form: Mapping[str, Any], mine: Mapping[str, Any]
) -> list[ConflictRow]:
    """A row per field they changed (theirs, who and when, and the form's value), then a row
    per field only the user changed. `form` is every field of the form, `mine` the changed."""
    entity = conflict.entity
    rows = [
        ConflictRow(
            c.label,
            c.theirs_text,
            f"{c.author} at {c.at}",
            shown(entity, c.field, form[c.field]) if c.field in form else None,
            c.field in mine,
        )
        for c in conflict.changes
    ]
    for field, value in mine.items():
        if field not in conflict.fields:
            yours = shown(entity, field, value)
            rows.append(ConflictRow(field_label(entity, field), None, "", yours, True))
    return rows


def settle(
    choice: ConflictChoice,
    conflict: StaleChanges[Any],
    form: Mapping[str, Any],
    mine: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What a choice does to a form standing on their version: (their values to load into
    fields, the fields to save onto their revision; None: save nothing yet).

    Their value goes into every field the user did not change (and, taking theirs, into the
    ones both changed too); the user's typing stays everywhere else. Keep mine saves exactly
    the user's changed fields; take theirs saves those they did not also change."""
    keep = dict(mine)
    if choice == "theirs":
        keep = {k: v for k, v in keep.items() if k not in conflict.fields}
    loads = {c.field: c.theirs for c in conflict.changes if c.field in form and c.field not in keep}
    return loads, None if choice == "back" else keep


class ConflictOps(InitiativeService):
    """Mixed into `Service`."""

    def changes_since(self, read: M) -> StaleChanges[M]:
        """What changed in the file since `read` (the row a form was opened with) was read:
        each differing field with its value now, who saved it last and when (from the change
        log). Raises when the row was deleted meanwhile."""
        model = type(read)
        entity = ENTITY_OF_MODEL[model]
        ident: str = read.id  # type: ignore[attr-defined]
        current = self.store.get(model, ident, include_deleted=True)
        if current is None or current.deleted:  # type: ignore[attr-defined]
            raise BadInput(f"someone deleted this {entity} after you opened it; nothing was saved.")
        now_row = current.model_dump(mode="json")
        was_row = read.model_dump(mode="json")
        stamps: frozenset[str] = getattr(model, "STAMP_FIELDS", frozenset())
        differ = [
            f
            for f in model.model_fields
            if f not in _BOOKKEEPING and f not in stamps and now_row[f] != was_row[f]
        ]
        latest: dict[str, tuple[str, str]] = {}
        if differ:
            for c in self.store.changes(entity_id=ident):  # newest first
                if c.field in differ and c.field not in latest:
                    latest[c.field] = (c.author, c.hlc)
                if len(latest) == len(differ):
                    break
        now = self.store.clock()
        changes = []
        for f in differ:
            author, stamp = latest.get(f, ("someone", ""))
            changes.append(
                FieldChange(
                    field=f,
                    label=field_label(entity, f),
                    theirs=getattr(current, f),
                    was=getattr(read, f),
                    theirs_text=shown(entity, f, now_row[f]),
                    was_text=shown(entity, f, was_row[f]),
                    author="you (in another window)" if author == self.author else author,
                    at=_at(stamp, now) if stamp else "a moment ago",
                )
            )
        return StaleChanges(entity, current, tuple(changes))


def _at(stamp: str, now: datetime) -> str:
    at = hlc.hlc_time(stamp).astimezone()
    if at.date() == now.astimezone().date():
        return at.strftime("%H:%M")
    return at.strftime("%Y-%m-%d %H:%M")
