"""What every bridge screen shares: the service, the selected initiative, error reporting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from bridge_tui.errors import BridgeError

if TYPE_CHECKING:
    from bridge_tui.service import Service
    from bridge_tui.tui.app import BridgeApp


class BridgeScreen(Screen[None]):
    """Base for the top-level screens. Screens orchestrate: they call the service and push
    fresh models down into dumb widgets."""

    @property
    def bridge(self) -> BridgeApp:
        from bridge_tui.tui.app import BridgeApp

        assert isinstance(self.app, BridgeApp)
        return self.app

    @property
    def service(self) -> Service:
        return self.bridge.service

    def report(self, exc: BridgeError) -> None:
        """One sentence, shown where the room can see it; never a traceback."""
        self.notify(
            exc.message, title="Not saved" if exc.exit_code else "", severity="error", timeout=8
        )

    def refuse_if_read_only(self) -> bool:
        if self.service.read_only:
            self.notify(
                f"{self.service.file_name} is read-only: changes cannot be saved.",
                severity="warning",
            )
            return True
        return False

    def refresh_data(self) -> None:
        """Reload from the service (after our own change or another process's). Override."""
