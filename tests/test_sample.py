"""The sample portfolio: the committed file (as committed in git, whatever happened to the
working copy) opens with the current schema, tells the story and is what a fresh build makes;
a build is deterministic (same day, same file contents; another day, the same ids)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import NoReturn

import pytest

from bridge_tui import scoring
from bridge_tui.models import Initiative, MetricReading, Plan, PlanTask, Review
from bridge_tui.sample import SPECS, build_sample
from bridge_tui.service import Service
from bridge_tui.store import SCHEMA_VERSION, Store
from tests.conftest import FROZEN_TODAY, REPO

COMMITTED = REPO / "sample.db"

EXPECTED_STAGES = {
    "Dispatch routing": "productionize",
    "Contract review": "infrastructure",
    "Email triage": "infrastructure",
    "Customer service assistant": "pilot",
    "Route optimisation": "validate",
    "Invoice processing": "validate",
    "Document extraction: bills of lading": "pilot",
    "Document extraction: customs declarations": "killed",
    "Document extraction: proof of delivery": "experiment",
    "Demand forecasting": "pilot",
    "Warehouse slotting": "experiment",
    "Fleet maintenance prediction": "validate",
    "Driver safety coaching": "killed",
}


def table_contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in primary-key order. `applied_at` of the migrations table is
    the wall-clock moment the file was created, so it alone is left out."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        out: dict[str, list[tuple[object, ...]]] = {}
        for t in tables:
            if t == "_sqlite_migrations":
                out[t] = conn.execute(
                    "SELECT migration_set, name FROM _sqlite_migrations ORDER BY id"
                ).fetchall()
            else:
                out[t] = conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
        out["schema"] = conn.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY name"
        ).fetchall()
        out["pragmas"] = [
            conn.execute("PRAGMA user_version").fetchone(),
            conn.execute("PRAGMA application_id").fetchone(),
        ]
        return out
    finally:
        conn.close()


def build(path: Path, today: date) -> Path:
    store = Store.create(path)
    try:
        build_sample(store, today)
    finally:
        store.close()
    return path


def built_on(store: Store) -> date:
    """The day a sample file was built: Dispatch routing is on day 38 of its plan then."""
    routing = next(i for i in store.initiatives() if i.name == "Dispatch routing")
    plan = store.get(Plan, routing.id)
    assert plan is not None
    return plan.start_date + timedelta(days=37)


# The committed file --------------------------------------------------------------------------


def _skip_or_fail(reason: str) -> NoReturn:
    """Without a git checkout there is no committed blob to compare; that is a skip for someone
    running the tests from an unpacked source archive, but never in CI (`CI` set)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (and CI is set, so this check must run)")
    pytest.skip(reason)


def committed_sample_bytes() -> bytes:
    """sample.db as committed at HEAD, not the working file: opening the checkout's sample.db
    in bridge writes into it, and a newcomer's exploring must not fail the suite."""
    if shutil.which("git") is None:
        _skip_or_fail("git is not installed, so the committed sample.db cannot be read")
    top = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--show-toplevel"],
        capture_output=True,
        text=True,
        check=False,
    )
    if top.returncode != 0 or Path(top.stdout.strip()).resolve() != REPO.resolve():
        _skip_or_fail(f"{REPO} is not a git checkout, so there is no committed sample.db")
    blob = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "blob", "HEAD:sample.db"],
        capture_output=True,
        check=False,
    )
    if blob.returncode != 0:
        pytest.fail(f"sample.db is not committed at HEAD: {blob.stderr.decode().strip()}")
    return blob.stdout


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A read-only store on a temporary copy of the committed sample.db."""
    path = tmp_path_factory.mktemp("committed") / "sample.db"
    path.write_bytes(committed_sample_bytes())
    working = COMMITTED.read_bytes() if COMMITTED.exists() else None
    store = Store.open(path, read_only=True)
    yield store
    store.close()
    # these tests never touch the working file either
    assert (COMMITTED.read_bytes() if COMMITTED.exists() else None) == working


def test_committed_sample_has_the_current_schema(committed: Store) -> None:
    assert committed.read_only
    assert committed.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert committed.integrity() == "ok"
    assert committed.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_committed_sample_tells_the_story(committed: Store) -> None:
    today = built_on(committed)
    svc = Service(committed, "tester", today)
    stages = {i.name: i.stage for i in svc.initiatives()}
    assert stages == EXPECTED_STAGES
    by_name = {i.name: i for i in svc.initiatives()}

    routing = by_name["Dispatch routing"]
    tasks = committed.all(PlanTask, "initiative_id = ?", (routing.id,))
    assert len(tasks) == 15 and 0 < sum(t.done for t in tasks) < 15
    assert routing.owner and routing.owner_is_operational

    contract = by_name["Contract review"]
    assert svc.card(contract).stage_three
    assert committed.all(Review, "initiative_id = ?", (contract.id,))

    cards = {n: svc.card(i) for n, i in by_name.items()}
    assert sum(c.purgatory for c in cards.values()) >= 2
    assert cards["Email triage"].review_overdue
    killed = [i for i in by_name.values() if i.stage == "killed"]
    assert killed and all(i.kill_reason for i in killed)
    assert any(i.blockers for i in by_name.values())
    assert committed.all(MetricReading)
    authors = {c.author for c in committed.changes(expand=False)}
    assert len(authors) >= 4  # a team's history, not one person's


def test_committed_sample_matches_a_fresh_build(committed: Store, tmp_path: Path) -> None:
    """The committed sample.db is what `bridge init --sample` makes on the day it was built:
    regenerate and commit it after changing sample.py or the schema. Changes a person made by
    opening the working file do not count; only what is committed does."""
    day = built_on(committed)
    fresh = table_contents(build(tmp_path / "fresh.db", day))
    if fresh == table_contents(committed.path):
        return
    regenerated = COMMITTED.exists() and table_contents(COMMITTED) == fresh
    pytest.fail(
        "the committed sample.db is what sample.py built before; commit the regenerated file"
        if regenerated
        else "the committed sample.db is not what sample.py builds; regenerate and commit it: "
        f"rm sample.db && BRIDGE_TODAY={day.isoformat()} bridge --db sample.db init --sample"
    )


# Building ------------------------------------------------------------------------------------


def test_two_builds_on_the_same_day_are_identical(tmp_path: Path) -> None:
    a = build(tmp_path / "a.db", FROZEN_TODAY)
    b = build(tmp_path / "b.db", FROZEN_TODAY)
    assert table_contents(a) == table_contents(b)


def test_a_build_on_another_day_has_new_ids_and_shifted_dates(
    sample_db: Path, tmp_path: Path
) -> None:
    """Ids are unique per file: a sample built on another day shares no id with this one
    (same story, dates shifted), and merging it in adds it rather than finding nothing new."""
    later = build(tmp_path / "later.db", FROZEN_TODAY + timedelta(days=10))
    s1, s2 = Store.open(sample_db, read_only=True), Store.open(later, read_only=True)
    try:
        one = {i.name: i for i in s1.initiatives()}
        two = {i.name: i for i in s2.initiatives()}
        assert one.keys() == two.keys()
        for name, i in one.items():
            assert two[name].id != i.id
            assert two[name].stage_entered_at == i.stage_entered_at + timedelta(days=10)
        ids_one = {c.change_id for c in s1.changes(expand=False)} | {i.id for i in one.values()}
        ids_two = {c.change_id for c in s2.changes(expand=False)} | {i.id for i in two.values()}
        assert not ids_one & ids_two
    finally:
        s1.close()
        s2.close()
    svc = Service(Store.open(sample_db), "tester", FROZEN_TODAY + timedelta(days=10))
    try:
        report = svc.merge(later)
        assert not report.nothing_new
        assert len([a for a in report.added if a.entity == "initiative"]) == len(SPECS)
    finally:
        svc.close()


def test_fixture_sample_story_on_the_frozen_day(service: Service) -> None:
    today = service.today()
    assert today == FROZEN_TODAY
    by_name = {i.name: i for i in service.initiatives()}
    assert {n: i.stage for n, i in by_name.items()} == EXPECTED_STAGES
    assert len(SPECS) == len(by_name)
    routing = by_name["Dispatch routing"]
    plan = service.store.get(Plan, routing.id)
    assert plan is not None and scoring.plan_day(plan.start_date, today) == 38
    card = service.card(routing)
    assert card.scale.ready and card.readiness.passing and not card.stage_three
    # Pilot and Validate count together, from the entry into Pilot (the change log's history)
    days = {n: service.card(i).purgatory_days for n, i in by_name.items()}
    purgatory = sorted(n for n, i in by_name.items() if service.card(i).purgatory)
    assert purgatory == [
        "Customer service assistant",  # 380 days in pilot
        "Document extraction: bills of lading",  # 250 days in pilot
        "Fleet maintenance prediction",  # 270 in pilot, then 60 in validate: 330
        "Invoice processing",  # 170 in pilot, then 120 in validate: 290
        "Route optimisation",  # 220 in pilot, then 230 in validate: 450
    ]  # Demand forecasting (95 in pilot) not yet
    assert (days["Route optimisation"], days["Invoice processing"]) == (450, 290)
    assert (days["Demand forecasting"], days["Dispatch routing"]) == (95, 0)
    overdue = [n for n, i in by_name.items() if scoring.review_overdue(i, today)]
    assert overdue == ["Email triage"]


def test_sample_history_runs_through_the_service(service: Service) -> None:
    """Every initiative has its creation and its moves in the change log, oldest first."""
    for i in service.initiatives():
        changes = service.store.changes(entity_id=i.id, newest_first=False, expand=False)
        assert changes[0].field == "*"
        stage_changes = [c for c in changes if c.field == "stage"]
        spec = next(s for s in SPECS if s.name == i.name)
        assert [c.new for c in stage_changes] == [stage for _, stage in spec.path[1:]]
    stamps = [c.hlc for c in service.store.changes(newest_first=False, expand=False)]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_sample_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_text("mine")
    with pytest.raises(Exception, match="already exists"):
        build(path, FROZEN_TODAY)
    assert path.read_text() == "mine"


def test_initiative_rows_are_valid_models(sample_db: Path) -> None:
    store = Store.open(sample_db, read_only=True)
    try:
        for i in store.initiatives():
            assert Initiative.model_validate(i.model_dump()) == i
    finally:
        store.close()


def test_history_is_stamped_on_the_day_it_happened(service: Service) -> None:
    """Metric readings and plan work are stamped on their own days, and nothing is stamped
    after the first hour of the build day (a future stamp would skew every later edit)."""
    changes = service.store.changes(expand=False)
    readings = {m.id: m for m in service.store.all(MetricReading)}
    for c in changes:
        if c.entity == "metric" and c.field == "*":
            assert c.at.date() == readings[c.entity_id].at
    tasks = {t.id: t for t in service.store.all(PlanTask)}
    done = [c for c in changes if c.entity == "task" and c.field == "done"]
    assert done
    for c in done:
        done_at = tasks[c.entity_id].done_at
        assert done_at is not None and c.at == done_at
    latest = max(c.at for c in changes)
    assert latest < datetime.combine(FROZEN_TODAY, time(1), tzinfo=UTC)
