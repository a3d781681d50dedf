"""Shared Pilot helpers: open each screen and dialog of the sample, and check that what can
take focus is on screen when it has it (issue 12: every screen usable at 80x24)."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from textual.errors import NoWidget
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button

from bridge_tui.tui.app import BridgeApp, build_app
from tests.conftest import FROZEN_TODAY

AppPilot = Pilot[None]
Opener = Callable[[AppPilot], Awaitable[None]]
S = TypeVar("S", bound=Screen[Any])

#: the initiatives the openers use (sample portfolio)
IN_PRODUCTIONIZE = "Dispatch routing"  # has a 90-day plan
IN_EXPERIMENT = "Warehouse slotting"  # its gate into Pilot is not met


def sample_app(db: Path, *, read_only: bool = False) -> BridgeApp:
    """The app on `db` as the tests' user, on the frozen day."""
    return build_app(db, author="tester", today=FROZEN_TODAY, read_only=read_only)


def record_notes(app: BridgeApp) -> list[str]:
    """Every toast the app shows from now on, in order. Kept as they are posted (an event),
    so a check never races a toast's expiry on a loaded machine."""
    seen: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return seen


def visible_region(widget: Widget) -> Region:
    """The part of `widget` the screen shows: its region, clipped by every scrolling
    container above it and by the screen (empty when it is not drawn at all)."""
    screen = widget.screen
    try:
        geometry = screen.find_widget(widget)
    except NoWidget:
        return Region(0, 0, 0, 0)
    return geometry.region.intersection(geometry.clip).intersection(screen.region)


def assert_on_screen(widget: Widget) -> None:
    """The whole widget is visible; one taller or wider than the screen shows a part at
    least as large as the screen allows."""
    region = widget.screen.find_widget(widget).region
    shown = visible_region(widget)
    screen = widget.screen.region
    want_w = min(region.width, screen.width)
    want_h = min(region.height, screen.height)
    assert shown.width >= min(want_w, 1) and shown.height >= min(want_h, 1), (
        f"{widget!r} is focused but off screen: {region} shown {shown}"
    )
    if region.width <= screen.width and region.height <= screen.height:
        # small enough to fit: nothing of it may be cut (a box with its label hidden is no use)
        shown_all = shown.width >= region.width and shown.height >= min(region.height, 3)
        assert shown_all, f"{widget!r} is focused but cut off: {region} shown {shown}"


async def tab_through(pilot: AppPilot, screen: Screen[object] | None = None) -> list[Widget]:
    """Move the focus through every focusable widget of the screen in turn, as tab does
    (`focus_next`: some screens bind tab to their own move), checking each is on screen.
    Returns the widgets visited."""
    screen = screen or pilot.app.screen
    visited: list[Widget] = []
    chain = screen.focus_chain
    for _ in range(len(chain)):
        screen.focus_next()
        await pilot.pause()
        await pilot.pause()
        # Textual scrolls the focused widget into view with an animation: look once it has
        # ended (a busy machine ended the pauses above before it, and found a field half in)
        await pilot.wait_for_scheduled_animations()
        focused = screen.focused
        if focused is None or focused in visited:
            continue
        assert_on_screen(focused)
        visited.append(focused)
    return visited


def displayed(widget: Widget) -> bool:
    node: object = widget
    while isinstance(node, Widget) and not isinstance(node, Screen):
        if not node.display:
            return False
        node = node.parent
    return True


def assert_buttons_on_screen(screen: Screen[object]) -> None:
    buttons = list(screen.query(Button))
    assert buttons, f"{screen!r} has no buttons"
    for button in buttons:
        if not displayed(button):  # e.g. the conflict panel's, shown only on a conflict
            continue
        region = screen.find_widget(button).region
        shown = visible_region(button)
        assert shown == region, f"{button.label} of {screen!r} is cut off: {region} {shown}"


# openers: from the board, the real keys a person presses ------------------------------------


async def select(pilot: AppPilot, name: str) -> None:
    app = pilot.app
    assert isinstance(app, BridgeApp)
    app.select(app.service.resolve(name).id)
    app.switch_mode("board")
    await pilot.pause()
    board = app.screen
    from bridge_tui.tui.screens.board import BoardScreen

    assert isinstance(board, BoardScreen)
    board.refresh_data(keep=app.selected_id)
    await pilot.pause()


async def open_board(pilot: AppPilot) -> None:
    await pilot.pause()


async def open_checklist(pilot: AppPilot) -> None:
    await select(pilot, IN_PRODUCTIONIZE)
    await pilot.press("2")
    await pilot.pause()


async def open_plan(pilot: AppPilot) -> None:
    await select(pilot, IN_PRODUCTIONIZE)
    await pilot.press("3")
    await pilot.pause()


async def open_overview(pilot: AppPilot) -> None:
    await pilot.press("4")
    await pilot.pause()


async def open_flow(pilot: AppPilot) -> None:
    from tests.tui.flow_wait import settle

    await pilot.press("5")
    await settle(pilot)  # its body, figures and chart come after its first paint


async def open_history(pilot: AppPilot) -> None:
    await select(pilot, IN_PRODUCTIONIZE)
    await pilot.press("H")
    await pilot.pause()


async def open_review(pilot: AppPilot) -> None:
    await pilot.press("r")
    await pilot.pause()


async def open_new_initiative(pilot: AppPilot) -> None:
    await pilot.press("n")
    await pilot.pause()


async def open_edit_initiative(pilot: AppPilot) -> None:
    await select(pilot, IN_PRODUCTIONIZE)
    await pilot.press("e")
    await pilot.pause()


async def open_new_task(pilot: AppPilot) -> None:
    await open_plan(pilot)
    await pilot.press("n")
    await pilot.pause()


async def open_gate(pilot: AppPilot) -> None:
    """A move forward whose gate is not met: the dialog that lists what is missing and asks
    for the reason to force it."""
    await select(pilot, IN_EXPERIMENT)
    await pilot.press("shift+right")
    await pilot.pause()


async def open_move_back_reason(pilot: AppPilot) -> None:
    await select(pilot, IN_PRODUCTIONIZE)
    await pilot.press("shift+left")
    await pilot.pause()


async def open_kill(pilot: AppPilot) -> None:
    await select(pilot, IN_EXPERIMENT)
    await pilot.press("x")
    await pilot.pause()


async def open_merge(pilot: AppPilot) -> None:
    from bridge_tui.tui.commands import start_merge

    app = pilot.app
    assert isinstance(app, BridgeApp)
    start_merge(app)
    await pilot.pause()


async def open_merge_preview(pilot: AppPilot) -> None:
    """The merge dialog after a preview of a teammate's copy (the longest it gets)."""
    from textual.widgets import Input

    app = pilot.app
    assert isinstance(app, BridgeApp)
    theirs = app.service.path.with_name("theirs.db")
    shutil.copy(app.service.path, theirs)
    await open_merge(pilot)
    app.screen.query_one("#merge-path", Input).value = str(theirs)
    await pilot.press("enter")
    await pilot.pause()


async def open_share(pilot: AppPilot) -> None:
    from bridge_tui.tui.commands import start_share

    app = pilot.app
    assert isinstance(app, BridgeApp)
    start_share(app)
    await pilot.pause()


async def open_confirm_delete_task(pilot: AppPilot) -> None:
    await open_plan(pilot)
    await pilot.press("d")
    await pilot.pause()


async def open_evidence_note(pilot: AppPilot) -> None:
    await open_checklist(pilot)
    await pilot.press("e")
    await pilot.pause()


SCREENS: dict[str, Opener] = {
    "board": open_board,
    "checklist": open_checklist,
    "plan": open_plan,
    "overview": open_overview,
    "flow": open_flow,
    "history": open_history,
    "review": open_review,
}

DIALOGS: dict[str, Opener] = {
    "new-initiative": open_new_initiative,
    "edit-initiative": open_edit_initiative,
    "new-task": open_new_task,
    "gate-force-reason": open_gate,
    "move-back-reason": open_move_back_reason,
    "kill": open_kill,
    "merge": open_merge,
    "merge-preview": open_merge_preview,
    "share": open_share,
    "confirm-delete-task": open_confirm_delete_task,
    "evidence-note": open_evidence_note,
}


async def step(pilot: AppPilot, *keys: str) -> None:
    """Press `keys` in turn, then let the app act on them."""
    await pilot.press(*keys)
    await pilot.pause()


async def keys_coming(
    pilot: AppPilot,
    presses: int = 12,
    each: Callable[[], object] | None = None,
    until_done: Callable[[], bool] | None = None,
) -> None:
    """A key every 0.1 s (up and down in turn, over a second by default): never quiet;
    `each` after every one (a check that must hold while keys come); `until_done`: stop
    pressing once it holds."""
    for n in range(presses):
        if until_done is not None and until_done():
            return
        await pilot.press("down" if n % 2 else "up")
        await pilot.pause(0.1)
        if each is not None:
            each()


async def until(pilot: AppPilot, done: Callable[[], bool], what: str = "it") -> None:
    """Let the app run, in short pauses, until `done()` holds (work in a thread); fail saying
    `what` never happened after about five seconds."""
    for _ in range(250):
        if done():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{what} never happened")


async def pressed(pilot: AppPilot, key: str, kind: type[S]) -> S:
    """The screen or dialog `key` opens, checked to be a `kind`."""
    await step(pilot, key)
    screen = pilot.app.screen
    assert isinstance(screen, kind), screen
    return screen


async def started(pilot: AppPilot, start: Callable[[BridgeApp], object], kind: type[S]) -> S:
    """The dialog `start(app)` opens (a palette command's `start_...`), checked to be a `kind`."""
    app = pilot.app
    assert isinstance(app, BridgeApp)
    start(app)
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, kind), dialog
    return dialog


async def wait_busy(pilot: AppPilot) -> None:
    """Wait for the jobs `run_busy` started (a share, a report, the minutes) and their results."""
    from bridge_tui.tui.busy import BUSY_GROUP

    app = pilot.app
    for _ in range(3):  # a finished job may start the next (replace after "exists")
        for worker in list(app.workers):
            if worker.group == BUSY_GROUP:
                await worker.wait()
        await pilot.pause()


async def wait_group(pilot: AppPilot, group: str) -> None:
    """Wait for the app's workers of one group (a screen's load, a merge preview), then for
    what they handed back to the app's thread."""
    for worker in list(pilot.app.workers):
        if worker.group == group:
            await worker.wait()
    await pilot.pause()


def service_calls(monkeypatch: Any, name: str, pick: int = 1) -> list[Any]:
    """Every call of `Service.<name>` from now on, made as it was: its argument number `pick`
    (1: the first after the service) noted, or None when it was not given."""
    from bridge_tui.service import Service

    noted: list[Any] = []
    real = getattr(Service, name)

    def noting(self: Any, *args: Any, **kwargs: Any) -> Any:
        noted.append(args[pick - 1] if len(args) >= pick else None)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Service, name, noting)
    return noted


def as_teammate(db: Path, initiative: str, author: str = "sam", **fields: object) -> None:
    """A teammate's save to the same file, through a connection of its own."""
    from bridge_tui.service import Service
    from bridge_tui.store import Store

    store = Store.open(db)
    try:
        teammate = Service(store, author, FROZEN_TODAY)
        teammate.edit_initiative(teammate.resolve(initiative), **fields)
    finally:
        store.close()


def teammate_copy(db: Path) -> Path:
    """sam's copy beside the file (a shared copy), with one change of his: Dispatch routing's
    team is Night desk."""
    from bridge_tui.service import Service
    from bridge_tui.store import Store

    copy = db.with_name("sam-copy.db")
    store = Store.open(db)
    try:
        Service(store, "tester", FROZEN_TODAY).share(copy)
    finally:
        store.close()
    as_teammate(copy, "Dispatch routing", team="Night desk")
    return copy
