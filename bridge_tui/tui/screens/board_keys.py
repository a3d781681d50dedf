"""The board's keys: its bindings (ids "board.<action>", which a user's keymap can rebind:
`settings.saved_keymap`) and the palette entries that run the same actions."""

from __future__ import annotations

from textual.binding import Binding, BindingType

SELECT = Binding.Group("Select", compact=True)
MOVE = Binding.Group("Move", compact=True)

#: keys that run the same action share its id: a keymap entry gives that action its keys
BINDINGS: list[BindingType] = [
    Binding(
        "up", "cursor(-1)", "Card up", group=SELECT, show=False, key_display="↑", id="board.up"
    ),
    Binding(
        "down", "cursor(1)", "Card down", group=SELECT, show=False, key_display="↓", id="board.down"
    ),
    Binding(
        "left",
        "column(-1)",
        "Column left",
        group=SELECT,
        show=False,
        key_display="←",
        id="board.left",
    ),
    Binding(
        "right",
        "column(1)",
        "Column right",
        group=SELECT,
        show=False,
        key_display="→",
        id="board.right",
    ),
    Binding("k", "cursor(-1)", "Card up", show=False, id="board.up"),
    Binding("j", "cursor(1)", "Card down", show=False, id="board.down"),
    Binding("h", "column(-1)", "Column left", show=False, id="board.left"),
    Binding("l", "column(1)", "Column right", show=False, id="board.right"),
    Binding("tab", "column(1)", "Next column", show=False, id="board.next_column"),
    Binding("shift+tab", "column(-1)", "Previous column", show=False, id="board.previous_column"),
    Binding("home", "cursor_to('first')", "First card", show=False, id="board.first"),
    Binding("end", "cursor_to('last')", "Last card", show=False, id="board.last"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="board.page_up"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="board.page_down"),
    Binding(
        "shift+right",
        "forward",
        "Forward",
        key_display="⇧→",
        group=MOVE,
        id="board.forward",
        tooltip="Move the selected initiative one stage on, through its gate",
    ),
    Binding(
        "shift+left",
        "back",
        "Back",
        key_display="⇧←",
        group=MOVE,
        id="board.back",
        tooltip="Move the selected initiative one stage back (asks for a reason)",
    ),
    Binding(
        "enter",
        "open",
        "Open",
        key_display="⏎",
        id="board.open",
        tooltip="Open the checklist of the selected initiative (a click on it too)",
    ),
    Binding("greater_than_sign", "forward", "Forward", show=False, id="board.forward"),
    Binding("less_than_sign", "back", "Back", show=False, id="board.back"),
    Binding("n", "new", "New", id="board.new", tooltip="New initiative, in Experiment"),
    Binding("e", "edit", "Edit", id="board.edit", tooltip="Edit the selected initiative"),
    Binding(
        "x",
        "kill",
        "Kill",
        show=False,
        id="board.kill",
        tooltip="Kill it (asks for the reason)",
    ),
    Binding(
        "v",
        "revive",
        "Revive",
        show=False,
        id="board.revive",
        tooltip="Revive a killed one into Experiment",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        key_display="/",
        id="board.filter",
        tooltip="Show only cards whose name, owner, team or blocker match",
    ),
    Binding("escape", "clear_filter", "Clear filter", show=False, id="board.clear_filter"),
    Binding(
        "K",
        "toggle_killed",
        "Killed",
        show=False,
        id="board.toggle_killed",
        tooltip="Show or hide the Killed column",
    ),
    Binding(
        "d",
        "toggle_detail",
        "Details",
        show=False,
        id="board.toggle_detail",
        tooltip="Show or hide the detail pane",
    ),
]

#: the palette's board entries: (title, help, action as in BINDINGS)
PALETTE = (
    ("Move forward", "Move the selected initiative one stage on", "forward"),
    ("Move back", "Move the selected initiative one stage back", "back"),
    ("Open checklist", "Score the selected initiative", "open"),
    ("New initiative", "Add an initiative in Experiment", "new"),
    ("Edit initiative", "Edit the selected initiative", "edit"),
    ("Kill initiative", "Stop the selected initiative, with a reason", "kill"),
    ("Revive initiative", "Bring a killed initiative back into Experiment", "revive"),
    ("Filter the board", "Show only cards matching a text", "filter"),
    ("Clear the filter", "Show every card again", "clear_filter"),
    ("Show or hide Killed", "Toggle the Killed column", "toggle_killed"),
    ("Show or hide details", "Toggle the detail pane", "toggle_detail"),
)
