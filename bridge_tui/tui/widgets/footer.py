"""Textual's footer, rebuilt only when the keys it shows change.

Textual's `Footer` rebuilds all its keys whenever a screen says its bindings may have changed:
on every focus change, every mount, every screen switch; opening a screen does that four or
five times, and each rebuild restyles every key twice. What a footer shows rarely changes
then, so this one compares what it would show with what it shows, once per refresh, and
rebuilds only when they differ. It looks and behaves exactly like Textual's (it is one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

#: what one shown key looks like: (key, key display, description, action, enabled, tooltip)
Shown = tuple[tuple[str, str, str, str, bool, str], ...]


class BridgeFooter(Footer):
    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(compact=compact, id=id)
        #: the keys of the last rebuild (None: not built yet)
        self.shown: Shown | None = None
        self._check_pending = False
        #: how many times the keys were rebuilt (the tests read it)
        self.rebuilds = 0

    def keys_to_show(self) -> Shown:
        app = self.app
        return tuple(
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

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
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
