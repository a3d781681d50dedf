"""Hostile text through the app with real keys: typed and pasted into the new-initiative form,
the gate and kill reason dialogs and the task form, carried by notifications, and written by a
teammate whose name is `[/]`. The app never crashes, shows every text exactly as typed (never
as markup) and never sends a control character to the terminal.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.app import App
from textual.coordinate import Coordinate
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input, TextArea
from textual.widgets._toast import Toast

from bridge_tui.errors import BridgeError
from bridge_tui.service import Service
from bridge_tui.store import Store
from bridge_tui.text import one_line
from bridge_tui.tui.app import BridgeApp, build_app
from bridge_tui.tui.dialogs.common import ReasonDialog, SubmitDialog
from bridge_tui.tui.dialogs.gate import GateDialog
from bridge_tui.tui.dialogs.initiative_form import InitiativeForm
from bridge_tui.tui.dialogs.task_form import TaskFormDialog
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.history import HistoryScreen
from tests.conftest import FROZEN_TODAY
from tests.hostile import BIG, EVIL, control_chars, forge_old_file, hostile_text, refused
from tests.tui.helpers import pressed

SIZE = (160, 50)
TEAMMATE = "[/]"

D = TypeVar("D", bound=Screen[Any])


def shown(widget: Widget) -> str:
    """The text a widget draws, without styles (what a person reads)."""
    return str(widget.render())


def toasts(app: App[object]) -> list[str]:
    """The toasts on screen, as drawn."""
    return [shown(t) for t in app.screen.query(Toast)]


def keep_toasts_up(app: App[object]) -> None:
    """Toasts stay up until the test has read them, however slow the machine is: the test
    reads what is drawn, and no assertion may depend on how long something takes."""
    real = app.notify

    def notify(
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        real(message, title=title, severity=severity, timeout=3600, markup=markup)

    app.notify = notify  # type: ignore[method-assign]


def screenshot_controls(app: App[object]) -> list[str]:
    """Control characters in what the app would write to the terminal (breaks aside)."""
    return control_chars(app.export_screenshot(), allowed="\n")


async def enter_text(pilot: Pilot[None], widget: Widget, text: str) -> None:
    """Short text of letters, digits and ASCII punctuation is typed key by key (what Pilot can
    press); anything else is pasted, as a terminal delivers it (bracketed paste), control
    characters included. An input keeps the first line of a paste."""
    widget.focus()
    await pilot.pause()
    typable = len(text) <= 24 and all(
        ch.isalnum() or (ch.isascii() and ch.isprintable()) for ch in text
    )
    if typable:
        await pilot.press(*text)
    else:
        widget.post_message(events.Paste(text))
    await pilot.pause()


def _portfolio(path: Path, app_author: str) -> str:
    """A file with an initiative that has a plan, changed last by the teammate `[/]`."""
    Store.create(path).close()
    store = Store.open(path)
    try:
        me = Service(store, app_author, FROZEN_TODAY)
        planned = me.create_initiative("Planned")
        me.generate_plan(planned)
        them = Service(store, TEAMMATE, FROZEN_TODAY)
        them.edit_initiative(me.initiative(planned.id), owner="Teammate's owner")
        return planned.id
    finally:
        store.close()


def _status(app: App[object]) -> str:
    """The board's status line (the board may be under a dialog)."""
    board = next(s for s in reversed(app.screen_stack) if isinstance(s, BoardScreen))
    return shown(board.query_one("#status"))


async def _opened_by(pilot: Pilot[None], key: str, kind: type[D]) -> D:
    """The dialog `key` opens (a `kind`), the toasts shown so far cleared."""
    pilot.app.clear_notifications()
    return await pressed(pilot, key, kind)


async def _new_initiative(app: BridgeApp, pilot: Pilot[None], value: str) -> str:
    """The new-initiative form given `value` as name and summary. Returns the name saved (the
    value, or when the form refused it, the value on one line without control characters)."""
    form = await _opened_by(pilot, "n", InitiativeForm)
    await enter_text(pilot, form.query_one("#name", Input), value)
    form.query_one("#summary", TextArea).post_message(events.Paste(value))
    await pilot.pause()
    name = form.query_one("#name", Input).value.strip()
    summary = form.query_one("#summary", TextArea).text.strip()
    bad = {
        "name": refused(name, multiline=False, max_length=120),
        "summary": refused(summary, multiline=True, max_length=4000),
    }
    await pilot.press("ctrl+s")
    await pilot.pause()
    if any(bad.values()):
        assert app.screen is form  # refused beside the field; nothing saved
        for field, wrong in bad.items():
            assert (shown(form.query_one(f"#error-{field}")) != "") == wrong, field
        name = one_line(name)[:118].strip() or "fallback"
        form.query_one("#name", Input).value = name
        form.query_one("#summary", TextArea).text = "plain summary"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert not isinstance(app.screen, InitiativeForm), shown(form.query_one("#form-error"))
    assert f"✓ {name} created" in _status(app)
    assert shown(app.screen.query_one("#detail-text")).startswith(name + "\n")
    return name


async def _give_reason(
    app: BridgeApp,
    pilot: Pilot[None],
    key: str,
    kind: type[SubmitDialog[str]],
    question: str,
    value: str,
    field: str,
) -> str | None:
    """Press `key`, check the dialog (a `kind`) and its question, enter `value` as the reason
    and submit: the reason as stored, or None when it was refused (nothing changed, `field`
    named)."""
    dialog = await _opened_by(pilot, key, kind)
    assert shown(dialog.query_one(".dialog-question")) == question
    await enter_text(pilot, dialog.query_one("#reason", Input), value)
    reason = dialog.query_one("#reason", Input).value.strip()  # a paste keeps its first line
    before = _status(app)
    await pilot.press("enter")
    await pilot.pause()
    if refused(reason, multiline=True, max_length=None):
        assert _status(app) == before
        refusal = f"{field}: must not hold control characters"
        assert any(refusal in t for t in toasts(app)), toasts(app)
        return None
    return reason


async def _force_forward(app: BridgeApp, pilot: Pilot[None], name: str, value: str) -> None:
    """Forward through an unmet gate: the dialog names the initiative; the reason is `value`."""
    question = f"{name} cannot move to Pilot yet"
    reason = await _give_reason(
        app, pilot, "greater_than_sign", GateDialog, question, value, "forced reason"
    )
    if reason is not None:
        assert f"✓ {name} moved to Pilot (forced" in _status(app)
        forced = f"⚑ Forced past a gate: {reason}"
        assert forced in shown(app.screen.query_one("#detail-text"))


async def _kill(app: BridgeApp, pilot: Pilot[None], name: str, value: str) -> None:
    """Kill the selected initiative with `value` as the reason."""
    question = f"Kill {name}?"
    reason = await _give_reason(app, pilot, "x", ReasonDialog, question, value, "kill reason")
    if reason is not None:
        assert f"✓ {name} killed" in _status(app)


async def _task_form(app: BridgeApp, pilot: Pilot[None], value: str) -> None:
    """A task titled with the value; the notification carries the title."""
    task_form = await _opened_by(pilot, "n", TaskFormDialog)
    await enter_text(pilot, task_form.query_one("#f-title", Input), value)
    title = task_form.query_one("#f-title", Input).value.strip()
    await pilot.press("enter")
    await pilot.pause()
    if refused(title, multiline=False, max_length=200):
        assert app.screen is task_form
        assert shown(task_form.query_one("#e-form")).startswith("title: ")
        await pilot.press("escape")
        await pilot.pause()
    else:
        assert not isinstance(app.screen, TaskFormDialog)
        assert f"Added to month 1: {title}" in toasts(app), toasts(app)


async def _history_shows(app: BridgeApp, pilot: Pilot[None], authors: set[str]) -> None:
    app.action_history()
    await pilot.pause()
    history = app.screen
    assert isinstance(history, HistoryScreen)
    if history.scope == "initiative":
        history.action_toggle_scope()
        await pilot.pause()
    table = history.query_one("#history-table", DataTable)
    shown_authors = {str(table.get_cell_at(Coordinate(row, 1))) for row in range(table.row_count)}
    assert authors <= shown_authors
    assert screenshot_controls(app) == []
    await pilot.press("escape")
    await pilot.pause()


async def _run(path: Path, steps: list[tuple[str, str]], *, history: bool = False) -> None:
    """One session of the app: each (value, flow) step on the board (`gate`, `kill`: a new
    initiative from the form, then that dialog) or in the plan (`task`: the task form).
    Nothing crashes, nothing drawn holds a control character."""
    values = [v for v, _ in steps]
    valid = [v for v in values if not refused(v, multiline=False, max_length=120)]
    author = valid[0] if valid else "tester"
    planned_id = _portfolio(path, author)
    app = build_app(path, author=author, today=FROZEN_TODAY)
    keep_toasts_up(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        for value, flow in steps:
            if flow in ("gate", "all"):
                name = await _new_initiative(app, pilot, value)
                await _force_forward(app, pilot, name, value)
            if flow in ("kill", "all"):
                if flow == "kill":
                    name = await _new_initiative(app, pilot, value)
                await _kill(app, pilot, name, value)
        assert screenshot_controls(app) == []
        if history:  # the teammate `[/]` and this session's author, as typed
            await _history_shows(app, pilot, {TEAMMATE, author})
        tasks = [v for v, flow in steps if flow in ("task", "all")]
        if tasks:
            app.select(planned_id)
            app.switch_mode("plan")
            await pilot.pause()
            for value in tasks:
                await _task_form(app, pilot, value)
            assert screenshot_controls(app) == []
        assert app.return_code is None  # still running: nothing crashed


CLASSIC = [
    "[/]",
    "[@click=app.quit]x",
    "<\x1b]0;pwned\x07 \x1b[2J>",
    "<\u202eevil e\u0301\u0301 [bold]>",
    f"<{BIG}>",
]


async def test_classic_hostile_values_through_every_form_and_dialog(tmp_path: Path) -> None:
    """Each classic value as an initiative's name and summary, a forced move's reason, a kill
    reason and a task title; a teammate `[/]` and the app's own author `[/]` in the history."""
    await _run(tmp_path / "classic.db", [(v, "all") for v in CLASSIC], history=True)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(hostile_text, st.sampled_from(["gate", "kill", "task"])), min_size=1, max_size=3
    )
)
def test_hostile_text_in_forms_dialogs_and_notifications(
    tmp_path: Path, steps: list[tuple[str, str]]
) -> None:
    """About 16 random hostile values (8 sessions of up to 3; a session of the app costs
    seconds), each through the new-initiative form and a reason dialog, or the task form."""
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        asyncio.run(_run(Path(folder) / "hostile.db", steps))


async def test_an_old_file_with_escapes_draws_none_of_them(tmp_path: Path) -> None:
    """An old file's names, notes and authors hold terminal escapes: every screen shows the
    text without them."""
    path = tmp_path / "old.db"
    ids = forge_old_file(path, FROZEN_TODAY)
    app = build_app(path, author="tester", today=FROZEN_TODAY)
    keep_toasts_up(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.select(ids["live"])
        for key in ("1", "K", "2", "3", "t", "t", "4", "H", "escape", "r", "escape"):
            await pilot.press(key)
            await pilot.pause()
            assert screenshot_controls(app) == [], key
        app.notify(EVIL, title=EVIL)
        await pilot.pause()
        assert any(t.startswith("Evil\x1b]0;pwned") for t in toasts(app))  # drawn, plainly
        assert screenshot_controls(app) == []
        assert app.return_code is None


async def test_a_click_action_in_a_name_is_only_text(tmp_path: Path) -> None:
    """`[@click=app.quit]x` in a name never becomes a link that quits the app."""
    path = tmp_path / "click.db"
    Store.create(path).close()
    store = Store.open(path)
    Service(store, "tester", FROZEN_TODAY).create_initiative("[@click=app.quit]x")
    store.close()
    app = build_app(path, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = app.screen.query_one("#detail-text")
        assert shown(text).startswith("[@click=app.quit]x\n")
        for widget in (text, app.screen.query_one("#status")):
            await pilot.click(widget, offset=(1, 0))
            await pilot.pause()
        assert app.return_code is None and app.is_running


def test_a_crash_exits_non_zero_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """If the app ever stops on an unexpected error, `bridge` says so in one line and the
    shell sees a failure, never exit 0 and a screenful of traceback."""
    from bridge_tui.cli.common import run_app

    path = tmp_path / "crash.db"
    Store.create(path).close()

    def explode(self: BoardScreen) -> None:
        raise RuntimeError("boom [/] \x1b[2J")

    monkeypatch.setattr(BoardScreen, "on_mount", explode)
    monkeypatch.delenv("BRIDGE_DEBUG", raising=False)
    app = build_app(path, author="tester", today=FROZEN_TODAY)
    assert isinstance(app, BridgeApp)
    with pytest.raises(BridgeError) as info:
        run_app(app, headless=True)
    assert app.return_code == 1
    assert info.value.exit_code == 2
    assert info.value.message.startswith(
        "the app stopped on an unexpected error (RuntimeError: boom [/] "
    )
    out, err = capfd.readouterr()
    assert "Traceback" not in err and "Traceback" not in out


def test_the_cli_turns_a_crash_into_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bridge_tui.cli.common as common
    from bridge_tui.cli import main

    path = tmp_path / "crash.db"
    Store.create(path).close()
    real_run_app = common.run_app

    def explode(self: BoardScreen) -> None:
        raise RuntimeError("boom")

    def headless(app: App[object], *, headless: bool = False) -> None:
        real_run_app(app, headless=True)

    monkeypatch.setattr(BoardScreen, "on_mount", explode)
    monkeypatch.setattr(common, "run_app", headless)
    monkeypatch.delenv("BRIDGE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as info:
        main(["--db", str(path), "--as", "tester"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        "bridge: the app stopped on an unexpected error (RuntimeError: boom); every change "
        "saved before it is in the file. Run again with BRIDGE_DEBUG=1 for details.\n"
    )


@pytest.mark.parametrize("name", ["[/]", "[@click=app.quit]x", "[bold]boss"])
async def test_a_screen_or_widget_toast_quoting_a_name_is_plain(sample_db: Path, name: str) -> None:
    """Screens and widgets raise their toasts with f-strings that quote names, notes and file
    names (`self.notify(f"{i.name} is already killed.")`): every one goes through the app's
    notify, which never reads markup, so the name shows as typed and nothing crashes."""
    from tests.tui.helpers import SCREENS

    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    keep_toasts_up(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        for screen_name in ("board", "checklist", "plan", "overview", "flow", "review"):
            await SCREENS[screen_name](pilot)
            app.clear_notifications()
            message = f"{name} is already killed."
            app.screen.notify(message, severity="warning")
            focused = app.screen.focused
            if focused is not None:
                focused.notify(f"Saved {name} next to x.db.", title=name)
            await pilot.pause()
            drawn = toasts(app)
            assert any(message in t for t in drawn), (screen_name, drawn)
            assert all(not n.markup for n in app._notifications), screen_name
            await pilot.press("escape", "1")
            await pilot.pause()
        assert app.return_code is None and app.is_running
