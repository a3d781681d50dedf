"""The change history: who changed what, when, from what to what, newest first.

One DataTable (line API, so a long history scrolls smoothly). It shows the selected initiative's
history, or the whole file's (`a` toggles), optionally only one person's changes (`f` cycles
through everyone in the log). Live refresh reloads it in place, keeping the highlighted row.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from bridge_tui.errors import BridgeError
from bridge_tui.service.sharing import HistoryEntry
from bridge_tui.tui.screens.base import REFUSED, BridgeScreen
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets import history_layout
from bridge_tui.tui.widgets.find_bar import FindBar
from bridge_tui.tui.widgets.footer import BridgeFooter

#: the whole file's history is long; the table shows the newest entries
WHOLE_FILE_LIMIT = 2000


class HistoryScreen(BridgeScreen):
    CSS_PATH = sheets("history.tcss")
    BINDINGS = [
        Binding("escape", "back", "Back", id="history.back"),
        Binding("a", "toggle_scope", "Initiative/file", id="history.toggle_scope"),
        Binding("f", "cycle_author", "Person", id="history.cycle_author"),
        Binding("F", "clear_author", "Everyone", show=False, id="history.clear_author"),
        Binding(
            "slash",
            "search",
            "Search",
            key_display="/",
            tooltip="Show only the rows whose text contains what you type (any column)",
            id="history.search",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: "initiative" (the app's selected one) or "file"
        self.scope = "initiative"
        self.author: str | None = None
        self.entries_shown = 0
        self._entries: dict[str, HistoryEntry] = {}
        #: `/`: only rows whose shown text contains this (case-insensitive)
        self.search_text = ""
        self._rows: list[dict[str, str]] = []
        self._columns: tuple[str, ...] = ()
        #: the width the columns were last sized for (`_lay_out`)
        self._laid_for = 0
        #: the search bar, mounted on the first `/` (the opening does without its widgets)
        self.search_bar: FindBar | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="history-scope-line", markup=False)
        table: DataTable[str] = DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="history-detail", markup=False)
        yield BridgeFooter()

    def on_mount(self) -> None:
        table = self.query_one("#history-table", DataTable)
        if self.bridge.selected_id is None:
            self.scope = "file"
        self.refresh_data()
        table.focus()

    # data ------------------------------------------------------------------------------------

    def _initiative_name(self) -> str | None:
        sid = self.bridge.selected_id
        if sid is None:
            return None
        try:
            return self.service.initiative(sid).name
        except BridgeError:
            return None

    def refresh_data(self) -> None:
        table = self.query_one("#history-table", DataTable)
        keep = None
        if table.row_count and table.cursor_row >= 0:
            try:
                keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            except Exception:
                keep = None
        name = self._initiative_name() if self.scope == "initiative" else None
        if self.scope == "initiative" and name is None:
            self.scope = "file"
        if self.scope == "initiative":
            entries = self.attempt(self.service.history, self.bridge.selected_id, self.author)
        else:
            entries = self.attempt(self.service.history, None, self.author, limit=WHOLE_FILE_LIMIT)
        if entries is REFUSED:
            return
        today = self.service.today()
        needle = self.search_text.casefold()
        total = len(entries)
        rows: list[dict[str, str]] = []
        shown: list[HistoryEntry] = []
        for e in entries:
            local = e.at.astimezone()
            when = local.strftime("%H:%M today") if local.date() == today else None
            row = {
                "when": when or local.strftime("%Y-%m-%d %H:%M"),
                "who": e.author,
                "initiative": e.initiative,
                "what": e.what,
                "from": e.old,
                "to": e.new,
            }
            if needle and not any(needle in c.casefold() for c in row.values()):
                continue
            shown.append(e)
            rows.append(row)
        entries = shown
        self._rows = rows
        self._lay_out(table)
        for e, row in zip(entries, rows, strict=True):
            table.add_row(*(Text(row[c]) for c in self._columns), key=e.change_id)
        self._entries = {e.change_id: e for e in entries}
        self.entries_shown = len(entries)
        where = f"{name}" if name else "the whole file"
        who = f", only {self.author}'s changes" if self.author else ""
        more = (
            f" (newest {WHOLE_FILE_LIMIT})"
            if self.scope == "file" and len(entries) >= WHOLE_FILE_LIMIT
            else ""
        )
        count = f"{len(entries)} change{'s' if len(entries) != 1 else ''}{more}"
        if needle:
            count = f"{len(entries)} of {total} changes match “{self.search_text}”{more}"
        self.query_one("#history-scope-line", Static).update(
            Text(f"History of {where}{who}: {count}, newest first.")
        )
        if keep is not None and keep in self._entries:
            table.move_cursor(row=table.get_row_index(keep))
        self._show_detail()
        if not entries:
            self.query_one("#history-detail", Static).update(
                Text(f"No change matches “{self.search_text}”; escape clears the search.")
                if needle
                else "No changes" + (f" by {self.author}" if self.author else "") + " yet."
            )

    def _lay_out(self, table: DataTable[str]) -> None:
        """Empty the table and give it the columns of this view, sized to the terminal."""
        with_initiative = self.scope == "file"
        self._columns = history_layout.columns(with_initiative)
        longest = {c: max((len(r[c]) for r in self._rows), default=0) for c in self._columns}
        available = self._laid_for = self._available(table)
        widths = history_layout.widths(
            available, longest, with_initiative=with_initiative, padding=2 * table.cell_padding
        )
        table.clear(columns=True)
        for column in self._columns:
            table.add_column(history_layout.LABELS[column], key=column, width=widths[column])

    def _available(self, table: DataTable[str]) -> int:
        """The width the columns share: the table's beside its scrollbar (before the table is
        laid out, as the screen opens: the terminal's, which the table spans)."""
        width = table.size.width or self.app.size.width
        return width - table.styles.scrollbar_size_vertical

    def on_resize(self, event: events.Resize) -> None:
        """Columns sized again for a new width. The screen's first Resize, just after its
        first frame, comes at the width they were sized for as it opened: the table was
        emptied, filled and drawn again for nothing."""
        if self._available(self.query_one("#history-table", DataTable)) != self._laid_for:
            self.call_after_refresh(self.refresh_data)

    def _show_detail(self) -> None:
        table = self.query_one("#history-table", DataTable)
        detail = self.query_one("#history-detail", Static)
        if not table.row_count:
            detail.update("")
            return
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            detail.update("")
            return
        entry = self._entries.get(str(key))
        if entry is None:
            detail.update("")
            return
        when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
        detail.update(Text(f"{when}  {entry.author}: {entry.description}"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    # actions ---------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Escape: clears the search first, then leaves."""
        if self.has_class("-searching") or self.search_text:
            self._clear_search()
            return
        self.app.pop_screen()

    async def action_search(self) -> None:
        bar = self.search_bar = await FindBar.on(
            self, self.search_bar, "history-search", "Search:", "any text of a row"
        )
        self.add_class("-searching")
        bar.input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "history-search":
            return
        event.stop()
        self.search_text = event.value.strip()
        self._reload_from_top()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter keeps the filter and goes back to the rows."""
        if event.input.id != "history-search":
            return
        event.stop()
        if not self.search_text:
            self.remove_class("-searching")
        self.query_one("#history-table", DataTable).focus()

    def _clear_search(self) -> None:
        had = bool(self.search_text)
        self.search_text = ""
        if self.search_bar is not None:
            field = self.search_bar.input
            with field.prevent(Input.Changed):
                field.value = ""
        self.remove_class("-searching")
        self.query_one("#history-table", DataTable).focus()
        if had:
            self._reload_from_top()

    def action_toggle_scope(self) -> None:
        if self.scope == "file":
            if self._initiative_name() is None:
                self.notify(
                    "Select an initiative on the board first.", severity="warning", markup=False
                )
                return
            self.scope = "initiative"
        else:
            self.scope = "file"
        self._reload_from_top()

    def _reload_from_top(self) -> None:
        """A new view (scope or person) starts at its newest entry."""
        self.refresh_data()
        table = self.query_one("#history-table", DataTable)
        if table.row_count:
            table.move_cursor(row=0, animate=False)
        table.scroll_home(animate=False)
        self._show_detail()

    def action_cycle_author(self) -> None:
        people = self.service.history_authors()
        if not people:
            return
        if self.author not in people:
            self.author = people[0]
        else:
            n = people.index(self.author) + 1
            self.author = people[n] if n < len(people) else None
        self._reload_from_top()

    def action_clear_author(self) -> None:
        self.author = None
        self._reload_from_top()
