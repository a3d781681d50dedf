"""Cell values as people type them in a spreadsheet: yes/no, money, dates, stages, blockers.

Pure: no Textual, no SQLite. `parse_value` turns one cell into what a field or an answer holds,
or says in a few words why it cannot (the preview shows it with the row number).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from bridge_tui import method
from bridge_tui import sheet_words as sw
from bridge_tui.sheets import Cell


def text_of(cell: Cell) -> str:
    """A cell as one line of text ("" for an empty one; 12.0 reads 12)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def yes_no(value: object) -> str | None:
    """Yes, no or unknown for a yes/no cell; None when it is not one."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and value in (0, 1):
        return "yes" if value == 1 else "no"
    if not isinstance(value, str):
        return None
    raw = value.strip().casefold()
    if raw in sw.UNKNOWN_WORDS:
        return "unknown"
    word = sw.squash(raw) or raw
    if word in sw.YES_WORDS or raw in sw.YES_WORDS:
        return "yes"
    if word in sw.NO_WORDS or raw in sw.NO_WORDS:
        return "no"
    if word in sw.UNKNOWN_WORDS:
        return "unknown"
    return None


_CURRENCY_CHARS = re.compile(r"[$€£¥₹₩₽¢]|\b(?:eur|usd|gbp|chf|euros?|dollars?)\b", re.I)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def money(value: object) -> float | None:
    """A budget as people type it: 250000, "€250,000", "1.250.000,00", "250k", "(1,200)".
    None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    s = _SPACES.sub("", _CURRENCY_CHARS.sub("", value.strip()))
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith("-"):
        negative, s = True, s[1:]
    scale = 1.0
    m = re.fullmatch(r"(.*?)(k|m|mn|bn)", s, re.I)
    if m and m.group(1):
        s, unit = m.group(1), m.group(2).lower()
        scale = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}[unit]
    if not re.fullmatch(r"\d[\d.,]*|[.,]\d+", s):
        return None
    s = _decimal_point(s)
    try:
        number = float(s) * scale
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return -number if negative else number


def _decimal_point(s: str) -> str:
    """Thousands separators out, the decimal mark as a point: with both marks the last one is
    the decimal mark; one mark used twice, or followed by exactly three digits, groups
    thousands ("1,250" is 1250, "1,5" is 1.5)."""
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        sep = "." if dec == "," else ","
        return s.replace(sep, "").replace(dec, ".")
    for mark in (",", "."):
        if mark in s:
            parts = s.split(mark)
            if len(parts) > 2 or len(parts[-1]) == 3:
                return s.replace(mark, "")
            return s.replace(mark, ".")
    return s


EXCEL_EPOCH = date(1899, 12, 30)
_MONTHS = {
    m: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for m in names
}


def numeric_date_order(value: object) -> str | None:
    """For a date typed as a/b/yyyy: "dmy" or "mdy" when the numbers settle it, else None."""
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\s*", value)
    if not m:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 >= b:
        return "dmy"
    if b > 12 >= a:
        return "mdy"
    return None


def _year(y: str) -> int:
    return int(y) + (2000 if len(y) == 2 else 0)


def a_date(value: object, dayfirst: bool = True) -> date | None:
    """A date from an Excel date cell, an Excel serial number, or text (2026-11-22,
    22/11/2026, 22.11.2026, 22 Nov 2026, Nov 22, 2026). None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | time):
        return None
    if isinstance(value, int | float):
        return excel_serial(value)
    if not isinstance(value, str):
        return None
    s = value.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?", s)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", s)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: [\d:]+)?", s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        day, month = (a, b) if dayfirst else (b, a)
        if month > 12 and day <= 12:
            day, month = month, day
        return _safe_date(y, month, day)
    m = re.fullmatch(r"(\d{1,2})[\s\-]+([A-Za-z]+)\.?,?[\s\-]+(\d{2}|\d{4})", s)
    if m and m.group(2).casefold() in _MONTHS:
        return _safe_date(_year(m.group(3)), _MONTHS[m.group(2).casefold()], int(m.group(1)))
    m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", s)
    if m and m.group(1).casefold() in _MONTHS:
        return _safe_date(int(m.group(3)), _MONTHS[m.group(1).casefold()], int(m.group(2)))
    if re.fullmatch(r"\d{5}(?:\.\d+)?", s):
        return excel_serial(float(s))
    return None


def excel_serial(n: float) -> date | None:
    """Excel's day number (1 is 1900-01-01; counted from 1899-12-30 because of its 1900 leap
    year), for the years 1955 to 2099."""
    if not math.isfinite(n) or not 20000 <= n < 73051:
        return None
    return EXCEL_EPOCH + timedelta(days=int(n))


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def shown(value: object) -> str:
    """A cell as the preview quotes it."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def parse_value(to: str, cell: Cell, scale: float, dayfirst: bool) -> tuple[Any, str | None]:
    """(value, None) or (None, why it cannot be taken). Blank cells never reach here."""
    label = sw.target_label(to)
    quoted = f"'{shown(cell)}'"
    if to.startswith(sw.ANSWER_PREFIX):
        v = yes_no(cell)
        if v is None:
            return None, f"{label} is {quoted}: use yes, no, x, or leave it blank"
        return v, None
    if to == "stage":
        stage = sw.STAGE_BY_WORD.get(sw.squash(text_of(cell)))
        if stage is None:
            names = ", ".join(s.label for s in method.STAGES)
            return None, f"stage {quoted} is not a stage bridge knows ({names}; or POC, live...)"
        return stage, None
    if to in sw.MONEY_FIELDS:
        amount = money(cell)
        if amount is None:
            return None, f"{label} {quoted} is not an amount"
        if amount < 0:
            return None, f"{label} {quoted} is negative"
        return amount * scale, None
    if to in sw.DATE_FIELDS:
        d = a_date(cell, dayfirst)
        if d is None:
            return None, f"{label} {quoted} is not a date (write it like 2026-11-22)"
        return d, None
    if to == "days_in_stage":
        n = money(cell)
        if n is None or n < 0 or not float(n).is_integer():
            return None, f"days in stage {quoted} is not a whole number of days"
        return int(n), None
    if to == "owner_is_operational":
        v = yes_no(cell)
        if v is None:
            return None, f"owner is operational is {quoted}: use yes or no"
        return {"yes": True, "no": False}.get(v), None
    if to == "blockers":
        found: list[str] = []
        for part in re.split(r"[,;/|\n]+| and ", str(cell)):
            if not part.strip():
                continue
            b = sw.BLOCKER_BY_WORD.get(sw.squash(part))
            each = [sw.BLOCKER_BY_WORD.get(sw.squash(w)) for w in part.split()]
            if b is not None:
                found.append(b)
            elif all(each):  # "ownership funding", as bridge's report writes them
                found.extend(x for x in each if x)
            else:
                known = ", ".join(x.id for x in method.BLOCKERS)
                return None, f"blocker '{part.strip()}' is not one bridge knows ({known})"
        # in the method's order, once each: the order a model keeps them in
        return tuple(b for b in method.BLOCKER_IDS if b in found), None
    text = str(cell) if not isinstance(cell, float) else text_of(cell)
    if to in sw.ONE_LINE_FIELDS:
        text = " ".join(text.split())
    return text.strip(), None
