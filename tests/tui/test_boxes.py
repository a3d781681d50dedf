"""The containers of `widgets.boxes` (and every bridge screen) draw their blank rows once and
repeat them: each must draw exactly what Textual's own container (or screen) draws, with a
background, padding, a tint, half-transparent colours; and a container whose rows differ (a
border, an outline, a hatch, a keyline) is drawn by Textual row by row."""

from __future__ import annotations

import pytest
from textual import containers
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Label

from bridge_tui.tui.screens.base import BridgeScreen
from bridge_tui.tui.widgets import boxes

#: a style given to both containers; each is drawn with it and compared
STYLES = [
    "background: $surface;",
    "background: $primary 40%; padding: 1 2;",
    "background: red; tint: blue 30%;",
    "background: $panel; border: round $accent;",
    "background: $panel; outline: heavy yellow;",
    "background: $panel; border-top: panel $primary; border-title-align: center;",
    "background: $panel; hatch: right $primary 50%;",
    "background: $panel; layout: grid; grid-size: 2; keyline: thin $primary;",
]

PAIRS = [
    (containers.Vertical, boxes.Vertical),
    (containers.Horizontal, boxes.Horizontal),
    (containers.VerticalScroll, boxes.VerticalScroll),
    (containers.Container, boxes.Container),
]


def drawn(widget: Widget, crop: Region | None = None) -> list[Strip]:
    """What `widget` draws of `crop` (all of it), each line's same-styled runs joined: what
    shows on the terminal (padding rows and content rows are cut into runs differently)."""
    region = crop or Region(0, 0, widget.region.width, widget.region.height)
    return [line.simplify() for line in widget.render_lines(region)]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p[0].__name__)
async def test_a_box_draws_what_textuals_container_draws(
    style: str, pair: tuple[type[Widget], type[Widget]]
) -> None:
    """Each in an app of its own, so the box gets only its own default styles (one app with
    both would give it Textual's container's, which match its name)."""
    textuals, ours = pair
    theirs = await _seen(textuals, style)
    mine = await _seen(ours, style)
    assert mine.pop("is Textual's") is True  # the same type for the stylesheets and queries
    theirs.pop("is Textual's")
    assert mine == theirs


async def _seen(box: type[Widget], style: str) -> dict[str, object]:
    """How `box` with `style`, holding two labels, is laid out and drawn (all of it, and a
    part of it as the compositor asks after a partial refresh)."""

    class One(App[None]):
        CSS = f"#box {{ width: 1fr; height: 1fr; {style} }}"

        def compose(self) -> ComposeResult:
            with box(id="box"):
                yield Label("a")
                yield Label("b")

    app = One()
    async with app.run_test(size=(30, 14)) as pilot:
        await pilot.pause()
        widget = app.query_one("#box")
        widget.border_title = "Title"
        await pilot.pause()
        return {
            "is Textual's": isinstance(widget, box.__mro__[1]),
            "layout": widget.styles.layout.name if widget.styles.layout else None,
            "size": widget.region.size,
            "children": [c.region.offset - widget.region.offset for c in widget.children],
            "drawn": drawn(widget),
            "part": drawn(widget, Region(3, 2, 10, 5)),
        }


@pytest.mark.parametrize(
    ("style", "most"), [("padding: 1;", 1), ("border: round red; padding: 1;", 3)]
)
async def test_alike_rows_are_drawn_once(style: str, most: int) -> None:
    """What the boxes are for: a plain one draws a single row and repeats it; a framed one
    its frame's first and last rows and one row between."""
    asked: list[int] = []

    class Counted(boxes.Vertical):
        def render_line(self, y: int) -> Strip:
            asked.append(y)
            return super().render_line(y)

    class One(App[None]):
        CSS = f"Counted {{ background: $surface; {style} }}"

        def compose(self) -> ComposeResult:
            yield Counted()

    app = One()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        asked.clear()
        box = app.query_one(Counted)
        box.refresh()
        lines = drawn(box)
    assert len(lines) == 12
    assert len(set(asked)) <= most


class Plain(BridgeScreen):
    def compose(self) -> ComposeResult:
        yield Label("on a screen")


class TextualScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("beneath")


async def test_an_opaque_bridge_screen_draws_its_background_as_textual_does() -> None:
    app = App[None]()
    async with app.run_test(size=(50, 10)) as pilot:
        await app.push_screen(Plain())
        await pilot.pause()
        screen = app.screen
        assert boxes.screen_rows_alike(screen)
        ours = drawn(screen)
        screen.refresh()  # drawn afresh by Textual's own method
        whole = Region(0, 0, screen.region.width, screen.region.height)
        assert ours == [line.simplify() for line in Screen.render_lines(screen, whole)]


@pytest.mark.parametrize("background", ["$surface 50%", "transparent"], ids=["half", "none"])
async def test_a_see_through_bridge_screen_is_drawn_by_textual(background: str) -> None:
    """It shows the screen beneath, row by row."""

    class Screens(App[None]):
        CSS = f"Screen {{ background: {background}; }}"

    app = Screens()
    async with app.run_test(size=(50, 10)) as pilot:
        await app.push_screen(TextualScreen())
        await app.push_screen(Plain())
        await pilot.pause()
        assert not boxes.screen_rows_alike(app.screen)
        rows = drawn(app.screen)
        assert "beneath" in rows[0].text
        assert "beneath" not in rows[1].text  # each row its own, not the first repeated


async def test_a_screen_drawing_its_own_background_is_drawn_by_textual() -> None:
    """A screen with a `render` of its own (rows that may differ) is not repeated."""

    class Striped(Plain):
        def render(self) -> str:
            return "\n".join(f"row {n}" for n in range(10))

    app = App[None]()
    async with app.run_test(size=(50, 10)) as pilot:
        await app.push_screen(Striped())
        await pilot.pause()
        assert not boxes.screen_rows_alike(app.screen)
        rows = drawn(app.screen)
        assert "row 0" in rows[0].text and "row 1" in rows[1].text
