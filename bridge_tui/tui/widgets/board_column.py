"""One stage column of the board: a line-API scroll view that draws only the cards on screen.

Cards have a height known from the initiative and its flags (see `board_card.height`), so a
column of thousands lays out with arithmetic; a card is scored and drawn only when it scrolls
into view. The widget is dumb: the screen pushes initiatives, a scorer and a flagger down,
moves the cursor, and listens for `BoardColumn.CardClicked`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from bridge_tui import scoring
from bridge_tui.tui.widgets import board_card, name_fit

if TYPE_CHECKING:
    from bridge_tui.board_model import Shown

Scorer = Callable[["Shown"], scoring.Card]
#: the card's flags (`board_card.flags`, with its sustain flags), cheap: called for every card
#: on a layout
Flagger = Callable[["Shown"], tuple[str, ...]]
#: the flags of many cards at once (a column's layout asks for all of its cards' flags)
FlagAll = Callable[[Sequence["Shown"]], list[tuple[str, ...]]]

#: (initiative id, revision, flags) -> a card's height at one text width
Heights = dict[tuple[str, int, tuple[str, ...]], int]

#: cells taken by the selection bar on the left and the margin on the right
GUTTER = 2


class StageTitle(Widget):
    """A column header: the stage and its count, the label shortened before the count is."""

    DEFAULT_CSS = "StageTitle { height: 1; }"

    def __init__(self, label: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.count = ""

    def set_count(self, count: str) -> None:
        if count != self.count:
            self.count = count
            self.refresh()

    def render(self) -> Content:
        return Content(self._text())

    def _text(self) -> str:
        width = max(1, self.content_region.width)
        text = f"{self.label} {self.count}"
        if len(text) + 2 <= width:
            return f" {text}"
        if len(text) + 1 <= width:
            return text
        short = f"{name_fit.short_stage(self.label)} {self.count}"
        if len(short) + 1 <= width:  # "Infra 2" reads whole where "Infrastructu… 2" did not
            return f" {short}" if len(short) + 2 <= width else short
        room = width - len(self.count) - 2
        return f"{board_card.fit(self.label, room)} {self.count}" if room > 0 else self.count


class BoardColumn(ScrollView, can_focus=False, inherit_bindings=False):
    """The cards of one stage. Keys live on the screen; this widget only draws and reports.

    It never takes focus: moving the selection between columns must not move the focus,
    because every focus change rebuilds the footer and restyles the screen (slow at scale).
    The screen marks the column holding the selection `active` instead.
    """

    COMPONENT_CLASSES = {
        "board-column--card",
        "board-column--cursor",
        "board-column--bar",
        "board-column--name",
        "board-column--owner",
        "board-column--no-owner",
        "board-column--pass",
        "board-column--fail",
        "board-column--muted",
        "board-column--flag",
        "board-column--test-yes",
        "board-column--test-no",
        "board-column--test-unknown",
        "board-column--empty",
    }

    class CardClicked(Message):
        """A card was clicked (`index` -1: the empty space below the cards); `open` is True
        for a click on the selected card or a double click."""

        def __init__(self, column: BoardColumn, index: int, open: bool) -> None:
            super().__init__()
            self.column = column
            self.index = index
            self.open = open

        @property
        def control(self) -> BoardColumn:
            return self.column

    def __init__(
        self,
        stage: str,
        scorer: Scorer,
        flagger: Flagger,
        today: date,
        *,
        flag_all: FlagAll | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.stage = stage
        self.scorer = scorer
        self.flagger = flagger
        self.flag_all: FlagAll = flag_all or (lambda items: [flagger(i) for i in items])
        self.today = today
        self.items: list[Shown] = []
        self.cursor = 0
        self.empty_text = "No initiatives"
        #: name -> leading characters it shares with another name on the board, so a cut
        #: name keeps the part that tells it apart (`name_fit`); set by the screen
        self.shared: dict[str, int] = {}
        #: the column holding the board's selection: only it draws its cursor
        self.active = False
        self._index: dict[str, int] | None = None
        #: (initiative id, revision, flags) -> card height at `_heights_width`: a move
        #: re-lays out two columns without measuring every card again
        self._height_cache: Heights = {}
        self._heights_width = -1
        self._offsets: list[int] = []
        self._heights: list[int] = []
        self._layout_width = -1
        self._strips: LRUCache[
            tuple[str, int, int, bool, bool, tuple[str, ...], int], list[Strip]
        ] = LRUCache(512)
        #: `rich_style` (it walks every ancestor's background): worked out once per restyle,
        #: not once per line drawn
        self._base: Style | None = None
        #: selected or not -> component name ("" for the card's own) -> its style on a card:
        #: Textual works a component's style out anew on each call, and a card has a dozen
        self._card_styles: dict[bool, dict[str, Style]] = {}
        #: while `render_lines` draws: the text width, and the lines of each card drawn so far
        self._drawing: tuple[int, dict[int, list[Strip]]] | None = None

    # data from the screen ----------------------------------------------------------------

    def set_items(
        self,
        items: list[Shown],
        cursor: int = 0,
        *,
        fresh: bool = False,
        heights: tuple[int, Heights] | None = None,
    ) -> None:
        """`fresh`: the data was reloaded, so flags (from answers and history, not only the
        initiative's revision) may have changed: measure every card again, unless a worker
        measured them with the read (`heights`: the text width and the heights at it)."""
        if fresh:
            self._height_cache = {}
        if heights is not None:
            self._heights_width, self._height_cache = heights
        self.items = items
        self._index = None
        self.cursor = max(0, min(cursor, len(items) - 1)) if items else 0
        if fresh:
            # a reload: a card may score differently at the same revision (its answers
            # changed). Otherwise (a filter, a move) every drawn card is still what its key
            # says, and the cards the column showed before draw without being made again.
            self._strips.clear()
        self._lay_out_again()

    def set_today(self, today: date) -> None:
        """The day the cards count their days in stage from: a new one draws and measures
        every card again."""
        if today == self.today:
            return
        self.today = today
        self._strips.clear()
        self._height_cache = {}
        self._lay_out_again()

    def _lay_out_again(self) -> None:
        self._layout_width = -1
        self._relayout()
        self.refresh()

    @property
    def current(self) -> Shown | None:
        return self.items[self.cursor] if self.items else None

    def index_of(self, initiative_id: str) -> int | None:
        if self._index is None:
            self._index = {i.id: n for n, i in enumerate(self.items)}
        return self._index.get(initiative_id)

    def index_in(self, items: list[Shown], initiative_id: str) -> int | None:
        """Where `initiative_id` sits in `items` (a list about to replace this column's)."""
        if items is self.items:
            return self.index_of(initiative_id)
        return next((n for n, i in enumerate(items) if i.id == initiative_id), None)

    # geometry ------------------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        region = self.scrollable_content_region
        width = region.width
        if not self.show_vertical_scrollbar and len(self.items) > region.height:
            # more cards than lines (each takes at least one): the scrollbar is coming, so
            # lay the cards out at the width they will have (not twice, before and after it)
            width -= self.styles.scrollbar_size_vertical
        return max(1, width - GUTTER)

    def _relayout(self) -> None:
        if not self.size.width:
            # not laid out yet (or hidden, as the Killed column is): measuring every card at
            # a width of 1 would be thrown away; one line each until it has a width
            self._layout_width = -1
            self._heights = [1] * len(self.items)
            self._offsets = list(range(len(self.items)))
            return
        width = self.text_width
        if width == self._layout_width:
            return
        self._layout_width = width
        if width != self._heights_width:
            self._height_cache = {}
            self._heights_width = width
        cache = self._height_cache
        heights = []
        for i, extra in zip(self.items, self.flag_all(self.items), strict=True):
            h = cache.get((i.id, i.revision, extra))
            if h is None:
                h = cache[(i.id, i.revision, extra)] = board_card.height(
                    i, self.today, width, extra
                )
            heights.append(h)
        offsets: list[int] = []
        y = 0
        for h in heights:
            offsets.append(y)
            y += h
        self._heights, self._offsets = heights, offsets
        self._set_virtual_size(Size(self.scrollable_content_region.width, max(y - 1, 0)))

    def _set_virtual_size(self, size: Size) -> None:
        """The cards' new extent, without a layout of the screen: the column's box is fixed
        (`1fr`), so a new extent changes only its scrollbar (Textual's `virtual_size` lays the
        whole screen out, on every move and filter keystroke). Should the scrollbar appear or
        go, Textual lays the screen out for that itself (`show_vertical_scrollbar`)."""
        if size == self.virtual_size:
            return
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._relayout()
        self.scroll_to_cursor(animate=False)

    def card_region(self, index: int) -> Region:
        if not self.items:
            return Region(0, 0, 1, 1)
        self._relayout()
        return Region(0, self._offsets[index], self.size.width, self._heights[index] - 1)

    def card_at(self, content_y: int) -> int | None:
        """Index of the card drawn at `content_y` (virtual coordinates), if any."""
        if not self.items:
            return None
        self._relayout()
        n = bisect_right(self._offsets, content_y) - 1
        if n < 0 or content_y >= self._offsets[n] + self._heights[n] - 1:
            return None
        return n

    def cursor_screen_y(self) -> int:
        """Where the selected card sits in the viewport (for moving across columns)."""
        if not self.items:
            return 0
        return self.card_region(self.cursor).y - round(self.scroll_y)

    def index_near(self, viewport_y: int) -> int:
        """The card shown nearest to a row of the viewport."""
        if not self.items:
            return 0
        self._relayout()
        y = viewport_y + round(self.scroll_y)
        n = max(0, bisect_right(self._offsets, y) - 1)
        return min(n, len(self.items) - 1)

    def move_cursor(self, index: int) -> None:
        if not self.items:
            return
        index = max(0, min(index, len(self.items) - 1))
        if index != self.cursor:
            old = self.cursor
            self.cursor = index
            self._refresh_card(old)
            self._refresh_card(index)
        self.scroll_to_cursor()

    def page_size(self) -> int:
        """About how many cards a page holds."""
        if not self.items:
            return 1
        avg = max(1, sum(self._heights[:50]) // max(1, len(self._heights[:50])))
        return max(1, self.scrollable_content_region.height // avg)

    def scroll_to_cursor(self, animate: bool = False) -> None:
        if self.items:
            self.scroll_to_region(self.card_region(self.cursor), animate=animate, immediate=True)

    def _refresh_card(self, index: int) -> None:
        if 0 <= index < len(self.items):
            region = self.card_region(index).translate((0, -round(self.scroll_y)))
            self.refresh(region)

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self._strips.clear()
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.card_at(offset.y + round(self.scroll_y))
        if index is None:
            self.post_message(self.CardClicked(self, -1, False))
            return
        was_selected = index == self.cursor and self.active
        self.post_message(self.CardClicked(self, index, was_selected or event.chain >= 2))

    # drawing -------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._base = None
        self._card_styles.clear()

    @property
    def base_style(self) -> Style:
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual asks `render_line` for every line of `crop` in turn. What the lines share
        (the layout, the width) is worked out once for them all, and each card's lines once,
        not once per line of it (a card is 4 to 6 lines): a third of drawing a column."""
        self._relayout()
        self._drawing = (self.scrollable_content_region.width, {})
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    def render_line(self, y: int) -> Strip:
        drawing = self._drawing
        if drawing is None:  # asked for one line, outside `render_lines`
            self._relayout()
            drawing = (self.scrollable_content_region.width, {})
        width, drawn = drawing
        base = self.base_style
        content_y = y + round(self.scroll_y)
        if not self.items:
            if y == 1:
                style = base + self.get_component_rich_style("board-column--empty")
                text = board_card.fit(self.empty_text, max(1, width - GUTTER))
                return Strip([Segment("  " + text, style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        n = bisect_right(self._offsets, content_y) - 1
        if n < 0 or n >= len(self.items):
            return Strip.blank(width, base)
        row = content_y - self._offsets[n]
        strips = drawn.get(n)
        if strips is None:
            strips = drawn[n] = self._card_strips(n, width)
        if row >= len(strips):
            return Strip.blank(width, base)
        return strips[row]

    def _card_strips(self, index: int, width: int) -> list[Strip]:
        item = self.items[index]
        selected = self.active and index == self.cursor
        extra = self.flagger(item)
        shared = self.shared.get(item.name, 0)
        key = (item.id, item.revision, width, selected, self.active, extra, shared)
        cached = self._strips.get(key)
        if cached is not None:
            return cached
        card = self.scorer(item)
        text_width = max(1, width - GUTTER)
        styles = self._card_styles.get(selected)
        if styles is None:
            styles = self._card_styles[selected] = {}
        base = styles.get("")
        if base is None:
            base = self.base_style + self.get_component_rich_style("board-column--card")
            if selected:
                base = base + self.get_component_rich_style("board-column--cursor")
            styles[""] = base

        def style_of(name: str) -> Style:
            found = styles.get(name)
            if found is None:
                found = styles[name] = base + self.get_component_rich_style(f"board-column--{name}")
            return found

        bar_style = style_of("bar")
        strips: list[Strip] = []
        for line in board_card.lines(card, self.today, text_width, flags=extra, shared=shared):
            segments = [Segment("▌" if selected else " ", bar_style), Segment(" ", base)]
            segments += [Segment(text, style_of(style)) for text, style in line]
            strips.append(Strip(segments).adjust_cell_length(width, base))
        self._strips[key] = strips
        return strips
