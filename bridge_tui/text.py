"""Text from people and files is data: never markup, never terminal control, never a formula.

One small pure module that every output path uses. `control_problem` is what the models refuse
on input; `plain` and `one_line` strip what old or foreign files may still hold on the way out
(a terminal obeys ESC sequences, a spreadsheet runs `=cmd|...`, a Markdown viewer makes
`[pay here](https://evil.example)` a link); `md` and `csv_cell` make a value safe in a report.
A number a person typed is written as it is kept, never rounded (`number_text`, `reading_text`)
and read back the same way (`parse_money`).
"""

from __future__ import annotations

import re

from bridge_tui.errors import BadInput

#: Unicode category Cc: C0 controls (ESC, BEL, CR, ...), DEL and the C1 controls (CSI 0x9b)
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
#: lone surrogates: what a non-UTF-8 byte in argv or a file decodes to; not text, not storable
SURROGATE = re.compile("[\ud800-\udfff]")
_BREAKS = re.compile("\r\n|[\r\n\t\x0b\x0c\x1c-\x1e\x85]")
_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def number_text(value: float) -> str:
    """A number a person typed (a budget, a metric reading, a volume) exactly as the file keeps
    it, with thousands separators: 40000.0 -> '40,000', 1000.5 -> '1,000.5', 1234.56 ->
    '1,234.56', 0.95 -> '0.95'. Never rounded (a maintenance budget of 0.4 is a budget, not
    "0"; an integration budget of 2,999.5 is under 3,000, not "3,000"; a reading of 0.95 under
    a target of 0.97 is not "0.9" under "1.0") and never in exponent form (1,234,567, not
    1.23457e+06). The initiative form shows a budget with it and reads it back to the same
    number (`parse_money`)."""
    from decimal import Decimal  # on first use: `bridge score` and `bridge list` write none

    # + 0.0: a -0.0 (it passes "at least 0") reads as 0
    return format(Decimal(repr(float(value) + 0.0)).normalize(), ",f")


def reading_text(value: float, unit: str) -> str:
    """A metric reading with its unit, as every screen, report and command writes it: a percent
    sign against the number ('93.7%'), any other unit after a space ('30 min'), none bare
    ('1,200')."""
    shown = number_text(value)
    if not unit:
        return shown
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}"


def parse_amount(raw: str) -> str | float | None:
    """An amount as a person types it: '40,000', '40 000', '$40000', '1,250.50' -> a number
    (what `number_text` writes reads back the same); empty -> None; anything else as typed, for
    the model to refuse in words. Budgets (`parse_money`) and designed volumes are read so, in
    the initiative form and on the command line."""
    cleaned = raw.strip().lstrip("$€£").replace(",", "").replace(" ", "").replace("_", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return raw.strip()


def parse_money(raw: str) -> str | float:
    """A budget as a person types it (`parse_amount`); an empty one is 0."""
    amount = parse_amount(raw)
    return 0.0 if amount is None else amount


def control_problem(value: str, *, multiline: bool) -> str | None:
    """Why `value` cannot be stored, in words, or None when it can.

    Multi-line fields (summaries, notes, reasons) may hold line breaks and tabs; every other
    control character is refused everywhere, since a terminal or a report would obey it."""
    if SURROGATE.search(value):
        return "holds bytes that are not valid text (UTF-8)"
    for ch in CONTROL.findall(value):
        if multiline and ch in "\n\t":
            continue
        if not multiline:
            return "must be on one line, without tabs or control characters"
        return (
            "must not hold control characters (such as terminal escape codes); "
            "line breaks and tabs are fine"
        )
    return None


def plain(text: str) -> str:
    """`text` without control characters, line breaks and tabs kept (multi-line CLI output)."""
    if not CONTROL.search(text):
        return text
    return _KEEP_LINES.sub("", text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    """`text` on one line: breaks and tabs become spaces, other control characters go."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub("", _BREAKS.sub(" ", text))


def strip_controls(text: str) -> str:
    """Every control character removed, breaks included (a terminal cell, a rendered line)."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


# Markdown ---------------------------------------------------------------------------------------

#: what Markdown (CommonMark + GitHub tables) could read as syntax inside a line: emphasis, code,
#: links and images, raw HTML and entities, headings, table cells, strikethrough
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>#|~&])")


def md(text: str) -> str:
    """A user's value as literal Markdown inline text, safe inside a heading, list or table cell.

    Line breaks become spaces (a value can never start a block: no injected heading, list or
    table row) and every character Markdown could read as syntax is backslash-escaped, so
    `[pay here](https://evil.example)` shows as typed and `**x**` stays two stars."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


# CSV --------------------------------------------------------------------------------------------

#: OWASP CSV injection: a cell starting with one of these is read as a formula by spreadsheets
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading `'` before a formula start (OWASP), unless
    the cell is a plain number such as -5 or +1.5e3. Numbers and other non-text pass as-is."""
    if not isinstance(value, str):
        return value
    text = plain(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


# JSON -------------------------------------------------------------------------------------------

_JSON_RAW = re.compile("[\x7f-\x9f]")


def json_safe(document: str) -> str:
    """A JSON document with no raw control character left: `json.dumps` escapes C0 controls but
    writes DEL and the C1 controls (U+007F..U+009F) as they are. Inside a JSON string (the only
    place JSON holds such a character) `\\u009b` means the same text, so values stay exact."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


#: the longest name a person may give as author (`--as`, `BRIDGE_AUTHOR`)
AUTHOR_MAX = 120


def checked_author(author: str) -> str:
    """The change log's name for `author` (`check_author`), or BadInput saying why not."""
    try:
        return check_author(author) or "unknown"
    except ValueError as exc:
        raise BadInput(f"your name (--as or BRIDGE_AUTHOR) {exc}.") from None


def check_author(name: str) -> str:
    """The name written into the change log (`--as`, `BRIDGE_AUTHOR`, the app's user), checked
    like any one-line field. Returns it stripped; raises ValueError with the reason."""
    name = name.strip()
    problem = (
        "holds bytes that are not valid text (UTF-8)"
        if SURROGATE.search(name)
        else control_problem(name, multiline=False)
    )
    if problem is None and len(name) > AUTHOR_MAX:
        problem = f"is too long (at most {AUTHOR_MAX} characters)"
    if problem is not None:
        raise ValueError(problem)
    return name
