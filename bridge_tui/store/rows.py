"""Which table holds which model, and a model as the row SQLite stores (and back)."""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from bridge_tui.models import (
    FROM_FILE,
    Answer,
    Initiative,
    MetricReading,
    Plan,
    PlanTask,
    Review,
    ReviewSession,
)

if TYPE_CHECKING:
    import sqlite3

M = TypeVar("M", bound=BaseModel)

#: entity name (as written in the change log) -> (table, model)
ENTITIES: dict[str, tuple[str, type[BaseModel]]] = {
    "initiative": ("initiatives", Initiative),
    "answer": ("answers", Answer),
    "plan": ("plans", Plan),
    "task": ("tasks", PlanTask),
    "metric": ("metrics", MetricReading),
    "review": ("reviews", Review),
    "review_session": ("review_sessions", ReviewSession),
}
ENTITY_OF_MODEL: dict[type[BaseModel], str] = {m: e for e, (_, m) in ENTITIES.items()}
#: columns holding a JSON list
JSON_FIELDS = frozenset({"blockers", "order"})
#: The `field` of the one change-log entry that records a new row; its `new` is the whole row.
INSERT_FIELD = "*"


@cache
def bool_fields(model: type[BaseModel]) -> frozenset[str]:
    """The model's boolean fields: 0/1 columns."""
    return frozenset(n for n, info in model.model_fields.items() if info.annotation is bool)


def quote_name(name: str) -> str:
    """A column name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def to_row(model: BaseModel) -> dict[str, Any]:
    """A model as the column values SQLite stores."""
    data = model.model_dump(mode="json")
    for k in JSON_FIELDS & data.keys():
        data[k] = json.dumps(data[k])
    for k in bool_fields(type(model)) & data.keys():
        data[k] = int(bool(data[k]))
    return data


def insert_row(conn: sqlite3.Connection, entity: str, model: BaseModel) -> None:
    """Write `model` as a new row of its entity's table, exactly as given (revision too)."""
    row = to_row(model)
    cols = ", ".join(quote_name(c) for c in row)
    marks = ", ".join("?" for _ in row)
    conn.execute(
        f"INSERT INTO {ENTITIES[entity][0]} ({cols}) VALUES ({marks})", tuple(row.values())
    )


def from_row(model: type[M], row: dict[str, Any]) -> M:
    """A stored row as its model."""
    data = dict(row)
    for k in JSON_FIELDS & data.keys():
        data[k] = json.loads(data[k]) if data[k] else []
    for k in bool_fields(model) & data.keys():
        data[k] = bool(data[k])
    for k in [k for k, v in data.items() if v is None]:
        info = model.model_fields[k]
        if not info.is_required() and info.default is not None:
            del data[k]  # an empty column in an older row: the model's default fills it
    return model.model_validate(data, context=FROM_FILE)
