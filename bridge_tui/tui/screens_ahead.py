"""The checklist, plan and overview screens, built ahead while the keyboard is quiet (issue 13).

A screen's first opening built it: composing and mounting 20 to 40 widgets, styling them,
reading its initiative, laying the screen out and drawing every widget, about 1.5 to 2 times
the time a bare Textual app takes to push a screen. Once the board has read the portfolio
whole and nobody has pressed a key or moved the mouse for `QUIET_SECONDS`, the app builds one
screen it has not shown yet, in steps between which the keys are handled: the screen is made
and mounted, shows the selected initiative as its first opening would (`prepare_ahead`), is
laid out at the terminal's size and drawn once, off screen. Its first opening then only puts
it on screen, as when it is opened again. Then the next screen, when the keys are quiet again.

A screen built ahead shows what it would have shown: as a screen opened before, it reads again
on showing when the selection or the file changed since (`BridgeScreen.shown_key`), and it is
laid out again when the terminal's size changed. A key that opens a screen while it is being
built takes it as it is, and its opening finishes what is left, as a first opening does.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.worker import Worker

if TYPE_CHECKING:
    from bridge_tui.tui.app import BridgeApp

#: mode -> how its screen is made; the order they are built in
Makers = dict[str, Callable[[], Screen[Any]]]


class ScreensAhead:
    """Builds the modes' screens ahead, one at a time; each is taken once, by its mode."""

    #: how long the keys and the mouse must have been still before a screen is built
    QUIET_SECONDS = 0.8
    #: how often the app looks whether it is quiet (seconds)
    CHECK_SECONDS = 0.25
    #: let the messages a step posted be handled before the next step (seconds)
    SETTLE_SECONDS = 0.02

    def __init__(self, makers: Makers, ready: dict[str, Callable[[], bool]] | None = None) -> None:
        self._makers = makers
        #: mode -> whether its screen can be built now (what it shows may still be worked out)
        self._ready = ready or {}
        #: built (or being built), not yet taken
        self._built: dict[str, Screen[Any]] = {}
        #: modes whose screen was built, taken or not (each is built once)
        self._done: set[str] = set()
        #: the mode being built now
        self._building: str | None = None
        self._last_input = time.monotonic()
        self._timer: Timer | None = None
        #: the worker building `_building`'s screen
        self._worker: Worker[None] | None = None
        #: the app is closing: nothing more is built
        self._stopped = False

    @property
    def modes(self) -> list[str]:
        return list(self._makers)

    def maker(self, mode: str) -> Callable[[], Screen[Any]]:
        """How the app makes `mode`'s screen as it first shows it: the one built ahead when
        there is one, else a new one."""
        make = self._makers[mode]
        return lambda: self.take(mode) or make()

    def input_seen(self) -> None:
        """A key, a click or a mouse move: not quiet."""
        self._last_input = time.monotonic()

    @property
    def quiet(self) -> bool:
        """No key, click or mouse move for `QUIET_SECONDS`."""
        return time.monotonic() - self._last_input >= self.QUIET_SECONDS

    def when_quiet(self, app: BridgeApp, act: Callable[[], object], name: str) -> None:
        """`act()` now if the keys are quiet, else at the first look (every `CHECK_SECONDS`)
        that finds them so: background work that shares the interpreter with the keys (a
        thread holds it from the app's thread, 5 ms at a time) waits for them; nothing once
        the app is closing."""
        if self._stopped:
            return
        if self.quiet:
            act()
        else:
            app.set_timer(self.CHECK_SECONDS, lambda: self.when_quiet(app, act, name), name=name)

    def start(self, app: BridgeApp) -> None:
        """From now on, build the screens when the keys are quiet (once is enough)."""
        if self._timer is not None:
            return
        self._last_input = max(self._last_input, time.monotonic())  # quiet from now on
        self._timer = app.set_interval(
            self.CHECK_SECONDS, lambda: self._tick(app), name="screens-ahead"
        )

    def take(self, mode: str) -> Screen[Any] | None:
        """The screen built ahead for `mode`, if any: once."""
        return self._built.pop(mode, None)

    def ready(self) -> set[str]:
        """The modes whose screen is built, laid out and drawn, waiting to be shown."""
        return {mode for mode in self._built if mode != self._building}

    @property
    def idle(self) -> bool:
        """No screen is being built now."""
        return self._building is None

    async def stop(self, wait: float = 1.0) -> None:
        """The app is closing: nothing more is built, and a screen being built is let finish
        mounting (at most `wait` seconds). Taken apart half-mounted as the app closed, its
        widgets' first updates found their own parts gone (a header's title, a plan's lines):
        an error as the app quit."""
        self._stopped = True
        if self._timer is not None:
            self._timer.stop()
        worker = self._worker
        if worker is not None and self._building is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(worker.wait()), wait)

    def _tick(self, app: BridgeApp) -> None:
        if self._stopped or self._building is not None:
            return
        if not self.quiet:
            return
        stack = app.screen_stack
        if not stack or isinstance(stack[-1], ModalScreen) or app.selected_id is None:
            return  # closing, a dialog is open (the person is in the middle of something),
            # or the board has not chosen an initiative yet
        left = [m for m in self._makers if m not in self._done and not app.shown(m)]
        if not left:
            if self._timer is not None:
                self._timer.stop()
            return
        mode = next((m for m in left if self._ready.get(m, _always)()), None)
        if mode is None:
            return  # what it shows is still being worked out: at a later tick
        self._building = mode
        self._done.add(mode)
        self._worker = app.run_worker(
            self._build(app, mode),
            group="screens-ahead",
            description=f"the {mode} screen, built ahead",
            exit_on_error=False,
        )

    async def _build(self, app: BridgeApp, mode: str) -> None:
        try:
            screen = self._built[mode] = self._makers[mode]()
            await app.mount_ahead(screen)
            for step in (_prepare, _lay_out, _draw):
                if self._stopped:
                    return  # the app is closing
                if self._built.get(mode) is not screen or not screen.is_attached:
                    return  # opened meanwhile: its opening does the rest
                step(app, screen)
                await asyncio.sleep(self.SETTLE_SECONDS)
            app.settle_memory()  # the screen is kept as long as the app
        finally:
            self._building = None


def _prepare(app: BridgeApp, screen: Screen[Any]) -> None:
    from bridge_tui.tui.screens.base import BridgeScreen

    if isinstance(screen, BridgeScreen):
        screen.prepare_ahead()


def _lay_out(app: BridgeApp, screen: Screen[Any]) -> None:
    screen._refresh_layout(app.size)


def _draw(app: BridgeApp, screen: Screen[Any]) -> None:
    """Every widget draws its lines into its own cache; what is drawn is not shown (the
    screen is not on the terminal): its first opening finds the lines drawn."""
    screen._compositor.render_update(full=True)


def _always() -> bool:
    return True
