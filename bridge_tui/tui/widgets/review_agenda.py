"""The review's agenda: every initiative of the session in order, with its decision so far."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bridge_tui.service.portfolio import DECISION_LABEL, ReviewItem


class ReviewAgenda(OptionList):
    class Picked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def show(self, items: Sequence[ReviewItem], current: int) -> None:
        options = []
        for item in items:
            if item.decision is not None:
                mark = Content.styled(f"{DECISION_LABEL[item.decision.decision]:<7}", "$success")
            else:
                mark = Content.styled("·      ", "dim")
            prompt = Content.assemble(mark, " ", item.initiative.name)
            options.append(Option(prompt, id=item.initiative.id))
        self.clear_options()
        self.add_options(options)
        if items:
            self.highlighted = max(0, min(current, len(items) - 1))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(event.option_index))
