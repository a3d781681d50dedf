"""Opening a file safely: every check runs before anything could write to it.

A path that is not a bridge file (missing, a directory, empty, text, corrupt, someone else's
SQLite database, a newer schema) is refused with one sentence and left byte-for-byte as it was.
An older schema is upgraded only after a backup copy is taken next to it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlite_utils import Database

from bridge_tui.errors import BadFile, Busy
from bridge_tui.store import outputs
from bridge_tui.store.migrations import APPLICATION_ID, SCHEMA_VERSION, migrations

BUSY_TIMEOUT_S = 5.0
SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Opened:
    conn: sqlite3.Connection
    path: Path
    read_only: bool
    #: path of the backup taken before an upgrade, if one was needed
    backup: Path | None = None


def _connect(path: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def is_writable(path: Path) -> bool:
    """The file and its folder (the rollback journal lives there) can both be written.

    Checks the permission bits as well as access(), so a file marked read-only is treated as
    read-only even for a user (root) whom the OS would let write anyway.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return False
    folder = path.resolve().parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK)


def _sqlite_error(path: Path, exc: sqlite3.Error) -> BadFile | Busy:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return Busy(f"{path.name} is busy: another program is writing to it; try again shortly.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return BadFile(f"{path.name} is damaged and cannot be opened as a bridge file.")
    return BadFile(f"{path.name} cannot be opened: {exc}.")


def check_header(path: Path) -> None:
    if not path.exists():
        raise BadFile(f"{path} does not exist.")
    if path.is_dir():
        raise BadFile(f"{path} is a folder, not a bridge file.")
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise BadFile(f"{path.name} cannot be read: {exc.strerror}.") from None
    if not head:
        raise BadFile(f"{path.name} is empty, not a bridge file.")
    if not head.startswith(SQLITE_HEADER) or len(head) < 100:
        raise BadFile(f"{path.name} is not a bridge file (it is not an SQLite database).")


def _inspect(conn: sqlite3.Connection, path: Path) -> int:
    """Return the file's schema version after checking it is a healthy bridge file."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from None
    if check != "ok":
        # SQLite's own report is jargon spread over several lines: keep the one sentence.
        raise BadFile(
            f"{path.name} is damaged and cannot be opened as a bridge file; open a backup copy."
        )
    if app_id != APPLICATION_ID or "changes" not in tables:
        raise BadFile(f"{path.name} is an SQLite database, but not a bridge file.")
    if version > SCHEMA_VERSION:
        raise BadFile(
            f"{path.name} was written by a newer bridge (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}): update bridge to open it."
        )
    return int(version)


def _journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def _recover(path: Path) -> None:
    """Roll back a change a crashed writer left half-done (a "hot" rollback journal).

    A read-only connection cannot do that, so without this a file whose writer was killed
    mid-save could not be opened at all. Reading through a writable connection makes SQLite
    restore the last committed state; with no hot journal it changes nothing.
    """
    if not _journal(path).exists():
        return
    conn = _connect(path, read_only=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from None
    finally:
        conn.close()


def backup_to(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy through `VACUUM INTO`, checked before it is trusted. `target` must
    not exist, or be an empty file (the temporary file `store.outputs` makes)."""
    if target.is_symlink() or (target.exists() and target.stat().st_size > 0):
        raise BadFile(f"{target} already exists; choose another name.")
    conn.execute("VACUUM INTO ?", (str(target),))
    check = sqlite3.connect(str(target))
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        check.close()
    if ok != "ok":
        target.unlink(missing_ok=True)
        raise BadFile(f"the copy {target.name} failed its integrity check ({ok}).")


def _migrate(conn: sqlite3.Connection) -> None:
    db = Database(conn, execute_plugins=False, recursive_triggers=False)
    migrations.apply(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def open_file(path: Path, *, read_only: bool = False) -> Opened:
    """Open an existing bridge file, upgrading an older schema after a backup."""
    path = Path(path)
    check_header(path)
    ro = read_only or not is_writable(path)
    if not ro:
        _recover(path)
    conn = _connect(path, read_only=True)
    try:
        version = _inspect(conn, path)
    except BadFile as exc:
        conn.close()
        if ro and _journal(path).exists():
            raise BadFile(
                f"{path.name} was left half-written by a program that stopped; open it once "
                "where it can be written (not read-only) so the unfinished change is rolled back."
            ) from None
        raise exc from None
    except BaseException:
        conn.close()
        raise
    if ro:
        if version < SCHEMA_VERSION:
            conn.close()
            raise BadFile(
                f"{path.name} uses an older schema ({version}) and is read-only, so it cannot "
                "be upgraded; open a writable copy."
            )
        return Opened(conn, path, True)
    conn.close()
    conn = _connect(path, read_only=False)
    backup: Path | None = None
    try:
        if version < SCHEMA_VERSION:
            backup = path.with_name(f"{path.name}.schema{version}.bak")
            n = 1
            while os.path.lexists(backup):
                n += 1
                backup = path.with_name(f"{path.name}.schema{version}.{n}.bak")
            # made under a temporary name and linked into place: never a half backup
            outputs.create_output(backup, partial(backup_to, conn), database=path)
            _migrate(conn)
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() == "wal":
            conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        conn.close()
        raise _sqlite_error(path, exc) from None
    return Opened(conn, path, False, backup)


def create_file(path: Path) -> Opened:
    """Create a new, empty bridge file; refuses to touch anything already there."""
    path = Path(path)
    if path.exists() or path.is_symlink():  # SQLite would create a dangling link's target
        raise BadFile(f"{path} already exists; bridge will not overwrite it.")
    if not path.parent.exists():
        raise BadFile(f"the folder {path.parent} does not exist.")
    try:
        conn = _connect(path, read_only=False)
        conn.execute("PRAGMA journal_mode = DELETE")
        _migrate(conn)
    except sqlite3.Error as exc:
        with contextlib.suppress(OSError):
            path.unlink()
        raise _sqlite_error(path, exc) from None
    return Opened(conn, path, False)
