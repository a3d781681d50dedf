"""A one-line bar to narrow a screen down by typing: a label, the input and a count of what
matches (the board's filter, `/`; the checklist's find). Its parts are named after the bar:
`NAME-bar`, `NAME-label`, `NAME` (the input) and `NAME-count`, which the screens' styles use."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Input, Label

from bridge_tui.tui.widgets.boxes import Horizontal
from bridge_tui.tui.widgets.footer import BridgeFooter


class FindBar(Horizontal):
    def __init__(self, name: str, label: str, placeholder: str) -> None:
        super().__init__(id=f"{name}-bar")
        self._name = name
        self._label = label
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Label(self._label, id=f"{self._name}-label", markup=False)
        yield Input(placeholder=self._placeholder, id=self._name, compact=True)
        yield Label("", id=f"{self._name}-count", markup=False)

    @classmethod
    async def on(
        cls, screen: Widget, bar: FindBar | None, name: str, label: str, placeholder: str
    ) -> FindBar:
        """`bar`, or, the first time, a new one mounted above the screen's footer: a screen
        opens without the bar's widgets (nor Textual's `Input` styles), which come with its
        first use."""
        if bar is None:
            bar = cls(name, label, placeholder)
            await screen.mount(bar, before=screen.query_one(BridgeFooter))
        return bar

    def on_mount(self) -> None:
        # a steady cursor where nobody watches (tests, snapshots): a blinking one is drawn
        # on or off depending on when the frame is taken
        self.input.cursor_blink = not self.app.is_headless

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def set_count(self, text: str, widest: str) -> None:
        """Show `text` as the count, the count's box as wide as `widest` (the longest count
        this bar can show now). A box whose width stays put from one keystroke to the next
        lets the screen lay itself out once a keystroke: a count sized to its text would
        move the input's edge, and Textual lays the screen out a second time after it."""
        count = self.query_one(f"#{self._name}-count", Label)
        width = cell_len(widest) + count.styles.gutter.width
        resized = count.styles.width is None or count.styles.width.value != width
        if resized:
            count.styles.width = width
        count.update(text, layout=resized)
