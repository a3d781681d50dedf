"""Service tests on a temp copy of the sample: overview, review sessions, metrics."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bridge_tui import method, scoring
from bridge_tui.errors import BadInput, OutputExists, StaleRevision
from bridge_tui.models import Review
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY


def by_name(svc: Service, name: str):  # type: ignore[no-untyped-def]
    return svc.resolve(name)


def test_overview_matches_scoring(service: Service) -> None:
    board = service.board()
    expected = scoring.overview(board.initiatives, board.answers, FROZEN_TODAY, board.histories)
    assert service.overview() == expected
    names = expected.names
    assert len(expected.active) == 11
    assert sorted(names[i] for i in expected.infrastructure) == ["Contract review", "Email triage"]
    assert "Customer service assistant" in [
        names[k.initiative_id] for k in expected.kill_candidates
    ]


def test_review_order_is_most_stuck_first(service: Service) -> None:
    order = service.review_order()
    board = service.board()
    keys = [
        scoring.stuck_key(i, board.answers_of(i.id), FROZEN_TODAY, board.histories.get(i.id))
        for i in order
    ]
    assert keys == sorted(keys)
    assert all(i.stage != method.KILLED for i in order)
    assert len(order) == 11
    assert order[0].name == "Customer service assistant"


def test_full_session_each_decision(service: Service) -> None:
    order = service.review_order()
    session = service.start_review()
    assert session.order == tuple(i.id for i in order)
    assert service.open_review() == session
    items = service.review_items(session)
    assert [it.initiative.id for it in items] == list(session.order)

    kill_me = by_name(service, "Customer service assistant")
    keep_me = by_name(service, "Contract review")
    defer_me = by_name(service, "Demand forecasting")
    promote_ok = by_name(service, "Document extraction: proof of delivery")
    service.answer(promote_ok, "team_assigned", "yes")
    promote_ok = by_name(service, promote_ok.name)

    with pytest.raises(BadInput, match="needs a reason"):
        service.record_decision(session, kill_me, "kill", "")
    r = service.record_decision(session, kill_me, "kill", "No owner since May")
    assert r.review is not None and r.review.decision == "kill"
    assert by_name(service, kill_me.name).stage == "killed"
    assert by_name(service, kill_me.name).kill_reason == "No owner since May"

    r = service.record_decision(session, keep_me, "keep", "Working well")
    assert r.review is not None and r.review.note == "Working well"
    r = service.record_decision(session, defer_me, "defer")
    assert r.review is not None and r.review.decision == "defer"
    r = service.record_decision(session, promote_ok, "promote", "Team is named")
    assert r.move is not None and r.move.initiative.stage == "pilot"
    assert not r.move.forced

    for ini in (kill_me, keep_me, defer_me, promote_ok):
        assert by_name(service, ini.name).last_review_at == FROZEN_TODAY
    decided = service.session_decisions(session)
    assert set(decided) == {kill_me.id, keep_me.id, defer_me.id, promote_ok.id}
    assert all(isinstance(v, Review) and v.session_id == session.id for v in decided.values())
    assert all(v.reviewer == "tester" and v.date == FROZEN_TODAY for v in decided.values())
    assert len(service.review_pending(session)) == 7
    assert service.open_review() is not None  # still open: resumable

    # decide the rest: the last decision finishes the session
    for iid in service.review_pending(session):
        result = service.record_decision(session, service.initiative(iid), "keep")
    assert result.session.finished_at is not None
    assert service.open_review() is None
    summary = service.review_summary(session)
    assert summary.pending == 0
    assert summary.counts() == {"keep": 8, "promote": 1, "kill": 1, "defer": 1}


def test_promote_refused_writes_nothing_and_lists_unmet(service: Service) -> None:
    session = service.start_review()
    stuck = by_name(service, "Route optimisation")
    before = len(service.store.changes(expand=False))
    result = service.record_decision(session, stuck, "promote", "let's go")
    assert result.refused
    expected = scoring.gate_check("validate", "productionize", service.answer_map(stuck.id)).unmet
    assert result.unmet == expected and result.unmet
    # the refusal carries the gate in words, as the force dialog lists it
    check = scoring.move_check(stuck, "productionize", service.answer_map(stuck.id))
    assert result.lines == check.lines() and len(result.lines) == len(result.unmet)
    assert len(service.store.changes(expand=False)) == before
    assert service.session_decisions(session) == {}
    assert by_name(service, stuck.name).stage == "validate"


def test_forced_promotion_needs_a_reason(service: Service) -> None:
    session = service.start_review()
    stuck = by_name(service, "Route optimisation")
    with pytest.raises(BadInput, match="needs a reason"):
        service.record_decision(session, stuck, "promote", "", force=True)
    result = service.record_decision(
        session, stuck, "promote", "", force=True, reason="COO decision"
    )
    assert result.move is not None and result.move.forced
    moved = by_name(service, stuck.name)
    assert moved.stage == "productionize" and moved.forced_reason == "COO decision"
    assert result.review is not None and result.review.forced_reason == "COO decision"
    minutes = service.review_minutes(session)
    assert "| Promote (forced past the gate) |" in minutes
    assert "(now Productionize), forced past the gate: COO decision" in minutes


def test_promote_from_last_stage_is_refused(service: Service) -> None:
    session = service.start_review()
    with pytest.raises(BadInput, match="no stage to promote"):
        service.record_decision(session, by_name(service, "Contract review"), "promote")


def test_bad_decisions(service: Service) -> None:
    session = service.start_review()
    ini = by_name(service, "Contract review")
    with pytest.raises(BadInput, match="decision must be"):
        service.record_decision(session, ini, "promote!")
    killed = by_name(service, "Driver safety coaching")
    with pytest.raises(BadInput, match="not part of this review"):
        service.record_decision(session, killed, "keep")
    service.finish_review(session)
    with pytest.raises(BadInput, match="finished"):
        service.record_decision(session, ini, "keep")


def test_stale_initiative_is_refused_on_promote(service: Service) -> None:
    session = service.start_review()
    ini = by_name(service, "Document extraction: proof of delivery")
    service.answer(ini, "team_assigned", "yes")
    service.edit_initiative(ini, owner="Someone")  # now `ini` is stale
    with pytest.raises(StaleRevision):
        service.record_decision(session, ini, "promote")


def test_resume_in_a_new_process(sample_db: Path) -> None:
    store = Store.open(sample_db)
    svc = Service(store, "maya", FROZEN_TODAY)
    session = svc.start_review()
    first, second = session.order[:2]
    svc.record_decision(session, svc.initiative(first), "keep", "fine")
    store.close()

    store2 = Store.open(sample_db)
    svc2 = Service(store2, "maya", FROZEN_TODAY)
    resumed = svc2.open_review()
    assert resumed is not None and resumed.id == session.id
    assert resumed.order == session.order
    assert svc2.review_pending(resumed)[0] == second
    store2.close()


def test_finish_early_and_minutes(service: Service, sample_db: Path) -> None:
    session = service.start_review()
    ini = by_name(service, "Customer service assistant")
    service.record_decision(session, ini, "kill", "No owner | stalled")
    finished = service.finish_review(session)
    assert finished.finished_at is not None
    assert service.finish_review(finished) == finished  # idempotent
    minutes = service.review_minutes(finished)
    assert minutes.startswith("# Portfolio review, 22 November 2026\n")
    assert "1 kill" in minutes and "10 not reviewed" in minutes
    assert "No owner \\| stalled" in minutes  # escaped inside the table
    for i in service.review_summary(finished).rows:
        assert i[0].name.replace("*", "\\*").replace("_", "\\_") in minutes
    path = service.save_minutes(finished)
    assert path.parent == sample_db.parent
    assert path.name == "sample-review-2026-11-22.md"
    assert path.read_text(encoding="utf-8") == minutes
    with pytest.raises(OutputExists):  # never overwrites earlier minutes unless asked
        service.save_minutes(finished)
    again = service.save_minutes(finished, service.free_name(path))
    assert again.name == "sample-review-2026-11-22-2.md" and again.exists()
    assert service.save_minutes(finished, force=True) == path


def test_start_review_on_empty_portfolio(empty_service: Service) -> None:
    with pytest.raises(BadInput, match="no active initiative"):
        empty_service.start_review()
    assert empty_service.open_review() is None


def test_add_metric_and_evidence(service: Service) -> None:
    ini = by_name(service, "Invoice processing")
    for n, v in enumerate([97.0, 98.5, 99.0, 98.0]):
        service.add_metric(ini, "Match rate", v, target=97, unit="%", at=date(2026, 11, 1 + n))
    series = service.metric_series(ini.id)
    [match] = [s for s in series if s.name == "Match rate"]
    assert match.values == (97.0, 98.5, 99.0, 98.0)
    assert scoring.metric_evidence(series).supports_stable_performance
    default_day = service.add_metric(ini, "Volume", 1200)
    assert default_day.at == FROZEN_TODAY and default_day.target is None
    assert len(service.metrics(ini)) == 5


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [("", 1.0, "name"), ("x" * 121, 1.0, "name"), ("ok", float("nan"), "value")],
)
def test_add_metric_refuses_bad_input(
    service: Service, name: str, value: float, message: str
) -> None:
    ini = by_name(service, "Invoice processing")
    before = len(service.metrics(ini))
    with pytest.raises(BadInput, match=message):
        service.add_metric(ini, name, value)
    assert len(service.metrics(ini)) == before


def test_one_review_item_matches_the_whole_session_read(service: Service) -> None:
    """The screen reloads only the decided initiative; that narrow read must show exactly what
    the whole-session read shows, before and after a decision (plans and metrics included)."""
    session = service.start_review()
    for item in service.review_items(session):
        assert service.review_item(session, item.initiative.id) == item
    dispatch = by_name(service, "Dispatch routing")
    service.record_decision(session, dispatch, "keep", "on track")
    fresh = service.review_item(session, dispatch.id)
    assert fresh is not None and fresh.decision is not None
    assert fresh.plan.startswith("day 38") and fresh.metrics
    whole = {it.initiative.id: it for it in service.review_items(session)}
    assert fresh == whole[dispatch.id]
    assert service.review_item(session, "00000000-0000-4000-8000-000000000000") is None


def test_the_promotion_question_is_asked_of_the_service(service: Service) -> None:
    """What the review shows before a promote decision: the gate in words and the focus
    warning, from one service call, and nothing written."""
    before = len(service.store.changes(expand=False))
    stuck = by_name(service, "Route optimisation")
    promotion = service.promotion(stuck)
    check = scoring.move_check(stuck, "productionize", service.answer_map(stuck.id))
    assert promotion.target == "productionize" and not promotion.allowed
    assert promotion.lines == check.lines() and promotion.lines
    assert promotion.focus == service.focus_warning(stuck, "productionize")
    last = next(i for i in service.initiatives() if i.stage == "infrastructure")
    assert service.promotion(last).target is None
    assert len(service.store.changes(expand=False)) == before
