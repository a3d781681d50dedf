"""The only package that touches SQLite (through sqlite-utils and the stdlib driver).

sqlite-utils and the migrations load only when a file is created or upgraded (`schema`). The
names below load on first use: `store.plain` (reads that build no model) is importable without
the models, and so without pydantic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bridge_tui import lazy

if TYPE_CHECKING:
    from bridge_tui.store.repo import ENTITIES, INSERT_FIELD, Store, Tx
    from bridge_tui.store.schema import SCHEMA_VERSION

__all__ = ["ENTITIES", "INSERT_FIELD", "SCHEMA_VERSION", "Store", "Tx"]

if not TYPE_CHECKING:  # mypy sees the names imported above
    __getattr__ = lazy.exports(
        __name__,
        {
            "ENTITIES": "repo",
            "INSERT_FIELD": "repo",
            "Store": "repo",
            "Tx": "repo",
            "SCHEMA_VERSION": "schema",
        },
    )
