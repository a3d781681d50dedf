"""The new / edit form for an initiative: every field a person may set, checked by the model.

Nothing is saved until the whole form is valid; each error sits beside its field. The screen
passes a `save` callback that returns None when saved or one sentence when the service refused
(for example, a teammate saved first): the form then stays open with everything typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, SelectionList, Static, TextArea

from bridge_tui import method
from bridge_tui.models import Initiative, field_errors, keeping

#: the save callback: (initiative being edited or None for new, changed fields) -> error or None
SaveCallback = Callable[[Initiative | None, dict[str, Any]], str | None]

BUDGETS = (
    ("pilot_budget", "Pilot budget"),
    ("integration_budget", "Integration budget"),
    ("maintenance_budget", "Maintenance budget"),
)
TEXT_FIELDS = (
    ("name", "Name", "What the room calls it"),
    ("owner", "Owner", "The named person accountable (empty: no owner)"),
    ("team", "Team", "The team that runs it"),
)


def parse_money(raw: str) -> str | float:
    """'40,000', '40 000', '$40000' -> 40000.0; anything else goes to the model as typed."""
    cleaned = raw.strip().lstrip("$€£").replace(",", "").replace(" ", "").replace("_", "")
    if not cleaned:
        return 0.0
    try:
        return float(cleaned)
    except ValueError:
        return raw.strip()


class InitiativeForm(ModalScreen[bool]):
    """Dismisses True when saved, False when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, base: Initiative | None, save: SaveCallback, today: date) -> None:
        super().__init__()
        self.base = base
        self.save = save
        self.today = today

    # building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        b = self.base
        title = f"Edit {b.name}" if b else "New initiative (it starts in Experiment)"
        with Vertical(classes="dialog form"):
            yield Static(title, classes="dialog-question", id="form-title", markup=False)
            yield Label("", id="form-error", markup=False)
            with VerticalScroll(id="form-fields"):
                field, label, hint = TEXT_FIELDS[0]
                yield from self._row(field, label, Input(b.name if b else "", placeholder=hint))
                yield from self._row(
                    "summary",
                    "Summary",
                    TextArea(b.summary if b else "", compact=True),
                )
                for field, label, hint in TEXT_FIELDS[1:]:
                    value = getattr(b, field) if b else ""
                    yield from self._row(field, label, Input(value, placeholder=hint))
                yield from self._row(
                    "owner_is_operational",
                    "",
                    Checkbox(
                        "Owner sits on the operations side, with authority and time",
                        value=b.owner_is_operational if b else False,
                        compact=True,
                    ),
                )
                for field, label in BUDGETS:
                    value = f"{getattr(b, field):,.0f}" if b else ""
                    hint = "0  (committed for the next 12 months)" if "maint" in field else "0"
                    yield from self._row(field, label, Input(value, placeholder=hint))
                review = b.last_review_at.isoformat() if b and b.last_review_at else ""
                yield from self._row(
                    "last_review_at",
                    "Last review",
                    Input(review, placeholder="YYYY-MM-DD, empty if never reviewed"),
                )
                yield Label(
                    "Blockers (space toggles)", classes="field-label blockers-label", markup=False
                )
                yield SelectionList[str](
                    *[
                        (f"{bl.label}: {bl.text}", bl.id, bool(b and bl.id in b.blockers))
                        for bl in method.BLOCKERS
                    ],
                    id="blockers",
                    compact=True,
                )
                yield Label("", id="error-blockers", classes="field-error", markup=False)
            yield Static(
                "tab next field · enter or ctrl+s saves · escape cancels",
                classes="form-hint",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def _row(self, field: str, label: str, widget: Widget) -> ComposeResult:
        widget.id = field
        widget.add_class("field")
        if isinstance(widget, Input):
            widget.compact = True
        with Horizontal(classes="form-row"):
            yield Label(label, classes="field-label", markup=False)
            yield widget
        yield Label("", id=f"error-{field}", classes="field-error", markup=False)

    def on_mount(self) -> None:
        blink = not self.app.is_headless
        for inp in self.query(Input):
            inp.cursor_blink = blink
        self.query_one(TextArea).cursor_blink = blink
        self.query_one("#name", Input).focus()

    # reading and checking ----------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form holds, as the model's field values (numbers still unparsed if bad)."""
        v: dict[str, Any] = {
            "name": self.query_one("#name", Input).value,
            "summary": self.query_one("#summary", TextArea).text,
            "owner": self.query_one("#owner", Input).value,
            "owner_is_operational": self.query_one("#owner_is_operational", Checkbox).value,
            "team": self.query_one("#team", Input).value,
            "blockers": tuple(self.query_one("#blockers", SelectionList).selected),
        }
        for field, _ in BUDGETS:
            v[field] = parse_money(self.query_one(f"#{field}", Input).value)
        review = self.query_one("#last_review_at", Input).value.strip()
        v["last_review_at"] = review or None
        return v

    def check(self) -> tuple[dict[str, Any], dict[str, str]]:
        """Validate through the model. Returns (clean values, errors per field)."""
        raw = self.values()
        now = datetime.combine(self.today, time(), UTC)  # only to validate; never saved
        if self.base is not None:
            data = {**self.base.model_dump(), **raw}
        else:
            data = {"stage_entered_at": self.today, "created_at": now, "updated_at": now, **raw}
        errors: dict[str, str] = {}
        try:
            # what the initiative already holds passes as it is (an old file's text)
            context = keeping(self.base) if self.base else None
            model = Initiative.model_validate(data, context=context)
        except ValidationError as exc:
            errors = field_errors(exc)
            return raw, errors
        if model.last_review_at is not None and model.last_review_at > self.today:
            errors["last_review_at"] = "the last review cannot be in the future"
        clean = {k: getattr(model, k) for k in raw}
        return clean, errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        for label in self.query(".field-error"):
            if label.id and label.id.startswith("error-"):
                field = label.id.removeprefix("error-")
                assert isinstance(label, Label)
                label.update(errors.get(field, ""))
                label.set_class(field in errors, "-shown")
        other = [f"{k}: {m}" for k, m in errors.items() if not self.query(f"#error-{k}")]
        self.query_one("#form-error", Label).update("; ".join(other))
        self.query_one("#form-error", Label).display = bool(other)
        if errors:
            first = next(iter(errors))
            try:
                self.query_one(f"#{first}").focus()
            except Exception:  # a field without a widget (reported at the top)
                pass

    def show_error(self, message: str) -> None:
        label = self.query_one("#form-error", Label)
        label.update(message)
        label.display = bool(message)

    def rebase(self, fresh: Initiative) -> None:
        """A teammate saved first: keep what was typed, and save over their version next time."""
        self.base = fresh

    # actions -----------------------------------------------------------------------------

    def action_save(self) -> None:
        clean, errors = self.check()
        self._show_errors(errors)
        if errors:
            self.show_error("Fix the marked fields; nothing was saved.")
            return
        if self.base is not None:
            changed = {k: v for k, v in clean.items() if getattr(self.base, k) != v}
            if not changed:
                self.dismiss(False)
                self.app.notify("No changes to save.")
                return
            clean = changed
        error = self.save(self.base, clean)
        if error:
            self.show_error(error)
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
