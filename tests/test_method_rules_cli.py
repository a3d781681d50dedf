"""Issue 11, "rules that are wrong today", driven through the command line with BRIDGE_TODAY
(and, where the CLI has no word for it, through the service on a temporary file)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from bridge_tui import method
from bridge_tui.models import Initiative, Plan, PlanTask
from bridge_tui.service import Service
from bridge_tui.store import INSERT_FIELD, Store, Tx
from bridge_tui.store import db as dbmod
from bridge_tui.store import migrations as migmod
from bridge_tui.store.repo import ENTITIES, ENTITY_OF_MODEL, to_row
from tests.cli_run import Run, new_file, runner
from tests.conftest import FROZEN_TODAY


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """`run("list", today="2026-07-01")`: bridge on ./bridge.db (created empty), that day."""
    monkeypatch.chdir(tmp_path)
    new_file(tmp_path / "bridge.db")
    return runner(monkeypatch, capsys, today_each_call=True)


def answer(run: Run, ref: str, *keys: str, value: str = "yes", today: str = "2026-01-01") -> None:
    for key in keys:
        assert run("answer", ref, key, value, today=today).code == 0


def exit_ids(*stages: str) -> list[str]:
    return [e.id for s in stages for e in method.exit_conditions_for(s)]


def listed(run: Run, today: str) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in run("list", "--json", today=today).json()}


# 1. Every way into a stage is gated ----------------------------------------------------------


def test_add_into_infrastructure_is_refused_with_the_list(run: Run) -> None:
    r = run("add", "Routing", "--stage", "infrastructure")
    assert r.code == 1 and r.out == ""
    assert r.err.startswith("bridge: Routing cannot start in Infrastructure: ")
    for key in ("scoped", "on_call", "owned", "readiness"):
        assert method.describe_requirement(key) in r.err
    assert "--force" not in r.err and "force it with a reason" in r.err
    assert run("list", "--json").json() == []  # nothing written


def test_forced_add_shows_forced_everywhere(run: Run) -> None:
    r = run("add", "Routing", "--stage", "infrastructure", "--force", "--reason", "Live since 2024")
    assert r.code == 0
    assert "Added straight into Infrastructure (forced)." in r.err
    assert f"Created its {method.PLAN_NAME} from the template." in r.err  # on the way
    new_id = r.out.strip()  # stdout holds only the id
    assert "(forced" in run("list").out
    shown = run("show", new_id, "--json").json()
    assert (shown["stage"], shown["forced"], shown["forced_reason"]) == (
        "infrastructure",
        True,
        "Live since 2024",
    )
    text = run("show", new_id).out
    assert "forced     Live since 2024 (the gates into this stage are not met)" in text
    report = run("report", "--format", "json").json()
    (section,) = report["initiatives"]
    assert section["flags"]["forced"] and section["forced_reason"] == "Live since 2024"
    md = run("report").out
    assert "forced into this stage: Live since 2024" in md


def test_forcing_an_add_needs_a_reason(run: Run) -> None:
    r = run("add", "Routing", "--stage", "pilot", "--force")
    assert r.code == 2 and "needs a reason" in r.err
    assert run("list", "--json").json() == []


def test_revive_into_a_later_stage_is_gated(run: Run) -> None:
    run("add", "Routing", today="2026-01-01")
    run("kill", "Routing", "--reason", "paused", today="2026-01-01")
    r = run("revive", "Routing", "--stage", "validate", today="2026-02-01")
    assert r.code == 1 and "cannot move to Validate yet" in r.err
    r = run(
        "revive", "Routing", "--stage", "validate", "--force", "--reason", "x", today="2026-02-01"
    )
    assert r.code == 0 and "(forced)" in r.out


def _export_with_unrecorded_stage(run: Run, tmp_path: Path) -> Path:
    """An export where one initiative was added straight into Infrastructure with no forced
    mark, as an older bridge let `add --stage` do: its row and its log agree, no move."""
    run("add", "Routing", today="2026-01-01")
    doc = json.loads(run("export").out)
    doc["tables"]["initiatives"][0]["stage"] = "infrastructure"
    (added,) = [c for c in doc["changes"] if c["field"] == "*"]
    added["new"]["stage"] = "infrastructure"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_import_into_a_stage_the_log_does_not_record_is_gated(run: Run, tmp_path: Path) -> None:
    source = _export_with_unrecorded_stage(run, tmp_path)
    r = run("--db", "new.db", "import", str(source))
    assert r.code == 1 and not (tmp_path / "new.db").exists()
    assert "Routing cannot be in Infrastructure: " in r.err
    assert method.describe_requirement("scoped") in r.err
    r = run("--db", "new.db", "import", str(source), "--force", "--reason", "Old tracker said so")
    assert r.code == 0
    shown = run("--db", "new.db", "show", "Routing", "--json").json()
    assert shown["forced"] and shown["forced_reason"] == "Old tracker said so"
    history = run("--db", "new.db", "history", "Routing", "--json").json()
    assert history[0]["author"] == "tester" and history[0]["field"] in (
        "forced_reason",
        "move_reason",
    )


def test_an_export_reimports_as_is_when_its_log_records_the_moves(
    run: Run, tmp_path: Path, sample_db: Path
) -> None:
    shutil.copyfile(sample_db, tmp_path / "bridge.db")
    (tmp_path / "all.json").write_text(run("export").out, encoding="utf-8")
    r = run("--db", "copy.db", "import", "all.json")
    assert r.code == 0
    assert run("--db", "copy.db", "export").out == (tmp_path / "all.json").read_text()


# 2. A multi-stage move passes through Productionize ------------------------------------------


def test_validate_to_infrastructure_forced_makes_the_plan_and_warns(run: Run) -> None:
    run(
        "add", "Routing", "--stage", "validate", "--force", "--reason", "set up", today="2026-01-01"
    )
    run(
        "edit",
        "Routing",
        "--pilot-budget",
        "40000",
        "--integration-budget",
        "50000",
        today="2026-01-01",
    )
    r = run("move", "Routing", "infrastructure", "--force", "--reason", "COO", today="2026-02-01")
    assert r.code == 0
    assert "Moved Routing to Infrastructure (forced)." in r.out
    assert f"Created its {method.PLAN_NAME} from the template." in r.out
    assert "Warning: Integration budget 50,000 is under 3x the pilot budget (120,000)" in r.err
    plan = run("plan", "Routing", "--json", today="2026-02-01").json()
    assert (plan["start_date"], plan["day"]) == ("2026-02-01", 1)


# 4. Re-entering Productionize starts a fresh plan --------------------------------------------


def test_reentry_creates_a_fresh_plan_and_archives_the_old_one(run: Run) -> None:
    run(
        "add", "Routing", "--stage", "productionize", "--force", "--reason", "x", today="2026-01-01"
    )
    first = run("plan", "Routing", "--json", today="2026-01-01").json()
    task = first["months"][0]["tasks"][0]["id"]
    assert run("task", "done", "Routing", task, today="2026-01-05").code == 0
    run("move", "Routing", "validate", "--reason", "incident", today="2026-05-31")
    r = run("move", "Routing", "productionize", "--force", "--reason", "fixed", today="2026-06-01")
    assert f"Created its {method.PLAN_NAME} from the template." in r.out
    plan = run("plan", "Routing", "--json", today="2026-06-01").json()
    assert (plan["start_date"], plan["day"], plan["progress"]["done"]) == ("2026-06-01", 1, 0)
    (old,) = plan["archived"]
    assert (old["start_date"], old["archived_on"], old["archived"]) == (
        "2026-01-01",
        "2026-06-01",
        True,
    )
    assert old["progress"] == {"done": 1, "total": 15} and old["day"] == 152
    assert old["tasks"][0]["id"] == task
    text = run("plan", "Routing", today="2026-06-01").out
    assert "Plan from 2026-01-01, archived 2026-06-01 on day 152: 1 of 15 tasks done." in text
    history = run("history", "Routing", today="2026-06-01").out
    assert "Archived the 90-day plan of Routing that started 2026-01-01" in history


# 5. Pilot purgatory across Pilot and Validate ------------------------------------------------


def _into_pilot(run: Run, day: str) -> None:
    run("add", "Routing", "--owner", "Ana Lopez", today=day)
    answer(run, "Routing", *exit_ids("experiment"), today=day)
    assert run("move", "Routing", "pilot", today=day).code == 0


@pytest.mark.parametrize(
    ("today", "days", "flagged"),
    [("2026-06-30", 179, False), ("2026-07-01", 180, False), ("2026-07-02", 181, True)],
)
def test_purgatory_over_a_pilot_to_validate_move(
    run: Run, today: str, days: int, flagged: bool
) -> None:
    _into_pilot(run, "2026-01-02")  # day 0
    answer(run, "Routing", *exit_ids("pilot"), today="2026-04-12")
    assert run("move", "Routing", "validate", today="2026-04-12").code == 0  # day 100
    row = listed(run, today)["Routing"]
    assert (row["days_in_stage"], row["purgatory_days"], row["purgatory"]) == (
        days - 100,
        days,
        flagged,
    )
    assert ("(purgatory)" in run("list", today=today).out) is flagged


@pytest.mark.parametrize(("today", "flagged"), [("2026-07-01", False), ("2026-07-02", True)])
def test_purgatory_over_a_validate_to_pilot_move(run: Run, today: str, flagged: bool) -> None:
    _into_pilot(run, "2026-01-02")
    answer(run, "Routing", *exit_ids("pilot"), today="2026-02-01")
    run("move", "Routing", "validate", today="2026-02-01")
    assert run("move", "Routing", "pilot", "--reason", "redo", today="2026-05-01").code == 0
    row = listed(run, today)["Routing"]
    assert row["purgatory"] is flagged
    report = run("report", "--format", "json", today=today).json()
    ids = report["summary"]["pilot_purgatory"]
    assert (row["id"] in ids) is flagged


# 6. Review overdue from the last review; no review dates in the future ----------------------


def _in_infrastructure(run: Run, day: str) -> None:
    run("add", "Routing", "--stage", "infrastructure", "--force", "--reason", "x", today=day)


@pytest.mark.parametrize(("today", "overdue"), [("2026-03-31", False), ("2026-04-01", True)])
def test_review_overdue_from_the_last_review_even_after_a_recent_reentry(
    run: Run, today: str, overdue: bool
) -> None:
    _in_infrastructure(run, "2025-06-01")
    run("edit", "Routing", "--last-review", "2025-12-31", today="2026-01-01")  # day 0
    run("move", "Routing", "productionize", "--reason", "demoted", today="2026-03-01")
    run("move", "Routing", "infrastructure", "--force", "--reason", "back", today="2026-03-20")
    row = listed(run, today)["Routing"]  # 90 / 91 days after the last review
    assert row["review_overdue"] is overdue


def test_a_last_review_in_the_future_is_refused(run: Run) -> None:
    _in_infrastructure(run, "2026-01-01")
    r = run("edit", "Routing", "--last-review", "2026-01-02", today="2026-01-01")
    assert r.code == 2 and "in the future" in r.err
    assert run("show", "Routing", "--json", today="2026-01-01").json()["last_review_at"] is None
    assert run("edit", "Routing", "--last-review", "2026-01-01", today="2026-01-01").code == 0


# 7. False signals ----------------------------------------------------------------------------


def test_four_real_signals_and_executive_pressure_is_not_ready(run: Run) -> None:
    run("add", "Routing", "--owner", "Ana Lopez", today="2026-01-01")
    answer(run, "Routing", *(s.id for s in method.REAL_SIGNALS), "executive_pressure")
    r = run("score", "Routing")
    assert (
        "scale      Not ready: false signals are marked: executive pressure (pressure to "
        "announce progress is theatre, not readiness)." in r.out
    )
    doc = run("score", "Routing", "--json").json()
    assert doc["scale"] == {
        "ready": False,
        "missing": [],
        "false_signals": ["executive_pressure"],
        "warning": False,
    }
    md = run("report").out
    assert "Not ready: false signals are marked: executive pressure" in md


# 8. Owned: a named owner who is not the pilot builder ----------------------------------------


def test_pilot_builder_in_show_edit_and_the_change_log(run: Run) -> None:
    run("add", "Routing", "--owner", "Lars Eriksen", "--pilot-builder", "Lars Eriksen")
    shown = run("show", "Routing", "--json").json()
    assert shown["pilot_builder"] == "Lars Eriksen"
    assert shown["owner_issue"].startswith("the owner, Lars Eriksen, built the pilot")
    assert run("edit", "Routing", "--pilot-builder", "Jonas Weber").code == 0
    shown = run("show", "Routing", "--json").json()
    assert (shown["pilot_builder"], shown["owner_issue"]) == ("Jonas Weber", None)
    history = run("history", "Routing", "--json").json()
    assert (history[0]["field"], history[0]["old"], history[0]["new"]) == (
        "pilot_builder",
        "Lars Eriksen",
        "Jonas Weber",
    )


@pytest.mark.parametrize(
    ("owner", "builder", "issue"),
    [
        ("", "", "no named owner"),
        ("Ana Lopez", "Ana Lopez", "built the pilot"),
        ("AI committee", "", "reads as a group"),
        ("Ana and Ben", "", "reads as a group"),
    ],
)
def test_owned_needs_one_named_person_not_the_builder(
    run: Run, owner: str, builder: str, issue: str
) -> None:
    _in_infrastructure(run, "2026-01-01")
    run("edit", "Routing", "--owner", owner, "--pilot-builder", builder, today="2026-01-01")
    answer(run, "Routing", "embedded", "owned", "measured", "maintained", "operational_owner")
    doc = run("score", "Routing", "--json", today="2026-01-01").json()
    assert doc["tests"]["owned"] is False and doc["stage_three"] is False
    report = run("report", "--format", "json", today="2026-01-01").json()
    assert report["summary"]["infrastructure"] == 0
    (promoted,) = report["summary"]["promoted"]
    assert not promoted["has_owner"] and "owner" in promoted["missing"]
    assert issue in (promoted["owner_issue"] or "no named owner")
    run(
        "edit", "Routing", "--owner", "Mei Chen", "--pilot-builder", "Ana Lopez", today="2026-01-01"
    )
    report = run("report", "--format", "json", today="2026-01-01").json()
    assert report["summary"]["infrastructure"] == 1


def test_pilot_builder_survives_export_import(run: Run, tmp_path: Path) -> None:
    run("add", "Routing", "--owner", "Mei Chen", "--pilot-builder", "Ana Lopez")
    (tmp_path / "x.json").write_text(run("export").out, encoding="utf-8")
    assert run("--db", "y.db", "import", "x.json").code == 0
    assert run("--db", "y.db", "show", "Routing", "--json").json()["pilot_builder"] == "Ana Lopez"


# 9. No weak areas at full marks --------------------------------------------------------------


def test_twenty_of_twenty_has_no_weak_areas(run: Run) -> None:
    run("add", "Routing", today="2026-01-01")
    answer(run, "Routing", *(i.id for i in method.ITEMS))
    text = run("show", "Routing").out
    assert "readiness  20/20" in text and "<- weak" not in text
    assert run("score", "Routing", "--json").json()["readiness"]["weakest"] == []
    assert "Weakest: none (full marks)." in run("report").out


# 3. The forced mark stays until the gates are really met (service) ----------------------------


@pytest.fixture
def svc(tmp_path: Path) -> Any:
    store = Store.create(tmp_path / "s.db")
    yield Service(store, "maya", FROZEN_TODAY)
    store.close()


def _answer(svc: Service, i: Initiative, keys: list[str]) -> Initiative:
    for k in keys:
        svc.answer(i, k, "yes")
    return svc.initiative(i.id)


def test_the_forced_mark_survives_normal_moves_until_every_gate_is_met(svc: Service) -> None:
    i = svc.create_initiative("Routing", owner="Ana Lopez")
    i = svc.move(i, "pilot", force=True, reason="CEO demo").initiative
    assert svc.card(i).forced_reason == "CEO demo"
    # the gate into Validate is met; the skipped one into Pilot is not: the mark stays
    i = _answer(svc, i, exit_ids("pilot"))
    moved = svc.move(i, "validate")
    assert not moved.forced and moved.initiative.forced_reason == "CEO demo"
    assert svc.card(moved.initiative).forced
    # met at last: the mark goes, and the next move clears the stored reason too
    i = _answer(svc, moved.initiative, exit_ids("experiment"))
    assert not svc.card(i).forced
    back = svc.move(i, "pilot", reason="more data").initiative
    assert back.forced_reason == ""


def test_forced_promotion_in_the_review_says_so_in_the_minutes(svc: Service) -> None:
    i = svc.create_initiative("Routing", owner="Ana Lopez")
    session = svc.start_review()
    result = svc.record_decision(session, i, "promote", "", force=True, reason="Board wants it")
    assert result.review is not None and result.review.forced_reason == "Board wants it"
    minutes = svc.review_minutes(svc.review_session(session.id))
    assert "| 1 | Routing | Pilot (forced) | Promote (forced past the gate) |" in minutes
    assert "- **Routing** (now Pilot), forced past the gate: Board wants it" in minutes
    assert "## Forced, gates still unmet" in minutes
    assert "- **Routing** (Pilot): forced because Board wants it" in minutes


def test_undo_of_a_reentry_brings_the_old_plan_back(svc: Service) -> None:
    i = svc.create_initiative("Routing", stage="productionize", force=True, reason="x")
    first = {t.id for t in svc.plan_tasks(i.id)}
    i = svc.move(i, "validate", reason="back").initiative
    svc.move(i, "productionize", force=True, reason="again")
    assert {t.id for t in svc.plan_tasks(i.id)}.isdisjoint(first)
    svc.undo_last()
    assert {t.id for t in svc.plan_tasks(i.id)} == first
    assert svc.archived_plans(svc.initiative(i.id)) == []


# Migration m002 ------------------------------------------------------------------------------


def _insert_with_the_columns_of_its_day(store: Store, tx: Tx, model: BaseModel) -> None:
    """Write `model` into a first-schema file as that bridge did: only the columns that schema
    has, and the one change-log entry of a new row."""
    entity = ENTITY_OF_MODEL[type(model)]
    table = ENTITIES[entity][0]
    cols = {r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")}
    row = {k: v for k, v in to_row(model.model_copy(update={"revision": 1})).items() if k in cols}
    store.conn.execute(
        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
        tuple(row.values()),
    )
    dumped = model.model_dump(mode="json", exclude={"id", "revision"})
    tx._log(
        entity, str(row["id"]), INSERT_FIELD, None, {k: v for k, v in dumped.items() if k in cols}
    )


def test_a_schema_1_file_gets_the_new_fields_with_their_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlite_utils.migrations import Migrations

    path = tmp_path / "old.db"
    one_step = Migrations("bridge")
    one_step()(migmod.m001_initial)
    ident = "8d8a9a2e-4b86-4c4a-9f0b-6f3c1f1f2a11"
    stamp = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    rows: list[BaseModel] = [
        Initiative(
            id=ident,
            name="Old",
            stage="productionize",
            owner="Priya",
            stage_entered_at=date(2026, 1, 1),
            created_at=stamp,
            updated_at=stamp,
        ),
        Plan(id=ident, initiative_id=ident, start_date=date(2026, 1, 1)),
        PlanTask(
            id="0c7f1a52-6d7e-4f43-8e6a-1f9b2b8e4c21",
            initiative_id=ident,
            month=1,
            title="Lock the scope",
            due=date(2026, 1, 30),
            position=1,
        ),
    ]
    with monkeypatch.context() as m:
        m.setattr(dbmod, "migrations", one_step)
        m.setattr(dbmod, "SCHEMA_VERSION", 1)
        first = Store.create(path)
        first.clock = lambda: stamp
        with first.transaction("maya") as tx:  # as the first bridge wrote them, with their log
            for model in rows:
                _insert_with_the_columns_of_its_day(first, tx, model)
        first.close()
    store = Store.open(path)
    try:
        assert store.backup is not None and store.backup.exists()
        svc = Service(store, "maya", date(2026, 2, 1))
        (old,) = svc.initiatives()
        assert old.pilot_builder == ""
        plan = svc.plan(old)
        assert plan is not None and plan.archived_on is None
        assert [t.title for t in svc.plan_tasks(old.id)] == ["Lock the scope"]
        assert svc.plan_tasks(old.id)[0].plan_id == ""
        # the new fields are written and read back
        svc.edit_initiative(old, pilot_builder="Lars")
        assert svc.initiative(old.id).pilot_builder == "Lars"
    finally:
        store.close()


def test_pilot_builder_merges_from_a_teammates_copy(tmp_path: Path) -> None:
    ours_path, theirs_path = tmp_path / "ours.db", tmp_path / "theirs.db"
    Store.create(ours_path).close()
    ours = Service(Store.open(ours_path), "alice", FROZEN_TODAY)
    try:
        i = ours.create_initiative("Routing", owner="Mei Chen")
        ours.share(theirs_path)
        theirs = Service(Store.open(theirs_path), "bob", FROZEN_TODAY)
        try:
            theirs.edit_initiative(theirs.initiative(i.id), pilot_builder="Mei Chen")
        finally:
            theirs.close()
        report = ours.merge(theirs_path)
        assert [(c.what, c.new, c.author) for c in report.changed] == [
            ("Pilot builder", "Mei Chen", "bob")
        ]
        merged = ours.initiative(i.id)
        assert merged.pilot_builder == "Mei Chen"
        issue = ours.card(merged).owner_issue
        assert issue is not None and issue.kind == "pilot_builder"
    finally:
        ours.close()
