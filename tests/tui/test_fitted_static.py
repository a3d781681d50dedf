"""`FittedStatic`: a new text of the same height is repainted in place, without laying the
screen out (a full repaint, twice: the checklist's panels on every answer toggled); a text of
another height gets its box resized, its height measured as Textual draws it (wrapped, cut or
folded; a Rich grid too)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.screen import Screen

from bridge_tui.tui.widgets.fitted import FittedStatic


class Panel(App[None]):
    CSS = """
    FittedStatic { height: auto; width: 30; }
    #cut { text-wrap: nowrap; text-overflow: ellipsis; }
    #folds { text-wrap: nowrap; }
    #line { height: 1; }
    #as-wide { width: auto; }
    #floor { min-height: 5; }
    """

    def compose(self) -> ComposeResult:
        yield FittedStatic("", id="wraps")
        yield FittedStatic("", id="cut")
        yield FittedStatic("", id="folds")
        yield FittedStatic("", id="line")
        yield FittedStatic("", id="as-wide")
        yield FittedStatic("", id="floor")


def count_layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    seen: list[int] = []
    real = Screen._refresh_layout

    def spy(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        seen.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", spy)
    return seen


async def test_same_height_repaints_in_place_and_another_height_resizes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = Panel()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one("#wraps", FittedStatic)
        panel.fit(Content("one\ntwo"))
        await pilot.pause()
        assert panel.size.height == 2
        layouts = count_layouts(monkeypatch)
        panel.fit(Content("uno\ndos"))
        await pilot.pause()
        assert layouts == []
        assert "dos" in str(panel.render())
        # 40 characters wrap to two lines at 30: three lines in all, a taller box
        panel.fit(Content("x" * 40 + "\nend"))
        await pilot.pause()
        assert layouts
        assert panel.size.height == 3


async def test_a_cut_line_counts_as_one(monkeypatch: pytest.MonkeyPatch) -> None:
    app = Panel()
    async with app.run_test(size=(60, 20)) as pilot:
        cut = app.query_one("#cut", FittedStatic)
        cut.fit(Content("a\n" + "y" * 40))
        await pilot.pause()
        assert cut.size.height == 2
        layouts = count_layouts(monkeypatch)
        cut.fit(Content("b\nshort"))  # wrapped, "y" * 40 took two lines: cut, one
        await pilot.pause()
        assert layouts == []
        cut.fit(Content("one line"))
        await pilot.pause()
        assert layouts
        assert cut.size.height == 1


async def test_a_folded_unwrapped_text_is_measured_as_textual_draws_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = Panel()
    async with app.run_test(size=(60, 20)) as pilot:
        folds = app.query_one("#folds", FittedStatic)
        folds.fit(Content("a\n" + "y" * 40))
        await pilot.pause()
        assert folds.size.height == 3  # folded at the edge, not cut
        layouts = count_layouts(monkeypatch)
        folds.fit(Content("b\n" + "z" * 40))
        await pilot.pause()
        assert layouts == []
        folds.fit(Content("c\n" + "z" * 70))
        await pilot.pause()
        assert layouts
        assert folds.size.height == 4


async def test_a_fixed_height_never_and_a_width_as_wide_as_its_text_always_lays_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = Panel()
    async with app.run_test(size=(60, 20)) as pilot:
        line = app.query_one("#line", FittedStatic)
        wide = app.query_one("#as-wide", FittedStatic)
        await pilot.pause()
        layouts = count_layouts(monkeypatch)
        line.fit(Content("a much longer text than the line it is shown on, cut"))
        await pilot.pause()
        assert layouts == []
        assert line.size.height == 1
        wide.fit(Content("wider"))
        await pilot.pause()
        assert layouts
        assert wide.size.width == len("wider")


async def test_a_grid_is_measured_as_textual_draws_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.table import Table

    def grid(*rows: str) -> Table:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=8, no_wrap=True)
        table.add_column(ratio=1)
        for row in rows:
            table.add_row("label", row)
        return table

    app = Panel()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one("#wraps", FittedStatic)
        panel.fit(grid("one", "two " * 8))  # 32 characters in 21: two lines
        await pilot.pause()
        assert panel.size.height == 3
        layouts = count_layouts(monkeypatch)
        panel.fit(grid("uno", "dos " * 8))
        await pilot.pause()
        assert layouts == []
        panel.fit(grid("uno", "dos"))
        await pilot.pause()
        assert layouts
        assert panel.size.height == 2


async def test_a_text_under_the_least_height_leaves_the_box_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The board's detail pane: its text box is at least the pane's height (`min-height`),
    so cards whose text fits the pane change no box."""
    app = Panel()
    async with app.run_test(size=(60, 30)) as pilot:
        panel = app.query_one("#floor", FittedStatic)
        panel.fit(Content("one"), at_least=5)
        await pilot.pause()
        assert panel.size.height == 5
        layouts = count_layouts(monkeypatch)
        panel.fit(Content("one\ntwo\nthree"), at_least=5)
        await pilot.pause()
        assert layouts == []
        assert panel.size.height == 5 and "three" in str(panel.render())
        panel.fit(Content("\n".join("line" for _ in range(7))), at_least=5)
        await pilot.pause()
        assert layouts
        assert panel.size.height == 7


async def test_a_text_filled_before_the_box_had_a_width_keeps_the_box_the_layout_gave_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A screen fills its panels as it opens, before they have a width; a panel that draws
    its text again on its first Resize (as the score history and the metrics do) keeps the
    box the first layout measured for that text: no second layout. A text of another height
    after that still gets its box resized."""
    asked: list[str] = []

    class Redrawn(FittedStatic):
        text = Content("filled\nas it mounts " + "x" * 30)

        def on_mount(self) -> None:
            self.fit(self.text)

        def on_resize(self) -> None:
            asked.append("resize")
            before = self.refresh
            layouts: list[bool] = []

            def spy(*args: Any, layout: bool = False, **kwargs: Any) -> Any:
                layouts.append(layout)
                return before(*args, layout=layout, **kwargs)

            self.refresh = spy  # type: ignore[method-assign]
            try:
                self.fit(self.text)  # drawn again, as it is, at its width
            finally:
                del self.refresh
            asked.extend("layout" for laid_out in layouts if laid_out)

    class Opening(App[None]):
        CSS = "Redrawn { height: auto; width: 30; }"

        def compose(self) -> ComposeResult:
            yield Redrawn("")

    app = Opening()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        panel = app.query_one(Redrawn)
        assert panel.size.height == 3  # "as it mounts xxx…" wraps once at 30
        assert asked == ["resize"]
        layouts = count_layouts(monkeypatch)
        panel.text = Content("one line")
        panel.fit(panel.text)
        await pilot.pause()
        assert layouts
        assert panel.size.height == 1
