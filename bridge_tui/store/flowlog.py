"""Every initiative's stage moves, kept beside the change log so the flow reads them at once.

`flow.replay` turns the change-log rows that set an initiative's stage, its entry day, its
forced mark or its move reason into its moves. With 10,000 initiatives and their history that
is some 80,000 rows of JSON and over a second: too slow for a screen. So the moves are kept:

- `flow_moves` holds each initiative's replayed moves (schema 4, migration m004);
- a trigger on `changes` lists in `flow_stale` every initiative that got such a log row,
  whoever wrote it: a save, a merge, an import, a program that knows nothing of this table;
- every write transaction replays the listed initiatives from their whole log and clears the
  list before it commits (`refresh`), so the kept moves always equal a fresh replay of the log
  (a merge that slips an older change between two of ours replays that initiative whole);
- a reader that still finds initiatives listed (a read-only file, a file just upgraded)
  replays those itself, and a file older than schema 4 is replayed whole, as before.

The kept moves are a cache of the log, never a source: `verify` checks them against a fresh
replay in the full check, and nothing is merged or exported from them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from bridge_tui import method

if TYPE_CHECKING:  # the flow rules load when moves are replayed, not when the store opens
    from bridge_tui import flow

#: the initiative fields whose log rows make up the moves (the trigger of m004 names the same)
FIELDS = ("*", "stage", "stage_entered_at", "forced_reason", "move_reason", "deleted")

_ROWS = (
    "SELECT entity_id, tx, field,"
    " CASE field WHEN '*' THEN json_extract(new, '$.stage')"
    "  WHEN 'stage' THEN json_extract(new, '$') END,"
    " CASE field WHEN '*' THEN json_extract(new, '$.stage_entered_at')"
    "  WHEN 'stage_entered_at' THEN json_extract(new, '$') END,"
    " CASE field WHEN '*' THEN coalesce(json_extract(new, '$.forced_reason'), '')"
    "  WHEN 'forced_reason' THEN json_extract(new, '$') END,"
    " CASE field WHEN '*' THEN coalesce(json_extract(new, '$.move_reason'), '')"
    "  WHEN 'move_reason' THEN json_extract(new, '$') END"
    " FROM changes WHERE entity = 'initiative'"
    " AND field IN ('*', 'stage', 'stage_entered_at', 'forced_reason', 'move_reason')"
)
_STALE = "SELECT initiative_id FROM flow_stale"


def log_rows(
    conn: sqlite3.Connection, where: str = "1", params: Iterable[str] = ()
) -> list[flow.FlowRow]:
    """The change-log rows `flow.replay` reads, in log order (the `hlc` index: no sort)."""
    sql = f"{_ROWS} AND {where} ORDER BY hlc, change_id"
    return conn.execute(sql, tuple(params)).fetchall()


def replay_of(conn: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[flow.Move, ...]]:
    """The moves of these initiatives, replayed from the log: one indexed query each for a
    few (a save), one pass over the whole log for many (a merge, an upgrade)."""
    from bridge_tui import flow

    if len(ids) <= 200:
        rows: list[flow.FlowRow] = []
        for ident in ids:
            rows.extend(log_rows(conn, "entity_id = ?", (ident,)))
        return flow.replay(rows)
    wanted = set(ids)
    return flow.replay(r for r in log_rows(conn) if r[0] in wanted)


def kept(conn: sqlite3.Connection) -> bool:
    """The file keeps the moves and stays (schema 4 or later, with all three tables: a file
    missing one, damaged or forged, is read from its log as an older one is)."""
    found = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        " AND name IN ('flow_moves', 'flow_stays', 'flow_stale')"
    ).fetchone()[0]
    return bool(found == 3)


def list_all(conn: sqlite3.Connection) -> None:
    """List every initiative for the next `refresh` (an import: rows may come without log)."""
    if kept(conn):
        conn.execute("INSERT OR IGNORE INTO flow_stale (initiative_id) SELECT id FROM initiatives")


def refresh(conn: sqlite3.Connection) -> int:
    """Replay the listed initiatives into `flow_moves` and clear the list; inside the caller's
    write transaction. Returns how many initiatives were replayed."""
    if not kept(conn):
        return 0
    stale = [r[0] for r in conn.execute(_STALE)]
    if not stale:
        return 0
    moves = replay_of(conn, stale)
    conn.execute(f"DELETE FROM flow_moves WHERE initiative_id IN ({_STALE})")
    conn.executemany(
        "INSERT INTO flow_moves (initiative_id, seq, day, stage, forced) VALUES (?, ?, ?, ?, ?)",
        [
            (ident, n, m.day.isoformat(), m.stage, int(m.forced))
            for ident, own in moves.items()
            for n, m in enumerate(own)
        ],
    )
    _write_stays(conn, stale, moves)
    conn.execute("DELETE FROM flow_stale")
    return len(stale)


def _write_stays(
    conn: sqlite3.Connection, ids: list[str], moves: dict[str, tuple[flow.Move, ...]]
) -> None:
    """The stays of these initiatives, from their moves and their stored stage (`flow.stays`
    closes a log that does not end in it); none for a deleted one (the trigger lists an
    initiative again when it is deleted or restored)."""
    from bridge_tui import flow

    conn.execute(f"DELETE FROM flow_stays WHERE initiative_id IN ({_STALE})")
    rows: list[tuple[str, str, str]] = []
    place = {s: n for n, s in enumerate(method.FLOW)}
    for n in range(0, len(ids), 500):
        part = ids[n : n + 500]
        marks = ", ".join("?" for _ in part)
        rows.extend(
            conn.execute(
                f"SELECT id, stage, stage_entered_at FROM initiatives WHERE id IN ({marks})"
                " AND deleted = 0",
                part,
            )
        )
    out = []
    for ident, stage, entered in rows:
        try:
            day = date.fromisoformat(entered)
        except (TypeError, ValueError):
            continue  # a row no model accepts: the checks on open refuse such a file
        ini = flow.Initiative(ident, "", stage, day, moves.get(ident, ()))
        own = flow.stays(ini, day)
        best, after = [-1] * len(own), -1
        for k in range(len(own) - 1, -1, -1):
            best[k] = after
            after = max(after, place.get(own[k].stage, -1))
        seen: dict[str, int] = {}
        for seq, st in enumerate(own):
            q = flow.quarter_of(st.start)
            start = st.start.toordinal()
            finish = st.end.toordinal() if st.end is not None else None
            seen[st.stage] = seen.get(st.stage, 0) + 1
            out.append(
                (
                    ident,
                    seq,
                    st.stage,
                    start,
                    finish,
                    finish - start if finish is not None else None,
                    st.came_from,
                    int(st.forced),
                    place.get(st.stage, -1),
                    int(st.back),
                    q[0] * 10 + q[1],
                    best[seq],
                    seen[st.stage],
                )
            )
    conn.executemany(
        "INSERT INTO flow_stays (initiative_id, seq, stage, start, finish, days, came, forced,"
        " idx, back, quarter, best, nth) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        out,
    )


def stored(conn: sqlite3.Connection) -> dict[str, tuple[flow.Move, ...]]:
    """The kept moves as they are in the file (listed initiatives included, unreplayed)."""
    from bridge_tui import flow

    out: dict[str, list[flow.Move]] = {}
    move, day = flow.Move, date.fromisoformat
    for ident, on, stage, forced in conn.execute(
        "SELECT initiative_id, day, stage, forced FROM flow_moves ORDER BY initiative_id, seq"
    ):
        own = out.get(ident)
        if own is None:
            own = out[ident] = []
        own.append(move(day(on), stage, bool(forced)))
    return {k: tuple(v) for k, v in out.items()}


def moves(
    conn: sqlite3.Connection, initiative_id: str | None = None
) -> dict[str, tuple[flow.Move, ...]]:
    """initiative id -> its moves, oldest first: the kept ones, with any listed initiative
    (and a file that keeps none) replayed from the log now. Deleted initiatives too."""
    from bridge_tui import flow

    if initiative_id is not None or not kept(conn):
        if initiative_id is None:
            return flow.replay(log_rows(conn))
        return flow.replay(log_rows(conn, "entity_id = ?", (initiative_id,)))
    out = stored(conn)
    stale = [r[0] for r in conn.execute(_STALE)]
    if stale:
        for ident in stale:
            out.pop(ident, None)
        out.update(replay_of(conn, stale))
    return out


def disagreement(conn: sqlite3.Connection) -> str | None:
    """None when the kept moves equal a fresh replay of the log (listed initiatives aside);
    otherwise which initiative differs first (the full check's content check)."""
    from bridge_tui import flow

    if not kept(conn):
        return None
    fresh = flow.replay(log_rows(conn))
    have = stored(conn)
    stale = {r[0] for r in conn.execute(_STALE)}
    for ident in sorted((fresh.keys() | have.keys()) - stale):
        if fresh.get(ident, ()) != have.get(ident, ()):
            return ident
    return None
