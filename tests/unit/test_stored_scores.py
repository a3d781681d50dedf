"""An initiative's score as one row (`scoring.stored`): every part read back from the row is
what `scoring` computes from the initiative and its answers, for any answers, stage, owner and
forced mark; the portfolio's figures read from rows equal those scored from answers."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bridge_tui import method, scoring
from bridge_tui.models import Initiative
from bridge_tui.scoring.stored import COLUMNS, RULES, StoredScore, score_row
from bridge_tui.stage_history import StageEvent
from tests.conftest import initiative

TODAY = date(2026, 11, 22)

answers_st = st.dictionaries(
    st.sampled_from(method.ANSWER_KEYS), st.sampled_from(("yes", "no", "unknown"))
)
initiative_st = st.builds(
    lambda stage, owner, builder, forced, days, budget: initiative(
        stage=stage,
        owner=owner,
        pilot_builder=builder,
        forced_reason=forced,
        stage_entered_at=TODAY - timedelta(days=days),
        maintenance_budget=budget,
    ),
    st.sampled_from(method.STAGE_IDS),
    st.sampled_from(("", "Priya Natarajan", "Ops team", "Ana and Ben", "Sam O'Brien")),
    st.sampled_from(("", "Priya Natarajan", "sam o'brien")),
    st.sampled_from(("", "the sponsor asked")),
    st.integers(0, 400),
    st.sampled_from((0.0, 5000.0)),
)


def what_blocks_fresh(i: Initiative, answers: dict[str, str]) -> tuple[str, ...]:
    """The rule of `portfolio.what_blocks`, from the scoring functions themselves."""
    if i.stage == method.INFRASTRUCTURE:
        results = scoring.initiative_tests(i, answers)
        return tuple(t for t, ok in results.items() if ok is not True)
    gate = scoring.next_gate(i, answers)
    return () if gate is None else gate.unmet


@given(initiative_st, answers_st)
def test_every_part_read_back_is_what_scoring_computes(
    i: Initiative, answers: dict[str, str]
) -> None:
    row = score_row(i, answers)
    assert len(row) == len(COLUMNS)
    assert row[0] == i.id and row[1] == RULES and row[2] == i.stage
    s = StoredScore(row)
    assert s.readiness == scoring.readiness(answers)
    assert s.tests == scoring.initiative_tests(i, answers)
    assert s.scale == scoring.initiative_scale(i, answers)
    assert s.next_gate == scoring.next_gate(i, answers)
    assert s.stage_three == scoring.stage_three(i, answers)
    assert s.forced_reason == scoring.forced_mark(i, answers)
    assert s.owner_issue == scoring.owner_issue(i)
    assert s.blocks == what_blocks_fresh(i, answers)
    assert s.upkeep == answers.get("maintenance_budget", "unknown")
    history = (StageEvent(TODAY - timedelta(days=300), "pilot"),)
    for h in (None, history):
        assert s.card(i, TODAY, h) == scoring.card(i, answers, TODAY, h)


@given(initiative_st, answers_st)
def test_a_row_equals_only_the_row_of_the_same_score(
    i: Initiative, answers: dict[str, str]
) -> None:
    s = StoredScore.of(i, answers)
    assert s == StoredScore(tuple(score_row(i, answers)))
    flipped = dict(answers)
    flipped["D1"] = "no" if answers.get("D1") == "yes" else "yes"
    assert s != StoredScore.of(i, flipped)


@given(st.lists(st.tuples(initiative_st, answers_st), min_size=1, max_size=8))
def test_the_portfolio_read_from_rows_is_the_portfolio_scored_from_answers(
    pairs: list[tuple[Initiative, dict[str, str]]],
) -> None:
    items = [
        i.model_copy(update={"id": f"{n:08d}-0000-4000-8000-000000000000", "name": f"I{n}"})
        for n, (i, _) in enumerate(pairs)
    ]
    answers = {i.id: a for i, (_, a) in zip(items, pairs, strict=True)}
    scores = {i.id: StoredScore.of(i, answers[i.id]) for i in items}
    fresh = scoring.overview(items, answers, TODAY)
    assert scoring.overview(items, {}, TODAY, scores=scores) == fresh
    # and each figure is what the scoring functions give, one initiative at a time
    by_id = {i.id: i for i in items}
    for h in fresh.heat:
        a, i = answers[h.initiative_id], by_id[h.initiative_id]
        r = scoring.readiness(a)
        assert (h.total, h.passing) == (r.total, r.passing)
        assert h.categories == tuple((c.id, c.met, c.max) for c in r.categories)
        assert h.tests == tuple(scoring.initiative_tests(i, a).items())
    assert set(fresh.infrastructure) == {
        i.id for i in items if scoring.is_active(i) and scoring.stage_three(i, answers[i.id])
    }
    for b in fresh.blocked:
        assert b.unmet == what_blocks_fresh(by_id[b.initiative_id], answers[b.initiative_id])
    for p in fresh.promoted:
        i = by_id[p.initiative_id]
        assert p.has_owner == (scoring.owner_issue(i) is None)
        assert p.has_maintenance_budget == scoring.has_maintenance_budget(i, answers[i.id])
    assert scoring.review_order(items, {}, TODAY, scores=scores) == scoring.review_order(
        items, answers, TODAY
    )
    for i in items:
        assert scoring.heat_row(i, answers[i.id]).tests == tuple(
            scoring.initiative_tests(i, answers[i.id]).items()
        )
        assert scoring.kill_reasons(i, {}, TODAY, score=scores[i.id]) == scoring.kill_reasons(
            i, answers[i.id], TODAY
        )
