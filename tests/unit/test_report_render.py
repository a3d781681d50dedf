"""The pure report renderer: a typed report, built by hand, as JSON, Markdown and CSV."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date

from bridge_tui import method
from bridge_tui.report import (
    REPORT_SCHEMA,
    Blocked,
    Budgets,
    Flags,
    HeatRow,
    LastReview,
    Metric,
    NextGate,
    PlanSection,
    Points,
    Report,
    Scale,
    Score,
    Section,
    Summary,
)
from bridge_tui.report_render import (
    CSV_COLUMNS,
    render,
    report_csv,
    report_json,
    report_markdown,
)

DAY = date(2026, 11, 22)
CATS = {c.id: Points(2, 4) for c in method.CATEGORIES}
TESTS: dict[str, bool | None] = {
    "embedded": True,
    "owned": False,
    "measured": None,
    "maintained": True,
}


def _section() -> Section:
    return Section(
        id="i1",
        name="=Route *planner*",
        stage="pilot",
        owner="Maya",
        owner_is_operational=True,
        owner_issue=None,
        pilot_builder="Ola",
        team="Ops",
        days_in_stage=40,
        purgatory_days=40,
        created=date(2026, 10, 1),
        budgets=Budgets(1000.0, 2000.0, 500.0),
        score=Score(10, 20, 14, False, 3, CATS, ("data", "team", "security")),
        tests=TESTS,
        stage_three=False,
        signals={s.id: "unknown" for s in method.SIGNALS},
        scale=Scale(False, ("stable_performance",), (), False, "Not ready to scale.", False, ()),
        metrics=(Metric("adoption", "%", 80.0, 55.5, 3, False, False),),
        next_gate=NextGate("validate", False, ("D1",)),
        blockers=("funding",),
        flags=Flags(False, False, True, False),
        forced_reason="",
        kill_candidate_reasons=("no progress",),
        kill_reason="",
        summary="Plans routes.",
        last_review_at=date(2026, 11, 1),
        answers=dict.fromkeys(method.ANSWER_KEYS, "unknown") | {"D1": "no", "D2": "yes"},
        plan=PlanSection(date(2026, 10, 1), 53, "month 2", 3, 9, 1, "behind", "day 53; behind."),
        last_review=LastReview(date(2026, 11, 1), "keep", "Ann", "Looks *slow*"),
    )


def _report() -> Report:
    section = _section()
    return Report(
        schema=REPORT_SCHEMA,
        date=DAY,
        file="ops.db",
        summary=Summary(
            active=1,
            infrastructure=0,
            infrastructure_ids=(),
            killed=0,
            blocked=(Blocked("i1", section.name, "pilot", "validate", ("D1",), ("funding",)),),
            kill_candidates=(),
            promoted=(),
            pilot_purgatory=(),
            review_overdue=(),
            funnel=dict.fromkeys(method.STAGE_IDS, 0) | {"pilot": 1},
            blockers={"funding": 1},
        ),
        heat_map=(HeatRow("i1", section.name, "pilot", CATS, 10, False, TESTS),),
        initiatives=(section,),
    )


def test_the_json_document_names_the_fields_in_order_with_days_and_lists() -> None:
    doc = report_json(_report())
    assert list(doc) == ["schema", "date", "file", "summary", "heat_map", "initiatives"]
    assert doc["date"] == "2026-11-22"
    i = doc["initiatives"][0]
    assert list(i)[:3] == ["id", "name", "stage"] and list(i)[-2:] == ["plan", "last_review"]
    assert "sustain" not in i and "flow" not in i and "flow" not in doc
    assert i["created"] == "2026-10-01" and i["last_review_at"] == "2026-11-01"
    assert i["budgets"] == {"pilot": 1000.0, "integration": 2000.0, "maintenance": 500.0}
    assert i["score"]["weakest"] == ["data", "team", "security"]
    assert i["next_gate"] == {"to": "validate", "allowed": False, "unmet": ["D1"]}
    assert i["last_review"] == {
        "date": "2026-11-01",
        "decision": "keep",
        "reviewer": "Ann",
        "note": "Looks *slow*",
    }
    assert doc["summary"]["blocked"][0]["blockers"] == ["funding"]
    assert json.loads(render(_report(), "json")) == doc


def test_every_section_is_written_in_full_with_its_own_values() -> None:
    """The fields of each kind of value are looked up once and kept: the second and later
    sections of a kind are written as fully as the first, each with its own values."""
    first = _section()
    second = replace(first, id="i2", name="Second", days_in_stage=3, created=date(2026, 1, 2))
    doc = report_json(replace(_report(), initiatives=(first, second, first)))
    one, two, three = doc["initiatives"]
    assert list(one) == list(two) == list(three)
    assert (two["id"], two["name"], two["days_in_stage"]) == ("i2", "Second", 3)
    assert two["created"] == "2026-01-02" and one["created"] == "2026-10-01"
    assert one == three and two["score"] == one["score"]
    assert doc["heat_map"][0]["categories"]["data"] == {"met": 2, "max": 4}


def test_the_markdown_reads_the_typed_report_and_keeps_text_literal() -> None:
    md = report_markdown(_report())
    assert md.startswith("# AI portfolio report: ops.db, 22 November 2026\n")
    assert "1. **1 active initiatives; 0 really infrastructure**" in md
    assert "### =Route \\*planner\\*" in md
    assert "- **Stage:** Pilot for 40 days (kill candidate)" in md
    assert "- **Score:** 10/20, under the pass line of 14." in md
    assert "- **Metrics (latest):** adoption 55.5% (target 80%)" in md
    assert "- **Last review:** 2026-11-01, keep by Ann: Looks \\*slow\\*" in md
    assert "- **Plan:** day 53; behind." in md
    assert "## Sustain and extend" not in md and "## Flow over time" not in md
    assert render(_report(), "md") == md


def test_the_csv_has_one_row_per_initiative_and_no_formula() -> None:
    text = report_csv(_report())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 1
    row = rows[0]
    assert row["name"] == "'=Route *planner*"  # a spreadsheet would run it as a formula
    assert (row["stage"], row["score"], row["passing"]) == ("pilot", "10", "no")
    assert (row["embedded"], row["owned"], row["measured"]) == ("yes", "no", "?")
    assert (row["next_stage"], row["next_gate_unmet"], row["blockers"]) == (
        "validate",
        "D1",
        "funding",
    )
    assert (row["last_review"], row["last_decision"], row["created"]) == (
        "2026-11-01",
        "keep",
        "2026-10-01",
    )
    assert (row["answer:D1"], row["answer:D2"], row["answer:D3"]) == ("no", "yes", "?")
    # without the sustain and flow parts their columns are there, empty
    assert row["flow_timeline"] == "" and row["commitment"] == ""
    no_plan = replace(_report(), initiatives=(replace(_section(), plan=None, last_review=None),))
    again = next(csv.DictReader(io.StringIO(render(no_plan, "csv"))))
    assert (again["plan"], again["last_review"]) == ("no plan", "")


def test_the_renderer_is_pure() -> None:
    code = (
        "import json, sys\n"
        "import bridge_tui.report_render\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(out.stdout)
    bad = [
        m
        for m in loaded
        if m.split(".")[0] in ("textual", "sqlite3", "sqlite_utils")
        or m.startswith(("bridge_tui.service", "bridge_tui.store", "bridge_tui.tui"))
    ]
    assert bad == []
