"""One month of a 90-day plan: its title and dates, a progress bar, and its tasks.

Dumb by design: the plan screen pushes a `MonthProgress` and the month's tasks down with
`show(...)`; the task list is an OptionList (line API), so a long month stays fast. Keys are
handled by the screen; the list only reports which task is highlighted.
"""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bridge_tui.models import PlanTask
from bridge_tui.scoring import MonthProgress

STATE_WORDS = {"done": "done", "behind": "BEHIND", "current": "now", "upcoming": ""}


def short_date(d: date) -> str:
    return f"{d.strftime('%b')} {d.day}"


def bar(share: float, width: int) -> tuple[str, str]:
    """The filled and empty parts of a bar of `width` cells."""
    width = max(width, 0)
    filled = round(share * width)
    return "█" * filled, "░" * (width - filled)


class MonthBar(Widget):
    """A one-line progress bar that fills the width it is given: ████░░ 5/6 83%."""

    DEFAULT_CSS = "MonthBar { height: 1; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.progress: MonthProgress | None = None

    def show(self, progress: MonthProgress) -> None:
        self.progress = progress
        self.refresh()

    def render(self) -> Content:
        p = self.progress
        if p is None:
            return Content("")
        label = f" {p.done}/{p.total} {p.percent:>3}%"
        word = STATE_WORDS[p.state]
        if word:
            label += f" {word}"
        full, empty = bar(p.share, self.size.width - len(label))
        style = {
            "done": "$success",
            "behind": "$error",
            "current": "$primary",
            "upcoming": "$text-muted",
        }[p.state]
        return Content.assemble((full, style), (empty, "$text-muted"), (label, style))


class TaskList(OptionList):
    """The tasks of one month; option ids are task ids. Up at the top or down at the bottom
    does not wrap around: it posts `TaskList.Edge` so the screen can go to the next month."""

    class Edge(Message):
        def __init__(self, task_list: TaskList, direction: int) -> None:
            super().__init__()
            self.task_list = task_list
            self.direction = direction

    class StepMonth(Message):
        """Left or right: the screen moves the focus to the month beside this one."""

        def __init__(self, task_list: TaskList, step: int) -> None:
            super().__init__()
            self.task_list = task_list
            self.step = step

    BINDINGS = [
        Binding("left", "step_month(-1)", "Previous month", show=False),
        Binding("right", "step_month(1)", "Next month", show=False),
    ]

    def __init__(self, month: int, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="task-list")
        self.month = month

    def action_step_month(self, step: int) -> None:
        self.post_message(self.StepMonth(self, step))

    def _enabled(self) -> list[int]:
        return [n for n, o in enumerate(self.options) if not o.disabled]

    def action_cursor_up(self) -> None:
        enabled = self._enabled()
        if not enabled or self.highlighted is None or self.highlighted <= enabled[0]:
            self.post_message(self.Edge(self, -1))
            return
        super().action_cursor_up()

    def action_cursor_down(self) -> None:
        enabled = self._enabled()
        if not enabled or self.highlighted is None or self.highlighted >= enabled[-1]:
            self.post_message(self.Edge(self, 1))
            return
        super().action_cursor_down()

    @property
    def task_id(self) -> str | None:
        option = self.highlighted_option
        if option is None or option.disabled:
            return None
        return option.id


def task_prompt(
    task: PlanTask, due: date, overdue: bool, today: date, *, compact: bool = False
) -> Content:
    """A task as one or two lines: check box and title, then owner and due date."""
    box = "☑ " if task.done else "☐ "
    if task.done:
        head = Content.assemble((box, "$success"), (task.title, "$text-muted"))
    elif overdue:
        head = Content.assemble((box, "$error"), (task.title, "bold $error"))
    else:
        head = Content.assemble(box, task.title)
    owner = (task.owner, "") if task.owner else ("no owner", "$warning")
    if task.done:
        when = f"done by {task.done_by}" if task.done_by else "done"
        if task.done_at is not None:
            when += f", {short_date(task.done_at.date())}"
        detail = (when, "$text-muted")
    elif overdue:
        days = (today - due).days
        detail = (f"OVERDUE {days} day{'s' if days != 1 else ''} (due {short_date(due)})", "$error")
    else:
        detail = (f"due {short_date(due)}", "$text-muted")
    if compact:
        # One line: the owner's first name, and only the date that matters.
        who = (task.owner.split()[0], "$text-muted") if task.owner else owner
        if task.done:
            return Content.assemble(head, ("  ", ""), who)
        short = (f"OVERDUE {(today - due).days}d", "$error") if overdue else detail
        return Content.assemble(head, ("  ", ""), who, (" · ", "$text-muted"), short)
    parts: list[Content | tuple[str, str] | str] = [
        head,
        "\n  ",
        (owner[0], owner[1] or "$text-muted"),
        (" · ", "$text-muted"),
        detail,
    ]
    if task.notes:
        parts.append((" · notes", "$text-muted"))
    return Content.assemble(*parts)


class MonthColumn(Vertical):
    """Title with the month's dates, its progress bar, and the task list."""

    def __init__(self, month: int, label: str) -> None:
        super().__init__(id=f"month-{month}", classes="month")
        self.month = month
        self.label = label

    def compose(self) -> ComposeResult:
        with Horizontal(classes="month-head"):
            yield Static(f"Month {self.month} · {self.label}", classes="month-title", markup=False)
            yield MonthBar(classes="month-bar")
        yield TaskList(self.month, id=f"tasks-{self.month}")

    @property
    def tasks(self) -> TaskList:
        return self.query_one(TaskList)

    def show(
        self,
        progress: MonthProgress,
        tasks: list[tuple[PlanTask, date, bool]],
        today: date,
        *,
        compact: bool = False,
        keep: str | None = None,
        keep_index: int | None = None,
    ) -> None:
        """Replace the month's content; re-highlight task `keep` (or the row at `keep_index`)."""
        self.set_class(progress.state == "behind", "-behind")
        self.set_class(progress.state == "done", "-done")
        self.set_class(progress.current, "-current")
        dates = f"{short_date(progress.first)} – {short_date(progress.last)}"
        self.query_one(".month-title", Static).update(
            Content.assemble(
                (f"Month {progress.month} · {progress.label}", "bold"),
                (f"  {dates}", "$text-muted"),
            )
        )
        self.query_one(MonthBar).show(progress)
        options: list[Option | None] = [
            Option(task_prompt(t, due, over, today, compact=compact), id=t.id)
            for t, due, over in tasks
        ]
        lst = self.tasks
        lst.set_options([o for o in options if o is not None])
        if not tasks:
            hint = Content.styled("no tasks: press n to add one", "$text-muted")
            lst.add_option(Option(hint, id=f"empty-{self.month}", disabled=True))
            return
        ids = [t.id for t, _, _ in tasks]
        if keep in ids:
            lst.highlighted = ids.index(keep)
        elif keep_index is not None:
            lst.highlighted = max(0, min(keep_index, len(ids) - 1))
        else:
            lst.highlighted = 0
