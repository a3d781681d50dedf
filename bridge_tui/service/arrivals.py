"""What a teammate's save brought in: read from the change log after the app's poll noticed
another process committed, so the person at the keyboard is told who changed what."""

from __future__ import annotations

from dataclasses import dataclass

from bridge_tui.service.sharing import SharingOps
from bridge_tui.store import INSERT_FIELD

#: more arrivals than this in one poll are said as one summary line
MOST_SAID = 3


@dataclass(frozen=True)
class Arrival:
    """One teammate's transaction on one initiative (or on the file, for a review session)."""

    author: str
    initiative: str
    created: bool
    fields: tuple[str, ...]
    #: the transaction (the save) it came in: one import or merge brings many arrivals
    tx: str

    def sentence(self) -> str:
        """ "sam changed Dispatch routing · team, owner"; plain text, shown as typed."""
        subject = self.initiative or "the file"
        if self.created:
            return f"{self.author} added {subject}"
        shown = ", ".join(self.fields[:4]) + (", …" if len(self.fields) > 4 else "")
        return f"{self.author} changed {subject}" + (f" · {shown}" if shown else "")


def summary(arrivals: list[Arrival]) -> list[str]:
    """The lines to show: each arrival, or one line when there are many ("sam added 1,000
    initiatives (one save)", "sam added 2 and changed 5 initiatives (3 saves)")."""
    if len(arrivals) <= MOST_SAID:
        return [a.sentence() for a in arrivals]
    authors = sorted({a.author for a in arrivals})
    added = {a.initiative for a in arrivals if a.created}
    changed = {a.initiative for a in arrivals if not a.created} - added
    saves = len({a.tx for a in arrivals})
    who = " and ".join(authors) if len(authors) <= 2 else f"{len(authors)} people"
    done = []
    if added:
        done.append(f"added {len(added):,}")
    if changed:
        done.append(f"changed {len(changed):,}")
    many = len(added) + len(changed) != 1
    said = " and ".join(done) + (" initiatives" if many else " initiative")
    return [f"{who} {said} ({'one save' if saves == 1 else f'{saves:,} saves'})"]


class ArrivalOps(SharingOps):
    def change_mark(self) -> str | None:
        """The newest stamp in the change log: arrivals are what comes after it."""
        return self.store.newest_stamp()

    def arrivals_since(self, mark: str | None) -> tuple[list[Arrival], str | None]:
        """Others' changes after `mark` (this session's own left out), grouped by transaction
        and initiative, oldest first; and the new mark."""
        from bridge_tui.service.change_words import QUIET, Words
        from bridge_tui.service.history_fold import fold_task_ticks

        changes = self.store.changes(
            since_hlc=mark, expand=False, newest_first=False, exclude=QUIET
        )
        if not changes:
            return [], mark
        newest = changes[-1].hlc
        changes = fold_task_ticks(changes)
        own = set(self.session_txs) | self._undo_own()
        words = Words(self.store, {})
        grouped: dict[tuple[str, str | None], tuple[str, bool, list[str]]] = {}
        for c in changes:
            if c.tx in own:
                continue
            iid = words.initiative_of(c.entity, c.entity_id)
            author, _, fields = grouped.setdefault((c.tx, iid), (c.author, False, []))
            if c.field == INSERT_FIELD:
                if c.entity == "initiative":
                    grouped[(c.tx, iid)] = (author, True, fields)
                    continue
                what = words.subject(c.entity, c.entity_id)
            elif c.entity == "initiative":
                what = words.what(c.entity, c.entity_id, c.field).lower()
            else:
                what = words.what(c.entity, c.entity_id, c.field)
            if what not in fields:
                fields.append(what)
        arrivals = [
            Arrival(author, words.name(iid), created, tuple(fields), tx)
            for (tx, iid), (author, created, fields) in grouped.items()
        ]
        return arrivals, newest
