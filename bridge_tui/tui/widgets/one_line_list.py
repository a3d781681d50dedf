"""An OptionList whose options are one line each, for lists of thousands (the review's agenda,
the initiatives behind a point of the flow charts).

Textual's OptionList measures every option's wrapped height when options are added or the
width changes: seconds for 9,000 names. Here nothing wraps (a long line ends in an ellipsis),
so every height is one and the line map is built without measuring.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import OptionList


class OneLineOptionList(OptionList):
    DEFAULT_CSS = """
    OneLineOptionList {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def _update_lines(self) -> None:
        """Every option is one line (no wrapping, no dividers). Textual is pinned exactly; the
        tests check such a list still scrolls to and shows its last option."""
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        start = cache.lines[-1][0] + 1 if cache.lines else 0
        for index in range(start, len(self.options)):
            cache.index_to_line[index] = len(cache.lines)
            cache.heights[index] = 1
            cache.lines.append((index, 0))
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(cache.lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)
