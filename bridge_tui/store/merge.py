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

The rules themselves are pure and live in `merge_rules`; this module reads the two files and
writes what the rules decide.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bridge_tui.errors import BadFile, BridgeError, ReadOnly
from bridge_tui.models import FROM_FILE
from bridge_tui.store import checks, incoming, outputs
from bridge_tui.store import db as dbmod
from bridge_tui.store.merge_rules import (
    Conflict,
    FieldChange,
    LogRow,
    Version,
    fold,
    plan_merge,
    stamp_fields,
)
from bridge_tui.store.repo import ENTITIES, INSERT_FIELD, Store, from_row, insert_row, to_row
from bridge_tui.store.schema import SCHEMA_VERSION

__all__ = [
    "Conflict",
    "FieldChange",
    "LogRow",
    "MergeResult",
    "Version",
    "fold",
    "merge_file",
    "plan_merge",
    "read_log",
    "safe_copy",
]

T = TypeVar("T")
_COLUMNS = "change_id, tx, entity, entity_id, field, old, new, author, hlc"
_CHUNK = 500


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


# reading the other file -----------------------------------------------------------------------


def read_log(conn: sqlite3.Connection, entity_ids: Iterable[str] | None = None) -> list[LogRow]:
    """A file's change-log rows as stored: all of them, or those of the given entities."""
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


def _take_stamps(ent: str, theirs_row: dict[str, Any], data: dict[str, Any]) -> None:
    """The other copy's who/when stamps (those its row holds) onto `data`."""
    for s in stamp_fields(ent):
        if s in theirs_row:
            data[s] = theirs_row[s]


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
            other_log = read_log(other.conn)
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
    local_here = read_log(store.conn, touched_ids)
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

    def local_json(ent: str, eid: str) -> tuple[type[BaseModel], dict[str, Any]] | None:
        """The model and this copy's row as JSON, for a known row this copy holds."""
        current = local_rows.get((ent, eid)) if ent in ENTITIES else None
        if current is None:
            return None
        return ENTITIES[ent][1], current.model_dump(mode="json")

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
        if (local := local_json(ent, eid)) is None:
            continue
        model, now = local
        data = dict(now)
        known = set(model.model_fields)
        for fname, v in fields_v.items():
            if fname in known and fname not in ("id", "revision"):
                data[fname] = v.value
        if (ent, eid) in plan.stamps_from_other and (ent, eid) in other_rows:
            _take_stamps(ent, _json_row(model, other_rows[(ent, eid)]), data)
        built = _build(model, data, other.path.name)
        after = built.model_dump(mode="json")
        changed = [f for f in known if f not in ("id", "revision") and after[f] != now[f]]
        if not changed:
            continue
        updates.append((ent, eid, built, changed))
        stamps = stamp_fields(ent)
        for f in sorted(changed):
            if f in stamps or f not in fields_v:
                continue
            v = fields_v[f]
            result.changed.append(FieldChange(ent, eid, f, now[f], after[f], v.author, v.hlc))
    # stamps alone (the other copy's newest change touched only fields that already agree)
    for ent, eid in sorted(plan.stamps_from_other):
        if (ent, eid) in plan.updates or (ent, eid) in new_set:
            continue
        if (ent, eid) not in other_rows or (local := local_json(ent, eid)) is None:
            continue
        model, now = local
        data = dict(now)
        _take_stamps(ent, _json_row(model, other_rows[(ent, eid)]), data)
        built = _build(model, data, other.path.name)
        changed = [s for s in stamp_fields(ent) if built.model_dump(mode="json")[s] != now[s]]
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
