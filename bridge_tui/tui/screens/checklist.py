"""The checklist scoring screen (its own issue builds it; until then it says so)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from bridge_tui.tui.screens.base import BridgeScreen


class ChecklistScreen(BridgeScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "The checklist scoring screen is not built yet. Press 1 for the board.",
            classes="placeholder",
        )
        yield Footer()
