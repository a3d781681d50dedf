"""Dialogs of the plan screen: the task form (add / edit), the owner field, the month picker.

The task form checks what it can itself (a title, a real date, a month of 1-3) and shows the
error beside the field. It then hands the fields to `save`, a callback from the screen that
calls the service and returns an error sentence or None; the form closes only when the save
worked, so a refused save (a teammate's newer change, a read-only file) keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from bridge_tui import method
from bridge_tui.tui.dialogs.common import SubmitDialog

#: Returns None when saved, else one sentence saying why not.
SaveCallback = Callable[[dict[str, Any]], str | None]


class TaskFormDialog(SubmitDialog[dict[str, Any]]):
    """Add or edit a task. `enter` in any field saves, `escape` cancels."""

    def __init__(
        self,
        title: str,
        *,
        save: SaveCallback,
        values: dict[str, Any] | None = None,
        month_range: Callable[[int], tuple[date, date]] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.save = save
        self.values = values or {}
        self.month_range = month_range

    def _input(self, name: str, placeholder: str) -> Input:
        value = self.values.get(name)
        text = "" if value is None else value.isoformat() if isinstance(value, date) else str(value)
        return Input(value=text, placeholder=placeholder, id=f"f-{name}")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-question", markup=False)
            for name, label, placeholder in (
                ("title", "Title", "What has to happen"),
                ("owner", "Owner", "Who does it (a name)"),
                ("month", "Month", "1 Stabilize, 2 Integrate or 3 Harden and expand"),
                ("due", "Due", "YYYY-MM-DD (empty: the month's last day)"),
                ("notes", "Notes", "Optional"),
            ):
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label", markup=False)
                    yield self._input(name, placeholder)
                yield Label("", id=f"e-{name}", classes="field-error", markup=False)
            yield Label("", id="e-form", classes="form-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="confirm", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        for widget in self.query(Input):
            widget.cursor_blink = self.app.is_headless is False
        self.query_one("#f-title", Input).focus()

    def _value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", Input).value.strip()

    def collect(self) -> dict[str, Any] | None:
        """The typed fields, or None after showing an error beside each bad one."""
        errors: dict[str, str] = {}
        fields: dict[str, Any] = {"title": self._value("title"), "owner": self._value("owner")}
        fields["notes"] = self._value("notes")
        if not fields["title"]:
            errors["title"] = "A title is required."
        month_text = self._value("month")
        if month_text not in ("1", "2", "3"):
            errors["month"] = "Month must be 1, 2 or 3."
        else:
            fields["month"] = int(month_text)
        due_text = self._value("due")
        fields["due"] = None
        if due_text:
            try:
                fields["due"] = date.fromisoformat(due_text)
            except ValueError:
                errors["due"] = "Due must be a date like 2026-11-22."
        for name in ("title", "owner", "month", "due", "notes"):
            self.query_one(f"#e-{name}", Label).update(errors.get(name, ""))
        self.query_one("#e-form", Label).update("")
        return None if errors else fields

    def _submit(self) -> None:
        fields = self.collect()
        if fields is None:
            return
        problem = self.save(fields)
        if problem:
            self.query_one("#e-form", Label).update(problem)
            return
        self.dismiss(fields)


class OwnerDialog(SubmitDialog[str]):
    """Set (or clear) a task's owner. Returns the name, "" to clear, None when cancelled."""

    def __init__(self, task_title: str, owner: str) -> None:
        super().__init__()
        self.task_title = task_title
        self.owner = owner

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Owner of '{self.task_title}'", classes="dialog-question", markup=False)
            yield Input(value=self.owner, placeholder="A name (empty: no owner)", id="owner")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="confirm", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#owner", Input)
        field.cursor_blink = self.app.is_headless is False
        field.focus()

    def _submit(self) -> None:
        self.dismiss(self.query_one("#owner", Input).value.strip())


class MonthDialog(ModalScreen[int | None]):
    """Pick the month a task moves to: arrows and enter, or press 1, 2 or 3."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("1", "pick(1)", "Month 1", show=False),
        Binding("2", "pick(2)", "Month 2", show=False),
        Binding("3", "pick(3)", "Month 3", show=False),
    ]

    def __init__(self, task_title: str, current: int) -> None:
        super().__init__()
        self.task_title = task_title
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                f"Move '{self.task_title}' to which month?", classes="dialog-question", markup=False
            )
            yield OptionList(
                *[
                    Option(
                        Content(
                            f"{m.month}  {m.label}"
                            + ("  (now here)" if m.month == self.current else "")
                        ),
                        id=f"m{m.month}",
                        disabled=m.month == self.current,
                    )
                    for m in method.PLAN_TEMPLATE
                ],
                id="months",
            )
            yield Static(
                "Press 1, 2 or 3, or escape to cancel.", classes="dialog-details", markup=False
            )

    def on_mount(self) -> None:
        months = self.query_one("#months", OptionList)
        months.highlighted = next(n for n in range(3) if n + 1 != self.current)
        months.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.action_pick(int(event.option.id[1:]))

    def action_pick(self, month: int) -> None:
        if month == self.current:
            self.notify(f"It is already in month {month}.", severity="warning")
            return
        self.dismiss(month)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StartDialog(SubmitDialog[date]):
    """Move day 1 of a plan. Returns the new date, or None when cancelled."""

    def __init__(self, name: str, start: date) -> None:
        super().__init__()
        self.plan_name = name
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                f"Day 1 of the plan of {self.plan_name}", classes="dialog-question", markup=False
            )
            yield Static(
                "Every due date moves by the same number of days.",
                classes="dialog-details",
                markup=False,
            )
            yield Input(value=self.start.isoformat(), placeholder="YYYY-MM-DD", id="start")
            yield Label("", id="e-start", classes="field-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="confirm", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#start", Input)
        field.cursor_blink = self.app.is_headless is False
        field.focus()

    def _submit(self) -> None:
        text = self.query_one("#start", Input).value.strip()
        try:
            self.dismiss(date.fromisoformat(text))
        except ValueError:
            self.query_one("#e-start", Label).update("Give a date like 2026-11-22.")
