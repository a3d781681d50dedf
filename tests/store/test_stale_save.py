"""A save writes only what the user changed; a stale save is refused with what the teammate
changed (their value, who, when), and saving again never reverts the teammate.

Two `Service` objects on one file play "me" and "carol", as two people on a shared drive do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge_tui.errors import BadInput, StaleRevision
from bridge_tui.service import Service
from bridge_tui.store import Store
from tests.conftest import FROZEN_TODAY

NAME = "Route optimisation"


@pytest.fixture
def two(sample_db: Path) -> Iterator[tuple[Service, Service]]:
    mine, theirs = Store.open(sample_db), Store.open(sample_db)
    yield Service(mine, "me", FROZEN_TODAY), Service(theirs, "carol", FROZEN_TODAY)
    mine.close()
    theirs.close()


def _log(svc: Service) -> int:
    return len(svc.store.changes(expand=False))


def test_refusal_names_each_field_their_value_who_and_when(two: tuple[Service, Service]) -> None:
    me, carol = two
    read = me.resolve(NAME)
    carol.edit_initiative(carol.resolve(NAME), owner="Carol Chen")
    before = _log(me)
    with pytest.raises(StaleRevision, match=r"carol changed this initiative \(owner\)"):
        me.edit_initiative(read, team="Route planning desk")
    assert _log(me) == before  # nothing of mine was written

    conflict = me.changes_since(read)
    assert conflict.fields == {"owner"}
    owner = conflict.get("owner")
    assert owner is not None
    assert owner.theirs == "Carol Chen" and owner.was == read.owner
    assert owner.theirs_text == "Carol Chen" and owner.label == "Owner"
    assert owner.author == "carol"
    assert re.fullmatch(r"\d\d:\d\d", owner.at)  # today: the time only
    assert conflict.current.owner == "Carol Chen"
    assert conflict.sentence().startswith("carol changed this initiative after you opened it")


def test_keep_mine_writes_only_my_field_onto_their_version(two: tuple[Service, Service]) -> None:
    me, carol = two
    read = me.resolve(NAME)
    carol.edit_initiative(carol.resolve(NAME), owner="Carol Chen")
    with pytest.raises(StaleRevision):
        me.edit_initiative(read, team="Route planning desk")
    conflict = me.changes_since(read)
    saved = me.edit_initiative(conflict.current, team="Route planning desk")
    assert saved.owner == "Carol Chen" and saved.team == "Route planning desk"
    last = me.store.changes(tx=me.session_txs[-1], expand=False)
    assert [(c.field, c.author) for c in last] == [("team", "me")]
    assert carol.resolve(NAME).owner == "Carol Chen"


def test_a_field_both_changed_shows_both_and_nothing_is_lost(two: tuple[Service, Service]) -> None:
    me, carol = two
    read = me.resolve(NAME)
    carol.edit_initiative(carol.resolve(NAME), team="Carol's team", pilot_budget=99.5)
    conflict = me.changes_since(read)
    assert conflict.fields == {"team", "pilot_budget"}
    budget = conflict.get("pilot_budget")
    assert budget is not None and budget.theirs == 99.5 and budget.theirs_text == "99.5"
    assert budget.was == read.pilot_budget


def test_unchanged_fields_write_nothing(two: tuple[Service, Service]) -> None:
    me, _ = two
    i = me.resolve(NAME)
    before = _log(me)
    same = me.edit_initiative(i, owner=i.owner, team=i.team, pilot_budget=i.pilot_budget)
    assert same.revision == i.revision
    assert _log(me) == before
    assert me.session_txs == []  # nothing to undo either


def test_budgets_round_trip_exactly(two: tuple[Service, Service]) -> None:
    me, carol = two
    i = me.edit_initiative(me.resolve(NAME), pilot_budget=99.5, integration_budget=1234.56)
    assert carol.resolve(NAME).pilot_budget == 99.5
    assert carol.resolve(NAME).integration_budget == 1234.56
    before = _log(me)
    me.edit_initiative(i, pilot_budget=99.5, integration_budget=1234.56)
    assert _log(me) == before


def test_a_task_deleted_meanwhile_says_so(two: tuple[Service, Service]) -> None:
    me, carol = two
    i = me.resolve(NAME)
    me.generate_plan(i)
    task = me.plan_tasks(i.id)[0]
    carol.delete_task(carol.task(task.id))
    with pytest.raises(BadInput, match="no longer exists"):
        me.edit_task(task, title="Mine")
    with pytest.raises(BadInput, match="deleted this task"):
        me.changes_since(task)


def test_task_conflict_lists_their_fields(two: tuple[Service, Service]) -> None:
    me, carol = two
    i = me.resolve(NAME)
    me.generate_plan(i)
    task = me.plan_tasks(i.id)[0]
    carol.edit_task(carol.task(task.id), notes="carol's note", owner="Kai")
    conflict = me.changes_since(task)
    assert conflict.fields == {"notes", "owner"}
    assert {c.author for c in conflict.changes} == {"carol"}
    saved = me.edit_task(conflict.current, title="My title")
    assert (saved.title, saved.notes, saved.owner) == ("My title", "carol's note", "Kai")


def test_cli_edit_writes_only_the_options_given(sample_db: Path) -> None:
    """`bridge edit REF --team X` writes the team alone (one change-log entry, no budget
    or owner rewritten)."""
    from bridge_tui.cli import main

    store = Store.open(sample_db)
    before = {c.change_id for c in store.changes(expand=False)}
    store.close()
    with pytest.raises(SystemExit) as info:
        main(["--db", str(sample_db), "--as", "me", "edit", NAME, "--team", "Desk"])
    assert info.value.code in (0, None)
    store = Store.open(sample_db)
    try:
        new = [c for c in store.changes(expand=False) if c.change_id not in before]
        assert [(c.field, c.new) for c in new] == [("team", "Desk")]
    finally:
        store.close()


@pytest.mark.parametrize("write", ["move", "force", "kill", "revive"])
def test_a_stale_move_kill_or_revive_is_refused_and_writes_nothing(
    two: tuple[Service, Service], write: str
) -> None:
    """The one revision check, made inside the transaction, still refuses what the user saw
    before a teammate saved: no gate is passed, nothing of mine is written."""
    me, carol = two
    if write == "revive":
        me.kill(me.resolve(NAME), "No budget")
    read = me.resolve(NAME)
    carol.edit_initiative(carol.resolve(NAME), owner="Carol Chen")
    before = _log(me)
    with pytest.raises(StaleRevision, match=r"carol changed this initiative \(owner\)"):
        if write == "move":
            me.move(read, "experiment", reason="Back to the drawing board")
        elif write == "force":
            me.move(read, "productionize", force=True, reason="COO decision")
        elif write == "kill":
            me.kill(read, "No budget")
        else:
            me.revive(read)
    assert _log(me) == before
    assert carol.resolve(NAME).stage == read.stage
