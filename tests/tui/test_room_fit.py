"""Issue 12: at 80x24 every focusable widget of every screen and dialog is on screen when it
has the focus, and every dialog's buttons are on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.screen import ModalScreen

from bridge_tui.tui.styles import stylesheets
from tests.tui.helpers import (
    DIALOGS,
    SCREENS,
    assert_buttons_on_screen,
    sample_app,
    tab_through,
)

SIZE = (80, 24)


@pytest.mark.parametrize("name", list(SCREENS))
async def test_screen_focus_stays_on_screen(sample_db: Path, name: str) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await SCREENS[name](pilot)
        assert not isinstance(app.screen, ModalScreen)
        visited = await tab_through(pilot)
        if name not in ("board", "review"):  # these own their keys: nothing takes focus
            assert visited, f"nothing on the {name} screen takes the focus"


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_dialog_fits_80x24(sample_db: Path, name: str) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        await DIALOGS[name](pilot)
        dialog = app.screen
        assert isinstance(dialog, ModalScreen), f"{name}: no dialog opened ({dialog!r})"
        assert_buttons_on_screen(dialog)
        visited = await tab_through(pilot)
        assert visited
        assert_buttons_on_screen(dialog)


LONG = " ".join(f"word{n}" for n in range(400))


@pytest.mark.parametrize("kind", ["confirm", "reason", "gate"])
async def test_a_long_dialog_scrolls_and_keeps_its_buttons(kind: str) -> None:
    """However long the text (a name, a message, every unmet item of a gate), the buttons
    stay on screen at 80x24 and the text scrolls."""
    from textual.app import App

    from bridge_tui import method
    from bridge_tui.tui.dialogs.common import ConfirmDialog, ReasonDialog
    from bridge_tui.tui.dialogs.gate import GateDialog

    dialogs = {
        "confirm": lambda: ConfirmDialog(LONG),
        "reason": lambda: ReasonDialog(LONG, details=LONG),
        "gate": lambda: GateDialog(LONG, "infrastructure", tuple(i.id for i in method.ITEMS)),
    }
    app: App[None] = App(css_path=list(stylesheets()))
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(dialogs[kind]())
        await pilot.pause()
        assert_buttons_on_screen(app.screen)
        await tab_through(pilot)
        assert_buttons_on_screen(app.screen)
