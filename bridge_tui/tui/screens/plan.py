"""The 90-day plan of the selected initiative, month by month (t: the portfolio timeline).

The screen orchestrates: it reads a `PlanView` from the service, pushes each month's progress
and tasks down into three `MonthColumn`s (side by side, stacked under 100 columns), and turns
keys into service calls. After every change, and on live refresh, it reloads and keeps the
focused task. All numbers (day, progress, overdue, verdict) come from `scoring` via the service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, OptionList, Static

from bridge_tui import method, scoring
from bridge_tui.errors import BadInput, BridgeError
from bridge_tui.models import Initiative, PlanTask
from bridge_tui.service.conflicts import StaleChanges
from bridge_tui.service.plan import ArchivedPlan, PlanView
from bridge_tui.tui.dialogs.common import ConfirmDialog
from bridge_tui.tui.dialogs.task_form import (
    MonthDialog,
    OwnerDialog,
    StartDialog,
    TaskFormDialog,
)
from bridge_tui.tui.screens.base import REFUSED, BridgeScreen, PaletteEntry
from bridge_tui.tui.screens.plan_text import (
    PLAN_PALETTE,
    edge_hint,
    focus_line,
    no_plan_text,
    plan_title,
    sustain_text,
    verdict_text,
)
from bridge_tui.tui.screens.plan_timeline import PLANS, PlanTimelineScreen, step_plan
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Container, Vertical
from bridge_tui.tui.widgets.fitted import FittedStatic
from bridge_tui.tui.widgets.footer import BridgeFooter
from bridge_tui.tui.widgets.plan_header import PlanRuler
from bridge_tui.tui.widgets.plan_month import MonthColumn, MonthShown, TaskList

#: Actions that work on the plan (not without one).
TASK_ACTIONS = frozenset(
    (
        "toggle_done",
        "add",
        "edit",
        "delete",
        "reorder",
        "move_month",
        "owner",
        "step_month",
        "start",
    )
)


def _marks(status: scoring.PlanStatus) -> tuple[bool, bool]:
    """(the verdict is behind, the sustain line says the review is late): the classes the
    stylesheet colours them by, made with them as the screen is composed and set again as it
    shows a plan."""
    return status.behind, status.phase == "sustain" and status.review_late


class PlanScreen(BridgeScreen):
    CSS_PATH = sheets("plan.tcss")
    #: under 100 columns the three months stack (the `-narrow` class in plan.tcss)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    #: the screen focuses the month the keys act on itself (`_focus_month_list`, as it shows):
    #: Textual's own focus went to the first month as the screen was composed, then that
    #: month took it, restyling the months three times for one
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("space", "toggle_done", "Done", id="plan.toggle_done"),
        Binding("n", "add", "Add", id="plan.add"),
        Binding("e", "edit", "Edit", id="plan.edit"),
        Binding("d", "delete", "Delete", show=False, id="plan.delete"),
        Binding("m", "move_month", "Month", show=False, id="plan.move_month"),
        Binding("o", "owner", "Owner", show=False, id="plan.owner"),
        Binding("s", "start", "Start date", show=False, id="plan.start"),
        Binding("ctrl+up", "reorder(-1)", "Move task up", show=False, id="plan.reorder_up"),
        Binding("ctrl+down", "reorder(1)", "Move task down", show=False, id="plan.reorder_down"),
        Binding("left", "step_month(-1)", "Prev month", show=False, id="plan.previous_month"),
        Binding("right", "step_month(1)", "Next month", show=False, id="plan.next_month"),
        Binding("tab", "step_month(1)", "Next month", show=False, id="plan.next_month_tab"),
        Binding(
            "shift+tab",
            "step_month(-1)",
            "Previous month",
            show=False,
            id="plan.previous_month_tab",
        ),
        Binding(
            "left_square_bracket",
            "neighbour(-1)",
            "Prev plan",
            group=PLANS,
            id="plan.previous_plan",
        ),
        Binding(
            "right_square_bracket", "neighbour(1)", "Next plan", group=PLANS, id="plan.next_plan"
        ),
        Binding("g", "generate", "Generate", show=False, id="plan.generate"),
        Binding("t", "toggle_timeline", "Timeline", show=False, id="plan.toggle_timeline"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: PlanView | None = None
        self.archived: list[ArchivedPlan] = []
        self.initiative: Initiative | None = None
        #: what to keep focused across reloads
        self._focus_month = 1
        self._focus_task: str | None = None
        self._focus_index = 0
        #: the months were last drawn stacked, one line per task (the `-narrow` breakpoint)
        self._compact = False
        #: `shown_key` when the plan was last read (None: not yet)
        self._shown_key: tuple[object, ...] | None = None

    # layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # read as it is composed: the months and the verdict are made with the classes the
        # plan gives them (each class set once they were mounted restyled them and their
        # widgets again, 20 ms of a first opening)
        self._load()
        status = self.view.status if self.view is not None else None
        progress = {m.month: m for m in status.months} if status is not None else {}
        behind, late = _marks(status) if status is not None else (False, False)
        yield Header()
        with Vertical(id="plan-view"):
            yield FittedStatic("", id="plan-title", markup=False)
            yield PlanRuler(id="ruler")
            yield FittedStatic("", id="verdict", markup=False, classes="-behind" if behind else "")
            yield FittedStatic("", id="sustain", markup=False, classes="-late" if late else "")
            yield Static("", id="no-plan", markup=False)
            yield FittedStatic("", id="plan-focus", markup=False)
            with Container(id="months"):
                for m in method.PLAN_TEMPLATE:
                    yield MonthColumn(m.month, m.label, progress.get(m.month))
        yield BridgeFooter()

    def on_mount(self) -> None:
        self._present()  # read as it was composed

    def on_screen_resume(self) -> None:
        """Coming back (from the board, say): the selection or the file may have changed."""
        if self._shown_key != self.shown_key():
            self.refresh_data()
        else:  # read while hidden (built ahead, `screens_ahead`), which focuses nothing
            self._focus_month_list()

    def prepare_ahead(self) -> None:
        """Built ahead (`screens_ahead`): read as it mounted; the month the keys act on takes
        the focus, as in a first opening (the lists are drawn focused as they will show)."""
        self._focus_month_list()

    def on_resize(self) -> None:
        """Textual sets the breakpoint class after this handler: look once it is set."""
        self.call_next(self._fit_width)

    def _fit_width(self) -> None:
        """Crossing the `-narrow` breakpoint stacks (or unstacks) the months: tasks take one
        line there, so they are drawn again."""
        if self.has_class("-narrow") != self._compact:
            self.refresh_data()

    # loading ---------------------------------------------------------------------------------

    def _selected(self) -> Initiative | None:
        """The app's selected initiative; without one, the first that has a plan."""
        iid = self.bridge.selected_id
        if iid is not None:
            try:
                return self.service.initiative(iid)
            except BadInput:
                pass
        first = self.service.plan_neighbour(None, 1)
        if first is not None:
            self.bridge.select(first.id)
        return first

    def refresh_data(self) -> None:
        self._load()
        self._present()

    def _load(self) -> None:
        """Read the selected initiative's plan (and its archived ones)."""
        previous = self.initiative.id if self.initiative else None
        self.initiative = self._selected()
        if self.initiative is None or self.initiative.id != previous:
            self._focus_task = None
            self._focus_index = 0
        self.view = self.service.plan_view(self.initiative) if self.initiative else None
        #: earlier plans, archived when the initiative entered Productionize again
        self.archived = (
            self.service.archived_plans(self.initiative)
            if self.view is not None and self.initiative is not None
            else []
        )
        if self.view is not None and self.initiative and self.initiative.id != previous:
            self._focus_month = self.view.status.current_month or 1

    def _present(self) -> None:
        """Show what `_load` read."""
        self._show_plan()
        self.refresh_bindings()
        self._shown_key = self.shown_key()

    def _show_plan(self) -> None:
        view, initiative = self.view, self.initiative
        title = self.query_one("#plan-title", FittedStatic)
        no_plan = self.query_one("#no-plan", Static)
        months = self.query_one("#months")
        ruler = self.query_one(PlanRuler)
        verdict = self.query_one("#verdict", FittedStatic)
        sustain = self.query_one("#sustain", FittedStatic)
        has_plan = view is not None
        self._compact = self.has_class("-narrow")
        for w in (months, ruler, verdict, self.query_one("#plan-focus")):
            w.display = has_plan
        no_plan.display = not has_plan
        if view is None:
            sustain.display = False
            ruler.status = None
            title.fit(plan_title(initiative, None))
            with_plan = self.service.planned_names() if initiative is not None else []
            no_plan.update(no_plan_text(initiative, with_plan))
            return
        s = view.status
        title.fit(plan_title(view.initiative, view))
        ruler.status = s
        behind, late = _marks(s)
        verdict.fit(verdict_text(s, self.archived))
        verdict.set_class(behind, "-behind")
        sustain.display = s.phase == "sustain"
        if s.phase == "sustain":
            sustain.fit(sustain_text(s))
            sustain.set_class(late, "-late")
        today = s.today
        for m in s.months:
            column = self.query_one(f"#month-{m.month}", MonthColumn)
            tasks = [(t, view.due(t), view.overdue(t)) for t in view.month_tasks(m.month)]
            keep = self._focus_task if m.month == self._focus_month else None
            column.shown = MonthShown(
                m,
                tasks,
                today,
                compact=self._compact,
                keep=keep,
                keep_index=self._focus_index if m.month == self._focus_month else None,
            )
        if self.is_current:
            self._focus_month_list()
        self._show_focus_line()

    def _focus_month_list(self) -> None:
        """The month the keys act on has the focus (not, say, the first month, which Textual
        focuses first)."""
        focused = self.focused
        if self.view is not None and (
            not isinstance(focused, TaskList) or focused.month != self._focus_month
        ):
            self._focus_list(self._focus_month)

    def _show_focus_line(self, edge: str = "") -> None:
        """Which month and task the keys act on, and why an arrow at a month's end did not
        move (`edge`): `focus_line`."""
        view = self.view
        if view is None:
            return
        month = self._focus_month
        count = len(view.month_tasks(month))
        line = self.query_one("#plan-focus", FittedStatic)
        line.fit(focus_line(month, count, self._list(month).highlighted or 0, edge))
        line.set_class(bool(edge), "-edge")

    # focus -----------------------------------------------------------------------------------

    def _list(self, month: int) -> TaskList:
        return self.query_one(f"#tasks-{month}", TaskList)

    def _focus_list(self, month: int) -> None:
        self._focus_month = month
        # At once, not scheduled (`Widget.focus` defers): a key typed right after an arrow
        # (End, space) must reach the month the arrow went to, however busy the machine is.
        self.set_focus(self._list(month))
        if self.view is not None:
            self._show_focus_line()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A focus event that arrives after the focus moved on (keys typed faster than the
        # screen settles) must not pull the month back; nor the first month Textual focuses
        # in a screen built off screen (`screens_ahead`), which is not the person's.
        if isinstance(event.widget, TaskList) and event.widget is self.focused and self.is_current:
            self._focus_month = event.widget.month
            self._remember(event.widget)
            if self.view is not None:
                self._show_focus_line()

    def _remember(self, lst: TaskList) -> None:
        self._focus_task = lst.task_id
        self._focus_index = lst.highlighted or 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if isinstance(event.option_list, TaskList) and event.option_list.has_focus:
            self._remember(event.option_list)
            if self.view is not None:
                self._show_focus_line()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if isinstance(event.option_list, TaskList):
            self.action_edit()

    def on_task_list_step_month(self, event: TaskList.StepMonth) -> None:
        self.action_step_month(event.step)

    def on_task_list_edge(self, event: TaskList.Edge) -> None:
        """Up at a month's top or down at its bottom stays put and says so: moving to another
        month is always explicit (← →), so a tick never lands in a month nobody looked at."""
        if self.view is None:
            return
        month = event.task_list.month
        self._show_focus_line(edge_hint(month, event.direction))

    def _current_task(self) -> PlanTask | None:
        """The highlighted task of the focused month, or None (with a hint)."""
        if self.view is None:
            return None
        lst = self._list(self._focus_month)
        task_id = lst.task_id
        task = self.view.task(task_id) if task_id else None
        if task is None:
            self.notify(
                f"Month {self._focus_month} has no tasks: press n to add one.", markup=False
            )
        return task

    # bindings --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in TASK_ACTIONS:
            return self.view is not None
        if action == "generate":
            return self.view is None
        return True

    def palette_commands(self) -> list[PaletteEntry]:
        return self.key_palette(*PLAN_PALETTE)

    # actions ---------------------------------------------------------------------------------

    def _ready(self) -> bool:
        if self.view is None:
            self.notify(
                f"This initiative has no {method.PLAN_NAME}: press g to create one.", markup=False
            )
            return False
        return not self.refuse_if_read_only()

    def action_step_month(self, step: int) -> None:
        target = self._focus_month + step
        if not 1 <= target <= 3 and self.view is not None:
            last = len(method.PLAN_TEMPLATE)
            self._show_focus_line(
                "Month 1 is the first month" if target < 1 else f"Month {last} is the last month"
            )
            return
        if 1 <= target <= 3:
            lst = self._list(target)
            index = self._list(self._focus_month).highlighted or 0
            enabled = [n for n, o in enumerate(lst.options) if not o.disabled]
            if enabled:
                lst.highlighted = min(index, enabled[-1])
            self._focus_list(target)

    def action_toggle_done(self) -> None:
        if not self._ready() or (task := self._current_task()) is None:
            return
        self._focus_task = task.id
        saved = self.attempt(self.service.toggle_task, task, after=self.refresh_data)
        if saved is not REFUSED:
            self.notify(f"{'Done' if saved.done else 'Not done'}: {saved.title}", markup=False)

    def _save_task(
        self, base: PlanTask | None, fields: dict[str, Any]
    ) -> str | StaleChanges[PlanTask] | None:
        """The form's save: add (`base` None) or write the changed `fields` onto the revision
        `base` read. None when saved, else the reason; when a teammate saved the task first,
        the screen reloads and the form gets what they changed (it keeps the user's input)."""
        initiative = self.initiative
        assert initiative is not None
        try:
            if base is None:
                saved = self.service.add_task(
                    initiative,
                    fields["month"],
                    fields["title"],
                    owner=fields["owner"],
                    due=fields["due"],
                    notes=fields["notes"],
                )
            else:
                saved = self.service.edit_task(base, **fields)
        except BridgeError as exc:
            return self.form_refusal(exc, base)
        self._focus_task = saved.id
        self._focus_month = saved.month
        return None

    def action_add(self) -> None:
        if not self._ready() or self.view is None:
            return
        month = self._focus_month
        view = self.view

        def done(result: dict[str, Any] | None) -> None:
            self.refresh_data()
            if result is not None:
                self.notify(f"Added to month {result['month']}: {result['title']}", markup=False)

        self.app.push_screen(
            TaskFormDialog(
                f"New task for month {month}, {method.PLAN_TEMPLATE[month - 1].label}",
                save=self._save_task,
                values={"month": month, "due": view.status.month(month).last},
            ),
            done,
        )

    def action_edit(self) -> None:
        if not self._ready() or (task := self._current_task()) is None:
            return

        def done(result: dict[str, Any] | None) -> None:
            self.refresh_data()
            if result is not None:
                self.notify(f"Saved: {result['title']}", markup=False)

        self.app.push_screen(
            TaskFormDialog("Edit task", save=self._save_task, task=task),
            done,
        )

    def action_delete(self) -> None:
        if not self._ready() or (task := self._current_task()) is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self._focus_task = None
                deleted = self.attempt(self.service.delete_task, task, after=self.refresh_data)
                if deleted is not REFUSED:
                    self.notify(f"Deleted: {task.title} (ctrl+z undoes it)", markup=False)

        self.app.push_screen(
            ConfirmDialog(
                f"Delete '{task.title}' from the plan?", confirm_label="Delete", danger=True
            ),
            done,
        )

    def action_reorder(self, step: int) -> None:
        if not self._ready() or (task := self._current_task()) is None:
            return
        self._focus_task = task.id
        self.attempt(self.service.reorder_task, task, step, after=self.refresh_data)

    def action_move_month(self) -> None:
        if not self._ready() or (task := self._current_task()) is None:
            return

        def done(month: int | None) -> None:
            if month is None:
                return
            saved = self.attempt(self.service.move_task_to_month, task, month)
            if saved is REFUSED:
                self.refresh_data()
                return
            # one reload, with the focus already on the task in its new month
            self._focus_month = saved.month
            self._focus_task = saved.id
            self.refresh_data()
            self._focus_list(saved.month)
            self.notify(f"Moved to month {month}: {saved.title}", markup=False)

        self.app.push_screen(MonthDialog(task.title, task.month), done)

    def action_owner(self) -> None:
        if not self._ready() or (task := self._current_task()) is None:
            return

        def done(owner: str | None) -> None:
            if owner is None:
                return
            self._focus_task = task.id
            saved = self.attempt(self.service.set_task_owner, task, owner, after=self.refresh_data)
            if saved is not REFUSED:
                self.notify(f"Owner of '{saved.title}': {saved.owner or 'nobody'}", markup=False)

        self.app.push_screen(OwnerDialog(task.title, task.owner), done)

    def action_start(self) -> None:
        if not self._ready() or self.view is None:
            return
        view = self.view

        def done(start: date | None) -> None:
            if start is None or start == view.plan.start_date:
                return
            moved = self.attempt(
                self.service.set_plan_start, view.initiative, start, after=self.refresh_data
            )
            if moved is not REFUSED:
                self.notify(
                    f"Day 1 is now {start.isoformat()}; due dates moved with it.", markup=False
                )

        self.app.push_screen(StartDialog(view.initiative.name, view.plan.start_date), done)

    def action_neighbour(self, step: int) -> None:
        if step_plan(self, self.initiative.id if self.initiative else None, step):
            self.refresh_data()

    def action_generate(self) -> None:
        initiative = self.initiative
        if initiative is None:
            self.notify("Pick an initiative on the board first (press 1).", markup=False)
            return
        if self.view is not None:
            self.notify(f"{initiative.name} already has a {method.PLAN_NAME}.", markup=False)
            return
        if self.refuse_if_read_only():
            return
        made = self.attempt(self.service.generate_plan, initiative, after=self.refresh_data)
        if made is not REFUSED:
            self.notify(
                f"Created the {method.PLAN_NAME} of {initiative.name}, starting today.",
                markup=False,
            )

    def action_toggle_timeline(self) -> None:
        """The portfolio timeline, over this screen (t there comes back)."""
        self.app.push_screen(PlanTimelineScreen())
