"""Sustain and extend on the command line, driven by `BRIDGE_TODAY` across the boundaries:
metrics read 29/30/31 days ago, a commitment 11 vs 12 months ahead, 70% vs 69.9% of the designed
volume a day before, on and after 12 months past Productionize; the focus warning on `move` and
`add`; `bridge link` and its refusals; the new `edit` options, `show --json` and `score`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bridge_tui import method
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.cli_run import Run, new_file, runner
from tests.conftest import FROZEN_TODAY

GATES_MET = [k for k in method.ANSWER_KEYS if k not in {s.id for s in method.FALSE_SIGNALS}]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """`run("list", today="2026-11-23")` runs bridge on ./bridge.db with that day frozen."""
    monkeypatch.chdir(tmp_path)
    return runner(monkeypatch, capsys, today_each_call=True)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return new_file(tmp_path / "bridge.db")


def promote(db: Path, name: str, stage: str, day: date, **fields: Any) -> str:
    """An initiative with every gate met, moved into `stage` on `day`; returns its id."""
    svc = Service(Store.open(db), "setup", day)
    try:
        i = svc.create_initiative(name, owner=f"{name} owner", owner_is_operational=True, **fields)
        for key in GATES_MET:
            svc.answer(i, key, "yes")
        if stage != "experiment":
            svc.move(svc.initiative(i.id), stage)
        return i.id
    finally:
        svc.close()


def flags_of(run: Run, name: str, today: str) -> list[str]:
    rows = run("list", "--json", today=today).json()
    return next(r["sustain_flags"] for r in rows if r["name"] == name)


# Measured: stale after 30 days ----------------------------------------------------------------


def test_metrics_go_stale_on_the_30th_day_without_a_reading(run: Run, db: Path) -> None:
    assert run("add", "Dispatch routing").code == 0
    assert (
        run("metric", "add", "Dispatch routing", "Throughput", "120", "--at", "2026-10-24").code
        == 0
    )
    # last read 2026-10-24: 29 days before 22 November, 30 before the 23rd, 31 before the 24th
    assert flags_of(run, "Dispatch routing", "2026-11-22") == []
    assert flags_of(run, "Dispatch routing", "2026-11-23") == ["metrics stale"]
    assert flags_of(run, "Dispatch routing", "2026-11-24") == ["metrics stale"]
    shown = run("show", "Dispatch routing", today="2026-11-24")
    assert "Metrics stale (no reading for 30 days or more" in shown.out
    assert "Throughput 31 days" in shown.out
    doc = run("show", "Dispatch routing", "--json", today="2026-11-23").json()
    assert doc["sustain"]["stale_metrics"] == [
        {"name": "Throughput", "last": "2026-10-24", "days": 30}
    ]
    listed = run("list", today="2026-11-23").out
    assert "(metrics stale)" in listed


# Maintained: committed for the next 12 months ------------------------------------------------


@pytest.mark.parametrize(
    ("until", "state", "flag"),
    [
        ("2027-10-22", "short", ["upkeep short"]),  # 11 months ahead
        ("2027-11-21", "short", ["upkeep short"]),
        ("2027-11-22", "ok", []),  # 12 months ahead
        ("2026-11-21", "expired", ["upkeep expired"]),
    ],
)
def test_the_commitment_must_reach_12_months_ahead(
    run: Run, db: Path, until: str, state: str, flag: list[str]
) -> None:
    run("add", "Contract review")
    r = run("edit", "Contract review", "--committed-until", until)
    assert r.code == 0, r.err
    doc = run("show", "Contract review", "--json").json()
    assert doc["maintenance_committed_until"] == until
    assert doc["sustain"]["commitment"] == state
    assert flags_of(run, "Contract review", "2026-11-22") == flag
    text = run("show", "Contract review").out
    assert "  maintained " in text


def test_clearing_the_commitment_and_a_bad_date(run: Run, db: Path) -> None:
    run("add", "Contract review")
    run("edit", "Contract review", "--committed-until", "2027-01-31")
    assert run("edit", "Contract review", "--committed-until", "").code == 0
    assert run("show", "Contract review", "--json").json()["maintenance_committed_until"] is None
    bad = run("edit", "Contract review", "--committed-until", "soon")
    assert bad.code == 2
    assert bad.err == "bridge: --committed-until must be a date like 2026-11-22, not 'soon'.\n"


# Volume: 70% after 12 months -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "today", "flagged"),
    [
        ("699", "2026-11-21", False),  # a day short of 12 months after entering Productionize
        ("699", "2026-11-22", False),  # exactly 12 months: not "more than"
        ("699", "2026-11-23", True),  # a day past: 69.9% is under 70%
        ("700", "2026-11-23", False),  # exactly 70% is not under
    ],
)
def test_volume_under_70_percent_after_12_months(
    run: Run, db: Path, value: str, today: str, flagged: bool
) -> None:
    promote(db, "Contract review", "infrastructure", date(2025, 11, 22))
    assert run("answer", "Contract review", "improvement_shipped", "yes").code == 0
    r = run("edit", "Contract review", "--designed-volume", "1,000", "--volume-metric", "Contracts")
    assert r.code == 0, r.err
    run("metric", "add", "Contract review", "Contracts", value, "--at", "2026-11-20")
    flags = flags_of(run, "Contract review", today)
    assert flags == (["volume 69.9%"] if flagged else [])
    doc = run("show", "Contract review", "--json", today=today).json()
    assert doc["sustain"]["volume"]["entered_productionize"] == "2025-11-22"
    assert doc["sustain"]["volume"]["flagged"] is flagged
    report = run("report", "--format", "json", today=today).json()
    assert bool(report["summary"]["volume_under"]) is flagged


def test_designed_volume_must_be_above_zero_and_can_be_cleared(run: Run, db: Path) -> None:
    run("add", "Contract review")
    bad = run("edit", "Contract review", "--designed-volume", "-5")
    assert (bad.code, bad.err) == (
        2,
        "bridge: designed volume must be a number above 0, not '-5'.\n",
    )
    run("edit", "Contract review", "--designed-volume", "800")
    assert run("show", "Contract review", "--json").json()["designed_volume"] == 800
    run("edit", "Contract review", "--designed-volume", "")
    assert run("show", "Contract review", "--json").json()["designed_volume"] is None


def test_the_report_writes_the_designed_volume_as_typed(run: Run, db: Path) -> None:
    """1,234,567, not 1.23457e+06 (the Markdown report's sustain lines)."""
    promote(db, "Contract review", "infrastructure", date(2025, 11, 22))
    r = run("edit", "Contract review", "--designed-volume", "1,234,567", "--volume-metric", "Docs")
    assert r.code == 0, r.err
    report = run("report", "--format", "md").out
    assert "designed volume 1,234,567, no reading of 'Docs' yet" in report
    run("metric", "add", "Contract review", "Docs", "1000000", "--at", "2026-11-20")
    report = run("report", "--format", "md").out
    assert "of the designed 1,234,567 (Docs, 2026-11-20)" in report


# Optimize ------------------------------------------------------------------------------------


def test_score_shows_the_optimize_phase_for_infrastructure(run: Run, db: Path) -> None:
    promote(db, "Contract review", "infrastructure", FROZEN_TODAY)
    run("answer", "Contract review", "improvement_shipped", "no")
    text = run("score", "Contract review").out
    assert "  optimise   not yet optimising: needs improvement shipped" in text
    assert run("score", "Contract review", "--json").json()["optimize"] == {
        "optimising": False,
        "missing": ["improvement_shipped"],
    }
    assert flags_of(run, "Contract review", "2026-11-22") == ["not optimising"]
    run("answer", "Contract review", "improvement_shipped", "yes")
    assert "optimising: an evaluation process" in run("score", "Contract review").out
    assert flags_of(run, "Contract review", "2026-11-22") == []


# One use case at a time ----------------------------------------------------------------------


def test_moving_a_second_initiative_into_productionize_warns_and_moves(run: Run, db: Path) -> None:
    promote(db, "Dispatch routing", "productionize", FROZEN_TODAY)
    promote(db, "Invoice processing", "validate", FROZEN_TODAY)
    r = run("move", "Invoice processing", "productionize")
    assert r.code == 0
    assert r.out.startswith("Moved Invoice processing to Productionize.")
    assert "Warning: One use case at a time: Dispatch routing is already in Productionize" in r.err
    added = run(
        "add", "Route optimisation", "--stage", "productionize", "--force", "--reason", "live"
    )
    assert "Dispatch routing and Invoice processing are already in Productionize" in added.err
    report = run("report").out
    assert "**Warning:** 3 initiatives are in Productionize at once" in report


# Extend: bridge link -------------------------------------------------------------------------


@pytest.fixture
def linked(run: Run, db: Path) -> Path:
    promote(db, "Email triage", "infrastructure", FROZEN_TODAY)
    promote(db, "Dispatch routing", "productionize", FROZEN_TODAY)
    run("add", "Returns desk")
    run("add", "Fax desk")
    run("kill", "Fax desk", "--reason", "nobody faxes")
    return db


def test_link_and_clear(run: Run, linked: Path) -> None:
    r = run("link", "Returns desk", "--builds-on", "email triage")
    assert (r.code, r.out) == (0, "Returns desk now builds on Email triage.\n")
    again = run("link", "Returns desk", "--builds-on", "Email triage")
    assert again.out == "Returns desk builds on Email triage.\n"
    shown = run("link", "Email triage")
    assert shown.out == "Email triage builds on nothing.\nBuilt on it: Returns desk.\n"
    doc = run("link", "Email triage", "--json").json()
    assert doc["builds_on"] is None and doc["changed"] is False
    assert [x["name"] for x in doc["extended_by"]] == ["Returns desk"]
    assert "  builds on  Email triage" in run("show", "Returns desk").out
    assert "  extended   Returns desk (Experiment)" in run("show", "Email triage").out
    cleared = run("link", "Returns desk", "--clear", "--json").json()
    assert cleared["builds_on"] is None and cleared["changed"] is True
    assert run("link", "Email triage").out == (
        "Email triage builds on nothing.\n"
        "Nothing builds on it yet: which adjacent workflows could extend it?\n"
    )
    history = run("history", "Returns desk", "--limit", "2").out
    assert "Changed builds on of Returns desk from Email triage to (nothing)." in history


@pytest.mark.parametrize(
    ("args", "code", "err"),
    [
        (
            ("Email triage", "--builds-on", "Email triage"),
            1,
            "bridge: Email triage cannot build on itself.\n",
        ),
        (
            ("Returns desk", "--builds-on", "Fax desk"),
            1,
            "bridge: Fax desk is killed: new use cases build on live infrastructure only.\n",
        ),
        (
            ("Returns desk", "--builds-on", "Dispatch routing"),
            1,
            "bridge: Dispatch routing is in Productionize, not Infrastructure: only "
            "infrastructure is extended.\n",
        ),
        (
            ("Returns desk", "--builds-on", "Email triage", "--clear"),
            2,
            "bridge: give --builds-on or --clear, not both.\n",
        ),
        (
            ("Returns desk", "--builds-on", "Nowhere"),
            2,
            "bridge: no initiative matches 'Nowhere'.\n",
        ),
    ],
)
def test_link_refusals_are_one_line(
    run: Run, linked: Path, args: tuple[str, ...], code: int, err: str
) -> None:
    before = run("history", "--limit", "1").out
    r = run("link", *args)
    assert (r.code, r.err, r.out) == (code, err, "")
    assert run("history", "--limit", "1").out == before


def test_edit_builds_on_takes_a_ref_and_obeys_the_same_rules(run: Run, linked: Path) -> None:
    assert run("edit", "Returns desk", "--builds-on", "Email triage").code == 0
    assert run("show", "Returns desk", "--json").json()["sustain"]["builds_on"]["name"] == (
        "Email triage"
    )
    refused = run("edit", "Returns desk", "--builds-on", "Dispatch routing")
    assert refused.code == 1 and "only infrastructure is extended" in refused.err
    assert run("edit", "Returns desk", "--builds-on", "").code == 0
    assert run("show", "Returns desk", "--json").json()["builds_on"] is None


def test_export_import_round_trip_keeps_the_link(run: Run, linked: Path, tmp_path: Path) -> None:
    run("link", "Returns desk", "--builds-on", "Email triage")
    run("edit", "Email triage", "--committed-until", "2028-01-31", "--designed-volume", "900")
    assert run("export", "-o", "out.json").code == 0
    assert run("--db", "copy.db", "import", "out.json").code == 0
    doc = run("--db", "copy.db", "show", "Email triage", "--json").json()
    assert (doc["maintenance_committed_until"], doc["designed_volume"]) == ("2028-01-31", 900)
    back = run("--db", "copy.db", "link", "Returns desk", "--json").json()
    assert back["builds_on"]["name"] == "Email triage"
