"""One chart of the Flow screen, drawn with textual-plotext, with a cursor on a bar or a band.

Dumb: the screen sets its `view` (a `ChartView`: labels, series, colours) and hears
`CursorMoved` when the arrows move the `cursor`. Plotext takes tens of milliseconds to draw a
chart (and a while to import), so both happen in a thread (a fresh plot each time) and the
widget shows the finished picture; until then it keeps the last one. Neither the app's start-up
nor the screen's first paint waits for plotext.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import work
from textual.actions import parse as parse_action
from textual.app import RenderResult
from textual.binding import Binding
from textual.color import Color
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]
    colour: str


@dataclass(frozen=True)
class ChartView:
    """What to draw. `kind` "stacked": one stacked bar per x (the cumulative flow diagram);
    "bars": the series side by side; the cursor picks an x and a series."""

    kind: str
    title: str
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    #: the x labels written under the axis (None: every label)
    ticks: tuple[int, ...] | None = None
    empty: str = "Nothing to draw yet."
    notes: tuple[str, ...] = field(default_factory=tuple)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


#: plotext keeps module-level state while it draws: one drawing at a time, whatever the thread
_PLOTEXT = threading.Lock()


_READY = False


def _plotext() -> None:
    """Import plotext (in the drawing thread, under `_PLOTEXT`). It drops duplicates through a
    `set`, so where it puts a tick label could change with Python's hash seed from one run to
    the next: keep the first-seen order instead (what its own source offers as the
    alternative), so a chart is drawn the same every time."""
    global _READY
    if _READY:
        return
    from plotext import _utility  # type: ignore[import-untyped]

    _utility.no_duplicates = lambda data: list(dict.fromkeys(data))
    _READY = True


def warm_up() -> None:
    """Import plotext and set it up ahead of its first use (the app does this, with the Flow
    screen's import, in a thread after its first paint)."""
    from textual_plotext.plot import Plot  # noqa: F401

    with _PLOTEXT:
        _plotext()


def theme_name(app_theme: str, surface: str, foreground: str) -> str:
    """A plotext theme with the app theme's background and text (registered once)."""
    from plotext._dict import themes  # type: ignore[import-untyped]
    from textual_plotext.plot import _rgbify_theme, _sequence

    name = f"textual-auto-{app_theme}"
    if name not in themes:
        back, text = Color.parse(surface).rgb, Color.parse(foreground).rgb
        sequence: Any = _sequence
        themes[name] = _rgbify_theme(back, back, text, "default", sequence)
    return name


def draw(
    view: ChartView,
    width: int,
    height: int,
    theme: tuple[str, str, str],
    cursor: tuple[int, int],
    highlight: str = "#ffffff",
) -> Text:
    """The chart as text: a fresh plot every time, one at a time (`_PLOTEXT`). The bar or
    band under the cursor is drawn in `highlight` (the theme's foreground)."""
    with _PLOTEXT:
        _plotext()
        from textual_plotext.plot import Plot

        plt = Plot()
        plt.theme(theme_name(*theme))
        plt.plotsize(width, height)
        plt._set_size(width, height)
        if not view.x_labels or not any(any(s.values) for s in view.series):
            plt.title(view.empty)
            return Text.from_ansi(plt.build())
        x_cur, s_cur = cursor
        xs = list(range(len(view.x_labels)))
        colours: Any = [_rgb(s.colour) for s in view.series]  # plotext takes a list; not its hints
        marked: Any = [_rgb(highlight) if n == s_cur else c for n, c in enumerate(colours)]
        rest = [[0 if x == x_cur else v for x, v in enumerate(s.values)] for s in view.series]
        # the bar under the cursor drawn again on top: same x positions, so plotext puts it in place
        only = [[v if x == x_cur else 0 for x, v in enumerate(s.values)] for s in view.series]
        if view.kind == "stacked":
            plt.stacked_bar(xs, rest, color=colours, width=1)
            plt.stacked_bar(xs, only, color=marked, width=1)
        else:
            # side by side bars: plotext cannot overlay one in place, so the x label under the
            # cursor is bracketed and the screen's legend marks the series
            plt.multiple_bar(xs, [list(s.values) for s in view.series], color=colours)
        labels = [
            f"[{label}]" if n == x_cur and view.kind == "bars" else label
            for n, label in enumerate(view.x_labels)
        ]
        ticks = view.ticks if view.ticks is not None else tuple(xs)
        plt.xticks([xs[t] for t in ticks], [labels[t] for t in ticks])
        if view.kind == "stacked":
            top = max(
                (sum(v) for v in zip(*(s.values for s in view.series), strict=True)), default=0
            )
        else:
            top = max((max(s.values) for s in view.series if s.values), default=0)
        step = max(1, round(top / max(1, min(5, height // 4))))
        plt.yticks(list(range(0, int(top) + step, step)))
        plt.ylim(0, max(1, top))
        plt.title(view.title)
        return Text.from_ansi(plt.build())


class FlowChart(Widget, can_focus=True):
    """A focusable chart: ← → move along the x axis, ↑ ↓ pick the band or series."""

    BINDINGS = [
        Binding("left", "move(-1, 0)", "Earlier", show=False, id="chart.earlier"),
        Binding("right", "move(1, 0)", "Later", show=False, id="chart.later"),
        Binding("up", "move(0, 1)", "Band up", show=False, id="chart.band_up"),
        Binding("down", "move(0, -1)", "Band down", show=False, id="chart.band_down"),
        Binding("home", "edge(0)", "First", show=False, id="chart.first"),
        Binding("end", "edge(1)", "Last", show=False, id="chart.last"),
    ]

    class CursorMoved(Message):
        def __init__(self, chart: FlowChart, x: int, series: int) -> None:
            super().__init__()
            self.chart = chart
            self.x = x
            self.series = series

        @property
        def control(self) -> FlowChart:
            return self.chart

    class Resized(Message):
        """The chart has a new size (its screen may fit more or fewer points in it)."""

    DEFAULT_CSS = """
    FlowChart {
        width: 1fr;
        height: 1fr;
    }
    """

    #: what to draw; setting it draws it again (a reload, even unchanged), the cursor staying
    #: where it was when it still fits. To start the cursor elsewhere with a new view, the
    #: screen sets the cursor first with `set_reactive` (drawn once, with the view)
    view: var[ChartView | None] = var(None, always_update=True, init=False)
    #: (x, series) under the cursor, kept within the view; setting another one redraws
    cursor: var[tuple[int, int]] = var((0, 0), init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._picture: Text = Text("")
        self._drawn_for: tuple[object, ...] | None = None
        #: the current view has been drawn (tests and benchmarks wait for it)
        self.drawn = False

    # data ----------------------------------------------------------------------------------

    def watch_view(self) -> None:
        self.set_reactive(FlowChart.cursor, self.validate_cursor(self.cursor))
        self._redraw()

    def validate_cursor(self, cursor: tuple[int, int]) -> tuple[int, int]:
        x, s = cursor
        return self._clamp_x(x), self._clamp_s(s)

    def watch_cursor(self) -> None:
        self._redraw()

    def _clamp_x(self, x: int) -> int:
        n = len(self.view.x_labels) if self.view else 0
        return max(0, min(x, n - 1)) if n else 0

    def _clamp_s(self, s: int) -> int:
        n = len(self.view.series) if self.view else 0
        return max(0, min(s, n - 1)) if n else 0

    # drawing -------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._redraw()
        self.post_message(self.Resized())

    def _redraw(self) -> None:
        if self.view is None or not self.is_mounted:
            return
        width, height = self.size.width, self.size.height
        if width < 10 or height < 5:
            return
        variables = self.app.theme_variables
        foreground = variables.get("foreground", "#ffffff")
        theme = (self.app.theme, variables.get("surface", "#000000"), foreground)
        highlight = Color.parse(foreground).hex6
        key = (id(self.view), width, height, theme, self.cursor, highlight)
        if key == self._drawn_for:
            return
        self._drawn_for = key
        self.drawn = False
        self._draw(self.view, width, height, theme, self.cursor, highlight, key)

    @work(thread=True, exclusive=True, group="flow-chart-draw", description="the flow chart")
    def _draw(
        self,
        view: ChartView,
        width: int,
        height: int,
        theme: tuple[str, str, str],
        cursor: tuple[int, int],
        highlight: str,
        key: tuple[object, ...],
    ) -> None:
        picture = draw(view, width, height, theme, cursor, highlight)
        self.app.call_from_thread(self._drawn, picture, key)

    @property
    def settled(self) -> bool:
        """The picture shown is the current view at the current size (tests, benchmarks)."""
        key = self._drawn_for
        return self.drawn and key is not None and key[1:3] == (self.size.width, self.size.height)

    def _drawn(self, picture: Text, key: tuple[object, ...]) -> None:
        if key != self._drawn_for:
            return  # a newer picture is on its way
        self._picture = picture
        self.drawn = True
        self.refresh()

    def render(self) -> RenderResult:
        return self._picture

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())

    # keys ----------------------------------------------------------------------------------

    def action_move(self, dx: int, ds: int) -> None:
        if self.view is None:
            return
        x, s = self.cursor
        self._set_cursor(self._clamp_x(x + dx), self._clamp_s(s + ds))

    def action_edge(self, last: int) -> None:
        if self.view is None:
            return
        self._set_cursor(self._clamp_x(len(self.view.x_labels) if last else 0), self.cursor[1])

    def press_early(self, key: str) -> None:
        """A key pressed on the screen while this chart was loading, as if pressed here."""
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.key == key:
                _, name, args = parse_action(binding.action)
                getattr(self, f"action_{name}")(*args)

    def _set_cursor(self, x: int, s: int) -> None:
        if (x, s) == self.cursor:
            return
        self.cursor = (x, s)
        self.post_message(self.CursorMoved(self, x, s))
