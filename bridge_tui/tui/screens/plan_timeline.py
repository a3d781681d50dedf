"""The portfolio timeline (t on the plan screen): every 90-day plan on one calendar.

Pushed over the plan screen, so it keeps the plan screen's place in the `plan` mode: the
screens' keys (1-5) come back to it, t and enter go back to the plan (enter opens the
highlighted one), and [ ] step through the plans as on the plan screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Header, OptionList, Static

from bridge_tui import method
from bridge_tui.tui.screens.base import BridgeScreen, PaletteEntry
from bridge_tui.tui.screens.plan_text import NEIGHBOUR_ENTRIES, TIMELINE_ENTRY
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.footer import BridgeFooter
from bridge_tui.tui.widgets.plan_timeline import PlanTimeline, TimelineEntry, TimelineShown

#: footer group: `[] Plan`
PLANS = Binding.Group("Plan", compact=True)


def step_plan(screen: BridgeScreen, here: str | None, step: int) -> bool:
    """Select the initiative with a plan `step` away from `here` in board order; False (and
    the reason said) when there is no other."""
    other = screen.service.plan_neighbour(here, step)
    if other is None:
        screen.notify(f"No initiative has a {method.PLAN_NAME} yet.", markup=False)
        return False
    if other.id == here:
        screen.notify(f"{other.name} is the only initiative with a plan.", markup=False)
        return False
    screen.bridge.select(other.id)
    return True


class PlanTimelineScreen(BridgeScreen):
    CSS_PATH = sheets("plan.tcss")
    #: help's "On this screen (Plan)", as when the timeline was a mode of the plan screen
    HELP_TITLE = "Plan"
    BINDINGS = [
        Binding(
            "left_square_bracket",
            "neighbour(-1)",
            "Prev plan",
            group=PLANS,
            id="timeline.previous_plan",
        ),
        Binding(
            "right_square_bracket",
            "neighbour(1)",
            "Next plan",
            group=PLANS,
            id="timeline.next_plan",
        ),
        Binding("t", "toggle_timeline", "Timeline", show=False, id="timeline.toggle_timeline"),
    ]

    #: laid out once (the first resize is the opening's layout)
    _opened = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="timeline-title", markup=False)
        yield Static("", id="timeline-head", markup=False)
        yield PlanTimeline(id="timeline")
        yield BridgeFooter()

    def on_screen_resume(self) -> None:
        """Shown (first, or back from another screen): the plans and the selection may have
        changed meanwhile."""
        self.refresh_data()

    def on_resize(self) -> None:
        """The terminal changed size: the calendar's month heads follow the timeline's width.
        The resize that lays the screen out as it opens keeps the heads it opened with (read
        before the layout, from the terminal's width, as the plan screen's timeline mode did)."""
        if self._opened:
            self.call_after_refresh(self._head)
        self._opened = True

    def _head(self) -> None:
        header = self.query_one(PlanTimeline).header()
        self.query_one("#timeline-head", Static).update(header)

    def refresh_data(self) -> None:
        entries = [
            TimelineEntry(r.initiative.id, r.initiative.name, r.initiative.stage, r.status)
            for r in self.service.timeline()
        ]
        behind = sum(1 for e in entries if e.status.behind and e.stage != method.KILLED)
        title = self.query_one("#timeline-title", Static)
        if not entries:
            title.update(
                Content(f"No initiative has a {method.PLAN_NAME} yet. Press t to go back.")
            )
        else:
            title.update(
                Content.assemble(
                    ("Portfolio timeline", "bold"),
                    (f"  {len(entries)} plans, {behind} behind, most behind first.", ""),
                    ("  ┃ marks today on each plan; enter opens one; t goes back.", "$text-muted"),
                )
            )
        timeline = self.query_one(PlanTimeline)
        timeline.shown = TimelineShown(entries, keep=self.bridge.selected_id)
        self._head()
        if self.is_current:
            timeline.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter opens the highlighted plan on the plan screen."""
        event.stop()
        if event.option.id:
            self.bridge.select(event.option.id)
            self.app.pop_screen()

    def action_neighbour(self, step: int) -> None:
        if step_plan(self, self.bridge.selected_id, step):
            self.refresh_data()

    def action_toggle_timeline(self) -> None:
        """Back to the plan screen (which reloads as it is shown again)."""
        self.app.pop_screen()

    def palette_commands(self) -> list[PaletteEntry]:
        return self.key_palette(*NEIGHBOUR_ENTRIES, TIMELINE_ENTRY)
