"""What `Store` reads: rows as their models, and the narrow queries a whole board or the
change log needs without building a model per row. Mixed into `Store` (`repo`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bridge_tui.errors import BadFile
from bridge_tui.models import (
    Answer,
    Change,
    Initiative,
    TaskFacts,
    initiative_of,
    validation_message,
)
from bridge_tui.store import flowlog
from bridge_tui.store.plain import PlainReads
from bridge_tui.store.rows import ENTITIES, ENTITY_OF_MODEL, INSERT_FIELD, M, from_row

if TYPE_CHECKING:
    import sqlite3

    from bridge_tui import flow


def _loads(text: str | None) -> Any:
    """A logged value; text that is not JSON (a damaged log) is shown as it is, not a crash."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


#: the most initiatives a first read makes from plain records (`Reads._from_records`): per
#: row that costs about 1.5x a validation, so a few hundred rows cost less than building the
#: validator, and a whole large portfolio more
FIRST_READ_AT_MOST = 500


class Reads(PlainReads):
    """The reading half of `Store`: every query over an open file's connection (those that
    build no model come from `PlainReads`)."""

    conn: sqlite3.Connection
    path: Path

    def _select(
        self, table: str, where: str = "", params: tuple[Any, ...] = (), order: str = "rowid"
    ) -> Iterator[dict[str, Any]]:
        sql = f"SELECT * FROM {table}"
        if where:
            sql += f" WHERE {where}"
        sql += f" ORDER BY {order}"
        cur = self.conn.execute(sql, params)
        cols = [d[0] for d in cur.description]
        for r in cur:
            yield dict(zip(cols, r, strict=True))

    def get(self, model: type[M], ident: str, *, include_deleted: bool = False) -> M | None:
        table = ENTITIES[ENTITY_OF_MODEL[model]][0]
        where = "id = ?" if include_deleted else "id = ? AND deleted = 0"
        for row in self._select(table, where, (ident,)):
            return self._model(model, row)
        return None

    def all(
        self,
        model: type[M],
        where: str = "",
        params: tuple[Any, ...] = (),
        *,
        order: str = "rowid",
        include_deleted: bool = False,
    ) -> list[M]:
        table = ENTITIES[ENTITY_OF_MODEL[model]][0]
        clauses = [c for c in (where, "" if include_deleted else "deleted = 0") if c]
        where = " AND ".join(f"({c})" for c in clauses)
        if model is Initiative and not Initiative.__pydantic_complete__:
            made = self._from_records(where, params, order)
            if made is not None:
                return made  # type: ignore[return-value]
        return [self._model(model, r) for r in self._select(table, where, params, order)]

    def _from_records(
        self, where: str, params: tuple[Any, ...], order: str
    ) -> list[Initiative] | None:
        """A process's first reads of initiatives, before their model has built its validator
        (25 to 45 ms, with the `importlib.metadata` import pydantic makes on the way: a tenth
        of a small board's first paint). Up to `FIRST_READ_AT_MOST` rows that the plain read
        takes as they are (`plain.initiative_record`: exactly the values validation gives)
        become models without validating again; the app builds the validators in a thread
        once the board has painted (`models.build_validators`). A larger read, or any row the
        plain read leaves to the model, is validated as always (None)."""
        records = self.initiative_records(where, params, order, FIRST_READ_AT_MOST)
        if records is None:
            return None
        return [initiative_of(r) for r in records]

    def _model(self, model: type[M], row: dict[str, Any]) -> M:
        """A stored row as its model; a value no model accepts (a damaged or doctored file
        too big for the full check on open) is one sentence, never a crash."""
        try:
            return from_row(model, row)
        except (ValidationError, ValueError, TypeError) as exc:
            detail = validation_message(exc) if isinstance(exc, ValidationError) else ""
            table = ENTITIES[ENTITY_OF_MODEL[model]][0]
            raise BadFile(
                f"{self.path.name} holds a value bridge cannot read ({table} row "
                f"{str(row.get('id'))[:8]}{': ' + detail.rstrip('.') if detail else ''}): it "
                "was changed outside bridge or damaged; use a backup, or ask a teammate for a "
                "good copy ('bridge share')."
            ) from None

    def get_many(
        self, model: type[M], ids: Iterable[str], *, include_deleted: bool = False
    ) -> list[M]:
        """The rows with these ids (those that exist), a few hundred ids per query."""
        wanted = list(ids)
        out: list[M] = []
        for n in range(0, len(wanted), 500):
            part = tuple(wanted[n : n + 500])
            marks = ", ".join("?" for _ in part)
            out.extend(self.all(model, f"id IN ({marks})", part, include_deleted=include_deleted))
        return out

    def initiatives(self, *, include_deleted: bool = False) -> list[Initiative]:
        return self.all(Initiative, order="created_at, id", include_deleted=include_deleted)

    def answers(self, initiative_id: str) -> list[Answer]:
        return self.all(Answer, "initiative_id = ?", (initiative_id,), order="key")

    def flow_rows(self, initiative_id: str | None = None) -> list[flow.FlowRow]:
        """The change-log rows that make up the moves (`flowlog.log_rows`), one initiative's
        or the whole portfolio's (deleted initiatives too: the caller keeps the live ones)."""
        if initiative_id is None:
            return flowlog.log_rows(self.conn)
        return flowlog.log_rows(self.conn, "entity_id = ?", (initiative_id,))

    def flow_figures(self, today: date, since: date | None) -> flow.Flow | None:
        """The flow's figures counted in SQL over the kept stays (no stays or names in it);
        None when the file keeps none or some are still listed for a replay (a read-only
        file): then `flow.compute` over `flow_moves` gives them."""
        if (
            not flowlog.kept(self.conn)
            or self.conn.execute("SELECT 1 FROM flow_stale LIMIT 1").fetchone()
        ):
            return None
        from bridge_tui.store import flowfigures

        return flowfigures.figures(self.conn, today, since)

    def initiative_names(self) -> dict[str, str]:
        """id -> name of every initiative, deleted ones too: history and merge reports name
        them without building a model per initiative."""
        return dict(self.conn.execute("SELECT id, name FROM initiatives"))

    def child_ids(self, initiative_id: str) -> list[str]:
        """Ids of every row hanging off one initiative (answers, plan, tasks, metrics,
        reviews), deleted ones too: one narrow query per table."""
        ids: list[str] = []
        for table, model in ENTITIES.values():
            if "initiative_id" in model.model_fields:
                ids.extend(
                    r[0]
                    for r in self.conn.execute(
                        f"SELECT id FROM {table} WHERE initiative_id = ? ORDER BY rowid",
                        (initiative_id,),
                    )
                )
        return ids

    def plan_facts(
        self, plan_where: str, task_where: str
    ) -> tuple[dict[str, date], dict[str, list[TaskFacts]]] | None:
        """What a plan's status needs, for every live plan matching `plan_where` and every live
        task matching `task_where`, read without a model per row: initiative id -> day 1, and
        initiative id -> its tasks in month, then position order. At 10,000 initiatives that
        is 1,700 plans and 25,000 tasks, most of a second through their models. None when a
        row holds what its model would not accept: the caller reads through the models then,
        which say what is wrong with the file as every other read does."""
        starts: dict[str, date] = {}
        tasks: dict[str, list[TaskFacts]] = {}
        try:
            for iid, day in self.conn.execute(
                f"SELECT initiative_id, start_date FROM plans WHERE deleted = 0 AND ({plan_where})"
                " ORDER BY id"
            ):
                starts[iid] = date.fromisoformat(day)
            for ident, iid, month, done, due in self.conn.execute(
                "SELECT id, initiative_id, month, done, due FROM tasks WHERE deleted = 0"
                f" AND ({task_where}) ORDER BY initiative_id, month, position, id"
            ):
                if month not in (1, 2, 3) or done not in (0, 1):
                    return None
                day = None if due is None else date.fromisoformat(due)
                facts = TaskFacts(ident, month, bool(done), day)
                tasks.setdefault(iid, []).append(facts)
        except (ValueError, TypeError):
            return None
        return starts, tasks

    def changes(
        self,
        *,
        entity_id: str | None = None,
        entity_ids: tuple[str, ...] | None = None,
        author: str | None = None,
        since_hlc: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
        expand: bool = True,
        tx: str | None = None,
        exclude: Iterable[tuple[str, str]] = (),
    ) -> list[Change]:
        """Change-log entries, newest first by default.

        With `expand` (the default) the single entry that records a new row (field "*") is
        shown as one entry per field (change id "<id>/<field>"), which is what history, score
        history and undo want; `expand=False` returns the rows exactly as stored (merge, export).
        `exclude` leaves out (entity, field) pairs before `limit` counts.
        """
        clauses: list[str] = []
        params: list[Any] = []
        if entity_id is not None:
            clauses.append("entity_id = ?")
            params.append(entity_id)
        if entity_ids is not None:
            clauses.append(f"entity_id IN ({', '.join('?' for _ in entity_ids)})")
            params.extend(entity_ids)
        if author is not None:
            clauses.append("author = ?")
            params.append(author)
        if since_hlc is not None:
            clauses.append("hlc > ?")
            params.append(since_hlc)
        if tx is not None:
            clauses.append("tx = ?")
            params.append(tx)
        for entity, field in exclude:
            clauses.append("NOT (entity = ? AND field = ?)")
            params.extend((entity, field))
        sql = "SELECT change_id, tx, entity, entity_id, field, old, new, author, hlc FROM changes"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += f" ORDER BY hlc {'DESC' if newest_first else 'ASC'}, change_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        out: list[Change] = []
        for r in self.conn.execute(sql, params):
            change = Change(
                change_id=r[0],
                tx=r[1],
                entity=r[2],
                entity_id=r[3],
                field=r[4],
                old=_loads(r[5]),
                new=_loads(r[6]),
                author=r[7],
                hlc=r[8],
            )
            if expand and change.field == INSERT_FIELD and isinstance(change.new, dict):
                out.extend(
                    change.model_copy(
                        update={"change_id": f"{change.change_id}/{f}", "field": f, "new": v}
                    )
                    for f, v in change.new.items()
                )
            else:
                out.append(change)
        return out

    def authors(self) -> list[str]:
        """Everyone who has a change in the log, in name order (history filters by them)."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT author FROM changes ORDER BY 1")]
