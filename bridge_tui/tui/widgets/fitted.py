"""A `Static` that lays the screen out only when its box must change.

`Static.update` lays the whole screen out after every new text, and Textual lays it out once
more after any box changed size: a full repaint, twice, for each line of text a key press
redraws (the checklist's five panels on every answer toggled, the plan's title, verdict and
month headings on every task ticked, the review's card on every step). A box whose size the
text decides only by its height (`height: auto` in a width the layout gives it) keeps its box
when the new text is as many lines high as the old at the same width, as Textual itself
measures it (`get_content_height`, what its layout asks); a box of fixed height keeps it
whatever the text. A box as wide as its text (`width: auto`) is always laid out again.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.visual import VisualType
from textual.widgets import Static


class FittedStatic(Static):
    #: the height and the width of the box the text has (-1: none yet): what the layout last
    #: measured (`get_content_height`) or what `fit` last asked it for
    _lines = -1
    _width = -1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """What the layout asks: noted as the box the text has. A text filled in before the
        box had a width (a screen filling its panels as it opens) and drawn again, as it was,
        once it has one (its Resize) then keeps that box, with no second layout."""
        lines = super().get_content_height(container, viewport, width)
        self._lines, self._width = lines, width
        return lines

    def fit(self, content: VisualType, *, at_least: int = 0) -> None:
        """Show `content` (text, or a Rich renderable such as a grid), with a layout only
        when its box must change. `at_least`: the box's least height (its `min-height`, in
        lines), so a text shorter than that leaves the box as it was."""
        styles = self.styles
        if styles.width is not None and styles.width.is_auto:
            self.update(content)  # the text's width decides the box's
            return
        if styles.height is not None and not styles.height.is_auto:
            self.update(content, layout=False)  # a fixed height in a width given to it
            return
        self.update(content, layout=False)
        width = self.content_region.width
        # what the layout would ask (Textual measures the visual at this width)
        lines = Static.get_content_height(self, self.container_size, self.app.size, width)
        lines = max(lines, at_least) if width > 0 else -1
        if lines < 0 or (lines, width) != (max(self._lines, at_least), self._width):
            self.refresh(layout=True)
        self._lines, self._width = lines, width
