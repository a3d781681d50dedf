"""The spreadsheet import use case: the plan (added, updated, forced, refused), all or nothing in
one transaction logged as the user with the file's name, gates through `scoring`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bridge_tui import method, scoring
from bridge_tui.errors import Refused
from bridge_tui.models import Answer, Plan, answer_id
from bridge_tui.service import Service
from bridge_tui.service.sheet_import import new_portfolio_from_sheet
from bridge_tui.service.sheet_plan import SheetRejected
from bridge_tui.sheet_map import read_sheet
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY
from tests.sheetgen import messy_workbook, simple_csv


def sheet(tmp_path: Path, rows: list[list[str]], name: str = "team.csv") -> Path:
    return simple_csv(tmp_path / name, rows)


def test_messy_workbook_into_an_empty_portfolio(empty_service: Service, tmp_path: Path) -> None:
    parsed = read_sheet(messy_workbook(tmp_path / "portfolio.xlsx"))
    preview = empty_service.preview_sheet(parsed)
    assert (preview.added, preview.updated, preview.forced) == (4, 0, 1)
    assert preview.ok and empty_service.initiatives() == []  # a preview writes nothing
    done = empty_service.import_sheet(parsed, expected=preview)
    assert done.applied
    assert done.summary() == (
        "Imported portfolio.xlsx: added 4 and updated 0 (1 forced past a gate)."
    )
    svc = empty_service
    got = {i.name: i for i in svc.initiatives()}
    assert set(got) == {"Dispatch routing", "Invoice processing", "Contract review", "Email triage"}
    d = got["Dispatch routing"]
    assert (d.stage, d.owner, d.team) == ("pilot", "Priya Natarajan", "Logistics")
    assert (d.pilot_budget, d.integration_budget, d.maintenance_budget) == (120000, 480000, 15000)
    assert d.last_review_at == date(2026, 10, 1)
    assert d.stage_entered_at == FROZEN_TODAY and not d.forced
    assert d.move_reason == "imported from portfolio.xlsx"
    answers = svc.answer_map(d.id)
    assert answers == {"D1": "yes", "D2": "yes", "scoped": "yes", "team_assigned": "yes"}
    a = svc.store.get(Answer, answer_id(d.id, "D1"))
    assert a is not None and (a.by, a.note) == ("tester", "imported from portfolio.xlsx")
    c = got["Contract review"]
    assert c.stage == "infrastructure" and c.forced_reason == "imported from portfolio.xlsx"
    assert c.forced  # the card, checklist and reports show it until the gate is met
    e = got["Email triage"]
    assert e.stage == "killed" and e.kill_reason == "imported from portfolio.xlsx"


def test_one_transaction_logged_as_the_user_with_the_file_name(
    empty_service: Service, tmp_path: Path
) -> None:
    path = sheet(tmp_path, [["Name", "Stage", "D1"], ["A", "", "yes"], ["B", "", ""]])
    empty_service.import_sheet(read_sheet(path))
    changes = empty_service.store.changes(newest_first=False, expand=False)
    assert {c.tx for c in changes} == {empty_service.session_txs[-1]}
    assert {c.author for c in changes} == {"tester"}
    history = [e.description for e in empty_service.history()]
    assert "Created A in Experiment (imported from team.csv)." in history
    assert "Created B in Experiment (imported from team.csv)." in history


def test_undo_takes_the_whole_import_back_and_says_so(service: Service, tmp_path: Path) -> None:
    """ctrl+z after an import removes what it added and puts back what it changed, in one
    sentence the room can read (not "Created A ... (and 40 more fields)")."""
    before = {i.name: i.owner for i in service.initiatives()}
    path = sheet(
        tmp_path,
        [["Name", "Owner"], ["Churn radar", "Ines"], ["Shift planner", ""], ["Email triage", "Bo"]],
    )
    service.import_sheet(read_sheet(path))
    assert service.undo_last() == (
        "Undid: removed the 2 initiatives that save added (Churn radar, Shift planner);"
        " 1 put back as they were."
    )
    assert {i.name: i.owner for i in service.initiatives()} == before


def test_rows_update_initiatives_matched_by_name(service: Service, tmp_path: Path) -> None:
    before = service.resolve("Route optimisation")
    answers_before = service.answer_map(before.id)
    path = sheet(
        tmp_path,
        [
            ["Name", "Owner", "Team", "D1", "G1", "Maintenance budget"],
            ["route OPTIMISATION", "Lars E.", "", "no", "", "25,000"],
        ],
    )
    preview = service.preview_sheet(read_sheet(path))
    (row,) = preview.rows
    assert row.action == "update" and row.initiative_id == before.id
    d1_changes = () if answers_before.get("D1") == "no" else ("D1 no",)
    assert row.changes == ("owner Lars E.", "maintenance budget 25,000", *d1_changes)
    service.import_sheet(read_sheet(path), expected=preview)
    after = service.initiative(before.id)
    assert after.name == before.name  # the name only matches; its spelling stays
    assert (after.owner, after.maintenance_budget) == ("Lars E.", 25000)
    assert after.team == before.team  # a blank cell leaves what bridge has
    assert after.stage == before.stage and after.stage_entered_at == before.stage_entered_at
    now = service.answer_map(before.id)
    assert now["D1"] == "no"
    assert now.get("G1") == answers_before.get("G1")


def test_importing_the_same_sheet_again_changes_nothing(
    empty_service: Service, tmp_path: Path
) -> None:
    path = sheet(tmp_path, [["Name", "Stage", "scoped", "team assigned"], ["A", "pilot", "x", "x"]])
    empty_service.import_sheet(read_sheet(path))
    again = empty_service.preview_sheet(read_sheet(path))
    assert [r.action for r in again.rows] == ["same"] and not again.writes
    log = len(empty_service.store.changes(expand=False))
    empty_service.import_sheet(read_sheet(path))
    assert len(empty_service.store.changes(expand=False)) == log


def test_a_stage_past_an_unmet_gate_is_forced_or_refused_when_strict(
    empty_service: Service, tmp_path: Path
) -> None:
    path = sheet(tmp_path, [["Name", "Stage", "scoped"], ["Bot", "validation", "yes"]])
    parsed = read_sheet(path)
    preview = empty_service.preview_sheet(parsed)
    (row,) = preview.rows
    expected_unmet = scoring.gate_check("experiment", "validate", {"scoped": "yes"}).unmet
    assert row.forced and row.unmet == expected_unmet
    assert "team_assigned" in row.unmet and "scoped" not in row.unmet
    strict = empty_service.preview_sheet(parsed, strict=True)
    assert not strict.ok and strict.refused[0].gate_refusal
    with pytest.raises(SheetRejected) as info:
        empty_service.import_sheet(parsed, strict=True)
    assert info.value.exit_code == 1  # the method refused
    assert "--strict refuses it" in info.value.message
    assert empty_service.initiatives() == []
    empty_service.import_sheet(parsed)
    (bot,) = empty_service.initiatives()
    assert bot.stage == "validate" and bot.forced_reason == "imported from team.csv"


def test_all_or_nothing_on_a_bad_row(service: Service, sample_db: Path, tmp_path: Path) -> None:
    rows = [["Name", "Stage", "Pilot budget"]]
    rows += [[f"New {n}", "pilot", f"{n},000"] for n in range(1, 30)]
    rows.append(["Broken", "pilot", "a lot"])
    path = sheet(tmp_path, rows)
    parsed = read_sheet(path)
    preview = service.preview_sheet(parsed)
    assert preview.added == 29 and [r.number for r in preview.refused] == [31]
    assert preview.refused[0].problems == ("column C: pilot budget 'a lot' is not an amount",)
    before = sample_db.read_bytes()
    with pytest.raises(SheetRejected, match=r"1 row of team.csv cannot be taken \(row 31"):
        service.import_sheet(parsed)
    assert sample_db.read_bytes() == before


def test_a_failure_half_way_through_writing_leaves_the_file_as_it_was(
    service: Service, sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [["Name", "D1"]] + [[f"New {n}", "yes"] for n in range(5)]
    parsed = read_sheet(sheet(tmp_path, rows))
    before = sample_db.read_bytes()
    calls = []
    real = Service._write_answers

    def failing(self: Service, *args: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        real(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Service, "_write_answers", failing)
    with pytest.raises(OSError):
        service.import_sheet(parsed)
    assert sample_db.read_bytes() == before
    assert not any(i.name.startswith("New ") for i in service.initiatives())


def test_stale_preview_is_refused(service: Service, sample_db: Path, tmp_path: Path) -> None:
    path = sheet(tmp_path, [["Name", "Owner"], ["Route optimisation", "Someone"]])
    parsed = read_sheet(path)
    preview = service.preview_sheet(parsed)
    other = Service(Store.open(sample_db), "teammate", FROZEN_TODAY)
    i = other.resolve("Route optimisation")
    other.edit_initiative(i, team="Moved")
    other.close()
    with pytest.raises(Refused, match="changed since the preview"):
        service.import_sheet(parsed, expected=preview)
    assert service.resolve("Route optimisation").owner != "Someone"


def test_moves_back_kills_and_revives_carry_the_file_name(service: Service, tmp_path: Path) -> None:
    killed = next(i for i in service.initiatives() if i.stage == "killed")
    path = sheet(
        tmp_path,
        [
            ["Name", "Stage", "Kill reason"],
            ["Dispatch routing", "Pilot", ""],
            ["Email triage", "Cancelled", "replaced by the CRM's own triage"],
            [killed.name, "experiment", ""],
        ],
    )
    service.import_sheet(read_sheet(path))
    d = service.resolve("Dispatch routing")
    assert d.stage == "pilot" and d.move_reason == "imported from team.csv" and not d.forced
    e = service.resolve("Email triage")
    assert e.stage == "killed" and e.kill_reason == "replaced by the CRM's own triage"
    r = service.initiative(killed.id)
    assert r.stage == "experiment" and r.kill_reason == ""


def test_entering_productionize_creates_the_plan(empty_service: Service, tmp_path: Path) -> None:
    keys = [k for k in method.ANSWER_KEYS if k not in ("enthusiasm", "executive_pressure")]
    keys = [k for k in keys if k != "vendor_readiness"]
    path = sheet(tmp_path, [["Name", "Stage", *keys], ["Ready", "rollout", *("yes" for _ in keys)]])
    preview = empty_service.preview_sheet(read_sheet(path))
    assert not preview.rows[0].forced
    assert "its 90-day plan starts today" in preview.rows[0].what()
    empty_service.import_sheet(read_sheet(path))
    (ready,) = empty_service.initiatives()
    assert ready.stage == "productionize"
    assert empty_service.store.get(Plan, ready.id) is not None


def test_duplicates_are_refused_with_both_rows(service: Service, tmp_path: Path) -> None:
    path = sheet(tmp_path, [["Name"], ["Alpha"], ["alpha "]])
    preview = service.preview_sheet(read_sheet(path))
    assert [(r.number, r.problems) for r in preview.refused] == [(3, ("'alpha' is also on row 2",))]
    service.create_initiative("Twin")
    service.create_initiative("twin")
    preview = service.preview_sheet(read_sheet(sheet(tmp_path, [["Name"], ["TWIN"]], "b.csv")))
    assert preview.refused[0].problems == ("2 initiatives in this file are named 'TWIN'",)


def test_field_limits_are_checked_per_row(empty_service: Service, tmp_path: Path) -> None:
    path = sheet(
        tmp_path,
        [["Name", "Owner", "In stage since"], ["x" * 121, "", ""], ["B", "", "2030-01-01"]],
    )
    preview = empty_service.preview_sheet(read_sheet(path))
    assert [r.number for r in preview.refused] == [2, 3]
    assert "name: is too long (at most 120 characters)." in preview.refused[0].problems
    assert "in stage since 2030-01-01 is after today" in preview.refused[1].problems


def test_days_in_stage_and_stage_since_set_when_it_entered(
    empty_service: Service, tmp_path: Path
) -> None:
    path = sheet(
        tmp_path,
        [["Name", "Days in stage", "In stage since"], ["A", "200", ""], ["B", "", "2026-05-01"]],
    )
    empty_service.import_sheet(read_sheet(path))
    got = {i.name: i.stage_entered_at for i in empty_service.initiatives()}
    assert got == {"A": date(2026, 5, 6), "B": date(2026, 5, 1)}


def test_markup_and_control_characters_stay_plain_text(
    empty_service: Service, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.csv"
    path.write_bytes(b"Name,Owner,Summary\r\n[/],=cmd|' /C calc'!A0,\x1b[31mred\x00\r\n")
    preview = empty_service.preview_sheet(read_sheet(path))
    assert "control characters removed" in preview.rows[0].notes
    empty_service.import_sheet(read_sheet(path))
    (i,) = empty_service.initiatives()
    assert (i.name, i.owner, i.summary) == ("[/]", "=cmd|' /C calc'!A0", "[31mred")


def test_a_new_file_is_created_only_when_the_import_succeeds(tmp_path: Path) -> None:
    good = read_sheet(sheet(tmp_path, [["Name"], ["A"]]))
    target = tmp_path / "new.db"
    done = new_portfolio_from_sheet(target, good, author="maya", clock=FROZEN_TODAY)
    assert done.added == 1 and target.exists()
    bad = read_sheet(sheet(tmp_path, [["Name", "Stage"], ["A", "soon"]], "bad.csv"))
    other = tmp_path / "other.db"
    with pytest.raises(SheetRejected):
        new_portfolio_from_sheet(other, bad, author="maya", clock=FROZEN_TODAY)
    assert not other.exists() and not (tmp_path / "other.db-journal").exists()
