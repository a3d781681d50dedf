"""`KeptLinesOptionList.update_prompts`, with the real keys on the checklist: an answer
toggled replaces only the rows whose text changed and draws only their lines again (Textual's
`replace_option_prompt` drew the whole list again for each row replaced), and what the list
shows is exactly what a whole redraw shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.visual import Visual

from bridge_tui.tui.screens.checklist import ChecklistScreen
from bridge_tui.tui.widgets.checklist_list import ChecklistList
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
