"""The shared dialogs: user-typed names are shown as typed, and the reason rules hold."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input, Static

from bridge_tui.tui.dialogs.common import ConfirmDialog, ReasonDialog
from bridge_tui.tui.dialogs.gate import GateDialog

NAME = "Data [v2] [/] pipeline"


async def test_names_with_brackets_are_shown_as_typed() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        for dialog in (ConfirmDialog(f"Delete {NAME}?"), ReasonDialog(f"Kill {NAME}?")):
            app.push_screen(dialog)
            await pilot.pause()
            text = str(app.screen.query_one(".dialog-question", Static).render())
            assert NAME in text
            await pilot.press("escape")
            await pilot.pause()


async def test_reason_required_or_optional() -> None:
    app: App[None] = App()
    results: list[str | None] = []
    async with app.run_test() as pilot:
        app.push_screen(ReasonDialog("Why?"), results.append)
        await pilot.pause()
        await pilot.press("enter")  # empty: refused, still open
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("escape")
        app.push_screen(ReasonDialog("Note?", required=False), results.append)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert results == [None, ""]


async def test_gate_dialog_force_button_submits_the_reason() -> None:
    app: App[None] = App()
    results: list[str | None] = []
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(GateDialog(NAME, "pilot", ("D1",)), results.append)
        await pilot.pause()
        app.screen.query_one("#reason", Input).value = "the room agreed"
        await pilot.click("#force")
        await pilot.pause()
    assert results == ["the room agreed"]
