"""Dialogs of the plan screen: the task form (add / edit), the owner field, the month picker.

The task form checks what it can itself (a title, a real date, a month of 1-3) and shows the
error beside the field. It then hands `save` (a callback from the screen that calls the
service) the new task's fields, or for an edit only the fields changed from the task the form
holds. The callback returns None when saved, an error sentence, or what a teammate changed
when they saved the task first: the form then shows their values, yours, who and when, and
offers take theirs, keep mine or back to editing. The form closes only when the save worked,
so a refused save (a teammate's newer change, a read-only file) keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from bridge_tui import method
from bridge_tui.clock import check_day
from bridge_tui.errors import BadInput
from bridge_tui.models import PlanTask
from bridge_tui.service.conflicts import StaleChanges, conflict_rows, settle
from bridge_tui.tui.dialogs.common import SubmitDialog
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, Vertical, VerticalScroll
from bridge_tui.tui.widgets.conflict_panel import ConflictPanel, conflict_text

#: (the task to save onto or None for a new one, its fields: all for a new task, the changed
#: ones for an edit) -> None when saved, one sentence saying why not, or what a teammate
#: changed when they saved first
SaveCallback = Callable[[PlanTask | None, dict[str, Any]], "str | StaleChanges[PlanTask] | None"]
FIELDS = ("title", "owner", "month", "due", "notes")


def _text(value: Any) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)


class TaskFormDialog(SubmitDialog[dict[str, Any]]):
    """Add or edit a task. `enter` in any field saves, `escape` cancels."""

    CSS_PATH = sheets("dialogs.tcss", "plan.tcss")

    def __init__(
        self,
        title: str,
        *,
        save: SaveCallback,
        values: dict[str, Any] | None = None,
        task: PlanTask | None = None,
        month_range: Callable[[int], tuple[date, date]] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.save = save
        #: the task being edited as the form holds it (None: a new task): changes are counted
        #: against it and saved onto its revision
        self.base = task
        self.values = values or ({f: getattr(task, f) for f in FIELDS} if task else {})
        self.month_range = month_range
        #: what a teammate changed, while the form waits for a choice
        self.conflict: StaleChanges[PlanTask] | None = None

    def _input(self, name: str, placeholder: str) -> Input:
        return Input(
            value=_text(self.values.get(name)),
            placeholder=placeholder,
            id=f"f-{name}",
            compact=True,  # one line each: the whole form fits 80x24
        )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-question", markup=False)
            yield ConflictPanel(id="conflict")
            with VerticalScroll(id="task-fields"):
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
                fields["due"] = check_day(date.fromisoformat(due_text), "Due")
            except ValueError:
                errors["due"] = "Due must be a date like 2026-11-22."
            except BadInput as exc:
                errors["due"] = exc.message
        for name in ("title", "owner", "month", "due", "notes"):
            self.query_one(f"#e-{name}", Label).update(errors.get(name, ""))
        self.query_one("#e-form", Label).update("")
        return None if errors else fields

    def changed(self, fields: dict[str, Any]) -> dict[str, Any]:
        """The fields that differ from the task the form holds. An empty due date means "the
        month's last day": with a new month the service picks it, so it is no change then."""
        base = self.base
        if base is None:
            return dict(fields)
        out = {
            k: v
            for k, v in fields.items()
            if getattr(base, k) != v and not (k == "due" and v is None)
        }
        if fields.get("due") is None and base.due is not None and "month" not in out:
            out["due"] = None
        return out

    def load(self, name: str, value: Any) -> None:
        if name in FIELDS:
            self.query_one(f"#f-{name}", Input).value = _text(value)

    def _error(self, message: str) -> None:
        self.query_one("#e-form", Label).update(message)

    def _submit(self) -> None:
        if self.conflict is not None:
            self._error(
                "Choose first: take theirs, keep mine, or back to editing (nothing was saved)."
            )
            self.query_one("#conflict-back").focus()
            return
        fields = self.collect()
        if fields is None:
            return
        if self.base is None:
            self._send(None, fields)
            return
        changed = self.changed(fields)
        if not changed:
            self.dismiss(None)
            self.app.notify("No changes to save.", markup=False)
            return
        self._send(self.base, changed)

    def _send(self, onto: PlanTask | None, fields: dict[str, Any]) -> None:
        outcome = self.save(onto, fields)
        if outcome is None:
            self.dismiss({**(self.collect() or {}), **fields})
        elif isinstance(outcome, StaleChanges):
            self._show_conflict(outcome)
        else:
            self._error(outcome)

    def _show_conflict(self, conflict: StaleChanges[PlanTask]) -> None:
        self.conflict = conflict
        fields = self.collect() or {}
        mine = self.changed(fields)
        rows = conflict_rows(conflict, fields, mine)
        self._error("")
        self.query_one(ConflictPanel).shown = conflict_text(
            conflict.sentence(), rows, [r.label for r in rows if r.yours_changed]
        )

    def on_conflict_panel_chosen(self, event: ConflictPanel.Chosen) -> None:
        event.stop()
        conflict = self.conflict
        fields = self.collect()
        if conflict is None or fields is None:
            return
        mine = self.changed(fields)
        loads, to_save = settle(event.choice, conflict, fields, mine)
        for name, value in loads.items():
            self.load(name, value)
        self.conflict = None
        self.base = conflict.current
        self.query_one(ConflictPanel).shown = None
        if to_save is None:
            self._error("Their changes are in the form now; saving writes only your changes.")
            first = next((f for f in FIELDS if f in mine), "title")
            self.query_one(f"#f-{first}", Input).focus()
        elif not to_save:
            self.dismiss(None)
            self.app.notify("Their version is kept; you had nothing else to save.", markup=False)
        else:
            self._send(conflict.current, to_save)


class OwnerDialog(SubmitDialog[str]):
    """Set (or clear) a task's owner. Returns the name, "" to clear, None when cancelled."""

    CSS_PATH = sheets("plan.tcss")

    def __init__(self, task_title: str, owner: str) -> None:
        super().__init__()
        self.task_title = task_title
        self.owner = owner

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", can_focus=False):
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

    CSS_PATH = sheets("plan.tcss")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="month.cancel"),
        Binding("1", "pick(1)", "Month 1", show=False, id="month.pick_1"),
        Binding("2", "pick(2)", "Month 2", show=False, id="month.pick_2"),
        Binding("3", "pick(3)", "Month 3", show=False, id="month.pick_3"),
    ]

    def __init__(self, task_title: str, current: int) -> None:
        super().__init__()
        self.task_title = task_title
        self.current = current

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", can_focus=False):
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
            self.notify(f"It is already in month {month}.", severity="warning", markup=False)
            return
        self.dismiss(month)

    def action_cancel(self) -> None:
        self.dismiss(None)


class StartDialog(SubmitDialog[date]):
    """Move day 1 of a plan. Returns the new date, or None when cancelled."""

    CSS_PATH = sheets("plan.tcss")

    def __init__(self, name: str, start: date) -> None:
        super().__init__()
        self.plan_name = name
        self.start = start

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", can_focus=False):
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
            self.dismiss(check_day(date.fromisoformat(text), "Day 1"))
        except ValueError:
            self.query_one("#e-start", Label).update("Give a date like 2026-11-22.")
        except BadInput as exc:
            self.query_one("#e-start", Label).update(exc.message)
