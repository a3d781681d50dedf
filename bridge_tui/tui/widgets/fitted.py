"""A `Static` that lays the screen out only when its box must change.

`Static.update` lays the whole screen out after every new text, and Textual lays it out once
more after any box changed size: a full repaint, twice, for each line of text a key press
redraws (the checklist's five panels on every answer toggled, the plan's title, verdict and
month headings on every task ticked). A box whose size the text decides only by its height
(`height: auto` in a width the layout gives it) keeps its box when the new text wraps to as
many lines as the old, at the same width; a box of fixed height keeps it whatever the text. A
box as wide as its text (`width: auto`) is always laid out again.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class FittedStatic(Static):
    #: the lines and the width of the text last shown (-1: none yet)
    _lines = -1
    _width = -1

    def fit(self, content: Content) -> None:
        """Show `content`, with a layout only when its box must change."""
        styles = self.styles
        if styles.width is not None and styles.width.is_auto:
            self.update(content)  # the text's width decides the box's
            return
        if styles.height is not None and not styles.height.is_auto:
            self.update(content, layout=False)  # a fixed height in a width given to it
            return
        width = self.content_region.width
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
