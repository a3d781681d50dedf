"""A corpus of bad files, generated (never committed): each builder turns a small, good bridge
file (made by `good_file`) into one kind of damage, doctoring or wrong thing a person may point
bridge at, or a teammate may send.

Builders take the folder to work in and return the path to hand to bridge. They are
deterministic: the good file is built on a stopped clock from a fixed seed, so the same bytes
are damaged the same way every time.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bridge_tui import hlc
from bridge_tui.clock import Clock
from bridge_tui.models import MetricReading
from bridge_tui.service import Service
from bridge_tui.store import SCHEMA_VERSION, Store

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
SUMMARY = "Routes every load to a free dock"
NAME = "Dispatch routing"


def good_file(path: Path) -> Path:
    """Two initiatives (one in Productionize with its 90-day plan), an answer, a metric."""
    store = Store.create(path, seed=7)
    svc = Service(store, "maya", Clock.fixed(NOW))
    routing = svc.create_initiative(
        NAME,
        stage="productionize",
        force=True,
        reason="in Productionize before bridge",
        owner="Priya Natarajan",
        summary=SUMMARY,
    )
    invoices = svc.create_initiative("Invoice processing", summary="Reads supplier invoices")
    svc.answer(invoices, "D1", "yes", "the data catalogue")
    svc.add_metric(routing, "On-time dispatch", 93.5, target=92, unit="%")
    svc.edit_initiative(svc.initiative(invoices.id), owner="Aisha Rahman")
    store.close()
    return path


def sql(path: Path, *statements: str, params: tuple[Any, ...] = ()) -> None:
    """Run statements with plain sqlite3, as another program would (rollback journal kept)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for s in statements:
            conn.execute(s, params if "?" in s else ())
    finally:
        conn.close()
    assert not Path(str(path) + "-journal").exists()


def first_id(path: Path, table: str) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute(f"SELECT id FROM {table} ORDER BY rowid LIMIT 1").fetchone()[0])
    finally:
        conn.close()


def routing_id(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT id FROM initiatives WHERE name = ?", (NAME,)).fetchone()[0])
    finally:
        conn.close()


def _copy(good: Path, folder: Path, name: str = "bad.db") -> Path:
    path = folder / name
    shutil.copyfile(good, path)
    return path


def _bytes(path: Path, change: Callable[[bytes], bytes]) -> Path:
    path.write_bytes(change(path.read_bytes()))
    return path


# damaged -------------------------------------------------------------------------------------


def cut(at: Callable[[int], int]) -> Callable[[Path, Path], Path]:
    def build(good: Path, folder: Path) -> Path:
        return _bytes(_copy(good, folder), lambda b: b[: at(len(b))])

    return build


def flipped_index_key(good: Path, folder: Path) -> Path:
    """The answer's key changed in its table row but not in its index: quick_check passes,
    integrity_check does not (what a flipped byte in a row usually does)."""
    path = _copy(good, folder)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    iid = conn.execute("SELECT initiative_id FROM answers").fetchone()[0]
    conn.close()
    needle = iid.encode() + b"D1yes"

    def flip(data: bytes) -> bytes:
        assert data.count(needle) == 1
        return data.replace(needle, iid.encode() + b"D2yes")

    return _bytes(path, flip)


def flipped_summary(good: Path, folder: Path) -> Path:
    """One letter of a summary flipped in its row (not in the log's copy of it): the file is
    sound to SQLite, but the row no longer says what its history says."""
    path = _copy(good, folder)
    word = SUMMARY.encode()

    def flip(data: bytes) -> bytes:
        at = [i for i in range(len(data)) if data.startswith(word, i)]
        in_row = [i for i in at if not data[:i].endswith(b'"summary": "')]
        assert len(in_row) == 1, at
        i = in_row[0]
        return data[:i] + b"T" + data[i + 1 :]

    return _bytes(path, flip)


def garbled_page(good: Path, folder: Path) -> Path:
    """A page in the middle overwritten with noise."""
    path = _copy(good, folder)

    def garble(data: bytes) -> bytes:
        page = 4096
        middle = (len(data) // page // 2) * page
        noise = bytes((n * 131 + 7) % 256 for n in range(page))
        return data[:middle] + noise + data[middle + page :]

    return _bytes(path, garble)


def torn_copy(good: Path, folder: Path) -> Path:
    """`cp` while a save ran: the first half of the pages from after the save, the rest from
    before it (and the new pages at the end)."""
    before = good.read_bytes()
    after_path = _copy(good, folder, "after.db")
    store = Store.open(after_path, seed=8)
    svc = Service(store, "maya", Clock.fixed(NOW))
    for n in range(30):
        i = svc.create_initiative(f"Later {n}", summary="x" * 300)
        svc.answer(i, "D2", "no", "y" * 200)
    store.close()
    after = after_path.read_bytes()
    after_path.unlink()
    page = 4096
    half = (len(before) // page // 2) * page
    path = folder / "bad.db"
    path.write_bytes(after[:half] + before[half:] + after[len(before) :])
    return path


# doctored ------------------------------------------------------------------------------------


def _doctored(statement: str, params: tuple[Any, ...] = ()) -> Callable[[Path, Path], Path]:
    """A copy of the good file with one SQL `statement` run on it."""

    def build(good: Path, folder: Path) -> Path:
        path = _copy(good, folder)
        sql(path, statement, params=params)
        return path

    return build


foreign_trigger = _doctored(
    "CREATE TRIGGER evil AFTER INSERT ON changes BEGIN DELETE FROM changes; END"
)
foreign_view = _doctored("CREATE VIEW everything AS SELECT * FROM initiatives")
foreign_table = _doctored("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
foreign_index = _doctored("CREATE UNIQUE INDEX evil_names ON initiatives (name)")


def _forge(stamp: str) -> Callable[[Path, Path], Path]:
    """A change to the owner, logged and applied, stamped `stamp`."""

    def build(good: Path, folder: Path) -> Path:
        path = _copy(good, folder)
        iid = routing_id(path)
        sql(
            path,
            "INSERT INTO changes VALUES (?, ?, 'initiative', ?, 'owner', ?, ?, 'eve', ?)",
            params=(
                str(uuid.uuid4()),
                str(uuid.uuid4()),
                iid,
                json.dumps("Priya Natarajan"),
                json.dumps("Eve"),
                stamp,
            ),
        )
        sql(path, "UPDATE initiatives SET owner = 'Eve' WHERE id = ?", params=(iid,))
        return path

    return build


wrong_type = _doctored(
    "UPDATE initiatives SET pilot_budget = 'lots' WHERE name = ?", params=(NAME,)
)


def dangling_reference(good: Path, folder: Path) -> Path:
    """A metric reading (logged like any) of an initiative that is in neither file."""
    path = _copy(good, folder)
    store = Store.open(path, seed=9)
    store.clock = Clock.fixed(NOW).now
    with store.transaction("eve") as tx:
        tx.insert(
            MetricReading(
                initiative_id=str(uuid.UUID(int=12345, version=4)),
                name="Ghost",
                value=1.0,
                at=NOW.date(),
            )
        )
    store.close()
    return path


def row_against_log(good: Path, folder: Path) -> Path:
    """The owner changed by another program, with no change-log entry."""
    path = _copy(good, folder)
    sql(path, "UPDATE initiatives SET owner = 'Mallory' WHERE name = ?", params=(NAME,))
    return path


def newer_schema(good: Path, folder: Path) -> Path:
    path = _copy(good, folder)
    sql(path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    return path


def wal_mode(good: Path, folder: Path) -> Path:
    path = _copy(good, folder)
    sql(path, "PRAGMA journal_mode = WAL")
    assert sorted(p.name for p in folder.iterdir()) == ["bad.db"]
    return path


# not bridge files ----------------------------------------------------------------------------


def _foreign_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.executemany("INSERT INTO customers (name) VALUES (?)", [("x" * 500,)] * 40)
    conn.close()
    return path


def other_app(good: Path, folder: Path) -> Path:
    return _foreign_sqlite(folder / "bad.db")


def hot_journal_other_app(good: Path, folder: Path) -> Path:
    """Another program's database with the rollback journal its crashed writer left: opening it
    with SQLite would roll that back, changing the other program's file."""
    scratch = folder / "scratch"
    scratch.mkdir()
    source = _foreign_sqlite(scratch / "other.db")
    conn = sqlite3.connect(source, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")  # spill changed pages into the file mid-transaction
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE customers SET name = 'changed' || id")
    conn.execute("INSERT INTO customers (name) SELECT name FROM customers")
    path = folder / "bad.db"
    shutil.copyfile(source, path)
    shutil.copyfile(scratch / "other.db-journal", folder / "bad.db-journal")
    conn.execute("ROLLBACK")
    conn.close()
    shutil.rmtree(scratch)
    assert (folder / "bad.db-journal").stat().st_size > 0
    return path


def fifo(good: Path, folder: Path) -> Path:
    path = folder / "bad.db"
    os.mkfifo(path)
    return path


def directory(good: Path, folder: Path) -> Path:
    path = folder / "bad.db"
    path.mkdir()
    (path / "notes.txt").write_text("x")
    return path


def text_file(good: Path, folder: Path) -> Path:
    path = folder / "bad.db"
    path.write_text("name,stage\nDispatch routing,pilot\n")
    return path


# for merges only: a copy that reuses our ids for something else -------------------------------


def same_change_other_content(good: Path, folder: Path) -> Path:
    """A change we have, with another author: not a copy of this file."""
    path = _copy(good, folder)
    cid = first_change(path)
    sql(path, "UPDATE changes SET author = 'someone else' WHERE change_id = ?", params=(cid,))
    return path


def same_id_created_twice(good: Path, folder: Path) -> Path:
    """Our initiative's id, created by another change there: two things under one id."""
    path = _copy(good, folder)
    iid = routing_id(path)
    sql(
        path,
        "UPDATE changes SET change_id = ? WHERE entity_id = ? AND entity = 'initiative' "
        "AND field = '*'",
        params=(str(uuid.UUID(int=777, version=4)), iid),
    )
    return path


def first_change(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT change_id FROM changes ORDER BY hlc LIMIT 1").fetchone()[0])
    finally:
        conn.close()


#: kind -> (builder, a few words the refusal must contain)
Builder = Callable[[Path, Path], Path]
FAR_FUTURE = "9999999999999999-0000-evil"
GARBAGE = "garbage"

#: refused outright: no command opens them
REFUSED: dict[str, tuple[Builder, str]] = {
    "cut last byte": (cut(lambda n: n - 1), "cut short"),
    "cut at a page": (cut(lambda n: n - 4096), "cut short"),
    "cut in half": (cut(lambda n: n // 2), "cut short"),
    "cut in the header": (cut(lambda n: 60), "not a bridge file"),
    "flipped index key": (flipped_index_key, "indexes and tables disagree"),
    "garbled page": (garbled_page, "damaged"),
    "torn copy": (torn_copy, "damaged"),
    "wrong type": (wrong_type, "value bridge cannot read"),
    "newer schema": (newer_schema, "newer bridge"),
    "WAL mode": (wal_mode, "WAL mode"),
    "hot journal, other app": (hot_journal_other_app, "not a bridge file"),
    "other app": (other_app, "not a bridge file"),
    "FIFO": (fifo, "not a regular file"),
    "directory": (directory, "is a folder"),
    "text": (text_file, "not an SQLite database"),
}
#: readable, but bridge will not write to them
READ_ONLY: dict[str, tuple[Builder, str]] = {
    "foreign trigger": (foreign_trigger, "a trigger 'evil'"),
    "foreign view": (foreign_view, "a view 'everything'"),
    "foreign table": (foreign_table, "a table 'notes'"),
    "foreign index": (foreign_index, "an index 'evil_names'"),
    "stamp far future": (_forge(FAR_FUTURE), "year 318857"),
    "stamp garbage": (_forge(GARBAGE), "unreadable time stamp"),
    "dangling reference": (dangling_reference, "of an initiative that is"),
    "row against log": (row_against_log, "is not what its change log says"),
    "flipped summary": (flipped_summary, "is not what its change log says"),
}
#: fine on their own, refused as a teammate's copy of this file
COLLIDING: dict[str, tuple[Builder, str]] = {
    "same change, other content": (same_change_other_content, "different contents"),
    "same id created twice": (same_id_created_twice, "with the same id"),
}


# exports for `bridge import` -----------------------------------------------------------------


def export_doc(good: Path) -> dict[str, Any]:
    store = Store.open(good, read_only=True)
    try:
        return Service(store, "maya", Clock.fixed(NOW)).export_all()
    finally:
        store.close()


def _routing_row(doc: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in doc["tables"]["initiatives"] if r["name"] == NAME)


def _forged_change(doc: dict[str, Any], stamp: str) -> None:
    row = _routing_row(doc)
    doc["changes"].append(
        {
            "change_id": str(uuid.UUID(int=1, version=4)),
            "tx": str(uuid.UUID(int=2, version=4)),
            "entity": "initiative",
            "entity_id": row["id"],
            "field": "owner",
            "old": row["owner"],
            "new": "Eve",
            "author": "eve",
            "hlc": stamp,
        }
    )
    row["owner"] = "Eve"


def _dangling(doc: dict[str, Any]) -> None:
    reading = dict(doc["tables"]["metrics"][0])
    reading["id"] = str(uuid.UUID(int=3, version=4))
    reading["initiative_id"] = str(uuid.UUID(int=4, version=4))
    doc["tables"]["metrics"].append(reading)
    snapshot = {k: v for k, v in reading.items() if k not in ("id", "revision")}
    doc["changes"].append(
        {
            "change_id": str(uuid.UUID(int=5, version=4)),
            "tx": str(uuid.UUID(int=6, version=4)),
            "entity": "metric",
            "entity_id": reading["id"],
            "field": "*",
            "old": None,
            "new": snapshot,
            "author": "eve",
            "hlc": hlc.make(int(NOW.timestamp() * 1000), 9, "e"),
        }
    )


def _row_against_log(doc: dict[str, Any]) -> None:
    _routing_row(doc)["owner"] = "Mallory"


def _wrong_type(doc: dict[str, Any]) -> None:
    _routing_row(doc)["pilot_budget"] = "lots"


def _not_an_id(doc: dict[str, Any]) -> None:
    doc["changes"][0]["change_id"] = "1"


BAD_EXPORTS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "stamp far future": (lambda d: _forged_change(d, FAR_FUTURE), "year 318857"),
    "stamp garbage": (lambda d: _forged_change(d, GARBAGE), "unreadable time stamp"),
    "stamp two days ahead": (
        lambda d: _forged_change(d, hlc.make(int(NOW.timestamp() * 1000) + 2 * 86_400_000, 0, "e")),
        "more than a day ahead",
    ),
    "dangling reference": (_dangling, "of an initiative that is"),
    "row against log": (_row_against_log, "is not what its change log says"),
    "wrong type": (_wrong_type, "pilot budget"),
    "change id not an id": (_not_an_id, "id is not bridge's"),
}
