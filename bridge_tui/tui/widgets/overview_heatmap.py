"""The heat map: initiatives x the five score categories, the total and the four tests.

A DataTable (line API, so a few thousand rows stay fast). Sorting uses `scoring.heat_sort_key`:
`s` sorts by the column under the cursor (again: reverse), a click on a header does the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from bridge_tui import method, scoring

COLUMN_LABELS: dict[str, str] = {
    "name": "Initiative",
    "stage": "Stage",
    "data": "Data",
    "governance": "Gov",
    "operations": "Ops",
    "security": "Sec",
    "team": "Team",
    "total": "Total",
    "embedded": "Emb",
    "owned": "Own",
    "measured": "Meas",
    "maintained": "Maint",
}
NAME_WIDTH = 26
COLUMN_WIDTHS: dict[str, int] = {
    "name": NAME_WIDTH,
    "stage": 14,
    **dict.fromkeys(("data", "governance", "operations", "security", "team"), 4),
    "total": 8,
    **dict.fromkeys(("embedded", "owned", "measured"), 4),
    "maintained": 5,
}


class HeatMap(DataTable[Text]):
    BINDINGS = [
        Binding("s", "sort_column", "Sort", tooltip="Sort by the column under the cursor"),
    ]

    class Jump(Message):
        def __init__(self, initiative_id: str) -> None:
            super().__init__()
            self.initiative_id = initiative_id

    def __init__(self, **kw: object) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kw)  # type: ignore[arg-type]
        self.rows_data: list[scoring.HeatRow] = []
        self._colours: dict[str, str] = {}
        self.sort_column = "stage"
        self.sort_reverse = False

    # colours come from the theme, so every theme keeps the map readable
    def _colour(self, band: scoring.Band) -> str:
        return self._colours.get(band, "")

    def _load_colours(self) -> None:
        """Read the theme's colours once per rebuild, not once per cell."""
        theme = self.app.theme_variables
        self._colours = {
            band: theme.get(var, "")
            for band, var in (("pass", "success"), ("warn", "warning"), ("fail", "error"))
        }

    def _cells(self, row: scoring.HeatRow) -> list[Text]:
        name = row.name if len(row.name) <= NAME_WIDTH else row.name[: NAME_WIDTH - 1] + "…"
        cells = [Text(name), Text(method.STAGE_BY_ID[row.stage].label)]
        for _cid, met, mx in row.categories:
            cells.append(
                Text(
                    f"{met}/{mx}", style=self._colour(scoring.share_band(met / mx)), justify="right"
                )
            )
        total_band: scoring.Band = "pass" if row.passing else "fail"
        cells.append(
            Text(
                method.score_text(row.total),
                style=f"bold {self._colour(total_band)}",
                justify="right",
            )
        )
        for _tid, ok in row.tests:
            if ok is True:
                cells.append(Text("✓", style=self._colour("pass"), justify="center"))
            elif ok is False:
                cells.append(Text("✗", style=self._colour("fail"), justify="center"))
            else:
                cells.append(Text("?", style="dim", justify="center"))
        return cells

    def _label(self, column: str) -> Text:
        label = COLUMN_LABELS[column]
        if column == self.sort_column:
            label += " ▼" if self.sort_reverse else " ▲"
        return Text(label, style="bold")

    def show(self, rows: Sequence[scoring.HeatRow]) -> None:
        self.rows_data = list(rows)
        self._rebuild()

    def _rebuild(self) -> None:
        keep_row = self.cursor_row
        keep_col = self.cursor_column
        current_id: str | None = None
        if self.row_count and 0 <= keep_row < self.row_count:
            current_id = str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        self.clear(columns=True)
        self._load_colours()
        for column in scoring.HEAT_COLUMNS:
            # fixed widths: no measuring of every cell, so a thousand rows stay quick
            self.add_column(self._label(column), key=column, width=COLUMN_WIDTHS[column])
        ordered = scoring.sort_heat_rows(self.rows_data, self.sort_column, self.sort_reverse)
        for row in ordered:
            self.add_row(*self._cells(row), key=row.initiative_id)
        if not ordered:
            return
        ids = [r.initiative_id for r in ordered]
        target_row = ids.index(current_id) if current_id in ids else 0
        self.move_cursor(row=target_row, column=min(keep_col, len(scoring.HEAT_COLUMNS) - 1))

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Every column has a fixed width and every row is one line, so skip Textual's
        measuring of each new cell (rows x columns renders: seconds at 10,000 initiatives) and
        only recompute the scrollable size. Textual is pinned exactly, so this hook is stable;
        a test checks the map still scrolls to its last row."""
        width = sum(c.get_render_width(self) for c in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header
        )

    def sort_by(self, column: str) -> None:
        """Sort by `column`; the same column again reverses the order."""
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self._rebuild()

    def action_sort_column(self) -> None:
        self.sort_by(scoring.HEAT_COLUMNS[self.cursor_column])

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.post_message(self.Jump(str(event.cell_key.row_key.value)))
