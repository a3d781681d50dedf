"""Pilot tests of the checklist scoring screen: real key presses, state checked afterwards."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from bridge_tui import method, scoring
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.dialogs.note import NoteDialog
from bridge_tui.tui.screens.checklist import ChecklistScreen
from bridge_tui.tui.widgets.checklist_list import ChecklistList
from bridge_tui.tui.widgets.checklist_panels import GatePanel, ScalePanel, ScorePanel
from bridge_tui.tui.widgets.metrics import MetricsPanel, ScoreHistoryPanel
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import pressed, sample_app, step

SIZE = (160, 45)


def _screen(app: BridgeApp) -> ChecklistScreen:
    assert isinstance(app.screen, ChecklistScreen), type(app.screen).__name__
    return app.screen


def _list(app: BridgeApp) -> ChecklistList:
    return _screen(app).query_one("#items", ChecklistList)


def _text(app: BridgeApp, selector: str) -> str:
    return str(_screen(app).query_one(selector, Static).content)


async def _open(
    app: BridgeApp, pilot: Pilot[None], name: str | None = None, at: str | None = None
) -> None:
    """Select `name` as the board would, then press 2 for the checklist (and walk to the row
    of answer `at`)."""
    if name is not None:
        app.select(app.service.resolve(name).id)
    await step(pilot, "2")
    if at is not None:
        await _goto(app, pilot, at)


async def _goto(app: BridgeApp, pilot: Pilot[None], key: str) -> None:
    """Walk the cursor with the arrow keys to the row of answer `key`."""
    items = _list(app)
    keys = items.keys()
    assert key in keys
    current = items.highlighted_key
    assert current is not None
    way = "down" if keys.index(key) > keys.index(current) else "up"
    for _ in range(len(keys)):
        if items.highlighted_key == key:
            return
        await pilot.press(way)
    assert items.highlighted_key == key


def _said(app: BridgeApp, words: str) -> bool:
    """Whether a toast on screen says `words`."""
    return any(words in n.message for n in app._notifications)


async def test_opens_on_the_selected_initiative_with_every_group(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing")
        screen = _screen(app)
        assert screen.view is not None
        assert screen.view.initiative.name == "Invoice processing"
        assert "Invoice processing" in _text(app, "#title")
        keys = _list(app).keys()
        exits = [e.id for e in method.exit_conditions_for("validate")]
        expected = [i.id for i in method.ITEMS] + [t.id for t in method.TESTS]
        expected += [s.id for s in method.SIGNALS] + exits
        assert keys == expected
        # the cursor starts on the first unanswered item (D1 to D4 are answered)
        assert _list(app).highlighted_key == "D5"
        # each row shows its state, who answered it and when
        prompt = str(_list(app).get_option("maintenance_budget").prompt)
        assert "missing" in prompt and "aisha" in prompt
        assert "Year-two funding waits for the budget round" in prompt


async def test_without_a_selection_it_shows_the_first_in_board_order(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        app.select(None)
        await _open(app, pilot)
        first = app.service.ordered()[0]
        assert _screen(app).view is not None
        assert _screen(app).view.initiative.id == first.id  # type: ignore[union-attr]
        assert app.selected_id == first.id


async def test_toggling_updates_total_bars_weakest_and_gate(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing")
        score = _screen(app).query_one("#score", ScorePanel)
        gate = _screen(app).query_one("#gate", GatePanel)
        assert score.readiness is not None and score.readiness.total == 13
        assert "13/20" in _text(app, "#score") and "below the line" in _text(app, "#score")
        assert score.readiness.category("data").met == 3
        assert score.readiness.weakest == ("operations", "data", "team")
        assert gate.check is not None
        assert gate.check.unmet == ("incident_recovered", "maintenance_budget")

        await _goto(app, pilot, "D4")
        await pilot.press("y")
        assert score.readiness.total == 14 and score.readiness.passing
        assert score.readiness.category("data").met == 4
        assert score.readiness.weakest == ("operations", "team", "governance")
        assert "Weakest areas: operational readiness, team readiness, model governance" in (
            _text(app, "#score")
        )
        assert "14/20" in _text(app, "#score") and "passes the line" in _text(app, "#score")
        assert "DATA INFRASTRUCTURE  4/5 met" in str(_list(app).get_option("hdr:cat:data").prompt)

        await _goto(app, pilot, "incident_recovered")
        await pilot.press("y")
        assert gate.check.unmet == ("maintenance_budget",)
        assert "Incident" not in _text(app, "#gate")
        assert "Maintenance budget" in _text(app, "#gate")
        await _goto(app, pilot, "maintenance_budget")
        await pilot.press("y")
        assert gate.check.allowed
        assert "Everything is met" in _text(app, "#gate")

        # saved at once: a fresh service on the file agrees with what the screen shows
        store = Store.open(sample_db, read_only=True)
        try:
            fresh = Service(store, "x", FROZEN_TODAY)
            report = fresh.score(fresh.resolve("Invoice processing"))
        finally:
            store.close()
        assert report.report.readiness.total == 14
        assert report.report.next_gate is not None and report.report.next_gate.allowed


async def test_unanswered_and_not_met_are_counted_apart(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Warehouse slotting")
        score = _screen(app).query_one("#score", ScorePanel)
        assert score.readiness is not None
        assert (score.readiness.not_met, score.readiness.unanswered) == (0, 20)
        await pilot.press("n")
        assert (score.readiness.not_met, score.readiness.unanswered) == (1, 19)
        assert "1 not met · 19 unanswered" in _text(app, "#score")
        await pilot.press("up", "u")  # n went on to D2: back to D1
        assert (score.readiness.not_met, score.readiness.unanswered) == (0, 20)
        assert "marked unanswered by tester" in str(_list(app).get_option("D1").prompt)
        assert "not answered yet" in str(_list(app).get_option("D2").prompt)
        # space cycles: met, not met, unanswered (and stays on the row)
        await pilot.press("up")
        seen = []
        for _ in range(3):
            await pilot.press("space")
            view = _screen(app).view
            assert view is not None
            seen.append(view.value("D1"))
        assert seen == ["yes", "no", "unknown"]
        assert score.readiness.total == 0 and score.readiness.unanswered == 20


async def test_brackets_walk_board_order_without_leaving(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing")
        order = [i.id for i in app.service.ordered()]
        here = order.index(app.service.resolve("Invoice processing").id)
        await pilot.press("right_square_bracket")
        view = _screen(app).view
        assert view is not None and view.initiative.id == order[here + 1]
        assert app.selected_id == order[here + 1]
        assert f"{here + 2} of {len(order)}" in _text(app, "#title")
        await pilot.press("left_square_bracket", "left_square_bracket")
        view = _screen(app).view
        assert view is not None and view.initiative.id == order[here - 1]
        assert isinstance(app.screen, ChecklistScreen)


async def test_escape_and_1_go_back_to_the_board(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing")
        await pilot.press("escape")
        assert app.current_mode == "board"
        await pilot.press("2")
        assert app.current_mode == "checklist"
        await pilot.press("1")
        assert app.current_mode == "board"


async def test_evidence_note_is_saved_and_shown_after_reopening(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing", at="G3")
        await pressed(pilot, "e", NoteDialog)
        await pilot.press(*"Rollback drill on 3 Nov took 9 minutes")
        await pressed(pilot, "enter", ChecklistScreen)
        view = _screen(app).view
        assert view is not None
        assert view.answers["G3"].note == "Rollback drill on 3 Nov took 9 minutes"
        assert view.value("G3") == "no"  # the note never changes the answer
        assert "Rollback drill on 3 Nov" in str(_list(app).get_option("G3").prompt)

    again = sample_app(sample_db)
    async with again.run_test(size=SIZE) as pilot:
        await _open(again, pilot, "Invoice processing")
        prompt = str(_list(again).get_option("G3").prompt)
        assert "Rollback drill on 3 Nov took 9 minutes" in prompt and "tester" in prompt


async def test_escape_in_the_note_dialog_saves_nothing(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing")
        before = len(app.service.store.changes(expand=False))
        await step(pilot, "e", *"half a thought", "escape")
        assert isinstance(app.screen, ChecklistScreen)
        assert len(app.service.store.changes(expand=False)) == before


async def test_history_sparkline_gains_a_point_after_a_change(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing")
        history = _screen(app).query_one("#history", ScoreHistoryPanel)
        before = history.shown.points
        assert before and before[-1][1] == 13
        await _goto(app, pilot, "O2")
        await pilot.press("y")
        assert len(history.shown.points) == len(before) + 1
        assert history.shown.points[-1][1] == 14
        assert "14/20 now" in str(history.content)
        await pilot.press("up", "y")  # y went on to O3; O2 again: no change, no new point
        assert len(history.shown.points) == len(before) + 1


async def test_read_only_file_refuses_changes_with_a_message(sample_db: Path) -> None:
    app = sample_app(sample_db, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing")
        assert "READ-ONLY" in _text(app, "#title")
        await _goto(app, pilot, "D4")
        await step(pilot, "y", "space", "e")
        assert isinstance(app.screen, ChecklistScreen)  # no note dialog either
        view = _screen(app).view
        assert view is not None and view.value("D4") == "no"
        assert _said(app, "read-only")


async def test_live_refresh_keeps_the_cursor_and_an_open_note(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing", at="O3")
        other_store = Store.open(sample_db)
        try:
            other = Service(other_store, "colleague", FROZEN_TODAY)
            invoice = other.resolve("Invoice processing")
            other.answer(invoice, "O4", "yes")
            app.poll_changes()
            await pilot.pause()
            view = _screen(app).view
            assert view is not None and view.value("O4") == "yes"
            assert _list(app).highlighted_key == "O3"
            assert "colleague" in str(_list(app).get_option("O4").prompt)

            await pilot.press("e", *"rota starts")
            other.answer(invoice, "O2", "yes")
            app.poll_changes()
            await pilot.pause()
            assert isinstance(app.screen, NoteDialog)
            assert app.screen.query_one("#note", Input).value == "rota starts"
            await step(pilot, "enter")
            view = _screen(app).view
            assert view is not None
            assert view.value("O2") == "yes" and view.answers["O3"].note == "rota starts"
            assert _list(app).highlighted_key == "O3"
        finally:
            other_store.close()


async def test_the_metrics_panel_shows_readings_exactly_as_recorded(sample_db: Path) -> None:
    """A reading of 0.95 under a target of 0.97 reads so, not "0.9" under "1.0"."""
    store = Store.open(sample_db)
    svc = Service(store, "monitoring", FROZEN_TODAY)
    svc.add_metric(svc.resolve("Warehouse slotting"), "Accuracy", 0.95, target=0.97)
    store.close()
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Warehouse slotting")
        metrics = str(_screen(app).query_one("#metrics", MetricsPanel).content)
        assert "0.95 · target 0.97" in metrics


async def test_scale_verdict_tests_and_metric_evidence(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Dispatch routing")
        scale = _screen(app).query_one("#scale", ScalePanel)
        assert scale.verdict is not None and scale.verdict.ready
        assert "Ready to start the 90-day bridge" in _text(app, "#scale")
        metrics = str(_screen(app).query_one("#metrics", MetricsPanel).content)
        assert "On-time dispatch" in metrics and "target 92%" in metrics
        assert "steady at target" in metrics
        assert "Metrics back stable performance" in _text(app, "#scale")

        # a false signal marked: not ready, saying why (seed 1: "none of the three false ones")
        await _goto(app, pilot, "enthusiasm")
        await pilot.press("y")
        assert not scale.verdict.ready and not scale.verdict.warning
        assert "Not ready: false signals are marked: enthusiasm" in _text(app, "#scale")
        await _goto(app, pilot, "maintenance_budget")
        await pilot.press("n")
        assert scale.verdict.warning  # enthusiasm is marked and a real signal is missing
        assert "Warning: the push rests on false signals" in _text(app, "#scale")
        await _goto(app, pilot, "measured")
        await pilot.press("y")
        view = _screen(app).view
        assert view is not None and view.card.tests["measured"] is True
        assert "measured" not in view.card.next_gate.unmet  # type: ignore[union-attr]


async def test_stalled_adoption_is_a_warning_next_to_the_verdict(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        series = {i.name: app.service.metric_series(i.id) for i in app.service.initiatives()}
        stalled = [n for n, s in series.items() if scoring.metric_evidence(s).stalled_adoption]
        assert stalled, "the sample has an initiative whose adoption stalls"
        await _open(app, pilot, stalled[0])
        assert "under 30 percent" in _text(app, "#scale")


async def test_empty_file_says_so(empty_db: Path) -> None:
    app = sample_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await step(pilot, "2")
        assert "no initiatives" in _text(app, "#empty")
        await step(pilot, "y", "right_square_bracket", "e")
        assert isinstance(app.screen, ChecklistScreen)
        assert app.service.store.changes() == []


async def test_palette_offers_every_key(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing")
        entries = _screen(app).palette_commands()
        helps = " ".join(h for _, h, _ in entries)
        for key in ("(y)", "(n)", "(u)", "(space)", "(e)", "([)", "(])", "(escape or 1)"):
            assert key in helps
        titles = {t: cb for t, _, cb in entries}
        await _goto(app, pilot, "D4")
        titles["Checklist: mark met"]()
        await pilot.pause()
        view = _screen(app).view
        assert view is not None and view.value("D4") == "yes"


async def test_narrow_terminal_stacks_the_panels(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, "Invoice processing")
        screen = _screen(app)
        assert screen.has_class("-narrow")
        side = screen.query_one("#side")
        items = _list(app)
        assert side.region.y > items.region.y  # the panels sit under the list
        assert side.region.width == items.region.width
        await pilot.press("y")  # keys still act on the list
        view = screen.view
        assert view is not None and view.value("D1") == "yes"


async def test_initiative_removed_elsewhere_falls_back_to_the_first(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing")
        other_store = Store.open(sample_db)
        try:
            other = Service(other_store, "colleague", FROZEN_TODAY)
            with other._tx() as tx:
                tx.delete(other.resolve("Invoice processing"))
        finally:
            other_store.close()
        app.poll_changes()
        await pilot.pause()
        view = _screen(app).view
        assert view is not None and view.initiative.id == app.service.ordered()[0].id
        assert app.selected_id == view.initiative.id
        assert _said(app, "removed by someone else")


async def test_j_and_k_move_as_on_the_board(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Invoice processing", at="D1")
        await pilot.press("j", "j")
        assert _list(app).highlighted_key == "D3"
        await pilot.press("k")
        assert _list(app).highlighted_key == "D2"


async def test_the_side_panels_fit_their_text_under_the_list_at_80x24(sample_db: Path) -> None:
    """In the review room's terminal the panels go under the list (`-narrow`): each is as tall
    as its text at the width it has there, never measured at the wide layout's width (the gate
    panel used to keep two empty rows, which made the side scroll further than it needs)."""
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, "Dispatch routing")
        await pilot.pause()
        screen = _screen(app)
        assert screen.has_class("-narrow")
        side = screen.query_one("#side")
        for panel in (GatePanel, ScorePanel, ScalePanel):
            shown = screen.query_one(panel)
            text_height = shown.get_content_height(side.size, screen.size, shown.size.width)
            assert shown.size.height == text_height, panel.__name__
