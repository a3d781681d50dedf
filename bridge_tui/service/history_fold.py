"""History in the words a person used: one tick of a task is one line, not three.

Ticking a task writes `done`, `done_at` and `done_by` in one transaction (the log keeps all
three, for merge and undo); the history shows the `done` line only, since its author and time
are the other two. A `done_at` or `done_by` changed on its own (a merge, an edit) still shows."""

from __future__ import annotations

from collections.abc import Iterable

from bridge_tui.models import Change

#: fields a task's tick writes beside `done`
TICK_COMPANIONS = frozenset({"done_at", "done_by"})


def fold_task_ticks(changes: Iterable[Change]) -> list[Change]:
    """`changes` without the `done_at`/`done_by` entries of a transaction that also changed
    the same task's `done`; the order is kept."""
    rows = list(changes)
    ticked = {(c.tx, c.entity_id) for c in rows if c.entity == "task" and c.field == "done"}
    return [
        c
        for c in rows
        if not (c.entity == "task" and c.field in TICK_COMPANIONS and (c.tx, c.entity_id) in ticked)
    ]
