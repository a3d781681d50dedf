"""Users rebind keys in the settings file ("keymap": {binding id: keys}); a bad one is ignored."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from textual.binding import Binding

from bridge_tui import settings
from bridge_tui.tui.dialogs.initiative_form import InitiativeForm
from bridge_tui.tui.screens.base import key_text
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.history import HistoryScreen
from bridge_tui.tui.widgets.footer import BridgeFooter
from tests.tui.helpers import pressed, sample_app, step


def _settings(folder: Path, content: object) -> None:
    (folder / "settings.json").write_text(json.dumps(content), encoding="utf-8")


async def test_a_rebound_key_works_and_the_old_one_no_longer_does(
    sample_db: Path, private_config_dir: Path
) -> None:
    _settings(private_config_dir, {"keymap": {"board.new": "a", "app.history": "ctrl+y"}})
    app = sample_app(sample_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        await step(pilot, "n", "H")
        assert app.screen is board  # neither old key does anything now
        # the footer (as drawn) and the palette show the new key
        shown = {b.action: app.get_key_display(b) for _, b, _, _ in board.active_bindings.values()}
        assert shown["new"] == "a"
        footer = board.query_one(BridgeFooter)
        assert footer.shown is not None
        drawn = {(key_display, description) for _, key_display, description, *_ in footer.shown[1]}
        assert ("a", "New") in drawn and ("n", "New") not in drawn
        assert board.keys_for("new") == ["a"]
        await pressed(pilot, "a", InitiativeForm)
        await step(pilot, "escape")
        await pressed(pilot, "ctrl+y", HistoryScreen)


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
    app = sample_app(sample_db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pressed(pilot, "n", InitiativeForm)


def _classes_with_bindings() -> list[type]:
    """Every class of the app's package that declares BINDINGS (screens, dialogs, widgets)."""
    import importlib
    import inspect
    import pkgutil

    import bridge_tui.tui as tui

    found: list[type] = []
    for info in pkgutil.walk_packages(tui.__path__, "bridge_tui.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name and "BINDINGS" in cls.__dict__:
                found.append(cls)
    return found


def test_every_binding_has_an_id_in_one_style() -> None:
    """<scope>.<action>, one scope per class, the same id only for the same action: what a
    keymap names. Every screen, dialog and widget of the app."""
    classes = _classes_with_bindings()
    names = {cls.__name__ for cls in classes}
    assert {"BridgeApp", "BoardView", "PlanScreen", "ChecklistScreen", "ReviewScreen"} <= names
    for cls in classes:
        bindings = cls.__dict__["BINDINGS"]
        scopes = set()
        actions: dict[str, str] = {}
        for binding in bindings:
            assert isinstance(binding, Binding), (cls, binding)
            assert binding.id and re.fullmatch(r"[a-z_]+\.[a-z_0-9]+", binding.id), (cls, binding)
            scopes.add(binding.id.split(".")[0])
            assert actions.setdefault(binding.id, binding.action) == binding.action, (cls, binding)
        assert len(scopes) == 1, (cls, scopes)


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
