"""Textual's containers, drawing their blank rows once.

A container's own rows are its background (`Blank`), and Textual draws every one of them,
line by line through its styles, even where its children cover them: on the board's first
frame 380 of the 639 lines drawn were containers' and the screen's blank rows. When nothing
makes one row differ from another (no border, outline, hatch or keyline, and Textual's own
`render`), every row is the same line: it is drawn once and repeated. A container with any of
those draws as Textual draws it.

The classes keep Textual's names (and are subclasses), so the stylesheets' type selectors and
`query(Horizontal)` still find them: import them from here instead of `textual.containers`.
Textual's container comes first among the bases: Textual reads a widget's default styles
(`layout: horizontal`...) along the first base only.
"""

from __future__ import annotations

from typing import Any

from textual import containers
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


def rows_alike(widget: Widget) -> bool:
    """True when every row `widget` draws of its own is the same line: a container drawing
    Textual's `Blank` background with nothing that varies by row."""
    styles = widget.styles
    return (
        not any(edge for edge, _ in styles.border)
        and not any(edge for edge, _ in styles.outline)
        and not (styles.has_rule("hatch") and styles.hatch != "none")
        and styles.keyline[0] == "none"
    )


class AlikeRows(Widget):
    """Draws its rows once when they are all alike (`rows_alike`)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        if crop.height > 1 and type(self).render is Widget.render and rows_alike(self):
            return super().render_lines(Region(crop.x, crop.y, crop.width, 1)) * crop.height
        return super().render_lines(crop)


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
    see-through one shows the screen beneath, row by row)."""
    return screen.styles.background.a == 1 and rows_alike(screen)
