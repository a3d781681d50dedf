"""The merge's rules, pure: two change logs in, what folding one into the other does out.

Per-field last-writer-wins over the union of both logs (see `store.merge` for why that makes
merging commutative, associative and idempotent): `fold` gives the state a log describes,
`plan_merge` what merging changes and which fields conflict. No SQLite here: the property tests
check these rules on logs they build.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bridge_tui.store.rows import ENTITIES, INSERT_FIELD


class LogRow(NamedTuple):
    """One row of a `changes` table exactly as stored (old/new are JSON text)."""

    change_id: str
    tx: str
    entity: str
    entity_id: str
    field: str
    old: str | None
    new: str | None
    author: str
    hlc: str

    @property
    def order(self) -> tuple[str, str]:
        return (self.hlc, self.change_id)


@dataclass(frozen=True)
class Version:
    """One side's newest value of one field, and the change that set it."""

    value: Any
    author: str
    hlc: str
    change_id: str

    @property
    def order(self) -> tuple[str, str]:
        return (self.hlc, self.change_id)


@dataclass(frozen=True)
class Conflict:
    """A field both copies changed since they diverged, ending with different values."""

    entity: str
    entity_id: str
    field: str
    ours: Version
    theirs: Version
    #: "ours" or "theirs": the newer change, which the merged file keeps
    winner: str
    #: a who/when stamp rather than something a person typed
    minor: bool = False


@dataclass(frozen=True)
class FieldChange:
    """A field of an existing row that the merge sets to the other copy's newer value."""

    entity: str
    entity_id: str
    field: str
    old: Any
    new: Any
    author: str
    hlc: str


@dataclass
class MergePlan:
    """What merging would do; computed from the two logs alone (see `plan_merge`)."""

    #: the other copy's change-log rows this file does not have yet
    imported: list[LogRow] = field(default_factory=list)
    #: entities with no change in this file: (entity, id)
    new_entities: list[tuple[str, str]] = field(default_factory=list)
    #: (entity, id) -> {field: winning JSON value} for entities this file already has
    updates: dict[tuple[str, str], dict[str, Version]] = field(default_factory=dict)
    #: entities whose newest change is the other copy's: their stamp fields come from it
    stamps_from_other: set[tuple[str, str]] = field(default_factory=set)
    conflicts: list[Conflict] = field(default_factory=list)


def stamp_fields(entity: str) -> frozenset[str]:
    known = ENTITIES.get(entity)
    if known is None:
        return frozenset()
    return frozenset(getattr(known[1], "STAMP_FIELDS", frozenset()))


def expand(rows: Iterable[LogRow]) -> Iterator[tuple[tuple[str, str, str], Version, LogRow]]:
    """Each logged field value: a new row's "*" entry counts once per field (stamps excluded)."""
    for r in rows:
        new = json.loads(r.new) if r.new is not None else None
        if r.field == INSERT_FIELD:
            if not isinstance(new, dict):
                continue
            stamps = stamp_fields(r.entity)
            for f, v in new.items():
                if f in stamps:
                    continue
                yield (r.entity, r.entity_id, f), Version(v, r.author, r.hlc, r.change_id), r
        else:
            yield (r.entity, r.entity_id, r.field), Version(new, r.author, r.hlc, r.change_id), r


def fold(rows: Iterable[LogRow]) -> dict[tuple[str, str, str], Version]:
    """The newest value of every field: the state a change log describes."""
    best: dict[tuple[str, str, str], Version] = {}
    for key, version, _ in expand(rows):
        have = best.get(key)
        if have is None or version.order > have.order:
            best[key] = version
    return best


def _latest_per_entity(rows: Iterable[LogRow]) -> dict[tuple[str, str], tuple[str, str]]:
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for r in rows:
        key = (r.entity, r.entity_id)
        if key not in out or r.order > out[key]:
            out[key] = r.order
    return out


def plan_merge(local: Sequence[LogRow], other: Sequence[LogRow]) -> MergePlan:
    """What folding `other` into `local` changes. Pure: the logs in, the plan out.

    Both sequences must hold every change of the entities they mention (any entity-closed
    subset of a log works), so "only in this copy" is decided correctly per entity.
    """
    local_ids = {r.change_id for r in local}
    other_ids = {r.change_id for r in other}
    imported = [r for r in other if r.change_id not in local_ids]
    plan = MergePlan(imported=sorted(imported, key=lambda r: r.order))
    if not imported:
        return plan
    touched = {(r.entity, r.entity_id) for r in imported}
    local_here = [r for r in local if (r.entity, r.entity_id) in touched]
    other_here = [r for r in other if (r.entity, r.entity_id) in touched]
    ours = fold(local_here)
    theirs = fold(other_here)
    local_entities = {(r.entity, r.entity_id) for r in local_here}
    plan.new_entities = sorted(touched - local_entities)

    latest_ours = _latest_per_entity(local_here)
    latest_theirs = _latest_per_entity(other_here)
    for ent in touched:
        if ent not in latest_ours or latest_theirs[ent] > latest_ours[ent]:
            plan.stamps_from_other.add(ent)

    for key, them in theirs.items():
        entity, eid, fname = key
        us = ours.get(key)
        if (entity, eid) not in local_entities:
            continue
        their_own = them.change_id not in local_ids
        our_own = us is not None and us.change_id not in other_ids
        if (
            their_own
            and (us is None or them.order > us.order)
            and (us is None or us.value != them.value)
        ):
            plan.updates.setdefault((entity, eid), {})[fname] = them
        if their_own and our_own and us is not None and us.value != them.value:
            plan.conflicts.append(
                Conflict(
                    entity,
                    eid,
                    fname,
                    us,
                    them,
                    "theirs" if them.order > us.order else "ours",
                    minor=fname in stamp_fields(entity),
                )
            )
    _edited_while_deleted(plan, local_here, other_here, ours, theirs, local_ids, other_ids)
    plan.conflicts.sort(key=lambda c: (c.entity, c.entity_id, c.field))
    return plan


def _edited_while_deleted(
    plan: MergePlan,
    local: Sequence[LogRow],
    other: Sequence[LogRow],
    ours: dict[tuple[str, str, str], Version],
    theirs: dict[tuple[str, str, str], Version],
    local_ids: set[str],
    other_ids: set[str],
) -> None:
    """One side deleted an entity the other side kept editing: say so, it stays deleted."""
    seen = {(c.entity, c.entity_id, c.field) for c in plan.conflicts}

    def newest_own(rows: Sequence[LogRow], not_in: set[str]) -> dict[tuple[str, str], LogRow]:
        out: dict[tuple[str, str], LogRow] = {}
        for r in rows:
            if r.change_id in not_in or r.field == "deleted":
                continue
            ent = (r.entity, r.entity_id)
            if ent not in out or r.order > out[ent].order:
                out[ent] = r
        return out

    our_edits = newest_own(local, other_ids)
    their_edits = newest_own(other, local_ids)
    for ent in sorted(set(our_edits) | set(their_edits)):
        key = (ent[0], ent[1], "deleted")
        if key in seen:
            continue
        us, them = ours.get(key), theirs.get(key)
        if us is None or them is None:
            continue
        final = them if them.order > us.order else us
        if final.value is not True:
            continue
        if us.value is True and them.value is False and ent in their_edits:
            edit = their_edits[ent]
            kept = Version(False, edit.author, edit.hlc, edit.change_id)
            plan.conflicts.append(Conflict(ent[0], ent[1], "deleted", us, kept, "ours"))
        elif them.value is True and us.value is False and ent in our_edits:
            edit = our_edits[ent]
            kept = Version(False, edit.author, edit.hlc, edit.change_id)
            plan.conflicts.append(Conflict(ent[0], ent[1], "deleted", kept, them, "theirs"))
