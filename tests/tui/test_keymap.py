"""Users rebind keys in the settings file ("keymap": {binding id: keys}); a bad one is ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.binding import Binding

from bridge_tui import settings
from bridge_tui.tui.app import BridgeApp, build_app
from bridge_tui.tui.dialogs.initiative_form import InitiativeForm
from bridge_tui.tui.screens.base import key_text
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.history import HistoryScreen
from tests.conftest import FROZEN_TODAY


def _settings(folder: Path, content: object) -> None:
    (folder / "settings.json").write_text(json.dumps(content), encoding="utf-8")


async def test_a_rebound_key_works_and_the_old_one_no_longer_does(
    sample_db: Path, private_config_dir: Path
) -> None:
    _settings(private_config_dir, {"keymap": {"board.new": "a", "app.history": "ctrl+y"}})
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        await pilot.press("n", "H")
        await pilot.pause()
        assert app.screen is board  # neither old key does anything now
        # the footer and the palette show the new key
        shown = {b.action: app.get_key_display(b) for _, b, _, _ in board.active_bindings.values()}
        assert shown["new"] == "a"
        assert board.keys_for("new") == ["a"]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, InitiativeForm)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


@pytest.mark.parametrize(
    "content",
    [
        {"keymap": ["n"]},
        {"keymap": {"board.new": 5}},
        {"keymap": {"board.new": " "}},
        {"keymap": 1},
    ],
)
async def test_a_bad_keymap_is_ignored(
    sample_db: Path, private_config_dir: Path, content: object
) -> None:
    _settings(private_config_dir, content)
    assert settings.saved_keymap() == {}
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, InitiativeForm)


def test_every_binding_has_an_id_in_one_style() -> None:
    """<scope>.<action>: what a keymap names (the plan, checklist and review screens too)."""
    from bridge_tui.tui.dialogs import common, help, overwrite, task_form
    from bridge_tui.tui.screens import flow, history, overview

    owners = {
        "app": BridgeApp,
        "board": BoardScreen,
        "history": history.HistoryScreen,
        "overview": overview.OverviewScreen,
        "flow": flow.FlowScreen,
        "confirm": common.ConfirmDialog,
        "submit": common.SubmitDialog,
        "help": help.HelpScreen,
        "overwrite": overwrite.OverwriteDialog,
        "month": task_form.MonthDialog,
        "initiative_form": InitiativeForm,
    }
    for scope, owner in owners.items():
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.id and binding.id.startswith(f"{scope}."), (scope, binding)


def test_keys_read_as_typed() -> None:
    assert [key_text(k) for k in ("greater_than_sign", "slash", "left_curly_bracket")] == [
        ">",
        "/",
        "{",
    ]
    assert [key_text(k) for k in ("escape", "tab", "space", "enter", "shift+right", "K")] == [
        "escape",
        "tab",
        "space",
        "enter",
        "shift+right",
        "K",
    ]
