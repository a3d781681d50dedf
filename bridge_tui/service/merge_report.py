"""A merge's result in words: the rows it adds, the fields it changes and its conflicts, as the
CLI and the merge dialog show them, with a one-sentence summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bridge_tui import hlc
from bridge_tui.models import Change
from bridge_tui.service.change_words import Words, clock_text, plural, stamp_time, value_text
from bridge_tui.store import ENTITIES, INSERT_FIELD

if TYPE_CHECKING:
    from bridge_tui.store import Store
    from bridge_tui.store.merge import MergeResult


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
        ours = f"'{self.ours}' ({self.ours_author}, {clock_text(self.ours_at, now)})"
        theirs = f"'{self.theirs}' ({self.theirs_author}, {clock_text(self.theirs_at, now)})"
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
            parts.append(f"{add} {len(self.added)} new {plural(len(self.added), 'row')}")
        if self.changed:
            parts.append(f"{change} {len(self.changed)} {plural(len(self.changed), 'field')}")
        if not parts:
            took = "would take" if self.dry_run else "took"
            parts.append(
                f"{took} {self.imported} history {plural(self.imported, 'entry')} "
                "(older than what this file shows, so nothing on screen changes)"
            )
        text = f"Merging {self.other} " + " and ".join(parts)
        shown = [c for c in self.conflicts if not c.minor]
        if shown:
            text += f"; {len(shown)} {plural(len(shown), 'conflict')} (newest change kept)"
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


def merge_report(store: Store, result: MergeResult) -> MergeReport:
    """The words for one merge's (or dry run's) result, its added rows named as in the copy."""
    extra = {(ent, eid): row for ent, eid, row in result.added}
    words = Words(store, extra)
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
                stamp_time(fc.hlc),
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
                stamp_time(c.ours.hlc),
                theirs,
                c.theirs.author,
                stamp_time(c.theirs.hlc),
                c.winner,
                c.minor,
            )
        )
    return report
