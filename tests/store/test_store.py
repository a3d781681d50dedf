"""The store's one write path: transactions, the change log, revisions, tombstones."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bridge_tui import hlc
from bridge_tui.errors import BadFile, BadInput, Busy, ReadOnly, StaleRevision
from bridge_tui.models import (
    Answer,
    Initiative,
    MetricReading,
    Plan,
    PlanTask,
    Review,
    ReviewSession,
)
from bridge_tui.store import INSERT_FIELD, Store
from bridge_tui.store.repo import from_row, to_row
from tests.conftest import initiative, new_file

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, at: datetime = T0) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return new_file(tmp_path / "portfolio.db")


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    s = Store.open(path, clock=Clock())
    yield s
    s.close()


def add(store: Store, author: str = "maya", **kw: Any) -> Initiative:
    with store.transaction(author) as tx:
        return tx.insert(initiative(**kw))


def rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# Inserts and reads ---------------------------------------------------------------------------


def test_insert_sets_revision_and_reads_back(store: Store) -> None:
    i = add(store, blockers=("funding",), owner_is_operational=True, pilot_budget=40_000)
    assert i.revision == 1
    got = store.get(Initiative, i.id)
    assert got == i
    assert store.initiatives() == [i]


def test_the_newest_stamp_is_the_newest_change(store: Store) -> None:
    """What the app's poll starts from: one index lookup, the same as the newest entry."""
    assert store.newest_stamp() is None  # an empty log
    for owner in ("Priya", "Sam", "Maya"):
        add(store, owner=owner)
        assert store.newest_stamp() == store.changes(limit=1, expand=False)[0].hlc


def test_insert_is_one_log_entry_holding_every_field(store: Store, path: Path) -> None:
    with store.transaction("maya") as tx:
        i = tx.insert(initiative(owner="Priya"))
    stored = store.changes(entity_id=i.id, expand=False)
    assert len(stored) == 1
    (c,) = stored
    assert (c.entity, c.entity_id, c.field, c.old, c.author, c.tx) == (
        "initiative",
        i.id,
        INSERT_FIELD,
        None,
        "maya",
        tx.id,
    )
    assert isinstance(c.new, dict) and c.new["owner"] == "Priya" and "id" not in c.new
    # Read expanded, the same entry reads as one change per field.
    expanded = store.changes(entity_id=i.id)
    assert {e.field for e in expanded} == set(c.new)
    assert all(e.old is None and e.tx == tx.id for e in expanded)
    assert rows(path, "SELECT count(*) FROM changes") == [(1,)]


def test_insert_with_an_existing_id_is_refused(store: Store) -> None:
    i = add(store)
    with pytest.raises(BadInput, match="already exists"), store.transaction("maya") as tx:
        tx.insert(i)
    assert len(store.initiatives()) == 1


@pytest.mark.parametrize(
    "model",
    [
        initiative(blockers=("people", "funding"), owner_is_operational=True, kill_reason="x"),
        Answer(initiative_id=initiative().id, key="D1", value="yes", note="n", by="m", at=T0),
        Plan(initiative_id=initiative().id, start_date=date(2026, 10, 16)),
        PlanTask(initiative_id=initiative().id, month=2, title="Wire it", done=True, done_at=T0),
        MetricReading(initiative_id=initiative().id, name="Adoption", value=0.3, at=date.today()),
        Review(initiative_id=initiative().id, date=date(2026, 11, 1), decision="keep"),
        ReviewSession(started_at=T0, order=(initiative().id, initiative().id)),
    ],
    ids=lambda m: type(m).__name__,
)
def test_every_entity_round_trips(store: Store, model: Any) -> None:
    assert from_row(type(model), to_row(model)) == model
    with store.transaction("maya") as tx:
        saved = tx.insert(model)
    assert store.get(type(model), model.id) == saved
    assert saved == model.model_copy(update={"revision": 1})


# Updates and the change log ------------------------------------------------------------------


def test_update_logs_one_entry_per_changed_field(store: Store, path: Path) -> None:
    i = add(store, owner="Priya", team="Dispatch")
    with store.transaction("tomas") as tx:
        updated = tx.update(i, None, owner="Lena", team="Dispatch", pilot_budget=5.0)
    assert updated.revision == 2
    assert (updated.owner, updated.pilot_budget) == ("Lena", 5.0)
    changes = store.changes(entity_id=i.id, newest_first=False, expand=False)[1:]
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("owner", "Priya", "Lena"),
        ("pilot_budget", 0.0, 5.0),
    ]  # "team" was given but did not change: no entry
    assert {c.author for c in changes} == {"tomas"}
    assert {c.tx for c in changes} == {tx.id}
    assert [c.hlc for c in changes] == sorted(c.hlc for c in changes)
    assert len({c.hlc for c in changes}) == 2
    assert store.get(Initiative, i.id) == updated


def test_update_that_changes_nothing_writes_nothing(store: Store) -> None:
    i = add(store, owner="Priya")
    before = store.changes(expand=False)
    with store.transaction("maya") as tx:
        same = tx.update(i, None, owner="Priya")
        stamp_only = tx.update(i, None, updated_at=T0 + timedelta(hours=1))
    assert same.revision == stamp_only.revision == 1
    assert store.changes(expand=False) == before


def test_stamp_fields_are_saved_but_not_logged(store: Store) -> None:
    i = add(store)
    later = T0 + timedelta(hours=1)
    with store.transaction("maya") as tx:
        u = tx.update(i, None, name="Dispatch", updated_at=later)
    assert store.get(Initiative, i.id) == u
    assert u.updated_at == later
    assert next(c.field for c in store.changes(entity_id=i.id, expand=False)) == "name"
    assert "updated_at" not in {c.field for c in store.changes(entity_id=i.id, expand=False)}


def test_invalid_update_is_bad_input_and_writes_nothing(store: Store) -> None:
    i = add(store)
    with pytest.raises(BadInput, match="name: cannot be blank"), store.transaction("m") as tx:
        tx.update(i, None, name="   ")
    with (
        pytest.raises(BadInput, match="pilot budget: must be 0 or more"),
        store.transaction("m") as tx,
    ):
        tx.update(i, None, pilot_budget=-1)
    assert store.get(Initiative, i.id) == i


def test_update_of_a_missing_row(store: Store) -> None:
    with pytest.raises(BadInput, match="no initiative"), store.transaction("m") as tx:
        tx.update(initiative(), None, name="x")


def test_hlc_order_survives_a_clock_going_backwards(path: Path) -> None:
    clock = Clock()
    store = Store.open(path, clock=clock)
    try:
        i = add(store)
        clock.at = T0 - timedelta(days=2)  # someone's laptop clock is wrong
        with store.transaction("maya") as tx:
            tx.update(i, None, owner="A")
        clock.at = T0 - timedelta(days=3)
        with store.transaction("maya") as tx:
            tx.update(store.get(Initiative, i.id), None, owner="B")  # type: ignore[arg-type]
        stamps = [c.hlc for c in store.changes(newest_first=False, expand=False)]
        assert stamps == sorted(stamps) and len(set(stamps)) == 3
        assert store.changes(limit=1)[0].new == "B"
    finally:
        store.close()


def test_hlc_continues_from_the_file_across_stores(path: Path) -> None:
    a = Store.open(path, clock=Clock(T0 + timedelta(days=1)))
    b = Store.open(path, clock=Clock(T0))  # its clock is a day behind
    try:
        i = add(a)
        with b.transaction("b") as tx:
            tx.update(i, None, owner="B")
        first, second = b.changes(newest_first=False, expand=False)
        assert second.hlc > first.hlc
        assert hlc.parse(second.hlc)[0] >= hlc.parse(first.hlc)[0]
    finally:
        a.close()
        b.close()


def test_failed_transaction_leaves_nothing(store: Store, path: Path) -> None:
    i = add(store)
    with pytest.raises(RuntimeError, match="boom"), store.transaction("maya") as tx:
        tx.update(i, None, owner="Lena")
        tx.insert(initiative(name="Second"))
        raise RuntimeError("boom")
    assert store.initiatives() == [i]
    assert rows(path, "SELECT count(*) FROM changes") == [(1,)]
    # The store is usable afterwards.
    add(store, name="Third")
    assert len(store.initiatives()) == 2


def test_nested_transactions_are_refused(store: Store) -> None:
    with (
        store.transaction("m"),
        pytest.raises(RuntimeError, match="nested"),
        store.transaction("m"),
    ):
        pass


def test_changes_filters(store: Store) -> None:
    a = add(store, "maya", name="A")
    b = add(store, "tomas", name="B")
    with store.transaction("tomas") as tx:
        tx.update(a, None, owner="X")
    assert {c.entity_id for c in store.changes(author="tomas", expand=False)} == {a.id, b.id}
    assert [c.field for c in store.changes(entity_id=a.id, expand=False)] == ["owner", "*"]
    assert len(store.changes(entity_ids=(a.id, b.id), expand=False)) == 3
    first = store.changes(newest_first=False, expand=False)[0]
    assert len(store.changes(since_hlc=first.hlc, expand=False)) == 2
    assert len(store.changes(limit=2, expand=False)) == 2


# Revisions: a stale update is refused with who changed it -----------------------------------


def test_stale_update_from_another_store_is_refused(path: Path) -> None:
    mine = Store.open(path, clock=Clock())
    theirs = Store.open(path, clock=Clock())
    try:
        i = add(mine)
        seen = mine.get(Initiative, i.id)
        assert seen is not None
        with theirs.transaction("tomas") as tx:
            tx.update(seen, None, owner="Tomás", stage="pilot")
        after_theirs = theirs.get(Initiative, i.id)
        log_before = mine.changes(expand=False)
        with pytest.raises(StaleRevision) as info, mine.transaction("maya") as tx:
            tx.update(seen, None, owner="Maya")
        err = info.value
        assert err.exit_code == 1
        assert err.author == "tomas"
        assert set(err.fields) == {"owner", "stage"}
        assert "tomas" in err.message and "stage" in err.message and "owner" in err.message
        assert "\n" not in err.message
        # Nothing of the stale save reached the file.
        assert mine.get(Initiative, i.id) == after_theirs
        assert mine.changes(expand=False) == log_before
        # An explicit expected revision is checked the same way.
        with pytest.raises(StaleRevision), mine.transaction("maya") as tx:
            tx.update(after_theirs, 1, owner="Maya")  # type: ignore[arg-type]
        # Reloading and saving again works.
        with mine.transaction("maya") as tx:
            saved = tx.update(after_theirs, None, owner="Maya")  # type: ignore[arg-type]
        assert saved.revision == 3
    finally:
        mine.close()
        theirs.close()


def test_stale_refusal_after_a_create_says_created(store: Store) -> None:
    i = add(store, "tomas")
    err = store.stale("initiative", i.id)
    assert "tomas created this initiative" in err.message
    assert err.fields == ()


# Tombstones ----------------------------------------------------------------------------------


def test_delete_is_a_tombstone(store: Store, path: Path) -> None:
    i = add(store)
    with store.transaction("maya") as tx:
        a = tx.insert(Answer(initiative_id=i.id, key="D1", value="yes"))
        tx.insert(Answer(initiative_id=i.id, key="D2", value="no"))
    with store.transaction("maya") as tx:
        gone = tx.delete(a)
    assert gone.deleted and gone.revision == 2
    assert store.get(Answer, a.id) is None
    assert store.get(Answer, a.id, include_deleted=True) == gone
    assert [x.key for x in store.answers(i.id)] == ["D2"]
    assert store.answer_values() == {i.id: {"D2": "no"}}
    assert rows(path, "SELECT deleted FROM answers WHERE key = 'D1'") == [(1,)]
    assert next((c.field, c.old, c.new) for c in store.changes(entity_id=a.id, expand=False)) == (
        "deleted",
        False,
        True,
    )
    assert [x.key for x in store.all(Answer, include_deleted=True)] == ["D1", "D2"]


def test_deleting_with_a_stale_revision_is_refused(store: Store) -> None:
    i = add(store)
    with store.transaction("tomas") as tx:
        tx.update(i, None, owner="T")
    with pytest.raises(StaleRevision), store.transaction("maya") as tx:
        tx.delete(i)
    assert store.get(Initiative, i.id) is not None


# The file: journal, timeouts, other connections ---------------------------------------------


def test_rollback_journal_and_busy_timeout(store: Store, path: Path) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 2000
    add(store)
    assert not Path(f"{path}-wal").exists()


def test_busy_file_is_refused_with_a_sentence(path: Path) -> None:
    store = Store.open(path)
    blocker = sqlite3.connect(path, isolation_level=None)
    try:
        store.conn.execute("PRAGMA busy_timeout = 50")
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(Busy, match="busy") as info, store.transaction("maya") as tx:
            tx.insert(initiative())
        assert info.value.exit_code == 2
        blocker.execute("ROLLBACK")
        add(store)  # free again
    finally:
        blocker.close()
        store.close()


def test_data_version_moves_when_another_connection_writes(path: Path) -> None:
    watcher = Store.open(path)
    writer = Store.open(path)
    try:
        v0 = watcher.data_version()
        add(watcher)
        assert watcher.data_version() == v0  # our own writes do not count
        add(writer)
        assert watcher.data_version() != v0
    finally:
        watcher.close()
        writer.close()


def test_read_only_store_refuses_writes(path: Path) -> None:
    store = Store.open(path, read_only=True)
    try:
        assert store.read_only
        with pytest.raises(ReadOnly, match="read-only"), store.transaction("maya") as tx:
            tx.insert(initiative())
        assert store.initiatives() == []
    finally:
        store.close()


def test_copy_to_makes_a_checked_copy(store: Store, tmp_path: Path) -> None:
    i = add(store)
    target = tmp_path / "copy.db"
    store.copy_to(target)
    copy = Store.open(target, read_only=True)
    try:
        assert copy.initiatives() == [i]
        assert copy.integrity() == "ok"
    finally:
        copy.close()
    with pytest.raises(BadFile, match="already exists"):
        store.copy_to(target)


def test_seeded_store_makes_the_same_ids(path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    Store.create(other).close()
    a = Store.open(path, seed=7)
    b = Store.open(other, seed=7)
    try:
        assert [a.new_id() for _ in range(3)] == [b.new_id() for _ in range(3)]
        assert a.node == b.node
    finally:
        a.close()
        b.close()


def test_apply_field_is_logged_without_a_revision_check(store: Store) -> None:
    """Undo writes through it: no revision check, but logged like any write."""
    i = add(store)
    with store.transaction("tomas") as tx:
        tx.update(i, None, owner="T")
    with store.transaction("merge") as tx:
        tx.apply_field("initiative", i.id, "team", "Dispatch")  # i is stale: no matter
    got = store.get(Initiative, i.id)
    assert got is not None and got.team == "Dispatch" and got.revision == 3
    (newest,) = store.changes(limit=1, expand=False)
    assert (newest.author, newest.field, newest.new) == ("merge", "team", "Dispatch")
    with pytest.raises(BadInput, match="no initiative"), store.transaction("m") as tx:
        tx.apply_field("initiative", initiative().id, "team", "x")


def test_change_time_is_the_clock_time(store: Store) -> None:
    i = add(store)
    (c,) = store.changes(entity_id=i.id, expand=False)
    assert c.at == T0


def test_get_many_reads_live_rows_by_id_in_chunks(store: Store) -> None:
    with store.transaction("maya") as tx:
        made = [tx.insert(initiative(name=f"I{n}")) for n in range(520)]
    gone = made[3]
    with store.transaction("maya") as tx:
        tx.delete(gone)
    wanted = [m.id for m in made] + ["no-such-id"]
    got = store.get_many(Initiative, wanted)
    assert {i.id for i in got} == {m.id for m in made} - {gone.id}  # across two chunks
    assert gone.id in {i.id for i in store.get_many(Initiative, wanted, include_deleted=True)}
    assert store.get_many(Initiative, []) == []


def test_initiative_count_is_every_row_deleted_ones_too(store: Store) -> None:
    """The count screens use to choose a worker: one query, the same as the names' length."""
    assert store.initiative_count() == 0
    kept, gone = add(store), add(store)
    with store.transaction("maya") as tx:
        tx.delete(gone)
    assert store.initiative_count() == 2 == len(store.initiative_names())
    assert kept.id in store.initiative_names()
