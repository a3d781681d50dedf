"""The portfolio as text, one fact per line: what `git diff` shows for the file.

Git sees an SQLite file as bytes ("Binary files differ"). `bridge git textconv` (and `bridge
dump`) turns a version into lines such as

    Dispatch routing [4f1c2a9b]  owner = Priya Natarajan
    Dispatch routing [4f1c2a9b]  answer D1  value = met
    Dispatch routing [4f1c2a9b]  task "Lock the scope" [9e0d11aa]  done = yes

so a diff between two versions reads as the facts that changed. The text is stable: the same
file always gives the same lines, sorted (initiatives by name then id; inside one, its own
fields in the model's order, then answers, plans, tasks, metrics and reviews), with no clock
reading. Every value is one line of plain text: a line break shows as `\\n`, other control
characters (terminal escapes, bidirectional overrides) are removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from bridge_tui import hlc
from bridge_tui.models import Answer, Initiative, MetricReading, Plan, PlanTask, Review
from bridge_tui.store import SCHEMA_VERSION, Store, gitfile

#: never in the text: bookkeeping that changes with every save or says nothing to a reader
_SKIP = frozenset({"id", "revision", "deleted", "initiative_id", "updated_at", "plan_id"})
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def clean(text: str) -> str:
    """One line of plain text: line breaks as a visible `\\n`, tabs as a space, every other
    control character (escape sequences too) and bidirectional override removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\n", "\\n")
    text = _BIDI.sub("", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def value_text(value: Any) -> str:
    if value is None or value == "" or value == [] or value == ():
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(clean(str(v)) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def _fields(model: BaseModel, *, skip_empty: bool) -> Iterable[tuple[str, str]]:
    data = model.model_dump(mode="json")
    for name in type(model).model_fields:
        if name in _SKIP:
            continue
        value = data.get(name)
        if skip_empty and (value is None or value == "" or value == []):
            continue
        yield name, value_text(value)


def dump_lines(store: Store) -> list[str]:
    """Every live fact of the file as sorted lines (see the module's docstring)."""
    initiatives = store.initiatives()
    by_initiative: dict[str, list[tuple[tuple[Any, ...], str]]] = {i.id: [] for i in initiatives}

    def add(
        iid: str, row: BaseModel, key: tuple[Any, ...], where: str, skip: tuple[str, ...] = ()
    ) -> None:
        """A row's fields as lines of its initiative, sorted by `key` then field order;
        `skip`: the fields `where` already says."""
        if iid not in by_initiative:
            return
        for n, (fname, text) in enumerate(_fields(row, skip_empty=True)):
            if fname not in skip:
                by_initiative[iid].append(((*key, n), f"{where}  {fname} = {text}"))

    plan_start: dict[str, str] = {}
    for plan in store.all(Plan, order="id"):
        start = plan_start[plan.id] = plan.start_date.isoformat()
        add(plan.initiative_id, plan, (2, start, plan.id), f"plan from {start}")
    for answer in store.all(Answer, order="initiative_id, key"):
        where = f"answer {clean(answer.key)}"
        add(answer.initiative_id, answer, (1, answer.key), where, skip=("key",))
    for task in store.all(PlanTask, order="id"):
        start = plan_start.get(task.plan_id or task.initiative_id, "")
        where = f'task "{clean(task.title)}" [{task.id[:8]}]'
        key = (3, start, task.month, task.position, task.id)
        add(task.initiative_id, task, key, where, skip=("title",))
    for metric in store.all(MetricReading, order="id"):
        at = metric.at.isoformat()
        where = f'metric "{clean(metric.name)}" {at} [{metric.id[:8]}]'
        add(
            metric.initiative_id,
            metric,
            (4, metric.name, at, metric.id),
            where,
            skip=("name", "at"),
        )
    for review in store.all(Review, order="id"):
        day = review.date.isoformat()
        where = f"review {day} [{review.id[:8]}]"
        add(review.initiative_id, review, (5, day, review.id), where, skip=("date", "session_id"))

    lines = [_header(store, initiatives)]
    names = {i.id: i.name for i in initiatives}
    for initiative in sorted(initiatives, key=lambda i: (i.name.casefold(), i.name, i.id)):
        prefix = f"{clean(initiative.name)} [{initiative.id[:8]}]"
        for fname, text in _fields(initiative, skip_empty=False):
            if fname == "builds_on" and initiative.builds_on:
                target = names.get(initiative.builds_on, "")
                text = f"{clean(target)} [{initiative.builds_on[:8]}]"
            lines.append(f"{prefix}  {fname} = {text}")
        for _, text in sorted(by_initiative[initiative.id], key=lambda kt: kt[0]):
            lines.append(f"{prefix}  {text}")
    return lines


def _header(store: Store, initiatives: list[Initiative]) -> str:
    killed = sum(1 for i in initiatives if i.stage == "killed")
    newest = store.changes(limit=1, expand=False)
    text = f"bridge portfolio (schema {SCHEMA_VERSION}): {len(initiatives)} initiatives"
    if killed:
        text += f" ({killed} killed)"
    if newest:
        at = hlc.hlc_time(newest[0].hlc).strftime("%Y-%m-%d %H:%M UTC")
        text += f"; last change {at} by {clean(newest[0].author)}"
    return text


def dump_file(path: Path | str, name: str | None = None) -> list[str]:
    """The lines of the file at `path` (any version git holds; see `gitfile.snapshot`)."""
    with gitfile.snapshot(Path(path), name) as store:
        return dump_lines(store)
