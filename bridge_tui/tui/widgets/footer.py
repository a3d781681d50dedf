"""The footer every screen shows: the few keys that matter most, readable at 80 columns.

Each screen marks the bindings the footer shows (`show=True`, short descriptions); the rest
stay in help (`?`) and the command palette. On a narrow terminal the `^p palette` key makes
way for them (help names it, and ctrl+p still works).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

#: below this width the footer leaves out the command palette's key
PALETTE_KEY_MIN_WIDTH = 100


class BridgeFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= PALETTE_KEY_MIN_WIDTH
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.refresh(recompose=True)
