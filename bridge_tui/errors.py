"""Errors a person can read: each carries one sentence and the exit code the CLI uses.

1 = the method (or a teammate's newer change) refused; 2 = bad usage, bad input or a bad file.
"""

from __future__ import annotations

from pathlib import Path


class BridgeError(Exception):
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadFile(BridgeError):
    """The path is not a bridge file we can open (or create)."""


class BadInput(BridgeError):
    """A field, a reference or an argument is not valid."""


class ReadOnly(BridgeError):
    """The file can be read but not written."""


class Busy(BridgeError):
    """Another process held the file past the busy timeout."""


class Refused(BridgeError):
    """The method refuses: a gate is not met, a reason is missing, a conflict."""

    exit_code = 1


class GateRefused(Refused):
    """A gate is not met. Carries what the gate dialog shows, so a screen need not evaluate
    the gate again: the unmet requirement ids, the same in words, and the move's warnings."""

    def __init__(
        self,
        message: str,
        unmet: tuple[str, ...],
        *,
        lines: tuple[str, ...] = (),
        warnings: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.unmet = unmet
        #: the unmet requirements in words (`GateCheck.lines`)
        self.lines = lines
        #: the warnings of the stages the move would enter (budget, focus)
        self.warnings = warnings


class StaleRevision(Refused):
    """Someone saved this row after we read it."""

    def __init__(
        self, message: str, author: str = "", at: str = "", fields: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.author = author
        self.at = at
        #: the fields the other person's last save changed (empty when it created the row)
        self.fields = fields


class OutputExists(BadFile):
    """An output would replace an existing file (or link) and `--force` was not given.

    Carries the path, so the app can ask whether to replace it."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class Replaced(BridgeError):
    """The path now names another file (git wrote a new one under it) than the one the store
    opened: a save would land in the old, unlinked file and be lost, so it is refused."""
