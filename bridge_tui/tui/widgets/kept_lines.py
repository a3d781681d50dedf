"""An OptionList that keeps the lines it worked out while its width stays the same.

Textual's OptionList throws away every option's height and drawing on each Resize
(`OptionList._on_resize`): they have no width in their key. A list's first Resize comes just
after its first frame, at the width that frame was drawn at, so every list was drawn twice as
its screen opened (the checklist's rows, the plan's three months, the overview's four
questions). Here the list notes the width each height and drawing was worked out at; a Resize
is stopped before OptionList's handler (the only one below this class) when all of them were
worked out at the width the list has now. Any other Resize throws them away as before: the
terminal was resized, a scrollbar appeared as the lines were first counted (a list whose
scrollbar's column is kept, `scrollbar-gutter: stable`, never narrows so), or the heights
were counted at a width the layout has changed since.
"""

from __future__ import annotations

from textual import events
from textual.strip import Strip
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class KeptLinesOptionList(OptionList):
    #: the width of the content area every kept height and drawing was worked out at: None,
    #: none kept; -1, some at another width (the next Resize must throw them away)
    _kept_width: int | None = None

    def _kept_at(self, width: int) -> None:
        if self._kept_width is None:
            self._kept_width = width
        elif self._kept_width != width:
            self._kept_width = -1

    def _update_lines(self) -> None:
        lines = self._line_cache.lines
        if not lines and not len(self._option_render_cache):
            self._kept_width = None  # thrown away (new options, a Resize): none kept
        counted = len(lines)
        super()._update_lines()
        if len(lines) != counted:
            self._kept_at(self.scrollable_content_region.width)

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        self._kept_at(self.scrollable_content_region.width)
        return super()._get_option_render(option, style)

    def _on_resize(self, event: events.Resize | None = None) -> None:
        if event is not None and self._kept_width == self.scrollable_content_region.width:
            event.prevent_default()  # OptionList's handler, next, would throw them away
