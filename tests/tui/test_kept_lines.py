"""`KeptLinesOptionList.update_prompts`, with the real keys on the checklist: an answer
toggled replaces only the rows whose text changed and draws only their lines again (Textual's
`replace_option_prompt` drew the whole list again for each row replaced), and what the list
shows is exactly what a whole redraw shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.content import Content
from textual.visual import Visual
from textual.widgets import OptionList

from bridge_tui.tui.screens.checklist import ChecklistScreen
from bridge_tui.tui.widgets.checklist_list import ChecklistList
from bridge_tui.tui.widgets.kept_lines import KeptLinesOptionList, _height
from tests.tui.helpers import sample_app

SIZE = (160, 45)


def shown_now(rows: ChecklistList) -> list[str]:
    """The list's lines as the terminal has them (lines not marked to redraw come from the
    widget's kept lines)."""
    return [strip.text for strip in rows.render_lines(rows.region.reset_offset)]


def drawn_whole(rows: ChecklistList) -> list[str]:
    """The list's lines drawn again from nothing."""
    rows._styles_cache.clear()
    rows._option_render_cache.clear()
    return shown_now(rows)


@pytest.mark.parametrize("keys", [["space"], ["y"], ["n", "y"], ["space"] * 4])
async def test_a_toggled_answer_redraws_only_its_rows(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, keys: list[str]
) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=SIZE) as pilot:
        app.select(app.service.resolve("Route optimisation").id)
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        rows = app.screen.query_one("#items", ChecklistList)
        shown_now(rows)  # every line drawn and kept
        drawn: list[int] = []
        to_strips = Visual.to_strips

        def counted(widget: Any, visual: Any, *args: Any, **kwargs: Any) -> Any:
            if widget is rows:
                drawn.append(id(visual))
            return to_strips(widget, visual, *args, **kwargs)

        monkeypatch.setattr(Visual, "to_strips", staticmethod(counted))
        for key in keys:
            before = [option.prompt for option in rows.options]
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            changed = sum(
                1
                for old, option in zip(before, rows.options, strict=True)
                if not (old.is_same(option.prompt))  # type: ignore[union-attr]
            )
            assert changed >= 1  # the answer's row at least (its group's count too)
        assert 0 < len(drawn) <= 4 * len(keys)  # its row and its group's heading, each key
        monkeypatch.undo()
        assert shown_now(rows) == drawn_whole(rows)


# counting each option's lines ------------------------------------------------------------------

_TEXTS = st.text(
    alphabet=st.sampled_from(["a", "b", " ", "é", "中", "\t", "\n", "-", "界"]), max_size=30
)


@given(_TEXTS, st.integers(min_value=1, max_value=40), st.sampled_from(["wrap", "nowrap"]))
def test_an_options_lines_are_what_wrapping_it_finds(text: str, width: int, wrap: str) -> None:
    """The one-line shortcut gives what Textual's wrapping gives, for any text (wide
    characters, tabs, line breaks, a text as wide as the list, or wider)."""
    rules: dict[str, Any] = {"text_wrap": wrap}
    content = Content(text)
    assert _height(content, rules, width) == Content(text).get_height(rules, width)  # type: ignore[arg-type]
    styled = Content.assemble((text, "bold"), " x")
    assert _height(styled, rules, width) == styled.get_height(rules, width)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_the_lists_count_the_lines_textual_counts(
    sample_db: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """The checklist's and the overview's lists, counted with the shortcut, have the lines
    OptionList itself counts; and the shortcut wraps none of their one-line options."""
    app = sample_app(sample_db)
    async with app.run_test(size=size) as pilot:
        lists: list[KeptLinesOptionList] = []
        for key, selector in (("2", "#items"), ("4", "#ov-answers")):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            lists.append(app.screen.query_one(selector, KeptLinesOptionList))
        wrapped: list[str] = []
        real = Content.get_height

        def counted(self: Content, rules: Any, width: int) -> int:
            wrapped.append(self.plain)
            return real(self, rules, width)

        monkeypatch.setattr(Content, "get_height", counted)
        for rows in lists:
            ours = dict(rows._line_cache.heights)
            rows._line_cache.clear()
            OptionList._update_lines(rows)  # Textual's own count
            assert dict(rows._line_cache.heights) == ours
            assert len(ours) == rows.option_count
            assert any(h > 1 + o._divider for h, o in zip(ours.values(), rows.options, strict=True))
        wrapped.clear()
        for rows in lists:
            rows._line_cache.clear()
            rows._update_lines()
        # only options that do not fit on one line were wrapped to count them
        assert wrapped and all("\n" in text or cell_len(text) > 30 for text in wrapped), wrapped
