"""The heat map's table: one-line rows of fixed-width cells under a header, with a cell cursor.

A line-API scroll view (like the board's columns) that draws only the lines on screen, so
thousands of rows are filled as one quick update and a row's cells are asked for
(`get_row_at`) only when the row comes into view. It looks and answers keys as Textual's
DataTable (pinned at 8.2.8) did for the heat map, with a cell cursor, zebra stripes and no cell
padding: the same component classes and rules, each cell rendered as DataTable renders one,
the header fixed on top, the same cursor keys, page keys and mouse. Only public Textual API.

The subclass says what is shown (`show_rows`: the column widths, the header labels, how many
rows) and draws the rows (`get_row_at`); it hears of a click on a header (`header_clicked`)
and of Enter, or a click, on the cell under the cursor (`cell_selected`).
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.coordinate import Coordinate
from textual.geometry import Region, Size, Spacing, clamp
from textual.reactive import Reactive
from textual.renderables.styled import Styled
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import PseudoClasses

#: the row index of the header (the rows count from 0 below it)
HEADER = -1

#: a line's cache key: (row, scroll x, width, the cursor and the hover when on that row, the
#: hover shown, the widget's style, its pseudo-classes)
_LineKey = tuple[
    int, int, int, Coordinate | None, Coordinate | None, bool, Style, PseudoClasses | None
]


def cell_segments(
    cell: Text, width: int, pre: Style, post: Style, console: Console
) -> list[Segment] | None:
    """A one-line cell of one style that fits its width, as Rich renders it in a DataTable's
    cell (`Styled(Padding(cell, (0, 0)), pre, post)`, no wrap): its text in the cell's style
    between `pre` and `post`, then spaces to the width. None for any other cell (spans, a line
    break or a tab, a justification, too long, or no `pre`: the table's always holds the cell's
    place), which goes through Rich itself. Rich's console took a quarter of a millisecond a
    cell on this machine, a heat map's opening 40 ms; this takes microseconds, and a test
    checks that both give the same segments."""
    plain = cell.plain
    if (
        not pre
        or cell.spans
        or cell.justify not in (None, "default", "left")
        or "\n" in plain
        or "\t" in plain
    ):
        return None
    used = cell_len(plain)
    if used > width:
        return None
    segments = [Segment(plain, pre + console.get_style(cell.style) + post)]
    if used < width:
        segments.append(Segment(" " * (width - used), pre + post))
    return segments


class HeatTable(ScrollView, can_focus=True):
    ALLOW_SELECT = False

    #: DataTable's keys for a cell cursor: the same actions and words (and ids, for a keymap)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False, id="heat_table.select"),
        Binding("up", "cursor_up", "Cursor up", show=False, id="heat_table.up"),
        Binding("down", "cursor_down", "Cursor down", show=False, id="heat_table.down"),
        Binding("right", "cursor_right", "Cursor right", show=False, id="heat_table.right"),
        Binding("left", "cursor_left", "Cursor left", show=False, id="heat_table.left"),
        Binding("pageup", "page_up", "Page up", show=False, id="heat_table.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="heat_table.page_down"),
        Binding("ctrl+home", "scroll_top", "Top", show=False, id="heat_table.top"),
        Binding("ctrl+end", "scroll_bottom", "Bottom", show=False, id="heat_table.bottom"),
        Binding("home", "scroll_home", "Home", show=False, id="heat_table.home"),
        Binding("end", "scroll_end", "End", show=False, id="heat_table.end"),
    ]

    #: DataTable's names, so the table looks as it did in every theme
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--cursor",
        "datatable--hover",
        "datatable--header",
        "datatable--header-cursor",
        "datatable--header-hover",
        "datatable--odd-row",
        "datatable--even-row",
    }

    #: the look is the overview's (`styles/overview.tcss`: DataTable's own rules for the
    #: classes above, Textual 8.2.8); here only how it sizes, as DataTable
    DEFAULT_CSS = """
    HeatTable {
        height: auto;
        max-height: 100%;
    }
    """

    cursor_coordinate: Reactive[Coordinate] = Reactive(
        Coordinate(0, 0), repaint=False, always_update=True
    )
    """The cell under the cursor: (row, column), kept inside the table."""
    hover_coordinate: Reactive[Coordinate] = Reactive(
        Coordinate(0, 0), repaint=False, always_update=True
    )
    """The cell under the mouse (row -1: the header)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._shown_widths: list[int] = []
        self._labels: list[Text] = []
        self._rows = 0
        #: the rows were just replaced: the scrollable size settles at the next refresh, so
        #: the cursor is scrolled into view after it
        self._settling = False
        self._hover_shown = False
        self._pseudo: PseudoClasses | None = None
        #: drawn lines, keyed by all they show (the width too): kept through a Resize (the
        #: first comes just after the first frame, and the scrollbar that appears as the rows
        #: are counted repaints the table: both drew every line again)
        self._lines: LRUCache[_LineKey, Strip] = LRUCache(1000)
        self._cell_styles: dict[tuple[bool, bool, bool], tuple[Style, Style]] = {}

    # for the subclass ------------------------------------------------------------------------

    def get_row_at(self, row_index: int) -> list[Text]:
        """The cells of the row shown at `row_index`, one per column."""
        raise NotImplementedError

    def header_clicked(self, column: int) -> None:
        """The header of `column` was clicked."""

    def cell_selected(self) -> None:
        """Enter, or a click, on the cell under the cursor."""

    def show_rows(
        self, widths: list[int], labels: list[Text], rows: int, cursor: Coordinate
    ) -> None:
        """Show `rows` rows (drawn by `get_row_at`) in columns `widths` wide under `labels`,
        with the cursor on `cursor`: the view starts from the top, then scrolls to it."""
        self._shown_widths, self._labels, self._rows = list(widths), list(labels), rows
        self._lines.clear()
        self.virtual_size = Size(sum(widths), rows + 1)
        self.hover_coordinate = Coordinate(0, 0)
        self.scroll_x = self.scroll_y = 0
        self.scroll_target_x = self.scroll_target_y = 0
        self.refresh()
        self._settling = True
        self.call_after_refresh(self._settled)
        self.move_cursor(row=cursor.row, column=cursor.column)

    def _settled(self) -> None:
        self._settling = False

    @property
    def row_count(self) -> int:
        return self._rows

    # the cursor ------------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        return self.cursor_coordinate.row

    @property
    def cursor_column(self) -> int:
        return self.cursor_coordinate.column

    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        row, column = value
        last_column = len(self._shown_widths) - 1
        return Coordinate(clamp(row, 0, self._rows - 1), clamp(column, 0, last_column))

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        if old != new:
            self._refresh_cell(old)
            self._refresh_cell(new)
            self._scroll_to_cursor()

    def watch_hover_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        self._refresh_cell(old)
        self._refresh_cell(new)

    def move_cursor(
        self,
        *,
        row: int | None = None,
        column: int | None = None,
        animate: bool = False,
        scroll: bool = True,
    ) -> None:
        """Move the cursor to (`row`, `column`), either left as it is when None."""
        here = self.cursor_coordinate
        self.cursor_coordinate = Coordinate(
            here.row if row is None else row, here.column if column is None else column
        )
        if scroll:
            self._scroll_to_cursor(animate=animate)

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        if self._settling:
            self.call_after_refresh(self._scroll_cursor_into_view, animate=animate)
        else:
            self._scroll_cursor_into_view(animate=animate)

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        """Scroll so the cursor's cell shows below the fixed header."""
        region = self._cell_region(self.cursor_coordinate)
        if region is not None:
            self.scroll_to_region(region, animate=animate, spacing=Spacing(1, 0, 0, 0), force=True)

    def _cell_region(self, cell: Coordinate) -> Region | None:
        """Where `cell` is in the table (the header: line 0); None if there is no such cell."""
        row, column = cell
        widths = self._shown_widths
        if not (HEADER <= row < self._rows and 0 <= column < len(widths)):
            return None
        return Region(sum(widths[:column]), row + 1, widths[column], 1)

    def _refresh_cell(self, cell: Coordinate) -> None:
        region = self._cell_region(cell)
        if region is None:
            return
        scroll_x, scroll_y = self.scroll_offset
        y = 0 if cell.row == HEADER else region.y - scroll_y
        if y >= 0:
            self.refresh(Region(region.x - scroll_x, y, region.width, 1))

    def _set_hover_cursor(self, active: bool) -> None:
        """Show or hide the faint cursor under the mouse (hidden while keys are used)."""
        self._hover_shown = active
        self._refresh_cell(self.hover_coordinate)

    # drawing ---------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._cell_styles.clear()
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pseudo = self.get_pseudo_class_state()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header, fixed on top; the rows scroll beneath it."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        row = HEADER if y == 0 else y - 1 + scroll_y
        if row >= self._rows:
            return Strip.blank(width, base)
        cursor, hover = self.cursor_coordinate, self.hover_coordinate
        key: _LineKey = (
            row,
            scroll_x,
            width,
            cursor if cursor.row == row else None,
            hover if hover.row == row else None,
            self._hover_shown,
            base,
            self._pseudo,
        )
        strip = self._lines.get(key)
        if strip is None:
            segments = self._row_segments(row, cursor, hover)
            strip = Strip(segments).crop(scroll_x).adjust_cell_length(width, base).simplify()
            self._lines[key] = strip
        return strip

    def _row_segments(self, row: int, cursor: Coordinate, hover: Coordinate) -> list[Segment]:
        """The whole row, from the first column to the widget's right edge. Each cell is
        rendered as DataTable renders one (its row's style and the cell's place as meta, the
        cursor's colours over the cell's own); the space right of the table takes the row's
        background faded towards the widget's."""
        header = row == HEADER
        row_style = self._row_style(row)
        cells = self._labels if header else self.get_row_at(row)
        app = self.app
        segments: list[Segment] = []
        for column, (cell, width) in enumerate(zip(cells, self._shown_widths, strict=True)):
            here = Coordinate(row, column)
            component, post = self._styles_for_cell(header, hover == here, cursor == here)
            pre = row_style + Style.from_meta({"row": row, "column": column}) + component
            plain = cell_segments(cell, width, pre, post, app.console)
            if plain is not None:
                segments.extend(plain)
                continue
            options = app.console_options.update_dimensions(width, 1).update(no_wrap=True)
            lines = app.console.render_lines(
                Styled(Padding(cell, (0, 0)), pre_style=pre, post_style=post), options
            )
            segments.extend(lines[0])
        remaining = max(0, self.size.width - sum(self._shown_widths))
        if row_style.bgcolor is not None:
            faded = Color.from_rich_color(row_style.bgcolor).blend(
                self.background_colors[1], factor=0.25
            )
            extend = Style.from_color(color=row_style.color, bgcolor=faded.rich_color)
        else:
            extend = Style.from_color(row_style.color, row_style.bgcolor)
        extend += Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * remaining, extend))
        return segments

    def _row_style(self, row: int) -> Style:
        if row == HEADER:
            name = "datatable--header"
        else:
            name = "datatable--odd-row" if row % 2 else "datatable--even-row"
        return self.get_component_styles(name).rich_style

    def _styles_for_cell(self, header: bool, hover: bool, cursor: bool) -> tuple[Style, Style]:
        """A cell's component style (hover, cursor) and the colours laid over the cell's own
        (so the cursor shows over a shaded cell too)."""
        hover = hover and self._hover_shown
        key = (header, hover, cursor)
        styles = self._cell_styles.get(key)
        if styles is None:
            get = self.get_component_rich_style
            component = Style()
            if hover:
                component += get("datatable--hover")
                if header:
                    component += get("datatable--header-hover")
            if cursor:
                component += get("datatable--cursor")
                if header:
                    component += get("datatable--header-cursor")
            post = Style.from_color(color=component.color) + Style.from_color(
                bgcolor=component.bgcolor
            )
            styles = self._cell_styles[key] = (component, post)
        return styles

    # keys ------------------------------------------------------------------------------------

    def action_select_cursor(self) -> None:
        self._set_hover_cursor(False)
        if self._rows:
            self.cell_selected()

    def action_cursor_up(self) -> None:
        self._set_hover_cursor(False)
        self.cursor_coordinate = self.cursor_coordinate.up()

    def action_cursor_down(self) -> None:
        self._set_hover_cursor(False)
        self.cursor_coordinate = self.cursor_coordinate.down()

    def action_cursor_right(self) -> None:
        self._set_hover_cursor(False)
        self.cursor_coordinate = self.cursor_coordinate.right()
        self._scroll_cursor_into_view(animate=True)

    def action_cursor_left(self) -> None:
        self._set_hover_cursor(False)
        self.cursor_coordinate = self.cursor_coordinate.left()
        self._scroll_cursor_into_view(animate=True)

    def _page(self) -> int:
        """Rows in a page: the lines under the header."""
        return max(self.scrollable_content_region.height - 1, 0)

    def action_page_down(self) -> None:
        self._set_hover_cursor(False)
        page = self._page()
        self.scroll_relative(y=page, animate=False, force=True)
        self.move_cursor(row=min(self.cursor_row + page, self._rows - 1), scroll=False)

    def action_page_up(self) -> None:
        self._set_hover_cursor(False)
        page = self._page()
        self.scroll_relative(y=-page, animate=False)
        self.move_cursor(row=max(self.cursor_row - page, 0), scroll=False)

    def action_page_left(self) -> None:
        self._set_hover_cursor(False)
        self.scroll_page_left()

    def action_page_right(self) -> None:
        self._set_hover_cursor(False)
        self.scroll_page_right()

    def action_scroll_top(self) -> None:
        self._set_hover_cursor(False)
        self.cursor_coordinate = Coordinate(0, self.cursor_column)

    def action_scroll_bottom(self) -> None:
        self._set_hover_cursor(False)
        self.cursor_coordinate = Coordinate(self._rows - 1, self.cursor_column)

    def action_scroll_home(self) -> None:
        self._set_hover_cursor(False)
        self.move_cursor(column=0)

    def action_scroll_end(self) -> None:
        self._set_hover_cursor(False)
        self.move_cursor(column=len(self._shown_widths) - 1)

    # the mouse -------------------------------------------------------------------------------

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """The faint hover cursor follows the mouse over the cells (not right of them)."""
        self._set_hover_cursor(True)
        meta = event.style.meta
        if not meta or meta.get("out_of_bounds", False):
            self._set_hover_cursor(False)
            return
        if "row" in meta and "column" in meta:
            self.hover_coordinate = Coordinate(meta["row"], meta["column"])

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover_cursor(False)

    def on_click(self, event: events.Click) -> None:
        """A header: `header_clicked`. A cell takes the cursor; a click on the cell under the
        cursor selects it."""
        self._set_hover_cursor(True)
        meta = event.style.meta
        if "row" not in meta or "column" not in meta or meta.get("out_of_bounds", False):
            return
        row, column = meta["row"], meta["column"]
        if row == HEADER:
            self.header_clicked(column)
            return
        cell = Coordinate(row, column)
        again = cell == self.cursor_coordinate
        self.cursor_coordinate = cell
        if again:
            self.cell_selected()
        self._scroll_cursor_into_view(animate=True)
        event.stop()
