"""Pilot tests of sustain and extend (issue 11) on every screen that shows it: the board's
cards and detail pane, the gate dialog and the move's warning, the form, the checklist, the
overview and the review. Real key presses on a copy of the sample portfolio."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from bridge_tui import method
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.dialogs.gate import GateDialog
from bridge_tui.tui.dialogs.initiative_form import InitiativeForm
from bridge_tui.tui.dialogs.review_decision import ReviewDecisionDialog
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.checklist import ChecklistScreen
from bridge_tui.tui.screens.overview import OverviewScreen
from bridge_tui.tui.screens.review import ReviewScreen
from bridge_tui.tui.widgets import board_card
from bridge_tui.tui.widgets.checklist_list import ChecklistList
from bridge_tui.tui.widgets.overview_answers import OverviewAnswers
from bridge_tui.tui.widgets.review_card import ReviewCard
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import pressed, sample_app
from tests.tui.test_board import _board, _go_to

SIZE = (160, 45)
GATES_MET = [k for k in method.ANSWER_KEYS if k not in {s.id for s in method.FALSE_SIGNALS}]


def _prep(db: Path) -> Service:
    return Service(Store.open(db), "prep", FROZEN_TODAY)


def _meet_every_gate(db: Path, name: str) -> None:
    svc = _prep(db)
    try:
        initiative = svc.resolve(name)
        for key in GATES_MET:
            svc.answer(initiative, key, "yes")
    finally:
        svc.close()


async def _review_at(pilot: Pilot[None], name: str) -> ReviewScreen:
    """The review (`r`), moved on to `name`."""
    screen = await pressed(pilot, "r", ReviewScreen)
    while screen.items[screen.index].initiative.name != name:
        await pilot.press("right")
    return screen


async def _decision_details(pilot: Pilot[None]) -> str:
    """The text of the review decision dialog a key just opened."""
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ReviewDecisionDialog)
    return " ".join(str(s.render()) for s in dialog.query(Static).results(Static))


async def _press_on(pilot: Pilot[None], name: str, key: str) -> None:
    """Select `name` on the board and press `key` there."""
    app = pilot.app
    assert isinstance(app, BridgeApp)
    await _go_to(app, pilot, name)
    await pilot.press(key)
    await pilot.pause()


def _card_text(app: BridgeApp, name: str) -> str:
    board = _board(app)
    i = app.service.resolve(name)
    column = board.column(i.stage)
    found = next(x for x in column.items if x.id == i.id)
    lines = board_card.lines(board.card_for(found), FROZEN_TODAY, 20, flags=column.flagger(found))
    return " ".join("".join(text for text, _ in line) for line in lines)


def _detail(app: BridgeApp) -> str:
    return str(_board(app).query_one("#detail-text", Static).content)


def _stale_and_short(db: Path) -> None:
    """Email triage: a metric not read for 82 days, a commitment ending in 4 months, a
    designed volume it uses 30% of; Invoice processing builds on it."""
    svc = _prep(db)
    try:
        email = svc.resolve("Email triage")
        svc.add_metric(email, "Mails handled", 300, at=date(2026, 9, 1))
        svc.edit_initiative(
            svc.initiative(email.id),
            maintenance_committed_until=date(2027, 3, 31),
            designed_volume=1000,
            volume_metric="Mails handled",
        )
        svc.link(svc.resolve("Invoice processing"), svc.initiative(email.id))
    finally:
        svc.close()


async def test_cards_and_detail_say_what_sustain_finds(sample_db: Path) -> None:
    _stale_and_short(sample_db)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "not optimising" in _card_text(app, "Contract review")
        email = _card_text(app, "Email triage")
        for flag in ("not optimising", "metrics stale", "upkeep short", "volume 30%"):
            assert flag in email
        assert "not optimising" not in _card_text(app, "Dispatch routing")
        await _go_to(app, pilot, "Email triage")
        detail = _detail(app)
        assert "Not yet optimising: still needs eval process, improvement shipped" in detail
        assert "Mails handled 82 days" in detail
        assert "committed only until 2027-03-31" in detail
        assert "Extended by" in detail and "Invoice processing (Validate)" in detail
        await _go_to(app, pilot, "Invoice processing")
        assert "Builds on" in _detail(app) and "Email triage" in _detail(app)
        await _go_to(app, pilot, "Contract review")
        assert "which adjacent workflows could extend it?" in _detail(app)


async def test_answering_the_optimize_conditions_clears_the_card_flag(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "not optimising" in _card_text(app, "Contract review")
        app.select(app.service.resolve("Contract review").id)
        await pilot.press("2")
        await pilot.pause()
        items = app.screen.query_one("#items", ChecklistList)
        keys = items.keys()
        while items.highlighted_key != "improvement_shipped":
            await pilot.press(
                "down"
                if keys.index("improvement_shipped") > keys.index(items.highlighted_key or keys[0])
                else "up"
            )
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert "not optimising" not in _card_text(app, "Contract review")


async def test_the_gate_and_the_move_warn_of_a_second_initiative_in_productionize(
    sample_db: Path,
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        # Invoice processing misses two validate requirements: the gate dialog warns too
        await _press_on(pilot, "Invoice processing", "shift+right")
        dialog = app.screen
        assert isinstance(dialog, GateDialog)
        warnings = [str(s.content) for s in dialog.query(".gate-warning").results(Static)]
        assert any("One use case at a time: Dispatch routing is already" in w for w in warnings)
        await pilot.press("escape")
        await pilot.pause()
    _meet_every_gate(sample_db, "Invoice processing")
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_on(pilot, "Invoice processing", "shift+right")
        assert isinstance(app.screen, BoardScreen)  # a warning, never a block
        notes = [str(n.message) for n in app._notifications]
        assert any(n.startswith("One use case at a time") for n in notes)
        assert app.service.resolve("Invoice processing").stage == "productionize"


async def test_the_form_edits_the_four_new_fields(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_on(pilot, "Invoice processing", "e")
        form = app.screen
        assert isinstance(form, InitiativeForm)
        form.query_one("#maintenance_committed_until", Input).value = "2027-12-31"
        form.query_one("#designed_volume", Input).value = "12,000"
        form.query_one("#volume_metric", Input).value = "Invoices per week"
        select = form.query_one("#builds_on", Select)
        email = app.service.resolve("Email triage").id
        # only Infrastructure initiatives are offered
        offered = [value for _, value in select._options if isinstance(value, str)]
        assert set(offered) == {email, app.service.resolve("Contract review").id}
        select.value = email
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        saved = app.service.resolve("Invoice processing")
        assert saved.maintenance_committed_until == date(2027, 12, 31)
        assert saved.designed_volume == 12000
        assert saved.volume_metric == "Invoices per week"
        assert saved.builds_on == email
        assert "Builds on" in _detail(app)
        # a bad date stays in the form, beside its field
        form = await pressed(pilot, "e", InitiativeForm)
        form.query_one("#maintenance_committed_until", Input).value = "next year"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        error = str(form.query_one("#error-maintenance_committed_until").render())
        assert "must be a date" in error


async def test_checklist_shows_notes_beside_the_tests_and_the_optimize_conditions(
    sample_db: Path,
) -> None:
    _stale_and_short(sample_db)
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        app.select(app.service.resolve("Email triage").id)
        screen = await pressed(pilot, "2", ChecklistScreen)
        items = screen.query_one("#items", ChecklistList)

        def prompt(key: str) -> str:
            return str(items.get_option(key).prompt)

        assert "stale: no reading for 30 days or more: Mails handled (82 days)" in prompt(
            "measured"
        )
        for key in ("maintained", "maintenance_budget"):
            assert "committed only until 2027-03-31" in prompt(key)
        header = str(items.get_option("hdr:exits").prompt)
        assert header.startswith("OPTIMIZE: EXIT CONDITIONS OF INFRASTRUCTURE")
        gate = str(screen.query_one("#gate", Static).content)
        assert "Not yet optimising: still needs eval process, improvement shipped." in gate
        metrics = str(screen.query_one("#metrics", Static).content)
        assert "stale: last read 82 days ago" in metrics
        assert "Volume 30% of the designed 1,000" in metrics
        title = str(screen.query_one("#title", Static).content)
        assert "not optimising +3 more" in title


async def test_overview_lists_sustain_flags_extensions_and_focus(sample_db: Path) -> None:
    _stale_and_short(sample_db)
    svc = _prep(sample_db)
    try:
        invoice = svc.resolve("Invoice processing")
        for key in GATES_MET:
            svc.answer(invoice, key, "yes")
        svc.move(svc.initiative(invoice.id), "productionize")
    finally:
        svc.close()
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await pressed(pilot, "4", OverviewScreen)
        headline = str(screen.query_one("#ov-headline", Static).render())
        assert "2 in Productionize at once: one use case at a time" in headline
        answers = screen.query_one(OverviewAnswers)
        options = [answers.get_option_at_index(n) for n in range(answers.option_count)]
        by_id = {o.id: str(o.prompt) for o in options if o.id}
        email = app.service.resolve("Email triage").id
        assert (
            "not optimising, metrics stale, upkeep short, volume 30%" in by_id[f"sustain:{email}"]
        )
        assert "built on by Invoice processing" in by_id[f"extend:{email}"]
        contract = app.service.resolve("Contract review").id
        assert "which adjacent workflows could extend it?" in by_id[f"extend:{contract}"]
        assert "One use case at a time: 2 in Productionize at once" in by_id["h:focus"]
        assert f"focus:{invoice.id}" in by_id


async def test_the_overview_has_no_focus_section_with_one_in_productionize(
    sample_db: Path,
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        answers = app.screen.query_one(OverviewAnswers)
        ids = [answers.get_option_at_index(n).id for n in range(answers.option_count)]
        assert "h:focus" not in ids
        assert "h:sustain" in ids and "h:extend" in ids


async def test_review_of_infrastructure_asks_for_adjacent_workflows(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _review_at(pilot, "Contract review")
        await pilot.pause()
        card = screen.query_one("#rv-card", ReviewCard)
        text = _rendered(card)
        assert "Which adjacent workflows could it extend into?" in text
        assert "Not yet optimising: still needs improvement shipped" in text
        await pilot.press("k")
        details = await _decision_details(pilot)
        assert "which adjacent workflows could it extend into?" in details
        await pilot.press("escape")


def _rendered(widget: Any) -> str:
    """The plain text of a Rich renderable a Static holds (the review card is a Rich grid)."""
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def test_review_promotion_into_productionize_warns_before_and_after(
    sample_db: Path,
) -> None:
    _meet_every_gate(sample_db, "Invoice processing")
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _review_at(pilot, "Invoice processing")
        await pilot.press("p")
        details = await _decision_details(pilot)
        assert "One use case at a time: Dispatch routing is already in Productionize" in details
        await pilot.press("enter")
        await pilot.pause()
        assert app.service.resolve("Invoice processing").stage == "productionize"
        notes = [str(n.message) for n in app._notifications]
        assert any(n.startswith("One use case at a time") for n in notes)
