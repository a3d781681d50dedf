"""The new / edit form for an initiative: every field a person may set, checked by the model.

Nothing is saved until the whole form is valid; each error sits beside its field. A save sends
only the fields the user changed against the values the form opened with (compared as values,
not as the text shown), so opening and saving writes nothing. The screen passes a `save`
callback that returns None when saved, one sentence when the service refused, or the
`StaleChanges` when a teammate saved first: the form then shows per field their value, yours,
who and when, and offers take theirs, keep mine, or back to editing. Everything typed is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from bridge_tui import method
from bridge_tui.models import Initiative, field_errors, keeping
from bridge_tui.service.conflicts import StaleChanges, conflict_rows, settle
from bridge_tui.text import number_text, parse_amount, parse_money
from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Horizontal, Vertical, VerticalScroll
from bridge_tui.tui.widgets.conflict_panel import ConflictPanel, conflict_text

#: the save callback: (the revision to save onto or None for new, changed fields) -> None when
#: saved, one sentence when refused, or what a teammate changed when they saved first
SaveCallback = Callable[
    [Initiative | None, dict[str, Any]], "str | StaleChanges[Initiative] | None"
]

BUDGETS = (
    ("pilot_budget", "Pilot budget"),
    ("integration_budget", "Integration budget"),
    ("maintenance_budget", "Maintenance budget"),
)
TEXT_FIELDS = (
    ("name", "Name", "What the room calls it"),
    ("owner", "Owner", "The named person accountable (empty: no owner)"),
    ("team", "Team", "The team that runs it"),
    ("pilot_builder", "Pilot built by", "Who built the pilot (the owner must be someone else)"),
)


class InitiativeForm(ModalScreen[bool]):
    """Dismisses True when saved, False when cancelled."""

    CSS_PATH = sheets("board_dialogs.tcss", "dialogs.tcss")

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="initiative_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="initiative_form.save"),
    ]

    def __init__(
        self,
        base: Initiative | None,
        save: SaveCallback,
        today: date,
        *,
        extendable: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__()
        #: the initiative as the form shows it: changes are counted against it and saved onto
        #: its revision (after "back to editing", the teammate's newer version)
        self.base = base
        self.save = save
        self.today = today
        #: what a teammate changed, while the form waits for take theirs / keep mine / back
        self.conflict: StaleChanges[Initiative] | None = None
        #: (id, name) of the Infrastructure initiatives it may build on
        self.extendable = [(i, n) for i, n in extendable if base is None or i != base.id]

    # building --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        b = self.base
        title = f"Edit {b.name}" if b else "New initiative (it starts in Experiment)"
        with Vertical(classes="dialog form"):
            yield Static(title, classes="dialog-question", id="form-title", markup=False)
            yield Label("", id="form-error", markup=False)
            yield ConflictPanel(id="conflict")
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
                    value = number_text(getattr(b, field)) if b else ""
                    months = method.COMMITMENT_MONTHS
                    hint = (
                        f"0  (committed for the next {months} months)" if "maint" in field else "0"
                    )
                    yield from self._row(field, label, Input(value, placeholder=hint))
                committed = (
                    b.maintenance_committed_until.isoformat()
                    if b and b.maintenance_committed_until
                    else ""
                )
                yield from self._row(
                    "maintenance_committed_until",
                    "Committed until",
                    Input(
                        committed,
                        placeholder="YYYY-MM-DD: last day maintenance is funded",
                    ),
                )
                review = b.last_review_at.isoformat() if b and b.last_review_at else ""
                yield from self._row(
                    "last_review_at",
                    "Last review",
                    Input(review, placeholder="YYYY-MM-DD, empty if never reviewed"),
                )
                designed = number_text(b.designed_volume) if b and b.designed_volume else ""
                yield from self._row(
                    "designed_volume",
                    "Designed volume",
                    Input(designed, placeholder="the volume it was built for (empty: unknown)"),
                )
                yield from self._row(
                    "volume_metric",
                    "Volume metric",
                    Input(
                        b.volume_metric if b else "",
                        placeholder=(
                            "metric with its volume readings "
                            f"(empty: {method.DEFAULT_VOLUME_METRIC})"
                        ),
                    ),
                )
                yield from self._row("builds_on", "Builds on", self._builds_on_select())
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

    def _builds_on_select(self) -> Select[str]:
        """The Infrastructure initiatives it may extend; its current link stays offered even
        when that initiative has left Infrastructure since (so opening the form loses nothing)."""
        options: list[tuple[Text, str]] = [(Text(name), ident) for ident, name in self.extendable]
        current = self.base.builds_on if self.base else None
        if current is not None and current not in {ident for ident, _ in self.extendable}:
            options.append(
                (Text("(the initiative it builds on now; no longer infrastructure)"), current)
            )
        return Select(
            options,
            prompt="nothing: it stands on its own",
            allow_blank=True,
            value=current if current is not None else Select.NULL,
            compact=True,
        )

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
            "pilot_builder": self.query_one("#pilot_builder", Input).value,
            "blockers": tuple(self.query_one("#blockers", SelectionList).selected),
        }
        for field, _ in BUDGETS:
            v[field] = parse_money(self.query_one(f"#{field}", Input).value)
        review = self.query_one("#last_review_at", Input).value.strip()
        v["last_review_at"] = review or None
        committed = self.query_one("#maintenance_committed_until", Input).value.strip()
        v["maintenance_committed_until"] = committed or None
        # empty: not recorded
        v["designed_volume"] = parse_amount(self.query_one("#designed_volume", Input).value)
        v["volume_metric"] = self.query_one("#volume_metric", Input).value
        link = self.query_one("#builds_on", Select).value
        v["builds_on"] = link if isinstance(link, str) else None
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

    def changed(self, clean: dict[str, Any]) -> dict[str, Any]:
        """The fields whose value differs from the initiative the form holds (values, not the
        text shown: a budget shown as '1,234.56' is 1234.56 again)."""
        base = self.base
        if base is None:
            return dict(clean)
        return {k: v for k, v in clean.items() if getattr(base, k) != v}

    def load(self, field: str, value: Any) -> None:
        """Put a model value into its field, shown as the form shows it when it opens."""
        if field in ("name", "owner", "team", "pilot_builder"):
            self.query_one(f"#{field}", Input).value = value
        elif field == "summary":
            self.query_one("#summary", TextArea).load_text(value)
        elif field == "owner_is_operational":
            self.query_one("#owner_is_operational", Checkbox).value = bool(value)
        elif field in dict(BUDGETS):
            self.query_one(f"#{field}", Input).value = number_text(value)
        elif field in ("last_review_at", "maintenance_committed_until"):
            text = value.isoformat() if value else ""
            self.query_one(f"#{field}", Input).value = text
        elif field == "designed_volume":
            self.query_one("#designed_volume", Input).value = number_text(value) if value else ""
        elif field == "volume_metric":
            self.query_one("#volume_metric", Input).value = value or ""
        elif field == "builds_on":
            link = self.query_one("#builds_on", Select)
            if value is None:
                link.clear()
            else:
                link.value = value
        elif field == "blockers":
            blockers = self.query_one("#blockers", SelectionList)
            blockers.deselect_all()
            for b in value:
                blockers.select(b)

    # saving, and a teammate's newer version ----------------------------------------------

    def _valid(self) -> dict[str, Any] | None:
        clean, errors = self.check()
        self._show_errors(errors)
        if errors:
            self.show_error("Fix the marked fields; nothing was saved.")
            return None
        return clean

    def action_save(self) -> None:
        if self.conflict is not None:
            self.show_error(
                "Choose first: take theirs, keep mine, or back to editing (nothing was saved)."
            )
            self.query_one("#conflict-back", Button).focus()
            return
        clean = self._valid()
        if clean is None:
            return
        changed = self.changed(clean)
        if self.base is not None and not changed:
            self.dismiss(False)
            self.app.notify("No changes to save.", markup=False)
            return
        self._send(self.base, changed)

    def _send(self, onto: Initiative | None, fields: dict[str, Any]) -> None:
        outcome = self.save(onto, fields)
        if outcome is None:
            self.dismiss(True)
        elif isinstance(outcome, StaleChanges):
            self._show_conflict(outcome)
        else:
            self.show_error(outcome)

    def _show_conflict(self, conflict: StaleChanges[Initiative]) -> None:
        """Per field: their value, who and when, and yours; then wait for a choice."""
        self.conflict = conflict
        clean, _ = self.check()
        mine = self.changed(clean)
        rows = conflict_rows(conflict, clean, mine)
        names = [r.label for r in rows if r.yours_changed]
        self.show_error("")
        self.query_one(ConflictPanel).shown = conflict_text(conflict.sentence(), rows, names)

    def on_conflict_panel_chosen(self, event: ConflictPanel.Chosen) -> None:
        event.stop()
        conflict = self.conflict
        if conflict is None:
            return
        clean = self._valid()
        if clean is None:
            return
        mine = self.changed(clean)
        loads, to_save = settle(event.choice, conflict, clean, mine)
        for field, value in loads.items():
            self.load(field, value)
        self._resolved(conflict.current)
        if to_save is None:
            self.show_error(
                "Their changes are in the form now; saving writes only the fields you changed."
            )
            self._focus_first(mine)
        elif not to_save:
            self.dismiss(False)
            self.app.notify("Their version is kept; you had nothing else to save.", markup=False)
        else:
            self._send(conflict.current, to_save)

    def _resolved(self, fresh: Initiative) -> None:
        """The choice is made: the form now stands on their version."""
        self.conflict = None
        self.base = fresh
        self.query_one(ConflictPanel).shown = None

    def _focus_first(self, fields: dict[str, Any]) -> None:
        target = next(iter(fields), "name")
        try:
            self.query_one(f"#{target}").focus()
        except Exception:  # a field without a widget of its own
            self.query_one("#name", Input).focus()

    # actions -----------------------------------------------------------------------------

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
