"""Opening a file: every bad file is refused with one sentence and left exactly as it was;
a read-only file opens read-only; an older schema is upgraded after a backup; migrations run once.
"""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bridge_tui.errors import BadFile, Busy, ReadOnly
from bridge_tui.models import Initiative
from bridge_tui.store import INSERT_FIELD, SCHEMA_VERSION, Store
from bridge_tui.store import db as dbmod
from bridge_tui.store import migrations as migmod
from bridge_tui.store.repo import to_row

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def bridge_file(path: Path, *, with_row: bool = True) -> Path:
    store = Store.create(path)
    if with_row:
        with store.transaction("maya") as tx:
            tx.insert(
                Initiative(
                    name="Dispatch routing",
                    stage_entered_at=date(2026, 11, 1),
                    created_at=T0,
                    updated_at=T0,
                )
            )
    store.close()
    return path


def raw(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for s in sql:
            conn.execute(s)
    finally:
        conn.close()


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    """Bytes and mtime of the file, and what sits in its folder (no journal left behind)."""
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def set_old_mtime(path: Path) -> None:
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))


# Bad files -----------------------------------------------------------------------------------


def text_file(p: Path) -> Path:
    p.write_text("name,stage\nDispatch routing,pilot\n")
    return p


def empty_file(p: Path) -> Path:
    p.write_bytes(b"")
    return p


def corrupt_file(p: Path) -> Path:
    """A genuine bridge file whose pages after the header were overwritten with garbage."""
    bridge_file(p)
    data = bytearray(p.read_bytes())
    rng = random.Random(1)
    data[100:] = bytes(rng.getrandbits(8) for _ in range(len(data) - 100))
    p.write_bytes(bytes(data))
    return p


def damaged_page(p: Path) -> Path:
    """Header and schema intact, one page deep inside the file garbled: quick_check finds it."""
    store = Store.create(p)
    with store.transaction("maya") as tx:
        for n in range(400):
            tx.insert(
                Initiative(
                    name=f"Initiative {n}",
                    summary="x" * 200,
                    stage_entered_at=date(2026, 11, 1),
                    created_at=T0,
                    updated_at=T0,
                )
            )
    store.close()
    data = bytearray(p.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    rng = random.Random(2)
    data[middle : middle + page] = bytes(rng.getrandbits(8) for _ in range(page))
    p.write_bytes(bytes(data))
    return p


def truncated_file(p: Path) -> Path:
    bridge_file(p)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])
    return p


def short_header(p: Path) -> Path:
    p.write_bytes(dbmod.SQLITE_HEADER + b"\x00" * 20)
    return p


def foreign_db(p: Path) -> Path:
    raw(p, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    raw(p, "INSERT INTO customers (name) VALUES ('ACME')")
    return p


def foreign_with_changes_table(p: Path) -> Path:
    raw(p, "CREATE TABLE changes (id INTEGER PRIMARY KEY)")
    return p


def newer_schema(p: Path) -> Path:
    bridge_file(p)
    raw(p, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    return p


BAD_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "text": (text_file, "is not a bridge file (it is not an SQLite database)"),
    "empty": (empty_file, "is empty, not a bridge file"),
    "corrupt": (corrupt_file, "damaged"),
    "truncated": (truncated_file, "damaged"),
    "damaged page": (damaged_page, "is damaged and cannot be opened as a bridge file"),
    "short header": (short_header, "is not a bridge file"),
    "foreign sqlite": (foreign_db, "is an SQLite database, but not a bridge file"),
    "foreign with a changes table": (foreign_with_changes_table, "not a bridge file"),
    "newer schema": (newer_schema, f"newer bridge (schema {SCHEMA_VERSION + 1}"),
}


@pytest.mark.parametrize("read_only", [False, True], ids=["rw", "ro"])
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_is_refused_and_left_unchanged(tmp_path: Path, kind: str, read_only: bool) -> None:
    make, expected = BAD_FILES[kind]
    path = make(tmp_path / "portfolio.db")
    set_old_mtime(path)
    before = snapshot(path)
    with pytest.raises(BadFile) as info:
        Store.open(path, read_only=read_only)
    message = info.value.message
    assert expected in message
    assert "\n" not in message and message.endswith(".")
    assert "Traceback" not in message
    assert info.value.exit_code == 2
    assert snapshot(path) == before


def test_newer_schema_message_says_which_version(tmp_path: Path) -> None:
    path = newer_schema(tmp_path / "future.db")
    with pytest.raises(BadFile) as info:
        Store.open(path)
    assert info.value.message == (
        f"future.db was written by a newer bridge (schema {SCHEMA_VERSION + 1}; this one reads "
        f"up to {SCHEMA_VERSION}): update bridge to open it."
    )


def test_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio.db"
    folder.mkdir()
    (folder / "notes.txt").write_text("x")
    with pytest.raises(BadFile, match="is a folder, not a bridge file"):
        Store.open(folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_missing_path_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nothing.db"
    with pytest.raises(BadFile, match="does not exist"):
        Store.open(path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = bridge_file(tmp_path / "secret.db")

    def deny(*a: object, **kw: object) -> object:
        raise PermissionError(13, "Permission denied")

    # the header is read with os.open (non-blocking, so a pipe cannot hang it)
    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(BadFile, match="cannot be read: Permission denied"):
        Store.open(path)


# Read-only files -----------------------------------------------------------------------------


def test_read_only_file_opens_read_only(tmp_path: Path) -> None:
    path = bridge_file(tmp_path / "shared.db")
    path.chmod(0o444)
    set_old_mtime(path)
    before = snapshot(path)
    try:
        store = Store.open(path)
        try:
            assert store.read_only
            assert [i.name for i in store.initiatives()] == ["Dispatch routing"]
            with pytest.raises(ReadOnly) as info, store.transaction("maya") as tx:
                tx.update(store.initiatives()[0], None, owner="x")
            assert info.value.message == "shared.db is read-only: changes cannot be saved."
        finally:
            store.close()
        assert snapshot(path) == before
    finally:
        path.chmod(0o644)


def test_read_only_can_be_asked_for(tmp_path: Path) -> None:
    path = bridge_file(tmp_path / "p.db")
    set_old_mtime(path)
    before = snapshot(path)
    store = Store.open(path, read_only=True)
    try:
        assert store.read_only
        with pytest.raises(ReadOnly), store.transaction("maya"):
            pass
    finally:
        store.close()
    assert snapshot(path) == before


def test_is_writable_checks_permission_bits(tmp_path: Path) -> None:
    path = bridge_file(tmp_path / "p.db", with_row=False)
    assert dbmod.is_writable(path)
    path.chmod(0o444)
    try:
        assert not dbmod.is_writable(path)
    finally:
        path.chmod(0o644)
    assert not dbmod.is_writable(tmp_path / "missing.db")


# Creating ------------------------------------------------------------------------------------


def test_create_writes_a_marked_current_schema(tmp_path: Path) -> None:
    path = bridge_file(tmp_path / "new.db", with_row=False)
    assert query(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert query(path, "PRAGMA application_id") == [(migmod.APPLICATION_ID,)]
    assert query(path, "PRAGMA journal_mode") == [("delete",)]
    tables = {r[0] for r in query(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"initiatives", "answers", "plans", "tasks", "metrics", "reviews", "changes"} <= tables
    assert len(migmod.migrations._migrations) == SCHEMA_VERSION


def test_create_never_overwrites(tmp_path: Path) -> None:
    path = bridge_file(tmp_path / "p.db")
    set_old_mtime(path)
    before = snapshot(path)
    with pytest.raises(BadFile, match="already exists; bridge will not overwrite it"):
        Store.create(path)
    assert snapshot(path) == before
    text = text_file(tmp_path / "notes.db")
    with pytest.raises(BadFile, match="already exists"):
        Store.create(text)
    assert text.read_text().startswith("name,stage")


def test_create_in_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match="does not exist"):
        Store.create(tmp_path / "nope" / "p.db")
    assert not (tmp_path / "nope").exists()


# Migrations ----------------------------------------------------------------------------------


def applied(path: Path) -> list[tuple[object, ...]]:
    return query(path, "SELECT migration_set, name, applied_at FROM _sqlite_migrations")


def test_opening_twice_applies_nothing_again(tmp_path: Path) -> None:
    path = bridge_file(tmp_path / "p.db")
    first = applied(path)
    assert [r[1] for r in first] == [m.name for m in migmod.migrations._migrations]
    for _ in range(2):
        store = Store.open(path)
        assert store.backup is None
        store.close()
    assert applied(path) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]


def test_older_user_version_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    """A file stamped with an older version gets a backup; migrations already recorded in it
    are not run again."""
    path = bridge_file(tmp_path / "p.db")
    raw(path, "PRAGMA user_version = 0")
    before = path.read_bytes()
    migrations_before = applied(path)
    store = Store.open(path)
    try:
        assert store.backup == tmp_path / "p.db.schema0.bak"
        assert [i.name for i in store.initiatives()] == ["Dispatch routing"]
    finally:
        store.close()
    assert query(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert applied(path) == migrations_before
    backup = tmp_path / "p.db.schema0.bak"
    assert query(backup, "PRAGMA user_version") == [(0,)]
    assert query(backup, "SELECT name FROM initiatives") == [("Dispatch routing",)]
    assert query(backup, "PRAGMA integrity_check") == [("ok",)]
    assert len(before) > 0
    # Opening again finds the current version: no second backup.
    Store.open(path).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db", "p.db.schema0.bak"]


def one_step_file(path: Path) -> Path:
    """A file as the first bridge wrote it (the caller patches in `one_step_schema`): its one
    initiative written with the columns that schema has, as that bridge would have."""
    store = Store.create(path)
    initiative = Initiative(
        name="Dispatch routing",
        stage_entered_at=date(2026, 11, 1),
        created_at=T0,
        updated_at=T0,
        revision=1,
    )
    row = to_row(initiative)
    cols = [r[1] for r in store.conn.execute("PRAGMA table_info(initiatives)")]
    kept = {k: v for k, v in row.items() if k in cols}
    dumped = initiative.model_dump(mode="json", exclude={"id", "revision"})
    first = {k: v for k, v in dumped.items() if k in cols}
    with store.transaction("maya") as tx:  # the row and its log entry, as that bridge wrote
        store.conn.execute(
            f"INSERT INTO initiatives ({', '.join(kept)}) VALUES ({', '.join('?' for _ in kept)})",
            tuple(kept.values()),
        )
        tx._log("initiative", initiative.id, INSERT_FIELD, None, first)
    store.close()
    return path


def old_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`one_step_file` written by the one-step bridge (its schema patched in for the while)."""
    with monkeypatch.context() as m:
        m.setattr(dbmod, "migrations", one_step_schema())
        m.setattr(dbmod, "SCHEMA_VERSION", 1)
        return one_step_file(path)


def one_step_schema() -> Migrations:
    """The first bridge's schema: the real first step alone (later steps are left out, so the
    "older file" below really is one step old whatever migrations the bridge has since)."""
    one = Migrations("bridge")
    one()(migmod.m001_initial)
    return one


@pytest.fixture
def two_step_schema(monkeypatch: pytest.MonkeyPatch) -> Migrations:
    """A test-only migration set: the real first step plus a harmless second one."""
    test_set = Migrations("bridge")
    test_set()(migmod.m001_initial)

    @test_set()
    def m002_test_notes(db: Database) -> None:
        db.table("test_notes").create({"id": str, "text": str}, pk="id")

    monkeypatch.setattr(dbmod, "migrations", test_set)
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", 2)
    return test_set


def test_older_schema_gets_the_new_migration_after_a_backup(
    tmp_path: Path, two_step_schema: Migrations, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.db"
    old_file(path, monkeypatch)
    assert query(path, "PRAGMA user_version") == [(1,)]
    original = path.read_bytes()

    store = Store.open(path)
    try:
        assert store.backup == tmp_path / "p.db.schema1.bak"
        assert [i.name for i in store.initiatives()] == ["Dispatch routing"]
        with store.transaction("maya") as tx:  # still writable after the upgrade
            tx.update(store.initiatives()[0], None, owner="Priya")
    finally:
        store.close()
    assert query(path, "PRAGMA user_version") == [(2,)]
    assert [r[1] for r in applied(path)] == ["m001_initial", "m002_test_notes"]
    assert query(path, "SELECT count(*) FROM test_notes") == [(0,)]

    backup = tmp_path / "p.db.schema1.bak"
    assert query(backup, "PRAGMA user_version") == [(1,)]
    assert [r[1] for r in applied(backup)] == ["m001_initial"]
    tables = {r[0] for r in query(backup, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "test_notes" not in tables
    assert query(backup, "SELECT name, owner FROM initiatives") == [("Dispatch routing", "")]
    assert len(original) > 0

    # Applied once: a second open neither migrates nor backs up again.
    again = Store.open(path)
    assert again.backup is None
    again.close()
    assert [r[1] for r in applied(path)] == ["m001_initial", "m002_test_notes"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db", "p.db.schema1.bak"]


def test_backup_name_never_overwrites_an_earlier_backup(
    tmp_path: Path, two_step_schema: Migrations, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.db"
    old_file(path, monkeypatch)
    earlier = tmp_path / "p.db.schema1.bak"
    earlier.write_bytes(b"an earlier backup")
    store = Store.open(path)
    store.close()
    assert store.backup == tmp_path / "p.db.schema1.2.bak"
    assert earlier.read_bytes() == b"an earlier backup"


def test_read_only_older_schema_is_refused_untouched(
    tmp_path: Path, two_step_schema: Migrations, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.db"
    old_file(path, monkeypatch)
    path.chmod(0o444)
    set_old_mtime(path)
    before = snapshot(path)
    try:
        with pytest.raises(BadFile, match=r"older schema .* read-only"):
            Store.open(path)
        assert snapshot(path) == before
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("read_only", [False, True], ids=["rw", "ro"])
def test_wal_file_is_refused_before_sqlite_opens_it(tmp_path: Path, read_only: bool) -> None:
    """Opening a WAL file at all (even read-only) makes SQLite create -wal and -shm files next
    to it: the header says WAL, so it is refused with how to switch it back, untouched."""
    path = bridge_file(tmp_path / "p.db")
    raw(path, "PRAGMA journal_mode = WAL")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db"]
    set_old_mtime(path)
    before = snapshot(path)
    with pytest.raises(BadFile, match="WAL mode") as info:
        Store.open(path, read_only=read_only)
    assert "PRAGMA journal_mode=DELETE" in info.value.message
    assert snapshot(path) == before
    raw(path, "PRAGMA journal_mode = DELETE")  # what the message says to do
    Store.open(path).close()


def test_locked_file_is_busy_not_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = bridge_file(tmp_path / "p.db")
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 0.05)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE initiatives SET owner = 'x'")
        with pytest.raises(Busy, match="is busy"):
            Store.open(path)
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    Store.open(path).close()


def test_a_crash_mid_write_leaves_nothing_half_written(tmp_path: Path) -> None:
    """A writer killed inside its transaction leaves a hot journal; the next open rolls it
    back, so the file holds either all of a transaction or none of it."""
    import subprocess
    import sys

    path = bridge_file(tmp_path / "p.db")
    code = (
        "import os, sqlite3\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('PRAGMA cache_size = 1')\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.execute(\"UPDATE initiatives SET name = 'half-written'\")\n"
        "for n in range(2000):\n"
        "    c.execute('INSERT INTO changes (change_id, hlc) VALUES (?, ?)', (str(n), 'x' * 300))\n"
        "os.kill(os.getpid(), 9)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=False, timeout=60)
    assert (tmp_path / "p.db-journal").exists()
    store = Store.open(path)
    try:
        assert [i.name for i in store.initiatives()] == ["Dispatch routing"]
        assert len(store.changes(expand=False)) == 1
        assert store.integrity() == "ok"
    finally:
        store.close()
    assert not (tmp_path / "p.db-journal").exists()


def test_opening_and_reading_a_good_file_changes_nothing(tmp_path: Path) -> None:
    path = bridge_file(tmp_path / "p.db")
    set_old_mtime(path)
    before = snapshot(path)
    store = Store.open(path)
    try:
        assert not store.read_only
        store.initiatives()
        store.changes()
        store.data_version()
    finally:
        store.close()
    assert snapshot(path) == before


def test_a_first_schema_file_gains_the_sustain_fields_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """m003 (issue 11) adds the commitment end date, the designed volume, the volume metric and
    builds-on to every initiative, empty: an upgraded file reads exactly as before."""
    path = tmp_path / "p.db"
    old_file(path, monkeypatch)
    store = Store.open(path)
    try:
        assert store.backup == tmp_path / "p.db.schema1.bak"
        (i,) = store.initiatives()
        assert i.maintenance_committed_until is None
        assert i.designed_volume is None
        assert i.volume_metric == ""
        assert i.builds_on is None
        with store.transaction("maya") as tx:
            tx.update(i, None, maintenance_committed_until=date(2027, 12, 31), designed_volume=900)
        (again,) = store.initiatives()
        assert again.maintenance_committed_until == date(2027, 12, 31)
        assert again.designed_volume == 900
    finally:
        store.close()
    assert "m003_sustain_and_extend" in [r[1] for r in applied(path)]
    cols = {r[1] for r in query(path, "PRAGMA table_info(initiatives)")}
    assert {"maintenance_committed_until", "designed_volume", "volume_metric", "builds_on"} <= cols
