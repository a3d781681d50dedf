"""The only package that touches SQLite (through sqlite-utils and the stdlib driver).

sqlite-utils and the migrations load only when a file is created or upgraded (`schema`). The
names below load on first use: `store.plain` (reads that build no model) is importable without
the models, and so without pydantic."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bridge_tui.store.repo import ENTITIES, INSERT_FIELD, Store, Tx
    from bridge_tui.store.schema import SCHEMA_VERSION

__all__ = ["ENTITIES", "INSERT_FIELD", "SCHEMA_VERSION", "Store", "Tx"]

_HOME = {
    "ENTITIES": "repo",
    "INSERT_FIELD": "repo",
    "Store": "repo",
    "Tx": "repo",
    "SCHEMA_VERSION": "schema",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value
