"""Every use case is one transaction and one undo: a review decision moves or kills, records the
review, dates the initiative's last review (and starts or finishes the session) all at once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bridge_tui import scoring
from bridge_tui.errors import GateRefused
from bridge_tui.models import PlanTask, Review, ReviewSession
from bridge_tui.service import Service
from bridge_tui.store import Tx


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


# one trip per write: the row is read once, inside the transaction, where its revision is
# checked once (`Tx.current`), and the gate is evaluated once ---------------------------------


class _Trip:
    """What one write did: SQL statements run, revision checks made, gates evaluated."""

    def __init__(self, svc: Service, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sql: list[str] = []
        self.checks = 0
        self.gates = 0
        real_current, real_gate = Tx.current, scoring.move_check

        def current(tx: Tx, *args: Any, **kw: Any) -> Any:
            self.checks += 1
            return real_current(tx, *args, **kw)

        def gate(*args: Any, **kw: Any) -> Any:
            self.gates += 1
            return real_gate(*args, **kw)

        monkeypatch.setattr(Tx, "current", current)
        monkeypatch.setattr(scoring, "move_check", gate)
        svc.store.conn.set_trace_callback(self.sql.append)

    def reads(self, table: str) -> int:
        """Rows of `table` read by id (the row a write is about)."""
        return sum(s.startswith(f"SELECT * FROM {table} WHERE id = ") for s in self.sql)


def test_a_move_reads_the_row_once_and_checks_revision_and_gate_once(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("scoped", "team_assigned"):
        service.answer(service.resolve("Warehouse slotting"), key, "yes")
    seen = service.resolve("Warehouse slotting")
    trip = _Trip(service, monkeypatch)
    result = service.move(seen, "pilot")
    assert result.initiative.stage == "pilot" and not result.forced
    assert (trip.reads("initiatives"), trip.checks, trip.gates) == (1, 1, 1)
    answers = [s for s in trip.sql if s.startswith("SELECT * FROM answers WHERE")]
    assert len(answers) == 1  # the gate and the forced mark share one read of the answers


def test_a_forced_move_into_productionize_is_one_trip_with_its_warnings(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = service.resolve("Fleet maintenance prediction")
    trip = _Trip(service, monkeypatch)
    result = service.move(seen, "productionize", force=True, reason="COO decision")
    assert result.forced and result.plan_created
    assert (trip.reads("initiatives"), trip.checks, trip.gates) == (1, 1, 1)
    assert any("under 3x the pilot budget" in w for w in result.warnings)


def test_a_refused_move_carries_what_the_gate_dialog_shows(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board shows the refusal as it is: it evaluates no gate and no warning itself."""
    seen = service.resolve("Fleet maintenance prediction")
    before = _ids(service)
    trip = _Trip(service, monkeypatch)
    with pytest.raises(GateRefused) as info:
        service.move(seen, "productionize")
    assert (trip.reads("initiatives"), trip.checks, trip.gates) == (1, 1, 1)
    monkeypatch.undo()
    check = service.check_move(seen, "productionize")
    assert info.value.unmet == check.unmet and info.value.lines == check.lines()
    assert info.value.warnings[0] == scoring.budget_warning_text(seen)
    assert _ids(service) == before and service.session_txs == []


def test_kill_and_revive_read_the_row_once_and_check_it_once(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = service.resolve("Warehouse slotting")
    trip = _Trip(service, monkeypatch)
    killed = service.kill(seen, "No budget").initiative
    assert (trip.reads("initiatives"), trip.checks, trip.gates) == (1, 1, 0)
    trip = _Trip(service, monkeypatch)
    revived = service.revive(killed).initiative
    assert revived.stage == "experiment"
    assert (trip.reads("initiatives"), trip.checks, trip.gates) == (1, 1, 1)


def test_an_edit_and_an_answer_read_their_row_once(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = service.resolve("Warehouse slotting")
    trip = _Trip(service, monkeypatch)
    edited = service.edit_initiative(seen, team="Slotting desk")
    assert (trip.reads("initiatives"), trip.checks) == (1, 1)
    service.answer(edited, "scoped", "yes")
    trip = _Trip(service, monkeypatch)
    service.answer(edited, "scoped", "no")  # an existing answer: read once, then saved
    assert trip.reads("answers") == 1 and trip.checks == 0


def test_save_writes_only_onto_a_row_its_transaction_read(service: Service) -> None:
    seen = service.resolve("Warehouse slotting")
    with pytest.raises(RuntimeError, match="read in this transaction"), service._tx() as tx:
        tx.save(seen, team="Slotting desk")
    assert service.resolve("Warehouse slotting").team == seen.team
