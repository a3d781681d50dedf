"""Pilot tests of the board: real key presses on the sample portfolio, state checked after."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, SelectionList, Static

from bridge_tui import method, scoring
from bridge_tui.models import Initiative
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.dialogs.common import ReasonDialog
from bridge_tui.tui.dialogs.gate import GateDialog
from bridge_tui.tui.dialogs.initiative_form import InitiativeForm
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.widgets import board_card
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import pressed, record_notes, sample_app, step

if TYPE_CHECKING:
    from bridge_tui.board_model import Shown

SIZE = (160, 45)


def _board(app: BridgeApp) -> BoardScreen:
    screen = app.screen_stack[0] if app.current_mode == "board" else app.get_screen("board")
    assert isinstance(screen, BoardScreen), type(screen).__name__
    return screen


def _names(app: BridgeApp, stage: str) -> list[str]:
    return [i.name for i in _board(app).column(stage).items]


def _selected_name(app: BridgeApp) -> str | None:
    current = _board(app).selected
    return current.name if current else None


def _on_file(db: Path, name: str) -> Initiative:
    """Read the initiative back from the file itself, through a separate connection."""
    store = Store.open(db, read_only=True)
    try:
        return Service(store, "check", FROZEN_TODAY).resolve(name)
    finally:
        store.close()


def _assert_on_file(db: Path, name: str, **fields: object) -> None:
    """The initiative as read back from the file has each of `fields`."""
    on_file = _on_file(db, name)
    for field, value in fields.items():
        assert getattr(on_file, field) == value, field


def _answer(db: Path, name: str, **answers: str) -> None:
    store = Store.open(db)
    try:
        svc = Service(store, "setup", FROZEN_TODAY)
        i = svc.resolve(name)
        for key, value in answers.items():
            svc.answer(i, key, value)
    finally:
        store.close()


async def _type(pilot: Pilot[None], text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def _reason_given(pilot: Pilot[None], reason: str) -> None:
    """Type `reason` into the open dialog and press enter: it closes, back on the board."""
    await _type(pilot, reason)
    await pressed(pilot, "enter", BoardScreen)


async def _go_to(app: BridgeApp, pilot: Pilot[None], name: str) -> Shown:
    """Walk there with h/j/k/l as a person would; the card walked to, as the board holds it
    (found on the board, so the app's service is not asked for: its first paint's records
    stay as they are)."""
    board = _board(app)
    target = next(i for s in method.STAGE_IDS for i in board.model.by_stage[s] if i.name == name)
    stages = board.visible_stages
    while board.current_column.stage != target.stage:
        here = stages.index(board.current_column.stage)
        await pilot.press("l" if stages.index(target.stage) > here else "h")
    column = board.current_column
    index = column.index_of(target.id)
    assert index is not None
    while column.cursor != index:
        await pilot.press("j" if index > column.cursor else "k")
    await pilot.pause()
    assert _selected_name(app) == name
    return target


@asynccontextmanager
async def _walked_to(db: Path, name: str) -> AsyncIterator[tuple[BridgeApp, Pilot[None]]]:
    """The app on `db` at SIZE, on the board, walked to `name` with the keys."""
    app = sample_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await _go_to(app, pilot, name)
        yield app, pilot


def _notes(app: BridgeApp) -> str:
    """Toasts and the board's status line: everything the app told the user."""
    status = str(_board(app).query_one("#status", Static).content)
    return " | ".join([*(str(n.message) for n in app._notifications), status])


async def test_board_shows_every_stage_in_board_order(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = _board(app)
        ordered = app.service.ordered()
        for stage in method.STAGE_IDS:
            assert _names(app, stage) == [i.name for i in ordered if i.stage == stage]
        # Killed is hidden at first, the five flow columns are shown with their counts
        assert not board.query_one("#stage-killed").display
        assert board.query_one("#title-pilot").count == "3"
        assert _selected_name(app) == "Document extraction: proof of delivery"
        assert app.selected_id == app.service.resolve("Document extraction: proof of delivery").id


async def test_select_with_arrows_and_hjkl(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("j")
        assert _selected_name(app) == "Warehouse slotting"
        await pilot.press("l")
        assert _board(app).current_column.stage == "pilot"
        await pilot.press("down", "down")
        assert _selected_name(app) == "Document extraction: bills of lading"
        await pilot.press("up")
        assert _selected_name(app) == "Demand forecasting"
        await pilot.press("right", "right")
        assert _board(app).current_column.stage == "productionize"
        assert _selected_name(app) == "Dispatch routing"
        await pilot.press("left", "k", "home")
        assert _selected_name(app) == "Fleet maintenance prediction"
        await pilot.press("end")
        assert _selected_name(app) == "Route optimisation"
        # the app-wide selection follows, so the other screens show the same initiative
        assert app.selected_id == app.service.resolve("Route optimisation").id
        # the right edge stops the cursor (Killed is hidden)
        await pilot.press("l", "l", "l", "l")
        assert _board(app).current_column.stage == "infrastructure"


async def test_move_forward_through_a_met_gate(sample_db: Path) -> None:
    name = "Document extraction: proof of delivery"
    _answer(sample_db, name, team_assigned="yes")
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert _selected_name(app) == name
        await step(pilot, "shift+right")
        assert not isinstance(app.screen, GateDialog)
        assert name in _names(app, "pilot")
        assert name not in _names(app, "experiment")
        # the selection follows the card into its new column
        assert _board(app).current_column.stage == "pilot"
        assert _selected_name(app) == name
        assert "moved to Pilot" in _notes(app)
    moved = _on_file(sample_db, name)
    assert moved.stage == "pilot"
    assert not moved.forced


async def test_greater_than_moves_forward_too(sample_db: Path) -> None:
    _answer(sample_db, "Warehouse slotting", scoped="yes", team_assigned="yes")
    async with _walked_to(sample_db, "Warehouse slotting") as (_app, pilot):
        await step(pilot, "greater_than_sign")
    assert _on_file(sample_db, "Warehouse slotting").stage == "pilot"


async def test_a_move_from_the_board_evaluates_the_gate_once(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The board asks the service, which evaluates the gate once; a refusal brings what the
    gate dialog shows, so the screen evaluates nothing itself."""
    _answer(sample_db, "Warehouse slotting", scoped="yes", team_assigned="yes")
    gates: list[str] = []
    real = scoring.move_check

    def spy(initiative: Initiative, target: str, *args: Any, **kw: Any) -> scoring.GateCheck:
        gates.append(f"{initiative.name} -> {target}")
        return real(initiative, target, *args, **kw)

    monkeypatch.setattr(scoring, "move_check", spy)
    async with _walked_to(sample_db, "Warehouse slotting") as (app, pilot):
        gates.clear()
        await step(pilot, "shift+right")
        # (the moved card, redrawn, shows its readiness for the next stage: not the move's)
        assert gates.count("Warehouse slotting -> pilot") == 1
        await _go_to(app, pilot, "Fleet maintenance prediction")
        gates.clear()
        await pressed(pilot, "shift+right", GateDialog)
        assert gates.count("Fleet maintenance prediction -> productionize") == 1
    assert _on_file(sample_db, "Warehouse slotting").stage == "pilot"


async def test_refused_move_lists_every_unmet_requirement(sample_db: Path) -> None:
    name = "Fleet maintenance prediction"
    async with _walked_to(sample_db, name) as (app, pilot):
        dialog = await pressed(pilot, "shift+right", GateDialog)
        check = app.service.check_move(app.service.resolve(name), "productionize")
        # six missing requirements, and three false signals marked (ready means none is)
        assert len(check.unmet) == 9
        assert {"enthusiasm", "executive_pressure", "vendor_readiness"} <= set(check.unmet)
        shown = [str(s.content) for s in dialog.query(".gate-item").results(Static)]
        assert shown == [f"✗ {method.describe_requirement(k)}" for k in check.unmet]
        # entering Productionize: the budget rule of thumb is in the dialog too
        warnings = [str(s.content) for s in dialog.query(".gate-warning").results(Static)]
        assert any("under 3x the pilot budget" in w for w in warnings)
        await pressed(pilot, "escape", BoardScreen)
        assert name in _names(app, "validate")
    assert _on_file(sample_db, name).stage == "validate"


async def test_force_needs_a_reason_and_marks_the_card(sample_db: Path) -> None:
    name = "Customer service assistant"
    async with _walked_to(sample_db, name) as (app, pilot):
        dialog = await pressed(pilot, "shift+right", GateDialog)
        # force without a reason: refused, still open
        await step(pilot, "enter")
        assert app.screen is dialog
        await pilot.click("#force")
        await pilot.pause()
        assert app.screen is dialog
        assert "reason" in str(dialog.query_one("#reason-error", Label).content)
        await _reason_given(pilot, "CEO wants it live")
        assert name in _names(app, "validate")
        moved = app.service.resolve(name)
        assert "forced" in board_card.card_flags(app.service.card(moved), FROZEN_TODAY)
        assert "forced" in _notes(app)
    _assert_on_file(sample_db, name, stage="validate", forced_reason="CEO wants it live")


async def test_backward_move_asks_for_a_reason(sample_db: Path) -> None:
    name = "Invoice processing"
    async with _walked_to(sample_db, name) as (app, pilot):
        await pressed(pilot, "shift+left", ReasonDialog)
        await pressed(pilot, "enter", ReasonDialog)  # empty: refused, stays open
        await _reason_given(pilot, "finance pulled the case")
        assert name in _names(app, "pilot")
        assert _selected_name(app) == name
        # cancel leaves it where it is
        await pressed(pilot, "less_than_sign", ReasonDialog)
        await step(pilot, "escape")
        assert name in _names(app, "pilot")
    _assert_on_file(sample_db, name, stage="pilot", move_reason="finance pulled the case")


async def test_kill_asks_the_reason_then_revive(sample_db: Path) -> None:
    name = "Demand forecasting"
    async with _walked_to(sample_db, name) as (app, pilot):
        await pressed(pilot, "x", ReasonDialog)
        await _reason_given(pilot, "no data owner")
        assert name not in _names(app, "pilot")
        assert name in _names(app, "killed")
        # the cursor stays in Pilot on the next card
        assert _board(app).current_column.stage == "pilot"
        assert _on_file(sample_db, name).kill_reason == "no data owner"
        # show Killed, walk there, revive
        await step(pilot, "K")
        assert _board(app).query_one("#stage-killed").display
        await _go_to(app, pilot, name)
        await step(pilot, "v")
        assert name in _names(app, "experiment")
        assert _selected_name(app) == name
    assert _on_file(sample_db, name).stage == "experiment"


async def test_keys_that_make_no_sense_say_why(sample_db: Path) -> None:
    app = sample_app(sample_db)
    said = record_notes(app)  # every toast as it is posted: none can expire before the check
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("shift+left")  # Experiment has nothing before it
        await pilot.press("v")  # not killed
        await _go_to(app, pilot, "Contract review")
        await step(pilot, "shift+right")  # already in the last stage
        assert [_kind(n) for n in said] == ["first stage", "only killed", "last stage"], said
        assert isinstance(app.screen, BoardScreen)


def _kind(note: str) -> str:
    for kind in ("first stage", "only killed", "last stage"):
        if kind in note:
            return kind
    return note


async def test_filter_by_name_owner_team_or_blocker(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # the bar's widgets come with the first `/`: the first paint does without them
        assert not _board(app).query("#filter-bar")
        await step(pilot, "escape")  # nothing to clear yet
        await pilot.press("slash")
        await _type(pilot, "jonas")
        await pilot.pause()
        assert _board(app).query_one("#filter").has_focus
        assert _names(app, "pilot") == ["Document extraction: bills of lading"]
        assert _names(app, "experiment") == []
        assert _board(app).query_one("#title-pilot").count == "1/3"
        await step(pilot, "enter")  # back to the board, filter kept
        assert app.focused is None  # back on the board: the screen takes the keys
        assert _selected_name(app) == "Document extraction: bills of lading"
        await step(pilot, "escape")
        assert len(_names(app, "pilot")) == 3
        # blockers match by id and by label; teams match too
        await pilot.press("slash")
        await _type(pilot, "data readiness")
        await pilot.pause()
        assert _names(app, "validate") == ["Route optimisation"]
        await pilot.press("escape")
        await pilot.press("slash")
        await _type(pilot, "legal operations")
        await pilot.pause()
        assert _names(app, "infrastructure") == ["Contract review"]
        await step(pilot, "escape")
        assert not _board(app).filter_text
        assert len(_names(app, "validate")) == 3
        assert len(_board(app).query("#filter-bar")) == 1  # mounted once, kept


async def test_new_initiative_with_a_validation_error(sample_db: Path) -> None:
    app = sample_app(sample_db)
    before = len(app.service.initiatives())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        form = await pressed(pilot, "n", InitiativeForm)
        await step(pilot, "ctrl+s")  # empty name
        assert app.screen is form
        assert str(form.query_one("#error-name", Label).content)  # the model's own words
        assert len(app.service.initiatives()) == before
        await _type(pilot, "Yard camera audit")
        form.query_one("#pilot_budget", Input).value = "lots"
        await step(pilot, "ctrl+s")
        assert app.screen is form
        assert str(form.query_one("#error-name", Label).content) == ""
        assert "number" in str(form.query_one("#error-pilot_budget", Label).content)
        assert len(app.service.initiatives()) == before
        form.query_one("#pilot_budget", Input).value = "25,000"
        form.query_one("#owner", Input).value = "Ines Duarte"
        form.query_one("#blockers", SelectionList).select("integration")
        await pressed(pilot, "ctrl+s", BoardScreen)
        assert "Yard camera audit" in _names(app, "experiment")
        assert _selected_name(app) == "Yard camera audit"
    created = _on_file(sample_db, "Yard camera audit")
    assert created.stage == "experiment"
    assert created.pilot_budget == 25_000
    assert created.owner == "Ines Duarte"
    assert created.blockers == ("integration",)


async def test_escape_cancels_the_form_without_saving(sample_db: Path) -> None:
    app = sample_app(sample_db)
    before = len(app.service.initiatives())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await _type(pilot, "Never saved")
        await pilot.press("tab")  # into the summary: escape still cancels from there
        await _type(pilot, "typing")
        await pressed(pilot, "escape", BoardScreen)
    store = Store.open(sample_db, read_only=True)
    assert len(store.initiatives()) == before
    store.close()


async def test_edit_with_a_validation_error(sample_db: Path) -> None:
    name = "Dispatch routing"
    async with _walked_to(sample_db, name) as (app, pilot):
        form = await pressed(pilot, "e", InitiativeForm)
        assert form.query_one("#owner", Input).value == "Priya Natarajan"
        form.query_one("#maintenance_budget", Input).value = "-5"
        form.query_one("#last_review_at", Input).value = "2026-13-40"
        await step(pilot, "ctrl+s")
        assert app.screen is form
        assert str(form.query_one("#error-maintenance_budget", Label).content)
        assert str(form.query_one("#error-pilot_budget", Label).content) == ""
        assert str(form.query_one("#error-last_review_at", Label).content)
        assert _on_file(sample_db, name).maintenance_budget == 60_000
        form.query_one("#maintenance_budget", Input).value = "75000"
        form.query_one("#last_review_at", Input).value = "2026-11-01"
        await pressed(pilot, "ctrl+s", BoardScreen)
        assert _selected_name(app) == name
    saved = _on_file(sample_db, name)
    assert saved.maintenance_budget == 75_000
    assert saved.last_review_at is not None and saved.last_review_at.isoformat() == "2026-11-01"
    assert saved.owner == "Priya Natarajan"


async def test_read_only_file_refuses_every_edit_with_a_message(sample_db: Path) -> None:
    app = sample_app(sample_db, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        banner = _board(app).query_one("#readonly-banner", Static)
        assert "READ-ONLY" in str(banner.content)
        for key in ("shift+right", "shift+left", "greater_than_sign", "n", "e", "x", "v"):
            app.clear_notifications()
            await step(pilot, key)
            assert isinstance(app.screen, BoardScreen), key
            assert "read-only" in _notes(app), key
        # looking around still works
        await pilot.press("l", "j", "slash")
        await _type(pilot, "route")
        await pilot.pause()
        assert _names(app, "validate") == ["Route optimisation"]


async def test_enter_opens_the_checklist_of_the_selection(sample_db: Path) -> None:
    async with _walked_to(sample_db, "Invoice processing") as (app, pilot):
        await step(pilot, "enter")
        assert app.current_mode == "checklist"
        assert app.selected_id == app.service.resolve("Invoice processing").id
        await step(pilot, "1")
        assert _selected_name(app) == "Invoice processing"


async def test_selection_comes_back_from_another_screen(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await step(pilot, "2")
        app.select(app.service.resolve("Email triage").id)
        await step(pilot, "1")
        assert _selected_name(app) == "Email triage"


async def test_return_to_the_board_reloads_only_after_a_change(sample_db: Path) -> None:
    """Switching back to an unchanged board keeps its data (no reload at scale); an answer
    changed on the checklist, an undo, or another process's commit reload it."""
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        loads = 0
        real_board = app.service.board

        def counting_board() -> object:
            nonlocal loads
            loads += 1
            return real_board()

        app.service.board = counting_board  # type: ignore[method-assign, assignment]
        await _go_to(app, pilot, "Invoice processing")
        await step(pilot, "2", "1")
        assert loads == 0
        assert _selected_name(app) == "Invoice processing"
        await step(pilot, "2", "right_square_bracket", "1")  # the checklist steps on
        assert loads == 0
        assert _selected_name(app) != "Invoice processing"
        await step(pilot, "2", "space", "1")  # an answer changed: scores may differ
        assert loads == 1
        await step(pilot, "2", "ctrl+z", "1")  # undone elsewhere: reload again
        assert loads == 2
        _answer(sample_db, "Email triage", D1="unknown")  # another process
        _answer(sample_db, "Email triage", D1="yes")
        await step(pilot, "2", "1")
        assert loads >= 3  # the once-a-second live refresh may reload it too


async def test_mouse_click_selects_then_opens(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        column = _board(app).column("validate")
        second = column.card_region(1)
        await pilot.click(column, offset=(4, second.y + 1))
        await pilot.pause()
        assert _selected_name(app) == "Invoice processing"
        assert app.current_mode == "board"
        await pilot.click(column, offset=(4, second.y + 1))
        await pilot.pause()
        assert app.current_mode == "checklist"


async def test_live_refresh_keeps_the_selection_and_an_open_form(sample_db: Path) -> None:
    async with _walked_to(sample_db, "Route optimisation") as (app, pilot):
        form = await pressed(pilot, "e", InitiativeForm)
        form.query_one("#team", Input).value = "Route planning desk"
        # a teammate renames another card and edits this one, from another process
        other = Store.open(sample_db)
        svc = Service(other, "teammate", FROZEN_TODAY)
        svc.edit_initiative(svc.resolve("Demand forecasting"), name="Demand planning")
        svc.edit_initiative(svc.resolve("Route optimisation"), owner="Kai Lindqvist")
        other.close()
        app.poll_changes()
        await pilot.pause()
        assert app.screen is form
        assert "Demand planning" in _names(app, "pilot")
        # saving over a newer version: told who, the form keeps the typing
        await step(pilot, "ctrl+s")
        assert app.screen is form
        assert "teammate" in str(form.query_one("#conflict-text", Static).render())
        assert form.query_one("#team", Input).value == "Route planning desk"
        # keep mine: our version of the fields we changed, onto theirs
        await pressed(pilot, "k", BoardScreen)
        assert _selected_name(app) == "Route optimisation"
    saved = _on_file(sample_db, "Route optimisation")
    assert saved.team == "Route planning desk"
    assert saved.owner == "Kai Lindqvist"  # the teammate's owner is not reverted


async def test_palette_offers_every_board_action(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [t for t, _, _ in _board(app).palette_commands()]
        for wanted in (
            "Move forward",
            "Move back",
            "New initiative",
            "Edit initiative",
            "Kill initiative",
            "Revive initiative",
            "Filter the board",
            "Show or hide Killed",
            "Open checklist",
        ):
            assert wanted in titles
        toggle = dict((t, cb) for t, _, cb in _board(app).palette_commands())
        toggle["Show or hide Killed"]()
        await pilot.pause()
        assert _board(app).show_killed


async def test_help_lists_the_board_keys(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await step(pilot, "question_mark")
        assert type(app.screen).__name__ == "HelpScreen"
        text = str(app.screen.query_one("#help-keys").render())
        for description in ("Forward", "Back", "New", "Edit", "Kill", "Revive", "Filter", "Open"):
            assert description in text


async def test_detail_pane_describes_the_selection(sample_db: Path) -> None:
    async with _walked_to(sample_db, "Dispatch routing") as (app, pilot):
        await pilot.pause()
        text = str(_board(app).query_one("#detail-text", Static).content)
        assert "Priya Natarajan" in text
        assert "Dispatch operations" in text
        assert "14/20" in text
        assert "Weakest:" in text
        assert "Next gate" in text and "Infrastructure" in text
        assert method.describe_key("on_call") in text
        assert "Last review" in text
        await step(pilot, "d")
        assert not _board(app).query_one("#detail").display or (
            _board(app).query_one("#detail").styles.display == "none"
        )


async def test_the_detail_pane_shows_budgets_as_kept(sample_db: Path) -> None:
    """Budgets with cents read as they were typed, never rounded: a maintenance budget of 0.4
    is not "0", and 149,999.5 is not "150,000"."""
    store = Store.open(sample_db)
    svc = Service(store, "setup", FROZEN_TODAY)
    svc.edit_initiative(
        svc.resolve("Invoice processing"), integration_budget=149_999.5, maintenance_budget=0.4
    )
    store.close()
    async with _walked_to(sample_db, "Invoice processing") as (app, pilot):
        await pilot.pause()
        text = str(_board(app).query_one("#detail-text", Static).content)
        assert "integration 149,999.5 · maintenance 0.4" in text


async def test_entering_productionize_warns_on_budget_and_makes_the_plan(sample_db: Path) -> None:
    name = "Invoice processing"
    async with _walked_to(sample_db, name) as (app, pilot):
        await pressed(pilot, "shift+right", GateDialog)
        await _reason_given(pilot, "steering group accepted the risk")
        assert name in _names(app, "productionize")
        notes = _notes(app)
        assert "under 3x the pilot budget" in notes
        assert "90-day plan" in notes and "was created" in notes


def _big_portfolio(db: Path, n: int) -> None:
    """`n` initiatives in one transaction, most with a gate met into Pilot."""
    store = Store.open(db)
    svc = Service(store, "setup", FROZEN_TODAY)
    with store.transaction("setup") as tx:
        for k in range(n):
            stage = method.FLOW[k % 5]
            i = Initiative(
                name=f"Scaled use case {k:04d}",
                stage=stage,
                owner="" if k % 7 == 0 else "Ops lead",
                stage_entered_at=FROZEN_TODAY,
                created_at=svc.now(),
                updated_at=svc.now(),
            )
            tx.insert(i)
    store.close()


async def test_many_initiatives_are_scored_only_when_drawn(sample_db: Path) -> None:
    _big_portfolio(sample_db, 1500)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = _board(app)
        total = sum(len(board.column(s).items) for s in method.STAGE_IDS)
        assert total == 1513
        # lazy: only the cards on screen (and the selection) were scored
        assert 0 < len(board.model.cards) < 100
        # scroll a whole column and back: the cursor moves, still no mass scoring
        await step(pilot, "end")
        assert board.selected is not None
        assert board.selected.name == board.column("experiment").items[-1].name
        assert len(board.model.cards) < 150
        await step(pilot, "pageup", "home")
        assert board.column("experiment").cursor == 0
        # a filter narrows thousands to a few
        await pilot.press("slash")
        await _type(pilot, "use case 0042")
        await pilot.pause()
        names = [i.name for s in method.STAGE_IDS for i in board.column(s).items]
        assert names == ["Scaled use case 0042"]
        await step(pilot, "escape")
        assert sum(len(board.column(s).items) for s in method.STAGE_IDS) == 1513
