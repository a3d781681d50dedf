"""The plan use cases on a temp copy of the sample: generate, add, edit, done, delete, reorder,
move between months, resolve, neighbours, the timeline, and the plan made on entering
Productionize."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bridge_tui import method
from bridge_tui.errors import BadInput, ReadOnly, StaleRevision
from bridge_tui.models import PlanTask
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY

DISPATCH = "Dispatch routing"


def dispatch(service: Service):  # type: ignore[no-untyped-def]
    return service.resolve(DISPATCH)


def test_dispatch_routing_has_a_running_plan(service: Service) -> None:
    view = service.plan_view(dispatch(service))
    assert view is not None
    assert view.plan.start_date == FROZEN_TODAY - timedelta(days=37)
    assert view.status.day == 38
    assert view.status.phase == "running"
    assert view.status.current_month == 2
    assert len(view.tasks) == sum(len(m.tasks) for m in method.PLAN_TEMPLATE)
    assert view.status.behind
    late = [view.task(t) for t in view.status.late]
    assert [t.title for t in late if t] == ["Surface disagreements now"]
    assert view.status.overdue == view.status.late


def test_initiative_without_plan(service: Service) -> None:
    i = service.resolve("Route optimisation")
    assert service.plan_view(i) is None
    with pytest.raises(BadInput, match="no 90-day plan"):
        service.add_task(i, 1, "Something")


def test_generate_plan_on_demand(service: Service) -> None:
    i = service.resolve("Route optimisation")
    view = service.generate_plan(i)
    assert view.plan.start_date == FROZEN_TODAY
    assert view.status.day == 1
    assert [len(view.month_tasks(m)) for m in (1, 2, 3)] == [6, 4, 5]
    assert {t.due for t in view.month_tasks(2)} == {FROZEN_TODAY + timedelta(days=59)}
    with pytest.raises(BadInput, match="already has"):
        service.generate_plan(i)
    entities = {c.entity for c in service.store.changes(entity_id=i.id)}
    assert "plan" in entities


def test_moving_into_productionize_creates_the_plan(service: Service) -> None:
    i = service.resolve("Route optimisation")
    result = service.move(i, "productionize", force=True, reason="Board decision")
    assert result.plan_created
    view = service.plan_view(result.initiative)
    assert view is not None and view.plan.start_date == FROZEN_TODAY
    # moving back and in again starts a fresh plan; the first one is archived, readable
    first = service.plan_tasks(i.id)
    service.set_task_done(first[0])
    back = service.move(result.initiative, "validate", reason="Data issue")
    again = service.move(back.initiative, "productionize", force=True, reason="Fixed")
    assert again.plan_created
    assert len(service.plan_tasks(i.id)) == 15
    assert not any(t.done for t in service.plan_tasks(i.id))
    (old,) = service.archived_plans(again.initiative)
    assert old.plan.start_date == FROZEN_TODAY and old.plan.archived_on == FROZEN_TODAY
    assert {t.id for t in old.tasks} == {t.id for t in first}
    assert (old.done, old.total) == (1, 15)


def test_add_task_defaults_due_to_month_end_and_appends(service: Service) -> None:
    i = dispatch(service)
    view = service.plan_view(i)
    assert view is not None
    task = service.add_task(i, 3, "Write the handover note", owner="Lena Park")
    assert task.due == view.status.month(3).last
    assert task.position > max(t.position for t in view.month_tasks(3))
    assert service.plan_view(i).month_tasks(3)[-1].id == task.id  # type: ignore[union-attr]
    due = date(2026, 12, 1)
    t2 = service.add_task(i, 2, "Book training room", due=due)
    assert t2.due == due


@pytest.mark.parametrize(
    ("month", "title", "message"),
    [(4, "x", "month must be 1, 2 or 3"), (0, "x", "month"), (1, "   ", "title")],
)
def test_add_task_bad_input(service: Service, month: int, title: str, message: str) -> None:
    i = dispatch(service)
    before = len(service.plan_tasks(i.id))
    with pytest.raises(BadInput, match=message):
        service.add_task(i, month, title)
    assert len(service.plan_tasks(i.id)) == before


def test_toggle_done_records_who_and_when(service: Service) -> None:
    i = dispatch(service)
    t = service.resolve_task(i, "Surface disagreements now")
    done = service.toggle_task(t)
    assert done.done and done.done_by == "tester" and done.done_at is not None
    view = service.plan_view(i)
    assert view is not None and not view.status.behind
    undone = service.toggle_task(done)
    assert not undone.done and undone.done_by == "" and undone.done_at is None


def test_stale_task_is_refused(service: Service) -> None:
    i = dispatch(service)
    t = service.resolve_task(i, "Surface disagreements now")
    service.toggle_task(t)
    with pytest.raises(StaleRevision):
        service.toggle_task(t)  # the old revision


def test_edit_task(service: Service) -> None:
    i = dispatch(service)
    t = service.resolve_task(i, "Lock the scope")
    saved = service.edit_task(t, title="Lock the scope (signed)", notes="Signed 2 Nov", owner="")
    assert (saved.title, saved.notes, saved.owner) == (
        "Lock the scope (signed)",
        "Signed 2 Nov",
        "",
    )
    with pytest.raises(BadInput):
        service.edit_task(saved, title="")
    with pytest.raises(BadInput, match="cannot be edited"):
        service.edit_task(saved, done=True)


def test_move_task_to_another_month(service: Service) -> None:
    i = dispatch(service)
    view = service.plan_view(i)
    assert view is not None
    t = service.resolve_task(i, "Surface disagreements now")
    moved = service.move_task_to_month(t, 2)
    assert moved.month == 2
    assert moved.due == view.status.month(2).last  # followed the month end
    assert service.plan_view(i).month_tasks(2)[-1].id == t.id  # type: ignore[union-attr]
    with pytest.raises(BadInput, match="already in month 2"):
        service.move_task_to_month(moved, 2)
    with pytest.raises(BadInput, match="month must be"):
        service.move_task_to_month(moved, 4)
    custom = service.edit_task(moved, due=date(2026, 12, 2))
    again = service.move_task_to_month(custom, 3)
    assert again.due == date(2026, 12, 2)  # a chosen due date stays


def test_reorder_within_a_month(service: Service) -> None:
    i = dispatch(service)
    first, second = service.plan_view(i).month_tasks(1)[:2]  # type: ignore[union-attr]
    service.reorder_task(second, -1)
    titles = [t.title for t in service.plan_view(i).month_tasks(1)]  # type: ignore[union-attr]
    assert titles[:2] == [second.title, first.title]
    top = service.resolve_task(i, second.title)
    with pytest.raises(BadInput, match="already first"):
        service.reorder_task(top, -1)
    last = service.plan_view(i).month_tasks(1)[-1]  # type: ignore[union-attr]
    with pytest.raises(BadInput, match="already last"):
        service.reorder_task(last, 1)


def test_delete_is_a_tombstone(service: Service) -> None:
    i = dispatch(service)
    t = service.resolve_task(i, "Surface disagreements now")
    service.delete_task(t)
    assert all(x.id != t.id for x in service.plan_tasks(i.id))
    row = service.store.get(PlanTask, t.id, include_deleted=True)
    assert row is not None and row.deleted
    view = service.plan_view(i)
    assert view is not None and not view.status.behind


def test_resolve_task(service: Service) -> None:
    i = dispatch(service)
    t = service.resolve_task(i, "lock the SCOPE")
    assert t.title == "Lock the scope"
    assert service.resolve_task(i, t.id).id == t.id
    assert service.resolve_task(i, t.id[:8]).id == t.id
    with pytest.raises(BadInput, match="no task"):
        service.resolve_task(i, "Nope")
    with pytest.raises(BadInput, match="at least 4"):
        service.resolve_task(i, t.id[:2])
    with pytest.raises(BadInput, match="give a task"):
        service.resolve_task(i, " ")
    service.add_task(i, 1, "Lock the scope")
    with pytest.raises(BadInput, match="matches several tasks"):
        service.resolve_task(i, "Lock the scope")


def test_ambiguous_prefix(service: Service) -> None:
    i = dispatch(service)
    tasks = service.plan_tasks(i.id)
    # find the longest shared prefix between two task ids
    for a in tasks:
        for b in tasks:
            if a.id != b.id and a.id[:1] == b.id[:1]:
                n = 1
                while a.id[: n + 1] == b.id[: n + 1]:
                    n += 1
                if n >= 4:
                    with pytest.raises(BadInput, match="several"):
                        service.resolve_task(i, a.id[:n])
                    return
    # sample ids are random: no 4-character collision; make the check on titles instead
    service.add_task(i, 2, "Same")
    service.add_task(i, 3, "same")
    with pytest.raises(BadInput, match="several"):
        service.resolve_task(i, "SAME")


def test_plan_neighbours_walk_board_order(service: Service) -> None:
    with_plans = [i for i in service.ordered() if service.plan(i) is not None]
    assert len(with_plans) >= 2
    ids = [i.id for i in with_plans]
    first = service.plan_neighbour(ids[0], 1)
    assert first is not None and first.id == ids[1]
    wrap = service.plan_neighbour(ids[0], -1)
    assert wrap is not None and wrap.id == ids[-1]
    assert service.plan_neighbour(None, 1).id == ids[0]  # type: ignore[union-attr]
    # from an initiative without a plan: the next one with a plan on the board
    board = [i.id for i in service.ordered()]
    no_plan = next(b for b in board if b not in ids and board.index(b) < board.index(ids[0]))
    assert service.plan_neighbour(no_plan, 1).id == ids[0]  # type: ignore[union-attr]


def test_no_neighbours_without_plans(empty_service: Service) -> None:
    assert empty_service.plan_neighbour(None, 1) is None


def test_timeline_most_behind_first(service: Service) -> None:
    rows = service.timeline()
    names = [r.initiative.name for r in rows]
    assert DISPATCH in names
    assert len(rows) == len({r.initiative.id for r in rows})
    lates = [len(r.status.late) for r in rows if r.initiative.stage != "killed"]
    assert lates == sorted(lates, reverse=True)
    # a freshly generated plan is on track and sorts after the behind ones
    service.generate_plan(service.resolve("Route optimisation"))
    rows = service.timeline()
    assert rows[-1].initiative.name == "Route optimisation" or not rows[-1].status.behind


def test_changes_are_logged_and_undoable(service: Service) -> None:
    i = dispatch(service)
    t = service.resolve_task(i, "Surface disagreements now")
    before = len(service.session_txs)
    service.toggle_task(t)
    assert len(service.session_txs) == before + 1
    assert any(c.entity == "task" for c in service.store.changes(entity_id=t.id, limit=5))


def test_read_only_refuses(sample_db) -> None:  # type: ignore[no-untyped-def]
    store = Store.open(sample_db, read_only=True)
    try:
        svc = Service(store, "tester", FROZEN_TODAY)
        i = svc.resolve(DISPATCH)
        t = svc.resolve_task(i, "Lock the scope")
        with pytest.raises(ReadOnly):
            svc.toggle_task(t)
        with pytest.raises(ReadOnly):
            svc.add_task(i, 1, "x")
    finally:
        store.close()


def test_set_plan_start_shifts_due_dates(service: Service) -> None:
    i = dispatch(service)
    before = service.plan_view(i)
    assert before is not None and before.status.behind
    later = before.plan.start_date + timedelta(days=8)
    after = service.set_plan_start(i, later)
    assert after.plan.start_date == later
    assert after.status.day == 30  # today is now the last day of month 1
    old_due = {t.id: t.due for t in before.tasks}
    for t in after.tasks:
        assert t.due == old_due[t.id] + timedelta(days=8)  # type: ignore[operator]
    assert not after.status.behind  # month 1 has not ended yet
    with pytest.raises(BadInput, match="already starts on"):
        service.set_plan_start(i, later)
    with pytest.raises(BadInput, match="no 90-day plan"):
        service.set_plan_start(service.resolve("Route optimisation"), later)


def test_planned_names_in_board_order(service: Service) -> None:
    assert service.planned_names() == ["Dispatch routing", "Contract review", "Email triage"]
    assert set(service.planned_names()) == {r.initiative.name for r in service.timeline()}
