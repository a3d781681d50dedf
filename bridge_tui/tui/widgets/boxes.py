"""Textual's containers, drawing their blank rows once.

A container's own rows are its background (`Blank`), and Textual draws every one of them,
line by line through its styles, even where its children cover them: on the board's first
frame 380 of the 639 lines drawn were containers' and the screen's blank rows. With no
border, outline, hatch or keyline (and Textual's own `render`), every row is the same line: it
is drawn once and repeated. With a border or an outline, the frame's first and last rows are
drawn, and one of the rows between them, repeated. A container with a hatch or a keyline
draws as Textual draws it.

The classes keep Textual's names (and are subclasses), so the stylesheets' type selectors and
`query(Horizontal)` still find them: import them from here instead of `textual.containers`.
Textual's container comes first among the bases: Textual reads a widget's default styles
(`layout: horizontal`...) along the first base only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import containers
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


def plain(widget: Widget) -> bool:
    """True when nothing but a frame makes one row of `widget`'s own differ from another:
    Textual's `Blank` background, no hatch (a pattern that may shift by row), no keyline."""
    styles = widget.styles
    return not (styles.has_rule("hatch") and styles.hatch != "none") and (
        styles.keyline[0] == "none"
    )


def framed(widget: Widget) -> bool:
    """True when `widget` has a border or an outline on any edge: its first and last rows
    are the frame's own (with the border's title), the rows between them alike."""
    styles = widget.styles
    return any(edge for edge, _ in styles.border) or any(edge for edge, _ in styles.outline)


def rows_alike(widget: Widget) -> bool:
    """True when every row `widget` draws of its own is the same line."""
    return plain(widget) and not framed(widget)


def drawn_once(
    crop: Region, draw: Callable[[Region], list[Strip]], last: int | None
) -> list[Strip]:
    """The rows of `crop`, drawing alike rows once (`draw`: Textual's own `render_lines`).
    `last`: the last row of a frame (its first is row 0), drawn on their own with the first;
    None: no frame, every row alike."""
    if last is None:
        return draw(Region(crop.x, crop.y, crop.width, 1)) * crop.height
    lines: list[Strip] = []
    inner: Strip | None = None
    for y in crop.line_range:
        if y == 0 or y == last:
            lines.extend(draw(Region(crop.x, y, crop.width, 1)))
            continue
        if inner is None:
            inner = draw(Region(crop.x, y, crop.width, 1))[0]
        lines.append(inner)
    return lines


class AlikeRows(Widget):
    """Draws its alike rows once: all of them (`rows_alike`), or all but a frame's first and
    last row."""

    def render_lines(self, crop: Region) -> list[Strip]:
        if crop.height < 2 or type(self).render is not Widget.render or not plain(self):
            return super().render_lines(crop)
        last = self.region.height - 1 if framed(self) else None
        return drawn_once(crop, super().render_lines, last)


class Container(containers.Container, AlikeRows):
    pass


class Horizontal(containers.Horizontal, AlikeRows):
    pass


class Vertical(containers.Vertical, AlikeRows):
    pass


class VerticalScroll(containers.VerticalScroll, AlikeRows):
    pass


def screen_rows_alike(screen: Screen[Any]) -> bool:
    """A screen draws its background as a container does when that background is opaque (a
    see-through one shows the screen beneath, row by row) and it draws Textual's own."""
    return (
        type(screen).render is Screen.render
        and screen.styles.background.a == 1
        and rows_alike(screen)
    )
