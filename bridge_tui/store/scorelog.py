"""Every live initiative's score, kept beside it so a whole portfolio is read, not scored.

Scoring 10,000 initiatives means reading every initiative and answer as models and running
the rules over each: well over a second. So each live initiative's score (the parts of its card
that do not depend on the day: `scoring.stored`) is kept in `scores` (schema 5, m005):

- triggers on `answers` and `initiatives` delete an initiative's row whenever a row it is
  computed from is inserted, updated or deleted, whoever writes it: a save, undo, a merge, an
  import, a program that knows nothing of this table. A missing row means "score it again";
- every write transaction scores the initiatives without a row before it commits (`refresh`),
  so a committed file holds every live initiative's score, equal to a fresh computation;
- a reader that still finds rows missing (a read-only file; a row of older rules) scores those
  in memory and writes nothing (`scores`).

The rows are a cache of the initiatives and answers, never a source: nothing is merged,
exported or logged from them, and the full check compares them with a fresh computation
(`disagreement`), so a forged row cannot make a score differ silently.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bridge_tui.models import Initiative
from bridge_tui.store.rows import from_row

if TYPE_CHECKING:
    from bridge_tui.scoring.stored import Row, StoredScore


def kept(conn: sqlite3.Connection) -> bool:
    """The file keeps scores (schema 5 or later, with the table)."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'scores'"
    ).fetchone()
    return found is not None


def _rules() -> int:
    from bridge_tui.scoring.stored import RULES

    return RULES


def missing(conn: sqlite3.Connection) -> list[str]:
    """The live initiatives without a row made under today's rules, in no particular order."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM initiatives WHERE deleted = 0 AND id NOT IN"
            " (SELECT initiative_id FROM scores WHERE rules = ?)",
            (_rules(),),
        )
    ]


def fresh_rows(conn: sqlite3.Connection, ids: Iterable[str] | None = None) -> dict[str, Row]:
    """initiative id -> its row, computed now from its stored initiative and answers: the live
    initiatives among `ids`, or every live one (None)."""
    from bridge_tui.scoring.stored import score_row

    cur = conn.execute("SELECT * FROM initiatives WHERE deleted = 0")
    cols = [d[0] for d in cur.description]
    wanted = None if ids is None else set(ids)
    initiatives = [
        from_row(Initiative, row)
        for row in (dict(zip(cols, r, strict=True)) for r in cur)
        if wanted is None or row["id"] in wanted
    ]
    answers: dict[str, dict[str, str]] = {}
    sql = "SELECT initiative_id, key, value FROM answers WHERE deleted = 0"
    if wanted is not None and len(wanted) <= 200:
        for ident in wanted:
            for iid, key, value in conn.execute(sql + " AND initiative_id = ?", (ident,)):
                answers.setdefault(iid, {})[key] = value
    else:
        for iid, key, value in conn.execute(sql):
            if wanted is None or iid in wanted:
                answers.setdefault(iid, {})[key] = value
    return {i.id: score_row(i, answers.get(i.id, {})) for i in initiatives}


_INSERT = f"INSERT OR REPLACE INTO scores VALUES ({', '.join('?' * 13)})"


def _complete(conn: sqlite3.Connection) -> bool:
    """Every live initiative has a row of today's rules: two counts, no row read. Rows only
    ever exist for live initiatives (the triggers drop the row of one deleted, `refresh` makes
    rows only for live ones), so equal counts mean none is missing; a file whose rows were
    forged to make them equal is caught by the full check (`disagreement`)."""
    rows = conn.execute("SELECT count(*) FROM scores WHERE rules = ?", (_rules(),)).fetchone()[0]
    return bool(rows == _live(conn))


def refresh(conn: sqlite3.Connection) -> int:
    """Score the live initiatives without a row (and drop rows of older rules or of no live
    initiative), inside the caller's write transaction. Returns how many were scored."""
    if not kept(conn) or _complete(conn):
        return 0
    conn.execute(
        "DELETE FROM scores WHERE rules != ? OR initiative_id NOT IN"
        " (SELECT id FROM initiatives WHERE deleted = 0)",
        (_rules(),),
    )
    stale = missing(conn)
    conn.executemany(_INSERT, fresh_rows(conn, stale).values())
    return len(stale)


def scores(conn: sqlite3.Connection) -> dict[str, StoredScore]:
    """initiative id -> score of every live initiative: the kept rows, and any missing row
    computed now (nothing is written). A file that keeps none is scored whole."""
    from bridge_tui.scoring.stored import StoredScore

    if not kept(conn):
        return {k: StoredScore(r) for k, r in fresh_rows(conn).items()}
    complete = _complete(conn)
    out = {
        r[0]: StoredScore(r)
        for r in conn.execute("SELECT * FROM scores WHERE rules = ?", (_rules(),))
    }
    if not complete:
        live = {r[0] for r in conn.execute("SELECT id FROM initiatives WHERE deleted = 0")}
        out = {k: v for k, v in out.items() if k in live}
        out.update((k, StoredScore(r)) for k, r in fresh_rows(conn, live - out.keys()).items())
    return out


def score_of(conn: sqlite3.Connection, initiative_id: str) -> StoredScore | None:
    """One live initiative's score (None: no such live initiative)."""
    from bridge_tui.scoring.stored import StoredScore

    if kept(conn):
        row = conn.execute(
            "SELECT s.* FROM scores s JOIN initiatives i ON i.id = s.initiative_id"
            " WHERE s.initiative_id = ? AND s.rules = ? AND i.deleted = 0",
            (initiative_id, _rules()),
        ).fetchone()
        if row is not None:
            return StoredScore(row)
    found = fresh_rows(conn, [initiative_id]).get(initiative_id)
    return None if found is None else StoredScore(found)


def _live(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM initiatives WHERE deleted = 0").fetchone()[0])


def disagreement(conn: sqlite3.Connection) -> str | None:
    """None when every kept row equals a fresh computation (missing rows aside: readers score
    those); otherwise the first initiative whose row differs, or that no live initiative has."""
    if not kept(conn):
        return None
    have = {
        r[0]: tuple(r) for r in conn.execute("SELECT * FROM scores WHERE rules = ?", (_rules(),))
    }
    if not have:
        return None
    fresh = fresh_rows(conn, None if len(have) > 200 else have)
    for ident in sorted(have):
        if fresh.get(ident) != have[ident]:
            return ident
    return None
