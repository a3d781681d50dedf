"""One month of a 90-day plan: its title and dates, a progress bar, and its tasks.

Dumb by design: the plan screen sets a `MonthProgress` and the month's tasks in the column's
`shown`; the task list is an OptionList (line API), so a long month stays fast. Keys are
handled by the screen; the list only reports which task is highlighted.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets.option_list import Option

from bridge_tui.models import PlanTask
from bridge_tui.scoring import MonthProgress
from bridge_tui.tui.widgets.boxes import Horizontal, Vertical
from bridge_tui.tui.widgets.fitted import FittedStatic
from bridge_tui.tui.widgets.kept_lines import KeptLinesOptionList

STATE_WORDS = {"done": "done", "behind": "BEHIND", "current": "now", "upcoming": ""}


def out_of_view(heights: list[int], top: int, view: int) -> tuple[int, int]:
    """How many rows (each `heights[n]` lines tall) are not wholly shown in a view of `view`
    lines scrolled to `top`: (above it, below it). What the "N more" hint counts."""
    above = below = 0
    line = 0
    for h in heights:
        if line < top:
            above += 1
        elif line + h > top + view:
            below += 1
        line += h
    return above, below


def _height(prompt: object, width: int) -> int:
    """Lines a task's prompt takes at `width` (prompts are Content; anything else: one)."""
    if isinstance(prompt, (Content, str)):
        return len(Content.from_text(prompt).wrap(width)) or 1
    return 1


def more_text(above: int, below: int) -> str:
    """ "↓ 4 more", "↑ 2 more", "↑ 2 ↓ 4 more", or "" when every task shows."""
    parts = ([f"↑ {above}"] if above else []) + ([f"↓ {below}"] if below else [])
    return f"{' '.join(parts)} more" if parts else ""


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

    #: the month's figures; None draws nothing. One line whatever it holds, so new figures
    #: repaint without a layout (and repaint even when equal, as a reload does)
    progress: reactive[MonthProgress | None] = reactive(None, always_update=True)

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


class TaskList(KeptLinesOptionList):
    """The tasks of one month; option ids are task ids. Up at the top or down at the bottom
    does not wrap around: it posts `TaskList.Edge` so the screen can go to the next month."""

    class Edge(Message):
        def __init__(self, task_list: TaskList, direction: int) -> None:
            super().__init__()
            self.task_list = task_list
            self.direction = direction

    class Scrolled(Message):
        """The view of the list moved or resized: the month's "N more" hint is redone."""

        def __init__(self, task_list: TaskList) -> None:
            super().__init__()
            self.task_list = task_list

    class StepMonth(Message):
        """Left or right: the screen moves the focus to the month beside this one."""

        def __init__(self, task_list: TaskList, step: int) -> None:
            super().__init__()
            self.task_list = task_list
            self.step = step

    BINDINGS = [
        Binding("left", "step_month(-1)", "Previous month", show=False, id="month_tasks.previous"),
        Binding("right", "step_month(1)", "Next month", show=False, id="month_tasks.next"),
    ]

    def __init__(self, month: int, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="task-list")
        self.month = month

    def action_step_month(self, step: int) -> None:
        self.post_message(self.StepMonth(self, step))

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._scrolled, init=False)

    def on_resize(self, event: events.Resize) -> None:
        # the month grows when it takes the focus (narrow layout) and shrinks when it loses
        # it: keep the highlighted task in view, and say how many are not
        self.call_after_refresh(self.follow)

    def on_focus(self, event: events.Focus) -> None:
        self.call_after_refresh(self.follow)

    def follow(self) -> None:
        if self.highlighted is not None:
            self.scroll_to_highlight()
        self._scrolled()

    def _scrolled(self, _value: float | None = None) -> None:
        self.post_message(self.Scrolled(self))

    def hidden_counts(self) -> tuple[int, int]:
        """(above, below): tasks not wholly in view. Each prompt wraps at the list's width
        less the option's padding, as the list draws it."""
        width = max(self.scrollable_content_region.width - 2, 1)
        heights = [_height(o.prompt, width) for o in self.options]
        return out_of_view(heights, round(self.scroll_y), self.scrollable_content_region.height)

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


class MonthShown(NamedTuple):
    """What a month column shows: its figures and its tasks as (task, due, overdue) as of
    `today`, one line each when `compact`. `keep`: the task to highlight again (else the row
    at `keep_index`, else the first)."""

    progress: MonthProgress
    tasks: list[tuple[PlanTask, date, bool]]
    today: date
    compact: bool = False
    keep: str | None = None
    keep_index: int | None = None


class MonthColumn(Vertical):
    """Title with the month's dates, its progress bar, and the task list."""

    #: setting it replaces the month's content (a reload, even unchanged)
    shown: var[MonthShown | None] = var(None, always_update=True, init=False)

    def __init__(self, month: int, label: str, progress: MonthProgress | None = None) -> None:
        """`progress`: the month's, when known as the screen is composed; it is made with
        the classes it gives (`state_classes`), set before its widgets are first styled."""
        states = self.state_classes(progress) if progress is not None else {}
        classes = ["month", *(name for name, on in states.items() if on)]
        super().__init__(id=f"month-{month}", classes=" ".join(classes))
        self.month = month
        self.label = label

    @staticmethod
    def state_classes(progress: MonthProgress) -> dict[str, bool]:
        """The month's classes (the stylesheet colours its title and bar by them)."""
        return {
            "-behind": progress.state == "behind",
            "-done": progress.state == "done",
            "-current": progress.current,
        }

    def compose(self) -> ComposeResult:
        with Horizontal(classes="month-head"):
            yield FittedStatic(
                f"Month {self.month} · {self.label}", classes="month-title", markup=False
            )
            yield MonthBar(classes="month-bar")
            yield Static("", classes="month-more", markup=False)
        yield TaskList(self.month, id=f"tasks-{self.month}")

    def on_task_list_scrolled(self, message: TaskList.Scrolled) -> None:
        message.stop()
        above, below = message.task_list.hidden_counts()
        text = more_text(above, below)
        more = self.query_one(".month-more", Static)
        if str(more.content) != text:  # a box as wide as its text: a new text lays out
            more.update(text)

    @property
    def tasks(self) -> TaskList:
        return self.query_one(TaskList)

    def watch_shown(self, shown: MonthShown | None) -> None:
        if shown is None:
            return
        progress, tasks, today, compact, keep, keep_index = shown
        for name, on in self.state_classes(progress).items():
            self.set_class(on, name)
        dates = f"{short_date(progress.first)} – {short_date(progress.last)}"
        self.query_one(".month-title", FittedStatic).fit(
            Content.assemble(
                (f"Month {progress.month} · {progress.label}", "bold"),
                (f"  {dates}", "$text-muted"),
            )
        )
        self.query_one(MonthBar).progress = progress
        options: list[Option | None] = [
            Option(task_prompt(t, due, over, today, compact=compact), id=t.id)
            for t, due, over in tasks
        ]
        lst = self.tasks
        lst.set_options([o for o in options if o is not None])
        self.call_after_refresh(lst.follow)
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
