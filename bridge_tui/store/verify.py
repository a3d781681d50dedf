"""The full check of what a file (or an export) holds: can every row be read, are the ids
bridge's, do the references point somewhere, are the stamps plausible, and does every row say
what its change log says.

The last one is what makes a file trustworthy: bridge never writes a row without logging the
change, so a row whose values differ from the newest logged values of its fields was changed
outside bridge, or damaged (a copy taken while the file was being written, flipped bytes).

`problem` returns the first thing wrong, phrased to follow the file's name ("theirs.db has a
change stamped in the year 318857"), or None. It reads, never writes.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from bridge_tui import hlc
from bridge_tui.models import FROM_FILE, Change, validation_message
from bridge_tui.store.rows import ENTITIES, INSERT_FIELD, JSON_FIELDS, bool_fields

#: entities whose id is derived from what they are about (two copies may each create the same
#: one: both answered D3, both started the plan); every other id is random and made once
DERIVED_IDS = frozenset({"answer", "plan"})
TABLE_WORDS = {
    "initiative": "an initiative",
    "answer": "an answer",
    "plan": "a 90-day plan",
    "task": "a plan task",
    "metric": "a metric reading",
    "review": "a review",
    "review_session": "a review session",
}


class Untrusted(Exception):
    """What is wrong, in words that follow the file's name."""


class Entry(NamedTuple):
    """One change-log row with its values parsed."""

    change_id: str
    tx: str
    entity: str
    entity_id: str
    field: str
    old: Any
    new: Any
    author: str
    hlc: str


@dataclass
class Content:
    """Everything a file or an export holds: rows as their models' JSON, and the log."""

    rows: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    log: list[Entry] = field(default_factory=list)

    def initiative_ids(self) -> set[str]:
        return set(self.rows.get("initiative", {}))

    def session_ids(self) -> set[str]:
        return set(self.rows.get("review_session", {}))


def _short(value: Any, limit: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


_UUID = re.compile(r"\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def _canonical(ident: object) -> bool:
    """A UUID as bridge writes it (`str(uuid.UUID(...))`: lower case, with dashes)."""
    return isinstance(ident, str) and _UUID.match(ident) is not None


# reading -------------------------------------------------------------------------------------


def _json_form(model: type[BaseModel]) -> Any:
    """A function turning a stored row into its model's JSON form (what the log records), and
    into what the model validates: JSON columns parsed, 0/1 columns as booleans. Dates and
    numbers are stored in their JSON form already."""
    fields = set(model.model_fields)
    json_cols = [c for c in JSON_FIELDS if c in fields]
    bool_cols = sorted(bool_fields(model))

    def convert(raw: dict[str, Any]) -> dict[str, Any]:
        for c in json_cols:
            v = raw[c]
            raw[c] = json.loads(v) if v else []
        for c in bool_cols:
            v = raw[c]
            raw[c] = bool(v) if isinstance(v, int) else v
        return raw

    return convert


def read_file(
    conn: sqlite3.Connection,
    *,
    only: dict[str, set[str]] | None = None,
    log_rows: Iterable[Sequence[Any]] | None = None,
) -> Content:
    """Every row and log entry of an open file, read by full table scans (so a damaged index
    cannot hide a row); raises `Untrusted` for a value no model accepts.

    `only` (entity -> ids) keeps just those rows, and `log_rows` (as stored, in the column
    order of the `changes` table) replaces reading the log: a merge of a big copy checks
    what it takes, with its whole history, rather than the whole copy.
    """
    content = Content()
    for entity, (table, model) in ENTITIES.items():
        out: dict[str, dict[str, Any]] = {}
        wanted = only.get(entity, set()) if only is not None else None
        if wanted is not None and not wanted:
            content.rows[entity] = out
            continue
        convert = _json_form(model)
        validate = model.__pydantic_validator__.validate_python
        optional_nulls = [
            k
            for k, info in model.model_fields.items()
            if not info.is_required() and info.default is not None
        ]
        cur = conn.execute(f"SELECT * FROM {table}")
        cols = [d[0] for d in cur.description]
        at = cols.index("id")
        for values in cur:
            if wanted is not None and values[at] not in wanted:
                continue
            raw = dict(zip(cols, values, strict=True))
            ident = raw.get("id")
            if not _canonical(ident):
                what = TABLE_WORDS[entity]
                raise Untrusted(f"has {what} whose id is not bridge's ({_short(ident)})")
            try:
                row = convert(raw)
                data = row
                if any(row.get(k) is None for k in optional_nulls):
                    data = {
                        k: v for k, v in row.items() if v is not None or k not in optional_nulls
                    }
                validate(data, context=FROM_FILE)
            except ValidationError as exc:
                raise Untrusted(
                    f"holds a value bridge cannot read ({TABLE_WORDS[entity]} "
                    f"{str(ident)[:8]}: {validation_message(exc).rstrip('.')})"
                ) from None
            except (ValueError, TypeError):
                raise Untrusted(
                    f"holds a value bridge cannot read ({TABLE_WORDS[entity]} {str(ident)[:8]})"
                ) from None
            key = str(ident)
            if key in out:
                raise Untrusted(f"has two rows with the id {key}")
            out[key] = row
        content.rows[entity] = out
    entries: Iterable[Sequence[Any]] = (
        log_rows
        if log_rows is not None
        else conn.execute(
            "SELECT change_id, tx, entity, entity_id, field, old, new, author, hlc FROM changes"
        )
    )
    loads = json.loads
    log = content.log
    for r in entries:
        try:
            old = loads(r[5]) if r[5] is not None else None
            new = loads(r[6]) if r[6] is not None else None
        except (TypeError, ValueError):
            raise Untrusted(f"has a change-log entry bridge cannot read ({_short(r[0])})") from None
        log.append(Entry(r[0], r[1], r[2], r[3], r[4], old, new, r[7], r[8]))
    return content


def from_models(rows: dict[str, list[BaseModel]], changes: Iterable[Change]) -> Content:
    """An export's rows and log (already validated as models) in the same shape."""
    content = Content()
    for entity in ENTITIES:
        content.rows[entity] = {
            str(m.id): m.model_dump(mode="json")  # type: ignore[attr-defined]
            for m in rows.get(entity, [])
        }
    content.log = [
        Entry(c.change_id, c.tx, c.entity, c.entity_id, c.field, c.old, c.new, c.author, c.hlc)
        for c in changes
    ]
    return content


# checking ------------------------------------------------------------------------------------


def problem(
    content: Content,
    now: datetime,
    *,
    known_initiatives: Iterable[str] = (),
    known_sessions: Iterable[str] = (),
) -> str | None:
    """The first thing wrong with `content`, or None. `known_initiatives` and `known_sessions`
    (those of the file being merged into) count as existing for references."""
    known, sessions = set(known_initiatives), set(known_sessions)
    checks: list[Callable[[], None]] = [
        lambda: _check_ids(content),
        lambda: _check_log(content, now),
        lambda: _check_references(content, known, sessions),
        lambda: _check_against_log(content),
    ]
    try:
        for check in checks:
            check()
    except Untrusted as exc:
        return str(exc)
    return None


def kept_moves_problem(content: Content, ident: str) -> str:
    """What is wrong when the stage moves kept for the flow (`flowlog`) disagree with the log."""
    who = _name(content, "initiative", ident)
    return f"keeps stage moves for {who} that its change log does not hold"


def kept_score_problem(content: Content, ident: str) -> str:
    """What is wrong when a score kept beside an initiative (`scorelog`) is not what its
    answers and fields give."""
    who = _name(content, "initiative", ident)
    return f"keeps a score for {who} that its answers do not give"


def _name(content: Content, entity: str, ident: str) -> str:
    row = content.rows.get(entity, {}).get(ident)
    if entity == "initiative" and row:
        return f"the initiative {_short(row.get('name', ident[:8]))}"
    if entity == "task" and row:
        return f"the plan task {_short(row.get('title', ident[:8]))}"
    if entity == "metric" and row:
        return f"the metric reading {_short(row.get('name', ident[:8]))}"
    if entity == "answer" and row:
        return f"the answer {row.get('key', ident[:8])}"
    return f"{TABLE_WORDS.get(entity, 'a row').split(' ', 1)[1]} {ident[:8]}"


def _derived_answer_id(initiative_id: str, key: str) -> str:
    """`models.answer_id` (uuid5 of the initiative id and the key) without building UUID
    objects: the full check derives one per answer, 200,000 at 10,000 initiatives."""
    digest = bytearray(
        hashlib.sha1(bytes.fromhex(initiative_id.replace("-", "")) + key.encode()).digest()[:16]
    )
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _check_ids(content: Content) -> None:
    for ident, row in content.rows.get("answer", {}).items():
        iid, key = row.get("initiative_id"), row.get("key")
        if not _canonical(iid) or ident != _derived_answer_id(str(iid), str(key)):
            raise Untrusted(
                f"has an answer whose id is not the one bridge derives from its initiative and "
                f"item ({ident[:8]})"
            )
    plans = content.rows.get("plan", {})
    for ident, row in plans.items():
        # the current plan has its initiative's id; an archived one (re-entry) its own
        if row.get("initiative_id") != ident and not row.get("archived_on"):
            raise Untrusted(f"has a 90-day plan whose id is not its initiative's ({ident[:8]})")
    for ident, row in content.rows.get("task", {}).items():
        plan_id = row.get("plan_id") or ""
        if not plan_id:
            continue
        plan = plans.get(plan_id)
        if plan is not None and plan.get("initiative_id") != row.get("initiative_id"):
            raise Untrusted(f"has a plan task filed under another initiative's plan ({ident[:8]})")


def _check_log(content: Content, now: datetime) -> None:
    seen: set[str] = set()
    fields_of = {
        e: frozenset(m.model_fields) - {"id", "revision"} | {INSERT_FIELD}
        for e, (_, m) in ENTITIES.items()
    }
    canonical = _UUID.match
    # the plausible window as text: stamps sort as text, so two comparisons bound the clock
    low = hlc.make(int(hlc.EARLIEST.timestamp() * 1000), 0, "")
    high = hlc.make(int((now + hlc.MAX_SKEW).timestamp() * 1000) + 1, 0, "")
    for e in content.log:
        cid = e.change_id
        if not isinstance(cid, str) or not canonical(cid):
            raise Untrusted(f"has a change-log entry whose id is not bridge's ({_short(cid)})")
        if cid in seen:
            raise Untrusted(f"has two change-log entries with the id {cid}")
        seen.add(cid)
        if not (
            isinstance(e.tx, str)
            and canonical(e.tx)
            and isinstance(e.entity_id, str)
            and canonical(e.entity_id)
        ):
            raise Untrusted(f"has a change-log entry with an id that is not bridge's ({cid[:8]})")
        fields = fields_of.get(e.entity)
        if fields is None:
            raise Untrusted(f"has a change to something bridge does not know ({_short(e.entity)})")
        if e.field not in fields:
            raise Untrusted(
                f"has a change to a field bridge does not know ({e.entity} {_short(e.field)})"
            )
        if e.field == INSERT_FIELD and not isinstance(e.new, dict):
            raise Untrusted(f"has a change-log entry bridge cannot read ({cid[:8]})")
        if not isinstance(e.author, str):
            raise Untrusted(f"has a change-log entry without an author ({cid[:8]})")
        stamp = e.hlc
        if not (isinstance(stamp, str) and low <= stamp < high and hlc.well_formed(stamp)):
            raise Untrusted(hlc.problem(stamp, now) or f"has a change with a bad stamp ({cid[:8]})")


def _check_references(content: Content, known: set[str], known_sessions: set[str]) -> None:
    initiatives = content.initiative_ids() | known
    sessions = content.session_ids() | known_sessions
    for entity in ("answer", "plan", "task", "metric", "review"):
        for ident, row in content.rows.get(entity, {}).items():
            if row.get("initiative_id") not in initiatives:
                raise Untrusted(
                    f"has {_name(content, entity, ident)} of an initiative that is in neither "
                    f"file ({str(row.get('initiative_id'))[:8]})"
                    if known
                    else f"has {_name(content, entity, ident)} of an initiative that is not in "
                    f"it ({str(row.get('initiative_id'))[:8]})"
                )
    for ident, row in content.rows.get("review", {}).items():
        session = row.get("session_id") or ""
        if session and session not in sessions:
            raise Untrusted(f"has a review ({ident[:8]}) of a review session that is not in it")


def _same(model: type[BaseModel], row: dict[str, Any], fname: str, logged: Any) -> bool:
    if row.get(fname) == logged:
        return True
    # the same value written another way (a date with a time zone spelled differently)
    try:
        checked = model.model_validate({**row, fname: logged}, context=FROM_FILE)
        other = checked.model_dump(mode="json")
    except (ValidationError, ValueError, TypeError):
        return False
    return bool(other[fname] == row.get(fname))


def _disagree(
    content: Content, entity: str, ident: str, fname: str, value: Any
) -> Untrusted | None:
    row = content.rows[entity][ident]
    if fname not in row or _same(ENTITIES[entity][1], row, fname, value):
        return None
    return Untrusted(
        f"has {_name(content, entity, ident)} whose {fname.replace('_', ' ')} "
        f"({_short(row[fname])}) is not what its change log says ({_short(value)}): "
        "it was changed outside bridge or damaged"
    )


def _check_against_log(content: Content) -> None:
    """Every row has a history, every history a row, and each field of a row holds its newest
    logged value: the value its creation ("*", every field at once) gave it, unless a later
    change of that one field says otherwise. Who/when stamp fields are left out (never logged
    on an update, so a row's own stamps are the truth)."""
    stamps = {
        e: frozenset(getattr(m, "STAMP_FIELDS", frozenset())) for e, (_, m) in ENTITIES.items()
    }
    creations: dict[tuple[str, str], list[Entry]] = {}
    #: (entity, id, field) -> (order, value) of its newest change of that one field
    updates: dict[tuple[str, str, str], tuple[tuple[str, str], Any]] = {}
    logged: set[tuple[str, str]] = set()
    for e in content.log:
        key = (e.entity, e.entity_id)
        logged.add(key)
        if e.field == INSERT_FIELD:
            creations.setdefault(key, []).append(e)
        else:
            fkey = (e.entity, e.entity_id, e.field)
            order = (e.hlc, e.change_id)
            have = updates.get(fkey)
            if have is None or order > have[0]:
                updates[fkey] = (order, e.new)
    for (entity, ident), made in creations.items():
        if len(made) > 1 and entity not in DERIVED_IDS:
            raise Untrusted(
                f"has {_name(content, entity, ident)} created twice under one id "
                "(two different things share it)"
            )
    for entity, rows in content.rows.items():
        for ident in rows:
            if (entity, ident) not in logged:
                raise Untrusted(
                    f"has {_name(content, entity, ident)} with no history in its change log "
                    "(added outside bridge)"
                )
    for entity, ident in sorted(logged):
        if ident not in content.rows.get(entity, {}):
            raise Untrusted(
                f"has a change log that mentions {TABLE_WORDS.get(entity, 'a row')} which is "
                f"not in it ({ident[:8]})"
            )
    # each field set by a creation holds the newest creation's value, unless an update of
    # that field is newer; each updated field holds its newest update's, unless a creation is
    made_order: dict[tuple[str, str, str], tuple[str, str]] = {}
    for (entity, ident), made in creations.items():
        skip = stamps[entity]
        row = content.rows[entity][ident]
        if len(made) == 1:
            first = made[0]
            order = (first.hlc, first.change_id)
            values: Iterable[tuple[str, tuple[tuple[str, str], Any]]] = (
                (f, (order, v)) for f, v in first.new.items()
            )
        else:  # only derived ids (both copies answered D3): the newest value of each field
            newest: dict[str, tuple[tuple[str, str], Any]] = {}
            for e in made:
                o = (e.hlc, e.change_id)
                for fname, value in e.new.items():
                    if fname not in newest or o > newest[fname][0]:
                        newest[fname] = (o, value)
            values = newest.items()
        for fname, (order, value) in values:
            if fname in skip:
                continue
            later = updates.get((entity, ident, fname))
            if later is not None and later[0] > order:
                continue
            if later is not None:
                made_order[(entity, ident, fname)] = order
            if row.get(fname) != value:
                found = _disagree(content, entity, ident, fname, value)
                if found:
                    raise found
    for fkey, (_order, value) in updates.items():
        entity, ident, fname = fkey
        if fname in stamps[entity] or fkey in made_order:
            continue  # a stamp, or a newer creation set it (checked above)
        found = _disagree(content, entity, ident, fname, value)
        if found:
            raise found
