"""Focus is visible in every dialog and every theme (light ones, and on a projector): the
focused button is drawn far from how it looks unfocused, and text fields have a visible edge
that changes when focused."""

from __future__ import annotations

from math import dist
from pathlib import Path

from rich.style import Style
from textual.app import App
from textual.widget import Widget
from textual.widgets import Button, Input

from bridge_tui.tui.app import build_app
from bridge_tui.tui.dialogs.common import ConfirmDialog, ReasonDialog
from tests.conftest import FROZEN_TODAY

#: beyond one shade: a distance in RGB space (0..441) a person sees across a room
FAR = 120


def _cell_style(app: App[None], widget: Widget) -> Style:
    """The style actually drawn in the middle of `widget` (its label's row)."""
    region = widget.region
    strip = app.screen._compositor.render_strips()[region.y + region.height // 2]
    x = region.x + region.width // 2
    segment = strip.crop(x, x + 1)._segments[0]
    assert segment.style is not None
    return segment.style


def _rgb(style: Style, part: str) -> tuple[int, int, int]:
    colour = getattr(style, part)
    assert colour is not None
    return colour.get_truecolor()


async def test_the_focused_button_stands_out_in_every_theme(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        themes = sorted(app.available_themes)
        assert "textual-light" in themes and "bridge-projector" in themes
        for theme in themes:
            app.theme = theme
            app.push_screen(ConfirmDialog("Merge their copy?", confirm_label="Merge"))
            await pilot.pause()
            merge = app.screen.query_one("#confirm", Button)
            assert merge.has_focus
            focused = _cell_style(app, merge)
            app.screen.query_one("#cancel", Button).focus()
            await pilot.pause()
            unfocused = _cell_style(app, merge)
            if theme.startswith("ansi"):
                # the terminal's own colours: the focused button is in reverse video
                assert focused.reverse and not unfocused.reverse, theme
            else:
                gap = dist(_rgb(focused, "bgcolor"), _rgb(unfocused, "bgcolor"))
                assert gap >= FAR, f"{theme}: focused Merge is {gap:.0f} from unfocused"
                # and its label stays readable on its focused background
                assert dist(_rgb(focused, "bgcolor"), _rgb(focused, "color")) >= FAR, theme
            await pilot.press("escape")
            await pilot.pause()


async def test_text_fields_in_dialogs_have_an_edge_that_changes_with_focus(
    sample_db: Path,
) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for theme in ("textual-dark", "textual-light", "bridge-projector"):
            app.theme = theme
            app.push_screen(ReasonDialog("Kill it?"))
            await pilot.pause()
            field = app.screen.query_one("#reason", Input)
            assert field.has_focus
            edge, colour = field.styles.border_top
            assert edge and field.region.height == 3
            app.screen.query_one("#cancel", Button).focus()
            await pilot.pause()
            blurred_edge, blurred = field.styles.border_top
            assert blurred_edge
            assert (edge, colour) != (blurred_edge, blurred)
            assert dist(colour.rgb, blurred.rgb) >= 60, theme
            await pilot.press("escape")
            await pilot.pause()


async def test_the_force_reason_box_has_a_border(sample_db: Path) -> None:
    app = build_app(sample_db, author="tester", today=FROZEN_TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("l", "l", "shift+right"):  # Fleet maintenance into Productionize: refused
            await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == "GateDialog"
        reason = app.screen.query_one("#reason", Input)
        assert reason.has_focus and reason.styles.border_top[0] == "thick"
        assert reason.region.height == 3
        for button in app.screen.query(Button):
            assert button.region.bottom <= 24
