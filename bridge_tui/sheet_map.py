"""What a spreadsheet's columns and cells mean to bridge: find the header, map each column to a
field or an answer, and turn every row into values (or say, with its row number, why not).

Pure: no Textual, no SQLite. The words it recognises live in `sheet_words`. What happens to an
initiative (added, updated, moved through a gate) is the service's business
(`service/sheet_import.py`); this module only reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bridge_tui import method
from bridge_tui import sheet_words as sw
from bridge_tui.errors import BadFile, BadInput
from bridge_tui.sheet_values import money, numeric_date_order, parse_value, text_of, yes_no
from bridge_tui.sheet_words import target_label
from bridge_tui.sheets import Cell, Table, read_table

#: How many rows from the top may hold titles or notes before the header row.
HEADER_SEARCH = 10
#: Strengths of a header's evidence: a canonical id or "answer:KEY" beats a synonym, which
#: beats a guess from the first word ("D1 - data sources").
EXACT, WORD, GUESS = 3, 2, 1
_A_B_YEAR = re.compile(r"\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")


@dataclass(frozen=True)
class Target:
    """What a column fills: a field id (`sheet_words.FIELD_WORDS`) or "answer:KEY"."""

    to: str
    strength: int
    scale: float = 1.0

    @property
    def answer_key(self) -> str | None:
        return self.to[len(sw.ANSWER_PREFIX) :] if self.to.startswith(sw.ANSWER_PREFIX) else None


def _scale(unit_words: Sequence[str]) -> float:
    if any(w in sw.MILLIONS for w in unit_words):
        return 1e6
    if any(w in sw.THOUSANDS for w in unit_words):
        return 1e3
    return 1.0


def _answer_target(ws: list[str]) -> Target | None:
    """An answer named by its id, label or text, alone or with words such as "test"."""
    joined = "".join(ws)
    if joined in sw.ANSWER_BY_WORD:
        return Target(sw.ANSWER_PREFIX + sw.ANSWER_BY_WORD[joined], WORD)
    core = [w for w in ws if w not in sw.ANSWER_NOISE]
    if core and core != ws and "".join(core) in sw.ANSWER_BY_WORD:
        return Target(sw.ANSWER_PREFIX + sw.ANSWER_BY_WORD["".join(core)], GUESS)
    if len(ws) > 1 and ws[0] in sw.ITEM_IDS:  # "D1 - data sources documented"
        return Target(sw.ANSWER_PREFIX + sw.ITEM_IDS[ws[0]], GUESS)
    return None


def recognise(header: str) -> Target | None:
    """The field or answer a header names, in the words people use; None if none."""
    if not header.strip():
        return None
    units = [w for part in re.findall(r"[(\[{]([^)\]}]*)[)\]}]", header) for w in sw.words(part)]
    main = re.sub(r"[(\[{][^)\]}]*[)\]}]", " ", header)
    ws = sw.words(main)
    if not ws:
        return None
    if ws[0] == "answer" and len(ws) > 1:
        key = "".join(ws[1:])
        if key in sw.ANSWER_BY_WORD:
            return Target(sw.ANSWER_PREFIX + sw.ANSWER_BY_WORD[key], EXACT)
    joined = "".join(ws)
    if (joined in sw.FIELD_IDS and "_" in header) or joined in ("name", "stage", "owner", "team"):
        return Target(sw.FIELD_IDS[joined], EXACT)
    # Trailing unit words ("Pilot budget EUR k") scale money; try without them too.
    trimmed = list(ws)
    while len(trimmed) > 1 and trimmed[-1] in (sw.THOUSANDS | sw.MILLIONS | sw.CURRENCY):
        units.append(trimmed.pop())
    for candidate in (ws, trimmed):
        word = "".join(candidate)
        if word in sw.FIELD_BY_WORD:
            to = sw.FIELD_BY_WORD[word]
            scale = _scale(units) if to in sw.MONEY_FIELDS else 1.0
            return Target(to, WORD, scale)
    found = _answer_target(ws)
    if found is None and "/" in main:  # "Team / BU", "Use case / name": either word will do
        for part in main.split("/"):
            found = recognise(part)
            if found is not None:
                return replace(found, strength=min(found.strength, WORD))
    return found


def field_for(text: str) -> str | None:
    """The target a `--map "Column=FIELD"` names: a field id, an answer id (or "answer:ID"),
    any header word bridge recognises, or "ignore". Refuses anything else."""
    raw = text.strip()
    if sw.squash(raw) in ("ignore", "skip", "none", "") or raw == "-":
        return None
    if raw.casefold().startswith(sw.ANSWER_PREFIX):
        key = sw.squash(raw[len(sw.ANSWER_PREFIX) :])
        if key in sw.ANSWER_BY_WORD:
            return sw.ANSWER_PREFIX + sw.ANSWER_BY_WORD[key]
    word = sw.squash(raw)
    if word in sw.FIELD_IDS:
        return sw.FIELD_IDS[word]
    if raw in method.ANSWER_KEY_SET or raw.upper() in method.ITEM_BY_ID:
        return sw.ANSWER_PREFIX + (raw if raw in method.ANSWER_KEY_SET else raw.upper())
    found = recognise(raw)
    if found is not None:
        return found.to
    fields = ", ".join(f for f in sw.FIELD_WORDS if f != "id")
    raise BadInput(
        f"--map: '{text}' is not a field bridge knows (use one of: {fields}; an answer id such "
        "as D1, owned or enthusiasm; answer:ID; or ignore)."
    )


def parse_maps(maps: Sequence[str]) -> list[tuple[str, str | None]]:
    """`--map "Column=field"` options as (column, target or None to ignore it)."""
    out: list[tuple[str, str | None]] = []
    for m in maps:
        column, sep, target = m.rpartition("=")
        if not sep or not column.strip():
            raise BadInput(f'--map needs "Column=field", not "{m}".')
        out.append((column.strip(), field_for(target)))
    return out


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


# The header ------------------------------------------------------------------------------------


def _is_blank(cells: Sequence[Cell]) -> bool:
    return all(text_of(c) == "" for c in cells)


def _two_row_headers(top: Sequence[Cell], bottom: Sequence[Cell]) -> list[str]:
    """Headers of a two-row header: a merged group cell above ("Budget" over "Pilot",
    "Integration", "Maintenance") spans the empty cells to its right."""
    width = max(len(top), len(bottom))
    out: list[str] = []
    group = ""
    for c in range(width):
        own = text_of(top[c]) if c < len(top) else ""
        group = own or group
        below = text_of(bottom[c]) if c < len(bottom) else ""
        if not below:
            out.append(own)
            continue
        found = recognise(below)
        if group and (found is None or found.strength < WORD):
            for combo in (f"{group} {below}", f"{below} {group}"):
                if recognise(combo) is not None:
                    below = combo
                    break
        out.append(below)
    return out


@dataclass(frozen=True)
class _HeaderChoice:
    rows: tuple[int, ...]  # indexes into table.rows
    headers: tuple[str, ...]
    score: int


def _score(headers: Sequence[str], maps: Sequence[tuple[str, str | None]]) -> tuple[int, bool]:
    mapped = {sw.squash(col): to for col, to in maps}
    n, has_name = 0, False
    for h in headers:
        key = sw.squash(h)
        if key and key in mapped:
            to: str | None = mapped[key]
        else:
            t = recognise(h)
            to = t.to if t else None
        if to is not None:
            n += 1
            has_name = has_name or to == "name"
    if any(to == "name" and len(col) <= 3 and col.isalpha() for col, to in maps):
        has_name = True
    return n, has_name


def find_header(table: Table, maps: Sequence[tuple[str, str | None]]) -> _HeaderChoice:
    """The header row (or two rows): among the first non-blank rows, the one naming the most
    columns bridge knows, with a column of names."""
    candidates = [i for i, (_, cells) in enumerate(table.rows) if not _is_blank(cells)]
    candidates = candidates[:HEADER_SEARCH]
    best: _HeaderChoice | None = None
    for i in candidates:
        cells = table.rows[i][1]
        single = [text_of(c) for c in cells]
        n, named = _score(single, maps)
        options = [(_HeaderChoice((i,), tuple(single), n), named)]
        if i + 1 < len(table.rows):
            below = table.rows[i + 1][1]
            double = _two_row_headers(cells, below)
            n2, named2 = _score(double, maps)
            n_below, _ = _score([text_of(c) for c in below], maps)
            if n2 > n and n2 > n_below:
                options.append((_HeaderChoice((i, i + 1), tuple(double), n2), named2))
        for choice, has_name in options:
            if has_name and (best is None or choice.score > best.score):
                best = choice
    if best is None:
        where = table.source + (f', sheet "{table.sheet}"' if table.sheet else "")
        others = [s for s in table.sheets if s != table.sheet]
        hint = f"; or pick another sheet with --sheet ({', '.join(others)})" if others else ""
        raise BadFile(
            f"{where}: no column of initiative names found (bridge looks in the first "
            f"{HEADER_SEARCH} rows for a header such as Name, Initiative or Use case); "
            f'name it with --map "Your column=name"{hint}.'
        )
    return best


# Columns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the sheet and what bridge does with it."""

    index: int
    header: str
    to: str | None
    how: str  # "recognised", "--map" or "" (ignored)
    note: str = ""
    scale: float = 1.0
    dayfirst: bool = True

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def label(self) -> str:
        if self.to is None:
            return "ignored" + (f": {self.note}" if self.note else "")
        text = target_label(self.to)
        return text + (f" ({self.note})" if self.note else "")


def _validity(to: str, values: Sequence[Cell]) -> int:
    """How many of a column's values fit the target: picks between two candidate columns."""
    n = 0
    for v in values:
        if text_of(v) == "":
            continue
        ok = parse_value(to, v, 1.0, True)[1] is None
        n += ok
    return n


_TEXT_FIELDS = frozenset({"name", "owner", "team", "summary"})
_SCORE = re.compile(r"\s*\d+\s*/\s*\d+\s*")


def _looks_like_scores(values: Sequence[Cell]) -> bool:
    """A column of "3/5" (a category's points, as bridge's own report writes under "team")."""
    filled = [v for v in values if text_of(v)]
    return bool(filled) and all(isinstance(v, str) and _SCORE.fullmatch(v) for v in filled)


def _looks_yes_no(values: Sequence[Cell]) -> bool:
    filled = [v for v in values if text_of(v)]
    worded = [v for v in filled if isinstance(v, str) and money(v) is None]
    return bool(worded) and all(yes_no(v) is not None for v in filled)


def map_columns(
    headers: Sequence[str],
    data: Sequence[Sequence[Cell]],
    maps: Sequence[tuple[str, str | None]],
) -> list[Column]:
    """Each column's target: --map first, then recognition; of two columns naming the same
    target, the stronger header wins, then the one whose values fit, then the first."""
    width = max([len(headers), *(len(r) for r in data)])
    values = [[r[c] if c < len(r) else None for r in data] for c in range(width)]
    by_header = {sw.squash(h): c for c, h in reversed(list(enumerate(headers))) if h}
    forced: dict[int, str | None] = {}
    for col, to in maps:
        key = sw.squash(col)
        if key in by_header:
            forced[by_header[key]] = to
        elif col.isalpha() and len(col) <= 3:
            idx = sum((ord(ch) - 64) * 26**p for p, ch in enumerate(reversed(col.upper()))) - 1
            forced[idx] = to
        else:
            shown = ", ".join(h for h in headers if h) or "none"
            raise BadInput(f"--map: no column '{col}' in the header (its columns: {shown}).")
    cols: list[Column] = []
    for n in range(width):
        header = headers[n] if n < len(headers) else ""
        if n in forced:
            to = forced[n]
            t = recognise(header)
            scale = t.scale if t and to == t.to else 1.0
            note = "" if to is not None else "--map says ignore"
            cols.append(Column(n, header, to, "--map", note, scale))
            continue
        t = recognise(header)
        if t is None:
            cols.append(Column(n, header, None, "", "not recognised" if header else "no header"))
            continue
        to, note = t.to, ""
        if to == "maintenance_budget" and _looks_yes_no(values[n]):
            to = sw.ANSWER_PREFIX + "maintenance_budget"
            note = "yes/no values, so the signal"
        if to in _TEXT_FIELDS and _looks_like_scores(values[n]):
            cols.append(Column(n, header, None, "", "holds scores such as 3/5, not a name"))
            continue
        if to == "id":
            cols.append(
                Column(n, header, None, "", "bridge gives new ids; rows match by name", 1.0)
            )
            continue
        if t.scale != 1.0:
            note = f"values × {t.scale:,.0f}"
        cols.append(Column(n, header, to, "recognised", note, t.scale))
    # One column per target.
    strength = {c.index: (EXACT + 1 if c.how == "--map" else _strength(c.header)) for c in cols}
    groups: dict[str, list[Column]] = {}
    for c in cols:
        if c.to is not None:
            groups.setdefault(c.to, []).append(c)
    for to, group in groups.items():
        if len(group) < 2:
            continue
        winner = max(
            group,
            key=lambda c: (strength[c.index], _validity(to, values[c.index]), -c.index),
        )
        for c in group:
            if c is not winner:
                cols[c.index] = Column(
                    c.index,
                    c.header,
                    None,
                    "",
                    f"column {winner.letter} gives the {target_label(to)}",
                )
    # Dates typed as a/b/yyyy: settle day or month first from the column's own values.
    for c in cols:
        if c.to in sw.DATE_FIELDS:
            slashed = [v for v in values[c.index] if isinstance(v, str) and _A_B_YEAR.match(v)]
            if not slashed:
                continue
            orders = {numeric_date_order(v) for v in slashed} - {None}
            dayfirst = orders != {"mdy"}
            order = "day/month/year" if dayfirst else "month/day/year"
            note = (c.note + "; " if c.note else "") + f"dates read {order}"
            cols[c.index] = Column(c.index, c.header, c.to, c.how, note, c.scale, dayfirst)
    return cols


def _strength(header: str) -> int:
    t = recognise(header)
    return t.strength if t else 0


# Values ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    """One row of data: its row number, the fields and answers it gives, and why any cell
    cannot be taken (then the row is not imported)."""

    number: int
    fields: dict[str, Any]
    answers: dict[str, str]
    problems: tuple[str, ...] = ()
    cleaned: bool = False

    @property
    def name(self) -> str:
        return str(self.fields.get("name", ""))


@dataclass(frozen=True)
class ParsedSheet:
    table: Table
    header_rows: tuple[int, ...]  # row numbers as the spreadsheet shows them
    columns: tuple[Column, ...]
    rows: tuple[SheetRow, ...]
    blank_rows: int = 0
    #: rows left out on purpose, with why ("looks like a totals row")
    skipped: tuple[tuple[int, str], ...] = field(default=())

    @property
    def source(self) -> str:
        return self.table.source


def parse_table(table: Table, maps: Sequence[str] = ()) -> ParsedSheet:
    """Header, columns and every data row of `table`; sheet-level faults raise (one sentence),
    row-level ones are kept on each row for the preview."""
    mapping = parse_maps(maps)
    if not table.rows or all(_is_blank(cells) for _, cells in table.rows):
        raise BadFile(f"{table.source} has no rows.")
    choice = find_header(table, mapping)
    start = choice.rows[-1] + 1
    data_rows = table.rows[start:]
    cols = map_columns(choice.headers, [cells for _, cells in data_rows], mapping)
    cleaned = set(table.cleaned)
    rows: list[SheetRow] = []
    skipped: list[tuple[int, str]] = []
    blank = 0
    name_col = next((c for c in cols if c.to == "name"), None)
    for number, cells in data_rows:
        if _is_blank(cells):
            blank += 1
            continue
        fields: dict[str, Any] = {}
        answers: dict[str, str] = {}
        problems: list[str] = []
        for col in cols:
            if col.to is None or col.index >= len(cells):
                continue
            cell = cells[col.index]
            if text_of(cell) == "" or (
                col.to in sw.MONEY_FIELDS and isinstance(cell, str) and cell.strip() in "-–—"
            ):
                continue
            value, why = parse_value(col.to, cell, col.scale, col.dayfirst)
            if why is not None:
                problems.append(f"column {col.letter}: {why}")
                continue
            key = col.to[len(sw.ANSWER_PREFIX) :] if col.to.startswith(sw.ANSWER_PREFIX) else None
            if key is not None:
                answers[key] = value
            elif value is not None:
                fields[col.to] = value
        name = str(fields.get("name", ""))
        if name_col is not None and sw.squash(name) in sw.TOTAL_NAMES:
            skipped.append((number, f"'{name}' looks like a totals row"))
            continue
        if not name:
            problems.insert(0, f"no name (column {name_col.letter if name_col else '?'} is empty)")
        rows.append(SheetRow(number, fields, answers, tuple(problems), number in cleaned))
    header_numbers = tuple(table.rows[i][0] for i in choice.rows)
    return ParsedSheet(table, header_numbers, tuple(cols), tuple(rows), blank, tuple(skipped))


def read_sheet(path: Path | str, sheet: str | None = None, maps: Sequence[str] = ()) -> ParsedSheet:
    """Read and parse a CSV or XLSX file (see `sheets.read_table` for the limits)."""
    return parse_table(read_table(Path(path), sheet), maps)
