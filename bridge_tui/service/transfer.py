"""Use cases that move a whole portfolio through JSON: export, and import into a new file.

The export (`bridge export`), format "bridge.export" version 1: every row of every table,
deleted ones included, ordered by id, each as its model's JSON; and the change log exactly as
stored, oldest first. `bridge import` writes it into a new file through the store, so that an
export of the imported file is byte-identical to the original export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bridge_tui.clock import Clock
from bridge_tui.errors import BadFile, BadInput
from bridge_tui.models import FROM_FILE, Answer, Change, Initiative, validation_message
from bridge_tui.service.outputs import OutputOps
from bridge_tui.store import ENTITIES, SCHEMA_VERSION, Store, verify

EXPORT_FORMAT = "bridge.export"
EXPORT_VERSION = 1
#: an export of 10,000 initiatives with a sample-like history is about 280 MB
MAX_IMPORT_BYTES = 512 * 2**20


@dataclass(frozen=True)
class ExportDoc:
    """A parsed, validated export: rows per entity, and the change log."""

    schema_version: int
    rows: dict[str, list[BaseModel]]
    changes: list[Change]


class TransferOps(OutputOps):
    """Mixed into `Service`."""

    def export_all(self) -> dict[str, Any]:
        """Everything in the file as one JSON-ready document (see the module docstring)."""
        tables: dict[str, list[dict[str, Any]]] = {}
        for _entity, (table, model) in ENTITIES.items():
            rows = self.store.all(model, include_deleted=True, order="id")
            tables[table] = [r.model_dump(mode="json") for r in rows]
        changes = [
            c.model_dump(mode="json") for c in self.store.changes(newest_first=False, expand=False)
        ]
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "schema_version": SCHEMA_VERSION,
            "tables": tables,
            "changes": changes,
        }

    def export_json(self) -> str:
        return export_text(self.export_all())

    def export_to(self, path: Path | str, *, force: bool = False) -> Path:
        """`bridge export -o`: the export, written by the output rules."""
        return self.write_output(path, self.export_json(), force=force)

    def import_all(
        self, source: Path | str, target: Path | str, *, force: bool = False, reason: str = ""
    ) -> Path:
        """See the module-level `import_all`: a new file at `target` from an export."""
        return import_all(
            source, target, force=force, reason=reason, author=self.author, clock=self.clock
        )


def export_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def parse_export(text: str, source: str = "the file") -> ExportDoc:
    """Check an export completely before anything is written; one sentence on any fault."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadFile(
            f"{source} is not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None
    except RecursionError:
        # an export nests five levels deep; thousands of brackets are a broken or hostile file
        raise BadFile(f"{source} nests its JSON too deeply to be a bridge export.") from None
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise BadFile(f'{source} is JSON but not a bridge export (no "format": "bridge.export").')
    if doc.get("version") != EXPORT_VERSION:
        raise BadFile(
            f"{source} is a bridge export of version {doc.get('version')!r}; this bridge reads "
            f"version {EXPORT_VERSION}."
        )
    schema = doc.get("schema_version")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise BadFile(
            f"{source} was exported by a newer bridge (schema {schema}); update bridge to "
            "import it."
        )
    tables = doc.get("tables")
    changes = doc.get("changes")
    if not isinstance(tables, dict) or not isinstance(changes, list):
        raise BadFile(f'{source} lacks its "tables" or "changes" section.')
    known = {table: (entity, model) for entity, (table, model) in ENTITIES.items()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise BadFile(f"{source} has an unknown table '{unknown[0]}'.")
    rows: dict[str, list[BaseModel]] = {}
    for table, (entity, model) in known.items():
        raw = tables.get(table, [])
        if not isinstance(raw, list):
            raise BadFile(f'{source}: "{table}" must be a list of rows.')
        seen: set[str] = set()
        out: list[BaseModel] = []
        for n, row in enumerate(raw, 1):
            try:
                m = model.model_validate(row, context=FROM_FILE)
            except ValidationError as exc:
                raise BadFile(
                    f"{source}: {table} row {n} is not valid: {validation_message(exc)}"
                ) from None
            ident = str(getattr(m, "id", ""))
            if ident in seen:
                raise BadFile(f"{source}: {table} row {n} repeats the id {ident}.")
            seen.add(ident)
            out.append(m)
        rows[entity] = out
    log: list[Change] = []
    seen_changes: set[str] = set()
    for n, row in enumerate(changes, 1):
        try:
            change = Change.model_validate(row)
        except ValidationError as exc:
            raise BadFile(f"{source}: change {n} is not valid: {validation_message(exc)}") from None
        if change.change_id in seen_changes:
            raise BadFile(f"{source}: change {n} repeats the id {change.change_id}.")
        seen_changes.add(change.change_id)
        log.append(change)
    return ExportDoc(schema, rows, log)


def import_all(
    source: Path | str,
    target: Path | str,
    *,
    force: bool = False,
    reason: str = "",
    author: str = "import",
    clock: Clock | None = None,
) -> Path:
    """Create `target` (which must not exist) holding exactly what the export `source` holds.

    The export is read and checked completely first; only then is the new file created, and
    if writing fails the new file is removed, so a refused import leaves nothing behind.

    Every way into a stage is gated (`service.entry`): an initiative in a stage its change log
    does not record must meet the gates into it; otherwise the import is refused with the
    list, or with `force` and a `reason` those initiatives are marked forced (one logged
    change each, by `author` on `clock`).

    The export is checked as a merge checks a copy (every row as its model, then ids,
    references, stamps within a day of now and every row against its change log).
    """
    from bridge_tui.service.entry import refuse_unbacked, unbacked_entries

    source, target = Path(source), Path(target)
    if target.exists():
        raise BadFile(f"{target} already exists; import only creates a new file.")
    if not source.is_file():
        raise BadFile(f"{source} does not exist or is not a file.")
    size = source.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise BadFile(
            f"{source.name} is {size / 2**20:,.0f} MiB; bridge imports exports of up to "
            f"{MAX_IMPORT_BYTES // 2**20} MiB."
        )
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadFile(f"{source.name} is not a UTF-8 text file, so not a bridge export.") from None
    except OSError as exc:
        raise BadFile(f"{source.name} cannot be read: {exc.strerror}.") from None
    doc = parse_export(text, source.name)
    now = (clock or Clock.system()).now()
    problem = verify.problem(verify.from_models(doc.rows, doc.changes), now)
    if problem:
        raise BadFile(f"{source.name} {problem}: it cannot be trusted; nothing was imported.")
    unbacked = unbacked_entries(
        [r for r in doc.rows.get("initiative", []) if isinstance(r, Initiative)],
        [r for r in doc.rows.get("answer", []) if isinstance(r, Answer)],
        doc.changes,
    )
    if unbacked:
        if not force:
            refuse_unbacked(unbacked, source.name)
        reason = (reason or "").strip()
        if not reason:
            raise BadInput("Forcing initiatives past their gates on import needs a reason.")
    with Store.creating(target) as store:
        if clock is not None:
            store.clock = clock.now
        store.load_verbatim(doc.rows, doc.changes)
        if unbacked:
            with store.transaction(author.strip() or "import") as tx:
                for u in unbacked:
                    current = store.get(Initiative, u.initiative.id)
                    assert current is not None
                    tx.update(current, None, forced_reason=reason, move_reason=reason)
    return target
