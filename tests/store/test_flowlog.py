"""The stage moves kept beside the change log (`store/flowlog.py`): after every way a file is
written (saves, a merge that slips older changes in, an import, an upgrade from schema 3) they
equal a fresh replay of the log; a reader replays what is still listed; a forged table is
caught by the full check."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from bridge_tui import flow
from bridge_tui.service import Service
from bridge_tui.store import Store, flowlog
from bridge_tui.store import db as dbmod
from bridge_tui.store import migrations as migmod
from tests.flow_portfolio import build_flow_portfolio


def fresh(path: Path) -> dict[str, tuple[flow.Move, ...]]:
    conn = sqlite3.connect(path)
    try:
        return flow.replay(flowlog.log_rows(conn))
    finally:
        conn.close()


def kept(path: Path) -> tuple[dict[str, tuple[flow.Move, ...]], list[str]]:
    conn = sqlite3.connect(path)
    try:
        stale = [r[0] for r in conn.execute("SELECT initiative_id FROM flow_stale")]
        return flowlog.stored(conn), stale
    finally:
        conn.close()


def assert_in_step(path: Path) -> None:
    moves, stale = kept(path)
    assert stale == []
    assert moves == fresh(path)


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    path = tmp_path / "flow.db"
    build_flow_portfolio(path)
    return path


def test_every_save_keeps_the_moves_in_step_with_the_log(portfolio: Path) -> None:
    assert_in_step(portfolio)
    moves, _ = kept(portfolio)
    # the portfolio's four initiatives, with the move back, the forced moves, kill and revive
    assert sorted(len(m) for m in moves.values()) == [1, 3, 4, 5]
    assert any(m.forced for own in moves.values() for m in own)


def test_a_save_replays_only_what_it_touched(portfolio: Path) -> None:
    store = Store.open(portfolio)
    svc = Service(store, "maya", date(2026, 11, 22))
    before = store.conn.execute("SELECT * FROM flow_moves ORDER BY 1, 2").fetchall()
    delta = next(i for i in svc.initiatives() if i.name == "Delta")
    svc.edit_initiative(delta, owner="Priya")  # not a stage field: nothing to replay
    assert store.conn.execute("SELECT * FROM flow_moves ORDER BY 1, 2").fetchall() == before
    svc.move(svc.initiative(delta.id), "pilot", force=True, reason="the sponsor asked")
    store.close()
    assert_in_step(portfolio)
    moves, _ = kept(portfolio)
    assert moves[delta.id][-1] == flow.Move(date(2026, 11, 22), "pilot", True)


def test_a_merge_that_slips_older_changes_in_replays_the_initiative_whole(
    portfolio: Path, tmp_path: Path
) -> None:
    theirs = tmp_path / "theirs.db"
    shutil.copyfile(portfolio, theirs)
    ours_store = Store.open(portfolio)
    theirs_store = Store.open(theirs)
    day = [date(2026, 11, 20)]
    ours = Service(ours_store, "maya", lambda: day[0])
    them = Service(theirs_store, "sam", date(2026, 11, 21))
    delta = next(i for i in ours.initiatives() if i.name == "Delta")
    # they move Delta first (an older change), we move it later; then we merge theirs in
    them.move(them.initiative(delta.id), "pilot", force=True, reason="their call")
    theirs_store.close()
    day[0] = date(2026, 11, 22)
    ours.move(ours.initiative(delta.id), "killed", force=True, reason="ours")
    ours.merge(theirs)
    ours_store.close()
    assert_in_step(portfolio)


def test_an_import_keeps_the_moves_of_the_export(portfolio: Path, tmp_path: Path) -> None:
    store = Store.open(portfolio)
    svc = Service(store, "maya", date(2026, 11, 22))
    export = svc.export_to(tmp_path / "export.json")
    target = svc.import_all(export, tmp_path / "imported.db")
    store.close()
    assert_in_step(target)
    assert kept(target)[0] == kept(portfolio)[0]


def three_step_schema() -> Migrations:
    three = Migrations("bridge")
    three()(migmod.m001_initial)
    three()(migmod.m002_method_rules)
    three()(migmod.m003_sustain_and_extend)
    return three


def test_an_upgraded_file_replays_its_whole_log_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # written by the bridge before the moves were kept
        m.setattr(dbmod, "migrations", three_step_schema())
        m.setattr(dbmod, "SCHEMA_VERSION", 3)
        build_flow_portfolio(path)
        conn = sqlite3.connect(path)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
        assert "flow_moves" not in tables
    before = fresh(path)
    store = Store.open(path)
    assert store.backup is not None
    store.close()
    assert_in_step(path)
    assert kept(path)[0] == before


def test_a_reader_replays_what_is_still_listed(portfolio: Path) -> None:
    conn = sqlite3.connect(portfolio)
    with conn:
        conn.execute("DELETE FROM flow_moves")  # as if a program listed them and stopped
        conn.execute(
            "INSERT INTO flow_stale SELECT DISTINCT entity_id FROM changes"
            " WHERE entity = 'initiative'"
        )
    conn.close()
    store = Store.open(portfolio, read_only=True)
    try:
        assert store.flow_moves() == fresh(portfolio)
    finally:
        store.close()


def test_the_kept_moves_of_one_initiative_are_its_replay(portfolio: Path) -> None:
    store = Store.open(portfolio, read_only=True)
    try:
        every = store.flow_moves()
        for ident, own in every.items():
            assert store.flow_moves(ident) == {ident: own}
    finally:
        store.close()


def test_forged_kept_moves_are_caught_by_the_full_check(portfolio: Path) -> None:
    conn = sqlite3.connect(portfolio)
    with conn:
        conn.execute("UPDATE flow_moves SET stage = 'infrastructure' WHERE seq = 0")
    conn.close()
    store = Store.open(portfolio)
    try:
        assert store.read_only
        assert store.refusal is not None
        assert "stage moves" in store.refusal
        assert "change log does not hold" in store.refusal
    finally:
        store.close()
