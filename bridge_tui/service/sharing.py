"""Use cases for sharing the file: history, undo, safe copies, merge.

Everything here reads the one change log. History describes its entries in words; undo writes a
*new* change that puts the old values back (so the log stays true and teammates see it); a merge
imports a teammate's log and lets the newest change of each field win (see `store.merge`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from bridge_tui import hlc, method
from bridge_tui.errors import BadInput, ReadOnly, Refused
from bridge_tui.models import Change, Initiative
from bridge_tui.service.core import CoreService
from bridge_tui.service.history_fold import fold_task_ticks
from bridge_tui.store import ENTITIES, INSERT_FIELD
from bridge_tui.store import fs as fsmod

if TYPE_CHECKING:
    from bridge_tui.store import merge as mergemod

#: words for each field, per entity; fields not listed fall back to their name
FIELD_LABELS: dict[str, dict[str, str]] = {
    "initiative": {
        "name": "Name",
        "summary": "Summary",
        "stage": "Stage",
        "owner": "Owner",
        "owner_is_operational": "Owner is operational",
        "pilot_builder": "Pilot builder",
        "team": "Team",
        "pilot_budget": "Pilot budget",
        "integration_budget": "Integration budget",
        "maintenance_budget": "Maintenance budget",
        "blockers": "Blockers",
        "stage_entered_at": "Entered stage on",
        "last_review_at": "Last review",
        "kill_reason": "Kill reason",
        "forced_reason": "Forced-move reason",
        "move_reason": "Move reason",
        "maintenance_committed_until": "Maintenance committed until",
        "designed_volume": "Designed volume",
        "volume_metric": "Volume metric",
        "builds_on": "Builds on",
        "deleted": "Deleted",
        "updated_at": "Updated at",
    },
    "task": {
        "title": "Task",
        "done": "Task done",
        "month": "Task month",
        "owner": "Task owner",
        "due": "Task due",
        "notes": "Task notes",
        "position": "Task order",
        "deleted": "Task deleted",
    },
    "plan": {"start_date": "Plan start", "archived_on": "Plan archived", "deleted": "Plan deleted"},
    "metric": {"value": "Metric value", "target": "Metric target", "deleted": "Metric deleted"},
    "review": {
        "decision": "Review decision",
        "note": "Review note",
        "forced_reason": "Forced past the gate",
        "deleted": "Review deleted",
    },
}
#: bookkeeping that follows another change in the same transaction; history leaves it out
_QUIET = {
    ("initiative", "stage_entered_at"),
    ("initiative", "updated_at"),
    # a task following its plan into the archive: the plan's own entry says it
    ("task", "plan_id"),
}


def _when(stamp: str) -> datetime:
    return hlc.hlc_time(stamp)


def _clock(at: datetime, now: datetime) -> str:
    local = at.astimezone()
    if local.date() == now.astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def value_text(entity: str, fname: str, value: Any, limit: int = 60) -> str:
    """A stored value the way a person reads it."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if fname == "stage" and isinstance(value, str) and value in method.STAGE_BY_ID:
        return method.STAGE_BY_ID[value].label
    if fname == "blockers" and isinstance(value, list):
        return ", ".join(
            method.BLOCKER_BY_ID[b].label if b in method.BLOCKER_BY_ID else str(b) for b in value
        )
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    if isinstance(value, dict):
        return "(a new row)"
    text = str(value)
    if fname in ("at", "done_at", "created_at", "updated_at", "started_at", "finished_at"):
        text = text.replace("T", " ")[:16]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer_label(key: str) -> str:
    """A short name for an answer key: "D3 Data quality is measured", "Test 'Owner'"."""
    if key in method.ITEM_BY_ID:
        return f"{key} {method.ITEM_BY_ID[key].text}"
    if key in method.TEST_BY_ID:
        return f"Test '{method.TEST_BY_ID[key].label}'"
    if key in method.SIGNAL_BY_ID:
        sig = method.SIGNAL_BY_ID[key]
        return f"{'Real' if sig.real else 'False'} signal '{sig.label}'"
    if key in method.EXIT_BY_ID:
        ex = method.EXIT_BY_ID[key]
        return f"{method.STAGE_BY_ID[ex.stage].label} exit: {ex.text}"
    return key


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


@dataclass(frozen=True)
class MergeLine:
    """One row the merge adds or one field it changes, in words."""

    entity: str
    entity_id: str
    initiative: str
    what: str
    old: str
    new: str
    author: str
    at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "entity_id": self.entity_id,
            "initiative": self.initiative,
            "what": self.what,
            "old": self.old,
            "new": self.new,
            "author": self.author,
            "at": self.at.isoformat() if self.at else None,
        }


@dataclass(frozen=True)
class ConflictLine:
    """A field both copies changed since they diverged, and which value the file keeps."""

    entity: str
    entity_id: str
    initiative: str
    field: str
    what: str
    ours: str
    ours_author: str
    ours_at: datetime
    theirs: str
    theirs_author: str
    theirs_at: datetime
    kept: str
    minor: bool

    def sentence(self, now: datetime) -> str:
        where = f"{self.initiative}: " if self.initiative else ""
        ours = f"'{self.ours}' ({self.ours_author}, {_clock(self.ours_at, now)})"
        theirs = f"'{self.theirs}' ({self.theirs_author}, {_clock(self.theirs_at, now)})"
        keep = ours if self.kept == "ours" else theirs
        other = theirs if self.kept == "ours" else ours
        return f"{where}{self.what}: kept {keep} over {other}"

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "entity_id": self.entity_id,
            "initiative": self.initiative,
            "field": self.field,
            "what": self.what,
            "ours": {
                "value": self.ours,
                "author": self.ours_author,
                "at": self.ours_at.isoformat(),
            },
            "theirs": {
                "value": self.theirs,
                "author": self.theirs_author,
                "at": self.theirs_at.isoformat(),
            },
            "kept": self.kept,
            "minor": self.minor,
        }


@dataclass
class MergeReport:
    other: str
    dry_run: bool
    added: list[MergeLine] = field(default_factory=list)
    changed: list[MergeLine] = field(default_factory=list)
    conflicts: list[ConflictLine] = field(default_factory=list)
    #: change-log entries taken from the other copy
    imported: int = 0

    @property
    def nothing_new(self) -> bool:
        return self.imported == 0

    def summary(self) -> str:
        """One sentence for a notification or the last line of the CLI."""
        if self.nothing_new:
            return f"{self.other} has nothing this file does not already have; nothing changed."
        add = "would add" if self.dry_run else "added"
        change = "would change" if self.dry_run else "changed"
        parts: list[str] = []
        if self.added:
            parts.append(f"{add} {len(self.added)} new {_plural(len(self.added), 'row')}")
        if self.changed:
            parts.append(f"{change} {len(self.changed)} {_plural(len(self.changed), 'field')}")
        if not parts:
            took = "would take" if self.dry_run else "took"
            parts.append(
                f"{took} {self.imported} history {_plural(self.imported, 'entry')} "
                "(older than what this file shows, so nothing on screen changes)"
            )
        text = f"Merging {self.other} " + " and ".join(parts)
        shown = [c for c in self.conflicts if not c.minor]
        if shown:
            text += f"; {len(shown)} {_plural(len(shown), 'conflict')} (newest change kept)"
        return text + ("; nothing was written (dry run)." if self.dry_run else ".")

    def to_json(self) -> dict[str, Any]:
        return {
            "other": self.other,
            "dry_run": self.dry_run,
            "imported_changes": self.imported,
            "added": [a.to_json() for a in self.added],
            "changed": [c.to_json() for c in self.changed],
            "conflicts": [c.to_json() for c in self.conflicts],
            "summary": self.summary(),
        }


def _plural(n: int, word: str) -> str:
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


class _Words:
    """Names and labels for change-log entries, with the lookups cached for one call."""

    def __init__(self, service: SharingOps, extra: dict[tuple[str, str], dict[str, Any]]) -> None:
        self.service = service
        self.store = service.store
        self.extra = extra  # rows not in this file yet (a merge's added rows), as JSON
        self._names = self.store.initiative_names()
        for (ent, eid), row in extra.items():
            if ent == "initiative" and row.get("name"):
                self._names[eid] = str(row["name"])
        self._rows: dict[tuple[str, str], dict[str, Any] | None] = {}

    def row(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        key = (entity, entity_id)
        if key in self.extra:
            return self.extra[key]
        if key not in self._rows:
            found: BaseModel | None = None
            if entity in ENTITIES:
                found = self.store.get(ENTITIES[entity][1], entity_id, include_deleted=True)
            self._rows[key] = found.model_dump(mode="json") if found is not None else None
        return self._rows[key]

    def initiative_of(self, entity: str, entity_id: str) -> str | None:
        if entity == "initiative":
            return entity_id
        row = self.row(entity, entity_id)
        if row is None:
            return None
        iid = row.get("initiative_id")
        return str(iid) if iid else None

    def name(self, initiative_id: str | None) -> str:
        if initiative_id is None:
            return ""
        return self._names.get(initiative_id, initiative_id[:8])

    def subject(self, entity: str, entity_id: str, snapshot: dict[str, Any] | None = None) -> str:
        """What a change is about: "D3 Data quality", "task 'Write the runbook'"..."""
        row = snapshot or self.row(entity, entity_id) or {}
        if entity == "answer":
            key = str(row.get("key", ""))
            return answer_label(key) if key else "an answer"
        if entity == "task":
            return f"task '{row.get('title', '?')}'"
        if entity == "metric":
            return f"metric '{row.get('name', '?')}'"
        if entity == "review":
            return "review"
        if entity == "plan":
            return method.PLAN_NAME
        if entity == "review_session":
            return "review session"
        return "initiative"

    def what(self, entity: str, entity_id: str, fname: str) -> str:
        if entity == "answer":
            short = self.subject(entity, entity_id)
            if fname == "value":
                return short
            return f"{short} ({fname})"
        labels = FIELD_LABELS.get(entity, {})
        if fname in labels:
            label = labels[fname]
            if entity == "task" and fname != "title":
                return f"{label} ({self.subject(entity, entity_id)[5:]})"
            return label
        return fname.replace("_", " ").capitalize()

    def describe(self, c: Change) -> tuple[str, str, str, str]:
        """(what, old, new, sentence) for one stored change-log entry."""
        name = self.name(self.initiative_of(c.entity, c.entity_id))
        if c.field == INSERT_FIELD:
            snap = c.new if isinstance(c.new, dict) else {}
            return self._created(c.entity, c.entity_id, snap, name)
        what = self.what(c.entity, c.entity_id, c.field)
        old = value_text(c.entity, c.field, c.old)
        new = value_text(c.entity, c.field, c.new)
        if c.entity == "initiative" and c.field == "builds_on":
            # an initiative id reads as that initiative's name
            old, new = (self.name(v) if isinstance(v, str) else "(nothing)" for v in (c.old, c.new))
        if c.entity == "initiative" and c.field == "stage":
            sentence = f"Moved {name} from {old} to {new}."
        elif c.entity == "initiative" and c.field == "name":
            sentence = f"Renamed {old} to {new}."
        elif c.field == "deleted":
            subject = self.subject(c.entity, c.entity_id)
            action = "Deleted" if c.new else "Restored"
            sentence = f"{action} {subject}" + (f" of {name}." if name else ".")
        elif c.entity == "answer" and c.field == "value":
            sentence = f"Answered {what} on {name}: {old} to {new}."
        elif c.entity == "task" and c.field == "done":
            title = self.subject(c.entity, c.entity_id)
            sentence = f"Marked {title} of {name} {'done' if c.new else 'not done'}."
        else:
            where = f" of {name}" if name else ""
            sentence = f"Changed {what[:1].lower() + what[1:]}{where} from {old} to {new}."
        return what, old, new, sentence

    def _created(
        self, entity: str, entity_id: str, snap: dict[str, Any], name: str
    ) -> tuple[str, str, str, str]:
        if entity == "initiative":
            stage = value_text(entity, "stage", snap.get("stage"))
            nm = str(snap.get("name", name))
            # an import says where it came from ("imported from portfolio.xlsx")
            why = f" ({snap['move_reason']})" if snap.get("move_reason") else ""
            return "Created", "", f"{nm} in {stage}", f"Created {nm} in {stage}{why}."
        if entity == "answer":
            short = self.subject(entity, entity_id, snap)
            value = str(snap.get("value", ""))
            return short, "", value, f"Answered {short} on {name}: {value}."
        if entity == "task":
            title = str(snap.get("title", ""))
            month = snap.get("month", "?")
            return (
                "Task added",
                "",
                title,
                f"Added task '{title}' (month {month}) to the plan of {name}.",
            )
        if entity == "plan" and snap.get("archived_on"):
            start, until = str(snap.get("start_date", "")), str(snap["archived_on"])
            return (
                "Plan archived",
                "",
                f"{start} to {until}",
                f"Archived the {method.PLAN_NAME} of {name} that started {start}: it entered "
                f"Productionize again on {until} and a fresh plan starts that day.",
            )
        if entity == "plan":
            start = str(snap.get("start_date", ""))
            return (
                "Plan created",
                "",
                start,
                f"Created the {method.PLAN_NAME} of {name} from {start}.",
            )
        if entity == "metric":
            reading = f"{snap.get('name', '')} = {value_text('metric', 'value', snap.get('value'))}"
            unit = snap.get("unit") or ""
            reading += f" {unit}".rstrip() + f" on {snap.get('at', '')}"
            return "Metric reading", "", reading, f"Recorded {reading} for {name}."
        if entity == "review":
            decision = str(snap.get("decision", ""))
            return "Reviewed", "", decision, f"Reviewed {name}: {decision}."
        if entity == "review_session":
            return "Review session", "", "started", "Started a review session."
        return "Created", "", entity, f"Created a {entity}."


class SharingOps(CoreService):
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
            entity_ids=entity_ids, author=author_exact, limit=limit, expand=False, exclude=_QUIET
        )
        changes = fold_task_ticks(changes)  # a tick is one line, not done + done at + done by
        words = _Words(self, {})
        out: list[HistoryEntry] = []
        for c in changes:
            what, old, new, sentence = words.describe(c)
            iid2 = words.initiative_of(c.entity, c.entity_id)
            out.append(
                HistoryEntry(
                    change_id=c.change_id,
                    tx=c.tx,
                    hlc=c.hlc,
                    at=_when(c.hlc),
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
        words = _Words(self, {})
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
                    + f" at {_clock(_when(x.hlc), now)}, after you."
                )
            if c.field == INSERT_FIELD:
                plan.append((c.entity, c.entity_id, "deleted", True))
            else:
                plan.append((c.entity, c.entity_id, c.field, c.old))
        first = next((c for c in changes if (c.entity, c.field) not in _QUIET), changes[0])
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
        more = len(plan) - 1
        tail = f" (and {more} more {_plural(more, 'field')})" if more > 0 else ""
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
        from bridge_tui.store import merge as mergemod  # loaded on first use

        report = mergemod.merge_file(
            self.store, other_path, self.author, dry_run=dry_run, describe=self._report
        )
        assert isinstance(report, MergeReport)
        return report

    def _report(self, result: mergemod.MergeResult) -> MergeReport:
        extra = {(ent, eid): row for ent, eid, row in result.added}
        words = _Words(self, extra)
        report = MergeReport(result.other.name, result.dry_run, imported=result.imported)
        order = {e: n for n, e in enumerate(ENTITIES)}
        for ent, eid, row in sorted(result.added, key=lambda a: (order.get(a[0], 99), a[1])):
            iid = words.initiative_of(ent, eid)
            fake = Change(
                change_id="",
                tx="",
                entity=ent,
                entity_id=eid,
                field=INSERT_FIELD,
                new=row,
                author="",
                hlc=hlc.make(0, 0, "0"),
            )
            what, _, new, _ = words.describe(fake)
            report.added.append(MergeLine(ent, eid, words.name(iid), what, "", new, "", None))
        for fc in result.changed:
            iid = words.initiative_of(fc.entity, fc.entity_id)
            report.changed.append(
                MergeLine(
                    fc.entity,
                    fc.entity_id,
                    words.name(iid),
                    words.what(fc.entity, fc.entity_id, fc.field),
                    value_text(fc.entity, fc.field, fc.old),
                    value_text(fc.entity, fc.field, fc.new),
                    fc.author,
                    _when(fc.hlc),
                )
            )
        for c in result.conflicts:
            iid = words.initiative_of(c.entity, c.entity_id)
            if c.field == "deleted" and (c.ours.value is False or c.theirs.value is False):
                subject = words.subject(c.entity, c.entity_id)
                what = f"{subject} deleted on one side, edited on the other"
                ours = "edited" if c.ours.value is False else "deleted"
                theirs = "edited" if c.theirs.value is False else "deleted"
            else:
                what = words.what(c.entity, c.entity_id, c.field)
                ours = value_text(c.entity, c.field, c.ours.value)
                theirs = value_text(c.entity, c.field, c.theirs.value)
            report.conflicts.append(
                ConflictLine(
                    c.entity,
                    c.entity_id,
                    words.name(iid),
                    c.field,
                    what,
                    ours,
                    c.ours.author,
                    _when(c.ours.hlc),
                    theirs,
                    c.theirs.author,
                    _when(c.theirs.hlc),
                    c.winner,
                    c.minor,
                )
            )
        return report

    # the drive the file is on ----------------------------------------------------------------

    def network_drive(self) -> str | None:
        """The network or FUSE file system holding the file (None when local or unknown)."""
        return fsmod.network_fs(self.store.path)
