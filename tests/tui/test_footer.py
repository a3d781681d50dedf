"""The footer is one widget drawing one line (issue 13: Textual's footer mounted a widget per
key after the first frame, and again at every focus change). It draws what Textual's compact
footer drew (the snapshots of every screen are unchanged), and works as it did: a click on a
key presses it, a disabled key is dim and rings the bell, the mouse over a key lights it and
shows its tooltip, the palette key sits at the right edge on a wide terminal only."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.strip import Strip

from bridge_tui.tui.screens.history import HistoryScreen
from bridge_tui.tui.widgets.footer import BridgeFooter
from tests.tui.helpers import sample_app

PAIR = Binding.Group("Pair", compact=True)


class Keys(App[None]):
    BINDINGS = [
        Binding("a", "press('a')", "Alpha", tooltip="The first"),
        Binding("b", "press('b')", "Bravo"),
        Binding("left", "press('left')", "Left", key_display="<", group=PAIR),
        Binding("right", "press('right')", "Right", key_display=">", group=PAIR),
        Binding("z", "press('z')", "Hidden", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pressed: list[str] = []
        self.rang = 0

    def compose(self) -> ComposeResult:
        yield BridgeFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if parameters == ("b",):
            return None  # shown, disabled
        return True

    def action_press(self, key: str) -> None:
        self.pressed.append(key)

    def bell(self) -> None:
        self.rang += 1


def line_of(footer: BridgeFooter) -> str:
    return "".join(s.text for s in footer.render_line(0))


async def test_the_line_groups_keys_and_puts_the_palette_at_the_right() -> None:
    app = Keys()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(BridgeFooter)
        line = line_of(footer)
        assert line.startswith("a Alpha b Bravo  <> Pair ")
        assert line.endswith("▏^p palette ") and len(line) == 120
        assert [k.key for k in footer.keys] == ["a", "b", "left", "right", "ctrl+p"]
        bravo = next(s for s in footer.render_line(0) if s.text == "b")
        assert bravo.style is not None and bravo.style.dim and bravo.style.bold
        alpha = next(s for s in footer.render_line(0) if s.text == "a")
        assert alpha.style is not None and not alpha.style.dim
        await pilot.resize_terminal(90, 5)
        await pilot.pause()
        assert "palette" not in line_of(footer)  # narrow: the palette key makes way


async def test_a_click_presses_the_key_and_a_disabled_one_rings() -> None:
    app = Keys()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(BridgeFooter)
        at = {k.key: k.start for k in footer.keys}
        gap = footer.keys[0].end  # the space between Alpha and Bravo
        await pilot.click(BridgeFooter, offset=(at["a"] + 2, 0))  # on its description
        await pilot.click(BridgeFooter, offset=(at["right"], 0))
        await pilot.click(BridgeFooter, offset=(at["b"], 0))
        await pilot.pause()
        assert app.pressed == ["a", "right"]
        assert app.rang == 1
        await pilot.click(BridgeFooter, offset=(gap, 0))  # between two keys: nothing
        await pilot.pause()
        assert app.pressed == ["a", "right"]


async def test_the_mouse_over_a_key_lights_it_and_shows_its_tooltip() -> None:
    app = Keys()
    async with app.run_test(size=(120, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(BridgeFooter)
        plain = next(s for s in footer.render_line(0) if s.text == "a").style
        await pilot.hover(BridgeFooter, offset=(footer.keys[0].start, 0))
        await pilot.pause()
        assert footer.tooltip == "The first"
        lit = next(s for s in footer.render_line(0) if s.text == "a").style
        assert plain is not None and lit is not None and lit.bgcolor != plain.bgcolor
        await pilot.hover(BridgeFooter, offset=(footer.keys[2].start, 0))
        await pilot.pause()
        assert footer.tooltip == "Left"  # a grouped key: its description
        back = next(s for s in footer.render_line(0) if s.text == "a").style
        assert back == plain


async def test_the_keys_are_in_a_screens_first_frame(sample_db: Path) -> None:
    """Drawn with the screen, not mounted after it: the first frame has them."""
    app = sample_app(sample_db)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(BridgeFooter)
        assert "History" in line_of(footer)
        await pilot.click(
            BridgeFooter, offset=(next(k for k in footer.keys if k.key == "H").start, 0)
        )
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_a_narrow_terminals_first_frame_has_no_palette_key() -> None:
    """The first frame is drawn before the first Resize: at 80 columns it already leaves the
    palette key out (it showed it cut short for one frame, then dropped it)."""
    frames: list[str] = []

    class Recorded(BridgeFooter):
        def render_line(self, y: int) -> Strip:
            line = super().render_line(y)
            if y == 0:
                frames.append(line.text)
            return line

    class Narrow(Keys):
        def compose(self) -> ComposeResult:
            yield Recorded()

    app = Narrow()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
    assert frames
    assert all("palette" not in frame and "^" not in frame for frame in frames)
