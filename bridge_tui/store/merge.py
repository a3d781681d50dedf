"""Folding a teammate's copy into this file: per-field last-writer-wins over both change logs.

The merged state is a function of the *union* of the two change logs and nothing else, which is
what makes merging commutative, associative and idempotent:

- every field of every row takes the value of its newest change, ordered by (HLC, change id);
  a new row's single "*" entry counts as a change of each of its fields;
- the other copy's change-log rows are imported verbatim (same id, author and stamp), so the
  losing value of a conflict stays in the log and the next merge finds nothing new;
- who/when stamp fields (`STAMP_FIELDS`, not logged on update) follow the copy that holds the
  entity's newest change, so they converge the same way;
- deletes are the `deleted` field, so a tombstone wins or loses like any other value.

A conflict is a field that both copies changed since they diverged (each copy's newest change to
it is one the other copy does not have) and that ends with different values; it is reported with
both values, who and when. An entity deleted on one side and edited on the other is reported too.

The other file is opened read-only and never written: an older schema is migrated in a temporary
copy. A non-bridge file, a damaged one, or this very file is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from bridge_tui.errors import BadFile, BridgeError, ReadOnly
from bridge_tui.models import FROM_FILE
from bridge_tui.store import checks, incoming, outputs
from bridge_tui.store import db as dbmod
from bridge_tui.store.repo import ENTITIES, INSERT_FIELD, Store, from_row, insert_row, to_row
from bridge_tui.store.schema import SCHEMA_VERSION

T = TypeVar("T")
_COLUMNS = "change_id, tx, entity, entity_id, field, old, new, author, hlc"
_CHUNK = 500


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


@dataclass
class MergeResult:
    """The report of one merge (or dry run)."""

    other: Path
    dry_run: bool
    #: (entity, id, JSON row) of rows the other copy added
    added: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    changed: list[FieldChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    imported: int = 0

    @property
    def nothing_new(self) -> bool:
        return self.imported == 0


# the pure part --------------------------------------------------------------------------------


def _stamp_fields(entity: str) -> frozenset[str]:
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
            stamps = _stamp_fields(r.entity)
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
                    minor=fname in _stamp_fields(entity),
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


# reading the other file -----------------------------------------------------------------------


def _read_log(conn: sqlite3.Connection, entity_ids: Iterable[str] | None = None) -> list[LogRow]:
    if entity_ids is None:
        return [LogRow(*r) for r in conn.execute(f"SELECT {_COLUMNS} FROM changes")]
    ids = list(entity_ids)
    out: list[LogRow] = []
    for n in range(0, len(ids), _CHUNK):
        part = ids[n : n + _CHUNK]
        marks = ", ".join("?" for _ in part)
        out.extend(
            LogRow(*r)
            for r in conn.execute(
                f"SELECT {_COLUMNS} FROM changes WHERE entity_id IN ({marks})", part
            )
        )
    return out


def _read_rows(
    conn: sqlite3.Connection, entity: str, ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    table = ENTITIES[entity][0]
    out: dict[str, dict[str, Any]] = {}
    for n in range(0, len(ids), _CHUNK):
        part = list(ids[n : n + _CHUNK])
        marks = ", ".join("?" for _ in part)
        cur = conn.execute(f"SELECT * FROM {table} WHERE id IN ({marks})", part)
        cols = [d[0] for d in cur.description]
        for r in cur:
            row = dict(zip(cols, r, strict=True))
            out[row["id"]] = row
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


class _Other:
    """The other copy, open read-only (or a migrated temporary copy of it)."""

    def __init__(self, store: Store, path: Path) -> None:
        self.path = path
        self._tmp: str | None = None
        if _same_file(store.path, path):
            raise BadFile(
                f"{path.name} is this very file; choose a teammate's copy to merge, "
                "nothing was changed."
            )
        header = dbmod.check_header(path)
        if header.hot_journal:
            # a writer stopped mid-save there: roll it back in a copy, never in their file
            path = self._recovered_copy(path)
        conn = dbmod._connect(path, read_only=True)
        try:
            version = dbmod._inspect(conn, path)
            incoming.check_structure(conn, self.path)
        except BaseException:
            conn.close()
            self.close()
            raise
        if version < SCHEMA_VERSION:
            conn = self._migrated_copy(conn, path)
        self.conn = conn

    def _tmp_dir(self) -> Path:
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="bridge-merge-")
        return Path(self._tmp)

    def _recovered_copy(self, path: Path) -> Path:
        folder = self._tmp_dir() / "recovered"
        folder.mkdir()
        copy = folder / path.name
        try:
            shutil.copyfile(path, copy)
            journal = dbmod._journal(path)
            if journal.exists():
                shutil.copyfile(journal, dbmod._journal(copy))
            dbmod._recover(copy)
            dbmod.check_header(copy)  # now that it is whole, it must be as long as it says
        except OSError as exc:
            self.close()
            raise BadFile(f"{path.name} cannot be read: {exc.strerror}.") from None
        except BadFile:
            self.close()
            raise
        return copy

    def _migrated_copy(self, conn: sqlite3.Connection, path: Path) -> sqlite3.Connection:
        """An older schema: migrate a temporary copy, never the teammate's file."""
        copy = self._tmp_dir() / path.name
        try:
            conn.execute("VACUUM INTO ?", (str(copy),))
        except sqlite3.Error as exc:
            raise dbmod._sqlite_error(path, exc) from None
        finally:
            conn.close()
        return dbmod.open_file(copy).conn

    def close(self) -> None:
        conn: sqlite3.Connection | None = getattr(self, "conn", None)
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


def _json_row(model: type[BaseModel], row: dict[str, Any]) -> dict[str, Any]:
    return from_row(model, row).model_dump(mode="json")


def _build(model: type[BaseModel], data: dict[str, Any], other_name: str) -> BaseModel:
    try:
        return model.model_validate(data, context=FROM_FILE)
    except ValidationError as exc:
        raise BadFile(
            f"{other_name} holds a value bridge cannot read ({exc.errors()[0].get('msg')}); "
            "nothing was merged."
        ) from None


def merge_file(
    store: Store,
    other_path: Path | str,
    author: str,
    *,
    dry_run: bool,
    describe: Callable[[MergeResult], T] | None = None,
) -> T | MergeResult:
    """Fold the copy at `other_path` into `store`; with `dry_run`, only report what would happen.

    The copy is checked whole first (`incoming`): a bad one is refused before anything is
    written. The whole merge is one `BEGIN IMMEDIATE` transaction: every row and every imported
    change land together or not at all, and `describe` (which turns the result into the report
    a person reads) runs inside it, so a report that cannot be made rolls the merge back too.
    """
    other_path = Path(other_path)
    if store.read_only and not dry_run:
        raise ReadOnly(store.read_only_message())
    try:
        other = _Other(store, other_path)
    except BadFile as exc:
        raise BadFile(_nothing_merged(exc.message)) from None
    try:
        try:
            other.conn.execute("BEGIN")
            other_log = _read_log(other.conn)
            mine = incoming.our_log(store.conn)
            content = incoming.check_content(
                other.conn, other_path, store.clock(), store.conn, other_log, mine
            )
            incoming.check_ids(store.conn, other_path, other_log, content, mine)
        except sqlite3.Error as exc:
            raise BadFile(_nothing_merged(dbmod._sqlite_error(other_path, exc).message)) from None
        if dry_run:
            result = _merge(store, other, other_log, dry_run=True)
            return describe(result) if describe is not None else result
        with store.transaction(author):
            result = _merge(store, other, other_log, dry_run=False)
            return describe(result) if describe is not None else result
    finally:
        other.close()


def _nothing_merged(message: str) -> str:
    message = message.rstrip(".")
    if "nothing was" in message:
        return message + "."
    return f"{message}; nothing was merged."


def _merge(store: Store, other: _Other, other_log: list[LogRow], *, dry_run: bool) -> MergeResult:
    result = MergeResult(other.path, dry_run)
    local_ids = {r[0] for r in store.conn.execute("SELECT change_id FROM changes")}
    new_rows = [r for r in other_log if r.change_id not in local_ids]
    if not new_rows:
        return result
    touched_ids = {r.entity_id for r in new_rows}
    local_here = _read_log(store.conn, touched_ids)
    other_here = [r for r in other_log if r.entity_id in touched_ids]
    plan = plan_merge(local_here, other_here)
    result.imported = len(plan.imported)
    result.conflicts = plan.conflicts

    new_set = set(plan.new_entities)
    by_entity: dict[str, list[str]] = {}
    for ent, eid in plan.new_entities:
        by_entity.setdefault(ent, []).append(eid)
    for ent, eid in plan.stamps_from_other:
        if (ent, eid) not in new_set:
            by_entity.setdefault(ent, []).append(eid)
    other_rows: dict[tuple[str, str], dict[str, Any]] = {}
    for ent, ids in by_entity.items():
        if ent not in ENTITIES:
            continue
        for eid, row in _read_rows(other.conn, ent, ids).items():
            other_rows[(ent, eid)] = row

    wanted: dict[str, set[str]] = {}
    for ent, eid in [*plan.new_entities, *plan.updates, *plan.stamps_from_other]:
        wanted.setdefault(ent, set()).add(eid)
    local_rows: dict[tuple[str, str], BaseModel] = {}
    for ent, id_set in wanted.items():
        if ent not in ENTITIES:
            continue
        for m in store.get_many(ENTITIES[ent][1], sorted(id_set), include_deleted=True):
            local_rows[(ent, m.id)] = m  # type: ignore[attr-defined]

    theirs_by_entity: dict[tuple[str, str], dict[str, Version]] = {}
    for (e2, id2, fname), v in fold(other_here).items():
        theirs_by_entity.setdefault((e2, id2), {})[fname] = v
    inserted_snapshots: dict[str, dict[str, Any]] = {}
    for r in other_here:
        if r.field == INSERT_FIELD and r.new:
            inserted_snapshots[r.entity_id] = json.loads(r.new)
    inserts: list[tuple[str, BaseModel]] = []
    for ent, eid in plan.new_entities:
        if ent not in ENTITIES:
            continue
        model = ENTITIES[ent][1]
        if (ent, eid) in local_rows:
            # a row with no log entries here: treat it as existing
            plan.updates.setdefault((ent, eid), {}).update(theirs_by_entity.get((ent, eid), {}))
            continue
        theirs_row = other_rows.get((ent, eid))
        data: dict[str, Any] = _json_row(model, theirs_row) if theirs_row is not None else {}
        if theirs_row is None:
            data.update(inserted_snapshots.get(eid, {}))
        fields = set(model.model_fields)
        for fname, v in theirs_by_entity.get((ent, eid), {}).items():
            if fname in fields:
                data[fname] = v.value
        data.update(id=eid, revision=1)
        built = _build(model, data, other.path.name)
        inserts.append((ent, built))
        result.added.append((ent, eid, built.model_dump(mode="json")))

    updates: list[tuple[str, str, BaseModel, list[str]]] = []
    for (ent, eid), fields_v in sorted(plan.updates.items()):
        if ent not in ENTITIES:
            continue
        model = ENTITIES[ent][1]
        current = local_rows.get((ent, eid))
        if current is None:
            continue
        now = current.model_dump(mode="json")
        data = dict(now)
        known = set(model.model_fields)
        for fname, v in fields_v.items():
            if fname in known and fname not in ("id", "revision"):
                data[fname] = v.value
        if (ent, eid) in plan.stamps_from_other and (ent, eid) in other_rows:
            theirs_row = _json_row(model, other_rows[(ent, eid)])
            for s in _stamp_fields(ent):
                if s in theirs_row:
                    data[s] = theirs_row[s]
        built = _build(model, data, other.path.name)
        after = built.model_dump(mode="json")
        changed = [f for f in known if f not in ("id", "revision") and after[f] != now[f]]
        if not changed:
            continue
        updates.append((ent, eid, built, changed))
        stamps = _stamp_fields(ent)
        for f in sorted(changed):
            if f in stamps or f not in fields_v:
                continue
            v = fields_v[f]
            result.changed.append(FieldChange(ent, eid, f, now[f], after[f], v.author, v.hlc))
    # stamps alone (the other copy's newest change touched only fields that already agree)
    for ent, eid in sorted(plan.stamps_from_other):
        if (ent, eid) in plan.updates or (ent, eid) in new_set:
            continue
        if ent not in ENTITIES or (ent, eid) not in other_rows:
            continue
        model = ENTITIES[ent][1]
        current = local_rows.get((ent, eid))
        if current is None:
            continue
        now = current.model_dump(mode="json")
        theirs_row = _json_row(model, other_rows[(ent, eid)])
        data = dict(now)
        for s in _stamp_fields(ent):
            if s in theirs_row:
                data[s] = theirs_row[s]
        built = _build(model, data, other.path.name)
        changed = [s for s in _stamp_fields(ent) if built.model_dump(mode="json")[s] != now[s]]
        if changed:
            updates.append((ent, eid, built, changed))

    if dry_run:
        return result
    conn = store.conn
    for ent, built in inserts:
        insert_row(conn, ent, built)
    for ent, eid, built, changed in updates:
        row = to_row(built)
        sets = ", ".join(f'"{f}" = ?' for f in changed)
        conn.execute(
            f"UPDATE {ENTITIES[ent][0]} SET {sets}, revision = revision + 1 WHERE id = ?",
            (*[row[f] for f in changed], eid),
        )
    conn.executemany(
        f"INSERT OR IGNORE INTO changes ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        plan.imported,
    )
    return result


def safe_copy(store: Store, target: Path | str) -> Path:
    """A consistent copy for a teammate (`VACUUM INTO`, checked); never overwrites a file.

    The copy is made and checked under a temporary name in the target's folder and only then
    linked into place (`outputs.create_output`), so a half-made copy never carries the name.
    A file bridge will not write to (foreign schema objects, rows that disagree with their
    log, a forged stamp) is not shared either: the copy would carry the same fault. A file too
    big for the full check on open gets it now, before anything is written.
    """
    if store.refusal is not None:
        raise BadFile(f"bridge will not share it: {store.refusal.rstrip('.')}.")
    if not store.fully_checked:
        problem = dbmod.full_check(store.conn, store.path)
        if problem is not None:
            store.refuse_writes(checks.untrusted_message(store.path, problem))
            raise BadFile(f"bridge will not share it: {store.read_only_message()}")
        store.fully_checked = True

    def fill(tmp: Path) -> None:
        try:
            dbmod.backup_to(store.conn, tmp)
        except sqlite3.Error as exc:
            err = dbmod._sqlite_error(store.path, exc)
            if isinstance(err, BridgeError):
                raise err from None
            raise

    return outputs.create_output(
        target, fill, database=store.path, exists_hint="choose another name"
    )
