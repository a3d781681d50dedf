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

    def add(iid: str, key: tuple[Any, ...], text: str) -> None:
        if iid in by_initiative:
            by_initiative[iid].append((key, text))

    key: tuple[Any, ...]
    plan_start: dict[str, str] = {}
    for plan in store.all(Plan, order="id"):
        plan_start[plan.id] = plan.start_date.isoformat()
        label = f"plan from {plan.start_date.isoformat()}"
        for n, (fname, text) in enumerate(_fields(plan, skip_empty=True)):
            add(
                plan.initiative_id,
                (2, plan.start_date.isoformat(), plan.id, n),
                f"{label}  {fname} = {text}",
            )
    for answer in store.all(Answer, order="initiative_id, key"):
        for n, (fname, text) in enumerate(_fields(answer, skip_empty=True)):
            if fname == "key":
                continue
            add(
                answer.initiative_id,
                (1, answer.key, n),
                f"answer {clean(answer.key)}  {fname} = {text}",
            )
    for task in store.all(PlanTask, order="id"):
        plan_id = task.plan_id or task.initiative_id
        title = clean(task.title)
        where = f'task "{title}" [{task.id[:8]}]'
        for n, (fname, text) in enumerate(_fields(task, skip_empty=True)):
            if fname == "title":
                continue
            key = (3, plan_start.get(plan_id, ""), task.month, task.position, task.id, n)
            add(task.initiative_id, key, f"{where}  {fname} = {text}")
    for metric in store.all(MetricReading, order="id"):
        where = f'metric "{clean(metric.name)}" {metric.at.isoformat()} [{metric.id[:8]}]'
        for n, (fname, text) in enumerate(_fields(metric, skip_empty=True)):
            if fname in ("name", "at"):
                continue
            key = (4, metric.name, metric.at.isoformat(), metric.id, n)
            add(metric.initiative_id, key, f"{where}  {fname} = {text}")
    for review in store.all(Review, order="id"):
        where = f"review {review.date.isoformat()} [{review.id[:8]}]"
        for n, (fname, text) in enumerate(_fields(review, skip_empty=True)):
            if fname in ("date", "session_id"):
                continue
            add(
                review.initiative_id,
                (5, review.date.isoformat(), review.id, n),
                f"{where}  {fname} = {text}",
            )

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
