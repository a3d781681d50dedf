"""Checking a teammate's copy before a merge takes anything from it.

A copy is refused whole (nothing is written) when it is damaged (`integrity_check`), holds
schema objects bridge did not create, holds a row or a change-log entry that is not valid
(types, ids, references, stamps within `hlc.MAX_SKEW` of our clock), disagrees with its own
change log, or reuses one of our ids for something else: the same change id with other
contents, or an initiative (row) created separately in each file under the same id (two
samples built on different days used to do that).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bridge_tui.errors import BadFile
from bridge_tui.store import checks, verify
from bridge_tui.store import db as dbmod
from bridge_tui.store.repo import INSERT_FIELD

_COLUMNS = "change_id, tx, entity, entity_id, field, old, new, author, hlc"
_CHUNK = 500


def refuse(path: Path, what: str) -> BadFile:
    return BadFile(f"{path.name} {what}: it cannot be trusted; nothing was merged.")


def check_structure(conn: sqlite3.Connection, path: Path) -> None:
    """No foreign schema objects, and SQLite's `integrity_check` passes (for a copy up to
    `checks.FULL_CHECK_BYTES`; a bigger one had `quick_check` on opening, and everything the
    merge takes from it is checked row by row, read by table scans, in `check_content`)."""
    found = checks.foreign_objects(conn)
    if found:
        listed = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
        raise BadFile(
            f"{path.name} holds {listed} that bridge did not create; bridge takes nothing from "
            "such a copy (ask for a copy made with 'bridge share'); nothing was merged."
        )
    if path.stat().st_size > checks.FULL_CHECK_BYTES:
        return
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as exc:
        message = dbmod._sqlite_error(path, exc).message.rstrip(".")
        raise BadFile(f"{message}; nothing was merged.") from None
    if ok != "ok":
        raise BadFile(
            f"{path.name} is damaged (its indexes and tables disagree; copied while it was being "
            "written?); ask for a copy made with 'bridge share'; nothing was merged."
        )


def our_log(ours: sqlite3.Connection) -> dict[str, int]:
    """change id -> a hash of the rest of that row, for every entry of our log (one scan; a
    hash rather than the row keeps 200,000 entries in a few MB). Python's string hashes are
    salted per process, so a copy cannot be forged to collide with one of ours."""
    return {r[0]: hash(tuple(r[1:])) for r in ours.execute(f"SELECT {_COLUMNS} FROM changes")}


def check_content(
    conn: sqlite3.Connection,
    path: Path,
    now: datetime,
    ours: sqlite3.Connection,
    theirs: Sequence[Sequence[Any]],
    mine: dict[str, int],
) -> verify.Content:
    """The copy's rows and log, checked as `verify` does, references resolved against the copy
    and our file together (`mine` is `our_log`).

    A copy up to `checks.FULL_CHECK_BYTES` is checked whole. A bigger one is checked for what
    the merge takes: every log entry this file does not have, and every row those entries touch
    with its whole history (entries this file has are compared with ours by `check_ids`).
    """
    known = {r[0] for r in ours.execute("SELECT id FROM initiatives")}
    sessions = {r[0] for r in ours.execute("SELECT id FROM review_sessions")}
    try:
        if path.stat().st_size <= checks.FULL_CHECK_BYTES:
            content = verify.read_file(conn)
        else:
            touched = {(r[2], r[3]) for r in theirs if r[0] not in mine}
            only: dict[str, set[str]] = {}
            for entity, eid in touched:
                only.setdefault(entity, set()).add(eid)
            history = [r for r in theirs if (r[2], r[3]) in touched]
            content = verify.read_file(conn, only=only, log_rows=history)
    except verify.Untrusted as exc:
        raise refuse(path, str(exc)) from None
    problem = verify.problem(content, now, known_initiatives=known, known_sessions=sessions)
    if problem:
        raise refuse(path, problem)
    return content


def check_ids(
    ours: sqlite3.Connection,
    path: Path,
    theirs: Sequence[Sequence[Any]],
    content: verify.Content,
    mine: dict[str, int],
) -> None:
    """The same id must mean the same thing in both files (see the module docstring)."""
    for r in theirs:
        have = mine.get(r[0])
        if have is not None and have != hash(tuple(r[1:])):
            raise BadFile(
                f"{path.name} and this file both have a change {r[0][:8]} but with different "
                "contents: they were not made from one file (two samples built on different "
                "days?), so they cannot be merged; nothing was merged."
            )
    # creations this file does not have: is the id already taken here by another creation?
    new_creations = [
        r
        for r in theirs
        if r[4] == INSERT_FIELD and r[0] not in mine and r[2] not in verify.DERIVED_IDS
    ]
    targets = sorted({r[3] for r in new_creations})
    taken: dict[tuple[str, str], str] = {}
    for n in range(0, len(targets), _CHUNK):
        part = targets[n : n + _CHUNK]
        marks = ", ".join("?" for _ in part)
        for entity, eid, cid in ours.execute(
            f"SELECT entity, entity_id, change_id FROM changes WHERE field = ? "
            f"AND entity_id IN ({marks})",
            [INSERT_FIELD, *part],
        ):
            taken[(entity, eid)] = cid
    names = dict(ours.execute("SELECT id, name FROM initiatives"))
    for r in new_creations:
        if (r[2], r[3]) in taken:
            what = verify.TABLE_WORDS.get(r[2], "a row")
            here = f" ('{names[r[3]]}' here)" if r[2] == "initiative" and r[3] in names else ""
            theirs_name = content.rows.get(r[2], {}).get(r[3], {}).get("name")
            there = f", '{theirs_name}' there" if isinstance(theirs_name, str) else ""
            raise BadFile(
                f"{path.name} and this file each created {what} with the same id "
                f"{r[3][:8]}{here}{there}: they were not made from one file, so they cannot be "
                "merged; nothing was merged."
            )
