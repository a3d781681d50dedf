"""Realistic portfolio spreadsheets for the import tests, generated (never committed).

openpyxl writes formulas without the value Excel would cache on save; `cache_formula_values`
writes those cached values into the file, as Excel does, so a test can tell a cached value
(what bridge reads) from an evaluated one (what bridge must never compute).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

MESSY_NAMES = ("Dispatch routing", "Invoice processing", "Contract review", "Email triage")


def cache_formula_values(path: Path, sheet_xml: str, values: dict[str, str]) -> None:
    """Put a cached value into formula cells (by reference, e.g. "E6"), as Excel saves them."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet_xml:
                text = data.decode("utf-8")
                for ref, value in values.items():
                    kind = ' t="str"' if not re.fullmatch(r"-?[\d.]+", value) else ""
                    text, n = re.subn(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>',
                        rf'<c r="{ref}"\1{kind}><f>\2</f><v>{value}</v>',
                        text,
                    )
                    assert n == 1, f"no formula cell {ref} in {sheet_xml}"
                data = text.encode("utf-8")
            dst.writestr(item, data)
    shutil.move(tmp, path)


def _fill_messy(ws: Worksheet) -> None:
    ws.append(["AI initiatives: portfolio review, Q4 2026"])  # row 1: a title
    ws.append([])  # row 2: blank
    # rows 3 and 4: a two-row header; "Budget" is merged over its three columns, the other
    # headers are merged down over both rows (so row 4 is empty under them).
    ws.append(
        [
            "Use-case name",
            "Status",
            "AccountableOwner",
            "Team / BU",
            "Budget",
            None,
            None,
            "Last Review",
            "D1",
            "D2",
            "Scoped?",
            "Team assigned",
            "Comments",
            "Score (calc)",
        ]
    )
    ws.append([None, None, None, None, "Pilot (€)", "Integration (€)", "Maintenance (€)", None])
    for col in "ABCDHIJKLMN":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("E3:G3")
    ws.append(
        [
            "Dispatch routing",
            "POC",
            "Priya Natarajan",
            "Logistics",
            "€ 120,000",
            "=E5*4",  # a formula: its cached value is what bridge reads
            15000,
            datetime(2026, 10, 1),
            "x",
            "yes",
            "Y",
            "TRUE",
            "call Priya first",
            '=COUNTIF(I5:L5,"x")',
        ]
    )
    ws.append([])  # a blank row in the middle of the data
    ws.append(
        [
            "Invoice processing",
            "Proof of Concept",
            "Aisha Rahman",
            "Finance",
            "$45,500.50",
            "1.200.000",
            None,
            "2026-09-15",
            None,
            "no",
            "x",
            "x",
            None,
            None,
        ]
    )
    ws.append(
        [
            "Contract review",
            "Live",
            "Tomás Herrera",
            "Legal",
            80000,
            "250k",
            "12 000",
            46280,  # an Excel date number in a cell not formatted as a date
            "✓",
            "✓",
            "yes",
            "yes",
            "extra column ignored",
            None,
        ]
    )
    ws.append(["Email triage", "Cancelled", None, "Support", None, None, None, None])
    ws.append([None] * 5)
    ws.append(["Total", None, None, None, "=SUM(E5:E8)"])


def messy_workbook(path: Path) -> Path:
    """Two sheets (a notes sheet first, hidden, then the portfolio); a title, a merged two-row
    header with run-together words, extra columns, blank rows, Excel dates, formulas with
    cached values, amounts with thousands separators and currency symbols, a totals row."""
    wb = openpyxl.Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "Read me"
    notes.append(["This workbook lists our AI use cases."])
    notes.sheet_state = "hidden"
    ws = wb.create_sheet("Portfolio")
    _fill_messy(ws)
    other = wb.create_sheet("Archive")
    other.append(["Name", "Stage"])
    other.append(["Old chatbot", "stopped"])
    wb.save(path)
    cache_formula_values(path, "xl/worksheets/sheet2.xml", {"F5": "480000", "N5": "4"})
    return path


MESSY_CSV_ROWS = [
    ["Initiative", "Phase", "Owner", "Pilot budget", "Integration budget", "Notes", "owned"],
    ["Dispatch routing", "pilot", "Priya Natarajan", "€1.250,00", "5.000", "a; b", "yes"],
    ["", "", "", "", "", "", ""],
    ["Route optimisation", "Validation", "Lars Eriksen", "3.500.000", "", "", "no"],
]


def write_csv(path: Path, rows: list[list[str]], *, sep: str, encoding: str) -> Path:
    """A CSV as Excel writes it: quoted where needed, CRLF line ends."""
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def simple_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    return write_csv(path, rows, sep=",", encoding=encoding)
