"""The review's agenda at thousands of initiatives (issue 12, item 10): one line each, laid
out without measuring every name, reachable to its last line, and a decision redraws only
its own line."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any, cast

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from bridge_tui.models import ReviewItem
from bridge_tui.tui.widgets.review_agenda import AgendaShown, ReviewAgenda
from tests.tui.helpers import step

ITEMS = 3_000


def _item(k: int, decision: str | None = None) -> ReviewItem:
    """What the agenda reads of an item: the initiative's id and name, and the decision."""
    name = f"Initiative {k:05d} with a name too long for one line of the agenda"
    return cast(
        ReviewItem,
        SimpleNamespace(
            initiative=SimpleNamespace(id=f"id-{k:05d}", name=name),
            decision=None if decision is None else SimpleNamespace(decision=decision),
        ),
    )


class AgendaApp(App[None]):
    CSS = "ReviewAgenda { width: 40; height: 12; }"

    def compose(self) -> ComposeResult:
        yield ReviewAgenda()


@asynccontextmanager
async def _shown(items: list[ReviewItem]) -> AsyncIterator[tuple[ReviewAgenda, Pilot[None]]]:
    """A running agenda showing `items` from the first, drawn once, and its pilot."""
    app = AgendaApp()
    async with app.run_test(size=(80, 24)) as pilot:
        agenda = app.query_one(ReviewAgenda)
        agenda.shown = AgendaShown(items, 0)
        await pilot.pause()
        yield agenda, pilot


async def test_thousands_of_items_are_one_line_each_and_reachable() -> None:
    items = [_item(k) for k in range(ITEMS)]
    async with _shown(items) as (agenda, pilot):
        assert agenda.option_count == ITEMS
        assert agenda.virtual_size.height == ITEMS  # one line each
        agenda.focus()
        await step(pilot, "end")
        assert agenda.highlighted == ITEMS - 1
        assert agenda.scroll_y == agenda.max_scroll_y > 0
        screen = pilot.app.export_screenshot()
        assert f"Initiative {ITEMS - 1:05d}" in screen.replace("&#160;", " ")
        assert "…" in screen  # the long name is cut with an ellipsis, not wrapped


async def test_a_decision_redraws_only_its_line(monkeypatch: pytest.MonkeyPatch) -> None:
    items = [_item(k) for k in range(ITEMS)]
    async with _shown(items) as (agenda, pilot):
        replaced: list[int] = []
        rebuilt: list[int] = []
        real_replace = ReviewAgenda.replace_option_prompt_at_index

        def replace(self: ReviewAgenda, index: int, prompt: Any) -> ReviewAgenda:
            replaced.append(index)
            return real_replace(self, index, prompt)

        monkeypatch.setattr(ReviewAgenda, "replace_option_prompt_at_index", replace)
        real_clear = ReviewAgenda.clear_options

        def clear(self: ReviewAgenda) -> ReviewAgenda:
            rebuilt.append(1)
            return real_clear(self)

        monkeypatch.setattr(ReviewAgenda, "clear_options", clear)
        items[5] = _item(5, "keep")
        agenda.shown = AgendaShown(items, 6)
        await pilot.pause()
        assert replaced == [5] and not rebuilt
        assert agenda.highlighted == 6
        assert "Keep" in str(agenda.get_option_at_index(5).prompt)
        agenda.shown = AgendaShown(items, 7)  # a step: nothing redrawn, the highlight moves
        assert replaced == [5] and agenda.highlighted == 7
