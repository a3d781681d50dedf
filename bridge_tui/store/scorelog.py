"""Every live initiative's score, kept beside it so a whole portfolio is read, not scored.

Scoring 10,000 initiatives means reading every initiative and answer as models and running
the rules over each: well over a second. So each live initiative's score (the parts of its card
that do not depend on the day: `scoring.stored`) is kept in `scores` (schema 5, m005):

- triggers on `answers` and `initiatives` delete an initiative's row and list it in
  `scores_stale` whenever a row it is computed from is inserted, updated or deleted, whoever
  writes it: a save, undo, a merge, an import, a program that knows nothing of this table;
- every write transaction scores the listed initiatives before it commits and clears the list
  (`refresh`: a save scores the one it touched), so a committed file holds every live
  initiative's score, equal to a fresh computation;
- a reader that still finds initiatives listed, or rows missing (a read-only file a program
  wrote; rows of other rules), scores those in memory and writes nothing (`scores`).

The rows are a cache of the initiatives and answers, never a source: nothing is merged,
exported or logged from them, and the full check compares them with a fresh computation
(`disagreement`), so a forged row cannot make a score differ silently.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bridge_tui.models import Initiative
    from bridge_tui.scoring.stored import Row, StoredScore


def kept(conn: sqlite3.Connection) -> bool:
    """The file keeps scores (schema 5 or later, with both tables)."""
    found = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        " AND name IN ('scores', 'scores_stale')"
    ).fetchone()[0]
    return bool(found == 2)


def _rules() -> int:
    from bridge_tui.scoring.stored import RULES

    return RULES


def _listed(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT initiative_id FROM scores_stale")]


def _live_ids(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT id FROM initiatives WHERE deleted = 0")}


def fresh_rows(conn: sqlite3.Connection, ids: Iterable[str] | None = None) -> dict[str, Row]:
    """initiative id -> its row, computed now from its stored initiative and answers: the live
    initiatives among `ids` (a few indexed queries: a save), or every live one (None)."""
    from bridge_tui.models import Initiative  # a score missing or stale: read as its model
    from bridge_tui.scoring.stored import score_row
    from bridge_tui.store.rows import from_row

    sql = "SELECT * FROM initiatives WHERE deleted = 0"
    answer_sql = "SELECT initiative_id, key, value FROM answers WHERE deleted = 0"
    wanted = None if ids is None else list(dict.fromkeys(ids))
    parts: list[tuple[str, tuple[str, ...]]] = [("", ())]
    if wanted is not None:
        parts = [
            (f" AND {{col}} IN ({', '.join('?' * len(part))})", tuple(part))
            for part in (wanted[n : n + 500] for n in range(0, len(wanted), 500))
        ]
    initiatives: list[Initiative] = []
    answers: dict[str, dict[str, str]] = {}
    for where, params in parts:
        cur = conn.execute(sql + where.format(col="id"), params)
        cols = [d[0] for d in cur.description]
        initiatives.extend(from_row(Initiative, dict(zip(cols, r, strict=True))) for r in cur)
        for iid, key, value in conn.execute(answer_sql + where.format(col="initiative_id"), params):
            answers.setdefault(iid, {})[key] = value
    return {i.id: score_row(i, answers.get(i.id, {})) for i in initiatives}


_INSERT = f"INSERT OR REPLACE INTO scores VALUES ({', '.join('?' * 13)})"


def refresh(conn: sqlite3.Connection) -> int:
    """Score the listed initiatives (the live ones among them) and clear the list, inside the
    caller's write transaction; rows of other rules are all made again. Returns how many
    initiatives were listed."""
    if not kept(conn):
        return 0
    rules = _rules()
    # one aggregate a query: SQLite answers each from the end of the index
    low = conn.execute("SELECT min(rules) FROM scores").fetchone()[0]
    high = conn.execute("SELECT max(rules) FROM scores").fetchone()[0]
    if low is not None and (low, high) != (rules, rules):
        conn.execute("DELETE FROM scores WHERE rules != ?", (rules,))
        conn.execute(
            "INSERT OR IGNORE INTO scores_stale SELECT id FROM initiatives WHERE deleted = 0"
            " AND id NOT IN (SELECT initiative_id FROM scores)"
        )
    stale = _listed(conn)
    if not stale:
        return 0
    conn.execute(
        "DELETE FROM scores WHERE initiative_id IN (SELECT initiative_id FROM scores_stale)"
    )
    conn.executemany(_INSERT, fresh_rows(conn, stale).values())
    conn.execute("DELETE FROM scores_stale")
    return len(stale)


def scores(conn: sqlite3.Connection) -> dict[str, StoredScore]:
    """initiative id -> score of every live initiative: the kept rows, and any listed or
    missing one scored now (nothing is written). A file that keeps none is scored whole."""
    from bridge_tui.scoring.stored import StoredScore

    if not kept(conn):
        return {k: StoredScore(r) for k, r in fresh_rows(conn).items()}
    # a scan of the table, not its `rules` index: reading every row through the index looks
    # each one up again in the table (a third of the read at 10,000)
    rows = map(StoredScore, conn.execute("SELECT * FROM scores WHERE +rules = ?", (_rules(),)))
    out = {r[0]: r for r in rows}
    stale = _listed(conn)
    for ident in stale:
        out.pop(ident, None)
    live = int(conn.execute("SELECT count(*) FROM initiatives WHERE deleted = 0").fetchone()[0])
    if len(out) + len(stale) != live or stale:
        ids = _live_ids(conn)
        out = {k: v for k, v in out.items() if k in ids}
        out.update((k, StoredScore(r)) for k, r in fresh_rows(conn, ids - out.keys()).items())
    return out


def score_of(conn: sqlite3.Connection, initiative_id: str) -> StoredScore | None:
    """One live initiative's score (None: no such live initiative)."""
    from bridge_tui.scoring.stored import StoredScore

    if kept(conn):
        row = conn.execute(
            "SELECT s.* FROM scores s JOIN initiatives i ON i.id = s.initiative_id"
            " WHERE s.initiative_id = ? AND s.rules = ? AND i.deleted = 0"
            " AND s.initiative_id NOT IN (SELECT initiative_id FROM scores_stale)",
            (initiative_id, _rules()),
        ).fetchone()
        if row is not None:
            return StoredScore(row)
    found = fresh_rows(conn, [initiative_id]).get(initiative_id)
    return None if found is None else StoredScore(found)


def disagreement(conn: sqlite3.Connection) -> str | None:
    """None when every kept row of today's rules equals a fresh computation (listed initiatives
    aside: readers score those); otherwise the first initiative whose row differs, or that no
    live initiative has."""
    if not kept(conn):
        return None
    stale = set(_listed(conn))
    have = {
        r[0]: tuple(r)
        for r in conn.execute("SELECT * FROM scores WHERE rules = ?", (_rules(),))
        if r[0] not in stale
    }
    if not have:
        return None
    fresh = fresh_rows(conn, None if len(have) > 200 else have)
    for ident in sorted(have):
        if fresh.get(ident) != have[ident]:
            return ident
    return None
