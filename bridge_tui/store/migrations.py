"""The schema, as append-only sqlite-utils migrations. Never edit one that has shipped: add another.

`SCHEMA_VERSION` is the number of migrations (`schema.MIGRATION_NAMES`, which a test checks
against the ones below); it is written to `PRAGMA user_version` so that an older bridge can
tell it meets a file from a newer one before touching anything.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bridge_tui.store.schema import APPLICATION_ID, MIGRATION_SET, SCHEMA_VERSION

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "migrations"]

migrations = Migrations(MIGRATION_SET)

_COMMON = {"id": str, "revision": int, "deleted": int}


@migrations()
def m001_initial(db: Database) -> None:
    db.table("initiatives").create(
        {
            **_COMMON,
            "name": str,
            "summary": str,
            "stage": str,
            "owner": str,
            "owner_is_operational": int,
            "team": str,
            "pilot_budget": float,
            "integration_budget": float,
            "maintenance_budget": float,
            "blockers": str,
            "stage_entered_at": str,
            "created_at": str,
            "updated_at": str,
            "last_review_at": str,
            "kill_reason": str,
            "forced_reason": str,
            "move_reason": str,
        },
        pk="id",
    )
    db.table("answers").create(
        {
            **_COMMON,
            "initiative_id": str,
            "key": str,
            "value": str,
            "note": str,
            "by": str,
            "at": str,
        },
        pk="id",
    )
    db.table("answers").create_index(["initiative_id", "key"])
    db.table("plans").create({**_COMMON, "initiative_id": str, "start_date": str}, pk="id")
    db.table("plans").create_index(["initiative_id"])
    db.table("tasks").create(
        {
            **_COMMON,
            "initiative_id": str,
            "month": int,
            "title": str,
            "owner": str,
            "due": str,
            "done": int,
            "done_by": str,
            "done_at": str,
            "notes": str,
            "position": float,
        },
        pk="id",
    )
    db.table("tasks").create_index(["initiative_id", "month", "position"])
    db.table("metrics").create(
        {
            **_COMMON,
            "initiative_id": str,
            "name": str,
            "value": float,
            "target": float,
            "unit": str,
            "at": str,
        },
        pk="id",
    )
    db.table("metrics").create_index(["initiative_id", "name", "at"])
    db.table("reviews").create(
        {
            **_COMMON,
            "initiative_id": str,
            "session_id": str,
            "date": str,
            "reviewer": str,
            "decision": str,
            "note": str,
        },
        pk="id",
    )
    db.table("reviews").create_index(["initiative_id", "date"])
    db.table("review_sessions").create(
        {**_COMMON, "started_at": str, "by": str, "finished_at": str, "order": str}, pk="id"
    )
    db.table("changes").create(
        {
            "change_id": str,
            "tx": str,
            "entity": str,
            "entity_id": str,
            "field": str,
            "old": str,
            "new": str,
            "author": str,
            "hlc": str,
        },
        pk="change_id",
    )
    db.table("changes").create_index(["hlc"])
    db.table("changes").create_index(["entity_id", "hlc"])
    db.table("changes").create_index(["tx"])


@migrations()
def m002_method_rules(db: Database) -> None:
    """The method's rules the first schema missed: who built the pilot (an owner must not be them);
    archived 90-day plans (re-entering Productionize starts a fresh one; the old one and its
    tasks stay readable); and whether a review's promotion was forced past its gate."""
    db.table("initiatives").add_column("pilot_builder", str, not_null_default="")
    db.table("plans").add_column("archived_on", str)
    db.table("tasks").add_column("plan_id", str, not_null_default="")
    db.table("reviews").add_column("forced_reason", str, not_null_default="")


@migrations()
def m003_sustain_and_extend(db: Database) -> None:
    """The seeds' rules for after the bridge: when the maintenance commitment ends,
    the volume a system was designed for (and which metric carries it), and the Infrastructure
    initiative an initiative extends. Empty in every existing row (nothing recorded yet).

    Named m003 so that it applies after another helper's m002, whichever lands first; it
    depends on no column m002 adds."""
    table = db.table("initiatives")
    table.add_column("maintenance_committed_until", str)
    table.add_column("designed_volume", float)
    table.add_column("volume_metric", str)
    table.add_column("builds_on", str)


@migrations()
def m004_flow_moves(db: Database) -> None:
    """The flow at 10,000 initiatives: every initiative's stage moves kept beside the
    log (`store/flowlog.py`), and a trigger that lists each initiative whose stage fields get
    a new log row, so every write replays it again before it commits; and its stays, which the
    flow's figures count in SQL (`store/flowfigures.py`). Every initiative starts listed; the
    upgrade replays them all once."""
    db.execute(
        "CREATE TABLE flow_moves (initiative_id TEXT NOT NULL, seq INTEGER NOT NULL,"
        " day TEXT NOT NULL, stage TEXT NOT NULL, forced INTEGER NOT NULL,"
        " PRIMARY KEY (initiative_id, seq)) WITHOUT ROWID"
    )
    # each stay of each live initiative, as `flow.stays` makes them: days as ordinals, `days`
    # its length once finished, `idx` the stage's place in the flow (-1: Killed), `quarter`
    # year * 10 + quarter of its first day, `best` the furthest place reached after it (-1:
    # none), `nth` which stay in that stage it is for the initiative (1: its first)
    db.execute(
        "CREATE TABLE flow_stays (initiative_id TEXT NOT NULL, seq INTEGER NOT NULL,"
        " stage TEXT NOT NULL, start INTEGER NOT NULL, finish INTEGER, days INTEGER,"
        " came TEXT, forced INTEGER NOT NULL, idx INTEGER NOT NULL, back INTEGER NOT NULL,"
        " quarter INTEGER NOT NULL, best INTEGER NOT NULL, nth INTEGER NOT NULL,"
        " PRIMARY KEY (initiative_id, seq)) WITHOUT ROWID"
    )
    # one index per pass of `store/flowfigures.py`, each covering it: no pass sorts
    db.execute(
        "CREATE INDEX flow_stays_entries ON flow_stays (stage, quarter, came, start, forced, back)"
    )
    db.execute(
        "CREATE INDEX flow_stays_finished ON flow_stays (stage, days, finish)"
        " WHERE finish IS NOT NULL"
    )
    db.execute(
        "CREATE INDEX flow_stays_open ON flow_stays (stage, start, finish) WHERE finish IS NULL"
    )
    db.execute("CREATE INDEX flow_stays_first ON flow_stays (nth, stage, best, start)")
    db.execute("CREATE TABLE flow_stale (initiative_id TEXT PRIMARY KEY) WITHOUT ROWID")
    fields = "('*', 'stage', 'stage_entered_at', 'forced_reason', 'move_reason', 'deleted')"
    db.execute(
        "CREATE TRIGGER flow_stale_on_change AFTER INSERT ON changes"
        f" WHEN NEW.entity = 'initiative' AND NEW.field IN {fields}"
        " BEGIN INSERT OR IGNORE INTO flow_stale (initiative_id) VALUES (NEW.entity_id); END"
    )
    db.execute("INSERT OR IGNORE INTO flow_stale (initiative_id) SELECT id FROM initiatives")


@migrations()
def m005_scores(db: Database) -> None:
    """Every live initiative's score kept beside it (`store/scorelog.py`), so a whole portfolio
    is not scored again on every read: the parts of its card that do not depend on the day
    (`scoring.stored`). Triggers on the rows it is computed from (answers and initiatives,
    whoever writes them: a save, a merge, an import, undo, a program that knows nothing of this
    table) delete its row and list it in `scores_stale`; every write transaction scores the
    listed ones before it commits, and a reader scores in memory any still listed. Every
    initiative starts listed: the upgrade scores them all once."""
    db.execute(
        "CREATE TABLE scores (initiative_id TEXT PRIMARY KEY, rules INTEGER NOT NULL,"
        " stage TEXT NOT NULL, total INTEGER NOT NULL, passing INTEGER NOT NULL,"
        " unanswered INTEGER NOT NULL, categories TEXT NOT NULL, tests TEXT NOT NULL,"
        " stage_three INTEGER NOT NULL, forced_reason TEXT NOT NULL, upkeep TEXT NOT NULL,"
        " blocks TEXT NOT NULL, detail TEXT NOT NULL) WITHOUT ROWID"
    )
    # the oldest and newest rules of the rows in two index lookups (`scorelog.refresh`)
    db.execute("CREATE INDEX scores_rules ON scores (rules)")
    db.execute("CREATE TABLE scores_stale (initiative_id TEXT PRIMARY KEY) WITHOUT ROWID")
    for name, event, ids in (
        ("scores_on_answer_insert", "INSERT ON answers", ("NEW.initiative_id",)),
        (
            "scores_on_answer_update",
            "UPDATE ON answers",
            ("OLD.initiative_id", "NEW.initiative_id"),
        ),
        ("scores_on_answer_delete", "DELETE ON answers", ("OLD.initiative_id",)),
        ("scores_on_initiative_insert", "INSERT ON initiatives", ("NEW.id",)),
        ("scores_on_initiative_update", "UPDATE ON initiatives", ("OLD.id", "NEW.id")),
        ("scores_on_initiative_delete", "DELETE ON initiatives", ("OLD.id",)),
    ):
        listed = " UNION ".join(f"SELECT {i}" for i in ids)
        db.execute(
            f"CREATE TRIGGER {name} AFTER {event} BEGIN"
            f" DELETE FROM scores WHERE initiative_id IN ({listed});"
            f" INSERT OR IGNORE INTO scores_stale (initiative_id) {listed}; END"
        )
    db.execute("INSERT OR IGNORE INTO scores_stale (initiative_id) SELECT id FROM initiatives")
