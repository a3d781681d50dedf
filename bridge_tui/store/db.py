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
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bridge_tui.errors import BadFile, Busy
from bridge_tui.store import checks, outputs
from bridge_tui.store.schema import APPLICATION_ID, SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlite_utils.migrations import Migrations

#: the migration set to apply; None: bridge's own (`store.migrations`), loaded with
#: sqlite-utils only when a file is created or upgraded (tests put a set of their own here)
migrations: Migrations | None = None

BUSY_TIMEOUT_S = 5.0
SQLITE_HEADER = checks.SQLITE_HEADER
#: the content check at open runs before the service sets its clock: stamps too far ahead of
#: the clock are caught then (`Store.check_stamps`), only impossible ones here
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


class Opened(NamedTuple):
    conn: sqlite3.Connection
    path: Path
    read_only: bool
    #: path of the backup taken before an upgrade, if one was needed
    backup: Path | None = None
    #: why bridge will not write to a file it could write (what was found, how to recover)
    refusal: str | None = None
    #: the full check (integrity_check and content) ran on open
    checked: bool = False


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


def check_header(path: Path) -> checks.Header:
    """Plain-file checks (see `checks.preflight`) before SQLite may open the path."""
    return checks.preflight(path, APPLICATION_ID, SCHEMA_VERSION)


def _quick_check(conn: sqlite3.Connection, path: Path) -> str:
    """SQLite's quick check, under one read lock; a file that passed it before and has not
    changed since (`checked.stat_mark`) is not read again: it reads every page, a third of a
    second at 10,000 initiatives."""
    from bridge_tui.store import checked

    conn.execute("BEGIN")
    try:
        # the read lock first (a hot journal is rolled back here): no save lands meanwhile
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        mark = checked.stat_mark(path)
        if mark is not None and checked.passed(mark):
            return "ok"
        check = str(conn.execute("PRAGMA quick_check").fetchone()[0])
        if check == "ok" and mark is not None:
            checked.remember(mark)
        return check
    finally:
        conn.execute("ROLLBACK")


def _inspect(conn: sqlite3.Connection, path: Path) -> int:
    """Return the file's schema version after checking it is a healthy bridge file."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        check = _quick_check(conn, path)
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from None
    if check != "ok":
        # SQLite's own report is jargon spread over several lines: keep the one sentence.
        raise BadFile(
            f"{path.name} is damaged and cannot be opened as a bridge file; "
            f"{checks.recovery_hint(path)}."
        )
    if app_id != APPLICATION_ID or "changes" not in tables:
        raise BadFile(f"{path.name} is an SQLite database, but not a bridge file.")
    if version > SCHEMA_VERSION:
        raise BadFile(
            f"{path.name} was written by a newer bridge (schema {version}; this one reads up to "
            f"{SCHEMA_VERSION}): update bridge to open it."
        )
    return int(version)


def full_check(conn: sqlite3.Connection, path: Path, *, remembered: bool = False) -> str | None:
    """SQLite's `integrity_check`, then `verify`'s content check, in one read transaction (a
    teammate saving meanwhile cannot make rows and log look out of step). Damage and rows no
    model accepts refuse the file (BadFile); anything else wrong is returned, and the file
    stays readable.

    `remembered` (on open): a file whose exact bytes passed before, under the same checking
    code, passes without being read again, and one that passes now is remembered
    (`store.checked`). `bridge check` always checks."""
    mark: str | None = None
    try:
        conn.execute("BEGIN")
        try:
            if remembered:
                from bridge_tui.store import checked

                # the read lock first: no save lands while the bytes are hashed and checked
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                mark = checked.fingerprint(path)
                if mark is not None and checked.passed(mark):
                    return None
            problem = _check_content(conn, path)
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from None
    if problem is None and mark is not None:
        checked.remember(mark)
    return problem


def _check_content(conn: sqlite3.Connection, path: Path) -> str | None:
    """`full_check` inside its read transaction."""
    from bridge_tui.store import flowlog, scorelog, verify  # they read rows as models

    ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if ok != "ok":
        raise BadFile(
            f"{path.name} is damaged (its indexes and tables disagree); bridge will not "
            f"open it; {checks.recovery_hint(path)}."
        )
    try:
        content = verify.read_file(conn)
        moved = flowlog.disagreement(conn)
        scored = scorelog.disagreement(conn) if moved is None else None
    except verify.Untrusted as exc:
        # a row no model accepts would fail every screen that shows it: refuse the file
        raise BadFile(
            f"{path.name} {exc}; bridge will not open it; {checks.recovery_hint(path)}."
        ) from None
    if moved is not None:
        return verify.kept_moves_problem(content, moved)
    # stamps are checked against the clock by the store once the service sets it
    found = verify.problem(content, _FAR_FUTURE)
    if found is None and scored is not None:
        return verify.kept_score_problem(content, scored)
    return found


def _journal(path: Path) -> Path:
    return checks.journal_of(path)


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


def _migration_set() -> Migrations:
    if migrations is not None:
        return migrations
    from bridge_tui.store.migrations import migrations as ours

    return ours


def _migrate(conn: sqlite3.Connection) -> None:
    from sqlite_utils import Database

    db = Database(conn, execute_plugins=False, recursive_triggers=False)
    _migration_set().apply(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    from bridge_tui.store import flowlog, scorelog

    conn.execute("BEGIN IMMEDIATE")
    try:
        flowlog.refresh(conn)  # an upgraded file replays its whole log once
        scorelog.refresh(conn)  # and scores every initiative once
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def open_file(path: Path, *, read_only: bool = False) -> Opened:
    """Open an existing bridge file, upgrading an older schema after a backup.

    The checks run cheapest first and nothing can write before they pass (see `checks`): a
    damaged file is refused; one that is readable but cannot be trusted (objects bridge did not
    create, rows that disagree with their log) opens read-only with the reason in `refusal`.
    """
    path = Path(path)
    header = check_header(path)
    ro = read_only or not is_writable(path)
    if header.hot_journal:
        if ro:
            raise BadFile(
                f"{path.name} was left half-written by a program that stopped; open it once "
                "where it can be written (not read-only) so the unfinished change is rolled back."
            )
        _recover(path)
        header = check_header(path)
    conn = _connect(path, read_only=True)
    refusal: str | None = None
    checked = False
    try:
        version = _inspect(conn, path)
        found = checks.foreign_objects(conn, migrations)  # None: bridge's own
        if found:
            refusal = checks.foreign_message(path, found)
        elif header.size <= checks.FULL_CHECK_BYTES:
            problem = full_check(conn, path, remembered=True)
            checked = True
            if problem:
                refusal = checks.untrusted_message(path, problem)
    except BaseException:
        conn.close()
        raise
    if refusal is not None and version < SCHEMA_VERSION:
        conn.close()
        raise BadFile(f"{refusal.rstrip('.')}; it also needs an upgrade, which it cannot get.")
    if ro or refusal is not None:
        if version < SCHEMA_VERSION:
            conn.close()
            raise BadFile(
                f"{path.name} uses an older schema ({version}) and is read-only, so it cannot "
                "be upgraded; open a writable copy."
            )
        return Opened(conn, path, True, refusal=refusal, checked=checked)
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
    except sqlite3.Error as exc:
        conn.close()
        raise _sqlite_error(path, exc) from None
    return Opened(conn, path, False, backup, checked=checked and backup is None)


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
    return Opened(conn, path, False, checked=True)
