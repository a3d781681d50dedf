"""The refusal of a stale save, inside the form: per field, their value, yours, who and when.

It offers three ways on (buttons, or t / k / b while it has the focus): take theirs, keep mine,
or go back to editing. It decides nothing: it posts `ConflictPanel.Chosen` and the form acts.
Every value is user text, so all of it is built as `Text` (never markup); the text wraps.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.widgets import Button, Static

from bridge_tui.models import ConflictChoice, ConflictRow
from bridge_tui.tui.widgets.boxes import Horizontal, Vertical


def _quoted(value: str) -> str:
    return value if value == "(empty)" else f"“{value}”"


def conflict_text(sentence: str, rows: list[ConflictRow], mine: list[str]) -> Text:
    """The panel's words, as plain text with styles (never parsed as markup)."""
    text = Text(sentence, style="bold")
    for row in rows:
        text.append("\n• ")
        text.append(row.label, style="bold")
        text.append(": ")
        if row.theirs is not None:
            text.append("theirs ")
            text.append(_quoted(row.theirs), style="bold")
            text.append(f", by {row.by}")
        if row.yours is not None:
            text.append("; yours " if row.theirs is not None else "yours ")
            text.append(_quoted(row.yours), style="bold")
            text.append(" (your change)" if row.yours_changed else " (you did not change it)")
        if row.theirs is None:
            text.append("; theirs unchanged")
    shown = ", ".join(mine) if mine else "nothing"
    text.append(
        f"\nTake theirs keeps their values and saves your other changes; Keep mine saves "
        f"your changes ({shown}) over theirs; Back to editing loads their values into the "
        "fields you did not touch. Fields you did not change are never written."
    )
    return text


class ConflictPanel(Vertical):
    """Hidden until a save is refused: setting `shown` fills it and focuses a choice."""

    DEFAULT_CSS = "ConflictPanel { display: none; }"
    BINDINGS = [
        Binding("t", "choose('theirs')", "Take theirs", show=False, id="conflict.theirs"),
        Binding("k", "choose('mine')", "Keep mine", show=False, id="conflict.mine"),
        Binding("b", "choose('back')", "Back to editing", show=False, id="conflict.back"),
    ]

    class Chosen(Message):
        def __init__(self, choice: ConflictChoice) -> None:
            super().__init__()
            self.choice = choice

    #: the panel's words (`conflict_text`); None hides the panel. Always: the same refusal
    #: again still moves the focus to the safe choice
    shown: var[Text | None] = var(None, always_update=True, init=False)

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="conflict-text", markup=False)
        with Horizontal(classes="conflict-buttons"):
            yield Button("Take theirs (t)", id="conflict-theirs", compact=True)
            yield Button("Keep mine (k)", id="conflict-mine", compact=True)
            yield Button("Back to editing (b)", id="conflict-back", variant="primary", compact=True)

    def watch_shown(self, text: Text | None) -> None:
        if text is None:
            self.display = False
            self.screen.remove_class("-conflict")
            self.query_one("#conflict-text", Static).update(Text(""))
            return
        self.query_one("#conflict-text", Static).update(text)
        self.display = True
        self.screen.add_class("-conflict")
        # the safe choice has the focus: enter again writes nothing
        self.query_one("#conflict-back", Button).focus()

    def action_choose(self, choice: ConflictChoice) -> None:
        self.post_message(self.Chosen(choice))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice: ConflictChoice = {
            "conflict-theirs": "theirs",
            "conflict-mine": "mine",
        }.get(event.button.id or "", "back")  # type: ignore[assignment]
        self.post_message(self.Chosen(choice))
