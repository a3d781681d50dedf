"""The one write path that keeps the change log true (rows: `rows.py`; reads: `reads.py`).

Every write happens inside `Store.transaction(author)`: one `BEGIN IMMEDIATE` transaction that
updates the rows and appends one `changes` row per field changed, stamped with a hybrid logical
clock. Updates name the revision they read; a stale one is refused with who saved first.
"""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bridge_tui import hlc
from bridge_tui.clock import Clock
from bridge_tui.errors import BadFile, BadInput, Busy, ReadOnly, Replaced, StaleRevision
from bridge_tui.models import Change, keeping, validation_message
from bridge_tui.store import db as dbmod
from bridge_tui.store import flowlog, scorelog
from bridge_tui.store.checks import journal_of
from bridge_tui.store.reads import Reads
from bridge_tui.store.rows import (
    ENTITIES,
    ENTITY_OF_MODEL,
    INSERT_FIELD,
    JSON_FIELDS,
    M,
    from_row,
    insert_row,
    to_row,
)
from bridge_tui.store.rows import quote_name as _q

__all__ = [
    "ENTITIES",
    "ENTITY_OF_MODEL",
    "INSERT_FIELD",
    "JSON_FIELDS",
    "Store",
    "Tx",
    "from_row",
    "insert_row",
    "to_row",
]


def _identity(path: Path) -> tuple[int, int] | None:
    from bridge_tui.store.gitfile import identity

    return identity(path)


def _field_value(model: BaseModel, name: str) -> Any:
    """The JSON form of one field, as written into the change log."""
    return model.model_dump(mode="json", include={name})[name]


class Tx:
    """The writes of one transaction; created by `Store.transaction`."""

    def __init__(self, store: Store, author: str) -> None:
        self.store = store
        self.author = author
        self.id = store.new_id()
        self.changes: list[Change] = []
        self._hlc = store._last_hlc()
        #: (entity, id) -> revision of each row this transaction read or wrote: `save` writes
        #: onto those without reading them again
        self._read: dict[tuple[str, str], int] = {}

    def _stamp(self) -> str:
        self._hlc = hlc.tick(self._hlc, self.store.clock(), self.store.node)
        return self._hlc

    def _log(self, entity: str, entity_id: str, field: str, old: Any, new: Any) -> None:
        change = Change(
            change_id=self.store.new_id(),
            tx=self.id,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old=old,
            new=new,
            author=self.author,
            hlc=self._stamp(),
        )
        self.changes.append(change)

    def insert(self, model: M) -> M:
        entity = ENTITY_OF_MODEL[type(model)]
        model = model.model_copy(update={"revision": 1})
        ident: str = model.id  # type: ignore[attr-defined]
        try:
            insert_row(self.store.conn, entity, model)
        except sqlite3.IntegrityError:
            raise BadInput(f"a {entity} with id {ident} already exists.") from None
        snapshot = model.model_dump(mode="json", exclude={"id", "revision"})
        # One log entry for a new row: field "*" holds every field's first value.
        self._log(entity, ident, INSERT_FIELD, None, snapshot)
        self._read[(entity, ident)] = 1
        return model

    def get(self, model: type[M], ident: str) -> M | None:
        """The row as stored now (deleted too), read under this transaction's lock: nobody
        else can write it before the commit, so `save` may write onto it without reading it
        again."""
        found = self.store.get(model, ident, include_deleted=True)
        if found is not None:
            self._read[(ENTITY_OF_MODEL[model], ident)] = found.revision  # type: ignore[attr-defined]
        return found

    def current(self, model: M, expected_revision: int | None = None) -> M:
        """The stored row `model` was read from, refused if someone saved it since: the one
        revision check of a write, made inside the transaction.

        `expected_revision` defaults to the revision of `model` itself, so passing the model a
        screen or form was built from is enough to get the check.
        """
        entity = ENTITY_OF_MODEL[type(model)]
        ident: str = model.id  # type: ignore[attr-defined]
        current = self.get(type(model), ident)
        if current is None:
            raise BadInput(f"no {entity} with id {ident}.")
        expected = model.revision if expected_revision is None else expected_revision  # type: ignore[attr-defined]
        if current.revision != expected:  # type: ignore[attr-defined]
            raise self.store.stale(entity, ident)
        return current

    def update(self, model: M, expected_revision: int | None = None, **fields: Any) -> M:
        """Save `fields` onto the row `model` was read from; refuse if it changed since
        (`current`, then `save`)."""
        return self.save(self.current(model, expected_revision), **fields)

    def save(self, current: M, **fields: Any) -> M:
        """Save `fields` onto `current`, a row this transaction read (`get`, `current`) or
        wrote: its revision was checked when it was read, and nothing else can have written it
        since."""
        entity = ENTITY_OF_MODEL[type(current)]
        table, cls = ENTITIES[entity]
        ident: str = current.id  # type: ignore[attr-defined]
        if self._read.get((entity, ident)) != current.revision:  # type: ignore[attr-defined]
            raise RuntimeError(f"save a {entity} row read in this transaction (Tx.current)")
        try:
            # what `current` already holds passes as it is; only the new values are checked
            updated = cls.model_validate(
                {**current.model_dump(), **fields}, context=keeping(current)
            )
        except ValidationError as exc:
            raise BadInput(validation_message(exc)) from None
        changed = [
            f
            for f in fields
            if _field_value(updated, f) != _field_value(current, f) and f != "revision"
        ]
        stamps: frozenset[str] = getattr(cls, "STAMP_FIELDS", frozenset())
        if not [f for f in changed if f not in stamps]:
            return current  # only who/when would change
        updated = updated.model_copy(update={"revision": current.revision + 1})  # type: ignore[attr-defined]
        row = to_row(updated)
        sets = ", ".join(f"{_q(f)} = ?" for f in [*changed, "revision"])
        self.store.conn.execute(
            f"UPDATE {table} SET {sets} WHERE id = ?",
            (*[row[f] for f in changed], row["revision"], ident),
        )
        self._read[(entity, ident)] = updated.revision  # type: ignore[attr-defined]
        for f in changed:
            if f not in stamps:
                self._log(entity, ident, f, _field_value(current, f), _field_value(updated, f))
        return updated  # type: ignore[return-value]

    def delete(self, model: M, expected_revision: int | None = None) -> M:
        """A tombstone: the row stays, marked deleted, so a merge cannot resurrect it."""
        return self.update(model, expected_revision, deleted=True)

    def apply_field(self, entity: str, entity_id: str, field: str, value: Any) -> None:
        """Set one field without a revision check (undo uses it); logged like any."""
        current = self.get(ENTITIES[entity][1], entity_id)
        if current is None:
            raise BadInput(f"no {entity} with id {entity_id}.")
        self.save(current, **{field: value})


class Store(Reads):
    """One open bridge file. Only this package touches SQLite."""

    #: transactions committed by any store in this process: an error message can then say
    #: truthfully whether a change was saved before it happened
    commits = 0

    def __init__(
        self,
        opened: dbmod.Opened,
        *,
        clock: Callable[[], datetime] | None = None,
        seed: int | None = None,
    ) -> None:
        self.conn = opened.conn
        self.path = opened.path
        self.read_only = opened.read_only
        self.backup = opened.backup
        #: why bridge will not write to this file although it could (None: it will, or the
        #: file itself is read-only); every refused write says this
        self.refusal: str | None = opened.refusal
        #: the full check ran (on open, or before a share) and found nothing wrong
        self.fully_checked = opened.checked and opened.refusal is None
        #: the service replaces this with its one clock (`bridge_tui.clock`)
        self.clock: Callable[[], datetime] = clock or Clock.system().now
        self._rng = random.Random(seed) if seed is not None else None
        self.node = self.new_id()[:8]
        self._in_tx = False
        #: the file the path named when it was opened: git writes a new file under the name
        #: (pull, checkout), and a save into the old one would be lost (`gitfile`)
        self.identity = _identity(self.path)

    # opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False, **kw: Any) -> Store:
        return cls(dbmod.open_file(Path(path), read_only=read_only), **kw)

    @classmethod
    def create(cls, path: Path | str, **kw: Any) -> Store:
        return cls(dbmod.create_file(Path(path)), **kw)

    @classmethod
    @contextmanager
    def creating(cls, path: Path | str, **kw: Any) -> Iterator[Store]:
        """A new file at `path`, closed after the block; when the block fails, the file (and
        its journal) is removed, so a refused import or restore leaves nothing behind."""
        path = Path(path)
        store = cls.create(path, **kw)
        ok = False
        try:
            yield store
            ok = True
        finally:
            store.close()
            if not ok:
                for leftover in (path, journal_of(path)):
                    with contextlib.suppress(OSError):
                        leftover.unlink()

    def close(self) -> None:
        self.conn.close()

    def refuse_writes(self, reason: str) -> None:
        """From now on every write is refused with `reason` (what is wrong, how to recover)."""
        self.read_only = True
        self.refusal = reason

    def read_only_message(self) -> str:
        if self.refusal:
            return self.refusal.rstrip(".") + "."
        return f"{self.path.name} is read-only: changes cannot be saved."

    def check_stamps(self) -> str | None:
        """The newest and oldest change-log stamps against our clock (two index lookups): a
        forged or garbled stamp would be followed by every later change, so the file is
        refused for writing. Returns the reason, or None."""
        from bridge_tui.store import checks

        if self.refusal is not None:
            return self.refusal
        reason = checks.stamp_refusal(self.conn, self.path, self.clock())
        if reason is not None:
            self.refuse_writes(reason)
        return reason

    def full_check(self) -> tuple[int, int]:
        """The full check whatever the file's size (`bridge check`): integrity_check, every row
        and log entry, the stamps against our clock. Damage raises BadFile; a file that cannot
        be trusted is refused for writing and raises BadFile with the reason. Returns (rows,
        change-log entries) checked."""
        if self.refusal is not None:
            raise BadFile(self.read_only_message())
        problem = dbmod.full_check(self.conn, self.path)
        if problem is not None:
            from bridge_tui.store import checks

            self.refuse_writes(checks.untrusted_message(self.path, problem))
            raise BadFile(self.read_only_message())
        if self.check_stamps() is not None:
            raise BadFile(self.read_only_message())
        self.fully_checked = True
        tables = [t for t, _ in ENTITIES.values()]
        rows = sum(self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
        log = self.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        return int(rows), int(log)

    def reseed(self, seed: int) -> None:
        """Make ids (and the clock's node) deterministic: the sample and benchmarks use it."""
        self._rng = random.Random(seed)
        self.node = self.new_id()[:8]

    def new_id(self) -> str:
        if self._rng is not None:
            return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        return str(uuid.uuid4())

    # writing ---------------------------------------------------------------------------------

    def _last_hlc(self) -> str | None:
        row = self.conn.execute("SELECT max(hlc) FROM changes").fetchone()
        return row[0] if row else None

    @contextmanager
    def transaction(self, author: str) -> Iterator[Tx]:
        if self.read_only:
            raise ReadOnly(self.read_only_message())
        if self._in_tx:
            raise RuntimeError("nested bridge transactions are not supported")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._busy(exc) from None
        self._in_tx = True
        try:
            self._refuse_if_replaced()
            tx = Tx(self, author)
            yield tx
            self._append_changes(tx.changes)
            flowlog.refresh(self.conn)
            scorelog.refresh(self.conn)
            self._refuse_if_replaced()
            self.conn.execute("COMMIT")
            Store.commits += 1
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise self._busy(exc) from None
        except BaseException:
            self._rollback()
            raise
        finally:
            self._in_tx = False

    def replaced(self) -> bool:
        """The path names another file than the one open (git replaced it, or it is gone)."""
        return _identity(self.path) != self.identity

    def _refuse_if_replaced(self) -> None:
        if self.replaced():
            raise Replaced(
                f"{self.path.name} was replaced on disk while it was open (git or another "
                "program wrote a new file under its name); nothing was saved. bridge reopens "
                "the new file: check what it shows, then save again."
            )

    def _append_changes(self, changes: Iterable[Change]) -> None:
        self.conn.executemany(
            "INSERT INTO changes (change_id, tx, entity, entity_id, field, old, new, author, hlc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.change_id,
                    c.tx,
                    c.entity,
                    c.entity_id,
                    c.field,
                    json.dumps(c.old),
                    json.dumps(c.new),
                    c.author,
                    c.hlc,
                )
                for c in changes
            ],
        )

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def _busy(self, exc: sqlite3.OperationalError) -> Exception:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return Busy(
                f"{self.path.name} is busy: another program kept it locked; "
                "nothing was saved, try again."
            )
        if "readonly" in text or "read-only" in text:
            return ReadOnly(f"{self.path.name} is read-only: changes cannot be saved.")
        return exc

    def stale(self, entity: str, entity_id: str) -> StaleRevision:
        """The refusal for a stale update: who saved this row last, when, and what they set."""
        row = self.conn.execute(
            "SELECT author, hlc, tx FROM changes WHERE entity_id = ? ORDER BY hlc DESC LIMIT 1",
            (entity_id,),
        ).fetchone()
        if row is None:
            return StaleRevision(
                f"someone else changed this {entity}; reload to see their change.",
                author="someone",
                at="a moment ago",
            )
        author, stamp, tx = row
        fields = tuple(
            f
            for (f,) in self.conn.execute(
                "SELECT field FROM changes WHERE tx = ? AND entity_id = ? ORDER BY hlc",
                (tx, entity_id),
            )
        )
        at = hlc.hlc_time(stamp).astimezone()
        now = self.clock().astimezone()
        when = at.strftime("%H:%M") if at.date() == now.date() else at.strftime("%Y-%m-%d %H:%M")
        shown = [f.replace("_", " ") for f in fields if f != INSERT_FIELD]
        if INSERT_FIELD in fields:
            what = f"created this {entity}"
        else:
            what = f"changed this {entity}" + (f" ({', '.join(shown)})" if shown else "")
        return StaleRevision(
            f"{author} {what} at {when}, after you read it; reload to see their change "
            "(nothing of yours was saved).",
            author=author,
            at=when,
            fields=tuple(f for f in fields if f != INSERT_FIELD),
        )

    # reading ---------------------------------------------------------------------------------
    def integrity(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def copy_to(self, target: Path) -> None:
        dbmod.backup_to(self.conn, Path(target))

    def load_verbatim(self, rows: dict[str, list[BaseModel]], changes: list[Change]) -> None:
        """Restore rows (revision and all) and change-log rows exactly as given, in one
        transaction, logging nothing new: `bridge import` rebuilds an export with it, so an
        export of the new file matches the original byte for byte. For a new, empty file."""
        try:
            with self.transaction("import") as tx:
                for entity, models in rows.items():
                    for model in models:
                        insert_row(self.conn, entity, model)
                flowlog.list_all(self.conn)  # rows without a log row of theirs have stays too
                tx.changes.extend(changes)  # the log rows as given: the commit appends them
        except sqlite3.IntegrityError as exc:
            raise BadInput(f"the rows cannot be loaded: {exc}.") from None
