"""Text is data: control characters refused on input and stripped on output, Markdown escaped,
CSV cells formula-safe. Pure rules of `bridge_tui.text`, each with its boundary."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge_tui.text import (
    control_problem,
    csv_cell,
    json_safe,
    md,
    number_text,
    one_line,
    parse_amount,
    parse_money,
    plain,
    reading_text,
    strip_controls,
)

CONTROLS = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cc"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (40_000.0, "40,000"),
        (1000.5, "1,000.5"),
        (1234.56, "1,234.56"),
        (0.4, "0.4"),  # a budget, not "0"
        (2999.5, "2,999.5"),  # under 3,000, not "3,000"
        (0.0, "0"),
        (-0.0, "0"),
        (1e20, "100,000,000,000,000,000,000"),
        (1e-7, "0.0000001"),
        (0.95, "0.95"),  # a reading under a target of 0.97: not "0.9" under "1.0"
        (1_234_567.0, "1,234,567"),  # not 1.23457e+06
    ],
)
def test_a_number_is_shown_exactly_as_kept(value: float, shown: str) -> None:
    assert number_text(value) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [(93.7, "%", "93.7%"), (30.0, "min", "30 min"), (1200.0, "", "1,200"), (0.95, "", "0.95")],
)
def test_a_reading_is_written_alike_everywhere(value: float, unit: str, shown: str) -> None:
    """The metrics panels, the review, the report, the history and `bridge metric` all write
    a reading so (before: "93.7 %" in the history, "30min" on the command line)."""
    assert reading_text(value, unit) == shown


@given(st.floats(min_value=0, allow_nan=False, allow_infinity=False))
def test_a_budget_shown_reads_back_to_the_same_budget(value: float) -> None:
    """What the board, the review, the report and `bridge show` print is what the form reads
    back: the same number, to the last digit."""
    assert parse_money(number_text(value)) == value


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("40,000", 40_000.0),
        ("  12 000 ", 12_000.0),
        ("$1,250.50", 1_250.5),
        ("€40_000", 40_000.0),
        ("", None),
        ("   ", None),
        ("lots", "lots"),  # as typed, for the model to refuse in words
        (" 1.2.3 ", "1.2.3"),
    ],
)
def test_an_amount_is_read_as_people_type_it(raw: str, amount: float | str | None) -> None:
    """One reading for every typed amount: the form's budgets and designed volume, and `bridge
    edit`'s. Empty is 'not recorded' for a volume and 0 for a budget."""
    assert parse_amount(raw) == amount
    assert parse_money(raw) == (0.0 if amount is None else amount)


def test_the_control_set_is_exactly_unicode_cc() -> None:
    assert len(CONTROLS) == 65
    for ch in CONTROLS:
        assert control_problem(f"a{ch}b", multiline=False) is not None, repr(ch)
    for ch in ("\u202e", "\u0301", "\u200b", "é", "[", "\u2028", " "):
        assert control_problem(f"a{ch}b", multiline=False) is None, repr(ch)


@pytest.mark.parametrize("ch", ["\n", "\t"])
def test_multi_line_fields_allow_breaks_and_tabs_only(ch: str) -> None:
    assert control_problem(f"one{ch}two", multiline=True) is None
    assert control_problem(f"one{ch}two", multiline=False) == (
        "must be on one line, without tabs or control characters"
    )


@pytest.mark.parametrize("ch", ["\r", "\x1b", "\x07", "\x00", "\x7f", "\x9b"])
def test_other_controls_are_refused_even_where_lines_are_allowed(ch: str) -> None:
    problem = control_problem(f"one{ch}two", multiline=True)
    assert problem is not None and "control characters" in problem


def test_surrogates_are_not_text() -> None:
    assert control_problem("a\udcff", multiline=True) == (
        "holds bytes that are not valid text (UTF-8)"
    )


def test_plain_keeps_lines_and_drops_terminal_commands() -> None:
    assert (
        plain("title\x1b]0;pwned\x07\n\tnext\x1b[2J line\r\n") == "title]0;pwned\n\tnext[2J line\n"
    )
    assert plain("ordinary [b]text[/b]") == "ordinary [b]text[/b]"


def test_one_line_turns_breaks_into_spaces() -> None:
    assert one_line("a\nb\tc\r\nd\x1be") == "a b c de"


@given(st.text())
def test_outputs_never_hold_a_control_character(text: str) -> None:
    for out, allowed in ((plain(text), "\n\t"), (one_line(text), ""), (strip_controls(text), "")):
        assert all(ch in allowed for ch in out if unicodedata.category(ch) == "Cc")
    assert all(unicodedata.category(ch) != "Cc" for ch in md(text))


@given(st.text())
def test_json_safe_keeps_every_value_exact(text: str) -> None:
    doc = json_safe(json.dumps({"v": text}, ensure_ascii=False))
    assert json.loads(doc) == {"v": text}
    assert all(unicodedata.category(ch) != "Cc" for ch in doc)


# Markdown ------------------------------------------------------------------------------------


def test_a_value_cannot_start_a_heading_or_any_block() -> None:
    out = md("stopped\n\n## Injected\n- item\n> quote")
    assert "\n" not in out
    assert out == "stopped  \\#\\# Injected - item \\> quote"


def test_a_link_shows_as_typed() -> None:
    assert md("[pay here](https://evil.example)") == "\\[pay here\\]\\(https://evil.example\\)"
    assert md("![img](x)") == "!\\[img\\]\\(x\\)"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"),
        ("`code`", "\\`code\\`"),
        ("a | b", "a \\| b"),
        ("<script>", "\\<script\\>"),
        ("&copy;", "\\&copy;"),
        ("~~gone~~", "\\~\\~gone\\~\\~"),
        ("C:\\path", "C:\\\\path"),
        ("Dispatch routing", "Dispatch routing"),
    ],
)
def test_markdown_syntax_is_escaped(raw: str, escaped: str) -> None:
    assert md(raw) == escaped


# CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "=cmd|' /C calc'!A0",
        "+SUM(A1:A2)",
        "-2+3",
        '@HYPERLINK("https://evil.example")',
        "\t=1+1",
        "=1",
        "-",
        "+",
    ],
)
def test_formula_starts_are_neutralised(cell: str) -> None:
    assert csv_cell(cell) == "'" + cell


def test_a_carriage_return_start_is_removed_and_what_follows_neutralised() -> None:
    assert csv_cell("\r=1+1") == "'=1+1"


@pytest.mark.parametrize("cell", ["-5", "+1.5", "-0.25", "1e3", "-2.5E-3", ".5", "42", "12/20"])
def test_plain_numbers_and_ordinary_text_pass(cell: str) -> None:
    assert csv_cell(cell) == cell


@pytest.mark.parametrize("value", [-5, 2.5, None, True])
def test_non_text_cells_pass_as_they_are(value: object) -> None:
    assert csv_cell(value) is value


def test_a_csv_row_reads_back_as_text_not_formula() -> None:
    buf = io.StringIO()
    csv.writer(buf).writerow([csv_cell(c) for c in ("=1+1", "Dispatch, routing", "x\x1by")])
    assert next(csv.reader(io.StringIO(buf.getvalue()))) == ["'=1+1", "Dispatch, routing", "xy"]
