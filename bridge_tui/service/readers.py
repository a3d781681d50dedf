"""A second, read-only service over the same file, for work done in a worker thread.

An sqlite connection belongs to the thread that opened it, so a slow read (a merge's preview)
that must not freeze the keyboard opens its own read-only connection in the worker, reads,
and closes it; the app's own connection never leaves the app's thread."""

from __future__ import annotations

from typing import Self

from bridge_tui.service.core import CoreService
from bridge_tui.store import Store


class ReaderOps(CoreService):
    def reader(self) -> Self:
        """Open from the thread that will use it; close it there when done."""
        store = Store.open(self.path, read_only=True)
        return type(self)(store, self.author, self.clock)
