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

from collections.abc import Iterable
from typing import cast

from textual import events
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual
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
        self._count_lines()
        if len(lines) != counted:
            self._kept_at(self.scrollable_content_region.width)

    def _count_lines(self) -> None:
        """OptionList's `_update_lines` (Textual is pinned exactly), with each option's height
        from `_height`: Textual wraps every option's text to count its lines, and wraps the
        ones it draws again as it draws them. Most options are one line that fits; their
        wrapping was a tenth of a checklist's opening, and of each answer toggled (which
        counts every row again)."""
        if not self.scrollable_content_region:
            return
        line_cache = self._line_cache
        lines = line_cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        options = self.options
        if next_index < len(options):
            padding = self.get_component_styles("option-list--option").padding
            styles = cast(RulesMap, self.styles)
            text_width = width - padding.width
            for index, option in enumerate(options[next_index:], next_index):
                line_cache.index_to_line[index] = len(lines)
                line_count = _height(self._get_visual(option), styles, text_width) + option._divider
                line_cache.heights[index] = line_count
                lines.extend([(index, line_no) for line_no in range(line_count)])
        last_divider = options and options[-1]._divider
        virtual_size = Size(width, len(lines) - (1 if last_divider else 0))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        # the options drawn in this frame were drawn at the width the list has now
        self._kept_at(self.scrollable_content_region.width)
        return lines

    def update_prompts(self, prompts: Iterable[tuple[str, Content]]) -> int:
        """New prompts for the options with these ids; only those that differ are replaced,
        and only their lines are drawn again (all of them when a height changed). Textual's
        `replace_option_prompt` throws away every option's drawing for each one replaced: a
        checklist answer toggled drew the whole list again. Returns how many were replaced."""
        changed: list[int] = []
        for option_id, prompt in prompts:
            old = self.get_option(option_id)
            if isinstance(old.prompt, Content) and old.prompt.is_same(prompt):
                continue
            # a new option, so the drawings kept for the old one (keyed by it) are not used
            new = Option(prompt, id=option_id, disabled=old.disabled)
            new._divider = old._divider
            index = self._option_to_index.pop(old)
            self._options[index] = new
            self._option_to_index[new] = index
            self._id_to_option[option_id] = new
            changed.append(index)
        if not changed:
            return 0
        cache = self._line_cache
        before = dict(cache.heights) if cache.lines else None
        cache.clear()  # a height may have changed: counted again
        self._update_lines()
        if before is None or before != cache.heights:
            self.refresh()
            return len(changed)
        for index in changed:
            self.refresh_lines(cache.index_to_line[index], cache.heights[index])
        return len(changed)

    def scrollbar_ahead(self) -> None:
        """Before the list's first layout: when its options certainly overflow it (each takes
        at least its own lines and its divider, and the list is no taller than the screen),
        its scrollbar is laid out with the first frame. It appeared when the first frame
        counted the lines, the new scrollbar laying the screen out once more as it got its
        size."""
        if self.size.width or not self.is_attached:
            return  # laid out already: the layout knows
        at_least = self.lines_at_least()
        if at_least <= self.app.size.height:
            return  # may fit: found out as the lines are counted, as before
        self.virtual_size = Size(self.virtual_size.width, at_least)
        self.show_vertical_scrollbar = True

    def lines_at_least(self) -> int:
        """The lines the options take at any width: each its own lines (wrapping only adds
        more) and its divider; a last divider is not drawn."""
        options = self._options
        lines = sum(_lines_at_least(option) for option in options)
        return lines - (options[-1]._divider if options else 0)

    def _on_resize(self, event: events.Resize | None = None) -> None:
        if event is not None and self._kept_width == self.scrollable_content_region.width:
            event.prevent_default()  # OptionList's handler, next, would throw them away


def _height(visual: Visual, styles: RulesMap, width: int) -> int:
    """`visual.get_height(styles, width)`: one line for a text of one line that fits (no
    line break, no tab, no padding rule, as wide as `width` or less), which is what wrapping
    it finds; anything else is wrapped to count, as Textual does."""
    if (
        type(visual) is Content
        and "\n" not in visual.plain
        and "\t" not in visual.plain
        and styles.get("line_pad", 0) == 0
        and visual.cell_length <= width
    ):
        return 1
    return visual.get_height(styles, width)


def _lines_at_least(option: Option) -> int:
    """The lines an option takes at any width: its own lines (wrapping only adds more), and
    its divider."""
    prompt = option.prompt
    if isinstance(prompt, Content):
        prompt = prompt.plain
    text = prompt if isinstance(prompt, str) else ""
    return text.count("\n") + 1 + option._divider
