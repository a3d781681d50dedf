"""Use cases for sharing the file: history, undo, safe copies, merge.

Everything here reads the one change log. History describes its entries in words
(`change_words`); undo writes a *new* change that puts the old values back (so the log stays
true and teammates see it); a merge imports a teammate's log and lets the newest change of each
field win (see `store.merge`), and `merge_report` says what it did.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bridge_tui import method
from bridge_tui.errors import BadInput, ReadOnly, Refused
from bridge_tui.models import Initiative
from bridge_tui.service.initiatives import InitiativeService
from bridge_tui.store import ENTITIES, INSERT_FIELD
from bridge_tui.store import fs as fsmod

if TYPE_CHECKING:
    from bridge_tui.service.change_words import FIELD_LABELS, answer_label, value_text
    from bridge_tui.service.merge_report import ConflictLine, MergeLine, MergeReport

# the words and the merge report live in their own modules; their names stay importable here
# (loaded when first asked for, by `__getattr__`: the board's first paint needs neither)
__all__ = [
    "FIELD_LABELS",
    "ConflictLine",
    "HistoryEntry",
    "MergeLine",
    "MergeReport",
    "SharingOps",
    "answer_label",
    "value_text",
]


#: the names this module hands on, and the module of `bridge_tui.service` each lives in
_HANDED_ON = {
    "ConflictLine": "merge_report",
    "MergeLine": "merge_report",
    "MergeReport": "merge_report",
    "FIELD_LABELS": "change_words",
    "answer_label": "change_words",
    "value_text": "change_words",
}


def _later(name: str) -> Any:
    """A name of `_HANDED_ON`, from its module (loaded now if it is not yet)."""
    if name in _HANDED_ON:
        return getattr(importlib.import_module(f"bridge_tui.service.{_HANDED_ON[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if not TYPE_CHECKING:  # mypy sees the names imported above, and no catch-all
    __getattr__ = _later


@dataclass(frozen=True)
class HistoryEntry:
    """One change-log entry in words."""

    change_id: str
    tx: str
    hlc: str
    at: datetime
    author: str
    entity: str
    entity_id: str
    initiative_id: str | None
    initiative: str
    field: str
    #: what changed, e.g. "Owner", "D3 Data quality", "Task 'Write the runbook'"
    what: str
    old: str
    new: str
    #: one sentence: "Moved Dispatch routing from Pilot to Validate."
    description: str

    def to_json(self) -> dict[str, Any]:
        return {
            "change_id": self.change_id,
            "tx": self.tx,
            "at": self.at.isoformat(),
            "author": self.author,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "initiative_id": self.initiative_id,
            "initiative": self.initiative,
            "field": self.field,
            "what": self.what,
            "old": self.old,
            "new": self.new,
            "description": self.description,
        }


class SharingOps(InitiativeService):
    """Mixed into `Service`."""

    # history ---------------------------------------------------------------------------------

    def history(
        self,
        initiative: Initiative | str | None = None,
        author: str | None = None,
        *,
        limit: int | None = None,
    ) -> list[HistoryEntry]:
        """Who changed what, when, from what to what: newest first.

        `initiative` narrows it to one initiative and everything hanging off it (answers, plan,
        tasks, metrics, reviews); `author` (any case) to one person.
        """
        from bridge_tui.service.change_words import QUIET, Words, stamp_time
        from bridge_tui.service.history_fold import fold_task_ticks

        entity_ids: tuple[str, ...] | None = None
        if initiative is not None:
            iid = initiative.id if isinstance(initiative, Initiative) else initiative
            entity_ids = (iid, *self.store.child_ids(iid))
        author_exact: str | None = None
        if author:
            authors = {a.casefold(): a for a in self.store.authors()}
            author_exact = authors.get(author.strip().casefold())
            if author_exact is None:
                return []
        changes = self.store.changes(
            entity_ids=entity_ids, author=author_exact, limit=limit, expand=False, exclude=QUIET
        )
        changes = fold_task_ticks(changes)  # a tick is one line, not done + done at + done by
        words = Words(self.store, {})
        out: list[HistoryEntry] = []
        for c in changes:
            what, old, new, sentence = words.describe(c)
            iid2 = words.initiative_of(c.entity, c.entity_id)
            out.append(
                HistoryEntry(
                    change_id=c.change_id,
                    tx=c.tx,
                    hlc=c.hlc,
                    at=stamp_time(c.hlc),
                    author=c.author,
                    entity=c.entity,
                    entity_id=c.entity_id,
                    initiative_id=iid2,
                    initiative=words.name(iid2),
                    field=c.field,
                    what=what,
                    old=old,
                    new=new,
                    description=sentence,
                )
            )
        return out

    def history_authors(self) -> list[str]:
        return self.store.authors()

    # undo ------------------------------------------------------------------------------------

    def _undo_own(self) -> set[str]:
        """Transactions of this session (undone ones and the undos themselves included)."""
        own: set[str] | None = getattr(self, "_undo_own_txs", None)
        if own is None:
            own = set()
            self._undo_own_txs = own
        return own

    def undo_last(self) -> str:
        """Undo this session's last change as a new change; refuse if someone changed it since."""
        from bridge_tui.service.change_words import (
            QUIET,
            Words,
            clock_text,
            plural,
            stamp_time,
            value_text,
        )

        if self.read_only:
            raise ReadOnly(f"{self.file_name} is read-only: nothing can be undone.")
        if not self.session_txs:
            raise Refused("Nothing to undo: you have not changed anything in this session.")
        tx_id = self.session_txs[-1]
        own = self._undo_own() | set(self.session_txs)
        changes = self.store.changes(tx=tx_id, expand=False, newest_first=False)
        if not changes:
            self.session_txs.pop()
            raise Refused("Nothing to undo: that change is no longer in the file.")
        words = Words(self.store, {})
        now = self.store.clock()
        plan: list[tuple[str, str, str, Any]] = []
        for c in changes:
            later = [
                x
                for x in self.store.changes(entity_id=c.entity_id, since_hlc=c.hlc, expand=False)
                if x.tx not in own and (c.field == INSERT_FIELD or x.field == c.field)
            ]
            if later:
                x = max(later, key=lambda x: (x.hlc, x.change_id))
                who = "you (in another window)" if x.author == self.author else x.author
                what = words.what(x.entity, x.entity_id, x.field)
                name = words.name(words.initiative_of(x.entity, x.entity_id))
                raise Refused(
                    f"Not undone: {who} changed {what[:1].lower() + what[1:]}"
                    + (f" of {name}" if name else "")
                    + f" at {clock_text(stamp_time(x.hlc), now)}, after you."
                )
            if c.field == INSERT_FIELD:
                plan.append((c.entity, c.entity_id, "deleted", True))
            else:
                plan.append((c.entity, c.entity_id, c.field, c.old))
        first = next((c for c in changes if (c.entity, c.field) not in QUIET), changes[0])
        sentence = words.describe(first)[3]
        with self.store.transaction(self.author) as tx:
            for entity, entity_id, fname, value in plan:
                if entity not in ENTITIES:
                    continue
                current = self.store.get(ENTITIES[entity][1], entity_id, include_deleted=True)
                if current is None:
                    continue
                if fname in getattr(ENTITIES[entity][1], "STAMP_FIELDS", ()):
                    continue
                tx.apply_field(entity, entity_id, fname, value)
            undo_tx = tx.id
        self.session_txs.pop()
        self._undo_own().update({tx_id, undo_tx})
        if first.entity == "initiative" and first.field == "stage":
            # a move reads as where the card is now; its reasons, dates and the plan the move
            # made go with it (saying "and 19 more fields" would only puzzle the room)
            name = words.name(first.entity_id)
            back = value_text("initiative", "stage", first.old)
            made = any(c.entity == "plan" and c.field == INSERT_FIELD for c in changes)
            plan_note = f" (its {method.PLAN_NAME} removed)" if made else ""
            return f"Undid: {name} moved back to {back}{plan_note}."
        added = [
            c.entity_id for c in changes if c.entity == "initiative" and c.field == INSERT_FIELD
        ]
        if len(added) > 1:
            # a save that added many (a spreadsheet's import): what the room sees go away
            named = ", ".join(words.name(i) for i in added[:2]) + (", …" if len(added) > 2 else "")
            others = {c.entity_id for c in changes if c.entity == "initiative"} - set(added)
            back = f"; {len(others):,} put back as they were" if others else ""
            return f"Undid: removed the {len(added):,} initiatives that save added ({named}){back}."
        more = len(plan) - 1
        tail = f" (and {more} more {plural(more, 'field')})" if more > 0 else ""
        return f"Undid: {sentence[:-1]}{tail}."

    # safe copies -----------------------------------------------------------------------------

    def share(self, out_path: Path | str) -> Path:
        """A checked, consistent copy of the file for a teammate; never overwrites anything."""
        from bridge_tui.store import merge as mergemod  # loaded on first use

        return mergemod.safe_copy(self.store, Path(out_path))

    # merge -----------------------------------------------------------------------------------

    def merge(self, other_path: Path | str, dry_run: bool = False) -> MergeReport:
        """Fold a teammate's copy into this file (or, with `dry_run`, say what that would do)."""
        other_path = Path(other_path).expanduser()
        if not str(other_path).strip():
            raise BadInput("give the path of the copy to merge.")
        from bridge_tui.service.merge_report import MergeReport, merge_report
        from bridge_tui.store import merge as mergemod  # loaded on first use

        report = mergemod.merge_file(
            self.store,
            other_path,
            self.author,
            dry_run=dry_run,
            describe=lambda result: merge_report(self.store, result),
        )
        assert isinstance(report, MergeReport)
        return report

    # the drive the file is on ----------------------------------------------------------------

    def network_drive(self) -> str | None:
        """The network or FUSE file system holding the file (None when local or unknown)."""
        return fsmod.network_fs(self.store.path)
