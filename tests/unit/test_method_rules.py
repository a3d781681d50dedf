"""Issue 11, "rules that are wrong today": each rule against hand-computed cases.

Pure: stage histories are built by hand (the service reads them from the change log), `today`
is passed in. Service and CLI cases live in tests/test_method_rules_cli.py.
"""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bridge_tui import method, ownership, scoring, stage_history
from bridge_tui.models import Initiative
from bridge_tui.stage_history import StageEvent
from tests.unit.gates import EVERYTHING, ITEMS, REAL, dispatch_routing, exits

TODAY = date(2026, 11, 22)
D0 = date(2026, 1, 1)


def ini(stage: str = "experiment", entered: date = TODAY, **kw: Any) -> Initiative:
    return dispatch_routing(stage, entered, **kw)


def day(n: int) -> date:
    return D0 + timedelta(days=n)


def history(*steps: tuple[int, str]) -> tuple[StageEvent, ...]:
    """(day number, stage) steps from D0."""
    return tuple(StageEvent(day(n), s) for n, s in steps)


# 5. Pilot purgatory: Pilot and Validate together, from the change log ------------------------


@pytest.mark.parametrize(
    ("today", "days", "flagged"), [(179, 179, False), (180, 180, False), (181, 181, True)]
)
def test_purgatory_runs_on_across_pilot_to_validate(today: int, days: int, flagged: bool) -> None:
    # 100 days in Pilot, then Validate: the count does not restart at the move
    h = history((0, "experiment"), (10, "pilot"), (110, "validate"))
    i = ini("validate", day(110))
    assert scoring.days_in_stage(i, day(today + 10)) == today - 100
    assert scoring.purgatory_days(i, day(today + 10), h) == days
    assert scoring.in_purgatory(i, day(today + 10), h) is flagged


@pytest.mark.parametrize(("today", "flagged"), [(179, False), (180, False), (181, True)])
def test_purgatory_runs_on_across_validate_to_pilot(today: int, flagged: bool) -> None:
    # Pilot 50 days, Validate 70 days, back to Pilot: one count from the first entry
    h = history((0, "pilot"), (50, "validate"), (120, "pilot"))
    i = ini("pilot", day(120))
    assert scoring.purgatory_days(i, day(today), h) == today
    assert scoring.in_purgatory(i, day(today), h) is flagged


def test_issue_example_150_in_pilot_then_100_in_validate_is_250() -> None:
    h = history((0, "experiment"), (1, "pilot"), (151, "validate"))
    assert scoring.purgatory_days(ini("validate", day(151)), day(251), h) == 250


def test_purgatory_stops_above_and_resumes_on_the_way_back_down() -> None:
    # 150 days below, 50 days in Productionize (not counted), back to Validate for 31 days
    h = history((0, "pilot"), (100, "validate"), (150, "productionize"), (200, "validate"))
    i = ini("validate", day(200))
    assert scoring.purgatory_days(ini("productionize", day(150)), day(199), h[:3]) == 0
    assert scoring.purgatory_days(i, day(230), h) == 180
    assert scoring.purgatory_days(i, day(231), h) == 181
    assert scoring.in_purgatory(i, day(231), h)


def test_a_new_entry_from_below_restarts_the_count() -> None:
    # 100 days in Pilot, back to Experiment, into Pilot again: only the new stint counts
    h = history((0, "pilot"), (100, "experiment"), (110, "pilot"))
    i = ini("pilot", day(110))
    assert scoring.purgatory_days(i, day(290), h) == 180
    assert not scoring.in_purgatory(i, day(290), h)


def test_a_revival_restarts_the_count_and_a_kill_stops_it() -> None:
    h = history((0, "pilot"), (200, "killed"), (250, "pilot"))
    assert scoring.purgatory_days(ini("killed", day(200)), day(249), h[:2]) == 0
    assert scoring.purgatory_days(ini("pilot", day(250)), day(300), h) == 50


def test_without_a_log_the_stored_stage_and_day_stand_in() -> None:
    i = ini("validate", day(0))
    assert scoring.purgatory_days(i, day(181)) == 181
    # a log that does not end in the stored stage is closed by it
    assert scoring.history_of(i, history((0, "pilot"))) == history((0, "pilot"), (0, "validate"))


def test_replay_reads_the_change_log_rows() -> None:
    rows: list[stage_history.StageRow] = [
        ("a", "t1", "*", "experiment", "2026-01-01"),
        ("a", "t2", "stage", "pilot", None),
        ("a", "t2", "stage_entered_at", None, "2026-01-11"),
        # a second move on the same day changes no day: the carried-over day is right
        ("a", "t3", "stage", "validate", None),
        ("a", "t4", "owner", None, None),  # not a move
        ("b", "t5", "*", "pilot", "2026-03-01"),
    ]
    got = stage_history.replay(rows)
    assert got["a"] == (
        StageEvent(date(2026, 1, 1), "experiment"),
        StageEvent(date(2026, 1, 11), "pilot"),
        StageEvent(date(2026, 1, 11), "validate"),
    )
    assert got["b"] == (StageEvent(date(2026, 3, 1), "pilot"),)


def test_replay_skips_malformed_days() -> None:
    rows: list[stage_history.StageRow] = [("a", "t1", "*", "pilot", "not a day")]
    assert stage_history.replay(rows) == {}


@pytest.mark.parametrize("stage", ["experiment", "productionize", "infrastructure", "killed"])
def test_purgatory_only_in_pilot_and_validate(stage: str) -> None:
    h = history((0, "pilot"), (500, stage))
    assert scoring.purgatory_days(ini(stage, day(500)), day(900), h) == 0


# 6. Review overdue counts from the last review ----------------------------------------------


@pytest.mark.parametrize(("ago", "overdue"), [(90, False), (91, True)])
def test_review_overdue_from_the_last_review_after_a_recent_reentry(
    ago: int, overdue: bool
) -> None:
    # re-entered Infrastructure 5 days ago; the last review is `ago` days old
    i = ini("infrastructure", TODAY - timedelta(5), last_review_at=TODAY - timedelta(ago))
    assert scoring.days_since_review(i, TODAY) == ago
    assert scoring.review_overdue(i, TODAY) is overdue


@pytest.mark.parametrize(("ago", "overdue"), [(90, False), (91, True)])
def test_never_reviewed_counts_from_the_entry(ago: int, overdue: bool) -> None:
    i = ini("infrastructure", TODAY - timedelta(ago))
    assert scoring.review_overdue(i, TODAY) is overdue


def test_issue_example_review_242_days_old() -> None:
    i = ini("infrastructure", TODAY - timedelta(30), last_review_at=TODAY - timedelta(242))
    assert scoring.review_overdue(i, TODAY)


# 7. False signals: any marked means not ready ------------------------------------------------


@pytest.mark.parametrize("false", [s.id for s in method.FALSE_SIGNALS])
def test_four_real_signals_and_one_false_is_not_ready(false: str) -> None:
    v = scoring.scale_verdict({**REAL, false: "yes"})
    assert (v.ready, v.missing, v.false_signals, v.warning) == (False, (), (false,), False)
    assert v.sentence().startswith("Not ready: false signals are marked: ")
    assert method.SIGNAL_BY_ID[false].why_not in v.sentence()


def test_issue_example_executive_pressure() -> None:
    v = scoring.scale_verdict({**REAL, "executive_pressure": "yes"})
    assert v.sentence() == (
        "Not ready: false signals are marked: executive pressure (pressure to announce progress "
        "is theatre, not readiness)."
    )
    assert not v.ready and v.band == "fail"


def test_false_signal_with_a_real_one_missing_warns() -> None:
    v = scoring.scale_verdict({**REAL, "integration_plan": "no", "vendor_readiness": "yes"})
    assert v.warning and not v.ready and v.band == "warn"
    assert v.sentence() == (
        "Warning: the push rests on false signals, not readiness: vendor readiness (the "
        "vendor's readiness is not yours); still missing integration plan."
    )


def test_false_signals_answered_no_or_unknown_are_not_marked() -> None:
    answers = {**REAL, "enthusiasm": "no", "executive_pressure": "unknown"}
    v = scoring.scale_verdict(answers)
    assert v.ready and v.false_signals == ()
    assert v.sentence() == f"Ready to start the {method.PLAN_DAYS}-day bridge."


def test_the_productionize_gate_lists_a_marked_false_signal() -> None:
    answers = {**exits("experiment", "pilot", "validate"), **REAL, "enthusiasm": "yes"}
    check = scoring.gate_check("validate", "productionize", answers)
    assert not check.allowed and check.unmet == ("enthusiasm",)
    assert check.lines() == (
        "False signal marked 'Enthusiasm': excitement is energy, not readiness; ready means "
        "none is marked",
    )
    answers["enthusiasm"] = "no"
    assert scoring.gate_check("validate", "productionize", answers).allowed


# 8. Owned: a named owner, not the pilot builder, not a group ---------------------------------


@pytest.mark.parametrize(
    ("owner", "builder", "kind"),
    [
        ("", "", "no_owner"),
        ("   ", "Lars Eriksen", "no_owner"),
        ("Lars Eriksen", "Lars Eriksen", "pilot_builder"),
        ("lars  eriksen", "Lars Eriksen", "pilot_builder"),  # any case and spacing
        ("AI committee", "", "group"),
        ("Ana and Ben", "", "group"),
        ("Ana & Ben", "", "group"),
        ("Ana, Ben", "", "group"),
        ("Ana/Ben", "", "group"),
        ("Ops team", "", "group"),
        ("Steering Board", "", "group"),
        ("Data council", "", "group"),
        ("Platform group", "", "group"),
        ("Priya Natarajan", "Lars Eriksen", None),
        ("Sandra Andersen", "", None),  # "and" inside names is not a joiner
        ("Alexander Teamson", "", None),  # "team" inside a name is not a group
        ("Tomás Herrera", "", None),
    ],
)
def test_owner_issue(owner: str, builder: str, kind: str | None) -> None:
    issue = ownership.owner_issue(ini(owner=owner, pilot_builder=builder))
    assert (issue.kind if issue else None) == kind


@pytest.mark.parametrize(
    ("owner", "builder"),
    [("", ""), ("Lars Eriksen", "Lars Eriksen"), ("AI committee", ""), ("Ana and Ben", "")],
)
def test_owned_and_operational_owner_do_not_hold_without_a_proper_owner(
    owner: str, builder: str
) -> None:
    i = ini("infrastructure", owner=owner, pilot_builder=builder)
    answers = {**EVERYTHING}
    c = scoring.card(i, answers, TODAY)
    assert c.tests["owned"] is False and not c.stage_three
    assert c.scale.missing == ("operational_owner",) and not c.scale.ready
    assert c.owner_issue is not None and c.scale.owner_note == c.owner_issue.sentence()
    assert scoring.what_blocks(i, answers) == ("owned",)
    # the gate into Infrastructure explains why `owned` is unmet although answered yes
    check = scoring.move_check(i.model_copy(update={"stage": "productionize"}), i.stage, answers)
    assert check.unmet == ("owned",)
    assert check.lines()[0].endswith(f"({c.owner_issue.sentence()})")


def test_owned_holds_with_a_named_person_who_did_not_build_the_pilot() -> None:
    i = ini("infrastructure", owner="Tomás Herrera", pilot_builder="Lars Eriksen")
    c = scoring.card(i, EVERYTHING, TODAY)
    assert c.tests["owned"] is True and c.stage_three and c.scale.ready
    assert c.owner_issue is None


def test_an_unanswered_owned_test_stays_unanswered() -> None:
    c = scoring.card(ini("infrastructure"), {}, TODAY)
    assert c.tests["owned"] is None


def test_the_report_no_longer_counts_a_committee_owned_initiative_as_infrastructure() -> None:
    good = ini("infrastructure", owner="Tomás Herrera")
    group = ini("infrastructure", owner="AI committee").model_copy(update={"name": "Email"})
    answers = {good.id: EVERYTHING, group.id: EVERYTHING}
    ov = scoring.overview([good, group], answers, TODAY)
    assert ov.infrastructure == (good.id,)
    promoted = {p.initiative_id: p for p in ov.promoted}
    assert promoted[good.id].has_owner and not promoted[good.id].missing
    assert not promoted[group.id].has_owner and promoted[group.id].missing == ("owner",)
    assert "reads as a group" in promoted[group.id].owner_note


# 9. Weakest areas: only categories below full marks ------------------------------------------


def test_full_marks_has_no_weak_areas() -> None:
    r = scoring.readiness(ITEMS)
    assert (r.total, r.weakest) == (20, ())


def test_one_point_short_has_one_weak_area() -> None:
    r = scoring.readiness({**ITEMS, "S2": "no"})
    assert (r.total, r.weakest) == (19, ("security",))


def test_two_categories_short_have_two_weak_areas() -> None:
    r = scoring.readiness({**ITEMS, "O1": "unknown", "T1": "no"})
    # operations 4/5 = 80%, team 2/3 = 67%: team first
    assert r.weakest == ("team", "operations")


# 3. The forced mark stays while the gates into the stage are unmet ---------------------------


def test_forced_mark_while_any_gate_into_the_stage_is_unmet() -> None:
    i = ini("validate", forced_reason="CEO demo")
    assert scoring.forced_mark(i, {}) == "CEO demo"
    # the gate into Validate itself is met, but Pilot's was skipped: still forced
    assert scoring.forced_mark(i, exits("pilot")) == "CEO demo"
    assert scoring.forced_mark(i, exits("experiment", "pilot")) == ""
    c = scoring.card(i, {}, TODAY)
    assert c.forced and c.forced_reason == "CEO demo"


def test_forced_mark_needs_a_forced_reason_and_a_gated_stage() -> None:
    assert scoring.forced_mark(ini("validate"), {}) == ""
    assert scoring.forced_mark(ini("experiment", forced_reason="x"), {}) == ""
    assert scoring.forced_mark(ini("killed", forced_reason="x"), {}) == ""


def test_forced_mark_in_infrastructure_needs_the_owner_rule_too() -> None:
    i = ini("infrastructure", forced_reason="legacy", owner="AI committee")
    assert scoring.forced_mark(i, EVERYTHING) == "legacy"
    assert scoring.forced_mark(i.model_copy(update={"owner": "Mei Chen"}), EVERYTHING) == ""


# 1 and 2. Entry from the start; multi-stage moves pass through Productionize -----------------


def test_entry_check_is_every_gate_from_experiment() -> None:
    check = scoring.entry_check(ini("validate"), {})
    assert check.gates == ("pilot", "validate")
    assert check.unmet == tuple(
        e.id for s in ("experiment", "pilot") for e in method.exit_conditions_for(s)
    )
    assert scoring.entry_check(ini("experiment"), {}).allowed
    assert scoring.entry_check(ini("killed"), {}).allowed


@pytest.mark.parametrize(
    ("source", "target", "passes"),
    [
        ("validate", "infrastructure", True),
        ("experiment", "infrastructure", True),
        ("validate", "productionize", True),
        ("infrastructure", "productionize", True),  # a move back into it enters it again
        ("killed", "infrastructure", True),
        ("productionize", "infrastructure", False),
        ("experiment", "validate", False),
        ("productionize", "killed", False),
    ],
)
def test_moves_that_enter_productionize_on_the_way(source: str, target: str, passes: bool) -> None:
    assert scoring.gate_check(source, target, EVERYTHING).passes_productionize is passes


# Where rules live: every number in method.py, none typed into display text -------------------

_PACKAGE = Path(method.__file__).resolve().parent
#: numbers of the method that display text must format from `method`, never type
_TYPED = re.compile(
    r"(\b\d+/20\b|/20\b|\b180\b|\b90 days\b|\b90-day\b|\b30 ?%|\b30 percent|\b3x\b|"
    r"\b14/20\b|\b8/20\b|\b12 months\b|\b70 ?%|\b4 readings\b)"
)


def _display_strings(path: Path) -> list[tuple[int, str]]:
    """String constants (f-string pieces too) of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docs.add(id(value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
    ]


def _presentation_files() -> list[Path]:
    files = [p for sub in ("tui", "cli") for p in (_PACKAGE / sub).rglob("*.py")]
    files += [*(_PACKAGE / "scoring").glob("*.py"), _PACKAGE / "ownership.py"]
    files += sorted((_PACKAGE / "service").glob("*.py"))
    return sorted(files)


def test_no_display_text_types_a_number_of_the_method() -> None:
    typed = [
        f"{p.relative_to(_PACKAGE)}:{line}: {text!r}"
        for p in _presentation_files()
        for line, text in _display_strings(p)
        if _TYPED.search(text)
    ]
    assert typed == []


def test_the_numbers_are_the_domains() -> None:
    assert (method.PURGATORY_DAYS, method.REVIEW_DAYS, method.BUDGET_MULTIPLE) == (180, 90, 3)
    assert (method.PASSING_SCORE, method.MAX_SCORE, method.KILL_SCORE_FLOOR) == (14, 20, 8)
    assert (method.KILL_AFTER_DAYS, method.ADOPTION_FLOOR, method.COMMITMENT_MONTHS) == (
        180,
        30.0,
        12,
    )
    assert method.PLAN_NAME == "90-day plan"


def test_scoring_decides_with_the_numbers_in_method(monkeypatch: pytest.MonkeyPatch) -> None:
    """Change a number in method.py and the rule and its words follow: nothing else holds it."""
    h = history((0, "pilot"))
    i = ini("pilot", day(0), pilot_budget=10_000, integration_budget=35_000)
    assert not scoring.in_purgatory(i, day(150), h)
    assert not scoring.budget_warning(i)
    monkeypatch.setattr(method, "PURGATORY_DAYS", 120)
    monkeypatch.setattr(method, "BUDGET_MULTIPLE", 4)
    monkeypatch.setattr(method, "REVIEW_DAYS", 30)
    assert scoring.in_purgatory(i, day(150), h)
    assert scoring.budget_warning(i)
    assert "under 4x the pilot budget (40,000)" in scoring.budget_warning_text(i)
    infra = ini("infrastructure", TODAY - timedelta(31))
    assert scoring.review_overdue(infra, TODAY)
