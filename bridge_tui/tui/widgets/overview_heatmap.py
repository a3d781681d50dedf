"""The heat map: initiatives x the five score categories, the total and the four tests.

A DataTable (line API, so a few thousand rows stay fast). Its columns size to the terminal
(`heat_layout.widths`): names whole when there is room, short labels and a narrower name
column at 80 columns, so Total and the four tests stay on screen. Each score is a shaded
cell with its number inside, on a light-to-dark ramp of one hue (readable by brightness
alone: colour-blind viewers, a projector). Sorting uses `scoring.heat_sort_key`: `s` sorts by
the column under the cursor (again: reverse), `<` / `>` move the sort to the previous / next
column without moving the cursor, a click on a header sorts by it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import cast

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, Row, RowKey

from bridge_tui import method, scoring
from bridge_tui.tui.widgets import heat_layout, name_fit

MARKS = {True: "✓", False: "✗", None: "?"}


class HeatMap(DataTable[Text]):
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

    def __init__(self, **kw: object) -> None:
        super().__init__(
            cursor_type="cell",
            zebra_stripes=True,
            cell_padding=0,
            # the cursor shows over a shaded cell too
            cursor_foreground_priority="css",
            cursor_background_priority="css",
            **kw,  # type: ignore[arg-type]
        )
        self.rows_data: list[scoring.HeatRow] = []
        self.sort_column = "stage"
        self.sort_reverse = False
        self.narrow = True
        self._widths: dict[str, int] = {}
        self._shared: dict[str, int] = {}

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
        if self._layout():
            self._rebuild()

    # cells -----------------------------------------------------------------------------------

    def _drawing(self) -> _Drawing:
        """How this build draws its cells. The shades run from the table's background to the
        theme's primary colour, so every theme, light or dark, gets a light-to-dark (or
        dark-to-bright) scale of one hue."""
        theme = self.app.theme_variables
        base = Color.parse(theme.get("surface", theme.get("background", "#000000")))
        ink = Color.parse(theme.get("primary", "#0178d4"))
        return _Drawing(dict(self._widths), self._shared, self.narrow, (base, ink))

    def _label(self, column: str) -> Text:
        label = heat_layout.label(column, self.narrow)
        if column == self.sort_column:
            label += "▼" if self.sort_reverse else "▲"
        width = self._widths.get(column, len(label))
        if column in ("name", "stage"):
            return Text(f" {label}", style="bold")
        return Text(label.center(width), style="bold")

    def show(self, rows: Sequence[scoring.HeatRow]) -> None:
        self.rows_data = list(rows)
        self._shared = name_fit.shared_prefixes([r.name for r in self.rows_data])
        if not self.size.width:
            # not laid out yet (it was under its loading indicator): its first Resize builds
            # the table at the right widths, instead of building it twice
            self._widths = {}
            return
        self._layout()
        self._rebuild()

    def _rebuild(self) -> None:
        keep_col = self.cursor_column
        current_id: str | None = None
        if self.row_count and 0 <= self.cursor_row < self.row_count:
            current_id = str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        self.clear(columns=True)
        for column in scoring.HEAT_COLUMNS:
            # fixed widths: no measuring of every cell, so a thousand rows stay quick
            self.add_column(self._label(column), key=column, width=self._widths[column])
        ordered = scoring.sort_heat_rows(self.rows_data, self.sort_column, self.sort_reverse)
        self._add_rows_at_once(ordered, self._drawing())
        if not ordered:
            return
        ids = [r.initiative_id for r in ordered]
        target_row = ids.index(current_id) if current_id in ids else 0
        self.move_cursor(row=target_row, column=min(keep_col, len(scoring.HEAT_COLUMNS) - 1))

    def _add_rows_at_once(self, rows: Sequence[scoring.HeatRow], drawing: _Drawing) -> None:
        """`add_row` for every row, as one update. DataTable's `add_row` re-sets the cursor (a
        reactive, with its watchers) and lists the columns twice per row, and each row would
        need its ten styled cells up front: seconds for 9,000 rows. Here the bookkeeping is
        `add_row`'s own, done once, and each row's cells are a `_LazyRow`, drawn when the row
        first comes into view (three small objects a row, so no garbage-collector pause
        either). The rows are not queued for measuring (`add_row` queues each, and DataTable
        then reads every cell to widen auto-width columns and size auto-height rows): every
        column here has a fixed width and every row is one line, so DataTable's own update of
        the dimensions, asked for once, only recomputes the scrollable size. Textual is pinned
        exactly; the tests check every row is there, in order, and scrolls into view."""
        if not rows:
            return
        at = {column.key: index for index, column in enumerate(self.ordered_columns)}
        start = self.row_count
        for offset, row in enumerate(rows):
            row_key = RowKey(row.initiative_id)
            self._row_locations[row_key] = start + offset
            self._data[row_key] = cast("dict[ColumnKey, Text]", _LazyRow(drawing, row, at))
            self.rows[row_key] = Row(row_key, 1)
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if start == 0 and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self._update_count += 1
        self.check_idle()

    # sorting ---------------------------------------------------------------------------------

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

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.post_message(self.Jump(str(event.cell_key.row_key.value)))


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


class _LazyRow(Mapping[ColumnKey, Text]):
    """One row's cells as DataTable holds them (column key -> cell), drawn the first time
    the row is read: a row that never scrolls into view costs one object, not ten texts."""

    __slots__ = ("_at", "_drawing", "_drawn", "_row")

    def __init__(self, drawing: _Drawing, row: scoring.HeatRow, at: dict[ColumnKey, int]) -> None:
        self._drawing = drawing
        self._row = row
        self._at = at
        self._drawn: list[Text] | None = None

    def __getitem__(self, key: ColumnKey) -> Text:
        index = self._at[key]
        if self._drawn is None:
            self._drawn = self._drawing.cells(self._row)
        return self._drawn[index]

    def __iter__(self) -> Iterator[ColumnKey]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)
