"""Every use case is one transaction and one undo: a review decision moves or kills, records the
review, dates the initiative's last review (and starts or finishes the session) all at once."""

from __future__ import annotations

from datetime import date

from bridge_tui.models import PlanTask, Review, ReviewSession
from bridge_tui.service import Service


def _new_txs(svc: Service, before: set[str]) -> set[str]:
    return {c.tx for c in svc.store.changes(expand=False) if c.change_id not in before}


def _ids(svc: Service) -> set[str]:
    return {c.change_id for c in svc.store.changes(expand=False)}


def test_forced_promote_into_productionize_is_one_transaction_and_one_undo(
    service: Service,
) -> None:
    session = service.start_review()
    stuck = service.resolve("Route optimisation")
    assert stuck.stage == "validate" and service.plan(stuck) is None
    before = _ids(service)
    result = service.record_decision(
        session, stuck, "promote", "", force=True, reason="COO decision"
    )
    assert result.move is not None and result.move.plan_created
    txs = _new_txs(service, before)
    assert len(txs) == 1  # the move, the plan and its tasks, the review, the review date
    (tx,) = txs
    entities = {c.entity for c in service.store.changes(tx=tx, expand=False)}
    assert entities == {"initiative", "plan", "task", "review"}
    assert service.session_txs[-1] == tx

    service.undo_last()  # one ctrl+z
    back = service.resolve("Route optimisation")
    assert back.stage == "validate" and back.forced_reason == ""
    assert back.last_review_at == stuck.last_review_at
    assert service.plan(back) is None
    assert service.plan_tasks(back.id) == []
    assert service.store.all(Review, "initiative_id = ?", (back.id,)) == []
    assert service.session_decisions(session) == {}


def test_kill_decision_is_one_transaction_and_one_undo(service: Service) -> None:
    session = service.start_review()
    victim = service.resolve("Customer service assistant")
    before = _ids(service)
    service.record_decision(session, victim, "kill", "No owner since May")
    assert len(_new_txs(service, before)) == 1
    assert service.resolve(victim.name).stage == "killed"
    service.undo_last()
    again = service.resolve(victim.name)
    assert again.stage == victim.stage and again.kill_reason == ""
    assert again.last_review_at == victim.last_review_at
    assert service.session_decisions(session) == {}


def test_first_decision_starts_the_session_in_the_same_transaction(service: Service) -> None:
    ini = service.resolve("Contract review")
    sessions = service.store.all(ReviewSession)
    before = _ids(service)
    result = service.record_decision(None, ini, "keep", "fine", order=[ini.id])
    assert len(_new_txs(service, before)) == 1
    # the only initiative of the session was decided: the session is finished, same change
    assert result.session.finished_at is not None
    service.undo_last()
    assert service.store.all(ReviewSession) == sessions
    assert service.store.all(Review, "session_id = ?", (result.session.id,)) == []
    assert service.resolve("Contract review").last_review_at == ini.last_review_at


def test_a_refused_first_decision_writes_no_session(service: Service) -> None:
    stuck = service.resolve("Route optimisation")
    before = _ids(service)
    result = service.record_decision(None, stuck, "promote", order=[stuck.id])
    assert result.refused and result.unmet
    assert _ids(service) == before
    assert service.open_review() is None


def test_plan_create_with_a_start_day_is_one_change(service: Service) -> None:
    ini = service.resolve("Route optimisation")
    before = _ids(service)
    view = service.generate_plan(ini, start=date(2026, 12, 1))
    assert view.plan.start_date == date(2026, 12, 1)
    assert len(_new_txs(service, before)) == 1
    service.undo_last()
    assert service.plan(ini) is None
    assert service.store.all(PlanTask, "initiative_id = ?", (ini.id,)) == []
