"""The shared scoring module: every rule of domain.md and its boundaries.

Answer maps are plain dicts here (key -> "yes"/"no"/"unknown"); `today` is always passed in.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bridge_tui import method, scoring
from bridge_tui.models import Answer, Initiative, MetricReading
from tests.unit.gates import EVERYTHING, ITEMS, REAL, TESTS, dispatch_routing, exits, yes

TODAY = date(2026, 11, 22)
ITEM_IDS = [i.id for i in method.ITEMS]
CATEGORY_IDS = [c.id for c in method.CATEGORIES]


def initiative(stage: str = "experiment", days: int = 0, **kw: Any) -> Initiative:
    return dispatch_routing(stage, TODAY - timedelta(days=days), **kw)


ALL_ITEMS = ITEMS

answer_values = st.sampled_from(["yes", "no", "unknown", "absent"])


def answer_maps(keys: list[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({k: answer_values for k in keys}).map(
        lambda d: {k: v for k, v in d.items() if v != "absent"}
    )


# Readiness score -----------------------------------------------------------------------------


def test_nothing_answered() -> None:
    r = scoring.readiness({})
    assert (r.total, r.max, r.threshold, r.passing) == (0, 20, 14, False)
    assert r.unanswered == 20 and r.not_met == 0
    assert r.unmet == tuple(ITEM_IDS)
    # Every category at 0%: ties broken by the order of the table.
    assert r.weakest == ("data", "governance", "operations")
    assert r.band == "fail"


def test_everything_met() -> None:
    r = scoring.readiness(ALL_ITEMS)
    assert (r.total, r.passing, r.unanswered, r.not_met, r.unmet) == (20, True, 0, 0, ())
    assert r.weakest == ()  # a category at full marks is not weak
    assert [(c.id, c.met, c.max) for c in r.categories] == [
        ("data", 5, 5),
        ("governance", 4, 4),
        ("operations", 5, 5),
        ("security", 3, 3),
        ("team", 3, 3),
    ]
    assert r.band == "pass"


def test_passing_boundary_13_vs_14() -> None:
    thirteen = scoring.readiness(yes(*ITEM_IDS[:13]))
    fourteen = scoring.readiness(yes(*ITEM_IDS[:14]))
    assert (thirteen.total, thirteen.passing) == (13, False)
    assert (fourteen.total, fourteen.passing) == (14, True)
    assert scoring.readiness(yes(*ITEM_IDS[:15])).passing


def test_unanswered_kept_apart_from_not_met() -> None:
    answers = {"D1": "yes", "D2": "no", "D3": "unknown", "G1": "no"}
    r = scoring.readiness(answers)
    assert r.total == 1
    assert r.not_met == 2  # D2, G1 answered "no"
    assert r.unanswered == 17  # D3 "unknown" and the 16 never answered
    data = r.category("data")
    assert (data.met, data.max, data.unanswered) == (1, 5, 3)
    assert r.category("governance").unanswered == 3
    # "unmet" lists both kinds, in table order.
    assert r.unmet[:4] == ("D2", "D3", "D4", "D5")
    assert "D1" not in r.unmet and "G1" in r.unmet


def test_other_keys_do_not_count() -> None:
    r = scoring.readiness({**TESTS, **REAL, **exits(*method.FLOW)})
    assert r.total == 0 and r.unanswered == 20


def test_category_points() -> None:
    r = scoring.readiness(yes("D1", "D2", "G4", "O1", "O2", "O3", "S3", "T1", "T2", "T3"))
    assert {c.id: (c.met, c.max) for c in r.categories} == {
        "data": (2, 5),
        "governance": (1, 4),
        "operations": (3, 5),
        "security": (1, 3),
        "team": (3, 3),
    }
    # governance 25%, security 33%, data 40%
    assert r.weakest == ("governance", "security", "data")


def test_weakest_ties_broken_by_category_order() -> None:
    # data 1/5 = 20%, governance 0/4, operations 1/5 = 20%, security 0/3, team 1/3
    r = scoring.readiness(yes("D5", "O3", "T2"))
    assert r.weakest == ("governance", "security", "data")
    # Reversed position in the dict makes no difference.
    r2 = scoring.readiness(dict(reversed(list(yes("D5", "O3", "T2").items()))))
    assert r2.weakest == r.weakest
    r3 = scoring.readiness({**ALL_ITEMS, "G1": "no", "G2": "no", "T1": "no", "D1": "no"})
    # governance 50%, team 66.7%, data 80%
    assert r3.weakest == ("governance", "team", "data")


def test_weakest_equal_shares_across_sizes() -> None:
    # data 0/5, operations 0/5, security 0/3 are all 0%; the others are full.
    answers = yes(*(i.id for i in method.ITEMS if i.category in ("governance", "team")))
    assert scoring.readiness(answers).weakest == ("data", "operations", "security")


@settings(max_examples=200, deadline=None, database=None)
@given(answer_maps(ITEM_IDS))
def test_readiness_properties(answers: dict[str, str]) -> None:
    r = scoring.readiness(answers)
    values = [answers.get(i, "unknown") for i in ITEM_IDS]
    assert r.total == values.count("yes")
    assert r.not_met == values.count("no")
    assert r.unanswered == values.count("unknown")
    assert r.total + r.not_met + r.unanswered == 20
    assert r.passing == (r.total >= 14)
    assert r.unmet == tuple(i for i in ITEM_IDS if answers.get(i) != "yes")
    assert sum(c.met for c in r.categories) == r.total
    share = {c.id: c.met / c.max for c in r.categories}
    below_full = [c for c in CATEGORY_IDS if share[c] < 1]
    assert len(r.weakest) == min(3, len(below_full)) == len(set(r.weakest))
    order = sorted(below_full, key=lambda c: (share[c], CATEGORY_IDS.index(c)))
    assert r.weakest == tuple(order[:3])
    assert all(share[c] < 1 for c in r.weakest)
    # No category outside the three is weaker than any inside.
    if r.weakest:
        worst_kept = max(share[c] for c in r.weakest)
        assert all(share[c] >= worst_kept for c in CATEGORY_IDS if c not in r.weakest)


# The four tests and stage three --------------------------------------------------------------


def test_tests_are_tristate() -> None:
    got = scoring.tests({"embedded": "yes", "owned": "no", "measured": "unknown"})
    assert got == {"embedded": True, "owned": False, "measured": None, "maintained": None}
    assert list(got) == ["embedded", "owned", "measured", "maintained"]
    assert not scoring.all_tests_pass({"embedded": "yes"})
    assert scoring.all_tests_pass(TESTS)


def test_stage_three_needs_infrastructure_and_all_four_tests() -> None:
    owned = {"owner": "Tomás Herrera"}
    assert scoring.stage_three(initiative("infrastructure", **owned), TESTS)
    assert not scoring.stage_three(initiative("productionize", **owned), TESTS)
    assert not scoring.stage_three(initiative("killed", **owned), TESTS)
    for t in method.TESTS:
        ini = initiative("infrastructure", **owned)
        assert not scoring.stage_three(ini, {**TESTS, t.id: "no"})
        assert not scoring.stage_three(ini, {**TESTS, t.id: "unknown"})
    # `owned` answered yes holds only with a named owner on record
    assert not scoring.stage_three(initiative("infrastructure"), TESTS)


# Readiness to scale --------------------------------------------------------------------------


def test_scale_ready_with_all_four_real_signals() -> None:
    v = scoring.scale_verdict(REAL)
    assert (v.ready, v.missing, v.false_signals, v.warning) == (True, (), (), False)
    assert v.band == "pass"
    assert v.sentence() == "Ready to start the 90-day bridge."


def test_scale_not_ready_with_a_false_signal_marked() -> None:
    # seed 1: "the four real signals and none of the three false ones"
    v = scoring.scale_verdict({**REAL, "enthusiasm": "yes"})
    assert not v.ready and not v.warning and v.band == "fail"
    assert v.false_signals == ("enthusiasm",) and v.missing == ()
    assert v.sentence() == (
        "Not ready: false signals are marked: enthusiasm (excitement is energy, not readiness)."
    )


@pytest.mark.parametrize("signal", [s.id for s in method.REAL_SIGNALS])
def test_scale_missing_each_real_signal(signal: str) -> None:
    for value in ("no", "unknown"):
        v = scoring.scale_verdict({**REAL, signal: value})
        assert not v.ready and v.missing == (signal,) and not v.warning
        assert v.band == "fail"
    assert scoring.scale_verdict({k: v for k, v in REAL.items() if k != signal}).missing == (
        signal,
    )


def test_scale_missing_in_table_order() -> None:
    v = scoring.scale_verdict(yes("integration_plan"))
    assert v.missing == ("stable_performance", "operational_owner", "maintenance_budget")
    assert v.sentence() == (
        "Not ready: missing stable performance, operational owner, maintenance budget."
    )


def test_scale_warns_when_false_signals_push_without_readiness() -> None:
    answers = {
        "vendor_readiness": "yes",
        "enthusiasm": "yes",
        "executive_pressure": "no",
        "stable_performance": "yes",
    }
    v = scoring.scale_verdict(answers)
    assert not v.ready and v.warning
    assert v.false_signals == ("enthusiasm", "vendor_readiness")  # table order
    assert v.missing == ("operational_owner", "integration_plan", "maintenance_budget")
    assert v.band == "warn"
    assert v.sentence() == (
        "Warning: the push rests on false signals, not readiness: enthusiasm (excitement is "
        "energy, not readiness); vendor readiness (the vendor's readiness is not yours); still "
        "missing operational owner, integration plan, maintenance budget."
    )


def test_false_signals_answered_no_do_not_warn() -> None:
    v = scoring.scale_verdict(dict.fromkeys(("enthusiasm", "executive_pressure"), "no"))
    assert v.false_signals == () and not v.warning


@settings(max_examples=200, deadline=None, database=None)
@given(answer_maps([s.id for s in method.SIGNALS]))
def test_scale_properties(answers: dict[str, str]) -> None:
    v = scoring.scale_verdict(answers)
    real = [s.id for s in method.REAL_SIGNALS]
    false = [s.id for s in method.FALSE_SIGNALS]
    assert v.missing == tuple(s for s in real if answers.get(s) != "yes")
    assert v.false_signals == tuple(s for s in false if answers.get(s) == "yes")
    assert v.ready == (not v.missing and not v.false_signals)
    assert v.warning == (bool(v.false_signals) and bool(v.missing))


# Gates ---------------------------------------------------------------------------------------

PAIRS = [(a, b) for a in method.STAGE_IDS for b in method.STAGE_IDS]


def expected_gates(source: str, target: str) -> tuple[str, ...]:
    if target == "killed" or source == target:
        return ()
    start = "experiment" if source == "killed" else source
    si, ti = method.FLOW.index(start), method.FLOW.index(target)
    return method.FLOW[si + 1 : ti + 1] if ti > si else ()


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_stage_pair_with_nothing_answered(source: str, target: str) -> None:
    check = scoring.gate_check(source, target, {})
    gates = expected_gates(source, target)
    assert (check.source, check.target) == (source, target)
    assert check.gates == gates
    assert check.allowed == (not gates)
    assert bool(check.unmet) == bool(gates)
    backward = (
        source != "killed"
        and target != "killed"
        and method.FLOW.index(target) < method.FLOW.index(source)
    )
    assert check.backward == backward
    if gates:
        # With nothing answered, every exit condition on the way is unmet.
        for g in gates:
            before = method.previous_stage(g)
            assert before is not None
            for e in method.exit_conditions_for(before):
                assert e.id in check.unmet


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_every_stage_pair_with_everything_met(source: str, target: str) -> None:
    check = scoring.gate_check(source, target, EVERYTHING)
    assert check.allowed and check.unmet == ()
    assert check.gates == expected_gates(source, target)


GATE_NEEDS = {
    "pilot": ["scoped", "team_assigned"],
    "validate": ["accuracy_on_real_data", "business_case_reviewed"],
    "productionize": [
        "usage_data_30d",
        "failure_modes_known",
        "incident_recovered",
        "stable_performance",
        "operational_owner",
        "integration_plan",
        "maintenance_budget",
    ],
    "infrastructure": [
        "unattended_30d",
        "dashboards",
        "on_call",
        "embedded",
        "owned",
        "measured",
        "maintained",
        "readiness",
    ],
}


@pytest.mark.parametrize("target", list(GATE_NEEDS))
def test_single_gate_lists_every_requirement_in_table_order(target: str) -> None:
    source = method.previous_stage(target)
    assert source is not None
    check = scoring.gate_check(source, target, {})
    assert list(check.unmet) == GATE_NEEDS[target]
    assert check.gates == (target,)


@pytest.mark.parametrize("target", list(GATE_NEEDS))
@pytest.mark.parametrize("missing", range(8))
def test_single_gate_each_requirement_alone_blocks(target: str, missing: int) -> None:
    needs = GATE_NEEDS[target]
    if missing >= len(needs):
        return
    source = method.previous_stage(target)
    assert source is not None
    key = needs[missing]
    answers = dict(EVERYTHING)
    if key == "readiness":
        answers.update({i: "no" for i in ITEM_IDS[13:]})  # 13 of 20
    else:
        answers[key] = "no"
    check = scoring.gate_check(source, target, answers)
    assert not check.allowed and check.unmet == (key,)
    # "unknown" blocks exactly like "no".
    if key != "readiness":
        answers[key] = "unknown"
        assert scoring.gate_check(source, target, answers).unmet == (key,)


def test_gate_does_not_ask_for_the_target_stages_own_exits() -> None:
    answers = {**exits("experiment"), **{e: "no" for e in GATE_NEEDS["validate"]}}
    assert scoring.gate_check("experiment", "pilot", answers).allowed


def test_infrastructure_gate_readiness_boundary() -> None:
    base = {**exits("productionize"), **TESTS}
    at_13 = scoring.gate_check("productionize", "infrastructure", {**base, **yes(*ITEM_IDS[:13])})
    at_14 = scoring.gate_check("productionize", "infrastructure", {**base, **yes(*ITEM_IDS[:14])})
    assert at_13.unmet == ("readiness",) and not at_13.allowed
    assert at_14.unmet == () and at_14.allowed


def test_false_signals_do_not_open_the_productionize_gate() -> None:
    answers = {**exits("validate"), **yes("enthusiasm", "executive_pressure", "vendor_readiness")}
    check = scoring.gate_check("validate", "productionize", answers)
    # the real signals are missing, and each marked false signal is listed against it too
    assert check.unmet == tuple(s.id for s in method.SIGNALS)


def test_multi_stage_move_passes_every_gate() -> None:
    check = scoring.gate_check("experiment", "infrastructure", {})
    assert check.gates == ("pilot", "validate", "productionize", "infrastructure")
    assert list(check.unmet) == [k for g in check.gates for k in GATE_NEEDS[g]]
    # One missing exit condition early on blocks a long jump.
    answers = {**EVERYTHING, "team_assigned": "no"}
    long = scoring.gate_check("experiment", "infrastructure", answers)
    assert not long.allowed and long.unmet == ("team_assigned",)
    assert scoring.gate_check("pilot", "infrastructure", answers).allowed


def test_multi_stage_unmet_has_no_duplicates() -> None:
    check = scoring.gate_check("experiment", "infrastructure", {})
    assert len(check.unmet) == len(set(check.unmet))


FORWARD = [
    (a, b) for a in method.FLOW for b in method.FLOW if method.FLOW.index(b) > method.FLOW.index(a)
]
GATE_KEYS = [
    *(e.id for e in method.EXIT_CONDITIONS),
    *(s.id for s in method.SIGNALS),
    *(t.id for t in method.TESTS),
]


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.sampled_from(FORWARD + [("killed", s) for s in method.FLOW]),
    answer_maps(GATE_KEYS),
    st.integers(0, 20),
)
def test_multi_stage_equals_all_single_gates(
    pair: tuple[str, str], answers: dict[str, str], n_items: int
) -> None:
    source, target = pair
    answers = {**answers, **yes(*ITEM_IDS[:n_items])}
    check = scoring.gate_check(source, target, answers)
    singles = [scoring.gate_check(method.previous_stage(g) or "", g, answers) for g in check.gates]
    assert check.allowed == all(s.allowed for s in singles)
    assert list(check.unmet) == [k for s in singles for k in s.unmet]


def test_backward_moves_and_kills_have_no_gate() -> None:
    back = scoring.gate_check("infrastructure", "experiment", {})
    assert back.allowed and back.backward and back.unmet == () and back.gates == ()
    for source in method.STAGE_IDS:
        kill = scoring.gate_check(source, "killed", {})
        assert kill.allowed and not kill.backward and kill.gates == ()


def test_revive_applies_the_gates_from_the_start() -> None:
    assert scoring.gate_check("killed", "experiment", {}).allowed
    into_pilot = scoring.gate_check("killed", "pilot", {})
    assert into_pilot.unmet == ("scoped", "team_assigned") and not into_pilot.backward
    into_validate = scoring.gate_check("killed", "validate", exits("experiment"))
    assert into_validate.unmet == ("accuracy_on_real_data", "business_case_reviewed")
    assert scoring.gate_check("killed", "infrastructure", EVERYTHING).allowed


def test_unknown_stage_is_an_error() -> None:
    with pytest.raises(ValueError):
        scoring.gate_check("pilot", "done", {})
    with pytest.raises(ValueError):
        scoring.gate_check("limbo", "pilot", {})


def test_next_gate() -> None:
    for stage in ("experiment", "pilot", "validate", "productionize"):
        ng = scoring.next_gate(initiative(stage), {})
        assert ng is not None and ng.target == method.next_stage(stage)
    assert scoring.next_gate(initiative("infrastructure"), {}) is None
    assert scoring.next_gate(initiative("killed"), {}) is None


# Time-based flags ----------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["pilot", "validate"])
def test_purgatory_boundary_180_vs_181(stage: str) -> None:
    assert not scoring.in_purgatory(initiative(stage, days=180), TODAY)
    assert scoring.in_purgatory(initiative(stage, days=181), TODAY)
    assert scoring.days_in_stage(initiative(stage, days=181), TODAY) == 181


@pytest.mark.parametrize("stage", ["experiment", "productionize", "infrastructure", "killed"])
def test_purgatory_only_in_pilot_and_validate(stage: str) -> None:
    assert not scoring.in_purgatory(initiative(stage, days=900), TODAY)


def test_days_in_stage_never_negative() -> None:
    assert scoring.days_in_stage(initiative("pilot", days=-3), TODAY) == 0


def test_review_overdue_boundary_90_vs_91() -> None:
    def infra(review_ago: int) -> Initiative:
        return initiative("infrastructure", days=400, last_review_at=TODAY - timedelta(review_ago))

    assert not scoring.review_overdue(infra(90), TODAY)
    assert scoring.review_overdue(infra(91), TODAY)
    assert scoring.days_since_review(infra(91), TODAY) == 91


def test_review_overdue_never_reviewed_counts_from_entry() -> None:
    assert not scoring.review_overdue(initiative("infrastructure", days=90), TODAY)
    assert scoring.review_overdue(initiative("infrastructure", days=91), TODAY)


def test_review_overdue_counts_from_the_last_review_even_after_a_recent_entry() -> None:
    # issue 11: a review 300 days old is overdue even if it entered Infrastructure 10 days ago
    old_review = TODAY - timedelta(days=300)
    fresh = initiative("infrastructure", days=10, last_review_at=old_review)
    assert scoring.days_since_review(fresh, TODAY) == 300
    assert scoring.review_overdue(fresh, TODAY)


@pytest.mark.parametrize("stage", ["experiment", "pilot", "validate", "productionize", "killed"])
def test_review_overdue_only_in_infrastructure(stage: str) -> None:
    assert not scoring.review_overdue(initiative(stage, days=900), TODAY)


def test_budget_warning_boundary_at_three_times() -> None:
    def budgets(pilot: float, integration: float) -> Initiative:
        return initiative(pilot_budget=pilot, integration_budget=integration)

    assert not scoring.budget_warning(budgets(40_000, 120_000))  # exactly 3x
    assert scoring.budget_warning(budgets(40_000, 119_999.99))  # just under
    assert scoring.budget_warning(budgets(40_000, 0))
    assert not scoring.budget_warning(budgets(40_000, 200_000))
    assert not scoring.budget_warning(budgets(0, 0))  # no pilot budget recorded
    text = scoring.budget_warning_text(budgets(40_000, 100_000))
    assert "100,000" in text and "120,000" in text and "3x" in text


def test_the_budget_warning_says_the_budgets_as_kept() -> None:
    """Never rounded: 2,999.5 is under 3,000, and reads so (rounded, it said "3,000 is under
    3x the pilot budget (3,000)"); three times 1,000.1 reads 3,000.3, without float noise."""
    text = scoring.budget_warning_text(initiative(pilot_budget=1000, integration_budget=2999.5))
    assert text.startswith("Integration budget 2,999.5 is under 3x the pilot budget (3,000);")
    text = scoring.budget_warning_text(initiative(pilot_budget=1000.1, integration_budget=0))
    assert "(3,000.3)" in text


# One initiative at a glance and the JSON report ----------------------------------------------


def test_card_gathers_everything() -> None:
    i = initiative("validate", days=200, owner="Priya Natarajan")
    c = scoring.card(i, {**REAL, "D1": "yes"}, TODAY)
    assert c.initiative is i
    assert c.readiness.total == 1
    assert c.scale.ready and c.owner_issue is None and not c.forced
    assert c.purgatory_days == 200
    assert c.next_gate is not None and c.next_gate.target == "productionize"
    assert c.days_in_stage == 200 and c.purgatory
    assert not c.review_overdue and not c.stage_three


SCORE_KEYS = {"id", "name", "stage", "readiness", "tests", "stage_three", "scale", "next_gate"}
READINESS_KEYS = {"total", "max", "threshold", "passing", "unanswered", "categories", "weakest"}
READINESS_KEYS |= {"unmet"}


def test_score_report_has_exactly_the_documented_keys() -> None:
    i = initiative("productionize")
    answers = {**exits("productionize"), "D1": "no", "embedded": "yes"}
    typed = scoring.score_report(i, answers)
    report = typed.as_json()
    json.dumps(report)  # plain JSON types only
    assert set(report) == SCORE_KEYS
    r: Any = report["readiness"]
    assert set(r) == READINESS_KEYS
    assert list(r["categories"]) == CATEGORY_IDS
    assert all(set(v) == {"met", "max"} for v in r["categories"].values())
    assert r["unmet"] == ITEM_IDS  # D1 answered no and 19 unanswered, table order
    assert r["unanswered"] == 19
    assert report["tests"] == {
        "embedded": True,
        "owned": None,
        "measured": None,
        "maintained": None,
    }
    assert set(report["scale"]) == {"ready", "missing", "false_signals", "warning"}  # type: ignore[arg-type]
    assert report["next_gate"] == {
        "to": "infrastructure",
        "allowed": False,
        "unmet": ["owned", "measured", "maintained", "readiness"],
    }
    # the typed report carries the same verdict the CLI prints as a sentence
    assert typed.scale == scoring.initiative_scale(i, answers)
    assert typed.scale.sentence().startswith("Not ready")


def test_score_report_next_gate_without_readiness_when_passing() -> None:
    i = initiative("productionize", owner="Priya Natarajan")
    report = scoring.score_report(i, {**exits("productionize"), **TESTS, **ALL_ITEMS}).as_json()
    assert report["next_gate"] == {"to": "infrastructure", "allowed": True, "unmet": []}


@pytest.mark.parametrize("stage", ["infrastructure", "killed"])
def test_score_report_next_gate_null_at_the_end(stage: str) -> None:
    report = scoring.score_report(initiative(stage), EVERYTHING)
    assert report.next_gate is None and report.as_json()["next_gate"] is None


def test_answer_map_skips_tombstones() -> None:
    iid = initiative().id
    answers = [
        Answer(initiative_id=iid, key="D1", value="yes"),
        Answer(initiative_id=iid, key="D2", value="yes", deleted=True),
        Answer(initiative_id=iid, key="D3", value="no"),
    ]
    assert scoring.answer_map(answers) == {"D1": "yes", "D3": "no"}


# Metrics as evidence -------------------------------------------------------------------------


def reading(name: str, value: float, ago: int, **kw: Any) -> MetricReading:
    return MetricReading(
        initiative_id=initiative().id, name=name, value=value, at=TODAY - timedelta(ago), **kw
    )


def test_metric_series_groups_and_orders() -> None:
    rs = [
        reading("On-time", 91, 7, target=92, unit="%"),
        reading("adoption", 20, 14, unit="%"),
        reading("On-time", 90, 14, target=90, unit="%"),
        reading("On-time", 99, 0, deleted=True),
    ]
    series = scoring.metric_series(rs)
    assert [s.name for s in series] == ["adoption", "On-time"]
    on_time = series[1]
    assert on_time.values == (90, 91) and on_time.latest == 91
    assert on_time.target == 92  # the latest target stands for the series


def test_stable_at_target_needs_four_readings_at_or_above() -> None:
    def series(values: list[float]) -> scoring.MetricSeries:
        return scoring.metric_series(
            [reading("Accuracy", v, 7 * (len(values) - n), target=92) for n, v in enumerate(values)]
        )[0]

    assert series([92, 93, 92, 94]).stable_at_target
    assert not series([93, 94, 95]).stable_at_target  # only three
    assert not series([92, 91.9, 93, 94]).stable_at_target
    assert series([50, 92, 93, 92, 94]).stable_at_target  # only the last four count
    no_target = scoring.metric_series([reading("x", 1, n) for n in range(5)])[0]
    assert not no_target.stable_at_target


def test_adoption_stalled() -> None:
    def series(
        values: list[float], unit: str = "%", name: str = "Adoption"
    ) -> scoring.MetricSeries:
        return scoring.metric_series(
            [reading(name, v, 7 * (len(values) - n), unit=unit) for n, v in enumerate(values)]
        )[0]

    assert series([22, 25, 24, 26]).adoption_stalled
    assert not series([22, 25, 24, 30]).adoption_stalled  # 30% is not under 30
    assert not series([25]).adoption_stalled  # one reading is not a trend
    assert series([0.22, 0.25], unit="").adoption_stalled  # fractions read as shares
    assert not series([0.5, 0.6], unit="").adoption_stalled
    assert not series([10, 12], name="Throughput").adoption_stalled
    ev = scoring.metric_evidence([series([22, 25]), series([92, 93, 92, 94], name="On-time")])
    assert ev.stalled_adoption == ("Adoption",)
    assert ev.stable == () and not ev.supports_stable_performance


def test_share_band_boundaries() -> None:
    assert scoring.share_band(0.8) == "pass"
    assert scoring.share_band(0.79) == "warn"
    assert scoring.share_band(0.5) == "warn"
    assert scoring.share_band(0.49) == "fail"


def test_budget_warning_is_due_in_validate_and_productionize_only() -> None:
    for stage, due in (
        ("pilot", False),
        ("validate", True),
        ("productionize", True),
        ("infrastructure", False),
    ):
        i = initiative(stage, pilot_budget=100, integration_budget=299)
        assert scoring.budget_warning_due(i) is due
        assert not scoring.budget_warning_due(i.model_copy(update={"integration_budget": 300}))
