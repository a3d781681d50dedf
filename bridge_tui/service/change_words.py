"""A change-log entry in words: each field's label, a stored value as a person reads it, and
what a change is about (history, undo, arrivals and merge reports all describe entries so)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from bridge_tui import hlc, method
from bridge_tui.models import Change
from bridge_tui.store import ENTITIES, INSERT_FIELD
from bridge_tui.text import number_text, reading_text

if TYPE_CHECKING:
    from bridge_tui.store import Store

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
QUIET = {
    ("initiative", "stage_entered_at"),
    ("initiative", "updated_at"),
    # a task following its plan into the archive: the plan's own entry says it
    ("task", "plan_id"),
}


def stamp_time(stamp: str) -> datetime:
    """When a change-log stamp was made."""
    return hlc.hlc_time(stamp)


def clock_text(at: datetime, now: datetime) -> str:
    """A moment as a person reads it: the time today, the date and time on another day."""
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
        return number_text(value)
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


def plural(n: int, word: str) -> str:
    """`word` for `n` of them: "row", "rows", "entry", "entries"."""
    if n == 1:
        return word
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


class Words:
    """Names and labels for change-log entries, with the lookups cached for one call."""

    def __init__(self, store: Store, extra: dict[tuple[str, str], dict[str, Any]]) -> None:
        self.store = store
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
            amount, unit = snap.get("value"), str(snap.get("unit") or "")
            shown = (
                reading_text(amount, unit)
                if isinstance(amount, int | float)
                else f"{value_text('metric', 'value', amount)} {unit}".rstrip()
            )
            reading = f"{snap.get('name', '')} = {shown} on {snap.get('at', '')}"
            return "Metric reading", "", reading, f"Recorded {reading} for {name}."
        if entity == "review":
            decision = str(snap.get("decision", ""))
            return "Reviewed", "", decision, f"Reviewed {name}: {decision}."
        if entity == "review_session":
            return "Review session", "", "started", "Started a review session."
        return "Created", "", entity, f"Created a {entity}."
