"""Pure rules of the spreadsheet import: headers, stage synonyms, yes/no, money, dates, blockers,
the header row, column mapping and row parsing (no file, no database)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bridge_tui import method
from bridge_tui.errors import BadFile, BadInput
from bridge_tui.sheet_map import column_letter, field_for, parse_table, recognise
from bridge_tui.sheet_values import a_date, money, parse_value, yes_no
from bridge_tui.sheets import Cell, Table, clean_text


def target(header: str) -> str | None:
    found = recognise(header)
    return found.to if found else None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Name", "name"),
        ("Initiative", "name"),
        ("Use case", "name"),
        ("Use-case name", "name"),
        ("UseCaseName", "name"),
        ("USE_CASE", "name"),
        ("Status", "stage"),
        ("Phase", "stage"),
        ("stage", "stage"),
        ("Owner", "owner"),
        ("AccountableOwner", "owner"),
        ("Team / BU", "team"),
        ("Description", "summary"),
        ("Summary", "summary"),
        ("Pilot budget", "pilot_budget"),
        ("pilot_budget", "pilot_budget"),
        ("Pilot budget (EUR)", "pilot_budget"),
        ("POC budget", "pilot_budget"),
        ("Integration budget ($)", "integration_budget"),
        ("Maintenance budget", "maintenance_budget"),
        ("Blockers", "blockers"),
        ("Last review", "last_review_at"),
        ("last_review_at", "last_review_at"),
        ("Kill reason", "kill_reason"),
        ("Comments", None),
        ("Score (calc)", None),
        ("", None),
    ],
)
def test_headers_are_recognised_in_the_words_people_use(header: str, expected: str | None) -> None:
    assert target(header) == expected


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("D1", "D1"),
        ("d1", "D1"),
        ("T3", "T3"),
        ("D1 - data sources documented", "D1"),
        ("Owned?", "owned"),
        ("Test: owned", "owned"),
        ("Embedded", "embedded"),
        ("Enthusiasm", "enthusiasm"),
        ("False signal: vendor readiness", "vendor_readiness"),
        ("Stable performance", "stable_performance"),
        ("operational_owner", "operational_owner"),
        ("Team assigned", "team_assigned"),
        ("scoped", "scoped"),
        ("usage_data_30d", "usage_data_30d"),
        ("on call", "on_call"),
        ("answer:maintenance_budget", "maintenance_budget"),
        ("answer:embedded", "embedded"),
    ],
)
def test_answers_are_recognised_by_id_or_name(header: str, key: str) -> None:
    assert target(header) == f"answer:{key}"


def test_every_answer_is_recognised_by_its_id_and_by_its_name() -> None:
    for key in method.ANSWER_KEYS:
        # "maintenance_budget" is also the money field; its signal is reached with answer:
        if key != "maintenance_budget":
            assert target(key) == f"answer:{key}", key
        assert target(f"answer:{key}") == f"answer:{key}", key
    for item in method.ITEMS:
        assert target(item.text) == f"answer:{item.id}", item.id
    for e in method.EXIT_CONDITIONS:
        assert target(e.text) == f"answer:{e.id}", e.id
    for t in method.TESTS:
        assert target(t.label) == f"answer:{t.id}"
    for s in method.SIGNALS:
        if s.id != "maintenance_budget":
            assert target(s.label) == f"answer:{s.id}"


def test_money_headers_with_a_thousands_unit_scale_their_values() -> None:
    for header in ("Pilot budget (k€)", "Pilot budget ($k)", "Pilot budget '000", "Pilot budget k"):
        found = recognise(header)
        assert found is not None and found.to == "pilot_budget", header
        assert found.scale == 1000, header
    found = recognise("Pilot budget (EUR m)")
    assert found is not None and found.scale == 1_000_000


@pytest.mark.parametrize(
    ("word", "stage"),
    [
        ("POC", "pilot"),
        ("proof of concept", "pilot"),
        ("Proof-of-Concept", "pilot"),
        ("Pilot", "pilot"),
        ("live", "infrastructure"),
        ("Production", "infrastructure"),
        ("In production", "infrastructure"),
        ("stopped", "killed"),
        ("Cancelled", "killed"),
        ("canceled", "killed"),
        ("Validation", "validate"),
        ("UAT", "validate"),
        ("Rollout", "productionize"),
        ("productionise", "productionize"),
        ("Idea", "experiment"),
        ("Experiment", "experiment"),
        ("Infrastructure", "infrastructure"),
    ],
)
def test_stage_synonyms(word: str, stage: str) -> None:
    assert parse_value("stage", word, 1.0, True) == (stage, None)


def test_an_unknown_stage_says_which_words_work() -> None:
    value, why = parse_value("stage", "On track", 1.0, True)
    assert value is None and why is not None
    assert "'On track'" in why and "Pilot" in why


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("yes", "yes"),
        ("Y", "yes"),
        ("TRUE", "yes"),
        ("x", "yes"),
        ("X", "yes"),
        ("✓", "yes"),
        (True, "yes"),
        (1, "yes"),
        ("no", "no"),
        ("false", "no"),
        ("Not met", "no"),
        (False, "no"),
        (0, "no"),
        ("?", "unknown"),
        ("unknown", "unknown"),
        ("n/a", "unknown"),
        ("maybe", None),
        ("2", None),
    ],
)
def test_yes_no_values(cell: Cell, value: str | None) -> None:
    assert yes_no(cell) == value


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        (250000, 250000.0),
        (1250.5, 1250.5),
        ("250000", 250000.0),
        ("€250,000", 250000.0),
        ("$1,250,000.00", 1250000.0),
        ("1.250.000,00", 1250000.0),
        ("€ 1.250,50", 1250.5),
        ("12 000", 12000.0),
        ("12\u00a0000 €", 12000.0),
        ("1'250'000 CHF", 1250000.0),
        ("EUR 3,000", 3000.0),
        ("250k", 250000.0),
        ("1.5M", 1500000.0),
        ("1,5", 1.5),
        ("(1,200)", -1200.0),
        ("abc", None),
        ("12abc", None),
        (True, None),
    ],
)
def test_money_as_people_type_it(cell: Cell, amount: float | None) -> None:
    assert money(cell) == amount


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        (datetime(2026, 10, 1, 0, 0), date(2026, 10, 1)),
        (date(2026, 10, 1), date(2026, 10, 1)),
        (46296, date(2026, 10, 1)),
        ("46296", date(2026, 10, 1)),
        ("2026-10-01", date(2026, 10, 1)),
        ("2026-10-01 00:00:00", date(2026, 10, 1)),
        ("01/10/2026", date(2026, 10, 1)),
        ("1.10.2026", date(2026, 10, 1)),
        ("1 Oct 2026", date(2026, 10, 1)),
        ("October 1, 2026", date(2026, 10, 1)),
        ("22/11/2026", date(2026, 11, 22)),
        ("11/22/2026", date(2026, 11, 22)),  # unambiguous: month first
        ("soon", None),
        ("31/02/2026", None),
        (12, None),  # not a plausible Excel date number
    ],
)
def test_dates_from_excel_and_text(cell: Cell, day: date | None) -> None:
    assert a_date(cell) == day


def test_month_first_dates_when_asked() -> None:
    assert a_date("01/10/2026", dayfirst=False) == date(2026, 1, 10)


def test_blockers_by_id_or_label() -> None:
    # in the method's order and once each, as the model keeps them (so re-importing the same
    # tags in another order changes nothing)
    assert parse_value("blockers", "change management; Funding, funding", 1, True) == (
        ("funding", "change_management"),
        None,
    )
    assert parse_value("blockers", "ownership funding", 1, True) == (
        ("ownership", "funding"),
        None,
    )
    value, why = parse_value("blockers", "politics", 1, True)
    assert value is None and why is not None and "politics" in why


def test_clean_text_keeps_markup_and_removes_control_characters() -> None:
    assert clean_text("[bold]x[/]") == ("[bold]x[/]", False)
    assert clean_text("a\x1b[31mred\x07\x00b") == ("a[31mredb", True)
    assert clean_text("line one\r\nline two\tend") == ("line one\nline two\tend", False)
    assert clean_text("'=1+1") == ("=1+1", False)  # bridge's own formula escape is dropped


def test_column_letters() -> None:
    assert [column_letter(n) for n in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def table(*rows: list[Cell], source: str = "t.csv") -> Table:
    return Table(source, "csv", tuple((n, tuple(r)) for n, r in enumerate(rows, 1)))


def test_header_row_is_found_below_titles_and_rows_keep_their_numbers() -> None:
    parsed = parse_table(
        table(
            ["Portfolio 2026"],
            [],
            ["Name", "Stage", "Owner", "Whatever"],
            ["A", "pilot", "Ann", "1"],
            ["", "", "", ""],
            ["B", "", "", ""],
        )
    )
    assert parsed.header_rows == (3,)
    assert [(r.number, r.name) for r in parsed.rows] == [(4, "A"), (6, "B")]
    assert parsed.blank_rows == 1
    assert [c.to for c in parsed.columns] == ["name", "stage", "owner", None]
    assert parsed.columns[3].label == "ignored: not recognised"


def test_a_sheet_without_a_name_column_is_refused_with_a_hint() -> None:
    with pytest.raises(BadFile, match=r"no column of initiative names.*--map"):
        parse_table(table(["Foo", "Bar"], ["1", "2"]))


def test_map_overrides_recognition_and_names_columns_by_header_or_letter() -> None:
    t = table(["Project code", "Status", "RAG", "Phase"], ["X1", "On track", "green", "POC"])
    parsed = parse_table(t, ["Project code=name", "Status=ignore", "D=stage"])
    assert [c.to for c in parsed.columns] == ["name", None, None, "stage"]
    assert parsed.columns[1].how == "--map"
    assert parsed.rows[0].fields == {"name": "X1", "stage": "pilot"}


def test_bad_maps_are_refused() -> None:
    t = table(["Name"], ["X"])
    with pytest.raises(BadInput, match="not a field"):
        parse_table(t, ["Name=colour"])
    with pytest.raises(BadInput, match="no column 'Nope'"):
        parse_table(t, ["Nope=name"])
    with pytest.raises(BadInput, match="Column=field"):
        parse_table(t, ["Name"])
    assert field_for("answer:maintenance_budget") == "answer:maintenance_budget"
    assert field_for("maintenance_budget") == "maintenance_budget"
    assert field_for("d1") == "answer:D1"
    assert field_for("ignore") is None


def test_two_columns_for_one_field_keep_the_one_whose_values_fit() -> None:
    parsed = parse_table(table(["Name", "Status", "Phase"], ["X", "On track", "Pilot"]))
    assert [c.to for c in parsed.columns] == ["name", None, "stage"]
    assert "column C gives the stage" in parsed.columns[1].label
    assert parsed.rows[0].fields["stage"] == "pilot"


def test_a_maintenance_budget_column_of_yes_no_is_the_signal() -> None:
    parsed = parse_table(table(["Name", "Maintenance budget"], ["X", "yes"], ["Y", "no"]))
    assert parsed.columns[1].to == "answer:maintenance_budget"
    assert parsed.rows[0].answers == {"maintenance_budget": "yes"}
    parsed = parse_table(table(["Name", "Maintenance budget"], ["X", "10,000"], ["Y", "0"]))
    assert parsed.columns[1].to == "maintenance_budget"
    assert parsed.rows[0].fields["maintenance_budget"] == 10000


def test_a_column_of_scores_is_not_taken_as_a_team() -> None:
    parsed = parse_table(table(["name", "team", "team_name"], ["X", "2/3", "Ops"]))
    assert [c.to for c in parsed.columns] == ["name", None, "team"]
    assert parsed.rows[0].fields["team"] == "Ops"


def test_row_problems_name_the_column_and_the_value() -> None:
    parsed = parse_table(
        table(["Name", "Pilot budget", "D1", "Stage"], ["X", "lots", "maybe", "someday"], ["", "5"])
    )
    first, second = parsed.rows
    assert first.problems == (
        "column B: pilot budget 'lots' is not an amount",
        "column C: readiness item D1 is 'maybe': use yes, no, x, or leave it blank",
        first.problems[2],
    )
    assert first.problems[2].startswith("column D: stage 'someday' is not a stage")
    assert second.problems == ("no name (column A is empty)",)


def test_names_are_one_line_and_summaries_keep_their_lines() -> None:
    parsed = parse_table(table(["Name", "Summary"], ["Dispatch\nrouting\t v2", "line 1\nline 2"]))
    assert parsed.rows[0].fields == {"name": "Dispatch routing v2", "summary": "line 1\nline 2"}


def test_ambiguous_dates_follow_the_column_and_the_preview_says_how() -> None:
    parsed = parse_table(table(["Name", "Last review"], ["A", "03/04/2026"], ["B", "04/30/2026"]))
    assert "month/day/year" in parsed.columns[1].label
    assert parsed.rows[0].fields["last_review_at"] == date(2026, 3, 4)
    parsed = parse_table(table(["Name", "Last review"], ["A", "03/04/2026"]))
    assert "day/month/year" in parsed.columns[1].label
    assert parsed.rows[0].fields["last_review_at"] == date(2026, 4, 3)


def test_totals_rows_are_skipped_and_said() -> None:
    parsed = parse_table(table(["Name", "Pilot budget"], ["A", "1"], ["Total", "1"]))
    assert [r.name for r in parsed.rows] == ["A"]
    assert parsed.skipped == ((3, "'Total' looks like a totals row"),)


def test_id_columns_are_listed_as_unused() -> None:
    parsed = parse_table(table(["id", "name"], ["abc", "A"]))
    assert parsed.columns[0].to is None
    assert "match by name" in parsed.columns[0].label
