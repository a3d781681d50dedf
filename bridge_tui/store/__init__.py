"""The only package that touches SQLite (through sqlite-utils and the stdlib driver)."""

from bridge_tui.store.migrations import SCHEMA_VERSION
from bridge_tui.store.repo import ENTITIES, INSERT_FIELD, Store, Tx

__all__ = ["ENTITIES", "INSERT_FIELD", "SCHEMA_VERSION", "Store", "Tx"]
