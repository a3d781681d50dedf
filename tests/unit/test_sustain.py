"""Sustain and extend (issue 11): every rule with hand-computed cases and its boundaries.

Today is 22 November 2026 throughout; dates are written out so each case can be checked by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge_tui import method, sustain
from bridge_tui.models import Initiative

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def initiative(
    name: str = "Contract review", stage: str = "infrastructure", **kw: Any
) -> Initiative:
    kw.setdefault("stage_entered_at", date(2026, 5, 6))
    return Initiative(name=name, stage=stage, created_at=NOW, updated_at=NOW, **kw)


def facts_for(*initiatives: Initiative, **kw: Any) -> sustain.Facts:
    return sustain.facts(initiatives, kw.get("latest", {}), kw.get("plan_starts", {}))


# calendar months -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 22), 12, date(2027, 11, 22)),
        (date(2026, 11, 22), 11, date(2027, 10, 22)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_is_calendar_months(day: date, months: int, expected: date) -> None:
    assert sustain.add_months(day, months) == expected


@given(st.integers(1, 9999), st.integers(1, 12))
def test_a_months_length_is_the_calendars(year: int, month: int) -> None:
    """`add_months` counts a month's days without importing `calendar` at start-up: the same
    count, leap years and the last month of the last year included."""
    import calendar

    from bridge_tui.sustain_rules import _month_days

    assert _month_days(year, month) == calendar.monthrange(year, month)[1]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 240))
def test_add_months_never_goes_back_and_keeps_the_day_when_it_can(day: date, months: int) -> None:
    later = sustain.add_months(day, months)
    assert later >= day
    assert (later.year - day.year) * 12 + later.month - day.month == months
    if later.day != day.day:  # clamped to a shorter month's last day
        assert later.day < day.day and (later + timedelta(days=1)).day == 1


# Optimize ------------------------------------------------------------------------------------


def test_optimise_missing_lists_the_conditions_not_met_in_infrastructure_only() -> None:
    assert sustain.optimise_missing("infrastructure", {}) == ("eval_process", "improvement_shipped")
    assert sustain.optimise_missing("infrastructure", {"eval_process": "yes"}) == (
        "improvement_shipped",
    )
    assert sustain.optimise_missing(
        "infrastructure", {"eval_process": "yes", "improvement_shipped": "no"}
    ) == ("improvement_shipped",)
    both = {"eval_process": "yes", "improvement_shipped": "yes"}
    assert sustain.optimise_missing("infrastructure", both) == ()
    for stage in ("experiment", "pilot", "validate", "productionize", "killed"):
        assert sustain.optimise_missing(stage, {}) == ()


def test_optimize_report_is_null_outside_infrastructure() -> None:
    assert sustain.optimize_report("productionize", {}) is None
    assert sustain.optimize_report("infrastructure", {"eval_process": "yes"}) == {
        "optimising": False,
        "missing": ["improvement_shipped"],
    }
    both = {"eval_process": "yes", "improvement_shipped": "yes"}
    assert sustain.optimize_report("infrastructure", both) == {"optimising": True, "missing": []}


def test_the_optimize_conditions_are_the_infrastructure_exit_conditions() -> None:
    assert method.OPTIMIZE_CONDITIONS == ("eval_process", "improvement_shipped")


# Measured: stale metrics ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "stale"),
    [
        (date(2026, 10, 24), False),  # 29 days ago
        (date(2026, 10, 23), True),  # 30 days ago
        (date(2026, 10, 22), True),  # 31 days ago
        (TODAY, False),
        (date(2026, 11, 30), False),  # a reading dated in the future is not stale
    ],
)
def test_a_metric_is_stale_after_30_days_without_a_reading(last: date, stale: bool) -> None:
    assert (TODAY - date(2026, 10, 23)).days == 30
    assert sustain.metric_stale(last, TODAY) is stale


def test_stale_metrics_name_each_stale_metric_with_its_age_by_name() -> None:
    latest = {
        "Throughput": (date(2026, 10, 22), 120.0),  # 31 days
        "accuracy": (date(2026, 10, 23), 0.9),  # 30 days
        "Adoption": (date(2026, 10, 24), 55.0),  # 29 days: fresh
    }
    assert sustain.stale_metrics(latest, TODAY) == (
        sustain.StaleMetric("accuracy", date(2026, 10, 23), 30),
        sustain.StaleMetric("Throughput", date(2026, 10, 22), 31),
    )


# Maintained: committed for the next 12 months -----------------------------------------------


@pytest.mark.parametrize(
    ("until", "state"),
    [
        (None, "none"),
        (date(2026, 11, 21), "expired"),  # ended yesterday
        (TODAY, "short"),  # ends today: still running, not 12 months
        (date(2027, 10, 22), "short"),  # 11 months ahead
        (date(2027, 11, 21), "short"),  # a day short of 12 months
        (date(2027, 11, 22), "ok"),  # exactly 12 months ahead
        (date(2028, 3, 31), "ok"),
    ],
)
def test_the_maintenance_commitment_must_reach_12_months_ahead(
    until: date | None, state: str
) -> None:
    c = sustain.commitment(until, TODAY)
    assert c.state == state
    assert c.needed == date(2027, 11, 22)
    assert c.flagged is (state in ("expired", "short"))


def test_commitment_sentences_and_card_words() -> None:
    short = sustain.commitment(date(2027, 10, 22), TODAY)
    assert short.sentence() == (
        "Maintenance is committed only until 2027-10-22: under 12 months ahead "
        "(it should reach 2027-11-22)."
    )
    assert short.flag_word() == "upkeep short"
    expired = sustain.commitment(date(2026, 6, 30), TODAY)
    assert expired.sentence() == "The maintenance commitment expired on 2026-06-30."
    assert expired.flag_word() == "upkeep expired"
    ok = sustain.commitment(date(2027, 12, 31), TODAY)
    assert ok.sentence() == "Maintenance is committed until 2027-12-31, at least 12 months ahead."


# Volume --------------------------------------------------------------------------------------


def volume(value: float, entered: date, today: date = TODAY, stage: str = "infrastructure") -> Any:
    i = initiative(stage=stage, designed_volume=1000, volume_metric="Contracts per week")
    latest = {"Contracts per week": (date(2026, 11, 20), value)}
    return sustain.volume_use(i, latest, entered, today)


ENTERED = date(2025, 11, 22)  # 12 months before TODAY


def test_exactly_70_percent_is_not_under_and_69_9_is() -> None:
    assert not volume(700, ENTERED).under
    assert volume(699, ENTERED).under
    assert volume(699, ENTERED).percent == pytest.approx(69.9)
    assert not volume(1500, ENTERED).under


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 11, 21), False),  # a day short of 12 months after the entry
        (date(2026, 11, 22), False),  # exactly 12 months: not yet "more than"
        (date(2026, 11, 23), True),  # a day past
    ],
)
def test_the_volume_rule_applies_more_than_12_months_after_entering_productionize(
    today: date, due: bool
) -> None:
    use = volume(600, ENTERED, today)
    assert use.due_from == date(2026, 11, 22)
    assert use.due is due
    assert use.flagged is due


def test_only_infrastructure_is_flagged_for_volume() -> None:
    late = date(2025, 6, 1)
    assert volume(600, late).flagged
    assert not volume(600, late, stage="productionize").flagged
    assert not volume(700, late).flagged


def test_volume_needs_a_designed_volume_and_a_reading_of_its_metric() -> None:
    plain = initiative()
    assert sustain.volume_use(plain, {"Volume": (TODAY, 5.0)}, ENTERED, TODAY) is None
    named = initiative(designed_volume=200)
    # no volume metric named: the method's default name, matched in any case
    use = sustain.volume_use(named, {"volume": (TODAY, 150.0)}, ENTERED, TODAY)
    assert use is not None and use.metric == "volume" and use.percent == 75
    assert sustain.volume_use(named, {"Throughput": (TODAY, 150.0)}, ENTERED, TODAY) is None


def test_volume_sentence_and_percent_text() -> None:
    assert sustain.percent_text(69.96) == "69.9%"
    assert sustain.percent_text(70.0) == "70%"
    assert sustain.percent_text(64.0) == "64%"
    assert volume(640, date(2025, 6, 1)).sentence() == (
        "Volume 64% of the designed 1,000 (Contracts per week 640 on 2026-11-20): under 70% "
        "more than 12 months after entering Productionize (2025-06-01)."
    )
    assert volume(800, date(2025, 6, 1)).sentence() == (
        "Volume 80% of the designed 1,000 (Contracts per week 800 on 2026-11-20)."
    )


def test_the_productionize_entry_is_the_plan_start_else_the_stage_entry() -> None:
    i = initiative(stage_entered_at=date(2026, 5, 6))
    assert sustain.productionize_entry(i, date(2025, 12, 1)) == date(2025, 12, 1)
    assert sustain.productionize_entry(i, None) == date(2026, 5, 6)
    assert sustain.productionize_entry(initiative(stage="validate"), None) is None


# One use case at a time ----------------------------------------------------------------------


def test_focus_warns_from_the_second_initiative_in_productionize() -> None:
    assert not sustain.crowded(0)
    assert not sustain.crowded(1)
    assert sustain.crowded(2)
    assert sustain.focus_gate_warning("Invoice processing", []) is None
    assert sustain.focus_gate_warning("Invoice processing", ["Dispatch routing"]) == (
        "One use case at a time: Dispatch routing is already in Productionize; take one all the "
        "way through before starting Invoice processing."
    )
    two = sustain.focus_gate_warning("C", ["A", "B"])
    assert two is not None and "A and B are already" in two
    assert sustain.focus_sentence(["A", "B"]) == (
        "2 initiatives are in Productionize at once (A and B): take one use case all the way "
        "through before touching the next."
    )


# Extend --------------------------------------------------------------------------------------


def test_link_refusals() -> None:
    infra = initiative("Email triage")
    pilot = initiative("Customer service assistant", stage="pilot")
    killed = initiative("Driver safety coaching", stage="killed")
    source = initiative("Invoice processing", stage="validate")
    none: dict[str, str | None] = {}
    assert sustain.link_refusal(source.id, source.name, infra, none) is None
    assert (
        sustain.link_refusal(source.id, source.name, source, none)
        == "Invoice processing cannot build on itself."
    )
    assert sustain.link_refusal(source.id, source.name, killed, none) == (
        "Driver safety coaching is killed: new use cases build on live infrastructure only."
    )
    assert sustain.link_refusal(source.id, source.name, pilot, none) == (
        "Customer service assistant is in Pilot, not Infrastructure: only infrastructure is "
        "extended."
    )
    gone = infra.model_copy(update={"deleted": True})
    assert "killed" in (sustain.link_refusal(source.id, source.name, gone, none) or "")


def test_a_link_cannot_go_round_in_a_circle() -> None:
    a = initiative("A")
    b = initiative("B", builds_on=a.id)
    c = initiative("C", builds_on=b.id)
    chain = {i.id: i.builds_on for i in (a, b, c)}
    assert sustain.link_refusal(a.id, a.name, c, chain) == (
        "C already builds on A: a link cannot go round in a circle."
    )
    assert sustain.link_refusal(a.id, a.name, b, chain) is not None
    assert (
        sustain.link_refusal(c.id, c.name, a, chain) is None
    )  # c -> a: already the chain's direction


def test_extended_by_lists_active_extensions_in_board_order() -> None:
    infra = initiative("Email triage")
    late = initiative("Zebra desk", stage="experiment", builds_on=infra.id)
    early = initiative("Returns desk", stage="experiment", builds_on=infra.id)
    pilot = initiative("Chat replies", stage="pilot", builds_on=infra.id)
    killed = initiative("Fax desk", stage="killed", builds_on=infra.id)
    got = sustain.extended_by([infra, late, early, pilot, killed])
    assert got == {infra.id: (early.id, late.id, pilot.id)}


# One initiative ------------------------------------------------------------------------------


def test_sustain_of_an_infrastructure_initiative_with_every_flag() -> None:
    infra = initiative(
        maintenance_committed_until=date(2027, 3, 31),
        designed_volume=1000,
        volume_metric="Contracts per week",
    )
    ext = initiative("Carrier contracts", stage="pilot", builds_on=infra.id)
    latest = {
        infra.id: {
            "Contracts per week": (date(2026, 11, 20), 640.0),
            "Clause recall": (date(2026, 10, 8), 96.0),  # 45 days
        }
    }
    f = sustain.facts([infra, ext], latest, {infra.id: date(2025, 6, 1)})
    s = sustain.sustain(infra, {"eval_process": "yes"}, f, TODAY)
    assert s.flags() == (
        "not optimising",
        "metrics stale",
        "upkeep short",
        "volume 64%",
    )
    assert s.sentences()[0] == (
        "Not yet optimising: still needs improvement shipped (Optimize, the phase after the "
        "bridge)."
    )
    assert s.sentences()[1] == (
        "Metrics stale (no reading for 30 days or more, reviewed at least monthly): "
        "Clause recall 45 days."
    )
    assert s.entered_productionize == date(2025, 6, 1)
    assert s.extended_by == (sustain.Link(ext.id, "Carrier contracts", "pilot"),)
    assert s.extendable
    assert sustain.card_flags(infra, {"eval_process": "yes"}, f, TODAY) == s.flags()
    notes = s.notes({"measured": "yes", "maintained": "yes"})
    assert notes["measured"] == (
        "stale: no reading for 30 days or more: Clause recall (45 days)",
        "warn",
    )
    assert notes["maintained"][1] == "warn" and notes["maintenance_budget"][1] == "warn"


def test_a_quiet_initiative_has_no_flags_and_no_notes() -> None:
    i = initiative("Warehouse slotting", stage="experiment")
    f = facts_for(i)
    s = sustain.sustain(i, {}, f, TODAY)
    assert s.flags() == () and s.sentences() == () and not s.flagged
    assert s.notes({}) == {}
    assert sustain.card_flags(i, {}, f, TODAY) == ()
    # claiming the tests without evidence earns a muted note, never a flag
    notes = s.notes({"measured": "yes", "maintained": "yes"})
    assert notes["measured"] == ("no metric readings recorded (bridge metric add)", "muted")
    assert notes["maintained"][1] == "muted"
    assert "No end date recorded" in notes["maintained"][0]


def test_a_killed_initiative_carries_no_flag() -> None:
    i = initiative(stage="killed", maintenance_committed_until=date(2026, 1, 1))
    latest = {i.id: {"Throughput": (date(2026, 1, 1), 1.0)}}
    s = sustain.sustain(i, {}, sustain.facts([i], latest, {}), TODAY)
    assert s.commitment.state == "expired" and s.stale
    assert s.flags() == () and not s.flagged


def test_a_link_to_an_initiative_that_left_infrastructure_says_where_it_is() -> None:
    target = initiative("Email triage", stage="validate")
    source = initiative("Returns desk", stage="experiment", builds_on=target.id)
    s = sustain.sustain(source, {}, facts_for(target, source), TODAY)
    assert s.builds_on is not None
    assert s.builds_on.label() == "Email triage (now Validate)"
    orphan = initiative("Orphan", stage="experiment", builds_on=initiative("Gone").id)
    lost = sustain.sustain(orphan, {}, facts_for(orphan), TODAY).builds_on
    assert lost is not None and lost.name == "an initiative not in this file"


def test_sustain_overview_orders_and_counts() -> None:
    a = initiative("Dispatch routing", stage="productionize")
    b = initiative("Invoice processing", stage="productionize")
    c = initiative("Contract review")
    d = initiative("Email triage", stage="killed")
    ov = sustain.sustain_overview([b, c, a, d], {}, facts_for(a, b, c, d), TODAY)
    assert ov.productionize == (a.id, b.id)
    assert ov.crowded
    assert ov.infrastructure == (c.id,)
    assert ov.flagged == (c.id,)  # not optimising
    assert ov.ids_where("not_optimising") == (c.id,)
    assert ov.ids_where("metrics_stale") == ()
    single = sustain.sustain_overview([a, c], {}, facts_for(a, c), TODAY)
    assert not single.crowded
    # given the active ones in board order (as the overview's figures hold them), the same
    given = sustain.sustain_overview(
        [a, b, c], {}, facts_for(a, b, c, d), TODAY, in_board_order=True
    )
    assert given == ov._replace(by_id=given.by_id)
    assert dict(given.by_id) == dict(ov.by_id)


@given(st.integers(min_value=0, max_value=2000), st.integers(min_value=1, max_value=2000))
def test_under_agrees_with_the_shown_percent(latest: int, designed: int) -> None:
    i = initiative(designed_volume=designed)
    use = sustain.volume_use(i, {"Volume": (TODAY, float(latest))}, ENTERED, TODAY)
    assert use is not None
    assert use.under is (latest * 100 < 70 * designed)
    if use.under:
        assert float(sustain.percent_text(use.percent).rstrip("%")) < 70
    if latest * 100 >= 70 * designed:
        assert float(sustain.percent_text(use.percent).rstrip("%")) >= 70


def test_every_threshold_lives_in_the_method() -> None:
    assert method.METRICS_STALE_DAYS == 30
    assert method.MAINTENANCE_COMMIT_MONTHS == 12
    assert method.VOLUME_FLOOR_PERCENT == 70
    assert method.VOLUME_AFTER_MONTHS == 12
    assert method.FOCUS_MAX_PRODUCTIONIZE == 1
