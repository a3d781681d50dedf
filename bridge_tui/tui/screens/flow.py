"""The Flow screen (key 5): how long crossing the bridge takes, where initiatives stall and die.

Three charts from `bridge_tui.flow` through the service: the cumulative flow diagram (how many
were in each stage over time), time in stage per stage (finished stays and the age of those
still there), and the quarters (entries into Pilot, crossings into Infrastructure, kills). The
arrows move a cursor onto a bar or a band; the list beside it names the initiatives behind it,
and enter opens one on the board. The figures are computed after the screen's first paint, and
plotext draws in a thread, so opening the screen does not wait for either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import ContentSwitcher, Header, OptionList, Static
from textual.widgets.option_list import Option

from bridge_tui import flow, method
from bridge_tui.tui.busy import read_off_thread
from bridge_tui.tui.screens.base import BridgeScreen, PaletteEntry
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, Vertical
from bridge_tui.tui.widgets.flow_chart import ChartView, FlowChart, Series
from bridge_tui.tui.widgets.footer import BridgeFooter
from bridge_tui.tui.widgets.one_line_list import OneLineOptionList

#: one colour per stage, from the Okabe-Ito palette: told apart by colour-blind eyes too, and
#: readable on the dark and the light themes
COLOUR = {
    "experiment": "#56b4e9",
    "pilot": "#0072b2",
    "validate": "#cc79a7",
    "productionize": "#e69f00",
    "infrastructure": "#009e73",
    "killed": "#d55e00",
}
#: the time-in-stage series
TIME_COLOUR = ("#0072b2", "#56b4e9", "#e69f00")
#: the cumulative flow diagram stacks the stages with the furthest along at the bottom
STACK = (
    method.INFRASTRUCTURE,
    method.PRODUCTIONIZE,
    "validate",
    "pilot",
    "experiment",
    method.KILLED,
)
CHARTS = {
    "cumulative": "Cumulative flow",
    "time": "Time in stage",
    "quarters": "Quarters",
}
#: the quarters chart shows at most this many, the latest (fewer on a narrow chart)
#: the keys the charts answer (moves along and across), kept when pressed before they are there
CHART_KEYS = frozenset(b.key for b in FlowChart.BINDINGS if isinstance(b, Binding))
QUARTERS_SHOWN = 8
QUARTERS_SHOWN_NARROW = 5
TIME_SERIES = ("median days, finished", "90th pct, finished", "median age, still there")
QUARTER_SERIES = (
    ("pilot", "entered Pilot"),
    (method.INFRASTRUCTURE, "crossed into Infrastructure"),
    (method.KILLED, "killed"),
)


def _label(stage: str) -> str:
    return method.STAGE_BY_ID[stage].label


def _day(d: date) -> str:
    return d.strftime("%d %b %Y").lstrip("0")


def _share(c: flow.Conversion) -> str:
    share = c.share
    return "–" if share is None else f"{round(share * 100)}%"


def _days(v: float | None) -> str:
    return "–" if v is None else f"{v:g}"


def headline(f: flow.Flow) -> Content:
    """The sentence for the slide: conversion, this quarter's crossings, the slowest stage, and
    where the killed ones died."""
    p2i = f.conversion["pilot_to_infrastructure"]
    parts = [
        f"Pilot → Infrastructure {_share(p2i)} ({p2i.reached} of {p2i.cohort})",
    ]
    if f.quarters:
        now = f.quarters[-1]
        before = f.quarters[-2].crossed if len(f.quarters) > 1 else 0
        parts.append(f"crossed in {now.label}: {now.crossed} (before: {before})")
    slow = [
        (sf.finished.median_days, s)
        for s, sf in f.stages.items()
        if s in method.FLOW[:-1] and sf.finished.median_days is not None
    ]
    if slow:
        days, stage = max(slow)
        parts.append(f"slowest: {_label(stage)}, median {_days(days)} days")
    kills = sorted(((n, s) for s, n in f.killed_from.items() if n), reverse=True)
    if kills:
        parts.append(f"most killed from {_label(kills[0][1])} ({kills[0][0]})")
    return Content(" · ".join(parts))


def cumulative_view(f: flow.Flow, points: int) -> tuple[ChartView, list[date]]:
    days, series = flow.cumulative(f, points)
    n = len(days)
    ticks = tuple(sorted({0, n // 2, n - 1}))
    view = ChartView(
        "stacked",
        "In each stage over time",
        tuple(d.strftime("%b %y") for d in days),
        tuple(Series(_label(s), tuple(series[s]), COLOUR[s]) for s in STACK),
        ticks=ticks,
        empty="No initiatives yet.",
    )
    return view, days


def time_view(f: flow.Flow) -> ChartView:
    stages = method.STAGE_IDS
    return ChartView(
        "bars",
        "Days in stage",
        tuple(_label(s)[:5] for s in stages),
        (
            Series(
                TIME_SERIES[0],
                tuple(f.stages[s].finished.median_days or 0 for s in stages),
                TIME_COLOUR[0],
            ),
            Series(
                TIME_SERIES[1],
                tuple(f.stages[s].finished.p90_days or 0 for s in stages),
                TIME_COLOUR[1],
            ),
            Series(
                TIME_SERIES[2],
                tuple(f.stages[s].still_there.median_days or 0 for s in stages),
                TIME_COLOUR[2],
            ),
        ),
        empty="No stays yet.",
    )


def quarters_view(f: flow.Flow, count: int) -> tuple[ChartView, list[flow.Quarter]]:
    shown = f.quarters[-count:]
    view = ChartView(
        "bars",
        "Per quarter (the latest)",
        tuple(q.label.replace("20", "", 1) for q in shown),
        tuple(
            Series(label, tuple(q.entered[stage] for q in shown), COLOUR[stage])
            for stage, label in QUARTER_SERIES
        ),
        empty="No moves yet.",
    )
    return view, shown


class FlowScreen(BridgeScreen):
    CSS_PATH = sheets("flow.tcss")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    #: the chart takes the focus when its figures land (the list is empty until then)
    AUTO_FOCUS = None
    BINDINGS = [
        Binding(
            "c",
            "chart('cumulative')",
            "Cumulative",
            tooltip="The cumulative flow diagram",
            id="flow.chart_cumulative",
        ),
        Binding(
            "t",
            "chart('time')",
            "Time in stage",
            tooltip="Days in each stage",
            id="flow.chart_time",
        ),
        Binding(
            "x",
            "chart('quarters')",
            "Quarters",
            tooltip="Entries, crossings, kills",
            id="flow.chart_quarters",
        ),
        Binding("enter", "open_selected", "Open on board", show=False, id="flow.open_selected"),
        Binding(
            "l",
            "focus_list",
            "List",
            tooltip="Move to the initiatives behind the bar",
            id="flow.focus_list",
        ),
    ]

    _loaded_key: tuple[object, ...] | None = None
    #: the figures have been laid out as charts once (keys before that are kept)
    _charts_ready = False
    #: (days, quarters) the charts were laid out for
    _points: tuple[int, int] = (0, 0)

    def __init__(self) -> None:
        super().__init__()
        self.flow: flow.Flow | None = None
        self.chart_name = "cumulative"
        self._days: list[date] = []
        self._quarters: list[flow.Quarter] = []
        #: the ids listed beside the chart, in list order
        self.listed: list[str] = []
        self._early_keys = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("Reading the change log…"), id="flow-headline", markup=False)
        yield Static("", id="flow-tabs", markup=False)
        # the body (charts, legend, list) is mounted after the first paint: the screen, its
        # keys and a loading indicator show at once, as fast as a bare screen
        yield Horizontal(id="flow-body")
        yield BridgeFooter()

    #: True once the body is mounted (after the first paint)
    built = False
    #: the chart keys pressed before the figures were there: (chart, key), made on it after
    _early_keys: list[tuple[str, str]]

    def on_mount(self) -> None:
        self._show_tabs()
        self.query_one("#flow-body").loading = True
        self.call_after_refresh(self._build_body)

    async def _build_body(self) -> None:
        charts = ContentSwitcher(
            *(FlowChart(id=f"flow-{name}") for name in CHARTS),
            initial=f"flow-{self.chart_name}",
            id="flow-charts",
        )
        body = self.query_one("#flow-body")
        await body.mount_all(
            [
                Vertical(charts, Static("", id="flow-legend", markup=False), id="flow-left"),
                Vertical(
                    Static("", id="flow-caption", markup=False),
                    OneLineOptionList(id="flow-list"),
                    id="flow-side",
                ),
            ]
        )
        body.loading = False
        self.built = True
        self._when_laid_out(self.refresh_data)

    def _when_laid_out(self, callback: Callable[[], object], tries: int = 50) -> None:
        """The charts are sized to their width: `callback` once they have been laid out (or
        after half a second, whatever the layout)."""
        if self.query_one("#flow-charts").size.width or tries <= 0:
            callback()
        else:
            self.set_timer(0.01, lambda: self._when_laid_out(callback, tries - 1))

    def on_flow_chart_resized(self, event: FlowChart.Resized) -> None:
        """A new width may fit another number of days or quarters."""
        event.stop()
        if self._charts_ready and self._points != self._points_for_width():
            self._show_charts()

    def on_key(self, event: events.Key) -> None:
        """A chart key pressed before the charts are laid out is kept and made on the chart
        after; one that reaches the screen later (nothing has the focus) is the chart's."""
        if event.key not in CHART_KEYS or (self._charts_ready and self.focused is not None):
            return
        event.stop()
        event.prevent_default()
        if self._charts_ready:
            self.chart.press_early(event.key)
        else:
            self._early_keys.append((self.chart_name, event.key))

    def on_screen_resume(self) -> None:
        if self._loaded_key is not None and self._loaded_key != self.data_key():
            self.refresh_data()

    @property
    def chart(self) -> FlowChart:
        return self.query_one(f"#flow-{self.chart_name}", FlowChart)

    # data ----------------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Read the moves here (the file is the app thread's), count and lay out the charts
        in a thread: the screen paints at once, with a loading indicator over the chart."""
        if not self.is_mounted or not self.built:
            return  # the body is not there yet: it reads when it is
        self._loaded_key = self.data_key()
        if self.flow is None:
            self.query_one("#flow-left").loading = True
        if self.service.initiative_count() >= self.READ_IN_WORKER_FROM:
            self._compute(None, self.service.today())
        else:
            self._compute(self.service.flow_inputs(), self.service.today())

    #: from this many initiatives the moves are read in the worker too, on a connection of
    #: its own (a third of a second at 10,000, which would hold the screen's first paint)
    READ_IN_WORKER_FROM = 1_000

    @work(thread=True, exclusive=True, group="flow-compute", description="the flow's figures")
    def _compute(self, inputs: list[flow.Initiative] | None, today: date) -> None:
        if inputs is None:
            inputs = read_off_thread(self.service, lambda reader: reader.flow_inputs())
            if inputs is None:  # the read on the app's thread says why
                self.app.call_from_thread(self._read_here, today)
                return
        figures = flow.compute(inputs, today)
        self.app.call_from_thread(self._computed, figures)

    def _read_here(self, today: date) -> None:
        if self.is_mounted:
            self._compute(self.service.flow_inputs(), today)

    def _computed(self, figures: flow.Flow) -> None:
        if not self.is_mounted:
            return
        first = self.flow is None
        self.flow = figures
        self.query_one("#flow-left").loading = False
        self.query_one("#flow-headline", Static).update(headline(figures))
        self._when_laid_out(lambda: self._show_charts(first))

    def _points_for_width(self) -> tuple[int, int]:
        """(days, quarters) the charts show at their width."""
        width = self.query_one("#flow-charts").size.width or self.size.width
        points = max(8, min(36, (width - 10) // 3))
        return points, QUARTERS_SHOWN if width >= 80 else QUARTERS_SHOWN_NARROW

    def _show_charts(self, landed: bool = False) -> None:
        """Lay the figures out as the three charts at their width; `landed`: the figures have
        just arrived (the chart was under the loading indicator: it takes the keys now)."""
        f = self.flow
        if f is None or not self.is_mounted:
            return
        self._points = points, quarters = self._points_for_width()
        cum, self._days = cumulative_view(f, points)
        qv, self._quarters = quarters_view(f, quarters)
        first = self.query_one("#flow-cumulative", FlowChart).view is None
        for name, view, start in (
            ("cumulative", cum, (len(self._days) - 1, STACK.index("pilot"))),
            ("time", time_view(f), (method.STAGE_IDS.index("pilot"), 0)),
            ("quarters", qv, (len(self._quarters) - 1, 1)),
        ):
            chart = self.query_one(f"#flow-{name}", FlowChart)
            if first:  # where the cursor starts, drawn once with the view
                chart.set_reactive(FlowChart.cursor, start)
            chart.view = view
        if landed:
            self._charts_ready = True
            self.chart.focus()
            early, self._early_keys = self._early_keys, []
            for name, key in early:
                self.query_one(f"#flow-{name}", FlowChart).press_early(key)
        self._select()

    # the chart and the list ----------------------------------------------------------------

    def action_chart(self, name: str) -> None:
        if name not in CHARTS:
            return
        self.chart_name = name
        self._show_tabs()
        if not self.built:
            return  # the body shows this chart when it is mounted
        self.query_one("#flow-charts", ContentSwitcher).current = f"flow-{name}"
        self.chart.focus()
        self.call_after_refresh(self.chart.on_resize)
        self._select()

    def _show_tabs(self) -> None:
        parts: list[Content] = []
        for binding in self.BINDINGS:
            if not isinstance(binding, Binding) or not binding.action.startswith("chart("):
                continue
            name = binding.action.split("'")[1]
            text = f" {binding.key} {CHARTS[name]} "
            style = "reverse bold" if name == self.chart_name else ""
            parts.append(Content.styled(text, style))
        self.query_one("#flow-tabs", Static).update(Content(" ").join(parts))

    def on_flow_chart_cursor_moved(self, event: FlowChart.CursorMoved) -> None:
        event.stop()
        self._select()

    def selection(self) -> tuple[str, list[tuple[str, str]]]:
        """What the cursor is on, in words, and the initiatives behind it: (id, line)."""
        f = self.flow
        if f is None:
            return "", []
        x, s = self.chart.cursor
        names = f.names
        if self.chart_name == "cumulative":
            if not self._days:
                return "", []
            stage, day = STACK[s], self._days[x]
            ids = flow.in_stage_on(f, stage, day)
            title = f"{_label(stage)} on {_day(day)}: {len(ids)}"
            return title, [(i, names[i]) for i in sorted(ids, key=names.__getitem__)]
        if self.chart_name == "time":
            stage = method.STAGE_IDS[x]
            sf = f.stages[stage]
            if s < 2:
                spread = sf.finished
                rows = flow.stay_days(f, stage, finished=True)
                title = (
                    f"{_label(stage)}: {spread.count} finished stays, median "
                    f"{_days(spread.median_days)} d, 90th pct {_days(spread.p90_days)} d"
                )
            else:
                spread = sf.still_there
                rows = flow.stay_days(f, stage, finished=False)
                title = (
                    f"{_label(stage)}: {spread.count} still there, median age "
                    f"{_days(spread.median_days)} d, 90th pct {_days(spread.p90_days)} d"
                )
            rows.sort(key=lambda r: (-r[1], names[r[0]]))
            return title, [(i, f"{d:>4} d  {names[i]}") for i, d in rows]
        if not self._quarters:
            return "", []
        quarter = self._quarters[x]
        stage, label = QUARTER_SERIES[s]
        ids = flow.entered_in(f, stage, quarter)
        title = f"{quarter.label}, {label}: {quarter.entered[stage]}"
        return title, [(i, names[i]) for i in ids]

    def _select(self) -> None:
        title, rows = self.selection()
        self.query_one("#flow-caption", Static).update(Content(title))
        view = self.chart.view
        if view is not None:
            chosen = view.series[self.chart.cursor[1]].label if view.series else ""
            series = reversed(view.series) if view.kind == "stacked" else iter(view.series)
            legend = Content("  ").join(
                Content.styled("██", ser.colour)
                + Content.styled(f" {ser.label}", "reverse" if ser.label == chosen else "")
                for ser in series
            )
            self.query_one("#flow-legend", Static).update(legend)
        self.listed = [i for i, _ in rows]
        options = self.query_one("#flow-list", OptionList)
        options.clear_options()
        options.add_options(
            [
                # one initiative may be behind a bar twice (two stays): no option ids
                Option(Text(line, no_wrap=True, overflow="ellipsis"))
                for _, line in rows
            ]
        )
        if rows:
            options.highlighted = 0

    # opening -------------------------------------------------------------------------------

    def action_focus_list(self) -> None:
        if not self.built:
            return
        options = self.query_one("#flow-list", OptionList)
        if options.option_count:
            options.focus()

    def action_open_selected(self) -> None:
        if not self.built:
            return
        options = self.query_one("#flow-list", OptionList)
        if self.focused is options and options.highlighted is not None:
            self._open(options.highlighted)
        else:
            self.action_focus_list()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        if 0 <= index < len(self.listed):
            self.bridge.open_initiative(self.listed[index], mode="board")

    def palette_commands(self) -> list[PaletteEntry]:
        return self.key_palette(
            (
                "Flow: cumulative flow diagram",
                "How many were in each stage over time",
                "chart('cumulative')",
            ),
            ("Flow: time in stage", "Median and 90th percentile days per stage", "chart('time')"),
            (
                "Flow: quarters",
                "Entries into Pilot, crossings, kills per quarter",
                "chart('quarters')",
            ),
        )
