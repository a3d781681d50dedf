"""`bridge import FILE.csv|FILE.xlsx`: the preview, --dry-run, --map, --sheet, --strict, exit codes,
a new file created, the JSON import unchanged, and the round trip of `bridge report --format csv`.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bridge_tui import flow_report, method
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.cli_run import Run, runner
from tests.conftest import FROZEN_TODAY
from tests.sheetgen import messy_workbook, simple_csv

BRIDGE = Path(sys.executable).with_name("bridge")


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    monkeypatch.chdir(tmp_path)
    return runner(monkeypatch, capsys, author="maya")


def snapshot_of(path: Path) -> dict[str, tuple[object, ...]]:
    """Every initiative by name: its stage, fields and answered keys."""
    store = Store.open(path, read_only=True)
    try:
        board = Service(store, "x", FROZEN_TODAY).board()
        return {
            i.name: (
                i.stage,
                i.owner,
                i.team,
                i.summary,
                i.pilot_budget,
                i.integration_budget,
                i.maintenance_budget,
                i.blockers,
                i.owner_is_operational,
                i.last_review_at,
                i.kill_reason if i.stage == method.KILLED else "",
                i.stage_entered_at,
                i.created_at.date(),
                tuple(sorted((k, v) for k, v in board.answers_of(i.id).items() if v != "unknown")),
            )
            for i in board.initiatives
        }
    finally:
        store.close()


def test_report_csv_imports_back_into_a_new_file(run: Run, sample_db: Path, tmp_path: Path) -> None:
    r = run("--db", str(sample_db), "report", "--format", "csv", "-o", "report.csv")
    assert r.code == 0, r.err
    r = run("--db", "copy.db", "import", "report.csv")
    assert r.code == 0, r.err
    assert "Created copy.db." in r.out
    assert snapshot_of(tmp_path / "copy.db") == snapshot_of(sample_db)
    # the report of the copy has the same initiatives, stages and answers
    original = list(
        csv.DictReader(io.StringIO(run("--db", str(sample_db), "report", "--format", "csv").out))
    )
    copy = list(
        csv.DictReader(io.StringIO(run("--db", "copy.db", "report", "--format", "csv").out))
    )
    # a sheet carries the current stage's entry day, not the log: purgatory counts Pilot and
    # Validate together from the first Pilot entry (issue 11), which the copy cannot know, so
    # the copy counts from the day it entered its current stage (and a kill candidate is one
    # in purgatory); likewise its flow columns read the copy's own, one-move history
    drop = (
        "id",
        "plan",
        "last_review",
        "last_decision",
        "pilot_purgatory",
        "kill_candidate",
        *flow_report.CSV_COLUMNS,
    )
    assert [{k: v for k, v in row.items() if k not in drop} for row in copy] == [
        {k: v for k, v in row.items() if k not in drop} for row in original
    ]


def test_report_round_trip_keeps_hostile_names(run: Run, empty_db: Path, tmp_path: Path) -> None:
    store = Store.open(empty_db)
    svc = Service(store, "maya", FROZEN_TODAY)
    svc.create_initiative("=cmd|' /C calc'!A0", owner="@boss", summary="-1 [b]x[/b]\nline 2")
    svc.create_initiative("+plus", team="[/]")
    store.close()
    report = run("--db", str(empty_db), "report", "--format", "csv").out
    rows = list(csv.reader(io.StringIO(report)))
    assert rows[1][1] == "'+plus" or rows[2][1] == "'+plus"  # a spreadsheet will not run it
    (tmp_path / "r.csv").write_text(report, encoding="utf-8")
    assert run("--db", "back.db", "import", "r.csv").code == 0
    assert snapshot_of(tmp_path / "back.db") == snapshot_of(empty_db)


def test_dry_run_preview_writes_nothing(run: Run, sample_db: Path, tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "portfolio.xlsx")
    before = sample_db.read_bytes()
    r = run("--db", str(sample_db), "import", str(path), "--dry-run")
    assert r.code == 0 and r.err == ""
    assert sample_db.read_bytes() == before
    out = r.out.splitlines()
    assert out[0] == (
        'Reading portfolio.xlsx, sheet "Portfolio"; other sheets: Read me, Archive; header in '
        "rows 3-4."
    )
    assert "    A  Use-case name                     -> name" in out
    assert "    E  Budget Pilot (€)                  -> pilot budget" in out
    assert "    M  Comments                          -> ignored: not recognised" in out
    assert (
        "  ~ row 5: Dispatch routing: update: stage Productionize -> Pilot, team Logistics, "
        "pilot budget 120,000, integration budget 480,000, maintenance budget 15,000, "
        "last review 2026-10-01" in "\n".join(out)
    )
    assert "Skipped: row 11 ('Total' looks like a totals row); 2 blank rows." in out
    assert out[-2] == "Would add 0 and update 4 initiatives."
    assert out[-1] == "Dry run: nothing was written."


def test_missing_db_is_created_and_a_dry_run_does_not_create_it(run: Run, tmp_path: Path) -> None:
    simple_csv(tmp_path / "s.csv", [["Name", "Status"], ["A", "POC"]])
    r = run("--db", "new.db", "import", "s.csv", "--dry-run")
    assert r.code == 0 and "! row 2: A: new, in Pilot; forced past its gate" in r.out
    assert not (tmp_path / "new.db").exists()
    r = run("--db", "new.db", "import", "s.csv")
    assert r.code == 0 and r.out.endswith(
        "Imported s.csv: added 1 and updated 0 (1 forced past a gate). Created new.db.\n"
    )
    r = run("--db", "new.db", "list")
    assert "A  [no owner]  (forced)" in r.out


def test_a_bad_row_lists_every_problem_and_writes_nothing(
    run: Run, sample_db: Path, tmp_path: Path
) -> None:
    simple_csv(
        tmp_path / "bad.csv",
        [
            ["Name", "Stage", "Pilot budget", "D1"],
            ["Good one", "idea", "1,000", "x"],
            ["Bad one", "someday", "lots", "maybe"],
            ["", "pilot", "", ""],
        ],
    )
    before = sample_db.read_bytes()
    r = run("--db", str(sample_db), "import", "bad.csv")
    assert r.code == 2
    assert sample_db.read_bytes() == before
    assert "  row 3: column C: pilot budget 'lots' is not an amount" in r.out
    assert (
        "  row 3: column D: readiness item D1 is 'maybe': use yes, no, x, or leave it blank"
        in r.out
    )
    assert "  row 4: no name (column A is empty)" in r.out
    assert r.err == (
        "bridge: nothing was imported: 2 rows of bad.csv cannot be taken (row 3: column B: "
        "stage 'someday' is not a stage bridge knows (Experiment, Pilot, Validate, "
        "Productionize, Infrastructure, Killed; or POC, live...)).\n"
    )


def test_strict_refuses_forced_rows_with_exit_1(run: Run, empty_db: Path, tmp_path: Path) -> None:
    simple_csv(tmp_path / "s.csv", [["Name", "Status"], ["A", "live"]])
    r = run("--db", str(empty_db), "import", "s.csv", "--strict")
    assert r.code == 1
    assert "--strict refuses it" in r.out and r.err.startswith("bridge: nothing was imported")
    assert run("--db", str(empty_db), "list").out == "No initiatives.\n"


def test_map_and_sheet_options(run: Run, empty_db: Path, tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "p.xlsx")
    r = run(
        "--db", str(empty_db), "import", str(path), "--sheet", "Archive",
        "--map", "Stage=ignore", "--map", "Name=name",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert "B  Stage                             -> ignored: --map says ignore  [--map]" in r.out
    assert "Old chatbot  [no owner]" in run("--db", str(empty_db), "list").out
    r = run("--db", str(empty_db), "import", str(path), "--map", "Nope=name")
    assert r.code == 2 and "no column 'Nope'" in r.err
    r = run("--db", str(empty_db), "import", str(path), "--map", "Status=colour")
    assert r.code == 2 and "'colour' is not a field" in r.err


def test_json_import_is_unchanged_and_refuses_sheet_options(
    run: Run, sample_db: Path, tmp_path: Path
) -> None:
    assert run("--db", str(sample_db), "export", "-o", "all.json").code == 0
    r = run("--db", "copy.db", "import", "all.json")
    assert r.code == 0 and r.out == "Imported all.json into copy.db.\n"
    r = run("--db", "copy2.db", "import", "all.json", "--dry-run")
    assert r.code == 2 and "are for spreadsheets" in r.err
    shutil.copyfile(tmp_path / "all.json", tmp_path / "all.export")  # sniffed by content
    assert run("--db", "copy3.db", "import", "all.export").code == 0


def test_a_huge_sheet_is_refused_in_one_sentence(run: Run, empty_db: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(80 * 1024 * 1024)
    r = run("--db", str(empty_db), "import", str(big))
    assert r.code == 2
    assert r.err == (
        "bridge: big.xlsx is 80 MB; bridge reads sheets of up to 50 MB. Split it, or keep only "
        "the initiatives' columns.\n"
    )


def test_read_only_file_refuses_the_import(run: Run, sample_db: Path, tmp_path: Path) -> None:
    simple_csv(tmp_path / "s.csv", [["Name"], ["A"]])
    before = sample_db.read_bytes()
    r = run("--db", str(sample_db), "--read-only", "import", "s.csv")
    assert r.code == 2 and "read-only" in r.err
    assert sample_db.read_bytes() == before


@pytest.mark.skipif(not BRIDGE.exists(), reason="the bridge command is not installed")
def test_installed_command_imports_a_semicolon_utf16_export(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(
        "Initiative;Phase;Pilot budget\r\nRoute optimisation;Validation;€ 1.500\r\n".encode(
            "utf-16"
        )
    )
    done = subprocess.run(
        [str(BRIDGE), "--db", str(tmp_path / "p.db"), "--as", "maya", "import", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "(semicolon-separated, UTF-16)" in done.stdout
    listed = subprocess.run(
        [str(BRIDGE), "--db", str(tmp_path / "p.db"), "show", "Route optimisation"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Validate" in listed.stdout and "1,500" in listed.stdout.replace("1500", "1,500")


def test_nothing_to_import(run: Run, empty_db: Path, tmp_path: Path) -> None:
    simple_csv(tmp_path / "header.csv", [["Name", "Stage"]])
    before = empty_db.read_bytes()
    r = run("--db", str(empty_db), "import", "header.csv")
    assert r.code == 0 and r.out.endswith(
        "Nothing to import: header.csv has no rows of initiatives.\n"
    )
    simple_csv(tmp_path / "one.csv", [["Name"], ["A"]])
    assert run("--db", str(empty_db), "import", "one.csv").code == 0
    r = run("--db", str(empty_db), "import", "one.csv")
    assert r.out.endswith(f"Nothing to import: {empty_db} already holds what one.csv says.\n")
    assert empty_db.read_bytes() != before
