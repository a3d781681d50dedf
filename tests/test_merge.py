"""Merging a teammate's copy: what lands, what conflicts, and what is refused untouched."""

from __future__ import annotations

import json
import multiprocessing as mp
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bridge_tui.clock import Clock as OneClock
from bridge_tui.errors import BadFile, ReadOnly
from bridge_tui.models import Answer, answer_id
from bridge_tui.service import Service
from bridge_tui.store import Store

TODAY = date(2026, 11, 22)


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def open_service(path: Path, author: str, minute: int = 0) -> Service:
    start = datetime(2026, 11, 22, 9, minute, tzinfo=UTC)
    return Service(Store.open(path), author, OneClock(lambda: TODAY, Clock(start)))


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Service, Service, Path, Path]]:
    """Ours and a teammate's copy made with `share`, each with its own clock."""
    ours_path = tmp_path / "ours.db"
    Store.create(ours_path).close()
    ours = open_service(ours_path, "alice")
    base = ours.create_initiative("Dispatch routing", owner="Priya")
    ours.answer(base, "D1", "no")
    theirs_path = tmp_path / "theirs.db"
    ours.share(theirs_path)
    theirs = open_service(theirs_path, "bob", minute=5)
    yield ours, theirs, ours_path, theirs_path
    ours.store.close()
    theirs.store.close()


def test_new_rows_and_newer_fields_come_across(pair: tuple[Service, Service, Path, Path]) -> None:
    ours, theirs, _, theirs_path = pair
    i = theirs.initiatives()[0]
    theirs.edit_initiative(i, team="Dispatch desk")
    theirs.answer(i, "D2", "yes")
    new = theirs.create_initiative(
        "Invoice matching", stage="productionize", force=True, reason="merge test"
    )
    report = ours.merge(theirs_path)
    assert not report.dry_run
    assert {a.entity for a in report.added} >= {"initiative", "answer", "plan", "task"}
    assert [(c.what, c.old, c.new, c.author) for c in report.changed] == [
        ("Team", "(empty)", "Dispatch desk", "bob")
    ]
    assert report.conflicts == []
    assert ours.initiative(i.id).team == "Dispatch desk"
    assert ours.answer_map(i.id)["D2"] == "yes"
    assert ours.initiative(new.id).stage == "productionize"
    assert "added" in report.summary() and report.summary().endswith(".")


def test_conflict_keeps_newest_reports_both_and_the_loser_stays_in_the_log(
    pair: tuple[Service, Service, Path, Path],
) -> None:
    ours, theirs, _, theirs_path = pair
    i = ours.initiatives()[0]
    ours.edit_initiative(i, owner="Alice's pick")  # 09:00:0x
    theirs.edit_initiative(theirs.initiative(i.id), owner="Bob's pick")  # 09:05: newer
    report = ours.merge(theirs_path, dry_run=True)
    assert ours.initiative(i.id).owner == "Alice's pick"  # a dry run writes nothing
    [conflict] = report.conflicts
    assert (conflict.ours, conflict.ours_author) == ("Alice's pick", "alice")
    assert (conflict.theirs, conflict.theirs_author) == ("Bob's pick", "bob")
    assert conflict.kept == "theirs"
    assert conflict.theirs_at > conflict.ours_at
    ours.merge(theirs_path)
    assert ours.initiative(i.id).owner == "Bob's pick"
    values = [e.new for e in ours.history(i) if e.field == "owner"]
    assert "Alice's pick" in values and "Bob's pick" in values


def test_merging_the_same_copy_twice_changes_nothing(
    pair: tuple[Service, Service, Path, Path],
) -> None:
    ours, theirs, ours_path, theirs_path = pair
    theirs.create_initiative("Invoice matching")
    first = ours.merge(theirs_path)
    assert first.imported > 0
    ours.store.close()
    before = ours_path.read_bytes()
    ours2 = open_service(ours_path, "alice")
    second = ours2.merge(theirs_path)
    assert second.nothing_new and second.added == [] and second.changed == []
    assert "nothing changed" in second.summary()
    ours2.store.close()
    assert ours_path.read_bytes() == before


def test_the_other_copy_is_never_altered(pair: tuple[Service, Service, Path, Path]) -> None:
    ours, theirs, _, theirs_path = pair
    theirs.create_initiative("Invoice matching")
    ours.create_initiative("Yard planning")
    theirs.store.close()
    before = theirs_path.read_bytes()
    ours.merge(theirs_path, dry_run=True)
    ours.merge(theirs_path)
    assert theirs_path.read_bytes() == before


def test_tombstones_win_or_lose_like_any_field_and_edit_vs_delete_is_reported(
    pair: tuple[Service, Service, Path, Path],
) -> None:
    ours, theirs, _, theirs_path = pair
    i = ours.initiatives()[0]
    aid = answer_id(i.id, "D1")
    with ours._tx() as tx:  # we delete the answer
        current = ours.store.get(Answer, aid)
        assert current is not None
        tx.delete(current)
    theirs.answer(theirs.initiative(i.id), "D1", "no", note="still relevant")  # they edit it
    report = ours.merge(theirs_path)
    assert ours.store.get(Answer, aid) is None  # stays deleted: no resurrection
    deleted = [c for c in report.conflicts if c.field == "deleted"]
    assert len(deleted) == 1 and deleted[0].kept == "ours"
    assert "deleted on one side" in deleted[0].what
    # and the other way round: their delete reaches us
    ours2_path = theirs_path.with_name("again.db")
    ours.share(ours2_path)
    j = ours.initiatives()[0]
    mine = open_service(ours2_path, "carol", minute=30)
    ans = mine.store.get(Answer, answer_id(j.id, "D2"))
    assert ans is None
    mine.answer(mine.initiative(j.id), "D2", "yes")
    with mine._tx() as tx:
        a = mine.store.get(Answer, answer_id(j.id, "D2"))
        assert a is not None
        tx.delete(a)
    mine.store.close()
    ours.merge(ours2_path)
    assert ours.store.get(Answer, answer_id(j.id, "D2")) is None
    assert ours.store.get(Answer, answer_id(j.id, "D2"), include_deleted=True) is not None


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["text", "sqlite", "corrupt", "empty", "folder", "missing"])
def test_bad_other_files_are_refused_with_one_sentence_and_nothing_changes(
    pair: tuple[Service, Service, Path, Path], tmp_path: Path, kind: str
) -> None:
    ours, _, ours_path, theirs_path = pair
    other = tmp_path / f"bad-{kind}.db"
    if kind == "text":
        other.write_text("name,owner\nDispatch,Priya\n")
    elif kind == "sqlite":
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE notes (x)")
        conn.commit()
        conn.close()
    elif kind == "corrupt":
        data = bytearray(theirs_path.read_bytes())
        for n in range(4096, len(data), 4096):  # damage every page after the first,
            data[n : n + 400] = b"\xff" * 400  # its header too, wherever its rows sit
        other.write_bytes(bytes(data))
    elif kind == "empty":
        other.write_bytes(b"")
    elif kind == "folder":
        other.mkdir()
    before_ours = _bytes(ours_path)
    before_other = _bytes(other) if other.is_file() else None
    with pytest.raises(BadFile) as err:
        ours.merge(other)
    message = err.value.message
    assert message.endswith(".") and "\n" not in message
    assert "nothing was" in message
    assert _bytes(ours_path) == before_ours
    if before_other is not None:
        assert _bytes(other) == before_other


def test_merging_the_file_into_itself_is_refused(
    pair: tuple[Service, Service, Path, Path], tmp_path: Path
) -> None:
    ours, _, ours_path, _ = pair
    before = _bytes(ours_path)
    link = tmp_path / "link.db"
    link.symlink_to(ours_path)
    hard = tmp_path / "hard.db"
    hard.hardlink_to(ours_path)
    for same in (ours_path, link, hard, tmp_path / "." / ours_path.name):
        with pytest.raises(BadFile, match="this very file"):
            ours.merge(same)
    assert _bytes(ours_path) == before


def test_an_older_schema_is_migrated_in_a_temporary_copy(
    pair: tuple[Service, Service, Path, Path],
) -> None:
    ours, theirs, _, theirs_path = pair
    theirs.create_initiative("From an old bridge")
    theirs.store.close()
    conn = sqlite3.connect(theirs_path)
    conn.execute("PRAGMA user_version = 0")  # what a file from before the last migration says
    conn.close()
    before = theirs_path.read_bytes()
    report = ours.merge(theirs_path)
    assert [a.new for a in report.added if a.entity == "initiative"] == [
        "From an old bridge in Experiment"
    ]
    assert theirs_path.read_bytes() == before
    assert not list(theirs_path.parent.glob("theirs.db.schema*"))  # no backup next to it either


def test_a_newer_schema_is_refused(pair: tuple[Service, Service, Path, Path]) -> None:
    ours, theirs, ours_path, theirs_path = pair
    theirs.store.close()
    conn = sqlite3.connect(theirs_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = ours_path.read_bytes()
    with pytest.raises(BadFile, match="newer bridge"):
        ours.merge(theirs_path)
    assert ours_path.read_bytes() == before


def test_a_read_only_file_cannot_take_a_merge(pair: tuple[Service, Service, Path, Path]) -> None:
    _ours, theirs, ours_path, theirs_path = pair
    theirs.create_initiative("Invoice matching")
    ro = Service(Store.open(ours_path, read_only=True), "alice", TODAY)
    assert ro.merge(theirs_path, dry_run=True).added  # a preview still works
    with pytest.raises(ReadOnly):
        ro.merge(theirs_path)
    ro.store.close()


def test_share_writes_a_checked_copy_and_never_overwrites(
    pair: tuple[Service, Service, Path, Path], tmp_path: Path
) -> None:
    ours, _, _, _ = pair
    out = tmp_path / "for-bob.db"
    ours.share(out)
    copy = Store.open(out, read_only=True)
    assert copy.integrity() == "ok"
    assert [i.name for i in copy.initiatives()] == ["Dispatch routing"]
    assert len(copy.changes()) == len(ours.store.changes())  # the history travels with it
    assert copy.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
    copy.close()
    before = out.read_bytes()
    with pytest.raises(BadFile, match="already exists"):
        ours.share(out)
    assert out.read_bytes() == before
    with pytest.raises(BadFile, match="does not exist"):
        ours.share(tmp_path / "no-such-folder" / "x.db")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bridge_tui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"BRIDGE_AUTHOR": "cli", "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
        timeout=60,
    )


def test_cli_merge_share_and_history(pair: tuple[Service, Service, Path, Path]) -> None:
    ours, theirs, ours_path, _theirs_path = pair
    i = theirs.initiatives()[0]
    theirs.edit_initiative(i, team="Dispatch desk")
    ours.store.close()
    theirs.store.close()
    cwd = ours_path.parent
    dry = run_cli("--db", "ours.db", "merge", "theirs.db", "--dry-run", cwd=cwd)
    assert dry.returncode == 0, dry.stderr
    assert "Would change:" in dry.stdout and "Team: (empty) -> Dispatch desk" in dry.stdout
    js = run_cli("--db", "ours.db", "merge", "theirs.db", "--json", cwd=cwd)
    assert js.returncode == 0
    data = json.loads(js.stdout)
    assert data["changed"][0]["new"] == "Dispatch desk" and data["dry_run"] is False
    again = run_cli("--db", "ours.db", "merge", "theirs.db", cwd=cwd)
    assert again.returncode == 0 and "nothing changed" in again.stdout
    self_merge = run_cli("--db", "ours.db", "merge", "ours.db", cwd=cwd)
    assert self_merge.returncode == 2
    assert self_merge.stderr.count("\n") == 1 and "this very file" in self_merge.stderr
    hist = run_cli("--db", "ours.db", "history", "Dispatch routing", "--json", cwd=cwd)
    assert hist.returncode == 0
    entries = json.loads(hist.stdout)
    assert entries[0]["author"] == "bob" and entries[0]["new"] == "Dispatch desk"
    assert [e["at"] for e in entries] == sorted((e["at"] for e in entries), reverse=True)
    by_alice = run_cli("--db", "ours.db", "history", "--author", "ALICE", cwd=cwd)
    assert by_alice.returncode == 0 and "Created Dispatch routing" in by_alice.stdout
    assert "bob" not in by_alice.stdout
    shared = run_cli("--db", "ours.db", "share", "copy.db", cwd=cwd)
    assert shared.returncode == 0 and (cwd / "copy.db").exists()
    twice = run_cli("--db", "ours.db", "share", "copy.db", cwd=cwd)
    assert twice.returncode == 2 and "already exists" in twice.stderr
    unknown = run_cli("--db", "ours.db", "history", "nothing-like-this", cwd=cwd)
    assert unknown.returncode == 2 and unknown.stderr.startswith("bridge: ")


def test_merge_copies_whole_portfolios(sample_db: Path, tmp_path: Path) -> None:
    """Two copies of the sample with work on both sides converge to the same state."""
    a_path = tmp_path / "a.db"
    b_path = tmp_path / "b.db"
    shutil.copyfile(sample_db, a_path)
    shutil.copyfile(sample_db, b_path)
    a = open_service(a_path, "alice")
    b = open_service(b_path, "bob", minute=1)
    ia = a.ordered()[0]
    a.edit_initiative(ia, summary="Alice's summary")
    b.edit_initiative(b.initiative(ia.id), summary="Bob's summary")
    b.create_initiative("Bob's new one")
    a.merge(b_path)
    b.merge(a_path)
    assert a.initiative(ia.id).summary == b.initiative(ia.id).summary == "Bob's summary"
    assert sorted(i.name for i in a.initiatives()) == sorted(i.name for i in b.initiatives())
    a.store.close()
    b.store.close()


def _busy_writer(path: str, started: Any) -> None:
    svc = Service(Store.open(path), "bob", TODAY)
    started.set()
    n = 0
    while True:
        n += 1
        svc.create_initiative(f"Half {n}", stage="productionize", force=True, reason="load")


@pytest.mark.slow
def test_a_copy_left_half_written_by_a_crash_merges_its_committed_state_untouched(
    pair: tuple[Service, Service, Path, Path],
) -> None:
    ours, theirs, _ours_path, theirs_path = pair
    theirs.store.close()
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    journal = theirs_path.with_name(theirs_path.name + "-journal")
    for attempt in range(40):
        started = ctx.Event()
        proc = ctx.Process(target=_busy_writer, args=(str(theirs_path), started), daemon=True)
        proc.start()
        assert started.wait(30)
        time.sleep(0.01 + attempt * 0.003)
        proc.kill()
        proc.join(10)
        if journal.exists():
            break
    else:
        pytest.skip("no kill landed mid-save in 40 tries")
    before = (theirs_path.read_bytes(), journal.read_bytes())
    report = ours.merge(theirs_path)
    assert (theirs_path.read_bytes(), journal.read_bytes()) == before  # their file untouched
    names = {i.name for i in ours.initiatives()}
    added = [a for a in report.added if a.entity == "initiative"]
    assert all(a.new.split(" in ")[0] in names for a in added)
    assert ours.store.integrity() == "ok"
    # whole transactions only: every new initiative in Productionize came with its plan
    from bridge_tui.models import Plan

    for i in ours.initiatives():
        if i.name.startswith("Half "):
            assert ours.store.get(Plan, i.id) is not None
