"""A second service over the same file, for work done in a worker thread.

An sqlite connection belongs to the thread that opened it, so a slow read (a merge's preview,
a report, a shared copy, the overview of a large portfolio) that must not freeze the keyboard
opens its own read-only connection in the worker, reads, and closes it; the app's own
connection never leaves the app's thread. A slow write (a merge) does the same through a
connection that may write."""

from __future__ import annotations

from typing import Self

from bridge_tui.service.initiatives import InitiativeService
from bridge_tui.store import Store


class ReaderOps(InitiativeService):
    def reader(self) -> Self:
        """Open from the thread that will use it; close it there when done. A file this
        service refuses to write (a forged stamp found after opening, say) is refused by the
        reader too, so a copy made through it carries no fault the app already knows of."""
        return self._second(read_only=True)

    def writer(self) -> Self:
        """Like `reader`, but it may write: for the one write too slow for the app's thread
        (a merge of a large copy). It writes through its own connection, as a teammate's
        process would; the app then reloads as it does for a teammate's save."""
        return self._second(read_only=False)

    def _second(self, *, read_only: bool) -> Self:
        store = Store.open(self.path, read_only=read_only)
        if self.store.refusal is not None and store.refusal is None:
            store.refuse_writes(self.store.refusal)
        if self.store.fully_checked:
            store.fully_checked = True
        return type(self)(store, self.author, self.clock)

    def adopt_checks(self, reader: InitiativeService) -> None:
        """On the app's thread, after a reader's work: what its checks learned about the file
        (the full check passed, or the file cannot be trusted) holds for this service too."""
        if reader.store.refusal is not None and self.store.refusal is None:
            self.store.refuse_writes(reader.store.refusal)
        elif reader.store.fully_checked:
            self.store.fully_checked = True

    def initiative_count(self) -> int:
        """How many initiatives the file holds (killed ones too): one quick query, so a screen
        can decide whether its first load is slow enough for a worker."""
        return self.store.initiative_count()
