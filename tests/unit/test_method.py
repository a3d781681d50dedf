"""The method as data: ids, order and numbers exactly as domain.md gives them."""

from __future__ import annotations

import pytest

from bridge_tui import method


def test_stages_in_domain_order() -> None:
    assert method.STAGE_IDS == (
        "experiment",
        "pilot",
        "validate",
        "productionize",
        "infrastructure",
        "killed",
    )
    assert method.STAGE_IDS[:5] == method.FLOW
    assert method.KILLED not in method.FLOW
    assert {"pilot", "validate"} == method.PURGATORY_STAGES
    assert [s.label for s in method.STAGES] == [
        "Experiment",
        "Pilot",
        "Validate",
        "Productionize",
        "Infrastructure",
        "Killed",
    ]


def test_exit_conditions_per_stage() -> None:
    by_stage = {s: [e.id for e in method.exit_conditions_for(s)] for s in method.STAGE_IDS}
    assert by_stage == {
        "experiment": ["scoped", "team_assigned"],
        "pilot": ["accuracy_on_real_data", "business_case_reviewed"],
        "validate": ["usage_data_30d", "failure_modes_known", "incident_recovered"],
        "productionize": ["unattended_30d", "dashboards", "on_call"],
        "infrastructure": ["eval_process", "improvement_shipped"],
        "killed": [],
    }


def test_categories_and_items() -> None:
    assert [(c.id, c.max_points) for c in method.CATEGORIES] == [
        ("data", 5),
        ("governance", 4),
        ("operations", 5),
        ("security", 3),
        ("team", 3),
    ]
    assert [i.id for i in method.ITEMS] == [
        *("D1", "D2", "D3", "D4", "D5"),
        *("G1", "G2", "G3", "G4"),
        *("O1", "O2", "O3", "O4", "O5"),
        *("S1", "S2", "S3"),
        *("T1", "T2", "T3"),
    ]
    prefix = {"data": "D", "governance": "G", "operations": "O", "security": "S", "team": "T"}
    for item in method.ITEMS:
        assert item.id[0] == prefix[item.category]
        assert item.text.strip()
    for cat in method.CATEGORIES:
        assert len(method.items_in(cat.id)) == cat.max_points
    assert method.MAX_SCORE == 20 == sum(c.max_points for c in method.CATEGORIES)
    assert method.PASSING_SCORE == 14


def test_tests_signals_blockers() -> None:
    assert [t.id for t in method.TESTS] == ["embedded", "owned", "measured", "maintained"]
    assert [s.id for s in method.REAL_SIGNALS] == [
        "stable_performance",
        "operational_owner",
        "integration_plan",
        "maintenance_budget",
    ]
    assert [s.id for s in method.FALSE_SIGNALS] == [
        "enthusiasm",
        "executive_pressure",
        "vendor_readiness",
    ]
    assert method.BLOCKER_IDS == (
        "ownership",
        "funding",
        "change_management",
        "maintenance",
        "data_readiness",
        "governance",
        "integration",
        "people",
    )


def test_plan_template() -> None:
    assert [(m.month, m.label, len(m.tasks)) for m in method.PLAN_TEMPLATE] == [
        (1, "Stabilize", 6),
        (2, "Integrate", 4),
        (3, "Harden and expand", 5),
    ]
    assert method.PLAN_DAYS == 90 == method.MONTH_DAYS * len(method.PLAN_TEMPLATE)


def test_answer_keys_are_unique_and_in_table_order() -> None:
    keys = method.ANSWER_KEYS
    assert len(keys) == len(set(keys)) == 20 + 4 + 7 + 12
    assert keys[:20] == tuple(i.id for i in method.ITEMS)
    assert keys[20:24] == tuple(t.id for t in method.TESTS)
    assert method.READINESS_REQUIREMENT not in method.ANSWER_KEY_SET
    # No id is shared between two tables (the lookup tables would silently shadow each other).
    tables = [
        method.ITEM_BY_ID,
        method.TEST_BY_ID,
        method.SIGNAL_BY_ID,
        method.EXIT_BY_ID,
    ]
    assert sum(len(t) for t in tables) == len(keys)


def test_next_and_previous_stage() -> None:
    assert method.next_stage("experiment") == "pilot"
    assert method.next_stage("productionize") == "infrastructure"
    assert method.next_stage("infrastructure") is None
    assert method.next_stage("killed") is None
    assert method.previous_stage("pilot") == "experiment"
    assert method.previous_stage("experiment") is None
    assert method.previous_stage("killed") is None
    assert [method.stage_index(s) for s in method.FLOW] == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError):
        method.stage_index("killed")


@pytest.mark.parametrize(
    ("key", "start"),
    [
        ("D1", "D1 "),
        ("embedded", "Test 'Embedded'"),
        ("stable_performance", "Real signal 'Stable performance'"),
        ("enthusiasm", "False signal 'Enthusiasm'"),
        ("scoped", "Experiment exit:"),
        ("on_call", "Productionize exit:"),
        ("readiness", "Readiness score of at least 14/20"),
    ],
)
def test_describe_key(key: str, start: str) -> None:
    assert method.describe_key(key).startswith(start)


def test_describe_unknown_key_is_itself() -> None:
    assert method.describe_key("nope") == "nope"
