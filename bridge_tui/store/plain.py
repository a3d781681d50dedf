"""Reads that build no model: what a one-shot read (`bridge score`) and a whole board need,
over an open file's connection, without importing pydantic. `Store` has them all (`Reads`
builds on `PlainReads`); `PlainReader` is them alone, over a file opened through the same
checks as `Store.open` (`db.open_file`).

An initiative comes back as a `records.InitiativeRecord` only when its row holds exactly what
`models.Initiative` would read back unchanged; for any other row `initiative_record` says None
and the caller reads through the models, which name what is wrong with the file.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bridge_tui import method
from bridge_tui.records import InitiativeRecord
from bridge_tui.store import checks, flowlog
from bridge_tui.store import db as dbmod
from bridge_tui.text import SURROGATE

if TYPE_CHECKING:
    from bridge_tui import flow
    from bridge_tui.scoring.stored import StoredScore

T = TypeVar("T")

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6})?(Z|[+-]\d{2}:\d{2})?")
#: the one-line text fields and their longest length, then the multi-line ones (`models`)
_LINES: dict[str, int] = {"owner": 120, "pilot_builder": 120, "team": 120, "volume_metric": 120}
_NOTES: dict[str, int | None] = {
    "summary": 4000,
    "kill_reason": None,
    "forced_reason": None,
    "move_reason": None,
}
_COLUMNS = (
    "id, revision, deleted, name, summary, stage, owner, owner_is_operational, pilot_builder, "
    "team, pilot_budget, integration_budget, maintenance_budget, blockers, stage_entered_at, "
    "created_at, updated_at, last_review_at, kill_reason, forced_reason, move_reason, "
    "maintenance_committed_until, designed_volume, volume_metric, builds_on"
)


class _Odd(Exception):
    """A value the plain read does not take as it is: the models read the row instead."""


def _text(value: Any, longest: int | None, *, default: str = "", shortest: int = 0) -> str:
    if value is None and shortest == 0:
        return default
    if (
        type(value) is not str
        or value != value.strip()
        or SURROGATE.search(value)
        or len(value) < shortest
        or (longest is not None and len(value) > longest)
    ):
        raise _Odd
    return value


def _number(value: Any, *, above_zero: bool = False) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise _Odd
    if value < 0 or (above_zero and value == 0):
        raise _Odd
    return float(value)


def _parsed(value: Any, form: re.Pattern[str], parse: Callable[[str], T]) -> T:
    """`value` parsed by `parse` when it is text in exactly `form` (the plain read takes no
    other spelling the model might read differently)."""
    if type(value) is not str or not form.fullmatch(value):
        raise _Odd
    try:
        return parse(value)
    except ValueError:
        raise _Odd from None


def _day(value: Any) -> date:
    return _parsed(value, _DAY, date.fromisoformat)


def _moment(value: Any) -> datetime:
    return _parsed(value, _MOMENT, datetime.fromisoformat)


def _blockers(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    try:
        items = json.loads(value) if type(value) is str else None
    except ValueError:
        raise _Odd from None
    if type(items) is not list or any(b not in method.BLOCKER_BY_ID for b in items):
        raise _Odd
    return tuple(b for b in method.BLOCKER_IDS if b in items)  # the model's order, no repeats


def initiative_record(row: tuple[Any, ...]) -> InitiativeRecord | None:
    """The initiatives row (its columns in `_COLUMNS` order) as the values `models.Initiative`
    reads from it (`rows.from_row`), or None when the row holds anything the plain reading
    does not take as it is (the model would refuse it, or change it as it reads it)."""
    (ident, revision, deleted, name, summary, stage, owner, operational, builder, team,
     pilot, integration, maintenance, blockers, entered, created, updated, reviewed,
     kill, forced, moved, committed, volume, metric, builds_on) = row  # fmt: skip
    try:
        if type(ident) is not str or not _UUID.fullmatch(ident):
            raise _Odd
        if revision is None:
            revision = 0
        elif type(revision) is not int:
            raise _Odd
        if stage is None:
            stage = "experiment"
        elif stage not in method.STAGE_IDS:
            raise _Odd
        if builds_on == "":
            builds_on = None
        elif builds_on is not None and (
            type(builds_on) is not str or not _UUID.fullmatch(builds_on)
        ):
            raise _Odd
        texts = dict(zip(_LINES, (owner, builder, team, metric), strict=True))
        notes = dict(zip(_NOTES, (summary, kill, forced, moved), strict=True))
        lines = {k: _text(v, _LINES[k]) for k, v in texts.items()}
        longer = {k: _text(v, _NOTES[k]) for k, v in notes.items()}
        return InitiativeRecord(
            id=ident,
            revision=revision,
            deleted=bool(deleted),
            name=_text(name, 120, shortest=1),
            stage=stage,
            owner_is_operational=bool(operational),
            pilot_budget=0.0 if pilot is None else _number(pilot),
            integration_budget=0.0 if integration is None else _number(integration),
            maintenance_budget=0.0 if maintenance is None else _number(maintenance),
            blockers=_blockers(blockers),
            stage_entered_at=_day(entered),
            created_at=_moment(created),
            updated_at=_moment(updated),
            last_review_at=None if reviewed is None else _day(reviewed),
            maintenance_committed_until=None if committed is None else _day(committed),
            designed_volume=None if volume is None else _number(volume, above_zero=True),
            builds_on=builds_on,
            **lines,
            **longer,
        )
    except _Odd:
        return None


class PlainReads:
    """Queries over `conn` that read rows as plain values (mixed into `Store` through `Reads`,
    and all of `PlainReader`)."""

    conn: sqlite3.Connection
    path: Path

    def initiative_record(self, ident: str) -> InitiativeRecord | None:
        """The live initiative `ident` read without its model; None when there is none, or
        when its row is one only the model can judge (`initiative_record`)."""
        try:
            row = self.conn.execute(
                f"SELECT {_COLUMNS} FROM initiatives WHERE id = ? AND deleted = 0", (ident,)
            ).fetchone()
        except sqlite3.Error:  # text that is not UTF-8, say: the model's read says so
            return None
        return None if row is None else initiative_record(row)

    def initiative_records(
        self, where: str, params: tuple[Any, ...], order: str, at_most: int | None = None
    ) -> list[InitiativeRecord] | None:
        """The initiatives rows matching `where`, in `order`, as records; None when there are
        more than `at_most` (None: no limit), or any row is one only the model can judge
        (`initiative_record`)."""
        sql = f"SELECT {_COLUMNS} FROM initiatives"
        if where:
            sql += f" WHERE {where}"
        try:
            cur = self.conn.execute(f"{sql} ORDER BY {order}", params)
            rows = cur.fetchall() if at_most is None else cur.fetchmany(at_most + 1)
        except sqlite3.Error:
            return None
        if at_most is not None and len(rows) > at_most:
            return None
        records = [initiative_record(row) for row in rows]
        return None if None in records else records  # type: ignore[return-value]

    def plan_starts(self, ids: tuple[str, ...] | None = None) -> dict[str, date] | None:
        """initiative id -> the start date of its live plan rows (an archived plan's too, in
        id order: the last one read wins, as through the models), for every initiative or
        those in `ids`; None when a row holds what the plan model would not read as it is."""
        sql = (
            "SELECT id, revision, initiative_id, start_date, archived_on FROM plans"
            " WHERE deleted = 0"
        )
        if ids is not None:
            sql += f" AND initiative_id IN ({', '.join('?' for _ in ids)})"
        starts: dict[str, date] = {}
        try:
            for ident, revision, iid, start, archived in self.conn.execute(
                sql + " ORDER BY id", ids or ()
            ):
                if type(ident) is not str or not _UUID.fullmatch(ident) or type(iid) is not str:
                    return None
                if revision is not None and type(revision) is not int:
                    return None
                if iid != iid.strip() or SURROGATE.search(iid):
                    return None
                if archived is not None:
                    _day(archived)
                starts[iid] = _day(start)
        except (_Odd, sqlite3.Error):
            return None
        return starts

    def scores(self) -> dict[str, StoredScore]:
        """initiative id -> the score of every live initiative, kept beside it (`scorelog`):
        one query for a whole portfolio; any row still missing is computed, not written."""
        from bridge_tui.store import scorelog

        return scorelog.scores(self.conn)

    def score(self, initiative_id: str) -> StoredScore | None:
        """One live initiative's kept score (None: no such live initiative)."""
        from bridge_tui.store import scorelog

        return scorelog.score_of(self.conn, initiative_id)

    def latest_readings(
        self, initiative_ids: tuple[str, ...] | None = None
    ) -> dict[str, dict[str, tuple[str, float]]]:
        """initiative id -> metric name -> (date, value) of its newest live reading (by date,
        then id, as `scoring.metric_series` orders them): one query for a whole board, or for
        the given initiatives only."""
        sql = "SELECT initiative_id, name, at, value FROM metrics WHERE deleted = 0"
        params: tuple[str, ...] = ()
        if initiative_ids is not None:
            sql += f" AND initiative_id IN ({', '.join('?' for _ in initiative_ids)})"
            params = initiative_ids
        out: dict[str, dict[str, tuple[str, float]]] = {}
        for iid, name, at, value in self.conn.execute(sql + " ORDER BY at, id", params):
            out.setdefault(iid, {})[name] = (at, value)
        return out

    def answer_record(self, initiative_id: str) -> dict[str, str] | None:
        """key -> value of one initiative's live answers, as `scoring.answer_map` makes them
        from their models; None when a row holds a key or value no answer model takes, or
        two rows answer one key."""
        out: dict[str, str] = {}
        try:
            rows = self.conn.execute(
                "SELECT key, value FROM answers WHERE initiative_id = ? AND deleted = 0",
                (initiative_id,),
            ).fetchall()
        except sqlite3.Error:
            return None
        for key, value in rows:
            if key not in method.ANSWER_KEY_SET or value not in method.ANSWER_VALUES or key in out:
                return None
            out[key] = value
        return out

    def initiative_keys(self) -> list[tuple[str, str, str]]:
        """(id, stage, name) of every live initiative, in the order of `initiatives()`: board
        order and id/name lookups without building models."""
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute(
                "SELECT id, stage, name FROM initiatives WHERE deleted = 0 ORDER BY created_at, id"
            )
        ]

    def stage_rows(
        self,
        *,
        initiative_id: str | None = None,
        in_stages: tuple[str, ...] = (),
        ids: tuple[str, ...] | None = None,
    ) -> list[tuple[str, str, str, str | None, str | None]]:
        """The change-log rows that set an initiative's stage or the day it entered it, as
        (initiative id, tx, field, stage or None, stage_entered_at or None), in log order per
        initiative: `stage_history.replay` turns them into its stage history. One initiative,
        or every live initiative now in one of `in_stages` (one query for a whole board), or
        only those among `ids`."""
        clauses = ["entity = 'initiative'", "field IN ('*', 'stage', 'stage_entered_at')"]
        params: list[Any] = []
        if initiative_id is not None:
            clauses.append("entity_id = ?")
            params.append(initiative_id)
        if ids is not None:
            clauses.append(f"entity_id IN ({', '.join('?' for _ in ids)})")
            params.extend(ids)
        if in_stages:
            marks = ", ".join("?" for _ in in_stages)
            clauses.append(
                "entity_id IN (SELECT id FROM initiatives WHERE deleted = 0 "
                f"AND stage IN ({marks}))"
            )
            params.extend(in_stages)
        sql = (
            "SELECT entity_id, tx, field,"
            " CASE field WHEN '*' THEN json_extract(new, '$.stage')"
            "  WHEN 'stage' THEN json_extract(new, '$') END,"
            " CASE field WHEN '*' THEN json_extract(new, '$.stage_entered_at')"
            "  WHEN 'stage_entered_at' THEN json_extract(new, '$') END"
            f" FROM changes WHERE {' AND '.join(clauses)} ORDER BY entity_id, hlc, change_id"
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in self.conn.execute(sql, params)]

    def answer_values(
        self, ids: tuple[str, ...] | None = None, keys: tuple[str, ...] | None = None
    ) -> dict[str, dict[str, str]]:
        """initiative id -> {key: value} for every live answer: one query for a whole board,
        or for the initiatives `ids` only; with `keys`, only the answers to those items (the
        `(initiative_id, key)` index finds each one)."""
        sql = "SELECT initiative_id, key, value FROM answers WHERE deleted = 0"
        if keys is not None:
            sql += f" AND key IN ({', '.join('?' for _ in keys)})"
        out: dict[str, dict[str, str]] = {}
        if ids is None:
            parts: list[tuple[str, ...]] = [()]
        else:
            parts = [ids[n : n + 500] for n in range(0, len(ids), 500)]
        for part in parts:
            where = f" AND initiative_id IN ({', '.join('?' for _ in part)})" if ids else ""
            for iid, key, value in self.conn.execute(sql + where, (*(keys or ()), *part)):
                out.setdefault(iid, {})[key] = value
        return out

    def data_version(self) -> int:
        """Changes whenever another connection commits to the file (live refresh polls it)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def flow_moves(self, initiative_id: str | None = None) -> dict[str, tuple[flow.Move, ...]]:
        """initiative id -> its stage moves, oldest first (kept beside the log: `flowlog`)."""
        return flowlog.moves(self.conn, initiative_id)

    def stage_keys(self, initiative_id: str | None = None) -> list[tuple[str, str, str, str]]:
        """(id, name, stage, stage_entered_at) of every live initiative, without building
        models (the flow reads 10,000 of them), or of one (the board's detail pane)."""
        where, params = ("AND id = ?", (initiative_id,)) if initiative_id else ("", ())
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.conn.execute(
                "SELECT id, name, stage, stage_entered_at FROM initiatives WHERE deleted = 0"
                f" {where} ORDER BY created_at, id",
                params,
            )
        ]

    def initiative_count(self) -> int:
        """How many initiatives the file holds, deleted ones too: one count, no rows read."""
        return int(self.conn.execute("SELECT count(*) FROM initiatives").fetchone()[0])

    def linked_ids(self, ids: tuple[str, ...]) -> set[str]:
        """The live initiatives linked to any of `ids` by `builds_on`, either way (what they
        build on, and what builds on them): what the sustain rules of `ids` look at."""
        marks = ", ".join("?" for _ in ids)
        rows = self.conn.execute(
            "SELECT builds_on FROM initiatives WHERE deleted = 0 AND builds_on IS NOT NULL"
            f" AND id IN ({marks})"
            " UNION SELECT id FROM initiatives WHERE deleted = 0"
            f" AND builds_on IN ({marks})",
            ids + ids,
        )
        return {r[0] for r in rows if r[0]}

    def newest_stamp(self) -> str | None:
        """The newest stamp in the change log (one index lookup, at any size of log)."""
        row = self.conn.execute("SELECT max(hlc) FROM changes").fetchone()
        return row[0] if row else None

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads as one snapshot of the file (one read transaction): a teammate saving
        meanwhile cannot make them disagree. Inside a write transaction it adds nothing."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")


class PlainReader(PlainReads):
    """`PlainReads` alone, over a file opened with every check `Store.open` makes: for a
    command that reads a little and exits (`service.quick`)."""

    def __init__(self, opened: dbmod.Opened) -> None:
        self.conn = opened.conn
        self.path = opened.path
        self.opened = opened
        #: why bridge will not write to this file although it could (`Store.refusal`)
        self.refusal: str | None = opened.refusal

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> PlainReader:
        return cls(dbmod.open_file(Path(path), read_only=read_only))

    def close(self) -> None:
        self.conn.close()

    def check_stamps(self, now: datetime) -> str | None:
        """`Store.check_stamps`: the reason the file's change-log stamps make it refused for
        writing (kept in `refusal`), or None."""
        if self.refusal is None:
            self.refusal = checks.stamp_refusal(self.conn, self.path, now)
        return self.refusal
