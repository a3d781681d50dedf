"""The review session (its own issue builds it; until then it says so)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from bridge_tui.tui.screens.base import BridgeScreen


class ReviewScreen(BridgeScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "The review session is not built yet. Press escape to go back.", classes="placeholder"
        )
        yield Footer()
