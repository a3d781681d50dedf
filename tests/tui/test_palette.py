"""Every screen's palette entries name the keys its BINDINGS really have and run real actions."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from bridge_tui.tui.screens.base import BridgeScreen
from bridge_tui.tui.screens.board import BoardScreen
from bridge_tui.tui.screens.checklist import ChecklistScreen
from bridge_tui.tui.screens.plan import PlanScreen
from bridge_tui.tui.screens.review import ReviewScreen


@pytest.mark.parametrize("screen_class", [BoardScreen, ChecklistScreen, PlanScreen, ReviewScreen])
def test_palette_help_names_bound_keys(screen_class: type[BridgeScreen]) -> None:
    screen = screen_class()
    entries = screen.palette_commands()  # type: ignore[attr-defined]
    assert entries
    bound = {
        key.strip() for b in screen.BINDINGS if isinstance(b, Binding) for key in b.key.split(",")
    }
    for title, help_text, callback in entries:
        assert callable(callback), title
        assert help_text.endswith(")"), title
        keys = help_text.rsplit("(", 1)[1].rstrip(")")
        for key in keys.replace(" or ", ", ").split(", "):
            assert key in bound or key in {"[", "]", ">", "<", "/", "{", "}", "1"}, (title, key)


def test_keys_for_reads_bindings_in_order() -> None:
    screen = BoardScreen()
    assert screen.keys_for("forward") == ["shift+right", ">"]
    assert screen.keys_for("no_such_action") == []
