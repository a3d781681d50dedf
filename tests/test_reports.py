"""The Markdown, JSON and CSV reports: every initiative, the same numbers as `scoring`."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from bridge_tui import method, scoring
from bridge_tui.errors import BadInput, OutputExists
from bridge_tui.report import REPORT_SCHEMA
from bridge_tui.report_render import CSV_COLUMNS
from bridge_tui.service import Board, Service
from tests.conftest import FROZEN_TODAY


def md_name(name: str) -> str:
    return name.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def test_json_report_matches_scoring(service: Service) -> None:
    data = json.loads(service.report("json"))
    assert data["schema"] == REPORT_SCHEMA
    assert data["date"] == FROZEN_TODAY.isoformat()
    board = service.board()
    ov = scoring.overview(board.initiatives, board.answers, FROZEN_TODAY, board.histories)
    everyone = service.ordered()
    assert [i["id"] for i in data["initiatives"]] == [i.id for i in everyone]
    for section, ini in zip(data["initiatives"], everyone, strict=True):
        answers = board.answers_of(ini.id)
        r = scoring.readiness(answers)
        assert section["name"] == ini.name
        assert section["stage"] == ini.stage
        assert section["score"]["total"] == r.total
        assert section["score"]["passing"] == r.passing
        assert section["score"]["weakest"] == list(r.weakest)
        for c in r.categories:
            assert section["score"]["categories"][c.id] == {"met": c.met, "max": c.max}
        assert section["tests"] == scoring.initiative_tests(ini, answers)
        assert section["stage_three"] == scoring.stage_three(ini, answers)
        history = board.histories.get(ini.id)
        assert section["flags"]["kill_candidate"] == scoring.kill_candidate(
            ini, answers, FROZEN_TODAY, history
        )
        assert section["flags"]["pilot_purgatory"] == scoring.in_purgatory(
            ini, FROZEN_TODAY, history
        )
        assert section["scale"]["sentence"] == scoring.initiative_scale(ini, answers).sentence()
        assert section["days_in_stage"] == scoring.days_in_stage(ini, FROZEN_TODAY)
        gate = scoring.next_gate(ini, answers)
        if gate is None:
            assert section["next_gate"] is None
        else:
            assert section["next_gate"]["unmet"] == list(gate.unmet)
    s = data["summary"]
    assert s["active"] == len(ov.active)
    assert s["infrastructure_ids"] == list(ov.infrastructure)
    assert [k["id"] for k in s["kill_candidates"]] == [k.initiative_id for k in ov.kill_candidates]
    assert [b["id"] for b in s["blocked"]] == [b.initiative_id for b in ov.blocked]
    assert [p["id"] for p in s["promoted"]] == [p.initiative_id for p in ov.promoted]
    assert s["funnel"] == dict(ov.funnel)
    assert s["blockers"] == dict(ov.blocker_counts)
    assert [h["id"] for h in data["heat_map"]] == [h.initiative_id for h in ov.heat]
    assert [h["total"] for h in data["heat_map"]] == [h.total for h in ov.heat]


def test_json_report_is_stable(service: Service) -> None:
    assert service.report("json") == service.report("json")


def test_json_report_plan_and_last_review(service: Service) -> None:
    data = {i["name"]: i for i in json.loads(service.report("json"))["initiatives"]}
    dispatch = data["Dispatch routing"]
    assert dispatch["plan"] is not None
    start = date.fromisoformat(dispatch["plan"]["start"])
    assert dispatch["plan"]["day"] == scoring.plan_day(start, FROZEN_TODAY)
    assert dispatch["plan"]["total"] == sum(len(m.tasks) for m in method.PLAN_TEMPLATE)
    assert data["Warehouse slotting"]["plan"] is None
    review = data["Contract review"]["last_review"]
    assert review["decision"] == "keep" and review["reviewer"] == "maya"
    assert data["Warehouse slotting"]["last_review"] is None
    assert dispatch["scale"]["stable_performance_supported_by_data"] is True
    assert data["Customer service assistant"]["scale"]["stalled_adoption"] == ["Adoption"]


def test_markdown_report_has_every_initiative_and_its_score(service: Service) -> None:
    md = service.report("md")
    board = service.board()
    assert md.startswith("# AI portfolio report: sample.db, 22 November 2026\n")
    assert "## The four questions" in md and "## Heat map" in md and "## Stage funnel" in md
    sections = md.split("\n### ")[1:]
    assert len(sections) == len(board.initiatives)
    for ini in service.ordered():
        [section] = [s for s in sections if s.startswith(md_name(ini.name) + "\n")]
        r = scoring.readiness(board.answers_of(ini.id))
        assert f"- **Score:** {r.total}/20" in section
        assert f"- **Stage:** {method.STAGE_BY_ID[ini.stage].label} for" in section
        for field in ("Owner", "Tests", "Signals", "Next gate", "Blockers", "Plan", "Last review"):
            assert f"- **{field}:**" in section
    ov = service.overview()
    assert (
        f"**{len(ov.active)} active initiatives; {len(ov.infrastructure)} really infrastructure**"
        in md
    )
    assert f"3. **Kill candidates: {len(ov.kill_candidates)}**" in md
    # heat map: one table row per active initiative
    heat = md.split("## Heat map")[1].split("## Initiatives")[0]
    rows = [line for line in heat.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + len(ov.active)


def test_csv_report_one_row_per_initiative(service: Service) -> None:
    text = service.report("csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    board = service.board()
    assert len(rows) == len(board.initiatives)
    assert {r["id"] for r in rows} == {i.id for i in board.initiatives}
    for row in rows:
        ini = service.initiative(row["id"])
        answers = board.answers_of(ini.id)
        r = scoring.readiness(answers)
        assert row["name"] == ini.name
        assert int(row["score"]) == r.total
        for c in r.categories:
            assert row[c.id] == f"{c.met}/{c.max}"
        assert row["stage_three"] == ("yes" if scoring.stage_three(ini, answers) else "no")
        history = board.histories.get(ini.id)
        assert row["kill_candidate"] == (
            "yes" if scoring.kill_candidate(ini, answers, FROZEN_TODAY, history) else "no"
        )


def test_unknown_format_is_refused(service: Service) -> None:
    with pytest.raises(BadInput, match="md, json or csv"):
        service.report("pdf")


def test_write_report_next_to_the_file(service: Service, sample_db: Path) -> None:
    path = service.write_report("md")
    assert path == sample_db.parent / "sample-report-2026-11-22.md"
    assert path.read_text(encoding="utf-8") == service.report("md")
    with pytest.raises(OutputExists) as info:  # never replaced unless asked
        service.write_report("md")
    assert info.value.path == path
    second = service.write_report("md", service.free_name(path))
    assert second.name == "sample-report-2026-11-22-2.md"
    path.write_text("old", encoding="utf-8")
    assert service.write_report("md", force=True) == path
    assert path.read_text(encoding="utf-8") == service.report("md")
    target = sample_db.parent / "out.csv"
    assert service.write_report("csv", target) == target
    assert target.read_text(encoding="utf-8") == service.report("csv")


def test_reports_on_an_empty_portfolio(empty_service: Service) -> None:
    data = json.loads(empty_service.report("json"))
    assert data["initiatives"] == [] and data["summary"]["active"] == 0
    assert "0 active initiatives" in empty_service.report("md")
    assert empty_service.report("csv").strip() == ",".join(CSV_COLUMNS)


def test_the_report_reads_the_portfolio_once(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its parts (figures, sustain rules, flow) all read one board: at 10,000 initiatives a
    second read was two seconds, and two reads could disagree if a teammate saved between."""
    before = service.report_data()
    reads: list[bool] = []
    real = service.board

    def counted(**kwargs: bool) -> Board:
        reads.append(kwargs.get("scores", False))
        return real(**kwargs)

    monkeypatch.setattr(service, "board", counted)
    assert service.report_data() == before
    assert reads == [True]
