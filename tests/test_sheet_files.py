"""Reading spreadsheets from disk: XLSX (sheets, merged headers, Excel dates, cached formula
values), CSV in the encodings and separators Excel writes, and hostile files refused or
neutralised (formulas never evaluated, control characters removed, 50 MB refused unread)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from bridge_tui import sheets
from bridge_tui.errors import BadFile
from bridge_tui.sheet_map import read_sheet
from bridge_tui.sheets import read_table
from tests.sheetgen import MESSY_CSV_ROWS, cache_formula_values, messy_workbook, write_csv


def by_name(path: Path, **kw: object) -> dict[str, dict[str, object]]:
    parsed = read_sheet(path, **kw)  # type: ignore[arg-type]
    out: dict[str, dict[str, object]] = {}
    for r in parsed.rows:
        assert not r.problems, (r.number, r.problems)
        out[r.name] = {**r.fields, **{f"answer:{k}": v for k, v in r.answers.items()}}
    return out


def test_the_messy_workbook(tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "portfolio.xlsx")
    parsed = read_sheet(path)
    # the first *visible* sheet; the others are listed
    assert parsed.table.sheet == "Portfolio"
    assert parsed.table.sheets == ("Read me", "Portfolio", "Archive")
    assert parsed.header_rows == (3, 4)
    columns = {c.letter: c.to for c in parsed.columns}
    assert columns == {
        "A": "name",
        "B": "stage",
        "C": "owner",
        "D": "team",
        "E": "pilot_budget",
        "F": "integration_budget",
        "G": "maintenance_budget",
        "H": "last_review_at",
        "I": "answer:D1",
        "J": "answer:D2",
        "K": "answer:scoped",
        "L": "answer:team_assigned",
        "M": None,
        "N": None,
    }
    assert parsed.blank_rows == 2
    assert parsed.skipped == ((11, "'Total' looks like a totals row"),)
    rows = by_name(path)
    assert rows["Dispatch routing"] == {
        "name": "Dispatch routing",
        "stage": "pilot",
        "owner": "Priya Natarajan",
        "team": "Logistics",
        "pilot_budget": 120000,
        "integration_budget": 480000,  # the formula's cached value
        "maintenance_budget": 15000,
        "last_review_at": date(2026, 10, 1),  # an Excel date cell
        "answer:D1": "yes",
        "answer:D2": "yes",
        "answer:scoped": "yes",
        "answer:team_assigned": "yes",
    }
    assert rows["Invoice processing"]["pilot_budget"] == 45500.5
    assert rows["Invoice processing"]["integration_budget"] == 1200000
    assert rows["Invoice processing"]["answer:D2"] == "no"
    assert rows["Contract review"]["stage"] == "infrastructure"
    assert rows["Contract review"]["integration_budget"] == 250000
    assert rows["Contract review"]["maintenance_budget"] == 12000
    assert rows["Contract review"]["last_review_at"] == date(2026, 9, 15)  # an Excel day number
    assert rows["Email triage"]["stage"] == "killed"
    assert [r.number for r in parsed.rows] == [5, 7, 8, 9]


def test_another_sheet_by_name_in_any_case(tmp_path: Path) -> None:
    path = messy_workbook(tmp_path / "portfolio.xlsx")
    archive = by_name(path, sheet="archive")
    assert archive == {"Old chatbot": {"name": "Old chatbot", "stage": "killed"}}
    with pytest.raises(BadFile, match=r"no sheet named 'Nope'.*Read me, Portfolio, Archive"):
        read_table(path, "Nope")


def test_formulas_are_never_evaluated(tmp_path: Path) -> None:
    path = tmp_path / "formulas.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Name", "Owner", "Pilot budget", "Team"])
    ws.append(['="Dis"&"patch"', "=cmd|' /C calc'!A0", "=1+1", '=HYPERLINK("http://x")'])
    ws.append(["Plain", "Ann", 5, "Ops"])
    text = ws.cell(3, 4)
    text.value = "=cmd|' /C notepad'!A0"
    text.data_type = "s"  # typed as text, not as a formula
    wb.save(path)
    # Excel cached values for two of the formulas; "=1+1" and the link have none saved.
    cache_formula_values(path, "xl/worksheets/sheet1.xml", {"A2": "Dispatch", "B2": "Mallory"})
    table = read_table(path)
    assert table.rows[1][1] == ("Dispatch", "Mallory", None, None)
    assert table.rows[2][1][3] == "=cmd|' /C notepad'!A0"  # text stays text


def test_workbook_with_a_formula_cached_as_a_wrong_value_gives_the_cached_value(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cached.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Name", "Pilot budget"])
    ws.append(["A", "=2+2"])
    wb.save(path)
    cache_formula_values(path, "xl/worksheets/sheet1.xml", {"B2": "7"})
    assert by_name(path)["A"]["pilot_budget"] == 7  # what Excel saved, not what bridge computes


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),  # Excel's "CSV UTF-8" writes a byte order mark
        ("utf-8-sig", ";"),  # a European Excel separates with semicolons
        ("utf-16", "\t"),  # Excel's "Unicode text": UTF-16 with a BOM, tabs
        ("utf-16", ";"),
        ("utf-16-le", ","),  # UTF-16 without a byte order mark
        ("cp1252", ";"),  # Excel's plain "CSV" on Windows
    ],
)
def test_csv_encodings_and_separators(tmp_path: Path, encoding: str, sep: str) -> None:
    rows = [r[:] for r in MESSY_CSV_ROWS]
    rows[1][2] = "Tomás Herrera"
    path = write_csv(tmp_path / "export.csv", rows, sep=sep, encoding=encoding)
    parsed = read_sheet(path)
    assert parsed.table.delimiter == sep
    got = by_name(path)
    assert got["Dispatch routing"]["owner"] == "Tomás Herrera"
    assert got["Dispatch routing"]["pilot_budget"] == 1250.0
    assert got["Dispatch routing"]["integration_budget"] == 5000
    assert got["Dispatch routing"]["answer:owned"] == "yes"
    assert got["Route optimisation"]["stage"] == "validate"
    assert got["Route optimisation"]["pilot_budget"] == 3500000
    assert parsed.blank_rows == 1
    assert [c.to for c in parsed.columns][5] is None  # "Notes" is not a field


def test_excel_sep_line_names_the_separator(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\r\nName;Stage\r\nA, with a comma;pilot\r\n", encoding="utf-8")
    parsed = read_sheet(path)
    assert parsed.header_rows == (1,)
    assert [(r.number, r.fields) for r in parsed.rows] == [
        (2, {"name": "A, with a comma", "stage": "pilot"})
    ]


def test_quoted_cells_keep_separators_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('Name,Summary\r\n"A, B","line 1\r\nline 2"\r\n', encoding="utf-8")
    assert by_name(path)["A, B"]["summary"] == "line 1\nline 2"


def test_hostile_cells_are_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "hostile.csv"
    path.write_bytes(
        b"Name,Owner,Summary\r\n"
        b"=cmd|' /C calc'!A0,[bold red]boss[/],\x1b[2Jgone\x07 \x00ok\r\n"
        b"[/],@SUM(1+1),+1-1\r\n"
    )
    parsed = read_sheet(path)
    first, second = parsed.rows
    assert first.fields == {
        "name": "=cmd|' /C calc'!A0",
        "owner": "[bold red]boss[/]",
        "summary": "[2Jgone ok",
    }
    assert first.cleaned and not second.cleaned
    assert second.fields == {"name": "[/]", "owner": "@SUM(1+1)", "summary": "+1-1"}


def test_a_sheet_over_50_mb_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:  # a sparse file: 60 MB on paper, nothing on disk
        fh.write(b"Name\r\n")
        fh.truncate(60 * 1024 * 1024)

    def no_reading(*args: object, **kw: object) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(BadFile, match=r"big.csv is 60 MB; bridge reads sheets of up to 50 MB"):
        read_table(big)
    xlsx = tmp_path / "big.xlsx"
    with xlsx.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(51 * 1024 * 1024)
    with pytest.raises(BadFile, match="is 51 MB"):
        read_table(xlsx)


def test_a_workbook_that_unpacks_past_50_mb_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (sheets.MAX_BYTES + 1))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(BadFile, match="unpacks to 50 MB"):
        read_table(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old-style Excel .xls"),
        ("fake.xlsx", b"Name,Stage\n", "not an Excel workbook"),
        ("broken.xlsx", b"PK\x03\x04garbage" * 10, "not a readable Excel workbook"),
        ("binary.csv", bytes(range(256)) * 4, "not a text file"),
        ("doc.ods", b"PK\x03\x04", "OpenDocument"),
    ],
)
def test_files_that_are_not_sheets_are_refused(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BadFile, match=message):
        read_table(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match="does not exist"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(BadFile, match="is not a file"):
        read_table(tmp_path)


def test_csv_has_no_sheets(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("Name\nA\n", encoding="utf-8")
    with pytest.raises(BadFile, match="CSV file, which has no sheets"):
        read_table(path, "Sheet1")
