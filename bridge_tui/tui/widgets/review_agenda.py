"""The review's agenda: every initiative of the session in order, with its decision so far.

One line per initiative (a long name ends in an ellipsis), so a session of thousands lays out
at once: Textual's OptionList measures every option's wrapped height, seconds at 9,000, and
here each height is known to be one. A decision or a step changes only the lines it touches,
not the whole list.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bridge_tui.service.portfolio import DECISION_LABEL, ReviewItem


def _prompt(item: ReviewItem) -> Content:
    if item.decision is not None:
        mark = Content.styled(f"{DECISION_LABEL[item.decision.decision]:<7}", "$success")
    else:
        mark = Content.styled("·      ", "dim")
    return Content.assemble(mark, " ", item.initiative.name)


def _shown_as(item: ReviewItem) -> tuple[str, str | None]:
    """What a line shows of an item: the name and the decision, for telling what changed."""
    return item.initiative.name, item.decision.decision if item.decision is not None else None


class ReviewAgenda(OptionList):
    DEFAULT_CSS = """
    ReviewAgenda {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    class Picked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        #: the initiative ids shown, in order, and what each line shows
        self._ids: list[str] = []
        self._shown: list[tuple[str, str | None]] = []

    def show(self, items: Sequence[ReviewItem], current: int) -> None:
        ids = [item.initiative.id for item in items]
        if ids == self._ids:
            # the same agenda: redraw only the lines whose decision (or name) changed
            for index, item in enumerate(items):
                shown = _shown_as(item)
                if shown != self._shown[index]:
                    self._shown[index] = shown
                    self.replace_option_prompt_at_index(index, _prompt(item))
        else:
            self.clear_options()
            self.add_options([Option(_prompt(item), id=item.initiative.id) for item in items])
            self._ids = ids
            self._shown = [_shown_as(item) for item in items]
        if items:
            wanted = max(0, min(current, len(items) - 1))
            if self.highlighted != wanted:
                self.highlighted = wanted

    def _update_lines(self) -> None:
        """Every option is one line (no wrapping, no dividers), so the line map is built
        without measuring each one. Textual is pinned exactly; the tests check the agenda still
        scrolls to and shows its last initiative."""
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

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(event.option_index))
