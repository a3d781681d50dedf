"""Wiring only: modes, stylesheets, global keys, palette commands and the app factory."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.widget import AwaitMount, Widget

from bridge_tui.errors import BridgeError
from bridge_tui.service.start import Start
from bridge_tui.tui.kept_stylesheet import KeptStylesheet
from bridge_tui.tui.overview_ahead import OverviewAhead
from bridge_tui.tui.plain_text import ControlFilter
from bridge_tui.tui.screens.base import BridgeScreen
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens_ahead import ScreensAhead
from bridge_tui.tui.styles import shared_sheet, stylesheets
from bridge_tui.tui.themes import THEMES

if TYPE_CHECKING:
    from bridge_tui.records import InitiativeRecord
    from bridge_tui.service import Board, Service
    from bridge_tui.service.start import AppReads
    from bridge_tui.tui.overview_ahead import Ready

# Only the board is imported up front: every other screen and dialog (and what it imports)
# loads the first time it opens, so the first paint does not pay for them
# (`tests/unit/test_lazy_imports.py` keeps it so).


def _checklist() -> Screen[Any]:
    from bridge_tui.tui.screens.checklist import ChecklistScreen

    return ChecklistScreen()


def _plan() -> Screen[Any]:
    from bridge_tui.tui.screens.plan import PlanScreen

    return PlanScreen()


def _overview() -> Screen[Any]:
    from bridge_tui.tui.screens.overview import OverviewScreen

    return OverviewScreen()


#: imported in a thread once the board has painted, so the first opening of a screen does not
#: wait for its import either
_WARM_UP = (
    "bridge_tui.tui.screens.checklist",
    "bridge_tui.tui.screens.plan",
    "bridge_tui.tui.screens.overview",
    "bridge_tui.tui.screens.history",
    "bridge_tui.tui.screens.review",
    "bridge_tui.tui.dialogs.initiative_form",
    "bridge_tui.tui.dialogs.gate",
    "bridge_tui.tui.screens.board_load",
    "bridge_tui.tui.busy",
    # what those screens call, left out of the start-up (`tests/unit/test_lazy_imports.py`)
    "bridge_tui.scoring.portfolio",
    "bridge_tui.scoring.plan",
    "bridge_tui.scoring.metrics",
    "bridge_tui.service.change_words",
    "bridge_tui.service.history_fold",
    "bridge_tui.flow.figures",
)


def _import_screens() -> None:
    import importlib

    # the service and the models: the board's first read made records without them
    importlib.import_module("bridge_tui.service.composed")
    from bridge_tui.models import build_validators

    build_validators()
    for name in _WARM_UP:
        importlib.import_module(name)


def _warmed_sheets() -> list[Path]:
    """The sheets named (`CSS_PATH`) by bridge's screens and dialogs loaded so far, and the
    dialogs' shared rules, less those read at start-up: what their first showings would
    parse, parsed in the warm-up thread instead (`KeptStylesheet.parse_ahead`)."""
    found = {shared_sheet()}
    classes: list[type[Screen[Any]]] = [Screen]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("bridge_tui.") and cls.CSS_PATH:
            named = cls.CSS_PATH if isinstance(cls.CSS_PATH, list) else [cls.CSS_PATH]
            found.update(Path(path) for path in named)
    return sorted(found - set(stylesheets()))


def _loaded(module: str, name: str) -> type | None:
    """The class `name` of screen module `module` if it is loaded; None when it is not (then
    no screen on the stack can be one)."""
    found = sys.modules.get(f"bridge_tui.tui.screens.{module}")
    return getattr(found, name, None) if found is not None else None


class BridgeApp(App[None]):
    TITLE = "bridge"
    MODES = {
        "board": BoardScreen,
        "checklist": _checklist,
        "plan": _plan,
        "overview": _overview,
        "flow": lambda: _flow_screen(),
    }
    DEFAULT_MODE = "board"
    #: The footer shows, on every screen and at 80 columns, what matters most: the screen's
    #: own few keys, then `1-5` (the screens), help, history and review. The rest stay in help
    #: (`?`) and the palette.
    BINDINGS = [
        Binding("1", "switch_mode('board')", "Screens", key_display="1-5", id="app.board"),
        Binding("2", "switch_mode('checklist')", "Checklist", show=False, id="app.checklist"),
        Binding("3", "switch_mode('plan')", "Plan", show=False, id="app.plan"),
        Binding("4", "switch_mode('overview')", "Overview", show=False, id="app.overview"),
        Binding("5", "switch_mode('flow')", "Flow", show=False, id="app.flow"),
        Binding("question_mark,f1", "toggle_help", "Help", key_display="?", id="app.help"),
        Binding("H", "history", "History", id="app.history"),
        Binding("r", "review", "Review", id="app.review"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="app.undo"),
        Binding("q", "quit", "Quit", show=False, id="app.quit"),
    ]
    #: how often (seconds) the app checks whether another process wrote to the file
    POLL_SECONDS = 1.0
    #: how long after start-up the Flow screen's code is first due to be loaded in the
    #: background (seconds); it waits for the keys to be quiet
    WARM_UP_SECONDS = 1.5

    def __init__(self, service: Service | Start, *, demo: bool = False) -> None:
        # the board's sheet: every other screen and dialog names its own (`CSS_PATH`), and the
        # dialogs' shared rules come with the first dialog (`_load_screen_css`)
        super().__init__(css_path=list[str | PurePath](stylesheets()))
        # parsed once while the theme stays the same (Textual parses every refresh anew)
        self._kept_sheet = KeptStylesheet(variables=self.get_css_variables())
        self.stylesheet = self._kept_sheet
        #: the file as the board's first paint reads it, until the service is built (`service`)
        self._start: Start | None = service if isinstance(service, Start) else None
        self._service: Service | None = None if isinstance(service, Start) else service
        #: the file is `bridge demo`'s private copy of the sample
        self.demo = demo
        #: the initiative every screen shows (the board's selection); None until one is chosen
        self.selected_id: str | None = None
        self.sub_title = self._subtitle()
        self._data_version = 0
        #: the day the screens were last loaded on: a new one (midnight) reloads them
        self._day: date | None = None
        #: the change-log stamp up to which teammates' changes have been told
        self._change_mark: str | None = None
        #: writes this app is making through a second connection (a merge in a worker): the
        #: poll waits for them to finish (`took_in_own_write`) rather than call them a
        #: teammate's change
        self.own_writes = 0
        self._drive_note = ""
        #: counts the reloads the app asked for (undo, merge, another process's commit), so a
        #: screen of another mode, which did not see them, knows to reload when shown again
        self.generation = 0
        #: the last whole board the board screen read, with the data key it was read at
        #: (`BridgeScreen.data_key`): another screen may read its initiatives from it while
        #: that key holds (`whole_board`)
        self._whole_board: tuple[tuple[object, ...], Board] | None = None
        #: the board's first read, as records, until the service is built (`keep_first_board`)
        self._first_board: tuple[tuple[object, ...], Board[InitiativeRecord], list[str]] | None = (
            None
        )
        #: the kept board's ids in board order, worked out once for it (`board_order`)
        self._board_order: tuple[Board, list[str]] | None = None
        #: the overview's figures of a large kept board, worked out in a thread once it is
        #: kept, for the overview's first opening (`overview_ahead`)
        self.overview_ahead = OverviewAhead()
        #: the checklist, plan and overview screens, built while the keys are quiet
        self.screens_ahead = ScreensAhead(
            {"checklist": _checklist, "plan": _plan, "overview": _overview},
            # not while its figures are worked out ahead: built then, it was built behind its
            # loading indicator, and its first opening laid out and drew the figures
            ready={"overview": lambda: not self.overview_ahead.pending},
        )
        for mode in self.screens_ahead.modes:
            self._modes[mode] = self._settled_after(self.screens_ahead.maker(mode))
        self._control_filter = ControlFilter()
        #: the user's own keys, {binding id: keys}, from the settings file (`set_keymap`)
        self.keymap: dict[str, str] = {}
        # before any screen exists, so every screen's footer is built with the user's keys
        self._use_saved_keymap()
        for theme in THEMES:
            self.register_theme(theme)

    def _load_screen_css(self, screen: Screen[Any]) -> None:
        """Read the sheets a screen names (`CSS_PATH`) the first time it shows, and restyle that
        screen alone.

        Textual restyles every widget of every open screen after reading a screen's sheets
        (20-45 ms of a screen's first opening). Each sheet's rules are nested under the screens
        and dialogs that name it (`tests/tui/test_screen_stylesheets.py`), so no widget already
        mounted can match them: only the new screen does, and its widgets mount after this.

        The first dialog (a `ModalScreen`, Textual's command palette too) also brings the rules
        every dialog shares (`shared_sheet`), placed before every other sheet; they are nested
        under `ModalScreen`, so nothing shown before needs them.
        """
        shared = isinstance(screen, ModalScreen) and self._kept_sheet.read_first(shared_sheet())
        new = [path for path in screen.css_path if not self.stylesheet.has_source(str(path))]
        if not (new or shared) or screen.CSS or self.css_monitor is not None:
            super()._load_screen_css(screen)
            return
        for path in new:
            self.stylesheet.read(path)
        self.stylesheet.reparse()  # parses only the new sheets (`KeptStylesheet`)
        self.stylesheet.update(screen)

    #: seconds after a mode's screen is first made on its key until its memory is settled
    SETTLE_AFTER_OPENING = 1.0

    def _settled_after(self, make: Callable[[], Screen[Any]]) -> Callable[[], Screen[Any]]:
        """`make`, then, once the screen has opened, its memory settled (`settle_memory`):
        the screen is kept as long as the app, and the collector's full walks of everything
        made since the last settling took 40 ms and more in a later screen's first opening.
        The collector is paused from the key until then (`memory.hold`)."""

        def made() -> Screen[Any]:
            from bridge_tui import memory

            memory.hold()  # no collection in this key: settled once the screen has opened
            screen = make()
            self.set_timer(self.SETTLE_AFTER_OPENING, self.settle_memory, name="settle")
            return screen

        return made

    def shown(self, mode: str) -> bool:
        """The mode's screen was shown (it exists and is kept)."""
        return mode in self._screen_stacks

    async def mount_ahead(self, screen: Screen[Any]) -> None:
        """Mount `screen` without showing it (`ScreensAhead`), styled as when it first
        shows (its own sheets read first, `_load_screen_css`)."""
        self._load_screen_css(screen)
        await AwaitMount(screen, self._register(self, screen))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.screens_ahead.input_seen()
        await super().on_event(event)

    def get_loading_widget(self) -> Widget:
        """A loading pane's indicator repaints only its line of dots (`PaneLoading`)."""
        from bridge_tui.tui.busy import PaneLoading

        return PaneLoading()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then one that drops control characters from every line drawn."""
        return [*super().get_line_filters(), self._control_filter]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast is plain text, whoever raises it: bridge's messages quote names, notes,
        authors and error sentences, and a name like `[/]` or `[@click=app.quit]x` must show as
        typed, never be read as markup (so `markup` is ignored)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    @property
    def service(self) -> Service:
        """The one service every screen and action goes through. An app opened on a `Start`
        builds it over the same open file when first asked: the warm-up thread imports it
        once the board has painted, and asks for it then (`_import_screens`)."""
        found = self._service
        if found is None:
            assert self._start is not None
            if self._thread_id not in (0, threading.get_ident()):
                # a worker thread: the file's connection belongs to the app's thread, which
                # builds the service (the import, the slow part, is done here first)
                import bridge_tui.service.composed  # noqa: F401

                return self.call_from_thread(lambda: self.service)
            found = self._service = self._start.service()
            self._start = None
            if self._first_board is not None:
                self.keep_first_board(*self._first_board)
        return found

    @property
    def reads(self) -> AppReads:
        """What the board's first paint reads (the day, the file's state, its name): the
        `Start` until the service is built, then the service."""
        found: AppReads | None = self._service if self._service is not None else self._start
        assert found is not None
        return found

    @property
    def start(self) -> Start | None:
        """The file as opened before the service was built, while it is not: the board's
        first read goes through it (`Start.board`)."""
        return self._start

    def on_mount(self) -> None:
        self._use_saved_theme()
        reads = self.reads
        self._data_version = reads.data_version()
        self._day = reads.today()
        self._change_mark = reads.change_mark()
        drive = reads.network_drive()  # said once, in the header
        if drive:
            self._drive_note = f"  ·  on a network drive ({drive}): saves may wait on locks"
            self.sub_title += self._drive_note
        self.set_interval(self.POLL_SECONDS, self.poll_changes, name="live-refresh")
        self.set_timer(self.WARM_UP_SECONDS, self._warm_up, name="warm-up")
        self.call_after_refresh(self.settle_memory)
        self.call_after_refresh(self._import_screens)

    def _import_screens(self) -> None:
        """After the first paint: import the service, the models and the other screens in a
        thread (no screen changes), then build the service on the app's thread; then parse
        those screens' sheets in the thread, kept on the app's thread (`_warmed_sheets`)."""

        def warm_up() -> None:
            _import_screens()
            if self._service is None:
                self.call_from_thread(lambda: self.service)
            parsed = self._kept_sheet.parse_ahead(_warmed_sheets())
            self.call_from_thread(self._kept_sheet.keep_parsed, *parsed)
            # the modules imported and the sheets parsed live as long as the app
            self.call_from_thread(self.settle_memory)

        self.run_worker(warm_up, thread=True, group="warm-up", exit_on_error=False)

    def keep_board(
        self,
        key: tuple[object, ...],
        board: Board,
        order: list[str] | None = None,
        overview: Ready | None = None,
    ) -> None:
        """The board screen read the whole portfolio at `key` (`BridgeScreen.data_key`);
        `order`: its ids in board order, when the board has them already (`board_order`). A
        large one's overview figures are kept when they were worked out with it (`overview`,
        the board's first whole read), else worked out ahead, in a thread (`OverviewAhead`)."""
        self._whole_board = (key, board) if board.complete else None
        self._board_order = (board, order) if board.complete and order is not None else None
        if board.complete:
            self.screens_ahead.start(self)  # the keys count as quiet from now on
        if overview is not None and board.complete:
            self.overview_ahead.keep(key, overview)
            return
        self.overview_ahead.start(
            self,
            self.service,
            key,
            board,
            later=lambda act: self.screens_ahead.when_quiet(self, act, "overview-ahead"),
            order=order,
        )

    def keep_first_board(
        self, key: tuple[object, ...], board: Board[InitiativeRecord], order: list[str]
    ) -> None:
        """The board screen's first read of the whole portfolio, as records (`Start.board`):
        kept for the other screens as models (`keep_board`) once the service, and with it
        the models, are loaded; the board itself shows the records it has."""
        if self._service is None:
            self._first_board = (key, board, order)
            return
        from bridge_tui.models import initiative_of
        from bridge_tui.service.board import Board

        self._first_board = None
        models = [initiative_of(i) for i in board.initiatives]
        self.keep_board(key, Board(models, board.answers, board.histories, board.scores), order)

    def whole_board(self, key: tuple[object, ...]) -> Board | None:
        """The whole board kept by `keep_board`, if it was read at `key`: the file has not
        changed since (nobody wrote, the app did not reload, the day did not turn). The
        overview reads its initiatives from it rather than from the file again: at 10,000
        initiatives that is half a second of reading and checking."""
        if self._whole_board is None or self._whole_board[0] != key:
            self._whole_board = None  # out of date: not kept alive for nothing
            self._board_order = None
            return None
        return self._whole_board[1]

    def board_order(self, key: tuple[object, ...]) -> list[str] | None:
        """The ids of the kept whole board (`whole_board`) in board order, or None when no
        board is kept at `key`. The checklist shows where its initiative sits in board order
        and steps along it; at 10,000 initiatives, reading and sorting every id for that on
        each opening and each step takes tens of milliseconds."""
        board = self.whole_board(key)
        if board is None:
            return None
        if self._board_order is None or self._board_order[0] is not board:
            self._board_order = (board, [i.id for i in self.service.ordered(board.initiatives)])
        return self._board_order[1]

    def settle_memory(self) -> None:
        """After a large load (start-up, the warm-up's imports, the overview, the review, a
        kept screen made): what is in memory now lives as long as its screen, so the garbage
        collector stops walking it (`memory.settle`)."""
        from bridge_tui import memory

        memory.settle()

    def on_unmount(self) -> None:
        from bridge_tui import memory

        memory.release()

    async def _shutdown(self) -> None:
        """Before Textual takes the screens apart: a screen being built ahead is let finish
        mounting (`ScreensAhead.stop`)."""
        await self.screens_ahead.stop()
        await super()._shutdown()

    def _warm_up(self) -> None:
        """After the first paint, when the keyboard is quiet: load what the Flow screen needs
        (its module, plotext) in a thread, so its first opening does not wait for them. Its
        70 ms of work share the interpreter with the app's thread: at a fixed time after
        start-up it fell in whichever key came then (a screen's first opening, 1.5 s in)."""
        self.screens_ahead.when_quiet(
            self,
            lambda: self.run_worker(_load_flow, thread=True, group="warm-up", exit_on_error=False),
            "warm-up",
        )

    def _use_saved_theme(self) -> None:
        """The theme chosen last time (palette → Theme), from the per-user settings file; a
        theme this version does not know is ignored. Every later choice is saved."""
        from bridge_tui import settings

        name = settings.saved_theme()
        if name and name in self.available_themes:
            self.theme = name
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _use_saved_keymap(self) -> None:
        """The user's own keys (`"keymap"` in the settings file: binding id to keys, e.g.
        {"board.new": "a"}); the footer, help and palette show them."""
        from bridge_tui import settings

        self.keymap = settings.saved_keymap()
        if self.keymap:
            self.set_keymap(self.keymap)

    def _remember_theme(self, theme: Theme) -> None:
        from bridge_tui import settings

        if settings.saved_theme() != theme.name:
            settings.save(theme=theme.name)

    def poll_changes(self) -> None:
        """Reload what is on screen when another process committed to the file, or when git
        (a pull, a checkout) put a new file under its name: that one is reopened. Not while
        the app is closing: its screens are being taken apart."""
        if self._exit or not self.is_running:  # exiting, or taking its screens apart
            return
        try:
            if self.service.reopen_if_replaced():
                self.file_reopened()
                return
            if self.service.reopen_failures == 2:  # not a file half-written: say it once
                self.notify(
                    f"The new file under {self.service.file_name} cannot be opened "
                    f"({self.service.reopen_problem}); bridge shows the file as it was and "
                    "saves nothing until a good one is there.",
                    title="File replaced",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
            version = self.service.data_version()
        except Exception:  # a network drive hiccup: try again at the next tick, never crash
            return
        if self.own_writes:
            return
        # midnight with the app open: days in stage, purgatory and overdue reviews count from
        # the new day, the file changed or not
        day, self._day = self._day, self.service.today()
        if version != self._data_version:
            self._data_version = version
            self._tell_arrivals()
            self.refresh_screens(background=True)
        elif day != self._day:
            self.refresh_screens(background=True)

    def _tell_arrivals(self) -> None:
        """A toast per teammate's save that just came in ("sam changed Dispatch routing ·
        team"), so nobody is surprised by a card that changed under them."""
        from bridge_tui.service.arrivals import summary

        try:
            arrivals, self._change_mark = self.service.arrivals_since(self._change_mark)
        except Exception:  # a notice is a courtesy: never let it stop the reload
            return
        for line in summary(arrivals):
            self.notify(line, title="A teammate's change", timeout=8, markup=False)

    def file_reopened(self) -> None:
        """The service opened the new file under the path: show it, keeping the selection
        and any open form (screens reload as for a teammate's save)."""
        self._data_version = self.service.data_version()
        self._change_mark = self.service.change_mark()
        self.sub_title = self._subtitle() + self._drive_note
        self.notify(
            f"{self.service.file_name} was replaced on disk (by git?); showing the new file.",
            title="Reloaded",
            markup=False,
        )
        self.refresh_screens(background=True)

    def took_in_own_write(self) -> None:
        """After a write this app made through a second connection (a merge in a worker):
        reload the screens, without announcing it as a teammate's change."""
        self._data_version = self.service.data_version()
        self._change_mark = self.service.change_mark()
        self.refresh_screens(background=True)

    def refresh_screens(self, *, background: bool = False) -> None:
        """Ask every live screen (top first) to reload from the service; with `background`
        (a change made elsewhere), a screen slow to reload reads in a worker."""
        self.generation += 1
        for screen in reversed(self.screen_stack):
            # a screen pushed but not yet mounted loads in its own on_mount; one closed or
            # detached (the app closing) has no widgets left to fill
            if (
                isinstance(screen, BridgeScreen)
                and screen.is_mounted
                and screen.is_running
                and screen.is_attached
            ):
                if background:
                    screen.refresh_in_background()
                else:
                    screen.refresh_data()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            overview = _loaded("overview", "OverviewScreen")
            return isinstance(self.screen, BoardScreen) or (
                overview is not None and isinstance(self.screen, overview)
            )
        if action == "history":  # already there: no footer key for it
            history = _loaded("history", "HistoryScreen")
            return history is None or not isinstance(self.screen, history)
        return True

    def action_review(self) -> None:
        from bridge_tui.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen())

    def action_history(self) -> None:
        from bridge_tui.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_undo(self) -> None:
        try:
            message = self.service.undo_last()
        except BridgeError as exc:
            self.notify(exc.message, title="Nothing undone", severity="warning", markup=False)
            return
        # a large board reads again in a worker (at 10,000 its read held the keys for most
        # of a second); the status line says what was undone meanwhile, and after
        self.refresh_screens(background=True)
        if isinstance(self.screen, BoardScreen):
            # the board's status line said what was just done: now it says what was undone
            self.screen.say(f"↶ {message}")
        else:
            self.notify(message, title="Undone", markup=False)

    def _subtitle(self) -> str:
        reads = self.reads
        name = reads.file_name
        if self.demo:
            name = f"DEMO copy: {_home_relative(reads.path)}"
        parts = [name, f"as {reads.author}"]
        if reads.read_only_reason:
            parts.append("READ-ONLY: bridge will not write to this file")
        elif reads.read_only:
            parts.append("READ-ONLY: changes cannot be saved")
        return "  ·  ".join(parts)

    @property
    def today(self) -> date:
        return self.reads.today()

    def select(self, initiative_id: str | None) -> None:
        self.selected_id = initiative_id

    def open_initiative(self, initiative_id: str, mode: str = "checklist") -> None:
        self.select(initiative_id)
        self.switch_mode(mode)

    def action_toggle_help(self) -> None:
        """A modal list of the keys live on the screen behind it (not Textual's side panel,
        which squeezes the board); the same key or escape closes it."""
        from bridge_tui.tui.dialogs.help import show_help

        show_help(self)

    def action_show_help_panel(self) -> None:
        """The palette's "Keys" opens the same help screen."""
        self.action_toggle_help()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from bridge_tui.tui.commands import palette

        yield from super().get_system_commands(screen)
        yield from palette(self, screen)


def _load_flow() -> None:
    import bridge_tui.tui.screens.flow  # noqa: F401
    from bridge_tui.tui.widgets.flow_chart import warm_up

    warm_up()


def _flow_screen() -> Screen[None]:
    """Loaded when first shown: the board's first paint does not pay for plotext."""
    from bridge_tui.tui.screens.flow import FlowScreen

    return FlowScreen()


def _home_relative(path: Path) -> str:
    """`~/.local/share/bridge/demo.db` rather than the full home path: shorter to read."""
    try:
        return str(Path("~") / path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError):  # outside the home folder, or no home at all
        return str(path.resolve())


def build_app_for_service(service: Service, *, demo: bool = False) -> BridgeApp:
    return BridgeApp(service, demo=demo)


def build_app(
    db_path: Path | str,
    *,
    author: str,
    today: date | None = None,
    read_only: bool = False,
) -> BridgeApp:
    """The one factory the CLI and every test use."""
    return BridgeApp(Start.open(db_path, author, today, read_only=read_only))
