"""The help screen: the keys of the screen behind it, grouped, read from its active bindings.

Textual's own key panel docks beside the screen and squeezes it (card text breaks mid-word at
80 columns); this one is a modal over the screen, scrolls when the list is long, and is built
from the bindings that are live when it opens, so it cannot name a key that does nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from bridge_tui.tui.styles import sheets
from bridge_tui.tui.widgets.boxes import Vertical, VerticalScroll


@dataclass(frozen=True)
class KeyLine:
    keys: str
    description: str


@dataclass(frozen=True)
class KeyGroup:
    title: str
    lines: tuple[KeyLine, ...]


def _describe(binding: Binding) -> str:
    if binding.description:
        return binding.description
    name = binding.action.split("(")[0].split(".")[-1]
    return name.replace("_", " ").capitalize()


def _group_title(node: DOMNode, screen: Screen[Any]) -> str:
    if isinstance(node, App):
        return "Everywhere"
    if node is screen:
        title = getattr(node, "HELP_TITLE", "") or type(node).__name__.removesuffix("Screen")
        return f"On this screen ({title})"
    name = getattr(node, "HELP_TITLE", "") or type(node).__name__
    return f"In the focused {name}"


def key_groups(app: App[Any], screen: Screen[Any]) -> list[KeyGroup]:
    """The keys live on `screen` now (focused widget first, then the screen, then the app),
    one line per action with every key that runs it; disabled actions are left out."""
    bindings: Iterable[ActiveBinding] = screen.active_bindings.values()
    order: list[DOMNode] = []
    found: dict[int, dict[tuple[str, str], list[str]]] = {}
    for active in bindings:
        if not active.enabled or active.binding.system:
            continue
        node = active.node
        if id(node) not in found:
            order.append(node)
            found[id(node)] = {}
        line = (active.binding.action, _describe(active.binding))
        key = app.get_key_display(active.binding)
        keys = found[id(node)].setdefault(line, [])
        if key not in keys:
            keys.append(key)

    def rank(node: DOMNode) -> int:
        return 2 if isinstance(node, App) else 1 if node is screen else 0

    groups = []
    for node in sorted(order, key=rank):
        lines = tuple(
            KeyLine(", ".join(keys), description)
            for (_, description), keys in found[id(node)].items()
        )
        groups.append(KeyGroup(_group_title(node, screen), lines))
    return groups


def help_text(groups: list[KeyGroup]) -> Text:
    """Plain text (no markup): descriptions can come from anywhere."""
    width = max((len(line.keys) for group in groups for line in group.lines), default=0)
    width = min(width, 18)
    out = Text()
    for n, group in enumerate(groups):
        if n:
            out.append("\n")
        out.append(group.title, style="bold")
        out.append("\n")
        for line in group.lines:
            out.append(f"  {line.keys:<{width}}  ", style="bold")
            out.append(line.description)
            out.append("\n")
    out.rstrip()
    return out


class HelpScreen(ModalScreen[None]):
    """Escape, q, ? or F1 closes it; arrows and page keys scroll."""

    CSS_PATH = sheets("help.tcss")

    BINDINGS = [
        Binding("escape,question_mark,f1,q", "close", "Close help", id="help.close"),
    ]

    def __init__(self, groups: list[KeyGroup]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(classes="help-dialog"):
            yield Static(
                "Keys · escape closes · ↑↓ PgUp PgDn scroll", classes="help-title", markup=False
            )
            with VerticalScroll(id="help-scroll"):
                yield Static(help_text(self.groups), id="help-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


def show_help(app: App[Any]) -> None:
    """Open help for the screen on top, or close it when it is already open."""
    if isinstance(app.screen, HelpScreen):
        app.screen.dismiss(None)
        return
    app.push_screen(HelpScreen(key_groups(app, app.screen)))
