"""The scores kept beside each initiative (`store/scorelog.py`): after every kind of write
(answers set and cleared, edits, moves, kills, revivals, deletes, undo, a merge with conflicts,
an import, a spreadsheet import, an upgrade) the kept rows equal a fresh `scoring` computation;
a write outside bridge drops the row and readers still get the fresh score; a forged row is
caught by the full check (`bridge check`)."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils.migrations import Migrations

from bridge_tui import method, scoring
from bridge_tui.errors import BadFile, BridgeError
from bridge_tui.models import Answer, Initiative, answer_id
from bridge_tui.scoring.stored import RULES, StoredScore
from bridge_tui.service import Service
from bridge_tui.store import Store, scorelog
from bridge_tui.store import db as dbmod
from bridge_tui.store import migrations as migmod
from tests.conftest import FROZEN_TODAY, REPO
from tests.flow_portfolio import build_flow_portfolio

TODAY = FROZEN_TODAY


def fresh(conn: sqlite3.Connection) -> dict[str, StoredScore]:
    """Every live initiative scored now with `scoring`, from its model and its answers."""
    answers: dict[str, dict[str, str]] = {}
    for iid, key, value in conn.execute(
        "SELECT initiative_id, key, value FROM answers WHERE deleted = 0"
    ):
        answers.setdefault(iid, {})[key] = value
    store_rows = conn.execute("SELECT * FROM initiatives WHERE deleted = 0")
    cols = [d[0] for d in store_rows.description]
    from bridge_tui.store.rows import from_row

    out = {}
    for r in store_rows:
        i = from_row(Initiative, dict(zip(cols, r, strict=True)))
        out[i.id] = StoredScore.of(i, answers.get(i.id, {}))
    return out


def kept(conn: sqlite3.Connection) -> dict[str, StoredScore]:
    return {r[0]: StoredScore(tuple(r)) for r in conn.execute("SELECT * FROM scores")}


def assert_in_step(conn: sqlite3.Connection) -> None:
    """Every live initiative has its row, equal to a fresh computation, and nothing else;
    nothing is left listed for scoring."""
    assert kept(conn) == fresh(conn)
    assert conn.execute("SELECT count(*) FROM scores_stale").fetchone()[0] == 0
    assert {r[0] for r in conn.execute("SELECT DISTINCT rules FROM scores")} <= {RULES}


def assert_file_in_step(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert_in_step(conn)
    finally:
        conn.close()


def cards_agree(svc: Service) -> None:
    """What readers get (the bulk read, the board's cards) is what `scoring` computes."""
    board = svc.board()
    scored = svc.board(scores=True)
    every = svc.scores()
    assert every == fresh(svc.store.conn)
    for i in board.initiatives:
        assert scored.card(i, TODAY) == board.card(i, TODAY)
        assert every[i.id].card(i, TODAY) == scoring.card(i, board.answers_of(i.id), TODAY)


# every kind of write, in random order ----------------------------------------------------------

#: few keys, each moving a different part of the score (readiness, a gate, the owner rule, a
#: signal, a test), so that runs often set, change and clear the same answer
KEYS = ("D1", "scoped", "owned", "maintenance_budget", "embedded")
ANSWER_OP = st.tuples(
    st.just("answer"), st.integers(0, 3), st.sampled_from(KEYS), st.sampled_from(("yes", "no"))
)
CLEAR_OP = st.tuples(st.just("clear"), st.integers(0, 3), st.sampled_from(KEYS), st.just(""))
EDIT_OP = st.tuples(
    st.just("edit"),
    st.integers(0, 3),
    st.sampled_from(("owner", "owner", "pilot_builder", "name")),
    st.sampled_from(("", "Priya Natarajan", "Ops team", "Sam")),
)
MOVE_OP = st.tuples(
    st.just("move"), st.integers(0, 3), st.sampled_from(method.FLOW), st.sampled_from(("", "x"))
)
SIMPLE = st.tuples(
    st.sampled_from(("kill", "revive", "delete", "create", "undo", "raw", "theirs", "merge")),
    st.integers(0, 3),
    st.sampled_from(KEYS),
    st.sampled_from(("yes", "no")),
)
OPS = st.lists(st.one_of(ANSWER_OP, CLEAR_OP, EDIT_OP, MOVE_OP, SIMPLE), min_size=4, max_size=14)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scores") / "base.db"
    build_flow_portfolio(path)
    return path


def pick(svc: Service, n: int) -> Initiative | None:
    live = sorted(svc.store.initiatives(include_deleted=True), key=lambda i: i.id)
    found = [i for i in live if not i.deleted]
    return found[n % len(found)] if found else None


def write(svc: Service, op: tuple[str, int, str, str], theirs: Service) -> None:
    kind, n, key, value = op
    if kind == "create":
        svc.create_initiative(f"New {n}")
        return
    if kind == "undo":
        svc.undo_last()
        return
    if kind == "theirs":  # the teammate's copy changes too: owners and answers the merge meets
        i = pick(theirs, n)
        if i is not None:
            theirs.answer(i, key, value)
            theirs.edit_initiative(theirs.initiative(i.id), owner="Ana and Ben")
        return
    if kind == "merge":
        svc.merge(theirs.store.path)
        return
    i = pick(svc, n)
    if i is None:
        return
    if kind == "answer":
        svc.answer(i, key, value)
    elif kind == "clear":
        found = svc.store.get(Answer, answer_id(i.id, key))
        if found is not None:
            with svc._tx() as tx:  # a store-level delete, as a teammate's older code might
                tx.delete(found)
    elif kind == "edit":
        if key == "name":
            value = value or "Renamed"
        svc.edit_initiative(i, **{key: value})
    elif kind == "move":
        svc.move(i, key, force=bool(value), reason=value)
    elif kind == "kill":
        svc.kill(i, "no longer needed")
    elif kind == "revive":
        svc.revive(i, force=True, reason="back again")
    elif kind == "delete":
        with svc._tx() as tx:
            tx.delete(i)
    elif kind == "raw":  # a program that knows nothing of the scores table (rows unchanged,
        # so the file stays true to its log; the trigger fires all the same)
        svc.store.conn.execute("UPDATE answers SET value = value WHERE initiative_id = ?", (i.id,))
        svc.store.conn.execute("UPDATE initiatives SET owner = owner WHERE id = ?", (i.id,))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_after_every_kind_of_write_the_kept_scores_are_a_fresh_computation(
    base: Path, ops: list[tuple[str, int, str, str]]
) -> None:
    with tempfile.TemporaryDirectory(prefix="scores-") as d:
        run_writes(base, Path(d), ops)


def run_writes(base: Path, folder: Path, ops: list[tuple[str, int, str, str]]) -> None:
    ours_path, theirs_path = folder / "ours.db", folder / "theirs.db"
    for p in (ours_path, theirs_path):
        shutil.copyfile(base, p)
    svc = Service(Store.open(ours_path, seed=1), "maya", TODAY)
    theirs = Service(Store.open(theirs_path, seed=2), "sam", TODAY)
    try:
        #: a raw write dropped rows that no transaction of ours has made again yet
        dropped = False
        for op in ops:
            changes = svc.store.conn.total_changes
            try:
                write(svc, op, theirs)
            except BridgeError:
                pass  # a refused write (a gate, nothing to undo) writes nothing
            if op[0] == "raw":
                dropped = True
                left = svc.store.conn.execute("SELECT count(*) FROM scores").fetchone()[0]
                assert left < len(svc.store.initiatives())  # readers score it now
            elif not dropped or svc.store.conn.total_changes > changes:
                dropped = False  # every transaction that commits makes the missing rows
                assert_in_step(svc.store.conn)
            cards_agree(svc)
        export = svc.export_to(folder / "export.json")
        imported = svc.import_all(export, folder / "imported.db")
        assert_file_in_step(imported)
    finally:
        svc.close()
        theirs.close()


# one of each, named ------------------------------------------------------------------------


@pytest.fixture
def portfolio(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    shutil.copyfile(base, path)
    return path


def test_a_new_file_and_a_built_one_keep_every_score(portfolio: Path) -> None:
    assert_file_in_step(portfolio)
    conn = sqlite3.connect(portfolio)
    live = conn.execute("SELECT count(*) FROM initiatives WHERE deleted = 0").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM scores").fetchone()[0] == live > 0
    conn.close()


def test_a_write_outside_bridge_drops_the_row_and_readers_still_get_the_fresh_score(
    portfolio: Path,
) -> None:
    svc = Service(Store.open(portfolio), "maya", TODAY)
    conn = sqlite3.connect(portfolio, isolation_level=None)  # another program, raw SQL
    ident = conn.execute("SELECT initiative_id FROM answers WHERE value = 'yes'").fetchone()[0]
    before = kept(svc.store.conn)[ident]
    conn.execute("UPDATE answers SET value = 'no' WHERE initiative_id = ?", (ident,))
    assert conn.execute("SELECT 1 FROM scores WHERE initiative_id = ?", (ident,)).fetchone() is None
    assert conn.execute("SELECT initiative_id FROM scores_stale").fetchall() == [(ident,)]
    conn.execute("UPDATE initiatives SET owner = 'Ops team'")  # every row of every initiative
    assert conn.execute("SELECT count(*) FROM scores").fetchone()[0] == 0
    conn.close()
    try:
        scores = svc.scores()  # a reader writes nothing: it scores now
        assert scores[ident] != before
        assert all(s.owner_issue is not None for s in scores.values())
        assert scores == fresh(svc.store.conn)
        assert svc.store.score(ident) == scores[ident]
        board = svc.board(scores=True)
        for i in board.initiatives:
            history = board.histories.get(i.id)
            assert board.card(i, TODAY) == scoring.card(i, board.answers_of(i.id), TODAY, history)
        assert svc.store.conn.execute("SELECT count(*) FROM scores").fetchone()[0] == 0
        reader = Store.open(portfolio, read_only=True)  # read-only: scored in memory too
        try:
            assert reader.scores() == scores
        finally:
            reader.close()
        svc.edit_initiative(pick(svc, 0), summary="touched")  # type: ignore[arg-type]
        assert_in_step(svc.store.conn)  # the next write makes them all again
    finally:
        svc.close()


def test_a_merge_of_a_teammates_copy_with_conflicts_keeps_the_scores(
    portfolio: Path, tmp_path: Path
) -> None:
    theirs_path = tmp_path / "theirs.db"
    shutil.copyfile(portfolio, theirs_path)
    ours = Service(Store.open(portfolio), "maya", TODAY)
    theirs = Service(Store.open(theirs_path), "sam", TODAY)
    i = pick(ours, 1)
    assert i is not None
    ours.edit_initiative(i, owner="Priya Natarajan")
    ours.answer(ours.initiative(i.id), "owned", "yes")
    theirs.edit_initiative(theirs.initiative(i.id), owner="Ops team")  # a group: owned fails
    theirs.answer(theirs.initiative(i.id), "D1", "yes")
    theirs.close()
    before = ours.scores()[i.id]
    report = ours.merge(theirs_path)
    assert report.conflicts
    assert_in_step(ours.store.conn)
    assert ours.scores()[i.id] != before
    ours.close()


def test_a_spreadsheet_import_keeps_the_scores(empty_service: Service, tmp_path: Path) -> None:
    from bridge_tui.sheet_map import read_sheet
    from tests.sheetgen import messy_workbook

    parsed = read_sheet(messy_workbook(tmp_path / "portfolio.xlsx"))
    empty_service.import_sheet(parsed, expected=empty_service.preview_sheet(parsed))
    assert len(empty_service.scores()) == len(empty_service.initiatives()) > 0
    assert_in_step(empty_service.store.conn)


def test_the_scores_of_older_rules_are_made_again(portfolio: Path) -> None:
    conn = sqlite3.connect(portfolio, isolation_level=None)
    conn.execute("UPDATE scores SET rules = rules - 1, total = 99")  # an older bridge's rows
    conn.close()
    store = Store.open(portfolio)
    try:
        assert not store.read_only  # older rules are not forged: they are simply not read
        assert all(s.total != 99 for s in store.scores().values())
        svc = Service(store, "maya", TODAY)
        svc.edit_initiative(pick(svc, 0), summary="touched")  # type: ignore[arg-type]
        assert_in_step(store.conn)
    finally:
        store.close()


@pytest.mark.parametrize(
    "forge",
    [
        "UPDATE scores SET total = total + 1"
        " WHERE initiative_id = (SELECT initiative_id FROM scores LIMIT 1)",
        "UPDATE scores SET forced_reason = 'nobody forced it'"
        " WHERE initiative_id = (SELECT initiative_id FROM scores LIMIT 1)",
        "INSERT INTO scores SELECT '00000000-0000-4000-8000-000000000000', rules, stage,"
        " total, passing, unanswered, categories, tests, stage_three, forced_reason, upkeep,"
        " blocks, detail FROM scores LIMIT 1",
    ],
    ids=["total", "forced mark", "no such initiative"],
)
def test_a_forged_score_is_caught_by_the_full_check(portfolio: Path, forge: str) -> None:
    conn = sqlite3.connect(portfolio, isolation_level=None)
    conn.execute(forge)
    conn.close()
    store = Store.open(portfolio)  # small: the full check runs as it opens
    try:
        assert store.read_only
        assert store.refusal is not None and "keeps a score for" in store.refusal
    finally:
        store.close()
    # `bridge check` runs it whatever the size of the file
    big = Store.open(portfolio, read_only=True)
    big.refusal = None
    try:
        with pytest.raises(BadFile, match="keeps a score for"):
            big.full_check()
    finally:
        big.close()


# upgrading ---------------------------------------------------------------------------------


def four_step_schema() -> Migrations:
    four = Migrations("bridge")
    for step in (
        migmod.m001_initial,
        migmod.m002_method_rules,
        migmod.m003_sustain_and_extend,
        migmod.m004_flow_moves,
    ):
        four()(step)
    return four


def test_an_upgraded_file_gains_every_score(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    with monkeypatch.context() as m:  # written by the bridge before scores were kept
        m.setattr(dbmod, "migrations", four_step_schema())
        m.setattr(dbmod, "SCHEMA_VERSION", 4)
        build_flow_portfolio(path)
        conn = sqlite3.connect(path)
        assert not scorelog.kept(conn)
        conn.close()
    store = Store.open(path)
    assert store.backup is not None
    assert len(store.scores()) == 4
    store.close()
    assert_file_in_step(path)


def test_the_committed_sample_upgrades_on_a_copy(tmp_path: Path) -> None:
    """Whatever schema the committed sample.db has, a copy of it ends up with every score
    (the committed file itself is never opened for writing)."""
    path = tmp_path / "sample.db"
    shutil.copyfile(REPO / "sample.db", path)
    store = Store.open(path)
    try:
        assert not store.read_only
        assert len(store.scores()) == len(store.initiatives()) > 0
        assert_in_step(store.conn)
    finally:
        store.close()


def test_a_file_without_the_table_is_scored_whole(tmp_path: Path) -> None:
    """A reader meeting a file without the table (an older schema opened by a tool, a table
    dropped) scores every initiative in memory."""
    path = tmp_path / "p.db"
    build_flow_portfolio(path)
    conn = sqlite3.connect(path, isolation_level=None)
    want = fresh(conn)
    for t in [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]:
        if t.startswith("scores_"):
            conn.execute(f"DROP TRIGGER {t}")
    conn.execute("DROP TABLE scores")
    assert scorelog.scores(conn) == want
    assert scorelog.refresh(conn) == 0
    conn.close()


def test_a_save_scores_only_what_it_touched(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scored: list[int] = []
    refresh = scorelog.refresh

    def counted(conn: sqlite3.Connection) -> int:
        scored.append(refresh(conn))
        return scored[-1]

    monkeypatch.setattr(scorelog, "refresh", counted)
    svc = Service(Store.open(portfolio), "maya", TODAY)
    try:
        i = pick(svc, 0)
        assert i is not None
        before = kept(svc.store.conn)
        svc.answer(i, "D1", "no" if svc.answer_map(i.id).get("D1") == "yes" else "yes")
        after = kept(svc.store.conn)
        assert scored == [1]  # one initiative listed and scored, not the whole portfolio
        assert after[i.id] != before[i.id]
        assert {k: v for k, v in after.items() if k != i.id} == {
            k: v for k, v in before.items() if k != i.id
        }
        assert_in_step(svc.store.conn)
    finally:
        svc.close()
