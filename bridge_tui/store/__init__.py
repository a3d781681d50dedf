"""The only package that touches SQLite (through sqlite-utils and the stdlib driver).

sqlite-utils and the migrations load only when a file is created or upgraded (`schema`)."""

from bridge_tui.store.repo import ENTITIES, INSERT_FIELD, Store, Tx
from bridge_tui.store.schema import SCHEMA_VERSION

__all__ = ["ENTITIES", "INSERT_FIELD", "SCHEMA_VERSION", "Store", "Tx"]
