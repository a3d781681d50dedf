"""ChecklistOps: the score history replayed from the change log, and the screen's small writes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge_tui import method, scoring
from bridge_tui.errors import BadInput
from bridge_tui.models import Answer, answer_id
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY


def _changes(svc: Service) -> int:
    return len(svc.store.changes(expand=False))


def test_no_answers_no_history(empty_service: Service) -> None:
    i = empty_service.create_initiative("Fresh idea")
    assert empty_service.score_history(i) == []
    view = empty_service.checklist_view(i.id)
    assert view.history.first is None and view.history.last is None


def test_each_item_change_adds_a_point_with_the_total_after_it(empty_service: Service) -> None:
    svc = empty_service
    i = svc.create_initiative("Routing")
    for key, value in (("D1", "yes"), ("D2", "yes"), ("D1", "no"), ("D3", "unknown")):
        svc.answer(i, key, value)
    totals = [t for _, t in svc.score_history(i)]
    assert totals == [1, 2, 1, 1]


def test_notes_tests_and_signals_do_not_add_points(empty_service: Service) -> None:
    svc = empty_service
    i = svc.create_initiative("Routing")
    svc.answer(i, "G1", "yes")
    svc.set_note(i, "G1", "Model card v3 on the wiki")
    svc.answer(i, "embedded", "yes")
    svc.answer(i, "enthusiasm", "yes")
    svc.answer(i, "scoped", "yes")
    assert [t for _, t in svc.score_history(i)] == [1]


def test_other_initiatives_do_not_leak_in(empty_service: Service) -> None:
    svc = empty_service
    a = svc.create_initiative("A")
    b = svc.create_initiative("B")
    svc.answer(a, "D1", "yes")
    svc.answer(b, "D1", "yes")
    svc.answer(b, "D2", "yes")
    assert [t for _, t in svc.score_history(a)] == [1]
    assert [t for _, t in svc.score_history(b)] == [1, 2]


def test_a_deleted_answer_counts_as_unanswered(empty_service: Service) -> None:
    svc = empty_service
    i = svc.create_initiative("Routing")
    svc.answer(i, "T1", "yes")
    svc.answer(i, "T2", "yes")
    stored = svc.store.get(Answer, answer_id(i.id, "T1"))
    assert stored is not None
    with svc._tx() as tx:
        tx.delete(stored)
    assert [t for _, t in svc.score_history(i)] == [1, 2, 1]
    svc.answer(i, "T1", "yes")  # revived by answering again
    assert [t for _, t in svc.score_history(i)][-1] == 2


def test_history_ends_at_the_current_total_on_the_sample(service: Service) -> None:
    for i in service.initiatives():
        history = service.score_history(i)
        total = scoring.readiness(service.answer_map(i.id)).total
        if history:
            assert history[-1][1] == total, i.name
            times = [t for t, _ in history]
            assert times == sorted(times)
        else:
            assert total == 0


def test_history_dates_are_first_and_last_item_change(service: Service) -> None:
    i = service.resolve("Dispatch routing")
    view = service.checklist_view(i.id)
    stamps = [a.at for a in service.answers(i.id) if a.key in method.ITEM_BY_ID and a.at]
    assert view.history.first is not None and view.history.last is not None
    assert view.history.first <= min(stamps)
    assert view.history.last == max(stamps)


def test_set_answer_writes_only_a_real_change(empty_service: Service) -> None:
    svc = empty_service
    i = svc.create_initiative("Routing")
    before = _changes(svc)
    assert svc.set_answer(i, "D1", "unknown") is None  # already unanswered
    assert _changes(svc) == before
    saved = svc.set_answer(i, "D1", "yes")
    assert saved is not None and saved.value == "yes" and saved.by == "tester"
    after = _changes(svc)
    assert svc.set_answer(i, "D1", "yes") is None
    assert _changes(svc) == after


def test_set_answer_keeps_the_note(empty_service: Service) -> None:
    svc = empty_service
    i = svc.create_initiative("Routing")
    svc.answer(i, "O3", "yes", "PagerDuty rota since May")
    svc.set_answer(i, "O3", "no")
    assert svc.answers(i.id)[0].note == "PagerDuty rota since May"


def test_set_note_keeps_the_value_and_logs_one_field(empty_service: Service) -> None:
    svc = empty_service
    i = svc.create_initiative("Routing")
    svc.answer(i, "S1", "no")
    before = svc.store.changes(expand=False)
    svc.set_note(i, "S1", "  audit log planned for Q1  ")
    new = svc.store.changes(expand=False)[: len(svc.store.changes(expand=False)) - len(before)]
    assert [c.field for c in new] == ["note"]
    (a,) = svc.answers(i.id)
    assert (a.value, a.note) == ("no", "audit log planned for Q1")
    assert svc.set_note(i, "S1", "audit log planned for Q1") is None


def test_a_note_on_an_unanswered_item_keeps_it_unanswered(empty_service: Service) -> None:
    svc = empty_service
    i = svc.create_initiative("Routing")
    assert svc.set_note(i, "G3", "") is None  # nothing to save
    svc.set_note(i, "G3", "rollback drill booked for next week")
    assert svc.answer_map(i.id) == {"G3": "unknown"}
    assert scoring.readiness(svc.answer_map(i.id)).unanswered == 20


def test_set_answer_rejects_unknown_keys(empty_service: Service) -> None:
    i = empty_service.create_initiative("Routing")
    try:
        empty_service.set_answer(i, "Z9", "yes")
    except BadInput as exc:
        assert "Z9" in exc.message
    else:  # pragma: no cover - the assertion is the point
        raise AssertionError("an unknown key was accepted")


def test_view_carries_position_card_and_metrics(service: Service) -> None:
    i = service.resolve("Dispatch routing")
    view = service.checklist_view(i.id)
    order = [x.id for x in service.ordered()]
    assert view.position == order.index(i.id) and view.count == len(order)
    assert view.card.readiness == scoring.readiness(service.answer_map(i.id))
    assert [m.name for m in view.metrics] == [m.name for m in service.metric_series(i.id)]
    assert view.evidence == scoring.metric_evidence(view.metrics)
    assert [e.id for e in view.exit_conditions] == ["unattended_30d", "dashboards", "on_call"]


def test_step_view_walks_board_order(service: Service) -> None:
    order = [i.id for i in service.ordered()]
    view = service.step_view(order[-1], 1)
    assert view is not None and view.initiative.id == order[0] and view.position == 0
    view = service.step_view(None, 1)
    assert view is not None and view.initiative.id == order[0]
    view = service.step_view(order[3], -1)
    assert view is not None and (view.position, view.count) == (2, len(order))


def test_step_view_on_an_empty_file(empty_service: Service) -> None:
    assert empty_service.step_view(None, 1) is None


def test_a_known_position_is_reused(service: Service) -> None:
    i = service.resolve("Invoice processing")
    view = service.checklist_view(i.id, position=(41, 99))
    assert (view.position, view.count) == (41, 99)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from([*(i.id for i in method.ITEMS[:6]), "embedded", "scoped"]),
            st.sampled_from(["yes", "no", "unknown"]),
        ),
        max_size=12,
    )
)
def test_history_replays_to_the_live_score(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[str, str]]
) -> None:
    """Whatever the order of answers, the last point is the live total, and every real
    change of an item (and only that) adds one point."""
    path = tmp_path_factory.mktemp("prop") / "p.db"
    store = Store.create(path)
    try:
        svc = Service(store, "tester", FROZEN_TODAY)
        i = svc.create_initiative("Routing")
        expected_points = 0
        for key, value in steps:
            written = svc.set_answer(i, key, value)
            if written is not None and key in method.ITEM_BY_ID:
                expected_points += 1
        history = svc.score_history(i)
        assert len(history) == expected_points
        total = scoring.readiness(svc.answer_map(i.id)).total
        assert (history[-1][1] if history else 0) == total
    finally:
        store.close()
