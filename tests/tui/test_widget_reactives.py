"""Each widget draws what its screen sets in its reactive (issue 14, point 5): no `show()`,
the watcher draws, and setting the same kind of value again keeps the highlight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from bridge_tui import method, scoring
from bridge_tui.models import Answer, Initiative, PlanTask
from bridge_tui.tui.widgets.checklist_list import ChecklistList, ChecklistShown
from bridge_tui.tui.widgets.conflict_panel import ConflictPanel
from bridge_tui.tui.widgets.flow_chart import ChartView, FlowChart, Series
from bridge_tui.tui.widgets.overview_answers import AnswersData, OverviewAnswers
from bridge_tui.tui.widgets.plan_month import MonthBar, MonthColumn, MonthShown
from bridge_tui.tui.widgets.plan_timeline import PlanTimeline, TimelineEntry, TimelineShown
from tests.conftest import FROZEN_TODAY
from tests.tui.flow_wait import settle

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
START = FROZEN_TODAY - timedelta(days=20)


class One(App[None]):
    """An app holding one widget."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


def _initiative(name: str, stage: str = "pilot") -> Initiative:
    return Initiative(
        name=name, stage=stage, stage_entered_at=START, created_at=NOW, updated_at=NOW
    )


def _prompt(widget: ChecklistList | PlanTimeline | OverviewAnswers, option_id: str) -> str:
    return str(widget.get_option(option_id).prompt)


async def test_checklist_list_draws_its_answers_and_keeps_the_highlight() -> None:
    lst = ChecklistList()
    async with One(lst).run_test(size=(100, 30)) as pilot:
        first = method.ITEMS[0].id
        answer = Answer(initiative_id="i", key=first, value="yes", note="seen", by="ana", at=NOW)
        answers = {first: answer}
        lst.shown = ChecklistShown(
            "pilot", answers, scoring.readiness({first: "yes"}), "Pilot", start=first
        )
        await pilot.pause()
        keys = lst.keys()
        assert lst.highlighted_key == first
        assert "met" in _prompt(lst, first) and "ana" in _prompt(lst, first)
        assert "not answered yet" in _prompt(lst, keys[1])
        lst.go_to(keys[2])
        no = answer.model_copy(update={"value": "no"})
        lst.shown = ChecklistShown("pilot", {first: no}, scoring.readiness({}), "Pilot")
        await pilot.pause()
        assert "not met" in _prompt(lst, first)
        assert lst.highlighted_key == keys[2]  # the same rows: the highlight stays
        lst.wrap = False
        await pilot.pause()
        assert lst.highlighted_key == keys[2] and "not met" in _prompt(lst, first)
        assert lst.matches("seen") == [first]


async def test_plan_timeline_draws_a_row_per_plan_and_keeps_one() -> None:
    timeline = PlanTimeline()
    async with One(timeline).run_test(size=(120, 20)) as pilot:
        status = scoring.plan_status(START, [], FROZEN_TODAY)
        a, b = _initiative("Alpha"), _initiative("Beta")
        entries = [TimelineEntry(i.id, i.name, i.stage, status) for i in (a, b)]
        timeline.shown = TimelineShown(entries, keep=b.id)
        await pilot.pause()
        assert timeline.option_count == 2
        assert timeline.highlighted == 1
        assert "Alpha" in _prompt(timeline, a.id) and "day 21/90" in _prompt(timeline, a.id)
        timeline.shown = TimelineShown(entries[::-1])  # a reload: the highlighted one stays
        await pilot.pause()
        assert timeline.highlighted_option is not None
        assert timeline.highlighted_option.id == b.id


async def test_overview_answers_draws_the_four_questions() -> None:
    answers = OverviewAnswers()
    async with One(answers).run_test(size=(100, 30)) as pilot:
        old = _initiative("Old pilot")
        ov = scoring.overview([old], {}, FROZEN_TODAY)
        answers.shown = AnswersData(ov, {old.id: old}, FROZEN_TODAY)
        await pilot.pause()
        ids = [answers.get_option_at_index(n).id for n in range(answers.option_count)]
        assert [i for i in ids if i and i.startswith("h:")] == [
            "h:q1",
            "h:q2",
            "h:q3",
            "h:q4",
            "h:purgatory",
            "h:overdue",
        ]
        assert f"q2:{old.id}" in ids
        assert "Old pilot" in _prompt(answers, f"q2:{old.id}")
        assert answers.highlighted == ids.index(f"q2:{old.id}")


async def test_month_column_draws_its_title_bar_and_tasks() -> None:
    column = MonthColumn(1, "Prove it")
    async with One(column).run_test(size=(60, 20)) as pilot:
        task = PlanTask(initiative_id="i", month=1, title="Pick the pilot team", owner="Ana")
        status = scoring.plan_status(START, [task], FROZEN_TODAY)
        month = status.months[0]
        due = FROZEN_TODAY + timedelta(days=3)
        column.shown = MonthShown(month, [(task, due, False)], FROZEN_TODAY)
        await pilot.pause()
        assert column.query_one(MonthBar).progress == month
        assert "Month 1" in str(column.query_one(".month-title", Static).render())
        assert column.tasks.option_count == 1 and column.tasks.task_id == task.id
        assert "Pick the pilot team" in str(column.tasks.get_option_at_index(0).prompt)
        column.shown = MonthShown(month, [], FROZEN_TODAY)
        await pilot.pause()
        assert column.tasks.task_id is None  # only the disabled "no tasks" hint
        assert "no tasks" in str(column.tasks.get_option_at_index(0).prompt)


async def _drawn(pilot: Pilot[None], chart: FlowChart) -> None:
    """Until the chart shows its view and no drawing thread is left (an older one may still
    be running: the app must not close under it)."""
    await settle(pilot)
    assert chart.settled


async def test_flow_chart_draws_its_view_with_the_cursor_kept_inside() -> None:
    chart = FlowChart()
    async with One(chart).run_test(size=(60, 20)) as pilot:
        view = ChartView(
            "bars", "Two weeks", ("w1", "w2", "w3"), (Series("pilot", (1.0, 2.0, 3.0), "#00aa00"),)
        )
        chart.set_reactive(FlowChart.cursor, (9, 4))  # where it starts: kept inside the view
        chart.view = view
        assert chart.cursor == (2, 0)
        await _drawn(pilot, chart)
        assert "Two weeks" in str(chart.render())
        chart.focus()
        await pilot.press("left")
        assert chart.cursor == (1, 0)
        chart.view = ChartView("bars", "One week", ("w1",), view.series)
        assert chart.cursor == (0, 0)
        await _drawn(pilot, chart)
        assert "One week" in str(chart.render())


async def test_conflict_panel_shows_and_hides_with_its_text() -> None:
    panel = ConflictPanel()
    async with One(panel).run_test(size=(80, 20)) as pilot:
        assert not panel.display
        panel.shown = Text("Sam saved it first.")
        await pilot.pause()
        assert panel.display and panel.screen.has_class("-conflict")
        assert "Sam saved it first." in str(panel.query_one("#conflict-text", Static).render())
        assert pilot.app.focused is not None and pilot.app.focused.id == "conflict-back"
        pilot.app.set_focus(None)
        panel.shown = Text("Sam saved it first.")  # the same refusal again: the focus too
        await pilot.pause()
        assert pilot.app.focused is not None and pilot.app.focused.id == "conflict-back"
        panel.shown = None
        await pilot.pause()
        assert not panel.display and not panel.screen.has_class("-conflict")
        assert str(panel.query_one("#conflict-text", Static).render()) == ""
