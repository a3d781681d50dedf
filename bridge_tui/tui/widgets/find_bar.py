"""A one-line bar to narrow a screen down by typing: a label, the input and a count of what
matches (the board's filter, `/`; the checklist's find). Its parts are named after the bar:
`NAME-bar`, `NAME-label`, `NAME` (the input) and `NAME-count`, which the screens' styles use."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label


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
