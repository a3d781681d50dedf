"""Pilot tests of a save refused because a teammate saved first, and of forms that write only
what the user changed.

Two people, one file: carol (a second `Service` on the same file, as on a shared drive)
changes the owner while "tester" has the edit form open and changes the team.
"""

from __future__ import annotations

import re
from pathlib import Path

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from bridge_tui.models import Initiative
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import BridgeApp, build_app
from bridge_tui.tui.dialogs.initiative_form import InitiativeForm
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.review import ReviewScreen
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import sample_app
from tests.tui.test_board import _go_to, _on_file

NAME = "Route optimisation"
OWNER = "Lars Eriksen"  # the sample's owner of NAME
TEAM = "Network planning"
MY_TEAM = "Route planning desk"
SIZE = (80, 24)


def _as_carol(db: Path, **fields: object) -> None:
    store = Store.open(db)
    try:
        carol = Service(store, "carol", FROZEN_TODAY)
        carol.edit_initiative(carol.resolve(NAME), **fields)
    finally:
        store.close()


def _log_length(db: Path) -> int:
    store = Store.open(db, read_only=True)
    try:
        return len(store.changes(expand=False))
    finally:
        store.close()


def _conflict(form: InitiativeForm) -> str:
    return str(form.query_one("#conflict-text", Static).render())


async def _refused_save(
    app: BridgeApp, pilot: Pilot[None], db: Path, **carol: object
) -> InitiativeForm:
    """Open the form, type my team, let carol save first, press enter: refused."""
    await _go_to(app, pilot, NAME)
    await pilot.press("e")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, InitiativeForm)
    assert form.query_one("#owner", Input).value == OWNER
    form.query_one("#team", Input).value = MY_TEAM
    _as_carol(db, **(carol or {"owner": "Carol Chen"}))
    form.query_one("#team", Input).focus()
    await pilot.press("enter")
    await pilot.pause()
    assert app.screen is form
    return form


async def test_refusal_shows_both_values_who_and_when_and_enter_never_reverts(
    sample_db: Path,
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await _refused_save(app, pilot, sample_db)
        shown = _conflict(form)
        assert "carol changed this initiative after you opened it" in shown
        assert "nothing of yours was saved" in shown
        # owner: theirs, who and when, and mine (untouched); team: mine
        assert re.search(r"Owner: theirs “Carol Chen”, by carol at \d\d:\d\d", shown)
        assert f"yours “{OWNER}” (you did not change it)" in shown
        assert f"Team: yours “{MY_TEAM}” (your change)" in shown
        assert form.query_one("#team", Input).value == MY_TEAM  # the typing is kept
        on_file = _on_file(sample_db, NAME)
        assert (on_file.owner, on_file.team) == ("Carol Chen", TEAM)

        # saving again straight away writes nothing: the choice comes first
        form.query_one("#team", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert "Choose first" in str(form.query_one("#form-error", Label).content)
        assert _on_file(sample_db, NAME).owner == "Carol Chen"
        # enter on the focused choice is "back to editing": still nothing written
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert _on_file(sample_db, NAME).owner == "Carol Chen"
        # ... with carol's owner in the field I did not touch, and my team kept
        assert form.query_one("#owner", Input).value == "Carol Chen"
        assert form.query_one("#team", Input).value == MY_TEAM
        assert not form.query_one("#conflict").display
        # and enter now saves my team onto her version
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    saved = _on_file(sample_db, NAME)
    assert (saved.owner, saved.team) == ("Carol Chen", MY_TEAM)


async def test_keep_mine_saves_only_my_fields(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await _refused_save(app, pilot, sample_db)
        before = _log_length(sample_db)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        store = Store.open(sample_db, read_only=True)
        try:
            new = store.changes(expand=False)[: len(store.changes(expand=False)) - before]
        finally:
            store.close()
        assert [(c.field, c.author) for c in new] == [("team", "tester")]
        assert form.conflict is None
    saved = _on_file(sample_db, NAME)
    assert (saved.owner, saved.team) == ("Carol Chen", MY_TEAM)


async def test_take_theirs_keeps_their_values(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _refused_save(app, pilot, sample_db)
        await pilot.click("#conflict-theirs")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    saved = _on_file(sample_db, NAME)
    # her owner stays; my team (a field she did not change) is saved
    assert (saved.owner, saved.team) == ("Carol Chen", MY_TEAM)


async def test_take_theirs_on_a_field_both_changed_writes_nothing(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await _refused_save(app, pilot, sample_db, team="Carol's desk")
        shown = _conflict(form)
        assert re.search(r"Team: theirs “Carol's desk”, by carol at \d\d:\d\d", shown)
        assert f"yours “{MY_TEAM}” (your change)" in shown
        before = _log_length(sample_db)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert _log_length(sample_db) == before
    assert _on_file(sample_db, NAME).team == "Carol's desk"


async def _open_and_save(app: BridgeApp, pilot: Pilot[None]) -> InitiativeForm:
    await _go_to(app, pilot, NAME)
    await pilot.press("e")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, InitiativeForm)
    return form


async def test_open_and_save_writes_nothing_and_budgets_round_trip(sample_db: Path) -> None:
    store = Store.open(sample_db)
    try:
        me = Service(store, "setup", FROZEN_TODAY)
        me.edit_initiative(me.resolve(NAME), pilot_budget=99.5, integration_budget=1234.56)
    finally:
        store.close()
    before = _log_length(sample_db)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await _open_and_save(app, pilot)
        assert form.query_one("#pilot_budget", Input).value == "99.5"
        assert form.query_one("#integration_budget", Input).value == "1,234.56"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert any("No changes" in str(n.message) for n in app._notifications)
        # and again after changing one budget: only that one is written
        form = await _open_and_save(app, pilot)
        form.query_one("#maintenance_budget", Input).value = "70,000.25"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
    assert _log_length(sample_db) == before + 1
    saved: Initiative = _on_file(sample_db, NAME)
    assert (saved.pilot_budget, saved.integration_budget) == (99.5, 1234.56)
    assert saved.maintenance_budget == 70_000.25


async def test_a_long_refusal_wraps_and_is_fully_visible_at_80x24(sample_db: Path) -> None:
    long_owner = "Carol Chen-" + "Abernathy-" * 9 + "Smith"  # 106 characters
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await _refused_save(app, pilot, sample_db, owner=long_owner)
        text = form.query_one("#conflict-text", Static)
        region = text.region
        assert region.height > 4  # wrapped over several lines, not cut to one
        assert Region(0, 0, *SIZE).contains_region(region)
        lines = [strip.text for strip in text.render_lines(Region(0, 0, *text.size))]
        flat = " ".join(line.strip() for line in lines)
        # every character of the message is on screen, in order: nothing clipped (a word
        # longer than the line is folded, so compare without the white space)
        assert "".join(flat.split()) == "".join(_conflict(form).split())
        assert "Smith" in flat and "never written." in flat
        buttons = form.query_one("#conflict-back").region
        assert Region(0, 0, *SIZE).contains_region(buttons)


async def test_review_promote_is_undone_whole_by_one_ctrl_z(sample_db: Path) -> None:
    store = Store.open(sample_db)
    try:
        prep = Service(store, "prep", FROZEN_TODAY)
        pod = prep.resolve("Document extraction: proof of delivery")
        prep.answer(pod, "team_assigned", "yes")
        pod = prep.resolve(pod.name)
    finally:
        store.close()
    before = _log_length(sample_db)
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        while screen.items[screen.index].initiative.id != pod.id:
            await pilot.press("n")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert app.service.resolve(pod.name).stage == "pilot"
        store = Store.open(sample_db, read_only=True)
        try:
            new = store.changes(expand=False)[: len(store.changes(expand=False)) - before]
        finally:
            store.close()
        assert len({c.tx for c in new}) == 1  # the session, the move and the review: one
        assert {c.entity for c in new} == {"review_session", "initiative", "review"}
        await pilot.press("ctrl+z")
        await pilot.pause()
        back = app.service.resolve(pod.name)
        assert back.stage == pod.stage and back.last_review_at == pod.last_review_at
        assert app.service.open_review() is None
        assert screen.session is None
