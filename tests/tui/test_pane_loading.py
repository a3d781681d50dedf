"""A loading pane's indicator repaints its line of dots alone (`PaneLoading`, issue 13): the
whole pane 16 times a second took the interpreter from the worker the pane waits for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Static

from bridge_tui.tui.busy import PaneLoading
from bridge_tui.tui.widgets.boxes import Horizontal
from tests.tui.helpers import sample_app


class Panes(App[None]):
    """Two panes, as the overview has, put in their loading state as it puts them."""

    CSS = "Static { width: 1fr; height: 1fr; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("left", id="a")
            yield Static("right", id="b")

    def get_loading_widget(self) -> PaneLoading:
        return PaneLoading()


def dots_row(indicator: PaneLoading) -> int:
    """The line the indicator draws its dots on, read from what it renders."""
    width, height = indicator.size
    lines = indicator.render_lines(Region(0, 0, width, height))
    found = [y for y, strip in enumerate(lines) if "●" in strip.text]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("height", [1, 2, 3, 7, 8, 24, 45])
async def test_it_repaints_the_line_of_its_dots_and_nothing_else(
    height: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Panes()
    async with app.run_test(size=(100, height)) as pilot:
        for pane in app.query(Static):
            pane.loading = True
        await pilot.pause()
        await pilot.pause()
        indicators = [p._cover_widget for p in app.query(Static)]
        assert all(isinstance(i, PaneLoading) for i in indicators)
        asked: list[tuple[Any, ...]] = []
        real = PaneLoading.refresh

        def spy(self: PaneLoading, *regions: Region, **kw: Any) -> Any:
            asked.append(regions)
            return real(self, *regions, **kw)

        monkeypatch.setattr(PaneLoading, "refresh", spy)
        await pilot.pause(0.3)  # a few of its frames
        assert asked  # it does animate
        for indicator in indicators:
            assert isinstance(indicator, PaneLoading)
            region = indicator.dots_region()
            assert region.width == indicator.size.width and region.height <= 2
            assert region.y <= dots_row(indicator) < region.bottom
        # every frame asked for those lines only, never the whole pane
        assert all(len(r) == 1 and r[0].height <= 2 for r in asked)


async def test_the_app_covers_a_loading_pane_with_it(sample_db: Path) -> None:
    app = sample_app(sample_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        heat = app.screen.query_one("#ov-heat")
        heat.loading = True
        await pilot.pause()
        assert isinstance(heat._cover_widget, PaneLoading)
        heat.loading = False
        await pilot.pause()
        assert heat._cover_widget is None
