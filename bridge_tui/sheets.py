"""Read a spreadsheet (CSV or XLSX) into plain rows of cells, safely.

Pure: no Textual, no SQLite. Reading a file is the only I/O; what the rows mean is decided by
`sheet_map`, and what is written by the service. Hostile files are refused or neutralised here:

- a file (or an XLSX's unpacked content) over `MAX_BYTES` is refused before it is read;
- formulas are never evaluated: an XLSX is opened with `data_only=True`, so a formula cell
  gives the value Excel last cached (or nothing), and a CSV cell such as `=cmd|...` is text;
- control characters other than newline and tab are removed from every cell (markup such as
  `[bold]` is kept as the characters it is: the app renders every value as plain text).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from bridge_tui.errors import BadFile

#: The largest sheet bridge reads: a portfolio of thousands of initiatives is a few MB.
MAX_BYTES = 50 * 1024 * 1024
#: The longest cell bridge reads (the longest field, a summary, holds 4,000 characters).
MAX_CELL = 100_000

#: What a cell can hold once read: text, a number, a yes/no, or a date (XLSX only).
Cell = str | int | float | bool | date | datetime | time | None

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SHEET_SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) format
_DELIMITERS = (",", ";", "\t", "|")
# C0 and C1 control characters except tab and newline, plus DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A formula escaped for a spreadsheet (OWASP's leading apostrophe), as bridge's CSV report
# writes it: the apostrophe is not part of the value.
_ESCAPED_FORMULA = re.compile(r"^'(?=[=+\-@\t\r])")


@dataclass(frozen=True)
class Table:
    """The rows of one sheet, as read. `rows` holds (row number as the spreadsheet shows it,
    cells); `sheet` is the worksheet's name (None for CSV); `sheets` every worksheet's name."""

    source: str
    kind: str  # "csv" or "xlsx"
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    delimiter: str | None = None
    encoding: str | None = None
    #: row numbers whose cells had control characters removed
    cleaned: tuple[int, ...] = field(default=())


def clean_text(text: str) -> tuple[str, bool]:
    """A cell's text with line ends unified and control characters removed; True when any
    character was removed (the preview says so)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n")
    text = _ESCAPED_FORMULA.sub("", text)
    cleaned = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", cleaned), cleaned != text


def _clean_row(cells: Iterable[tuple[Cell, bool]]) -> tuple[tuple[Cell, ...], bool]:
    """A row of cleaned cells (each with whether `clean_text` removed a character): the
    cells, and whether any of them lost one (the preview says so)."""
    pairs = list(cells)
    return tuple(cell for cell, _ in pairs), any(removed for _, removed in pairs)


def _csv_cell(path: Path, n: int, raw: str) -> tuple[str, bool]:
    """A CSV cell, cleaned; a cell longer than `MAX_CELL` is refused."""
    if len(raw) > MAX_CELL:
        raise BadFile(
            f"{path.name}: row {n} has a cell of {len(raw):,} characters; bridge "
            f"reads cells of up to {MAX_CELL:,}."
        )
    return clean_text(raw)


def kind_of(path: Path) -> str:
    """The kind of file, csv or xlsx: from the suffix, else from the first bytes. Refuses what
    bridge cannot read with a sentence saying what to do instead."""
    suffix = path.suffix.lower()
    head = _head(path)
    if head.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise BadFile(
            f"{path.name} is an old-style Excel .xls file; save it as .xlsx or CSV and import that."
        )
    if suffix == ".ods":
        raise BadFile(f"{path.name} is an OpenDocument sheet; save it as .xlsx or CSV first.")
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if suffix in XLSX_SUFFIXES:
        raise BadFile(f"{path.name} is not an Excel workbook (it is not a .xlsx zip file).")
    return "csv"


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(8)
    except OSError as exc:
        raise BadFile(f"{path.name} cannot be read: {exc.strerror or exc}.") from None


def check_size(path: Path) -> int:
    """The file's size; refuses a missing file, a folder or one over `MAX_BYTES` before a
    byte of it is read."""
    if not path.exists():
        raise BadFile(f"{path} does not exist.")
    if not path.is_file():
        raise BadFile(f"{path} is not a file.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BadFile(
            f"{path.name} is {size / 1024 / 1024:.0f} MB; bridge reads sheets of up to "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it, or keep only the initiatives' columns."
        )
    if size == 0:
        raise BadFile(f"{path.name} is empty.")
    return size


def read_table(path: Path | str, sheet: str | None = None) -> Table:
    """Every row of the file (or of the named worksheet of a workbook)."""
    path = Path(path)
    check_size(path)
    kind = kind_of(path)
    if kind == "xlsx":
        return _read_xlsx(path, sheet)
    if sheet is not None:
        raise BadFile(f"{path.name} is a CSV file, which has no sheets; leave out --sheet.")
    return _read_csv(path)


# CSV -------------------------------------------------------------------------------------------


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV export and the encoding it was in: UTF-8 with or without a byte order
    mark, UTF-16 (Excel's "Unicode text"), else Windows-1252 (Excel's plain "CSV" on Windows)."""
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise BadFile(f"{name} starts like {enc.upper()} text but is not.") from None
    sample = data[:4096]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if max(odd, even) > len(sample) // 5:
        # UTF-16 without a byte order mark: ASCII characters leave every other byte zero.
        enc = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            raise BadFile(f"{name} is not a text file (it holds binary data).") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise BadFile(f"{name} is not a text file in UTF-8, UTF-16 or Windows-1252.") from None
    if len(_CONTROL.findall(text[:4096])) > len(text[:4096]) // 10:
        raise BadFile(f"{name} is not a text file (it holds binary data).")
    return text, "cp1252"


def sniff_delimiter(lines: list[str]) -> str:
    """The separator that splits the first lines most consistently into several cells (a
    comma on a tie): European Excel writes semicolons, "Unicode text" tabs. A title line or
    a summary full of commas does not fool it: the count of cells that most lines share wins."""
    sample = [ln for ln in lines if ln.strip()][:20]
    best, best_score = ",", 0
    for d in _DELIMITERS:
        counts: dict[int, int] = {}
        for ln in sample:
            try:
                n = len(next(csv.reader([ln], delimiter=d)))
            except (csv.Error, StopIteration):
                continue
            if n > 1:
                counts[n] = counts.get(n, 0) + 1
        score = max((n * k for n, k in counts.items()), default=0)
        if score > best_score:
            best, best_score = d, score
    return best


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()
    text, encoding = decode(data, path.name)
    first_lines = text[:65536].split("\n", 20)[:20]
    delimiter: str | None = None
    # Excel honours (and writes) a first line "sep=;" naming the separator.
    match = re.match(r"^sep=(.)\r?\n", text)
    if match:
        delimiter = match.group(1)
        text = text[match.end() :]
    else:
        delimiter = sniff_delimiter(first_lines)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[tuple[int, tuple[Cell, ...]]] = []
    cleaned: list[int] = []
    n = 0
    try:
        for n, record in enumerate(reader, 1):
            cells, dirty = _clean_row(_csv_cell(path, n, raw) for raw in record)
            if dirty:
                cleaned.append(n)
            rows.append((n, cells))
    except csv.Error as exc:
        raise BadFile(f"{path.name}: row {n + 1} cannot be read as CSV ({exc}).") from None
    return Table(
        source=path.name,
        kind="csv",
        rows=tuple(rows),
        delimiter=delimiter,
        encoding=encoding,
        cleaned=tuple(cleaned),
    )


# XLSX ------------------------------------------------------------------------------------------


def _check_unpacked_size(path: Path) -> None:
    """A workbook is a zip: refuse one that unpacks past the limit (a "zip bomb") before
    openpyxl reads any of it."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BadFile(f"{path.name} is not a readable Excel workbook (a damaged zip).") from None
    if total > MAX_BYTES:
        raise BadFile(
            f"{path.name} unpacks to {total / 1024 / 1024:.0f} MB; bridge reads sheets of up "
            f"to {MAX_BYTES // 1024 // 1024} MB. Keep only the initiatives' sheet and columns."
        )


def _xlsx_cell(value: object) -> tuple[Cell, bool]:
    if value is None or isinstance(value, bool | int | float | datetime | date | time):
        return value, False
    text = str(value)  # strings, and the odd type (a timedelta) as its text
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL]
    return clean_text(text)


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    _check_unpacked_size(path)
    import openpyxl  # loaded only when a workbook is imported
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # data_only: formulas give the value Excel cached, never evaluated by bridge;
        # read_only: streamed row by row rather than built in memory.
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadFile(f"{path.name} is not a readable Excel workbook ({exc}).") from None
    except Exception as exc:  # openpyxl raises many kinds on damaged XML
        raise BadFile(
            f"{path.name} is not a readable Excel workbook ({type(exc).__name__})."
        ) from None
    try:
        names = tuple(ws.title for ws in wb.worksheets)
        if not names:
            raise BadFile(f"{path.name} has no worksheets.")
        if sheet is None:
            visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
            ws = (visible or wb.worksheets)[0]
        else:
            found = [ws for ws in wb.worksheets if ws.title == sheet] or [
                ws for ws in wb.worksheets if ws.title.casefold() == sheet.strip().casefold()
            ]
            if not found:
                raise BadFile(
                    f"{path.name} has no sheet named '{sheet}' (its sheets: {', '.join(names)})."
                )
            ws = found[0]
        # The stored dimensions can be wrong (some writers never update them): read every row.
        ws.reset_dimensions()
        rows: list[tuple[int, tuple[Cell, ...]]] = []
        cleaned: list[int] = []
        try:
            for n, values in enumerate(ws.iter_rows(values_only=True), 1):
                cells, dirty = _clean_row(_xlsx_cell(v) for v in values)
                if dirty:
                    cleaned.append(n)
                rows.append((n, cells))
        except BadFile:
            raise
        except Exception as exc:
            raise BadFile(
                f"{path.name}: sheet '{ws.title}' cannot be read ({type(exc).__name__}: {exc})."
            ) from None
        return Table(
            source=path.name,
            kind="xlsx",
            rows=tuple(rows),
            sheet=ws.title,
            sheets=names,
            cleaned=tuple(cleaned),
        )
    finally:
        wb.close()
