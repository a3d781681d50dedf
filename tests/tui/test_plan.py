"""Pilot tests of the 90-day plan screen: real key presses, state checked afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from bridge_tui import method
from bridge_tui.models import PlanTask
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.tui.app import BridgeApp
from bridge_tui.tui.dialogs.common import ConfirmDialog
from bridge_tui.tui.dialogs.task_form import MonthDialog, OwnerDialog, StartDialog, TaskFormDialog
from bridge_tui.tui.screens.plan import PlanScreen
from bridge_tui.tui.screens.plan_timeline import PlanTimelineScreen
from bridge_tui.tui.widgets.plan_month import TaskList
from bridge_tui.tui.widgets.plan_timeline import PlanTimeline
from tests.conftest import FROZEN_TODAY
from tests.tui.helpers import pressed, sample_app, step

SIZE = (160, 45)
D = TypeVar("D", bound=ModalScreen[Any])
DISPATCH = "Dispatch routing"


def _screen(app: BridgeApp) -> PlanScreen:
    assert isinstance(app.screen, PlanScreen), type(app.screen).__name__
    return app.screen


def _text(app: BridgeApp, selector: str) -> str:
    return str(_screen(app).query_one(selector, Static).content)


def _list(app: BridgeApp, month: int) -> TaskList:
    return _screen(app).query_one(f"#tasks-{month}", TaskList)


def _focused(app: BridgeApp) -> TaskList:
    focused = app.focused
    assert isinstance(focused, TaskList), focused
    return focused


def _titles(app: BridgeApp, month: int) -> list[str]:
    view = _screen(app).view
    assert view is not None
    return [t.title for t in view.month_tasks(month)]


def _task(app: BridgeApp, title: str) -> PlanTask:
    i = app.service.resolve(app.selected_id or DISPATCH)
    return app.service.resolve_task(i, title)


async def _entered(pilot: Pilot[None], key: str, kind: type[D], text: str) -> D:
    """The dialog `key` opens, checked to be a `kind`, with `text` typed into its input and
    enter pressed."""
    dialog = await pressed(pilot, key, kind)
    dialog.query_one(Input).value = text
    await step(pilot, "enter")
    return dialog


def _said(app: BridgeApp, words: str) -> bool:
    """Whether a toast on screen says `words`."""
    return any(words in str(n.message) for n in app._notifications)


async def _open(
    app: BridgeApp,
    pilot: Pilot[None],
    name: str | None = DISPATCH,
    at: tuple[int, str] | None = None,
) -> None:
    """Select `name`, press 3 for its plan (and walk to the task `at`: its month, its title)."""
    if name is not None:
        app.select(app.service.resolve(name).id)
    await step(pilot, "3")
    if at is not None:
        await _highlight(app, pilot, *at)


async def _highlight(app: BridgeApp, pilot: Pilot[None], month: int, title: str) -> None:
    """Walk to `title` with the arrow keys (left/right between months, up/down inside)."""
    screen = _screen(app)
    while screen._focus_month != month:
        await pilot.press("left" if screen._focus_month > month else "right")
    lst = _list(app, month)
    ids = [o.id for o in lst.options]
    target = _task(app, title).id
    for _ in range(len(ids)):
        if lst.task_id == target:
            return
        key = "down" if ids.index(target) > (lst.highlighted or 0) else "up"
        await pilot.press(key)
    assert lst.task_id == target


async def test_shows_the_running_plan(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        title = _text(app, "#plan-title")
        assert "Dispatch routing" in title and "day 38 of 90" in title
        verdict = _text(app, "#verdict")
        assert verdict.startswith("BEHIND") and "1 of month 1" in verdict
        assert "1 overdue task" in verdict
        assert [len(_titles(app, m)) for m in (1, 2, 3)] == [6, 4, 5]
        # the current month (2) has the focus
        assert _focused(app).month == 2
        assert not _screen(app).query_one("#sustain").display
        assert not _screen(app).has_class("-narrow")
        bar = _screen(app).query_one("#month-1 .month-bar")
        assert "5/6" in str(bar.render())


async def test_without_selection_opens_the_first_plan(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        app.select(None)
        await _open(app, pilot, None)
        assert app.selected_id is not None
        assert _screen(app).view is not None


async def test_toggle_done_and_back(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, at=(1, "Surface disagreements now"))
        await step(pilot, "space")
        t = _task(app, "Surface disagreements now")
        assert t.done and t.done_by == "tester"
        assert _text(app, "#verdict").startswith("ON TRACK")
        assert _focused(app).task_id == t.id  # focus kept on the task
        await step(pilot, "space")
        assert not _task(app, "Surface disagreements now").done
        assert _text(app, "#verdict").startswith("BEHIND")


async def test_arrows_stay_in_their_month_and_left_right_change_it(sample_db: Path) -> None:
    """Up and down never leave the month (issue 12: a tick landed in the wrong month);
    left and right are the keys that change month."""
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        assert _focused(app).month == 2
        await pilot.press("left")
        assert _focused(app).month == 1
        await pilot.press("end", "down")  # down at the bottom of month 1: stays there
        assert _focused(app).month == 1
        assert _focused(app).task_id == _task(app, "Surface disagreements now").id
        await pilot.press("home", "up")  # up at the top: stays too
        assert _focused(app).month == 1 and _focused(app).highlighted == 0
        await pilot.press("right", "right", "right")
        assert _focused(app).month == 3


async def test_add_task_to_focused_month(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        await pilot.press("right")  # month 3
        await pressed(pilot, "n", TaskFormDialog)
        assert app.screen.query_one("#f-month", Input).value == "3"
        await pilot.press(*"Write the handover note")
        await pilot.press("tab", *"Lena Park")
        await pressed(pilot, "enter", PlanScreen)
        assert _titles(app, 3)[-1] == "Write the handover note"
        t = _task(app, "Write the handover note")
        assert t.owner == "Lena Park" and t.month == 3
        assert t.due == _screen(app).view.status.month(3).last  # type: ignore[union-attr]
        assert _focused(app).task_id == t.id


async def test_add_task_bad_input_keeps_the_form(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        before = _titles(app, 2)
        form = await pressed(pilot, "n", TaskFormDialog)
        await step(pilot, "enter")  # no title
        assert app.screen is form
        assert "title is required" in str(form.query_one("#e-title").render()).lower()
        form.query_one("#f-title", Input).value = "Check"
        form.query_one("#f-month", Input).value = "4"
        form.query_one("#f-due", Input).value = "soon"
        await step(pilot, "enter")
        assert app.screen is form
        assert "1, 2 or 3" in str(form.query_one("#e-month").render())
        assert "date like" in str(form.query_one("#e-due").render())
        await pressed(pilot, "escape", PlanScreen)
        assert _titles(app, 2) == before


async def test_edit_task(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, at=(2, "Track the hidden integration costs"))
        form = await pressed(pilot, "e", TaskFormDialog)
        assert form.query_one("#f-title", Input).value == "Track the hidden integration costs"
        form.query_one("#f-title", Input).value = "Track integration costs weekly"
        form.query_one("#f-notes", Input).value = "Finance wants a monthly total"
        await pressed(pilot, "enter", PlanScreen)
        t = _task(app, "Track integration costs weekly")
        assert t.notes == "Finance wants a monthly total" and t.month == 2
        assert _focused(app).task_id == t.id


async def test_reorder_with_ctrl_arrows(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        first, second = _titles(app, 2)[:2]
        await step(pilot, "ctrl+down")
        assert _titles(app, 2)[:2] == [second, first]
        assert _focused(app).highlighted == 1
        assert _focused(app).task_id == _task(app, first).id
        await step(pilot, "ctrl+up")
        assert _titles(app, 2)[:2] == [first, second]
        await step(pilot, "ctrl+up")  # already first: a message, nothing changes
        assert _titles(app, 2)[:2] == [first, second]
        assert _said(app, "already first")


async def test_move_task_to_another_month(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, at=(1, "Surface disagreements now"))
        await pressed(pilot, "m", MonthDialog)
        await pressed(pilot, "3", PlanScreen)
        t = _task(app, "Surface disagreements now")
        assert t.month == 3
        assert _titles(app, 3)[-1] == "Surface disagreements now"
        assert "Surface disagreements now" not in _titles(app, 1)
        assert _focused(app).month == 3 and _focused(app).task_id == t.id
        assert _text(app, "#verdict").startswith("ON TRACK")


async def test_set_owner(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        await _entered(pilot, "o", OwnerDialog, "Sam Okafor")
        first = _titles(app, 2)[0]
        assert _task(app, first).owner == "Sam Okafor"


async def test_delete_asks_first(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, at=(2, "Refine the workflow from their feedback"))
        target = _task(app, "Refine the workflow from their feedback")
        await pressed(pilot, "d", ConfirmDialog)
        await step(pilot, "n")  # cancel
        assert "Refine the workflow from their feedback" in _titles(app, 2)
        await step(pilot, "d")
        await step(pilot, "y")
        assert "Refine the workflow from their feedback" not in _titles(app, 2)
        row = app.service.store.get(PlanTask, target.id, include_deleted=True)
        assert row is not None and row.deleted  # a tombstone
        assert _focused(app).month == 2 and _focused(app).task_id is not None


async def test_timeline_toggle(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        screen = _screen(app)
        await step(pilot, "t")
        assert isinstance(app.screen, PlanTimelineScreen)  # over the plan screen
        timeline = app.screen.query_one(PlanTimeline)
        assert app.focused is timeline
        lates = [len(e.status.late) for e in timeline.entries]
        assert lates == sorted(lates, reverse=True)
        names = [e.name for e in timeline.entries]
        assert DISPATCH in names
        assert timeline.highlighted == names.index(DISPATCH)  # the current plan is highlighted
        assert "most behind first" in str(app.screen.query_one("#timeline-title", Static).content)
        # task keys do nothing here
        await pilot.press("space")
        assert not _task(app, "Track the hidden integration costs").done
        # enter opens the highlighted plan
        await step(pilot, "home", "enter")
        assert app.screen is screen
        assert app.selected_id == timeline.entries[0].initiative_id
        assert screen.view is not None and screen.view.initiative.id == app.selected_id
        await step(pilot, "t", "t")
        assert screen.query_one("#plan-view").display
        assert isinstance(app.focused, TaskList)


async def test_sustain_panel_after_day_90(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Contract review")
        sustain = _screen(app).query_one("#sustain")
        assert sustain.display
        view = _screen(app).view
        assert view is not None and view.status.phase == "sustain"
        assert view.status.next_review.isoformat() in _text(app, "#sustain")
        assert "past the 90 days" in _text(app, "#plan-title")


async def test_generate_plan_with_g(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, "Route optimisation")
        screen = _screen(app)
        assert screen.view is None
        assert screen.query_one("#no-plan").display
        assert "press g" in _text(app, "#no-plan").lower()
        await pilot.press("space")  # no plan: nothing to toggle
        await step(pilot, "g")
        assert screen.view is not None
        assert [len(_titles(app, m)) for m in (1, 2, 3)] == [6, 4, 5]
        assert "day 1 of 90" in _text(app, "#plan-title")
        assert _focused(app).month == 1
        await step(pilot, "g")  # a plan exists: g is off, nothing is added twice
        assert len(app.service.plan_tasks(screen.view.initiative.id)) == 15


async def test_plan_made_when_the_board_moves_into_productionize(sample_db: Path) -> None:
    """The board calls service.move; entering Productionize creates the plan."""
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        i = app.service.resolve("Route optimisation")
        app.select(i.id)
        result = app.service.move(i, "productionize", force=True, reason="Steering group")
        assert result.plan_created
        await step(pilot, "3")
        view = _screen(app).view
        assert view is not None and view.initiative.id == i.id
        assert view.plan.start_date == FROZEN_TODAY
        assert "day 1 of 90" in _text(app, "#plan-title")


async def test_previous_and_next_initiative_with_a_plan(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        start = app.selected_id
        expected = app.service.plan_neighbour(start, 1)
        assert expected is not None
        await step(pilot, "right_square_bracket")
        assert app.selected_id == expected.id
        assert _screen(app).view is not None
        assert _screen(app).view.initiative.id == expected.id  # type: ignore[union-attr]
        await step(pilot, "left_square_bracket")
        assert app.selected_id == start


async def test_read_only_refuses(sample_db: Path) -> None:
    app = sample_app(sample_db, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        before = _task(app, "Wire it into the tools the team already uses")
        for key in ("space", "n", "e", "d", "m", "o", "ctrl+down"):
            await step(pilot, key)
            assert isinstance(app.screen, PlanScreen), key
        after = _task(app, "Wire it into the tools the team already uses")
        assert after == before
        assert _said(app, "read-only")


async def test_live_refresh_keeps_the_focused_task(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, at=(2, "Refine the workflow from their feedback"))
        focused_id = _focused(app).task_id
        # a teammate, in another process, adds a task at the top of month 2 and ticks one off
        store = Store.open(sample_db)
        try:
            other = Service(store, "teammate", FROZEN_TODAY)
            i = other.resolve(DISPATCH)
            added = other.add_task(i, 2, "Teammate's task")
            other.reorder_task(added, -1)
            other.reorder_task(other.task(added.id), -1)
            other.toggle_task(other.resolve_task(i, "Track the hidden integration costs"))
        finally:
            store.close()
        app.poll_changes()
        await pilot.pause()
        assert "Teammate's task" in _titles(app, 2)
        assert _focused(app).task_id == focused_id
        assert _task(app, "Track the hidden integration costs").done


async def test_narrow_terminal_stacks_the_months(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot)
        screen = _screen(app)
        assert screen.has_class("-narrow")
        xs = {screen.query_one(f"#month-{m}").region.x for m in (1, 2, 3)}
        ys = [screen.query_one(f"#month-{m}").region.y for m in (1, 2, 3)]
        assert len(xs) == 1 and ys == sorted(ys) and len(set(ys)) == 3
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        screen = _screen(app)
        ys2 = {screen.query_one(f"#month-{m}").region.y for m in (1, 2, 3)}
        assert len(ys2) == 1  # side by side


async def test_palette_offers_every_key(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        helps = " ".join(h for _, h, _ in _screen(app).palette_commands())
        for key in ("space", "n", "e", "d", "ctrl+up", "ctrl+down", "m", "o", "[", "]", "g", "t"):
            assert key in helps, key


def _teammate_edits(db: Path, title: str) -> None:
    store = Store.open(db)
    try:
        other = Service(store, "teammate", FROZEN_TODAY)
        i = other.resolve(DISPATCH)
        other.edit_task(other.resolve_task(i, title), notes="teammate was here")
    finally:
        store.close()


async def test_stale_toggle_is_refused_and_reloads(sample_db: Path) -> None:
    app = sample_app(sample_db)
    app.POLL_SECONDS = 3600  # the live refresh must not notice first, however slow the machine
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot, at=(2, "Track the hidden integration costs"))
        _teammate_edits(sample_db, "Track the hidden integration costs")
        await step(pilot, "space")  # before the live refresh noticed
        t = _task(app, "Track the hidden integration costs")
        assert not t.done and t.notes == "teammate was here"
        assert _said(app, "teammate changed this task")
        view = _screen(app).view
        assert view is not None and view.task(t.id) == t  # reloaded
        await step(pilot, "space")  # now it works
        assert _task(app, "Track the hidden integration costs").done


async def _refused_title_save(app: BridgeApp, pilot: Pilot[None], db: Path) -> TaskFormDialog:
    """A new title typed into the task's form while a teammate edits the task: the save is
    refused and the form stays open."""
    await _open(app, pilot, at=(2, "Track the hidden integration costs"))
    form = await pressed(pilot, "e", TaskFormDialog)
    _teammate_edits(db, "Track the hidden integration costs")
    form.query_one("#f-title", Input).value = "My new title"
    await step(pilot, "enter")
    assert app.screen is form
    return form


async def test_refused_save_keeps_the_form(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await _refused_title_save(app, pilot, sample_db)
        assert form.query_one("#f-title", Input).value == "My new title"
        shown = str(form.query_one("#conflict-text").render())
        assert "teammate changed this task" in shown
        assert "teammate was here" in shown  # their value, beside who and when
        await step(pilot, "escape")
        assert _task(app, "Track the hidden integration costs").title != "My new title"


async def test_second_save_after_refusal_goes_onto_their_version(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        form = await _refused_title_save(app, pilot, sample_db)
        await step(pilot, "enter")  # back to editing (the focused choice): nothing written
        assert app.screen is form
        assert form.query_one("#f-notes", Input).value == "teammate was here"
        assert form.query_one("#f-title", Input).value == "My new title"
        await pressed(pilot, "enter", PlanScreen)  # saves my title onto their version
        t = _task(app, "My new title")
        assert t.notes == "teammate was here"  # their notes kept, my title saved


async def test_move_the_start_date(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await _open(app, pilot)
        dialog = await _entered(pilot, "s", StartDialog, "next week")
        assert app.screen is dialog  # a bad date keeps the dialog open
        dialog.query_one(Input).value = "2026-10-24"
        await pressed(pilot, "enter", PlanScreen)
        assert "day 30 of 90" in _text(app, "#plan-title")
        assert _text(app, "#verdict").startswith("ON TRACK")


async def test_plan_appears_after_moving_forward_on_the_board(sample_db: Path) -> None:
    """The real board keys: shift+right moves Route optimisation into Productionize (its
    gate met), and the plan screen then shows a plan that starts today."""
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        svc = app.service
        i = svc.resolve("Route optimisation")
        for key in svc.check_move(i, "productionize").unmet:
            real = key not in {s.id for s in method.FALSE_SIGNALS}
            svc.answer(svc.initiative(i.id), key, "yes" if real else "no")
        assert svc.check_move(svc.initiative(i.id), "productionize").allowed
        app.select(i.id)
        await step(pilot, "3", "1")  # away and back: the board picks up the selection
        await step(pilot, "shift+right")
        assert svc.initiative(i.id).stage == "productionize"
        await step(pilot, "3")
        view = _screen(app).view
        assert view is not None and view.initiative.id == i.id
        assert view.plan.start_date == FROZEN_TODAY
        assert "day 1 of 90" in _text(app, "#plan-title")
