"""A portfolio's plan statuses are read from the plan and task rows without a model per row
(issue 13: the review at 10,000 initiatives spent most of a second building 25,000 task
models). The statuses are the ones the models give; a row no model would accept is read
through the models, which say what is wrong with the file as every other read does."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bridge_tui.errors import BadFile
from bridge_tui.models import TaskFacts
from bridge_tui.service import Service
from bridge_tui.service.moves import CURRENT_PLAN, CURRENT_TASK
from bridge_tui.store import Store, checks
from tests.conftest import FROZEN_TODAY


def statuses_through_models(service: Service) -> dict[str, object]:
    """`_plan_statuses` as it was: every plan and task through its model."""
    from bridge_tui import scoring

    plans, tasks = service._live_plans()
    return {
        i.id: scoring.plan_status(
            plans[i.id].start_date, tasks.get(i.id, []), service.today(), i.last_review_at
        )
        for i in service.store.initiatives()
        if i.id in plans
    }


def test_the_rows_give_the_statuses_the_models_give(service: Service) -> None:
    # a task ticked and one moved to another month, so done and month both matter
    plans, tasks = service._live_plans()
    assert plans, "the sample has 90-day plans"
    owner = next(iter(tasks))
    first, second = tasks[owner][0], tasks[owner][1]
    service.set_task_done(first, True)
    service.edit_task(service.store.get(type(second), second.id), month=3)
    facts = service.store.plan_facts(CURRENT_PLAN, CURRENT_TASK)
    assert facts is not None
    starts, rows = facts
    plans, tasks = service._live_plans()
    assert starts == {iid: p.start_date for iid, p in plans.items()}
    assert rows == {
        iid: [TaskFacts(t.id, t.month, t.done, t.due) for t in ts] for iid, ts in tasks.items()
    }
    assert service._plan_statuses(service.store.initiatives()) == statuses_through_models(service)


@pytest.fixture
def opened_with(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str, object], Service]]:
    """A service on the sample with one current task's `column` set to `value` outside
    bridge, opened as a file too large for the full check (every file counts as large here)."""
    monkeypatch.setattr(checks, "FULL_CHECK_BYTES", 0)
    opened: list[Store] = []

    def open_with(column: str, value: object) -> Service:
        with sqlite3.connect(sample_db) as conn:
            conn.execute(
                f"UPDATE tasks SET {column} = ? WHERE plan_id = '' AND rowid = 1", (value,)
            )
        conn.close()
        opened.append(Store.open(sample_db, read_only=True))
        return Service(opened[-1], "tester", FROZEN_TODAY)

    yield open_with
    for store in opened:
        store.close()


@pytest.mark.parametrize(
    ("column", "value"),
    [("month", 7), ("due", "next tuesday"), ("due", "")],
)
def test_a_damaged_task_row_is_said_as_every_read_says_it(
    opened_with: Callable[[str, object], Service], column: str, value: object
) -> None:
    service = opened_with(column, value)
    assert service.store.plan_facts(CURRENT_PLAN, CURRENT_TASK) is None
    with pytest.raises(BadFile, match="holds a value bridge cannot read"):
        service._plan_statuses(service.store.initiatives())


def test_a_row_only_the_models_accept_is_read_through_them(
    opened_with: Callable[[str, object], Service],
) -> None:
    """`done` stored as 5 (not bridge's 0 or 1): the rows are not trusted for it, and the
    models read it as they always did."""
    service = opened_with("done", 5)
    assert service.store.plan_facts(CURRENT_PLAN, CURRENT_TASK) is None
    statuses = service._plan_statuses(service.store.initiatives())
    assert statuses == statuses_through_models(service)


def test_the_timeline_reads_the_rows_too(service: Service) -> None:
    """The portfolio's plan timeline (`t` on the plan screen, `bridge timeline`): the same
    days 1 and statuses as through the models."""
    plans, _ = service._live_plans()
    rows = service.timeline()
    assert {r.initiative.id: r.start for r in rows} == {
        iid: p.start_date for iid, p in plans.items()
    }
    assert {r.initiative.id: r.status for r in rows} == statuses_through_models(service)


def test_a_damaged_row_stops_the_timeline_with_one_sentence(
    opened_with: Callable[[str, object], Service],
) -> None:
    service = opened_with("due", "soon")
    with pytest.raises(BadFile, match="holds a value bridge cannot read"):
        service.timeline()
