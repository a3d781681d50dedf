"""The heat table draws a plain cell without Rich's console (`heat_table.cell_segments`): for
every cell it takes, the segments must be exactly those Rich gives a DataTable's cell, styles,
colours and the row/column meta the mouse reads included; every other cell goes to Rich."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.renderables.styled import Styled

from bridge_tui.tui.widgets.heat_table import cell_segments

CONSOLE = Console(width=120, color_system="truecolor")

SHADE = Style(bgcolor="#1f3b57", color="#ffffff", bold=True)
CELLS = [
    Text(" 3/5 ", style=SHADE),
    Text(" 17/20 ", style=Style(bgcolor="#0178d4", color="#000000")),
    Text("✓", style=SHADE),
    Text(" n/a ", style="dim"),
    Text(" Document extraction: proof of delivery"),
    Text(" Productionize"),
    Text(" é中文 x"),
    Text(""),
    Text("Name▲", style="bold"),
    Text(" [bold]not markup[/]"),
]
#: pre: the row's style, the cell's place, the cursor's or hover's component style
PRES = [
    Style.from_meta({"row": 0, "column": 0}),
    Style(bgcolor="#202020", color="#e0e0e0") + Style.from_meta({"row": 4, "column": 2}),
    Style(bgcolor="#202020") + Style.from_meta({"row": -1, "column": 0}) + Style(bold=True),
]
POSTS = [
    Style(),
    Style.from_color(color=Style.parse("#ffffff").color)
    + Style.from_color(bgcolor=Style.parse("#0178d4").bgcolor),
]


def rich_cell(cell: Text, width: int, pre: Style, post: Style) -> list[Segment]:
    """The cell as the heat table drew every cell before: through Rich's console."""
    options = CONSOLE.options.update_dimensions(width, 1).update(no_wrap=True)
    lines = CONSOLE.render_lines(
        Styled(Padding(cell, (0, 0)), pre_style=pre, post_style=post), options
    )
    return lines[0]


@pytest.mark.parametrize("cell", CELLS, ids=lambda c: repr(c.plain))
def test_a_plain_cell_is_drawn_as_rich_draws_it(cell: Text) -> None:
    width_of = max(CONSOLE.measure(cell).maximum, 1)
    for width in (width_of, width_of + 1, width_of + 9):
        for pre in PRES:
            for post in POSTS:
                fast = cell_segments(cell, width, pre, post, CONSOLE)
                assert fast is not None
                assert fast == rich_cell(cell, width, pre, post)
                assert [s.style for s in fast] == [
                    s.style for s in rich_cell(cell, width, pre, post)
                ]


@pytest.mark.parametrize(
    "cell",
    [
        Text.assemble(("3", "bold"), "/5"),  # spans
        Text("two\nlines"),
        Text("a\ttab"),
        Text("centred", justify="center"),
        Text("right", justify="right"),
    ],
    ids=lambda c: repr(c.plain),
)
def test_any_other_cell_goes_to_rich(cell: Text) -> None:
    assert cell_segments(cell, 20, PRES[1], POSTS[1], CONSOLE) is None


def test_a_cell_with_no_style_before_it_goes_to_rich() -> None:
    """Rich leaves an unstyled cell's text unstyled; the table always gives one (its place)."""
    assert cell_segments(Text("x"), 5, Style(), POSTS[0], CONSOLE) is None


def test_a_cell_too_long_for_its_column_goes_to_rich() -> None:
    """Rich crops it (the name column fits names before, so this is a safeguard)."""
    assert cell_segments(Text(" a long name"), 5, PRES[1], POSTS[0], CONSOLE) is None
    assert cell_segments(Text("中文"), 3, PRES[1], POSTS[0], CONSOLE) is None
