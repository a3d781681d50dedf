"""Textual's stylesheet, parsing each source once for as long as the theme stays the same.

Textual refreshes the CSS when the app shows its first screen and when a screen (a mode) shows
for the first time, and each refresh parses every stylesheet again from nothing: bridge's
eighteen stylesheets and every widget's default CSS, about 60 ms of the start-up and of each
screen's first opening on a 2-core machine. The rules a parse gives depend only on the sources
and the CSS variables, so while the variables are the same a refresh reuses what was already
parsed (Textual's own per-source cache) and parses only what is new; another theme changes the
variables and parses everything again, as before. The refresh itself still restyles every
widget, so nothing that depends on it (the breakpoints' classes) changes.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from textual.css.stylesheet import Stylesheet


class KeptStylesheet(Stylesheet):
    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        #: the variables the kept parses were made with
        self._kept_variables = dict(variables or {})
        #: True once the variables changed since the last full parse
        self._stale = False

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == self._kept_variables:
            return
        self._kept_variables = dict(variables)
        self._stale = True
        super().set_variables(variables)

    def reparse(self) -> None:
        if self._stale:
            super().reparse()
            self._stale = False
        else:
            # the same variables: each source's rules are what its last parse gave
            self.parse()

    def read_first(self, path: PurePath) -> bool:
        """Read the sheet at `path` as though it had been read before every other source;
        False if it was read already.

        Of two rules as specific as each other, the one read later wins: a sheet read late
        but placed first gives every rule the same winner as reading it first would have."""
        key = (os.path.abspath(path), "")
        if key in self.source:
            return False
        self.read(path)
        self.source = {key: self.source.pop(key), **self.source}
        return True
