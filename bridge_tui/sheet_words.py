"""The words people put in a portfolio spreadsheet, and what each means to bridge.

Pure data and small parsers for the spreadsheet import (`sheet_map` uses them): header names of
the initiative's fields, stage synonyms, yes/no spellings, money and dates as people type them.
Everything is compared "squashed": lower case, letters and digits only, so "Use-case name",
"use_case_name" and "UseCaseName" are one word. The README lists these words; keep them in step.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from bridge_tui import method

#: Initiative fields a column can fill, with the header words that name each (first: the label).
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "initiative",
        "initiative name",
        "use case",
        "use case name",
        "ai use case",
        "ai initiative",
        "project",
        "project name",
        "title",
    ),
    "stage": (
        "stage",
        "status",
        "phase",
        "current stage",
        "current status",
        "current phase",
        "lifecycle stage",
        "maturity",
    ),
    "owner": (
        "owner",
        "named owner",
        "business owner",
        "accountable owner",
        "accountable",
        "owner name",
        "product owner",
        "responsible",
        "lead",
    ),
    "team": (
        "team",
        "team name",
        "department",
        "dept",
        "business unit",
        "function",
        "unit",
        "owning team",
    ),
    "summary": (
        "summary",
        "description",
        "desc",
        "details",
        "about",
        "purpose",
        "problem statement",
        "use case description",
    ),
    "pilot_budget": (
        "pilot budget",
        "poc budget",
        "proof of concept budget",
        "pilot cost",
        "pilot spend",
        "pilot funding",
        "budget pilot",
    ),
    "integration_budget": (
        "integration budget",
        "integration cost",
        "integration spend",
        "rollout budget",
        "scale up budget",
        "budget integration",
    ),
    "maintenance_budget": (
        "maintenance budget",
        "maintenance cost",
        "maintenance spend",
        "annual maintenance",
        "run budget",
        "run cost",
        "running cost",
        "budget maintenance",
    ),
    "blockers": ("blockers", "blocker", "blocked by", "obstacles", "impediments"),
    "last_review_at": (
        "last review",
        "last reviewed",
        "last review date",
        "review date",
        "reviewed on",
    ),
    "kill_reason": (
        "kill reason",
        "reason killed",
        "killed because",
        "why killed",
        "reason for killing",
        "stop reason",
        "reason stopped",
        "cancellation reason",
    ),
    "owner_is_operational": ("owner is operational", "operational owner flag"),
    "stage_entered_at": (
        "in stage since",
        "stage since",
        "stage entered",
        "entered stage",
        "stage date",
        "stage start",
    ),
    "days_in_stage": ("days in stage", "days in current stage"),
    # The report's id column: recognised so it can say why it is not used.
    "id": ("id", "initiative id", "uuid"),
}
#: How the preview names each field.
FIELD_LABEL: dict[str, str] = {
    "name": "name",
    "stage": "stage",
    "owner": "owner",
    "team": "team",
    "summary": "summary",
    "pilot_budget": "pilot budget",
    "integration_budget": "integration budget",
    "maintenance_budget": "maintenance budget",
    "blockers": "blockers",
    "last_review_at": "last review",
    "kill_reason": "kill reason",
    "owner_is_operational": "owner is operational",
    "stage_entered_at": "in stage since",
    "days_in_stage": "days in stage",
    "id": "id",
}
MONEY_FIELDS = frozenset({"pilot_budget", "integration_budget", "maintenance_budget"})
DATE_FIELDS = frozenset({"last_review_at", "stage_entered_at"})
ONE_LINE_FIELDS = frozenset({"name", "owner", "team"})
ANSWER_PREFIX = "answer:"

#: Stage words: each stage's id and label, plus what sheets say instead.
STAGE_WORDS: dict[str, tuple[str, ...]] = {
    "experiment": (
        "experiment",
        "experimentation",
        "experimental",
        "experimenting",
        "idea",
        "ideation",
        "exploration",
        "exploring",
        "discovery",
        "research",
        "backlog",
    ),
    "pilot": (
        "pilot",
        "piloting",
        "in pilot",
        "poc",
        "proof of concept",
        "prototype",
        "prototyping",
        "trial",
        "mvp",
        "feasibility",
    ),
    "validate": (
        "validate",
        "validation",
        "validating",
        "in validation",
        "beta",
        "uat",
        "user acceptance testing",
        "testing",
        "limited release",
        "soft launch",
    ),
    "productionize": (
        "productionize",
        "productionise",
        "productionizing",
        "productionising",
        "rollout",
        "roll out",
        "rolling out",
        "scaling",
        "scale up",
        "implementation",
        "deployment",
        "deploying",
        "go live",
        "90 day bridge",
    ),
    "infrastructure": (
        "infrastructure",
        "live",
        "production",
        "in production",
        "prod",
        "operational",
        "deployed",
        "launched",
        "in use",
        "bau",
        "business as usual",
    ),
    "killed": (
        "killed",
        "kill",
        "stopped",
        "cancelled",
        "canceled",
        "abandoned",
        "dropped",
        "shelved",
        "retired",
        "discontinued",
        "decommissioned",
        "rejected",
    ),
}

YES_WORDS = frozenset(
    {"yes", "y", "true", "x", "met", "done", "pass", "passed", "ok", "1", "✓", "✔", "☑", "✅"}
)
NO_WORDS = frozenset(
    {"no", "n", "false", "notmet", "fail", "failed", "0", "✗", "✘", "❌", "☐", "☒"}
)
UNKNOWN_WORDS = frozenset(
    {"", "?", "unknown", "na", "n/a", "tbd", "-", "–", "—", "unanswered", "notanswered"}
)
#: Names of rows that sum the others up rather than describe an initiative.
TOTAL_NAMES = frozenset({"total", "totals", "grandtotal", "sum", "subtotal"})

#: Unit words in a money column's header that scale its values.
THOUSANDS = frozenset({"k", "000", "000s", "thousand", "thousands", "keur", "kusd", "kgbp"})
MILLIONS = frozenset({"m", "mn", "mio", "million", "millions", "meur", "musd", "mgbp"})
CURRENCY = frozenset(
    {"eur", "euro", "euros", "usd", "dollar", "dollars", "gbp", "chf", "in", "amount"}
)


def words(text: str) -> list[str]:
    """Lower-case words of letters and digits: camelCase and punctuation split words."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).replace("&", " and ")
    return re.findall(r"[^\W_]+", text.casefold())


def squash(text: str) -> str:
    return "".join(words(text))


def _table(source: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {squash(w): key for key, ws in source.items() for w in ws}


FIELD_BY_WORD = _table(FIELD_WORDS)
#: Canonical field ids ("pilot_budget") are the strongest evidence a header can give.
FIELD_IDS = {squash(f): f for f in FIELD_WORDS}
STAGE_BY_WORD = {
    **_table(STAGE_WORDS),
    **{squash(s.label): s.id for s in method.STAGES},
}


def _answer_words() -> dict[str, str]:
    out: dict[str, str] = {}
    for key in method.ANSWER_KEYS:
        out[squash(key)] = key
    for t in method.TESTS:
        out.setdefault(squash(t.label), t.id)
        out.setdefault(squash(t.text), t.id)
    for s in method.SIGNALS:
        out.setdefault(squash(s.label), s.id)
        out.setdefault(squash(s.text), s.id)
    for i in method.ITEMS:
        out.setdefault(squash(i.text), i.id)
    for e in method.EXIT_CONDITIONS:
        out.setdefault(squash(e.text), e.id)
    return out


ANSWER_BY_WORD = _answer_words()
ITEM_IDS = {i.id.casefold(): i.id for i in method.ITEMS}
#: Words around an answer's name that say what kind it is ("Test: owned", "D1 check").
ANSWER_NOISE = frozenset(
    {"test", "signal", "real", "false", "exit", "condition", "item", "check", "criterion"}
)
BLOCKER_BY_WORD = {
    **{squash(b.id): b.id for b in method.BLOCKERS},
    **{squash(b.label): b.id for b in method.BLOCKERS},
    "owner": "ownership",
    "budget": "funding",
    "data": "data_readiness",
    "change": "change_management",
}


def answer_label(key: str) -> str:
    """How the preview names an answer column's target."""
    if key in method.ITEM_BY_ID:
        return f"readiness item {key}"
    if key in method.TEST_BY_ID:
        return f"test {method.TEST_BY_ID[key].label}"
    if key in method.SIGNAL_BY_ID:
        s = method.SIGNAL_BY_ID[key]
        return f"{'real' if s.real else 'false'} signal {s.label}"
    e = method.EXIT_BY_ID[key]
    return f"exit condition {key} ({method.STAGE_BY_ID[e.stage].label})"


# Values ----------------------------------------------------------------------------------------


def yes_no(value: object) -> str | None:
    """ "yes", "no" or "unknown" for a yes/no cell; None when it is not one."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and value in (0, 1):
        return "yes" if value == 1 else "no"
    if not isinstance(value, str):
        return None
    raw = value.strip().casefold()
    if raw in UNKNOWN_WORDS:
        return "unknown"
    word = squash(raw) or raw
    if word in YES_WORDS or raw in YES_WORDS:
        return "yes"
    if word in NO_WORDS or raw in NO_WORDS:
        return "no"
    if word in UNKNOWN_WORDS:
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
