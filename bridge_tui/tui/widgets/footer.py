"""The footer every screen shows: the few keys that matter most, readable at 80 columns, and
rebuilt only when they change.

Each screen marks the bindings the footer shows (`show=True`, short descriptions); the rest
stay in help (`?`) and the command palette. On a narrow terminal the `^p palette` key makes
way for them (help names it, and ctrl+p still works).

Textual's `Footer` rebuilds all its keys whenever a screen says its bindings may have changed:
on every focus change, every mount, every screen switch; opening a screen does that four or
five times, and each rebuild restyles every key twice. What a footer shows rarely changes
then, so this one compares what it would show with what it shows, once per refresh, and
rebuilds only when they differ (and not at all while its screen is being left).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

#: below this width the footer leaves out the command palette's key
PALETTE_KEY_MIN_WIDTH = 100

#: what the footer shows: whether the palette key is there, then each key as (key, key
#: display, description, action, enabled, tooltip)
Shown = tuple[bool, tuple[tuple[str, str, str, str, bool, str], ...]]


class BridgeFooter(Footer):
    def __init__(self, *, compact: bool = True, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        #: the keys of the last rebuild (None: not built yet)
        self.shown: Shown | None = None
        self._check_pending = False
        #: how many times the keys were rebuilt (the tests read it)
        self.rebuilds = 0

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= PALETTE_KEY_MIN_WIDTH
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.shown = None
            self._schedule_check()

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
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (self.show_command_palette, keys)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._schedule_check()

    def _schedule_check(self) -> None:
        if not self._check_pending:
            self._check_pending = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._check_pending = False
        if not self.is_attached or self.screen is not self.app.screen:
            return  # a screen being left: it looks again when it is shown (bindings change)
        keys = self.keys_to_show()
        if keys == self.shown:
            return
        self.shown = keys
        self.rebuilds += 1
        await self.recompose()
