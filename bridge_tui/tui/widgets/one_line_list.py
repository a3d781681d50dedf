"""An OptionList whose options are one line each, for lists of thousands (the review's agenda,
the initiatives behind a point of the flow charts).

Textual's OptionList asks each option's visual for its height at the list's width when options
are added or the width changes: wrapping every name, seconds for 9,000 of them. Here nothing
wraps (a long line ends in an ellipsis), so each prompt is a `OneLine` visual whose height is
one without measuring: the list lays out through OptionList's own, public, machinery.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual, VisualType
from textual.widgets.option_list import Option

from bridge_tui.tui.widgets.kept_lines import KeptLinesOptionList

#: what OptionList.add_options takes: an option, a prompt, or None (a separator)
OptionListContent: TypeAlias = "Option | VisualType | None"


class OneLine(Visual):
    """A prompt drawn on one line (cut with an ellipsis by the list's `text-overflow`), whose
    height is one at any width."""

    __slots__ = ("content",)

    def __init__(self, content: Content) -> None:
        self.content = content

    @classmethod
    def of(cls, prompt: VisualType) -> Visual:
        """`prompt` as one line; plain text (a `str` is never read as markup)."""
        if isinstance(prompt, OneLine):
            return prompt
        if isinstance(prompt, Content):
            return cls(prompt)
        if isinstance(prompt, Text):
            return cls(Content.from_rich_text(prompt))
        if isinstance(prompt, str):
            return cls(Content(prompt))
        raise TypeError(f"a one-line option needs text, not {type(prompt).__name__}")

    def __str__(self) -> str:
        return str(self.content)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content.render_strips(width, 1, style, options)[:1]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


def _one_line(option: OptionListContent) -> OptionListContent:
    if option is None:
        return None
    if isinstance(option, Option):
        if isinstance(option.prompt, OneLine):
            return option
        return Option(OneLine.of(option.prompt), id=option.id, disabled=option.disabled)
    return Option(OneLine.of(option))


class OneLineOptionList(KeptLinesOptionList):
    DEFAULT_CSS = """
    OneLineOptionList {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def add_options(self, new_options: Iterable[OptionListContent]) -> OneLineOptionList:
        return super().add_options([_one_line(option) for option in new_options])

    def replace_option_prompt(self, option_id: str, prompt: VisualType) -> OneLineOptionList:
        return super().replace_option_prompt(option_id, OneLine.of(prompt))

    def replace_option_prompt_at_index(self, index: int, prompt: VisualType) -> OneLineOptionList:
        return super().replace_option_prompt_at_index(index, OneLine.of(prompt))
