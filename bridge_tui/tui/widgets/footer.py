"""The footer every screen shows: the few keys that matter most, readable at 80 columns, drawn
as one line.

Each screen marks the bindings the footer shows (`show=True`, short descriptions); the rest
stay in help (`?`) and the command palette. On a narrow terminal the `^p palette` key makes
way for them (help names it, and ctrl+p still works).

It looks and works as Textual's compact `Footer` does (the same theme variables, the same
spacing, key groups such as "ynu Answer", the palette key at the right, a click on a key
presses it, a disabled key is dim and rings the bell, each key's tooltip on hover), but it is
one widget that draws its line, not a widget per key. Textual's footer mounts its keys only
after the screen's first frame and mounts them all again whenever a screen says its bindings
may have changed (every focus change, every screen switch); each time that restyled every key
and laid the screen out again: 100 to 200 ms of every screen's first opening. This one works
out its keys when it draws, and draws again only when they change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

#: below this width the footer leaves out the command palette's key
PALETTE_KEY_MIN_WIDTH = 100

#: what the footer shows: whether the palette key is there, then each key as (key, key
#: display, description, action, enabled, tooltip, its binding's group)
Shown = tuple[bool, tuple[tuple[str, str, str, str, bool, str, Binding.Group | None], ...]]


class FooterKey(NamedTuple):
    """One key as drawn: where it is on the line (`start` to `end`, the cells a click or the
    mouse pointer finds it by), and what pressing it does."""

    key: str
    key_display: str
    description: str
    enabled: bool
    tooltip: str
    start: int
    end: int


class BridgeFooter(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer--separator",
    }
    DEFAULT_CSS = """
    BridgeFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    BridgeFooter > .footer-key--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    BridgeFooter > .footer-key--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    BridgeFooter > .footer-key--hover {
        color: $footer-key-foreground;
        background: $block-hover-background;
    }
    BridgeFooter > .footer--separator {
        color: $foreground 20%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: whether the palette key is shown (wide enough)
        self.show_command_palette = True
        #: the keys last drawn (None: not drawn yet)
        self.shown: Shown | None = None
        #: how many times the keys drawn changed (the tests read it)
        self.rebuilds = 0
        #: the keys on the line as last drawn, in order (the palette key last)
        self.keys: list[FooterKey] = []
        self._hover: int | None = None

    # what to show ----------------------------------------------------------------------------

    def keys_to_show(self) -> Shown:
        app = self.app
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
                binding.group,
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (self.show_command_palette, keys)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """The screen's bindings may have changed (focus moved, a screen switch): draw again
        only if the keys differ (and not while its screen is being left)."""
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self.screen is self.app.screen and self.keys_to_show() != self.shown:
            self.refresh()

    # drawing ---------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        blank = Style(bgcolor=self.rich_style.bgcolor)
        if y != 0:
            return Strip.blank(width, blank)
        # decided as it draws, at the width it draws at: a Resize comes after the frame drawn
        # at the new width (on a narrow terminal the first frame showed the palette key)
        self.show_command_palette = width >= PALETTE_KEY_MIN_WIDTH
        shown = self.keys_to_show()
        if shown != self.shown:
            self.shown = shown
            self.rebuilds += 1
            self._hover = None
        return Strip(self._segments(shown, width, blank)).crop_extend(0, width, blank)

    def _segments(self, shown: Shown, width: int, blank: Style) -> list[Segment]:
        """The line's segments, and where each key is on it (`keys`)."""
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        hover_bg = Style(bgcolor=self.get_component_rich_style("footer-key--hover").bgcolor)
        dim = Style(dim=True)
        line: list[Segment] = []
        at = 0
        keys: list[FooterKey] = []

        def put(text: str, style: Style) -> None:
            nonlocal at
            line.append(Segment(text, style))
            at += cell_len(text)

        def add_key(
            key: str, display: str, description: str, enabled: bool, tooltip: str, text: str
        ) -> None:
            """One key (with its description, `text`, when it has one) at the end of the line."""
            start = at
            extra = (Style() if enabled else dim) + (
                hover_bg if self._hover == len(keys) else Style()
            )
            put(display, key_style + extra)
            if text:
                put(" " + text, description_style + extra)
            keys.append(FooterKey(key, display, description, enabled, tooltip, start, at))

        # as Textual's footer: one key per action (its first binding), in the bindings' order;
        # the bindings of one group next to each other are shown as one group with its label
        firsts: dict[str, tuple[str, str, str, bool, str, Binding.Group | None]] = {}
        for key, display, description, action, enabled, tooltip, group in shown[1]:
            firsts.setdefault(action, (key, display, description, enabled, tooltip, group))
        runs: list[list[tuple[str, str, str, bool, str, Binding.Group | None]]] = []
        for first in firsts.values():
            if runs and first[5] is not None and runs[-1][0][5] is first[5]:
                runs[-1].append(first)
            else:
                runs.append([first])
        for run in runs:
            group = run[0][5]
            if group is not None and len(run) > 1:
                put(" ", blank)
                for key, display, description, enabled, tooltip, _ in run:
                    add_key(key, display, description, enabled, tooltip or description, "")
                put(" ", blank)
                put(group.description, description_style)
                put(" ", blank)
            else:
                key, display, description, enabled, tooltip, _ = run[0]
                add_key(key, display, description, enabled, tooltip, description)
                put(" ", blank)
        palette = self._palette(shown)
        if palette is None:
            self.keys = [k for k in keys if k.end <= width]
            return line
        # the palette key sits at the right edge, over whatever the other keys leave
        key, display, description, enabled, tooltip = palette
        start = max(0, width - (1 + cell_len(display) + 1 + cell_len(description) + 1))
        line = list(Strip(line).crop_extend(0, start, blank))
        at = start
        self.keys = [k for k in keys if k.end <= start]
        put("▏", self.get_component_rich_style("footer--separator"))
        extra = (Style() if enabled else dim) + (
            hover_bg if self._hover == len(self.keys) else Style()
        )
        key_start = at
        put(display, key_style + extra)
        put(" " + description, description_style + extra)
        self.keys.append(FooterKey(key, display, description, enabled, tooltip, key_start, at))
        put(" ", blank)
        return line

    def _palette(self, shown: Shown) -> tuple[str, str, str, bool, str] | None:
        """The command palette's key, when it is shown."""
        app = self.app
        if not shown[0] or not app.ENABLE_COMMAND_PALETTE:
            return None
        found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if found is None:
            return None
        _node, binding, enabled, _tooltip = found
        return (
            binding.key,
            app.get_key_display(binding),
            binding.description,
            enabled,
            binding.tooltip or binding.description,
        )

    # the mouse -------------------------------------------------------------------------------

    def key_at(self, x: int) -> FooterKey | None:
        """The key drawn at column `x` of the line, if any."""
        for key in self.keys:
            if key.start <= x < key.end:
                return key
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        found = self.key_at(event.x)
        index = None if found is None else self.keys.index(found)
        if index != self._hover:
            self._hover = index
            self.tooltip = found.tooltip if found is not None and found.tooltip else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        found = self.key_at(event.x)
        if found is None:
            return
        if found.enabled:
            self.app.simulate_key(found.key)
        else:
            self.app.bell()
