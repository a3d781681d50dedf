"""What bridge checks about a file before it trusts it, cheapest first.

1. `preflight`: plain file reads, before SQLite ever opens the path (SQLite would block on a
   pipe, roll back another program's hot journal, or create `-wal`/`-shm` files next to a WAL
   file). It must be a regular file, an SQLite database marked as bridge's (the application id
   in the header), not in WAL mode, and exactly as long as its header says (page count times
   page size): a copy cut short or with bytes added at its end is refused here. Microseconds.
2. `foreign_objects`: the schema holds exactly the tables and indexes bridge's migrations
   create, and no trigger or view. Anything else could rewrite what bridge writes, so such a
   file is only opened read-only. Under a millisecond.
3. `stamp_problem`: the newest and oldest change-log stamps are well formed and plausible (two
   index lookups); the full check reads every one.
4. SQLite's own `quick_check` (pages and records) on every open; `integrity_check` (indexes
   against tables too) and `bridge_tui.store.verify` (rows, ids, references, stamps, and the
   rows against their log) as the full check: on open for files up to `FULL_CHECK_BYTES`,
   before a share of a bigger one, with `bridge check`, and on every export being imported.
   A copy being merged gets it whole up to that size, and for what the merge takes beyond it
   (`incoming`).

Every refusal is one sentence that says what is wrong and how to get a good copy back.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from bridge_tui import hlc
from bridge_tui.errors import BadFile
from bridge_tui.store import schema

if TYPE_CHECKING:
    from sqlite_utils.migrations import Migrations

SQLITE_HEADER = b"SQLite format 3\x00"
#: a file up to this size gets the full check every time it is opened: about 100 initiatives
#: with their answers and history, where it costs under 0.1 s (README, "What bridge checks")
FULL_CHECK_BYTES = 2 * 1024 * 1024


class Header(NamedTuple):
    """What the first 100 bytes of an SQLite file say about it."""

    size: int
    page_size: int
    #: pages the header says the file has (None when that field is not current)
    page_count: int | None
    application_id: int
    user_version: int
    wal: bool
    #: a rollback journal lies beside the file: a writer stopped mid-save
    hot_journal: bool


def journal_of(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def recovery_hint(path: Path) -> str:
    """How to get a good copy back: the newest upgrade backup beside the file, if any."""
    backups: list[Path] = []
    with contextlib.suppress(OSError):
        backups = sorted(path.parent.glob(f"{path.name}.schema*.bak"), key=os.path.getmtime)
    if backups:
        return (
            f"to recover, restore the backup {backups[-1].name} next to it, or ask a teammate "
            "for a good copy ('bridge share')"
        )
    return "to recover, use a backup, or ask a teammate for a good copy ('bridge share')"


def _read_head(path: Path) -> tuple[bytes, os.stat_result]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise BadFile(f"{path} does not exist.") from None
    except OSError as exc:
        raise BadFile(f"{path.name} cannot be read: {exc.strerror}.") from None
    if stat.S_ISDIR(st.st_mode):
        raise BadFile(f"{path} is a folder, not a bridge file.")
    if not stat.S_ISREG(st.st_mode):
        raise BadFile(
            f"{path} is not a regular file (a pipe, a device or a socket), so not a bridge file."
        )
    # O_NONBLOCK: if the path was swapped for a pipe since the stat, opening it cannot hang
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise BadFile(f"{path.name} cannot be read: {exc.strerror}.") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise BadFile(f"{path} is not a regular file, so not a bridge file.")
        head = os.read(fd, 100)
    except OSError as exc:
        raise BadFile(f"{path.name} cannot be read: {exc.strerror}.") from None
    finally:
        os.close(fd)
    return head, st


def read_header(path: Path) -> Header:
    """Parse the header with plain reads; refuse anything that is not an SQLite file."""
    head, st = _read_head(path)
    if not head:
        raise BadFile(f"{path.name} is empty, not a bridge file.")
    if not head.startswith(SQLITE_HEADER) or len(head) < 100:
        raise BadFile(f"{path.name} is not a bridge file (it is not an SQLite database).")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    counter = head[24:28]
    pages = int.from_bytes(head[28:32], "big")
    valid_for = head[92:96]
    journal = journal_of(path)
    hot = False
    with contextlib.suppress(OSError):
        jst = os.lstat(journal)
        if not stat.S_ISREG(jst.st_mode):
            raise BadFile(
                f"{path.name} has something that is not a file at {journal.name} beside it; "
                "move that away first."
            )
        hot = jst.st_size > 0
    return Header(
        size=st.st_size,
        page_size=page_size,
        page_count=pages if pages > 0 and counter == valid_for else None,
        application_id=int.from_bytes(head[68:72], "big"),
        user_version=int.from_bytes(head[60:64], "big", signed=True),
        wal=head[18] == 2 or head[19] == 2,
        hot_journal=hot,
    )


def preflight(path: Path, application_id: int, schema_version: int) -> Header:
    """Every check that needs no SQLite, in the order a person would want to hear them."""
    header = read_header(path)
    if header.application_id != application_id:
        # never let SQLite open it: it would roll back that program's unfinished write
        raise BadFile(f"{path.name} is an SQLite database, but not a bridge file.")
    if header.user_version > schema_version:
        raise BadFile(
            f"{path.name} was written by a newer bridge (schema {header.user_version}; this one "
            f"reads up to {schema_version}): update bridge to open it."
        )
    if header.wal:
        raise BadFile(
            f"{path.name} was switched to SQLite's WAL mode outside bridge (bridge never uses "
            "it: the file would travel with -wal and -shm files beside it); switch it back with "
            f"\"sqlite3 {path.name} 'PRAGMA journal_mode=DELETE'\" and open it again."
        )
    if not header.hot_journal:
        size_problem(path, header)
    return header


def size_problem(path: Path, header: Header) -> None:
    """A file is exactly page count x page size long; a copy cut short is not."""
    size, page = header.size, header.page_size
    expected = header.page_count * page if header.page_count is not None else None
    if expected is None and size % page == 0:
        return
    if expected is not None and size == expected:
        return
    if expected is not None and size < expected:
        what = f"is cut short ({size:,} bytes of {expected:,}; copied while being written?)"
    elif expected is not None:
        what = f"has {size - expected:,} bytes too many at its end"
    else:
        what = "is not a whole number of pages long"
    raise BadFile(
        f"{path.name} is damaged: it {what}; bridge will not open it; {recovery_hint(path)}."
    )


# the schema ----------------------------------------------------------------------------------

_EXPECTED: dict[tuple[int, int], dict[tuple[str, str], Any]] = {}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _signature(conn: sqlite3.Connection) -> dict[tuple[str, str], Any]:
    """(type, name) -> what matters about each object: columns, index keys, its table."""
    out: dict[tuple[str, str], Any] = {}
    rows = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    for kind, name, table in rows:
        if name == "_sqlite_migrations" or table == "_sqlite_migrations":
            out[(kind, name)] = table  # sqlite-utils' own bookkeeping: its shape is theirs
        elif kind == "table":
            cols = conn.execute(f"PRAGMA table_xinfo({_quote(name)})").fetchall()
            fks = conn.execute(f"PRAGMA foreign_key_list({_quote(name)})").fetchall()
            out[(kind, name)] = (tuple(tuple(c[1:]) for c in cols), tuple(fks))
        elif kind == "index":
            keys = conn.execute(f"PRAGMA index_xinfo({_quote(name)})").fetchall()
            listed = conn.execute(f"PRAGMA index_list({_quote(table)})").fetchall()
            flags = next(((r[2], r[4]) for r in listed if r[1] == name), None)
            out[(kind, name)] = (table, tuple(tuple(k[1:]) for k in keys), flags)
        else:
            out[(kind, name)] = table
    return out


def migration_names(migrations: Migrations) -> list[str]:
    """The names of the migrations, in order: all of them are pending in an empty database."""
    from sqlite_utils import Database

    return [m.name for m in migrations.pending(Database(memory=True))]


def expected_objects(migrations: Migrations, version: int) -> dict[tuple[str, str], Any]:
    """The schema objects the first `version` migrations create, read from a scratch database."""
    key = (id(migrations), version)
    if key not in _EXPECTED:
        from sqlite_utils import Database

        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            steps = migration_names(migrations)
            stop = steps[version] if version < len(steps) else None
            migrations.apply(Database(conn), stop_before=stop)
            _EXPECTED[key] = _signature(conn)
        finally:
            conn.close()
    return _EXPECTED[key]


_KIND_WORDS = {"table": "a table", "index": "an index", "trigger": "a trigger", "view": "a view"}


def _recorded(conn: sqlite3.Connection, set_name: str) -> list[str]:
    """The names of the migrations of `set_name` the file records as applied, in order."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone():
        return []
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            (set_name,),
        )
    ]


def applied_count(conn: sqlite3.Connection, migrations: Migrations) -> int | None:
    """How many of our migrations the file records as applied (None: ones we do not know)."""
    names = _recorded(conn, migrations.name)
    ours = migration_names(migrations)
    return len(names) if names == ours[: len(names)] else None


def foreign_objects(conn: sqlite3.Connection, migrations: Migrations | None = None) -> list[str]:
    """What the file holds that bridge did not create ("a trigger 'evil'"), or changed,
    compared with what the migrations it records as applied create.

    With no `migrations` (bridge's own): a file with every migration applied whose schema
    hashes to `schema.SIGNATURE_DIGEST` is answered without loading the migrations (nor
    sqlite-utils); any other file is compared object by object as before."""
    found = _signature(conn)
    if migrations is None:
        if (
            tuple(_recorded(conn, schema.MIGRATION_SET)) == schema.MIGRATION_NAMES
            and schema.digest(found) == schema.SIGNATURE_DIGEST
        ):
            return []
        from bridge_tui.store import migrations as ours

        migrations = ours.migrations
    applied = applied_count(conn, migrations)
    if applied is None:
        return ["migrations this bridge does not know"]
    expected = expected_objects(migrations, applied)
    out: list[str] = []
    for (kind, name), sig in found.items():
        words = _KIND_WORDS.get(kind, f"a {kind}")
        if (kind, name) not in expected:
            out.append(f"{words} '{name}'")
        elif expected[(kind, name)] != sig:
            out.append(f"{words} '{name}' changed from what bridge made")
    return out


def foreign_message(path: Path, found: list[str]) -> str:
    listed = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    return (
        f"{path.name} holds {listed} that bridge did not create, which could rewrite what you "
        "save, so it is open read-only; to get a clean copy, ask a teammate to 'bridge share' "
        "theirs, or export this one and import it into a new file"
    )


# stamps --------------------------------------------------------------------------------------


def stamp_problem(conn: sqlite3.Connection, now: datetime) -> str | None:
    """The newest and oldest stamps (two index lookups): garbage sorts to one end or the other,
    a forged far-future stamp to the top."""
    for sql in ("SELECT max(hlc) FROM changes", "SELECT min(hlc) FROM changes"):
        stamp = conn.execute(sql).fetchone()[0]
        if stamp is None:
            return None
        found = hlc.problem(stamp, now)
        if found:
            return found
    return None


def stamp_refusal(conn: sqlite3.Connection, path: Path, now: datetime) -> str | None:
    """Why the file must not be written to, going by its newest and oldest stamps
    (`stamp_problem`), or None. A read that fails here (a busy file) is not damage: the open
    checks already vouched for the file."""
    try:
        problem = stamp_problem(conn, now)
    except sqlite3.Error:
        return None
    return None if problem is None else stamps_message(path, problem)


def stamps_message(path: Path, problem: str) -> str:
    clock = "if this computer's date is wrong, correct it; " if "ahead" in problem else ""
    return (
        f"{path.name} {problem}, so bridge will not write to it (every new change would be "
        f"stamped after that one; it is open read-only); {clock}{recovery_hint(path)}"
    )


def untrusted_message(path: Path, problem: str) -> str:
    return (
        f"{path.name} {problem}, so bridge will not write to it (it is open read-only); "
        f"{recovery_hint(path)}"
    )
