"""A task tick is one history line ("Task done"), not three (done, done at, done by)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from bridge_tui.models import Change
from bridge_tui.service.history_fold import fold_task_ticks
from bridge_tui.tui.screens.history import HistoryScreen
from tests.tui.helpers import pressed, sample_app
from tests.tui.test_plan import _highlight, _open, _task


def _change(tx: str, entity_id: str, field: str, entity: str = "task") -> Change:
    return Change(
        change_id=f"{tx}-{entity_id}-{field}",
        tx=tx,
        entity=entity,
        entity_id=entity_id,
        field=field,
        old=None,
        new=None,
        author="sam",
        hlc="0" * 16 + tx,
    )


def test_only_a_ticks_companions_fold() -> None:
    tick = [
        _change("t1", "a", "done"),
        _change("t1", "a", "done_at"),
        _change("t1", "a", "done_by"),
    ]
    alone = [_change("t2", "a", "done_by")]  # changed on its own (a merge): kept
    other_task = [_change("t1", "b", "done_at")]  # same transaction, another task: kept
    not_a_task = [_change("t1", "a", "done_at", entity="review")]
    folded = fold_task_ticks([*tick, *alone, *other_task, *not_a_task])
    assert folded == [tick[0], *alone, *other_task, *not_a_task]


async def test_a_tick_in_the_plan_is_one_line_in_history(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await _open(app, pilot)
        await _highlight(app, pilot, 1, "Surface disagreements now")
        await pilot.press("space")
        await pilot.pause()
        task = _task(app, "Surface disagreements now")
        assert task.done
        screen = await pressed(pilot, "H", HistoryScreen)
        tx = app.service.session_txs[-1]
        mine = [e for e in screen._entries.values() if e.tx == tx]
        assert [(e.field, e.author, e.new) for e in mine] == [("done", "tester", "yes")]
        table = screen.query_one("#history-table", DataTable)
        assert table.row_count == screen.entries_shown
