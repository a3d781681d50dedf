"""The heat map: initiatives x the five score categories, the total and the four tests.

A `HeatTable` (line API: it draws only the lines on screen, so 9,000 rows are shown as one
quick update, each row's cells drawn the first time it comes into view). Its columns size to
the terminal (`heat_layout.widths`): names whole when there is room, short labels and a
narrower name column at 80 columns, so Total and the four tests stay on screen. Each score is
a shaded cell with its number inside, on a light-to-dark ramp of one hue (readable by
brightness alone: colour-blind viewers, a projector). Sorting uses `scoring.heat_sort_key`: `s`
sorts by the column under the cursor (again: reverse), `<` / `>` move the sort to the previous
/ next column without moving the cursor, a click on a header sorts by it. Enter, or a click on
the cell under the cursor, opens the initiative (`Jump`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from bridge_tui import method, scoring
from bridge_tui.tui.widgets import heat_layout, name_fit
from bridge_tui.tui.widgets.heat_table import HeatTable

MARKS = {True: "✓", False: "✗", None: "?"}


class HeatMap(HeatTable):
    BINDINGS = [
        Binding(
            "s",
            "sort_column",
            "Sort",
            tooltip="Sort by the column under the cursor",
            id="heatmap.sort",
        ),
        Binding(
            "less_than_sign",
            "sort_step(-1)",
            "Sort by the column to the left",
            show=False,
            id="heatmap.sort_left",
        ),
        Binding(
            "greater_than_sign",
            "sort_step(1)",
            "Sort by the column to the right",
            show=False,
            id="heatmap.sort_right",
        ),
    ]

    class Jump(Message):
        def __init__(self, initiative_id: str) -> None:
            super().__init__()
            self.initiative_id = initiative_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows_data: list[scoring.HeatRow] = []
        self.sort_column = "stage"
        self.sort_reverse = False
        self.narrow = True
        #: the widths for the current size (`_layout`); shown from the next `_rebuild`
        self._widths: dict[str, int] = {}
        self._shared: dict[str, int] = {}
        # what the table shows, set by `_rebuild`
        self._columns: dict[str, int] = {}
        self._order: list[scoring.HeatRow] = []
        self._drawing: _Drawing | None = None
        #: row index -> its cells, drawn when the row is first read
        self._drawn: dict[int, list[Text]] = {}

    # what the map shows --------------------------------------------------------------------

    @property
    def row_ids(self) -> list[str]:
        """The initiatives' ids, in the order shown."""
        return [r.initiative_id for r in self._order]

    @property
    def column_widths(self) -> dict[str, int]:
        """The columns shown (`scoring.HEAT_COLUMNS`) and their widths."""
        return dict(self._columns)

    @property
    def cursor_id(self) -> str | None:
        """The initiative under the cursor (None: no rows)."""
        if 0 <= self.cursor_row < len(self._order):
            return self._order[self.cursor_row].initiative_id
        return None

    def get_row_at(self, row_index: int) -> list[Text]:
        """The cells of the row shown at `row_index`, drawn now if they were not yet."""
        cells = self._drawn.get(row_index)
        if cells is None:
            assert self._drawing is not None
            cells = self._drawn[row_index] = self._drawing.cells(self._order[row_index])
        return cells

    # layout ----------------------------------------------------------------------------------

    def _available(self) -> int:
        """Cells across, leaving room for the vertical scrollbar."""
        return max(self.size.width - self.styles.scrollbar_size_vertical, 0)

    def _layout(self) -> bool:
        """Work out the widths for the current size; True when they changed."""
        names = [r.name for r in self.rows_data]
        layout, narrow = heat_layout.widths(self._available(), heat_layout.longest(names))
        changed = layout != self._widths or narrow != self.narrow
        self._widths, self.narrow = layout, narrow
        return changed

    def on_resize(self, event: events.Resize) -> None:
        self._unbuilt = False
        if self._layout():
            self._rebuild()

    # cells -----------------------------------------------------------------------------------

    def _drawing_now(self) -> _Drawing:
        """How this build draws its cells."""
        return _Drawing(dict(self._widths), self._shared, self.narrow, self._ramp())

    def _ramp(self) -> tuple[Color, Color]:
        """The shades run from the table's background to the theme's primary colour, so every
        theme, light or dark, gets a light-to-dark (or dark-to-bright) scale of one hue."""
        theme = self.app.theme_variables
        base = Color.parse(theme.get("surface", theme.get("background", "#000000")))
        ink = Color.parse(theme.get("primary", "#0178d4"))
        return base, ink

    def notify_style_update(self) -> None:
        """Restyled (another theme): the cells' shades follow the new theme's colours, here
        too when the map is off screen (a screen built ahead, `screens_ahead`)."""
        super().notify_style_update()
        drawing = self._drawing
        if drawing is not None and (ramp := self._ramp()) != drawing.ramp:
            self._drawing = _Drawing(drawing.widths, drawing.shared, drawing.narrow, ramp)
            self._drawn = {}

    def _label(self, column: str) -> Text:
        label = heat_layout.label(column, self.narrow)
        if column == self.sort_column:
            label += "▼" if self.sort_reverse else "▲"
        width = self._widths.get(column, len(label))
        if column in ("name", "stage"):
            return Text(f" {label}", style="bold")
        return Text(label.center(width), style="bold")

    def show(
        self,
        rows: Sequence[scoring.HeatRow],
        *,
        in_board_order: bool = False,
        shared: dict[str, int] | None = None,
    ) -> None:
        """Show `rows`; `in_board_order`: they are in board order already (the overview's
        are), which every sort then takes as its tie-break without sorting them again;
        `shared`: `name_fit.shared_prefixes` of their names, when worked out already (off
        the app's thread)."""
        self.rows_data = list(rows) if in_board_order else scoring.sort_heat_rows(rows, "stage")
        if shared is None:
            shared = name_fit.shared_prefixes([r.name for r in self.rows_data])
        self._shared = shared
        if not self.size.width:
            # not laid out yet (the screen opening, or under its loading indicator): its first
            # frame builds the table at the right widths (`render_lines`), instead of building
            # it twice, or showing a first frame without it
            self._widths = {}
            self._unbuilt = True
            self._scrollbar_ahead()
            return
        self._layout()
        self._rebuild()

    def _scrollbar_ahead(self) -> None:
        """The rows are known before the widths: in a box of fixed height, whether they
        overflow it is too. The scrollbar is then laid out with the first frame: it appeared
        after it, each appearance laying the screen out again, twice."""
        height = self.styles.height
        if height is None or not height.is_cells:
            return
        lines = len(self.rows_data) + 1  # the header, then the rows
        self.virtual_size = Size(self.virtual_size.width, lines)
        self.show_vertical_scrollbar = lines > int(height.value) - self.styles.gutter.height

    #: rows were shown before the map had a size: built when it first draws
    _unbuilt = False

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._unbuilt and self.size.width:
            self._unbuilt = False
            self._layout()
            self._rebuild()
        return super().render_lines(crop)

    def _rebuild(self) -> None:
        """Show `rows_data` in the sort's order at the current widths, as one update (no
        cell is drawn here): the cursor stays on its initiative and in its column."""
        keep_id, keep_column = self.cursor_id, self.cursor_column
        self._order = scoring.sort_heat_rows(
            self.rows_data, self.sort_column, self.sort_reverse, in_board_order=True
        )
        self._columns = dict(self._widths)
        self._drawing = self._drawing_now()
        self._drawn = {}
        ids = self.row_ids
        row = ids.index(keep_id) if keep_id in ids else 0
        column = min(keep_column, len(self._columns) - 1)
        labels = [self._label(c) for c in self._columns]
        self.show_rows(list(self._columns.values()), labels, len(ids), Coordinate(row, column))

    # sorting and jumping -----------------------------------------------------------------------

    def sort_by(self, column: str) -> None:
        """Sort by `column`; the same column again reverses the order."""
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self._rebuild()

    def action_sort_column(self) -> None:
        self.sort_by(scoring.HEAT_COLUMNS[self.cursor_column])

    def action_sort_step(self, step: int) -> None:
        """Move the sort to the next / previous column (wrapping), ascending."""
        columns = scoring.HEAT_COLUMNS
        at = (columns.index(self.sort_column) + step) % len(columns)
        self.sort_column, self.sort_reverse = columns[at], False
        self._rebuild()

    def header_clicked(self, column: int) -> None:
        self.sort_by(scoring.HEAT_COLUMNS[column])

    def cell_selected(self) -> None:
        initiative_id = self.cursor_id
        if initiative_id is not None:
            self.post_message(self.Jump(initiative_id))


class _Drawing:
    """How one build of the heat map draws a row: the column widths, the names' shared
    starts, the narrow labels and the colour ramp (no reference to the table)."""

    def __init__(
        self,
        widths: dict[str, int],
        shared: dict[str, int],
        narrow: bool,
        ramp: tuple[Color, Color],
    ) -> None:
        self.widths = widths
        self.shared = shared
        self.narrow = narrow
        self.ramp = ramp
        #: (shade, bold) -> the cell style: a handful, worked out once each
        self.styles: dict[tuple[float, bool], Style] = {}

    def shaded(self, text: str, level: float | None, width: int, *, bold: bool = False) -> Text:
        cell = f" {text} ".center(width) if width > len(text) + 2 else text.center(width)
        if level is None:
            return Text(cell, style="dim")
        style = self.styles.get((level, bold))
        if style is None:
            base, ink = self.ramp
            bg = base.blend(ink, level)
            fg = bg.get_contrast_text(1.0)
            style = self.styles[(level, bold)] = Style(bgcolor=bg.hex, color=fg.hex, bold=bold)
        return Text(cell, style=style)

    def cells(self, row: scoring.HeatRow) -> list[Text]:
        w = self.widths
        name = heat_layout.fit_name(row.name, w["name"], self.shared.get(row.name, 0))
        stage = heat_layout.stage_label(row.stage, self.narrow)
        cells = [Text(f" {name}"), Text(f" {stage}")]
        for cid, met, mx in row.categories:
            cells.append(self.shaded(f"{met}/{mx}", heat_layout.shade_share(met / mx), w[cid]))
        total_share = 1.0 if row.passing else row.total / method.MAX_SCORE
        cells.append(
            self.shaded(
                method.score_text(row.total),
                heat_layout.shade_share(total_share),
                w["total"],
                bold=row.passing,
            )
        )
        for tid, ok in row.tests:
            cells.append(self.shaded(MARKS[ok], heat_layout.result_share(ok), w[tid]))
        return cells
