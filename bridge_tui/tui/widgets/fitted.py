"""A `Static` of `height: auto` that lays the screen out only when its text's height changes.

`Static.update` lays the whole screen out after every new text, and Textual lays it out once
more after any box changed size: a full repaint, twice, for each panel a key press redraws
(the checklist's five panels on every answer toggled). A panel whose new text wraps to as many
lines as the old, at the same width, keeps its box: it is repainted in place.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class FittedStatic(Static):
    #: the lines and the width of the text last shown (-1: none yet)
    _lines = -1
    _width = -1

    def fit(self, content: Content) -> None:
        """Show `content`, with a layout only when its box must change height."""
        width = self.content_region.width
        styles = self.styles
        if width <= 0:
            lines = -1  # not laid out yet
        elif styles.text_wrap == "wrap":
            lines = len(content.wrap(width))
        elif styles.text_overflow != "fold":  # one line per line of text, cut to fit
            lines = content.plain.count("\n") + 1
        else:  # unwrapped, but folded at the edge: not worked out here
            lines = -1
        same = lines >= 0 and (lines, width) == (self._lines, self._width)
        self.update(content, layout=not same)
        self._lines, self._width = lines, width
