"""Pure tests of the portfolio overview, kill candidates, review order and metric rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bridge_tui import method, scoring
from bridge_tui.models import Initiative, MetricReading

TODAY = date(2026, 11, 22)
ALL_ITEMS = {i.id: "yes" for i in method.ITEMS}
ALL_TESTS = {t.id: "yes" for t in method.TESTS}


def make(
    name: str = "X",
    stage: str = "pilot",
    *,
    in_stage: int = 10,
    age: int | None = None,
    owner: str = "",
    maintenance: float = 0,
    blockers: tuple[str, ...] = (),
    last_review_ago: int | None = None,
) -> Initiative:
    age = in_stage if age is None else age
    created = datetime.combine(TODAY - timedelta(days=age), time(9), tzinfo=UTC)
    return Initiative(
        name=name,
        stage=stage,
        owner=owner,
        maintenance_budget=maintenance,
        blockers=blockers,
        stage_entered_at=TODAY - timedelta(days=in_stage),
        created_at=created,
        updated_at=created,
        last_review_at=None if last_review_ago is None else TODAY - timedelta(days=last_review_ago),
    )


def points(n: int) -> dict[str, str]:
    """Answers meeting exactly n checklist items."""
    return {i.id: "yes" for i in method.ITEMS[:n]}


# owner and maintenance budget -----------------------------------------------------------------


def test_owner_needs_a_name() -> None:
    assert scoring.has_owner(make(owner="Ana"))
    assert not scoring.has_owner(make(owner=""))


@pytest.mark.parametrize(
    ("amount", "signal", "expected"),
    [
        (0, None, False),
        (10_000, None, True),
        (0, "yes", True),
        (10_000, "no", False),  # an amount, but funding explicitly not committed
        (0, "no", False),
        (10_000, "unknown", True),
    ],
)
def test_maintenance_budget(amount: float, signal: str | None, expected: bool) -> None:
    answers = {} if signal is None else {"maintenance_budget": signal}
    assert scoring.has_maintenance_budget(make(maintenance=amount), answers) is expected


# kill candidates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "days", "owner", "budget", "expected"),
    [
        ("pilot", 181, "", 10_000, True),  # purgatory, no owner
        ("pilot", 181, "Ana", 0, True),  # purgatory, no budget
        ("validate", 181, "", 0, True),
        ("pilot", 181, "Ana", 10_000, False),  # purgatory, owner and budget
        ("pilot", 180, "", 0, False),  # not yet purgatory (more than 180 days)
        ("experiment", 181, "", 0, False),  # experiment is never purgatory
        ("productionize", 181, "", 0, False),
    ],
)
def test_kill_rule_purgatory_part(
    stage: str, days: int, owner: str, budget: float, expected: bool
) -> None:
    # a passing score keeps the second half of the rule out of the way
    i = make(stage=stage, in_stage=days, owner=owner, maintenance=budget)
    assert scoring.kill_candidate(i, ALL_ITEMS, TODAY) is expected


@pytest.mark.parametrize(
    ("score", "age", "expected"),
    [
        (7, 181, True),
        (8, 181, False),  # 8/20 is not "below 8"
        (7, 180, False),  # 180 days is not "after 180 days"
        (0, 181, True),
        (20, 999, False),
    ],
)
def test_kill_rule_low_score_boundaries(score: int, age: int, expected: bool) -> None:
    i = make(stage="experiment", in_stage=3, age=age, owner="Ana", maintenance=1)
    assert scoring.kill_candidate(i, points(score), TODAY) is expected


def test_kill_rule_counts_age_from_creation_not_stage() -> None:
    # moved into pilot two days ago, but created 200 days ago with 5 points
    i = make(stage="pilot", in_stage=2, age=200, owner="Ana", maintenance=1)
    assert scoring.kill_candidate(i, points(5), TODAY)
    assert scoring.kill_reasons(i, points(5), TODAY) == ("readiness 5/20 after 200 days",)


@pytest.mark.parametrize("stage", list(method.FLOW))
def test_low_score_rule_applies_in_every_active_stage(stage: str) -> None:
    i = make(stage=stage, in_stage=1, age=181, owner="Ana", maintenance=1)
    assert scoring.kill_candidate(i, points(7), TODAY)


def test_killed_initiatives_are_never_kill_candidates() -> None:
    i = make(stage="killed", in_stage=400, age=400)
    assert not scoring.kill_candidate(i, {}, TODAY)
    assert scoring.kill_reasons(i, {}, TODAY) == ()


def test_kill_reasons_name_each_cause() -> None:
    i = make(stage="pilot", in_stage=200, age=300)
    reasons = scoring.kill_reasons(i, {}, TODAY)
    assert reasons == (
        "in pilot purgatory (Pilot and Validate) for 200 days with no named owner",
        "in pilot purgatory (Pilot and Validate) for 200 days with no maintenance budget",
        "readiness 0/20 after 300 days",
    )


# what blocks ----------------------------------------------------------------------------------


def test_what_blocks_is_the_next_gate() -> None:
    i = make(stage="experiment")
    assert scoring.what_blocks(i, {"scoped": "yes"}) == ("team_assigned",)
    assert scoring.what_blocks(i, {"scoped": "yes", "team_assigned": "yes"}) == ()


def test_what_blocks_in_infrastructure_is_the_failing_tests() -> None:
    i = make(stage="infrastructure")
    assert scoring.what_blocks(i, {"embedded": "yes", "owned": "no"}) == (
        "owned",
        "measured",
        "maintained",
    )
    assert scoring.what_blocks(i, {**ALL_TESTS, "owned": "unknown"}) == ("owned",)
    # `owned` answered yes does not hold without a named owner on record
    assert scoring.what_blocks(i, ALL_TESTS) == ("owned",)
    assert scoring.what_blocks(i.model_copy(update={"owner": "Mei Chen"}), ALL_TESTS) == ()


# the overview ---------------------------------------------------------------------------------


@pytest.fixture
def portfolio() -> tuple[list[Initiative], dict[str, dict[str, str]]]:
    infra_ok = make("Infra ok", "infrastructure", in_stage=30, owner="Ana", maintenance=5)
    infra_fail = make(
        "Infra failing", "infrastructure", in_stage=100, owner="", maintenance=0
    )  # review overdue, no owner, no budget
    prod = make(
        "Prod", "productionize", in_stage=20, owner="Bo", maintenance=0, blockers=("funding",)
    )
    stuck = make("Stuck", "pilot", in_stage=200, age=300, blockers=("ownership", "funding"))
    fresh = make("Fresh", "experiment", in_stage=5)
    dead = make("Dead", "killed", in_stage=50, age=400, blockers=("funding",))
    deleted = make("Gone", "pilot").model_copy(update={"deleted": True})
    items = [infra_ok, infra_fail, prod, stuck, fresh, dead, deleted]
    answers = {
        infra_ok.id: {**ALL_ITEMS, **ALL_TESTS},
        infra_fail.id: {**ALL_ITEMS, "embedded": "yes"},
        prod.id: {**points(10), "maintenance_budget": "yes"},
        stuck.id: points(2),
    }
    return items, answers


def test_overview_four_questions(
    portfolio: tuple[list[Initiative], dict[str, dict[str, str]]],
) -> None:
    items, answers = portfolio
    ov = scoring.overview(items, answers, TODAY)
    names = ov.names
    # 1: active (not killed, not deleted) and really infrastructure
    assert [names[i] for i in ov.active] == ["Fresh", "Stuck", "Prod", "Infra failing", "Infra ok"]
    assert [names[i] for i in ov.infrastructure] == ["Infra ok"]
    # 2: every active one that is not stage three, with what blocks it
    blocked = {names[b.initiative_id]: b for b in ov.blocked}
    assert set(blocked) == {"Fresh", "Stuck", "Prod", "Infra failing"}
    assert blocked["Fresh"].next_stage == "pilot"
    assert blocked["Fresh"].unmet == ("scoped", "team_assigned")
    assert blocked["Stuck"].blockers == ("ownership", "funding")
    assert blocked["Infra failing"].next_stage is None
    assert blocked["Infra failing"].unmet == ("owned", "measured", "maintained")
    # 3: kill candidates
    assert [names[k.initiative_id] for k in ov.kill_candidates] == ["Stuck"]
    # 4: promoted, and which lack an owner or a maintenance budget
    promoted = {names[p.initiative_id]: p for p in ov.promoted}
    assert set(promoted) == {"Prod", "Infra failing", "Infra ok"}
    assert promoted["Prod"].missing == ()  # the signal says the budget is committed
    assert promoted["Infra failing"].missing == ("owner", "maintenance budget")
    assert promoted["Infra ok"].missing == ()
    assert [names[p.initiative_id] for p in ov.promoted_missing] == ["Infra failing"]


def test_overview_funnel_lists_and_blockers(
    portfolio: tuple[list[Initiative], dict[str, dict[str, str]]],
) -> None:
    items, answers = portfolio
    ov = scoring.overview(items, answers, TODAY)
    assert ov.funnel == (
        ("experiment", 1),
        ("pilot", 1),
        ("validate", 0),
        ("productionize", 1),
        ("infrastructure", 2),
        ("killed", 1),
    )
    assert ov.killed == 1
    assert [ov.names[i] for i in ov.purgatory] == ["Stuck"]
    assert [ov.names[i] for i in ov.review_overdue] == ["Infra failing"]
    # killed initiatives' tags are not counted
    counts = dict(ov.blocker_counts)
    assert list(counts) == list(method.BLOCKER_IDS)
    assert counts["funding"] == 2
    assert counts["ownership"] == 1
    assert counts["people"] == 0


def test_overview_heat_rows(portfolio: tuple[list[Initiative], dict[str, dict[str, str]]]) -> None:
    items, answers = portfolio
    ov = scoring.overview(items, answers, TODAY)
    rows = {r.name: r for r in ov.heat}
    assert set(rows) == {"Fresh", "Stuck", "Prod", "Infra failing", "Infra ok"}
    ok = rows["Infra ok"]
    assert ok.total == 20 and ok.passing
    assert ok.categories == tuple((c.id, c.max_points, c.max_points) for c in method.CATEGORIES)
    assert dict(ok.tests) == dict.fromkeys(scoring.HEAT_TEST_COLUMNS, True)
    prod = rows["Prod"]
    assert prod.total == 10 and not prod.passing
    assert prod.category("data") == (5, 5)
    assert prod.category("governance") == (4, 4)
    assert prod.category("operations") == (1, 5)
    assert prod.test("embedded") is None
    assert rows["Infra failing"].test("embedded") is True


def test_empty_portfolio() -> None:
    ov = scoring.overview([], {}, TODAY)
    assert ov.active == () and ov.infrastructure == () and ov.kill_candidates == ()
    assert all(n == 0 for _, n in ov.funnel)
    assert scoring.review_order([], {}, TODAY) == []


# heat map sorting -----------------------------------------------------------------------------


def _rows() -> list[scoring.HeatRow]:
    a = make("Alpha", "validate")
    b = make("beta", "pilot")
    c = make("Gamma", "pilot")
    return [
        scoring.heat_row(a, {**points(12), "embedded": "no"}),
        scoring.heat_row(b, {**points(3), "embedded": "yes"}),
        scoring.heat_row(c, points(12)),
    ]


def test_heat_sort_by_each_column() -> None:
    rows = _rows()

    def names(column: str, reverse: bool = False) -> list[str]:
        return [r.name for r in scoring.sort_heat_rows(rows, column, reverse)]

    assert names("name") == ["Alpha", "beta", "Gamma"]  # case-insensitive
    assert names("name", True) == ["Gamma", "beta", "Alpha"]
    assert names("stage") == ["beta", "Gamma", "Alpha"]
    assert names("total") == ["beta", "Gamma", "Alpha"]  # ties keep board order
    assert names("total", True) == ["Gamma", "Alpha", "beta"]  # reversed, ties still board order
    assert names("data") == ["beta", "Gamma", "Alpha"]
    assert names("operations") == ["beta", "Gamma", "Alpha"]
    # tests: failing, then unanswered, then passing
    assert names("embedded") == ["Alpha", "Gamma", "beta"]
    for column in scoring.HEAT_COLUMNS:
        assert sorted(names(column)) == sorted(r.name for r in rows)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["alpha", "Alpha", "beta", "b", "Gamma"]),
            st.sampled_from(method.STAGE_IDS),
            st.integers(min_value=0, max_value=20),
        ),
        max_size=12,
    ),
    st.sampled_from(scoring.HEAT_COLUMNS),
    st.booleans(),
)
@example([("beta", "pilot", 3), ("alpha", "validate", 3)], "stage", True)
@example([("beta", "validate", 3), ("alpha", "pilot", 3)], "stage", False)
def test_heat_sort_is_the_column_then_board_order(
    made: list[tuple[str, str, int]], column: str, reverse: bool
) -> None:
    """Every column, either way, in any order given: the column's own order (reversed or
    not), ties in board order; the map's first order (stage, not reversed) sorted once."""
    rows = [scoring.heat_row(make(name, stage), points(total)) for name, stage, total in made]
    got = scoring.sort_heat_rows(rows, column, reverse)
    board = sorted(rows, key=lambda r: scoring.heat_sort_key(r, "stage"))
    assert got == sorted(board, key=lambda r: scoring.heat_sort_key(r, column)[0], reverse=reverse)  # type: ignore[arg-type,return-value]
    # rows given in board order (as the overview's are) are taken in it: the same order
    assert scoring.sort_heat_rows(board, column, reverse, in_board_order=True) == got


def test_the_overviews_heat_rows_are_in_board_order() -> None:
    """The heat map takes them as its tie-break without sorting them (`in_board_order`)."""
    made = [
        make(n, s)
        for n, s in [("b", "pilot"), ("A", "validate"), ("a", "pilot"), ("c", "experiment")]
    ]
    ov = scoring.overview(made, {}, TODAY)
    assert [r.initiative_id for r in ov.heat] == [
        i.id for i in sorted(made, key=lambda i: scoring.board_key(i.id, i.stage, i.name))
    ]


def test_heat_sort_rejects_unknown_column() -> None:
    with pytest.raises(ValueError, match="unknown heat map column"):
        scoring.heat_sort_key(_rows()[0], "colour")


# review order ---------------------------------------------------------------------------------


def test_stuck_rank() -> None:
    assert (
        scoring.stuck_rank(
            make(stage="pilot", in_stage=181, owner="A", maintenance=1), ALL_ITEMS, TODAY
        )
        == 0
    )
    overdue = make(stage="infrastructure", in_stage=91, owner="A", maintenance=1)
    assert scoring.stuck_rank(overdue, {**ALL_ITEMS, **ALL_TESTS}, TODAY) == 0
    low = make(stage="experiment", in_stage=1, age=181)
    assert scoring.stuck_rank(low, {}, TODAY) == 0
    assert scoring.stuck_rank(make(stage="validate", in_stage=20), ALL_ITEMS, TODAY) == 1
    healthy = make(stage="infrastructure", in_stage=20, owner="A", maintenance=1)
    assert scoring.stuck_rank(healthy, {**ALL_ITEMS, **ALL_TESTS}, TODAY) == 2


def test_review_order_most_stuck_first() -> None:
    healthy_infra = make(
        "Healthy",
        "infrastructure",
        in_stage=300,
        age=301,
        owner="A",
        maintenance=1,
        last_review_ago=10,
    )
    long_pilot = make("Long pilot", "pilot", in_stage=250, owner="A", maintenance=1)
    purg = make("Purgatory", "validate", in_stage=190, owner="", maintenance=1)
    fresh_low = make("Fresh low", "pilot", in_stage=40)
    fresh_high = make("Fresh high", "pilot", in_stage=40)
    fresh_high_b = make("another fresh high", "pilot", in_stage=40)
    killed = make("Killed", "killed", in_stage=500)
    answers = {
        healthy_infra.id: {**ALL_ITEMS, **ALL_TESTS},
        long_pilot.id: ALL_ITEMS,
        purg.id: ALL_ITEMS,
        fresh_low.id: points(2),
        fresh_high.id: points(9),
        fresh_high_b.id: points(9),
    }
    items = [healthy_infra, long_pilot, purg, fresh_low, fresh_high, fresh_high_b, killed]
    order = [i.name for i in scoring.review_order(items, answers, TODAY)]
    assert order == [
        "Long pilot",  # flagged (purgatory), 250 days in stage
        "Purgatory",  # flagged, 190 days
        "Fresh low",  # on its way, 40 days, lowest score first
        "another fresh high",  # same days and score: name order, case-insensitive
        "Fresh high",
        "Healthy",  # real infrastructure, not overdue: least stuck, despite 300 days
    ]


def test_stuck_key_is_total() -> None:
    a = make("Same", "pilot", in_stage=3)
    b = make("Same", "pilot", in_stage=3)
    assert scoring.stuck_key(a, {}, TODAY) != scoring.stuck_key(b, {}, TODAY)


# metric rules ---------------------------------------------------------------------------------


def readings(
    name: str, values: list[float], target: float | None = None, unit: str = "%"
) -> list[MetricReading]:
    iid = make().id
    return [
        MetricReading(
            initiative_id=iid,
            name=name,
            value=v,
            target=target,
            unit=unit,
            at=TODAY - timedelta(days=7 * (len(values) - n)),
        )
        for n, v in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("values", "target", "stable"),
    [
        ([80, 92, 92, 93, 94], 92, True),  # last four at or above (92 == target counts)
        ([92, 93, 94], 92, False),  # only three readings
        ([95, 95, 95, 91.9], 92, False),  # the latest dips under
        ([91, 95, 95, 95], 92, False),  # the fourth-last is under
        ([95, 95, 95, 95], None, False),  # no target, no evidence
        ([50, 95, 95, 95, 95], 92, True),  # older dips do not matter
    ],
)
def test_stable_at_target(values: list[float], target: float | None, stable: bool) -> None:
    [series] = scoring.metric_series(readings("On-time", values, target))
    assert series.stable_at_target is stable
    assert scoring.metric_evidence([series]).supports_stable_performance is stable


@pytest.mark.parametrize(
    ("name", "values", "unit", "stalled"),
    [
        ("Adoption", [22, 26, 24, 29.9], "%", True),
        ("Adoption", [22, 26, 24, 30], "%", False),  # 30 is not under 30
        ("Adoption", [55, 25, 26, 27, 28], "%", True),  # the last four count
        ("Adoption", [25], "%", False),  # one reading is not "staying" anywhere
        ("Weekly adoption rate", [0.2, 0.25], "", True),  # a share read as percent
        ("Weekly adoption rate", [0.2, 0.35], "", False),
        ("Accuracy", [10, 12, 11, 12], "%", False),  # not an adoption metric
    ],
)
def test_adoption_stalled(name: str, values: list[float], unit: str, stalled: bool) -> None:
    [series] = scoring.metric_series(readings(name, values, unit=unit))
    assert series.adoption_stalled is stalled
    assert (name in scoring.metric_evidence([series]).stalled_adoption) is stalled


def test_metric_series_groups_and_orders() -> None:
    rs = readings("b metric", [1, 2]) + readings("A metric", [3, 4, 5], target=4)
    rs.reverse()
    series = scoring.metric_series(rs)
    assert [s.name for s in series] == ["A metric", "b metric"]
    assert series[0].values == (3, 4, 5)
    assert series[0].latest == 5
    assert series[0].target == 4
    deleted = rs[0].model_copy(update={"deleted": True})
    assert len(scoring.metric_series([deleted])) == 0
