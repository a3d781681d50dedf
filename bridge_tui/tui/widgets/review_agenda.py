"""The review's agenda: every initiative of the session in order, with its decision so far.

One line per initiative (a long name ends in an ellipsis: `OneLineOptionList`), so a session of
thousands lays out at once. The screen sets `shown` (the items and the current one); a
decision or a step changes only the lines it touches, not the whole list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bridge_tui.models import DECISION_LABEL, ReviewItem
from bridge_tui.tui.widgets.one_line_list import OneLineOptionList


def _prompt(item: ReviewItem) -> Content:
    if item.decision is not None:
        mark = Content.styled(f"{DECISION_LABEL[item.decision.decision]:<7}", "$success")
    else:
        mark = Content.styled("·      ", "dim")
    return Content.assemble(mark, " ", item.initiative.name)


def _shown_as(item: ReviewItem) -> tuple[str, str | None]:
    """What a line shows of an item: the name and the decision, for telling what changed."""
    return item.initiative.name, item.decision.decision if item.decision is not None else None


class AgendaShown(NamedTuple):
    """What the agenda shows: the session's items in order, and the one highlighted."""

    items: Sequence[ReviewItem]
    current: int


class ReviewAgenda(OneLineOptionList):
    class Picked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    #: setting it redraws the lines that changed and moves the highlight (always: the caller
    #: may hand the same list with an item replaced, and thousands are not compared on a set)
    shown: var[AgendaShown | None] = var(None, always_update=True, init=False)

    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        #: the initiative ids drawn, in order, and what each line shows: what a new value is
        #: compared with (not the old value, whose list may be the new one changed in place)
        self._ids: list[str] = []
        self._shown: list[tuple[str, str | None]] = []

    def watch_shown(self, shown: AgendaShown | None) -> None:
        if shown is None:
            return
        items, current = shown
        ids = [item.initiative.id for item in items]
        if ids == self._ids:
            # the same agenda: redraw only the lines whose decision (or name) changed
            for index, item in enumerate(items):
                line = _shown_as(item)
                if line != self._shown[index]:
                    self._shown[index] = line
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

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(event.option_index))
