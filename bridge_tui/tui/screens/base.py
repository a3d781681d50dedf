"""What every bridge screen shares: the service, the selected initiative, error reporting."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, cast

from textual import events, on
from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.geometry import Region
from textual.keys import REPLACED_KEYS, key_to_character
from textual.screen import Screen
from textual.strip import Strip

from bridge_tui.errors import BridgeError, StaleRevision
from bridge_tui.tui.widgets.boxes import drawn_once, screen_rows_alike

if TYPE_CHECKING:
    from pydantic import BaseModel

    from bridge_tui.service import Service
    from bridge_tui.service.conflicts import StaleChanges
    from bridge_tui.service.start import AppReads
    from bridge_tui.tui.app import BridgeApp

T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")


class Refused(Enum):
    """What `BridgeScreen.attempt` returns when the service refused (and the screen said why)."""

    REFUSED = "refused"


REFUSED: Final = Refused.REFUSED

#: A palette entry a screen offers: (title, help text, callback).
PaletteEntry = tuple[str, str, Callable[[], object]]


def key_text(key: str) -> str:
    """A key as people type it: the character of a printable one (`greater_than_sign` is
    ">", `slash` "/": Textual's `key_to_character`), else its name ("enter", "shift+right",
    "space")."""
    character = key_to_character(REPLACED_KEYS.get(key, key))
    if character is None or not character.isprintable() or character.isspace():
        return key
    return character


def _breakpoints_now(screen: Screen[Any]) -> None:
    """Give a screen the breakpoint classes of the terminal's width as it is made.

    Textual sets them on the screen's first resize, after its widgets were laid out once
    without them: the board's columns were measured at half their width beside an undocked
    detail pane, then again (every card of 10,000, twice). Textual's own resize sets the same
    classes again, so nothing else changes."""
    try:
        app = screen.app
    except Exception:  # not inside a running app (a unit test building a screen): no-op
        return
    points = screen.HORIZONTAL_BREAKPOINTS
    if points is None:
        points = app.HORIZONTAL_BREAKPOINTS
    if not points or not app.size.width:
        return
    chosen = [name for least, name in sorted(points) if app.size.width >= least][-1:]
    for _, name in points:
        screen.set_class(name in chosen, name)


def _current_css(screen: Screen[Any]) -> None:
    """Mark a screen as styled with the app's current stylesheet.

    The app reads a screen's own stylesheets as it first shows it, before its widgets mount,
    and styles that screen alone (`BridgeApp._load_screen_css`): a screen made later needs
    nothing more than the styling its widgets get as they mount. Textual does
    not know that: a screen it has not styled yet counts as out of date, and showing it the
    first time re-parses every stylesheet of the app and restyles every widget of every open
    screen (most of a screen's first opening: `benchmarks/bench_screens.py`). A theme change
    after this still marks it out of date, and it is restyled when shown, as before.
    """
    try:
        app = screen.app
    except Exception:  # not inside a running app (a unit test building a screen): no-op
        return
    if not app.screen_stack:
        return  # the first screen, made as the app starts: Textual styles it as usual
    screen._css_update_count = app._css_update_count


class BridgeScreen(Screen[None]):
    """Base for the top-level screens. Screens orchestrate: they call the service and push
    fresh models down into dumb widgets."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _current_css(self)
        _breakpoints_now(self)

    @on(events.Mount)
    def _styled_on_mount(self) -> None:
        """Mounted, the screen's widgets are styled with the stylesheet as it is now: so
        coming back to it (the first screen too) does not re-parse every stylesheet."""
        self._css_update_count = self.app._css_update_count

    #: the screen was hidden since it mounted (`_on_screen_resume`)
    _hidden_once = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Before Textual's own handler (`Screen._on_screen_resume`, called after this one).

        Textual restyles every widget of a screen each time it is shown, for what may have
        changed while it was hidden (and tells a screen of a mode it shows for the first time
        twice). Until the screen is first hidden, each widget was styled as it mounted, with
        the stylesheet as it still is (the screen's count of stylesheet updates is the
        app's), so that pass over every widget (34 on the board, 20 to 40 on the others) is
        skipped: a tenth of a screen's first opening. Once it has been hidden, it is
        restyled on every showing, as Textual does."""
        if not self._hidden_once and self._css_update_count == self.app._css_update_count:
            event.refresh_styles = False

    def _on_screen_suspend(self) -> None:
        self._hidden_once = True

    def render_lines(self, crop: Region) -> list[Strip]:
        """An opaque screen's own rows are all its background: drawn once and repeated, as
        the containers do (`widgets.boxes`)."""
        if crop.height > 1 and screen_rows_alike(self):
            return drawn_once(crop, super().render_lines, None)
        return super().render_lines(crop)

    @property
    def bridge(self) -> BridgeApp:
        # a cast, not an import of the app: screens are imported by the app, never the reverse
        return cast("BridgeApp", self.app)

    @property
    def service(self) -> Service:
        return self.bridge.service

    @property
    def reads(self) -> AppReads:
        """What a screen may read before the app's service is built (`BridgeApp.reads`)."""
        return self.bridge.reads

    def report(self, exc: BridgeError) -> None:
        """One sentence, shown where the room can see it; never a traceback."""
        self.notify(
            exc.message,
            title="Not saved" if exc.exit_code else "",
            severity="error",
            timeout=8,
            markup=False,
        )

    def attempt(
        self,
        call: Callable[..., T],
        *args: Any,
        after: Callable[[], object] | None = None,
        **kwargs: Any,
    ) -> T | Literal[Refused.REFUSED]:
        """Run one service call: its result, or `REFUSED` once the refusal has been shown
        (one sentence, `report`). `after` runs either way (e.g. a reload).

            if (view := self.attempt(self.service.step_view, current, 1)) is REFUSED:
                return
        """
        try:
            result = call(*args, **kwargs)
        except BridgeError as exc:
            self.report(exc)
            if after is not None:
                after()
            return REFUSED
        if after is not None:
            after()
        return result

    def form_refusal(self, exc: BridgeError, base: M | None) -> str | StaleChanges[M]:
        """A form's answer when the service refuses its save: the sentence. When a teammate
        saved first (`StaleRevision`): read the file again, then what they changed since
        `base` was read (the form shows it), or one sentence for a new row or a row deleted
        meanwhile."""
        if not isinstance(exc, StaleRevision):
            return exc.message
        self.refresh_data()
        if base is None:
            return exc.message
        try:
            return self.service.changes_since(base)
        except BridgeError as gone:
            return gone.message

    def refuse_if_read_only(self) -> bool:
        if self.service.read_only:
            self.notify(self.service.read_only_message(), severity="warning", markup=False)
            return True
        return False

    def refresh_data(self) -> None:
        """Reload from the service (after our own change or another process's). Override."""

    def prepare_ahead(self) -> None:
        """The screen was built ahead of its first opening, off screen (`tui.screens_ahead`):
        load what that opening will show, so it finds it shown. Override (a screen that loads
        as it mounts has nothing left to do)."""

    def refresh_in_background(self) -> None:
        """Reload after a change made elsewhere (a teammate's save, a merge run in a worker).
        A screen whose reload takes seconds at 10,000 initiatives reads in a worker instead,
        keeping what it shows (and its keys) until the new data lands. Override."""
        self.refresh_data()

    def data_key(self) -> tuple[object, ...]:
        """Changes whenever the file's data may have: another process committed (data_version),
        this session wrote (its transactions), the app reloaded after an undo or a merge
        (generation), or the day turned. Equal keys: what a screen loaded is still current."""
        reads = self.reads
        txs = reads.session_txs
        return (
            reads.data_version(),
            len(txs),
            txs[-1] if txs else None,
            self.bridge.generation,
            reads.today(),
        )

    def shown_key(self) -> tuple[object, ...]:
        """`data_key` and the app's selected initiative: equal keys, a screen showing the
        selected initiative still shows what it would read again. Textual resumes a mode's
        screen twice as it first shows it, and a screen that loads as it mounts would load
        three times: they compare this key before loading again."""
        return (self.bridge.selected_id, *self.data_key())

    def keys_for(self, action: str) -> list[str]:
        """The keys this screen binds to `action`, in BINDINGS order: as written there, or as
        the user's keymap rebinds them (`BridgeApp.keymap`, by binding id)."""
        try:
            keymap: dict[str, str] = getattr(self.app, "keymap", {})
        except Exception:  # not inside a running app (a unit test building a screen)
            keymap = {}
        keys: list[str] = []
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding) or binding.action != action:
                continue
            bound = keymap.get(binding.id, binding.key) if binding.id else binding.key
            for key in bound.split(","):
                if (shown := key_text(key.strip())) not in keys:
                    keys.append(shown)
        return keys

    def key_palette(self, *entries: tuple[str, str, str]) -> list[PaletteEntry]:
        """Palette entries for keys of this screen: (title, help, action as in BINDINGS).

        The help ends with the keys read from BINDINGS, so the palette cannot name a key
        the screen does not have; the callback runs the same action the key runs."""
        out: list[PaletteEntry] = []
        for title, help_text, action in entries:
            keys = ", ".join(self.keys_for(action))
            _, name, args = parse_action(action)
            run = partial(getattr(self, f"action_{name}"), *args)
            out.append((title, f"{help_text} ({keys})" if keys else help_text, run))
        return out
